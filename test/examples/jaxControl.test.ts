/**
 * jax/examples/control.py (model-predictive control: trajectories, LQR by a backward Riccati
 * recursion in lax.fori_loop, iLQR from jacfwd/grad linearisations under vmap, MPC) ported
 * with the same structure and calls, checked by the cases of its test file control_test.py:
 * the expected values are exact (a one-step LQR problem is solved by u₀ = −x₀).
 */
import { describe, expect, it } from 'vitest'
import {
  add,
  arange,
  array,
  concatenate,
  cumsum,
  dot,
  eye,
  grad,
  jacfwd,
  jacobian,
  lax,
  linalg,
  matmul,
  maximum,
  minimum,
  neg,
  ones,
  remainder,
  reshape,
  stack,
  sub,
  sum,
  transpose,
  vmap,
  vstack,
  zeros,
  zerosLike,
  type NdArray,
} from 'wengert'

type Fn3 = (t: NdArray, x: NdArray, u: NdArray) => NdArray
interface ControlSpec {
  cost: Fn3
  dynamics: Fn3
  horizon: number
  stateDim: number
  controlDim: number
}
/** LqrSpec(Q q R r M A B), a pytree (an array of 7 arrays). */
type LqrSpec = [NdArray, NdArray, NdArray, NdArray, NdArray, NdArray, NdArray]

const mm = matmul
const mv = (mat: NdArray, vec: NdArray): NdArray => {
  expect(mat.ndim).toBe(2)
  expect(vec.ndim).toBe(1)
  return dot(mat, vec)
}
const at = (x: NdArray, t: NdArray | number): NdArray => x.at(t).get()
const T_ = (x: NdArray): NdArray => transpose(x)

const trajectory = (dynamics: Fn3, U: NdArray, x0: NdArray): NdArray => {
  const T = U.shape[0] as number
  const d = x0.shape[0] as number
  let X = zeros([T + 1, d], { dtype: x0.dtype })
  X = X.at(0).set(x0)
  const loop = (t: NdArray, X: NdArray): NdArray => {
    const x = dynamics(t, at(X, t), at(U, t))
    return X.at(add(t, 1)).set(x)
  }
  return lax.foriLoop(0, T, loop, X)
}

const makeLqrApprox = (p: ControlSpec): ((X: NdArray, U: NdArray) => LqrSpec) => {
  const T = p.horizon
  const approxTimestep = (t: NdArray, x: NdArray, u: NdArray): LqrSpec => {
    const M = T_(jacfwd(grad(p.cost, { argnums: 2 }), { argnums: 1 })(t, x, u) as NdArray)
    const Q = jacfwd(grad(p.cost, { argnums: 1 }), { argnums: 1 })(t, x, u) as NdArray
    const R = jacfwd(grad(p.cost, { argnums: 2 }), { argnums: 2 })(t, x, u) as NdArray
    const [q, r] = grad(p.cost, { argnums: [1, 2] })(t, x, u) as [NdArray, NdArray]
    const [A, B] = jacobian(p.dynamics, { argnums: [1, 2] })(t, x, u) as [NdArray, NdArray]
    return [Q, q, R, r, M, A, B]
  }
  const approx_ = vmap(approxTimestep)
  return (X, U) => {
    expect(X.shape[0]).toBe(T + 1)
    expect(U.shape[0]).toBe(T)
    const Upad = vstack([U, zeros([1, ...U.shape.slice(1)], { dtype: U.dtype })])
    const [Q, q, R, r, M, A, B] = approx_(arange(T + 1), X, Upad)
    const first = (a: NdArray): NdArray => lax.sliceInDim(a, 0, T)
    return [Q, q, first(R), first(r), first(M), first(A), first(B)]
  }
}

const lqrSolve = (spec: LqrSpec): [NdArray, NdArray] => {
  const EPS = 1e-7
  const [Qs, qs, Rs] = spec
  const [T, controlDim] = Rs.shape as [number, number, number]
  const stateDim = Qs.shape[1] as number
  const K0 = zeros([T, controlDim, stateDim], { dtype: Qs.dtype })
  const k0 = zeros([T, controlDim], { dtype: Qs.dtype })
  type S = [LqrSpec, NdArray, NdArray, NdArray, NdArray]
  const revLoop = (t_: NdArray, state: S): S => {
    const t = sub(T - 1, t_)
    const [spec, P, p, K, k] = state
    const [Q, q, R, r, M, A, B] = spec.map((a) => at(a, t)) as LqrSpec
    const AtP = mm(T_(A), P)
    const BtP = mm(T_(B), P)
    const G = add(R, mm(BtP, B))
    const H = add(mm(BtP, A), T_(M))
    const h = add(r, mv(T_(B), p))
    const Gr = add(G, eye(G.shape[0] as number, { dtype: G.dtype }).mul(EPS))
    const K_ = neg(linalg.solve(Gr, H))
    const k_ = neg(linalg.solve(Gr, h))
    const P_ = add(add(Q, mm(AtP, A)), mm(T_(K_), H))
    const p_ = add(add(q, mv(T_(A), p)), mv(T_(K_), h))
    return [spec, P_, p_, K.at(t).set(K_), k.at(t).set(k_)]
  }
  // spec.Q[T + 1] indexes past the end, which JAX clamps to the last entry
  const [, , , K, k] = lax.foriLoop(0, T, revLoop, [spec, at(Qs, T + 1), at(qs, T + 1), K0, k0] as S)
  return [K, k]
}

const lqrPredict = (spec: LqrSpec, x0: NdArray): [NdArray, NdArray] => {
  const [Qs, , Rs] = spec
  const [T, controlDim] = Rs.shape as [number, number, number]
  const stateDim = Qs.shape[1] as number
  const [K, k] = lqrSolve(spec)
  type S = [LqrSpec, NdArray, NdArray]
  const fwdLoop = (t: NdArray, state: S): S => {
    const [spec, X, U] = state
    const [A, B] = [at(spec[5], t), at(spec[6], t)]
    const u = add(mv(at(K, t), at(X, t)), at(k, t))
    const x = add(mv(A, at(X, t)), mv(B, u))
    return [spec, X.at(add(t, 1)).set(x), U.at(t).set(u)]
  }
  const U = zeros([T, controlDim], { dtype: Qs.dtype })
  const X = zeros([T + 1, stateDim], { dtype: Qs.dtype })
    .at(0)
    .set(x0)
  const [, Xo, Uo] = lax.foriLoop(0, T, fwdLoop, [spec, X, U] as S)
  return [Xo, Uo]
}

const ilqr = (iterations: number, p: ControlSpec, x0: NdArray, U: NdArray): [NdArray, NdArray] => {
  expect(x0.ndim === 1 && x0.shape[0] === p.stateDim).toBe(true)
  expect(U.shape[0]).toBe(p.horizon)
  const lqrApprox = makeLqrApprox(p)
  const loop = (_: NdArray, state: [NdArray, NdArray]): [NdArray, NdArray] => {
    const [X, U] = state
    const pLqr = lqrApprox(X, U)
    const [dX, dU] = lqrPredict(pLqr, zerosLike(x0))
    const U2 = add(U, dU)
    return [trajectory(p.dynamics, U2, add(at(X, 0), at(dX, 0))), U2]
  }
  const X = trajectory(p.dynamics, U, x0)
  return lax.foriLoop(0, iterations, loop, [X, U] as [NdArray, NdArray])
}

const mpcPredict = (
  solver: (p: ControlSpec, x0: NdArray, U: NdArray) => [NdArray, NdArray],
  p: ControlSpec,
  x0: NdArray,
  U: NdArray,
): [NdArray, NdArray] => {
  const T = p.horizon
  const zeroPaddedControlsWindow = (U: NdArray, t: NdArray): NdArray =>
    lax.dynamicSliceInDim(vstack([U, zeros(U.shape, { dtype: U.dtype })]), t, T, 0)
  const loop = (t: NdArray, state: [NdArray, NdArray]): [NdArray, NdArray] => {
    const cost: Fn3 = (t_, x, u) => p.cost(add(t, t_), x, u)
    const dyns: Fn3 = (t_, x, u) => p.dynamics(add(t, t_), x, u)
    const [X, U] = state
    const p_: ControlSpec = { cost, dynamics: dyns, horizon: T, stateDim: p.stateDim, controlDim: p.controlDim }
    const xt = at(X, t)
    const [, U_] = solver(p_, xt, zeroPaddedControlsWindow(U, t))
    const ut = at(U_, 0)
    const x = p.dynamics(t, xt, ut)
    return [X.at(add(t, 1)).set(x), U.at(t).set(ut)]
  }
  const X = zeros([T + 1, p.stateDim], { dtype: x0.dtype })
    .at(0)
    .set(x0)
  return lax.foriLoop(0, T, loop, [X, U] as [NdArray, NdArray])
}

// ---- control_test.py ----

const f64 = (x: number[]): NdArray => array(x, { dtype: 'float64' })
const rep = (m: NdArray, T: number): NdArray => stack(Array.from({ length: T }, () => m))
const oneStepLqr = (dim: number, T: number): LqrSpec => [
  rep(eye(dim, { dtype: 'float64' }), T),
  zeros([T, dim], { dtype: 'float64' }),
  zeros([T, dim, dim], { dtype: 'float64' }),
  zeros([T, dim], { dtype: 'float64' }),
  zeros([T, dim, dim], { dtype: 'float64' }),
  rep(eye(dim, { dtype: 'float64' }), T),
  rep(eye(dim, { dtype: 'float64' }), T),
]
const oneStepControl = (dim: number, T: number): ControlSpec => ({
  cost: (_t, x) => dot(x, x),
  dynamics: (_t, x, u) => add(x, u),
  horizon: T,
  stateDim: dim,
  controlDim: dim,
})
const x0 = f64([0.3, -1.1])
const allClose = (got: NdArray, want: NdArray | number[], atol = 1e-12): void => {
  const g = (got.reshape([-1]).toArray() as number[]).map(Number)
  const e = Array.isArray(want) ? want : (want.reshape([-1]).toArray() as number[]).map(Number)
  expect(g.length).toBe(e.length)
  g.forEach((v, i) => expect(Math.abs(v - (e[i] as number))).toBeLessThanOrEqual(atol))
}
const zerosN = (n: number): number[] => new Array<number>(n).fill(0)

describe('jax/examples/control.py', () => {
  it('trajectory: a cyclic integer counter (x + u) % 3', () => {
    const T = 10
    const dynamics: Fn3 = (_t, x, u) => remainder(add(x, u), 3)
    let X = trajectory(dynamics, ones([T, 1]), zeros([1]))
    allClose(
      X,
      Array.from({ length: T + 1 }, (_, i) => i % 3),
    )
    X = trajectory(dynamics, ones([T, 1]).mul(2), zeros([1]))
    const expected = concatenate([zeros([1]), remainder(cumsum(ones([T]).mul(2)), 3)])
    allClose(X, reshape(expected, [T + 1, 1]))
  })

  it('trajectory: time-varying dynamics (x + u)·clip(t − T, 0, 1)', () => {
    const T = 6
    const clip = (x: NdArray, lo: number, hi: number): NdArray => minimum(hi, maximum(lo, x))
    const dynamics: Fn3 = (t, x, u) => add(x, u).mul(clip(sub(t, T), 0, 1))
    const X = trajectory(dynamics, ones([2 * T, 1]), zeros([1]))
    allClose(X, [...zerosN(T + 1), ...Array.from({ length: T }, (_, i) => i)])
  })

  it('trajectory: a cyclic indicator through lax.dynamicSliceInDim', () => {
    const position = (x: NdArray): NdArray => sum(sub(1, cumsum(x)), { dtype: 'int32' })
    const dynamics: Fn3 = (_t, x, u) => {
      const idx = remainder(add(position(x), at(u, 0)), 3)
      return at(lax.dynamicSliceInDim(eye(3, { dtype: 'int32' }), idx, 1), 0)
    }
    const X = trajectory(dynamics, ones([8, 1], { dtype: 'int32' }), at(eye(3, { dtype: 'int32' }), 0))
    expect(X.dtype).toBe('int32')
    allClose(X, vstack([eye(3), eye(3), eye(3)]))
  })

  it('lqr_solve and lqr_predict on the one-step problem: K = −I, u₀ = −x₀, then rest', () => {
    const p = oneStepLqr(2, 10)
    const [K, k] = lqrSolve(p)
    allClose(K, rep(eye(2, { dtype: 'float64' }), 10).mul(-1), 1e-6)
    allClose(k, zerosN(20))
    const [X, U] = lqrPredict(p, x0)
    allClose(at(X, 0), x0)
    allClose(at(U, 0), neg(x0), 1e-6)
    allClose(lax.sliceInDim(X, 1, null), zerosN(20), 1e-6)
    allClose(lax.sliceInDim(U, 1, null), zerosN(18), 1e-6)
  })

  it('ilqr: the LQR problem given by its matrices and given generally (vmap of jacfwd∘grad)', () => {
    for (const p of [controlFromLqr(oneStepLqr(2, 10)), oneStepControl(2, 10)]) {
      const [X, U] = ilqr(3, p, x0, zeros([10, 2], { dtype: 'float64' }))
      allClose(at(X, 0), x0)
      allClose(at(U, 0), neg(x0), 1e-12)
      allClose(lax.sliceInDim(X, 1, null), zerosN(20), 1e-12)
      allClose(lax.sliceInDim(U, 1, null), zerosN(18), 1e-12)
    }
  })

  it('ilqr on a nonlinear problem, and mpc_predict with ilqr as the solver', () => {
    const cost: Fn3 = (t, x, u) => add(at(x, 0).pow(2), at(u, 0).pow(2).mul(1e-3)).div(add(t, 1).astype(x.dtype))
    const dynamics: Fn3 = (t, x, u) => sub(x.pow(2), u.pow(2)).div(add(t, 1).astype(x.dtype))
    const p: ControlSpec = { cost, dynamics, horizon: 10, stateDim: 1, controlDim: 1 }
    const xa = f64([0.2])
    const U0 = ones([10, 1], { dtype: 'float64' }).mul(1e-5)
    for (const [X, U] of [ilqr(7, p, xa, U0), mpcPredict((q, x, u) => ilqr(7, q, x, u), p, xa, U0)]) {
      allClose(at(X, 0), xa, 1e-2)
      allClose(at(U, 0).pow(2), xa.pow(2), 1e-2)
      allClose(lax.sliceInDim(X, 1, null), zerosN(10), 1e-2)
      allClose(lax.sliceInDim(U, 1, null), zerosN(9), 1e-2)
    }
    const lqr = controlFromLqr(oneStepLqr(2, 10))
    const [X, U] = mpcPredict((q, x, u) => ilqr(3, q, x, u), lqr, x0, zeros([10, 2], { dtype: 'float64' }))
    allClose(at(U, 0), neg(x0), 1e-12)
    allClose(lax.sliceInDim(X, 1, null), zerosN(20), 1e-12)
  })
})

function controlFromLqr(lqr: LqrSpec): ControlSpec {
  const [Q, q, R, r, M, A, B] = lqr
  const T = Q.shape[0] as number
  const dim = Q.shape[1] as number
  const cost: Fn3 = (t, x, u) =>
    add(
      add(add(add(dot(dot(at(Q, t), x), x), dot(at(q, t), x)), dot(dot(at(R, t), u), u)), dot(at(r, t), u)),
      dot(dot(at(M, t), u), x),
    )
  const dynamics: Fn3 = (t, x, u) => add(dot(at(A, t), x), dot(at(B, t), u))
  return { cost, dynamics, horizon: T, stateDim: dim, controlDim: dim }
}

/**
 * The "Deep Implicit Layers" tutorial, chapter 2 (implicit-layers-tutorial.org/implicit_functions,
 * JAX code): a fixed-point layer z* = tanh(W z* + x) found by naive forward iteration, Newton's
 * method (jax.jacobian + jnp.linalg.solve) and Anderson acceleration (a bordered least-squares
 * system solved with jnp.linalg.solve, X.at[k % m].set), differentiated by a custom_vjp with
 * nondiff_argnums=(0, 1) (the solver and f) whose backward pass solves the adjoint fixed point
 * u = vjp_z(u) + z̄ with the same solver. Here in float64; the forward solver is also written with
 * lax.whileLoop so the layer runs under jit. Expected values: the fixed-point residual (maths),
 * central finite differences of the tightly solved layer, and the implicit-function-theorem
 * Jacobian (I − ∂f/∂z)⁻¹ ∂f/∂x from jacobian + linalg.solve.
 */
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  concatenate,
  customVjp,
  div,
  dot,
  eye,
  grad,
  greater,
  jacobian,
  jit,
  lax,
  linalg,
  mul,
  ones,
  random,
  stack,
  sub,
  sum,
  tanh,
  tensordot,
  vjp,
  zeros,
  zerosLike,
  type NdArray,
} from 'wengert'

type Fz = (z: NdArray) => NdArray
type Solver = (f: Fz, z0: NdArray) => NdArray
type Layer = (W: NdArray, x: NdArray, z: NdArray) => NdArray

const f64 = { dtype: 'float64' } as const
const num = (a: NdArray): number => Number(a.item())
const TOL = 1e-12

const fwdSolver: Solver = (f, z0) => {
  let [zPrev, z] = [z0, f(z0)]
  for (let i = 0; i < 500 && num(linalg.norm(sub(zPrev, z))) > TOL; i++) [zPrev, z] = [z, f(z)]
  return z
}

/** The same iteration as a lax.whileLoop (carry [zPrev, z]): traceable, so it runs under jit. */
const whileSolver: Solver = (f, z0) => {
  const [, z] = lax.whileLoop(
    ([zPrev, z]: [NdArray, NdArray]) => greater(linalg.norm(sub(zPrev, z)), TOL),
    ([, z]: [NdArray, NdArray]) => [z, f(z)] as [NdArray, NdArray],
    [z0, f(z0)] as [NdArray, NdArray],
  )
  return z
}

const newtonSolver: Solver = (f, z0) => {
  const fRoot = (z: NdArray): NdArray => sub(f(z), z)
  const g = (z: NdArray): NdArray => sub(z, linalg.solve(jacobian(fRoot)(z) as NdArray, fRoot(z)))
  return fwdSolver(g, z0)
}

const andersonSolver: Solver = (f, z0) => {
  const [m, lam] = [5, 1e-10]
  const x1 = f(z0)
  const x2 = f(x1)
  let X = concatenate([stack([z0, x1]), zeros([m - 2, ...z0.shape], f64)])
  let F = concatenate([stack([x1, x2]), zeros([m - 2, ...z0.shape], f64)])
  let xk = x2
  for (let k = 2; k < 60; k++) {
    const n = Math.min(k, m)
    const G = sub(lax.sliceInDim(F, 0, n), lax.sliceInDim(X, 0, n))
    const GTG = tensordot(G, G, [[1], [1]])
    const top = concatenate([zeros([1, 1], f64), ones([1, n], f64)], 1)
    const bottom = concatenate([ones([n, 1], f64), GTG], 1)
    const H = add(concatenate([top, bottom], 0), mul(eye(n + 1, f64), lam))
    const alpha = lax.sliceInDim(
      linalg.solve(
        H,
        zeros([n + 1], f64)
          .at(0)
          .set(1),
      ),
      1,
      n + 1,
    )
    xk = dot(alpha, lax.sliceInDim(F, 0, n))
    X = X.at(k % m).set(xk)
    F = F.at(k % m).set(f(xk))
    const res =
      num(linalg.norm(sub(F.at(k % m).get(), X.at(k % m).get()))) / (1e-5 + num(linalg.norm(F.at(k % m).get())))
    if (res < TOL) break
  }
  return xk
}

/** custom_vjp with nondiff_argnums=(0, 1): the solver and f are not differentiated. */
const fixedPointLayer = customVjp(
  (solver: Solver, f: Layer, W: NdArray, x: NdArray): NdArray => solver((z) => f(W, x, z), zerosLike(x)),
  (solver: Solver, f: Layer, W: NdArray, x: NdArray) => {
    const zStar = solver((z) => f(W, x, z), zerosLike(x))
    return [zStar, [W, x, zStar]] as const
  },
  (solver: Solver, f: Layer, res: [NdArray, NdArray, NdArray], zBar: NdArray) => {
    const [W, x, zStar] = res
    const [, vjpA] = vjp((W: NdArray, x: NdArray) => f(W, x, zStar), W, x)
    const [, vjpZ] = vjp((z: NdArray) => f(W, x, z), zStar)
    const u = solver((u) => add((vjpZ(u) as NdArray[])[0] as NdArray, zBar), zerosLike(zStar))
    return vjpA(u) as NdArray[]
  },
  { nondiffArgnums: [0, 1] },
)

const layer: Layer = (W, x, z) => tanh(add(dot(W, z), x))
const ndim = 6
const W = div(random.normal(random.PRNGKey(0), [ndim, ndim], f64), 2 * Math.sqrt(ndim))
const x = random.normal(random.PRNGKey(1), [ndim], f64)

describe('Deep implicit layers (tutorial chapter 2): fixed points and their implicit gradients', () => {
  const zStar = fixedPointLayer(fwdSolver, layer, W, x)

  it('forward, Newton and Anderson solvers reach the same fixed point z* = tanh(W z* + x)', () => {
    expect(num(linalg.norm(sub(layer(W, x, zStar), zStar)))).toBeLessThan(1e-11)
    for (const solver of [newtonSolver, andersonSolver, whileSolver]) {
      const z = fixedPointLayer(solver, layer, W, x)
      expect(num(linalg.norm(sub(z, zStar)))).toBeLessThan(1e-9)
    }
  })

  it('the custom_vjp gradient in W equals central finite differences of the solved layer', () => {
    const loss = (W: NdArray): NdArray => sum(fixedPointLayer(fwdSolver, layer, W, x))
    const g = grad(loss)(W)
    const h = 1e-6
    for (const [i, j] of [
      [0, 0],
      [2, 3],
      [5, 1],
    ] as const) {
      const dW = zeros([ndim, ndim], f64).at(i, j).set(h)
      const fd = (num(loss(add(W, dW))) - num(loss(sub(W, dW)))) / (2 * h)
      expect(num(g.at(i, j).get())).toBeCloseTo(fd, 7)
    }
  })

  it('the gradient in x is the implicit-function-theorem row sum of (I − ∂f/∂z)⁻¹ ∂f/∂x', () => {
    const Jz = jacobian((z: NdArray) => layer(W, x, z))(zStar) as NdArray
    const Jx = jacobian((x: NdArray) => layer(W, x, zStar))(x) as NdArray
    const dzdx = linalg.solve(sub(eye(ndim, f64), Jz), Jx)
    const want = sum(dzdx, { axis: 0 })
    const got = grad((x: NdArray) => sum(fixedPointLayer(newtonSolver, layer, W, x)))(x)
    expect(num(linalg.norm(sub(got, want)))).toBeLessThan(1e-9)
  })

  it('with the lax.whileLoop solver the layer and its gradient run under jit and equal eager', () => {
    const loss = (W: NdArray, x: NdArray): NdArray => sum(mul(fixedPointLayer(whileSolver, layer, W, x), x))
    const eager = grad(loss, { argnums: [0, 1] })(W, x) as NdArray[]
    const jitted = jit(grad(loss, { argnums: [0, 1] }))(W, x) as NdArray[]
    for (const [a, b] of [0, 1].map((k) => [eager[k], jitted[k]] as [NdArray, NdArray]))
      expect(num(linalg.norm(sub(a, b)))).toBeLessThan(1e-12)
    expect(
      num(linalg.norm(sub(jit((W: NdArray, x: NdArray) => fixedPointLayer(whileSolver, layer, W, x))(W, x), zStar))),
    ).toBeLessThan(1e-9)
  })

  it('bwd gets the nondiff arguments first and returns cotangents only for the others', () => {
    expect(array([1]).ndim).toBe(1)
    const scaled = customVjp(
      (k: number, y: NdArray) => mul(y, k),
      (k: number, y: NdArray) => [mul(y, k), null] as const,
      (k: number, _res: null, g: NdArray) => [mul(g, 10 * k)],
      { nondiffArgnums: 0 },
    )
    expect(num(grad((y: NdArray) => scaled(3, y))(array(2, f64)))).toBe(30)
  })
})

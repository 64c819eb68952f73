/**
 * Entropic optimal transport by log-domain Sinkhorn iterations, ported from
 * ucu-computational-ot/ot-algorithm-comparison, algorithms/sinkhorn.py (JAX, x64): log-kernel
 * −C/ε, potentials updated with jax.scipy.special.logsumexp inside lax.fori_loop, plan
 * exp(ln u + ln K + ln v), cost Σ P·C. Extended as users do: the iteration also as a lax.scan
 * that returns the marginal error of every step, the cost differentiated through the unrolled
 * loop with respect to the point positions (C = squared distances), vmap over a batch of
 * problems and jit, each equal to eager. Expected values: a plain float64 JavaScript
 * Sinkhorn–Knopp (multiplicative scalings, no logs) for the plan and cost, its central finite
 * differences for the gradient, and the marginal constraints (maths).
 */
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  div,
  exp,
  expandDims,
  full,
  grad,
  jit,
  lax,
  log,
  mul,
  neg,
  random,
  scipy,
  square,
  stack,
  sub,
  sum,
  transpose,
  vmap,
  type NdArray,
} from 'wengert'

const f64 = { dtype: 'float64' } as const
const { logsumexp } = scipy.special
const NITER = 200
const EPS = 0.1

/** The ported solver: [plan, cost] after NITER log-domain iterations in fori_loop. */
const sinkhorn = (mu: NdArray, nu: NdArray, C: NdArray, epsilon = EPS, niter = NITER): [NdArray, NdArray] => {
  const lnK = div(neg(C), epsilon)
  const [lnMu, lnNu] = [log(mu), log(nu)]
  const body = (_i: NdArray, [, lnV]: [NdArray, NdArray]): [NdArray, NdArray] => {
    const u = sub(lnMu, logsumexp(add(lnK, expandDims(lnV, 0)), { axis: 1 }))
    const v = sub(lnNu, logsumexp(add(transpose(lnK), expandDims(u, 0)), { axis: 1 }))
    return [u, v]
  }
  const init: [NdArray, NdArray] = [full(mu.shape, 1, f64), full(nu.shape, 1, f64)]
  const [lnU, lnV] = lax.foriLoop(0, niter, body, init)
  const plan = exp(add(add(expandDims(lnU, 1), lnK), expandDims(lnV, 0)))
  return [plan, sum(mul(plan, C))]
}

const sqDist = (x: NdArray, y: NdArray): NdArray => sum(square(sub(expandDims(x, 1), expandDims(y, 0))), { axis: -1 })

/** Reference: Sinkhorn–Knopp with scalings u, v in float64 JavaScript. */
const refSinkhorn = (mu: number[], nu: number[], C: number[][]): { plan: number[][]; cost: number } => {
  const K = C.map((row) => row.map((c) => Math.exp(-c / EPS)))
  let u = mu.map(() => Math.E)
  let v = nu.map(() => Math.E)
  for (let it = 0; it < NITER; it++) {
    u = mu.map((m, i) => m / (K[i] as number[]).reduce((s, k, j) => s + k * (v[j] as number), 0))
    v = nu.map((n, j) => n / K.reduce((s, row, i) => s + (row[j] as number) * (u[i] as number), 0))
  }
  const plan = K.map((row, i) => row.map((k, j) => (u[i] as number) * k * (v[j] as number)))
  const cost = plan.reduce((s, row, i) => s + row.reduce((t, p, j) => t + p * ((C[i] as number[])[j] as number), 0), 0)
  return { plan, cost }
}
const refCost = (x: number[][], y: number[][], mu: number[], nu: number[]): number =>
  refSinkhorn(
    mu,
    nu,
    x.map((a) => y.map((b) => a.reduce((s, ai, k) => s + (ai - (b[k] as number)) ** 2, 0))),
  ).cost

const toList = (a: NdArray): number[] => Array.from(a.toTypedArray(), Number)
const toRows = (a: NdArray): number[][] => (a.tolist() as number[][]).map((r) => r.map(Number))

const [kx, ky] = random.split(random.PRNGKey(3)) as unknown as [NdArray, NdArray]
const x = random.normal(kx, [5, 2], f64)
const y = add(random.normal(ky, [4, 2], f64), 0.5)
const mu = array([0.1, 0.2, 0.3, 0.25, 0.15], f64)
const nu = array([0.4, 0.1, 0.3, 0.2], f64)

describe('log-domain Sinkhorn (ot-algorithm-comparison algorithms/sinkhorn.py)', () => {
  const [plan, cost] = sinkhorn(mu, nu, sqDist(x, y))

  it('plan and cost equal a float64 Sinkhorn–Knopp reference; the plan has the prescribed marginals', () => {
    const ref = refSinkhorn(toList(mu), toList(nu), toRows(sqDist(x, y)))
    toRows(plan).forEach((row, i) =>
      row.forEach((p, j) => expect(p).toBeCloseTo((ref.plan[i] as number[])[j] as number, 12)),
    )
    expect(Number(cost.item())).toBeCloseTo(ref.cost, 12)
    toList(sum(plan, { axis: 1 })).forEach((r, i) => expect(r).toBeCloseTo(toList(mu)[i] as number, 10))
    toList(sum(plan, { axis: 0 })).forEach((c, j) => expect(c).toBeCloseTo(toList(nu)[j] as number, 10))
  })

  it('a lax.scan version reports a marginal error that falls to zero, and ends at the same potentials', () => {
    const lnK = div(neg(sqDist(x, y)), EPS)
    const step = ([, lnV]: [NdArray, NdArray]): [[NdArray, NdArray], NdArray] => {
      const u = sub(log(mu), logsumexp(add(lnK, expandDims(lnV, 0)), { axis: 1 }))
      const v = sub(log(nu), logsumexp(add(transpose(lnK), expandDims(u, 0)), { axis: 1 }))
      const rowErr = sum(square(sub(sum(exp(add(add(expandDims(u, 1), lnK), expandDims(v, 0))), { axis: 1 }), mu)))
      return [[u, v], rowErr]
    }
    const init: [NdArray, NdArray] = [full([5], 1, f64), full([4], 1, f64)]
    const [[lnU, lnV], errs] = lax.scan(step, init, null, { length: NITER })
    const e = toList(errs)
    expect(e).toHaveLength(NITER)
    expect(e[0] as number).toBeGreaterThan(1e-4)
    expect(e[NITER - 1] as number).toBeLessThan(1e-24)
    const planScan = exp(add(add(expandDims(lnU, 1), lnK), expandDims(lnV, 0)))
    expect(Math.max(...toList(sub(planScan, plan)).map(Math.abs))).toBeLessThan(1e-14)
  })

  it('grad of the cost in the source points equals central differences of the reference', () => {
    const loss = (x: NdArray): NdArray => sinkhorn(mu, nu, sqDist(x, y))[1]
    const g = toRows(grad(loss)(x))
    const [xs, ys] = [toRows(x), toRows(y)]
    const h = 1e-5
    for (const [i, k] of [
      [0, 0],
      [2, 1],
      [4, 0],
    ] as const) {
      const shift = (d: number): number[][] => xs.map((r, a) => r.map((v, b) => (a === i && b === k ? v + d : v)))
      const fd =
        (refCost(shift(h), ys, toList(mu), toList(nu)) - refCost(shift(-h), ys, toList(mu), toList(nu))) / (2 * h)
      expect((g[i] as number[])[k] as number).toBeCloseTo(fd, 7)
    }
  })

  it('jit and vmap over a batch of problems equal eager', () => {
    const solve = (x: NdArray, y: NdArray): NdArray => sinkhorn(mu, nu, sqDist(x, y), EPS, 30)[1]
    expect(Number(jit(solve)(x, y).item())).toBeCloseTo(Number(solve(x, y).item()), 13)
    const ys = stack([y, add(y, 1), mul(y, 2)])
    const batched = toList(vmap(solve, { inAxes: [null, 0] })(x, ys))
    const eager = [0, 1, 2].map((b) => Number(solve(x, ys.at(b).get()).item()))
    batched.forEach((c, b) => expect(c).toBeCloseTo(eager[b] as number, 12))
    const gJit = toList(jit(grad(solve))(x, y))
    const gEager = toList(grad(solve)(x, y))
    gJit.forEach((v, i) => expect(v).toBeCloseTo(gEager[i] as number, 12))
  })
})

/**
 * scipy.special.hyp2f1, fresnel, lpmn and lpmnValues against SciPy 1.10
 * (test/fixtures/scipy/special4.json, made by scripts/fixtures/scipy_special4.py); their
 * derivatives against float64 central differences; jit and vmap; the refusals.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  array,
  grad,
  jit,
  jvp,
  scipy,
  vmap,
  DTypeError,
  ShapeError,
  ValueError,
  type NdArray,
} from '../../../src/index'

type Num = number | string
const fx = JSON.parse(readFileSync(new URL('../../fixtures/scipy/special4.json', import.meta.url), 'utf8')) as {
  hyp2f1: Num[][]
  fresnel: Num[][]
  lpmn: { z: number[]; p: number[][][]; dp: Num[][][] }
}
const num = (v: Num): number => (typeof v === 'number' ? v : Number(v.replace('inf', 'Infinity')))
const f64 = (v: number | number[]): NdArray => array(v, { dtype: 'float64' })
const near = (got: number, want: number, rtol: number): void => {
  if (!Number.isFinite(want)) expect(got).toBe(want)
  else expect(Math.abs(got - want)).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(want)))
}
const scalar = (x: NdArray): number => Number(x.item())

describe('scipy.special.hyp2f1', () => {
  it('matches SciPy on every branch (series, Pfaff, Euler, 1 − x, integer gaps, polynomials, special cases)', () => {
    const col = (i: number): NdArray => f64(fx.hyp2f1.map((r) => num(r[i]!)))
    const got = scipy.special.hyp2f1(col(0), col(1), col(2), col(3)).toArray() as number[]
    fx.hyp2f1.forEach((r, i) => near(got[i]!, num(r[4]!), 1e-12))
  })
  it('keeps weak numbers weak and checks broadcasting', () => {
    expect(scipy.special.hyp2f1(1, 1, 2, 0.5).dtype).toBe('float32')
    expect(scipy.special.hyp2f1(1, 1, 2, f64(0.5)).dtype).toBe('float64')
    expect(() => scipy.special.hyp2f1(f64([1, 2]), 1, 2, f64([0.1, 0.2, 0.3]))).toThrow(/hyp2f1/)
  })
  it('has forward-mode derivatives matching central differences in every argument', () => {
    const args = [0.7, 1.3, 2.4, 0.6]
    // c − a − b an integer past 0.9 (the last point): the limit formula holds the gap fixed, so only x
    for (const at of [args, [0.7, 1.3, 2.4, -2.5], [0.3, 0.7, 2.2, 0.95], [0.5, 1.5, 3, 0.93]]) {
      for (let i = at[3] === 0.93 ? 3 : 0; i < 4; i++) {
        const f = (v: NdArray): NdArray => {
          const a = at.map((x, j) => (j === i ? v : f64(x)))
          return scipy.special.hyp2f1(a[0]!, a[1]!, a[2]!, a[3]!)
        }
        const [, t] = jvp(f, [f64(at[i]!)], [f64(1)])
        const h = 1e-6
        const fd = (scalar(f(f64(at[i]! + h))) - scalar(f(f64(at[i]! - h)))) / (2 * h)
        near(scalar(t), fd, 1e-6)
      }
    }
  })
  it('raises under grad, as JAX (its series is a while loop)', () => {
    expect(() => grad((x: NdArray) => scipy.special.hyp2f1(1, 1, 2, x))(f64(0.5))).toThrow(
      /Reverse-mode differentiation/,
    )
  })
  it('runs under jit and vmap', () => {
    const x = f64([0.1, -3, 0.95])
    const want = scipy.special.hyp2f1(0.5, 1.5, 2.7, x).toArray()
    expect(jit((v: NdArray) => scipy.special.hyp2f1(0.5, 1.5, 2.7, v))(x).toArray()).toEqual(want)
    const per = vmap((v: NdArray) => scipy.special.hyp2f1(0.5, 1.5, 2.7, v))(x).toArray() as number[]
    per.forEach((v, i) => near(v, (want as number[])[i]!, 1e-14))
  })
})

describe('scipy.special.fresnel', () => {
  it('matches SciPy to a few ulps, ±0.5 at ±inf, odd', () => {
    const x = f64(fx.fresnel.map((r) => num(r[0]!)))
    const [s, c] = scipy.special.fresnel(x)
    const ss = s.toArray() as number[]
    const cc = c.toArray() as number[]
    fx.fresnel.forEach((r, i) => {
      near(ss[i]!, num(r[1]!), 1e-14)
      near(cc[i]!, num(r[2]!), 1e-14)
    })
  })
  it('has S′ = sin(πx²/2), C′ = cos(πx²/2), matching central differences, to second order', () => {
    for (const x0 of [0.3, 1.2, 1.7, 4.1, -2.2]) {
      const h = 1e-6
      const fd = (k: 0 | 1): number =>
        (scalar(scipy.special.fresnel(f64(x0 + h))[k]) - scalar(scipy.special.fresnel(f64(x0 - h))[k])) / (2 * h)
      near(scalar(grad((v: NdArray) => scipy.special.fresnel(v)[0])(f64(x0))), fd(0), 1e-7)
      near(scalar(grad((v: NdArray) => scipy.special.fresnel(v)[1])(f64(x0))), fd(1), 1e-7)
      const second = grad(grad((v: NdArray) => scipy.special.fresnel(v)[0]))(f64(x0))
      near(scalar(second), Math.PI * x0 * Math.cos((Math.PI * x0 * x0) / 2), 1e-12)
    }
  })
  it('runs under jit and vmap, float32 in float32 out', () => {
    const x = f64([0.2, 1.5, 9])
    const [s] = scipy.special.fresnel(x)
    expect(jit((v: NdArray) => scipy.special.fresnel(v)[0])(x).toArray()).toEqual(s.toArray())
    const vs = vmap((v: NdArray) => scipy.special.fresnel(v)[0])(x).toArray() as number[]
    vs.forEach((v, i) => near(v, (s.toArray() as number[])[i]!, 1e-15))
    const [s32, c32] = scipy.special.fresnel(array([1, 3]))
    expect(s32.dtype).toBe('float32')
    expect(Math.abs(Number((c32.toArray() as number[])[0]) - 0.7798934)).toBeLessThan(1e-6)
  })
})

describe('scipy.special.lpmn / lpmnValues', () => {
  const z = f64(fx.lpmn.z)
  it('matches SciPy: values and derivatives (with the limits at ±1), order × degree × point', () => {
    const [p, dp] = scipy.special.lpmn(4, 4, z)
    expect(p.shape).toEqual([5, 5, 6])
    const pv = p.toArray() as number[][][]
    const dv = dp.toArray() as number[][][]
    fx.lpmn.p.forEach((row, m) => row.forEach((pts, l) => pts.forEach((w, k) => near(pv[m]![l]![k]!, w, 1e-12))))
    fx.lpmn.dp.forEach((row, m) => row.forEach((pts, l) => pts.forEach((w, k) => near(dv[m]![l]![k]!, num(w), 1e-11))))
  })
  it('normalises with √((2l+1)(l−m)!/(4π(l+m)!))', () => {
    const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1))
    const n = scipy.special.lpmnValues(4, 4, z, true).toArray() as number[][][]
    fx.lpmn.p.forEach((row, m) =>
      row.forEach((pts, l) =>
        pts.forEach((w, k) => {
          const c = m > l ? 0 : Math.sqrt(((2 * l + 1) * fact(l - m)) / (4 * Math.PI * fact(l + m)))
          near(n[m]![l]![k]!, c * w, 1e-12)
        }),
      ),
    )
    expect(scipy.special.lpmnValues(4, 4, z, false).toArray()).toEqual(scipy.special.lpmn(4, 4, z)[0].toArray())
  })
  it('is differentiable: grad of P₃¹ matches its derivative column', () => {
    const f = (v: NdArray): NdArray => scipy.special.lpmnValues(3, 3, v, false)
    const g = grad((v: NdArray) => f(v).sum())(f64([0.3]))
    const [, dp] = scipy.special.lpmn(3, 3, f64([0.3]))
    const want = (dp.toArray() as number[][][]).flat(2).reduce((a, b) => a + b, 0)
    near(Number((g.toArray() as number[])[0]), want, 1e-12)
  })
  it('refuses as JAX: m ≠ n, a non-1-D or integer z; sphHarm is complex', () => {
    expect(() => scipy.special.lpmn(2, 3, z)).toThrow(/m!=n are not yet supported/)
    expect(() => scipy.special.lpmn(2, 2, array([[0.1]], { dtype: 'float64' }))).toThrow(ShapeError)
    expect(() => scipy.special.lpmn(2, 2, array([1], { dtype: 'int32' }))).toThrow(DTypeError)
    expect(() => scipy.special.lpmnValues(-1, -1, z, true)).toThrow(ValueError)
    expect(() => scipy.special.sphHarm(z, z, z, z)).toThrow(/complex/)
    expect(() => scipy.special.sphHarmY(z, z, z, z)).toThrow(DTypeError)
  })
})

describe('scipy.optimize.OptimizeResults', () => {
  it("is what minimize returns, with JAX's fields in JAX's order", () => {
    const f = (x: NdArray): NdArray =>
      x
        .sub(f64([1, -2]))
        .square()
        .sum()
    const r = scipy.optimize.minimize(f, f64([0, 0]), [], { method: 'BFGS' })
    expect(Object.keys(r)).toEqual(['x', 'success', 'status', 'fun', 'jac', 'hess_inv', 'nfev', 'njev', 'nit'])
    expect(Object.isFrozen(r)).toBe(true)
  })
  it('checks its fields', () => {
    const z = f64(0)
    const ok = { x: z, success: z, status: z, fun: z, jac: z, hess_inv: z, nfev: z, njev: z, nit: z }
    expect(scipy.optimize.OptimizeResults(ok).fun).toBe(z)
    expect(() => scipy.optimize.OptimizeResults({ ...ok, extra: z } as typeof ok)).toThrow(/unexpected field/)
    const { nit: _drop, ...short } = ok
    expect(() => scipy.optimize.OptimizeResults(short as typeof ok)).toThrow(/missing required field 'nit'/)
  })
})

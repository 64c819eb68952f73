/**
 * scipy.special expi, exp1, expn, spence, sici and hyp1f1 against SciPy 1.10
 * (fixtures/scipyExpint.py makes the JSON) in float64 and float32, their derivatives against
 * float64 central differences, and jit / vmap against the eager values.
 */
import { describe, expect, it } from 'vitest'
import { array, grad, jit, scipy, vmap, type NdArray } from '../../src/index'
import fixture from './fixtures/scipyExpint.json'

const sp = scipy.special
type Fn = (...a: NdArray[]) => NdArray
const fns: Record<string, Fn> = {
  expi: sp.expi,
  exp1: sp.exp1,
  expn: (n, x) => sp.expn(n!, x!),
  spence: sp.spence,
  si: (x) => sp.sici(x!)[0],
  ci: (x) => sp.sici(x!)[1],
  hyp1f1: (a, b, x) => sp.hyp1f1(a!, b!, x!),
}

const close = (got: number, wanted: number | string, rtol: number, what: string): void => {
  const want = Number(wanted)
  if (!Number.isFinite(want)) expect(got, what).toBe(want)
  else
    expect(Math.abs(got - want), `${what}: ${got} vs ${want}`).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(want)))
}

describe('scipy.special exponential integrals, spence, sici, hyp1f1 against SciPy 1.10', () => {
  it.each(Object.entries(fixture))('%s (float64 and float32)', (name, cases) => {
    for (const [args, want] of cases as Array<[Array<number | string>, number | string]>) {
      const xs = args.map(Number)
      const what = `${name}(${xs.join(', ')})`
      close(fns[name]!(...xs.map((v) => array(v, { dtype: 'float64' }))).item() as number, want, 1e-12, what)
      const w = Number(want)
      // float32: skip values outside its range (they overflow or underflow, as they should)
      if (Number.isFinite(w) && (Math.abs(w) > 3e38 || (w !== 0 && Math.abs(w) < 1e-30))) continue
      if (xs.some((v) => Math.abs(v) > 1e5 && Number.isFinite(v))) continue
      close(fns[name]!(...xs.map((v) => array(v, { dtype: 'float32' }))).item() as number, want, 2e-5, `${what} f32`)
    }
  })

  it('keeps JAX conventions where SciPy differs: hyp1f1(0, 0, x) = 1, expi(inf) = inf, sici at -inf', () => {
    expect(sp.hyp1f1(0, 0, 1).item()).toBe(1)
    expect(sp.expi(Infinity).item()).toBe(Infinity)
    const [si, ci] = sp.sici(array([-Infinity, -2]))
    expect(si.toArray()).toEqual([-Math.PI / 2, -(sp.sici(2)[0].item() as number)].map(Math.fround))
    expect((ci.toArray() as number[])[0]).toBeNaN()
  })

  it('gives float32 for float32 input and float32 for JS numbers', () => {
    expect(sp.expi(array([1], { dtype: 'float32' })).dtype).toBe('float32')
    expect(sp.expn(2, array([1], { dtype: 'float64' })).dtype).toBe('float64')
    expect(sp.hyp1f1(1, 2, 3).dtype).toBe('float32')
    // two JS numbers next to a float64 array stay float64 (3.3 is not rounded to float32 first)
    expect(sp.hyp1f1(3.3, 4.2, array(1.5, { dtype: 'float64' })).item()).toBeCloseTo(3.3594479282832856, 14)
  })
})

describe('derivatives against float64 central differences', () => {
  const f64 = (v: number): NdArray => array(v, { dtype: 'float64' })
  const cases: Array<[string, (x: NdArray) => NdArray, number]> = [
    ['expi', sp.expi, 0.7],
    ['expi', sp.expi, -2.3],
    ['expi', sp.expi, 45],
    ['exp1', sp.exp1, 1.7],
    ['expn(3)', (x) => sp.expn(3, x), 0.6],
    ['expn(3)', (x) => sp.expn(3, x), 2.6],
    ['expn(0)', (x) => sp.expn(0, x), 2.6],
    ['spence', sp.spence, 0.3],
    ['spence', sp.spence, 1],
    ['spence', sp.spence, 3.5],
    ['si', (x) => sp.sici(x)[0], 2.5],
    ['si', (x) => sp.sici(x)[0], -6],
    ['ci', (x) => sp.sici(x)[1], 6.5],
    ['hyp1f1 in x', (x) => sp.hyp1f1(1.3, 2.2, x), 1.5],
    ['hyp1f1 in x (x < 0)', (x) => sp.hyp1f1(1.3, 2.2, x), -4.5],
    ['hyp1f1 in a', (a) => sp.hyp1f1(a, 2.2, 1.5), 1.3],
    ['hyp1f1 in b', (b) => sp.hyp1f1(1.3, b, 1.5), 2.2],
  ]
  it.each(cases)('%s at %s', (_, f, x) => {
    const h = 1e-6 * Math.max(1, Math.abs(x))
    const num = ((f(f64(x + h)).item() as number) - (f(f64(x - h)).item() as number)) / (2 * h)
    const g = grad(f)(f64(x)).item() as number
    expect(Math.abs(g - num)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(num)))
  })

  it('second derivatives in x (the rules use the differentiable calls)', () => {
    const x = f64(1.5)
    const e = Math.exp(-1.5)
    expect(grad(grad(sp.exp1))(x).item()).toBeCloseTo((e * 2.5) / 2.25, 12)
    expect(grad(grad((v: NdArray) => sp.expn(3, v)))(x).item()).toBeCloseTo(sp.expn(1, x).item() as number, 12)
    // d²/dx² ₁F₁(a; b; x) = a(a+1)/(b(b+1))·₁F₁(a+2; b+2; x)
    const want = ((1.3 * 2.3) / (2.2 * 3.2)) * (sp.hyp1f1(3.3, 4.2, x).item() as number)
    expect(grad(grad((v: NdArray) => sp.hyp1f1(1.3, 2.2, v)))(x).item()).toBeCloseTo(want, 10)
    expect(() => grad(grad((a: NdArray) => sp.hyp1f1(a, 2.2, 1.5)))(f64(1.3))).toThrow(/while_loop/)
  })

  it('Si has derivative 1 at 0 and spence −1 at 1 (the limits)', () => {
    expect(grad((x: NdArray) => sp.sici(x)[0])(f64(0)).item()).toBe(1)
    expect(grad(sp.spence)(f64(1)).item()).toBe(-1)
  })
})

describe('jit and vmap', () => {
  const xs = array([0.5, 1.5, 3, 7, 60], { dtype: 'float64' })
  const unary: Array<[string, (x: NdArray) => NdArray]> = [
    ['expi', sp.expi],
    ['exp1', sp.exp1],
    ['expn', (x) => sp.expn(2, x)],
    ['spence', sp.spence],
    ['si', (x) => sp.sici(x)[0]],
    ['ci', (x) => sp.sici(x)[1]],
    ['hyp1f1', (x) => sp.hyp1f1(0.5, 1.5, x)],
  ]
  const near = (got: NdArray, want: NdArray): void =>
    (want.toArray() as number[]).forEach((w, i) =>
      expect(Math.abs((got.toArray() as number[])[i]! - w)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(w))),
    )
  it.each(unary)('%s', (_, f) => {
    const want = f(xs)
    near(jit(f)(xs), want)
    near(vmap(f)(xs), want)
    const g = vmap(grad(f))(xs)
    ;(xs.toArray() as number[]).forEach((x, i) =>
      expect((g.toArray() as number[])[i]).toBe(grad(f)(array(x, { dtype: 'float64' })).item()),
    )
  })
  it('expn batches its order', () => {
    const ns = array([0, 1, 2, 5, 9], { dtype: 'float64' })
    const got = vmap((n: NdArray, x: NdArray) => sp.expn(n, x))(ns, xs).toArray() as number[]
    ;[0, 1, 2, 5, 9].forEach((n, i) =>
      close(
        got[i]!,
        sp.expn(n, array((xs.toArray() as number[])[i]!, { dtype: 'float64' })).item() as number,
        1e-14,
        `n=${n}`,
      ),
    )
  })
})

/**
 * scipy.stats.rankdata / mode / sem against SciPy 1.10's values (test/fixtures/scipy/statsExtra.json,
 * made by scripts/fixtures/scipy_stats_extra.py): every rankdata method flattened and along each
 * axis, mode along each axis, sem with ddof/axis/nan_policy; JAX's refusals; jit and gradients.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { array, checkGrads, jit, scipy, ValueError, type NdArray } from '../../../src/index'

type Num = number | null
interface Fixture {
  readonly rankdata: {
    a: number[][]
    flat: Record<string, Num[]>
    axis0: Record<string, Num[]>
    axis1: Record<string, Num[]>
  }
  readonly mode: { a: number[][] } & Record<'axis0' | 'axis1' | 'flat', { mode: number[]; count: number[] }>
  readonly sem: { a: Num[]; shape: number[] } & Record<
    'axis0' | 'axis1_ddof0' | 'flat' | 'omit0' | 'omit1_ddof2',
    Num[]
  >
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/scipy/statsExtra.json', import.meta.url), 'utf8')) as Fixture
const vals = (x: NdArray): number[] => Array.from(x.toTypedArray() as ArrayLike<number>)
const close = (got: number[], want: Num[]): void => {
  expect(got.length).toBe(want.length)
  got.forEach((g, i) => {
    const w = want[i]
    if (w === null || w === undefined) expect(g).toBeNaN()
    else expect(Math.abs(g - w)).toBeLessThan(1e-12 * Math.max(1, Math.abs(w)))
  })
}
const S = scipy.stats
const methods = ['average', 'min', 'max', 'dense', 'ordinal'] as const

describe('rankdata', () => {
  const a = array(fx.rankdata.a, { dtype: 'float64' })
  it.each(methods)('%s matches SciPy flattened and along each axis', (m) => {
    close(vals(S.rankdata(a, m)), fx.rankdata.flat[m] as Num[])
    close(vals(S.rankdata(a, m, { axis: 0 })), fx.rankdata.axis0[m] as Num[])
    close(vals(S.rankdata(a, m, { axis: -1 })), fx.rankdata.axis1[m] as Num[])
  })
  it('gives float32 for integers, NaN for a slice holding NaN, and traces under jit', () => {
    expect(S.rankdata(array([3, 1, 2], { dtype: 'int32' })).dtype).toBe('float32')
    expect(
      vals(
        S.rankdata(
          array([
            [1, NaN],
            [2, 0],
          ]),
          'min',
          { axis: 1 },
        ),
      ),
    ).toEqual([NaN, NaN, 2, 1])
    expect(vals(jit((x: NdArray) => S.rankdata(x, 'max'))(array([3, 1, 3, 2])))).toEqual([4, 1, 4, 2])
  })
  it('refuses a bad method or nan_policy', () => {
    expect(() => S.rankdata(array([1, 2]), 'mean' as 'min')).toThrow(/unknown method "mean"/)
    expect(() => S.rankdata(array([1, 2]), 'min', { nanPolicy: 'omit' })).toThrow(ValueError)
    expect(() => S.rankdata(array([1, 2]), 'min', { nanPolicy: 'skip' as 'omit' })).toThrow(/illegal nan_policy/)
    expect(() => S.rankdata(array([1, 2]), 'min', { axis: 2 })).toThrow()
  })
})

describe('mode', () => {
  const a = array(fx.mode.a, { dtype: 'int32' })
  it.each([
    ['axis0', 0],
    ['axis1', 1],
    ['flat', null],
  ] as const)('matches SciPy (%s)', (key, axis) => {
    const [m, c] = S.mode(a, { axis })
    expect(vals(m).map(Number)).toEqual(fx.mode[key].mode)
    expect(vals(c).map(Number)).toEqual(fx.mode[key].count)
    expect([m.dtype, c.dtype]).toEqual(['int32', 'int32'])
  })
  it('keeps dims on request, and refuses omit/raise', () => {
    expect(S.mode(a, { axis: 1, keepdims: true })[0].shape).toEqual([3, 1])
    expect(S.mode(a, { axis: null, keepdims: true })[1].shape).toEqual([1, 1])
    expect(() => S.mode(a, { nanPolicy: 'raise' })).toThrow(ValueError)
  })
})

describe('sem', () => {
  const a = array(
    fx.sem.a.map((v) => (v === null ? NaN : v)),
    { dtype: 'float64' },
  ).reshape(fx.sem.shape)
  it('matches SciPy for each axis, ddof and nan_policy', () => {
    close(vals(S.sem(a)), fx.sem.axis0)
    close(vals(S.sem(a, { axis: 1, ddof: 0 })), fx.sem.axis1_ddof0)
    close(vals(S.sem(a, { axis: null })), fx.sem.flat)
    close(vals(S.sem(a, { nanPolicy: 'omit' })), fx.sem.omit0)
    close(vals(S.sem(a, { axis: 1, ddof: 2, nanPolicy: 'omit' })), fx.sem.omit1_ddof2)
    expect(S.sem(a, { axis: 1, keepdims: true }).shape).toEqual([3, 1])
  })
  it('refuses nan_policy raise and differentiates', () => {
    expect(() => S.sem(a, { nanPolicy: 'raise' })).toThrow(/raise"? is not supported/)
    checkGrads((x: NdArray) => S.sem(x, { axis: null }), [array([0.5, 2, -1, 3.5], { dtype: 'float64' })], { order: 2 })
  })
})

/**
 * The jnp additions of session 7 (src/ops/numpyExtra/*): values against NumPy
 * (fixtures/numpyExtra.py → numpyExtra.json), derivatives against float64 finite differences
 * (checkGrads), JAX's conventions at special points, and argument errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as w from 'wengert'
import { array, checkGrads, grad, jit, type NdArray } from 'wengert'
import { expectClose, f64 } from './../transforms/helpers'

type Nested = number | ReadonlyArray<Nested>
const ref = JSON.parse(readFileSync(new URL('./fixtures/numpyExtra.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>
const get = (k: string): Nested => ref[k] as Nested
const table = (k: string): Record<string, Nested> => ref[k] as Record<string, Nested>
const arr = (k: string): NdArray => f64(get(k) as number[][])
const [x, y, pos, m, t] = ['x', 'y', 'pos', 'm', 't'].map(arr) as [NdArray, NdArray, NdArray, NdArray, NdArray]
const close = (a: NdArray, k: string | Nested, rtol = 1e-13): void =>
  expectClose(a, (typeof k === 'string' ? get(k) : k) as number[], { rtol, atol: 1e-14 })
const nanx = f64((get('nanx') as ReadonlyArray<ReadonlyArray<number | string>>).map((r) => r.map(Number)))

describe('element-wise additions against NumPy (float64)', () => {
  const unary: Record<string, (v: NdArray) => NdArray> = {
    exp2: w.exp2,
    cbrt: w.cbrt,
    sinc: w.sinc,
    deg2rad: w.deg2rad,
    rad2deg: w.rad2deg,
  }
  for (const [name, f] of Object.entries(unary)) {
    it(name, () => {
      close(f(x), table('unary')[name] as Nested)
      checkGrads(f, [x], { order: 2 })
    })
  }
  for (const [name, f] of Object.entries({ log2: w.log2, log10: w.log10 })) {
    it(name, () => {
      close(f(pos), table('positive')[name] as Nested)
      checkGrads(f, [w.add(pos, 1)], { order: 2 })
    })
  }
  const binary: Record<string, (a: NdArray, b: NdArray) => NdArray> = {
    hypot: w.hypot,
    logaddexp: w.logaddexp,
    logaddexp2: w.logaddexp2,
    copysign: w.copysign,
    fmod: w.fmod,
    mod: w.mod,
  }
  for (const [name, f] of Object.entries(binary)) {
    it(name, () => {
      close(f(x, y), table('binary')[name] as Nested, 1e-12)
      checkGrads(f, [x, y], { order: name === 'fmod' || name === 'mod' || name === 'copysign' ? 1 : 2 })
    })
  }
  it('heaviside, signbit, isinf family, nanToNum', () => {
    close(w.heaviside(f64([-1, 0, 2]), 0.25), 'heaviside')
    expect(w.signbit(f64([-0, 0, -3, NaN])).toArray()).toEqual([true, false, true, false])
    expect(w.isinf(f64([Infinity, -Infinity, NaN, 1])).toArray()).toEqual([true, true, false, false])
    expect(w.isinf(array([1], { dtype: 'int32' })).toArray()).toEqual([false])
    expect(w.isposinf(f64([Infinity, -Infinity])).toArray()).toEqual([true, false])
    expect(w.nanToNum(f64([NaN, Infinity]), { nan: -1, posinf: 9 }).toArray()).toEqual([-1, 9])
  })
  it('isclose, allclose, arrayEqual follow NumPy', () => {
    const a = f64([1, Infinity, NaN, 1e-9, 100])
    const b = f64([1 + 1e-6, Infinity, NaN, 0, 100.002])
    expect(w.isclose(a, b).toArray()).toEqual([true, true, false, true, false])
    expect(w.isclose(a, b, { equalNan: true, rtol: 1e-4 }).toArray()).toEqual([true, true, true, true, true])
    expect(w.allclose(a, b).item()).toBe(false)
    expect(w.arrayEqual(f64([1, NaN]), f64([1, NaN]), { equalNan: true }).item()).toBe(true)
    expect(w.arrayEqual(f64([1, NaN]), f64([1, NaN])).item()).toBe(false)
  })
  it("special points: JAX's derivatives", () => {
    const d = (f: (v: NdArray) => NdArray, at: number): number => Number(grad(f)(f64(at)).item())
    expect(d(w.sinc, 0)).toBe(0)
    expect(Number(grad(grad(w.sinc))(f64(0)).item())).toBeCloseTo(-(Math.PI ** 2) / 3, 12)
    expect(d((v) => w.logaddexp(v, 2), 2)).toBe(0.5)
    expect(d((v) => w.hypot(v, 3), 3)).toBeCloseTo(Math.SQRT1_2, 15)
    expect(w.hypot(f64(1e300), 1e300).item()).toBeCloseTo(Math.SQRT2 * 1e300, -285)
    expect(w.logaddexp(f64(-Infinity), -Infinity).item()).toBe(-Infinity)
  })
  it('aliases are the same functions', () => {
    expect(w.power).toBe(w.pow)
    expect(w.arctan2).toBe(w.atan2)
    expect(w.concatenate).toBe(w.concat)
    expect(w.amax).toBe(w.max)
  })
})

describe('shape additions against NumPy', () => {
  it('roll, rot90, moveaxis, swapaxes', () => {
    close(w.roll(t, 5), 'roll_flat')
    close(w.roll(t, [1, -2], [0, 2]), 'roll_axes')
    close(w.rot90(m), 'rot90_1')
    close(w.rot90(m, 3), 'rot90_3')
    close(w.rot90(t, 2, { axes: [1, 2] }), 'rot90_2_axes12')
    close(w.moveaxis(t, [0, 2], [2, 0]), 'moveaxis')
    close(w.swapaxes(t, 0, 2), 'swapaxes')
    checkGrads((v: NdArray) => w.roll(w.rot90(v), 2, { axis: 1 }), [m])
  })
  it('stacks and atleast', () => {
    close(w.hstack([m, w.slice(m, [null, [0, 2]])]), 'hstack')
    close(w.vstack([m, w.slice(m, [0])]), 'vstack')
    close(w.dstack([m, m]), 'dstack')
    close(w.columnStack([w.slice(m, [0]), w.slice(m, [1])]), 'column_stack')
    expect(w.atleast3d(m).shape).toEqual([3, 5, 1])
    expect(w.atleast2d(f64(1)).shape).toEqual([1, 1])
  })
  it('meshgrid, broadcastArrays, broadcastShapes', () => {
    const [x3, y2, x2] = [w.slice(x, [[0, 3]]), w.slice(y, [[0, 2]]), w.slice(x, [[0, 2]])]
    const xy = w.meshgrid(x3, y2)
    xy.forEach((a, i) => close(a, (get('meshgrid_xy') as Nested[])[i] as Nested))
    const ij = w.meshgrid(x3, y2, x2, { indexing: 'ij' })
    ij.forEach((a, i) => close(a, (get('meshgrid_ij') as Nested[])[i] as Nested))
    expect(w.meshgrid(x3, y2, { sparse: true }).map((a) => a.shape)).toEqual([
      [1, 3],
      [2, 1],
    ])
    expect(w.broadcastShapes([2, 1, 3], [4, 1], [])).toEqual([2, 4, 3])
    expect(w.broadcastArrays(m, f64(1)).map((a) => a.shape)).toEqual([
      [3, 5],
      [3, 5],
    ])
  })
  it('diagonal and trace over any two axes', () => {
    close(w.diagonal(t, { offset: 1, axis1: 0, axis2: 2 }), 'diagonal_t_1_0_2')
    close(w.trace(m, { offset: 1 }), 'trace_m_off1')
    close(w.trace(t, { axis1: 1, axis2: 2 }), 'trace_t_axes12')
    checkGrads((v: NdArray) => w.trace(v, { axis1: 1, axis2: 2 }), [t])
  })
})

describe('reduction additions against NumPy', () => {
  it('the NaN family', () => {
    close(w.nansum(nanx, 1), 'nansum_1')
    close(w.nanmean(nanx, 0), 'nanmean_0')
    close(w.nanmax(nanx, 1), 'nanmax_1')
    close(w.nanmin(nanx), 'nanmin_all')
    close(w.nanvar(nanx, { axis: 1, ddof: 1 }), 'nanvar_1_ddof1')
    close(w.nanstd(nanx, 0), 'nanstd_0')
    close(w.nanprod(nanx, 1), 'nanprod_1')
    close(w.nancumsum(nanx, 1), 'nancumsum_1')
    expect(w.nanmax(f64([NaN, NaN])).item()).toBeNaN()
    // NaN entries get zero gradient
    const g = grad((v: NdArray) => w.nanmean(v))(nanx).toArray() as number[][]
    expect(g[0]![1]).toBe(0)
  })
  it('median, quantile, percentile (every method)', () => {
    close(w.median(m), 'median_all')
    close(w.median(m, 1), 'median_1')
    close(w.quantile(m, [0.1, 0.5, 0.95], { axis: 0 }), 'quantile_axis0')
    for (const [meth, want] of Object.entries(table('quantile_methods')))
      close(w.quantile(m, 0.3, { axis: 1, method: meth as w.QuantileMethod }), want)
    // half positions round to the even index (NumPy 1.24: np.quantile([1..6], [.1, .3, .7], method='nearest'))
    expect(w.quantile(f64([1, 2, 3, 4, 5, 6]), [0.1, 0.3, 0.7], { method: 'nearest' }).toArray()).toEqual([1, 3, 5])
    close(w.percentile(t, 40, { axis: [0, 2], keepdims: true }), 'percentile_axes')
    checkGrads((v: NdArray) => w.quantile(v, [0.1, 0.95], { axis: 0 }), [m], { order: 2 })
  })
  it('average, ptp, countNonzero', () => {
    close(w.average(m, { weights: w.add(w.abs(m), 0.5) }), 'average_w')
    close(w.average(m, { axis: 1, weights: f64([1, 2, 3, 4, 5]) }), 'average_axis1_w1d')
    close(w.ptp(m, 0), 'ptp_0')
    expect(
      w
        .countNonzero(
          array([
            [0, 1, 2],
            [0, 0, 3],
          ]),
          1,
        )
        .toArray(),
    ).toEqual(get('count_nonzero_1'))
    checkGrads((v: NdArray, u: NdArray) => w.average(v, { axis: 1, weights: u }), [m, f64([1, 2, 3, 4, 5])])
  })
  it('cov and corrcoef', () => {
    close(w.cov(m), 'cov', 1e-12)
    close(w.cov(m, undefined, { rowvar: false, bias: true }), 'cov_rowvar_false_bias', 1e-12)
    close(w.cov(w.slice(m, [0]), w.slice(m, [1])), 'cov_xy', 1e-12)
    close(w.corrcoef(m), 'corrcoef', 1e-12)
    checkGrads((v: NdArray) => w.cov(v), [m], { order: 2 })
  })
  it('jit agrees', () => {
    const f = (v: NdArray): NdArray => w.add(w.median(v, 0), w.nanmean(w.logaddexp(v, 0), 0))
    expectClose(jit(f)(m), f(m).toArray() as number[], { rtol: 1e-14 })
  })
})

describe('constructors, polyval, trapezoid against NumPy', () => {
  it('logspace, geomspace, identity, fullLike', () => {
    close(w.logspace(-1, 2, 7, { base: 2, dtype: 'float64' }), 'logspace')
    close(w.logspace(0, 3, 4, { endpoint: false, dtype: 'float64' }), 'logspace_noend')
    close(w.geomspace(-2, -500, 6, { dtype: 'float64' }), 'geomspace')
    expect(w.identity(3, { dtype: 'float64' }).toArray()).toEqual(w.eye(3, { dtype: 'float64' }).toArray())
    expect(w.fullLike(m, 2).dtype).toBe('float64')
  })
  it('polyval and trapezoid, with derivatives', () => {
    close(w.polyval(y, x), 'polyval', 1e-12)
    close(w.trapezoid(m, { dx: 0.5 }), 'trapezoid_dx')
    close(w.trapezoid(m, { x: f64([0, 0.4, 1.5]), axis: 0 }), 'trapezoid_x_axis0')
    checkGrads(w.polyval, [y, x], { order: 2 })
    checkGrads((v: NdArray, s: NdArray) => w.trapezoid(v, { x: s, axis: 0 }), [m, f64([0, 0.4, 1.5])])
  })
  it('geomspace refuses zero', () => expect(() => w.geomspace(0, 1, 3)).toThrow(/cannot include zero/))
})

describe('errors', () => {
  it('options and arguments are checked', () => {
    expect(() => w.quantile(m, 1.5)).toThrow(/q must be in the range \[0, 1\]/)
    expect(() => w.percentile(m, 101)).toThrow(/\[0, 100\]/)
    expect(() => w.quantile(m, 0.5, { method: 'cubic' as never })).toThrow(/method must be one of/)
    expect(() => w.isclose(m, m, { rel_tol: 1 } as never)).toThrow(/unexpected keyword argument 'rel_tol'/)
    expect(() => w.moveaxis(t, [0, 1], [0])).toThrow(/same number of elements/)
    expect(() => w.rot90(m, 1, { axes: [0, 0] })).toThrow(/axes must be different/)
    expect(() => w.meshgrid(x, { indexing: 'xz' as never })).toThrow(/Valid values for indexing are 'xy' and 'ij'/)
    expect(() => w.trace(m, { axis1: 1, axis2: 1 })).toThrow(/cannot be the same/)
  })
})

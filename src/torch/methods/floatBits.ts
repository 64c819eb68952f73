/**
 * Floating-point decomposition and membership: `frexp` (mantissa in [0.5, 1) and int32
 * exponent), `ldexp` (`x·2^e`, MulBackward0), `nextafter` (the next representable value towards
 * `other`, in the tensor's own precision), and `isin`.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const [m, e] = torch.frexp(torch.tensor([8, 0.3, -5]))
 * assert.deepStrictEqual(e.tolist(), [4, -1, 3])
 * assert.ok(m.allclose(torch.tensor([0.5, 0.6, -0.625])))
 * assert.deepStrictEqual(torch.ldexp(torch.tensor([1.5]), torch.tensor([3])).tolist(), [12])
 * assert.strictEqual(torch.nextafter(torch.tensor([1]), torch.tensor([2])).item(), 1 + 2 ** -23)
 * const L = { dtype: torch.int64 }
 * assert.deepStrictEqual(torch.isin(torch.tensor([1, 2, 3], L), torch.tensor([2, 5], L)).tolist(), [false, true, false])
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { allocate } from '../../ndarray/dtype'
import { nextafterScalar } from '../../ndarray/kernels/floatBits'
import { withUndefinedDerivative } from '../autograd/notImplemented'
import { op } from '../autograd/op'
import { RuntimeError } from '../errors'
import { asTensor, broadcastShape, type TensorOrScalar } from '../ops/convert'
import { float32, get_default_dtype } from '../dtype'
import { Tensor } from '../tensor'
import { inplaceForm } from './aliases'

type T = Tensor

/** The mantissa and exponent of `frexp` (also readable by name). */
export type Frexp = [T, T] & { readonly mantissa: T; readonly exponent: T }

const frexpOne = (v: number): [number, number] => {
  if (v === 0 || !Number.isFinite(v)) return [v, 0]
  let e = Math.floor(Math.log2(Math.abs(v))) + 1
  // 2^-e in two halves: each power is representable even where 2^e is not (|v| near the
  // float64 maximum, subnormal v); scaling by powers of two is exact
  const half = Math.trunc(-e / 2)
  let m = v * 2 ** half * 2 ** (-e - half)
  // log2 can round across a power of two: bring |m| into [0.5, 1)
  if (Math.abs(m) >= 1) [m, e] = [m / 2, e + 1]
  else if (Math.abs(m) < 0.5) [m, e] = [m * 2, e - 1]
  return [m, e]
}

/** The float-bits methods installed on Tensor. */
export const floatBitsMethods = {
  /** Mantissa (|m| in [0.5, 1), same dtype) and int32 exponent with `self = m·2^e`. */
  frexp(this: T): Frexp {
    if (!this.dtype.is_floating_point) throw new RuntimeError('torch.frexp() only supports floating-point dtypes')
    const x = this._value()
    const vals = x._values('frexp')
    const m = allocate(x.dtype, vals.length)
    const e = allocate('int32', vals.length)
    // PyTorch's FrexpBackward0 divides by exponent.exp2(), computed in the default dtype
    const single = get_default_dtype() === float32
    const d = allocate(x.dtype, vals.length)
    const exact = allocate('bool', vals.length)
    vals.forEach((v, i) => {
      ;[m[i], e[i]] = frexpOne(v as number)
      d[i] = single ? Math.fround(2 ** (e[i] as number)) : 2 ** (e[i] as number)
      exact[i] = (d[i] as number) === 2 ** (e[i] as number) && (d[i] as number) !== 0 ? 1 : 0
    })
    const [mv, dv, ok] = [
      new NdArray(x.shape, x.dtype, m),
      new NdArray(x.shape, x.dtype, d),
      new NdArray(x.shape, 'bool', exact),
    ]
    // self / 2^e where that division is exact (the value m; derivative 1 / 2^e), m itself elsewhere
    const mt = op('FrexpBackward0', [this], (v) => lax.select(ok, lax.div(v, dv), mv))
    const et = Tensor._fromValue(new NdArray(x.shape, 'int32', e))
    return Object.assign([mt, et] as [T, T], { mantissa: mt, exponent: et })
  },
  /** `self · 2^other` (MulBackward0). */
  ldexp(this: T, other: T): T {
    const d = this.dtype.is_floating_point ? this.dtype : get_default_dtype()
    return this.mul(other.to(d).rpow(2))
  },
  /** The next representable value after `self` towards `other` (both of one floating dtype). */
  nextafter(this: T, other: T): T {
    const d = this.dtype
    if (!d.is_floating_point || other.dtype !== d)
      throw new RuntimeError(`"nextafter_cpu" not implemented for '${d.is_floating_point ? other.dtype.word : d.word}'`)
    const a = this._value()
    const b = other._value()
    const shape = broadcastShape(a.shape, b.shape)
    const va = lax.broadcastTo(a, shape)._values('nextafter')
    const vb = lax.broadcastTo(b, shape)._values('nextafter')
    const out = allocate(a.dtype, va.length)
    for (let i = 0; i < out.length; i++)
      out[i] = nextafterScalar(va[i] as number, vb[i] as number, a.dtype === 'float32')
    return withUndefinedDerivative(
      'NextafterBackward0',
      'nextafter',
      [this, other],
      Tensor._fromValue(new NdArray(shape, a.dtype, out)),
    )
  },
  /** In-place ldexp. */
  ldexp_: inplaceForm(function (this: T, other: T): T {
    return floatBitsMethods.ldexp.call(this, other)
  }),
  /** In-place nextafter. */
  nextafter_: inplaceForm(function (this: T, other: T): T {
    return floatBitsMethods.nextafter.call(this, other)
  }),
}

/**
 * `torch.isin(elements, test_elements, *, assume_unique=False, invert=False)`: whether each
 * element occurs in `test_elements` (bool, the shape of `elements`).
 * @category torch @since 0.2.0
 */
export const isin = (
  elements: TensorOrScalar,
  test_elements: TensorOrScalar,
  kw: { readonly assume_unique?: boolean; readonly invert?: boolean } = {},
): T => {
  const x = asTensor(elements)._value()
  const test = new Set(Array.from(asTensor(test_elements)._value()._values('isin') as ArrayLike<number>))
  const invert = kw.invert ?? false
  const vals = x._values('isin') as ArrayLike<number>
  const out = Uint8Array.from(vals, (v) => (test.has(v) !== invert ? 1 : 0))
  return Tensor._fromValue(new NdArray(x.shape, 'bool', out))
}

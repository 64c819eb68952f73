/**
 * The JavaScript value of one complex number, as `item()` and `tolist()` of a complex tensor
 * return it (where PyTorch returns a Python `complex`): a frozen `Complex` with the real part `re`
 * and the imaginary part `im` as numbers (a complex64 element's float32 parts widened exactly, as
 * Python's complex holds them), and Python's `repr` of a complex as its `toString()`:
 * `(1.5+2j)`, `2j`, `(1e+20-1e-07j)`, `(nan+infj)`.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const z = torch.complex(torch.tensor([1.5, 0]), torch.tensor([2, -1]))
 * const [a, b] = z.tolist() as unknown as torch.Complex[]
 * assert.strictEqual(a?.re, 1.5)
 * assert.strictEqual(String(a), '(1.5+2j)')
 * assert.strictEqual(String(b), '-1j')
 * assert.strictEqual(String(z.get(0).item()), '(1.5+2j)')
 * @category torch
 * @since 0.7.0
 */
import type { NdArray } from '../../ndarray/NdArray'

/**
 * One complex number (`item()`/`tolist()` of a complex tensor): see the module doc.
 * @category torch
 * @since 0.7.0
 */
export class Complex {
  /** The real part. */ readonly re: number
  /** The imaginary part. */ readonly im: number
  /** The complex number `re + i·im`. */
  constructor(re: number, im: number) {
    this.re = re
    this.im = im
    Object.freeze(this)
  }
  /** Python's `repr` of the complex number: `(re±imj)`, or `imj` when the real part is +0. */
  toString(): string {
    const imag = `${pyFloat(this.im)}j`
    if (Object.is(this.re, 0)) return imag
    const sign = imag.startsWith('-') ? '' : '+'
    return `(${pyFloat(this.re)}${sign}${imag})`
  }
  /** `{ re, im }` (what `JSON.stringify` writes). */
  toJSON(): { re: number; im: number } {
    return { re: this.re, im: this.im }
  }
}

/**
 * Python's `repr` of a float inside a complex's repr: the shortest round-trip digits, positional
 * for decimal exponents −4 to 15 (no trailing `.0`), otherwise `d.ddde±XX`; `nan`, `inf`, `-inf`.
 */
export const pyFloat = (x: number): string => {
  if (Number.isNaN(x)) return 'nan'
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf'
  if (x === 0) return Object.is(x, -0) ? '-0' : '0'
  const [mant = '', expText = '0'] = x.toExponential().split('e')
  const e = Number(expText)
  if (e >= -4 && e < 16) {
    const digits = mant.replace('-', '').replace('.', '')
    const sign = x < 0 ? '-' : ''
    if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`
    const int = digits.slice(0, e + 1).padEnd(e + 1, '0')
    const frac = digits.slice(e + 1)
    return `${sign}${int}${frac === '' ? '' : `.${frac}`}`
  }
  return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`
}

/** Nested arrays of `Complex` (one `Complex` for no dimensions) of (…, 2) values. */
export const complexList = (ri: NdArray): ComplexList => {
  const d = ri._values('tolist')
  const shape = ri.shape.slice(0, -1)
  const rec = (axis: number, off: number): ComplexList => {
    if (axis === shape.length) return new Complex(d[2 * off] as number, d[2 * off + 1] as number)
    const n = shape[axis] as number
    const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1)
    return Array.from({ length: n }, (_, i) => rec(axis + 1, off + i * stride))
  }
  return rec(0, 0)
}

/** What a complex tensor's `tolist()` returns: a `Complex`, or nested arrays of them. @category torch @since 0.7.0 */
export type ComplexList = Complex | ComplexList[]

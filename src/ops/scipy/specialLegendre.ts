/**
 * The associated Legendre functions of the first kind of `jax.scipy.special` (`lpmn`,
 * `lpmnValues`) and the spherical harmonics (`sphHarm`, `sphHarmY`, refused: their values are
 * complex). Pₗᵐ(x) carries the Condon–Shortley phase (−1)ᵐ, as SciPy's; the values come from the
 * three-term recurrences in the degree (DLMF 14.10.3 and 14.7.15–16), unrolled over the static
 * maximum degree, so they are differentiable, `jit` and `vmap` ready. Re-exported by `./special`.
 *
 * @category scipy
 * @since 0.7.0
 */
import { DTypeError, ShapeError, ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { stack } from '../layout'
import { add, div, equal, mul, sub, where } from '../elementwise'
import { abs, sqrt } from '../unary'
import type { ArrayLike } from '../convert'

const check = (op: string, m: number, n: number, z: NdArray): void => {
  if (z.dtype !== 'float32' && z.dtype !== 'float64')
    throw new DTypeError(`${op}: z.dtype=${z.dtype} is not supported, see docstring for supported types.`)
  if (z.ndim !== 1) throw new ShapeError(`${op}: z must be a 1D array.`)
  for (const [name, v] of [
    ['m', m],
    ['n', n],
  ] as const)
    if (!Number.isInteger(v) || v < 0)
      throw new ValueError(`${op}: Argument ${name} of lpmn must be a non-negative integer, got ${String(v)}`)
  if (m !== n) throw new ValueError(`${op}: Computations for m!=n are not yet supported.`)
}

/** P[m][l] for 0 ≤ m, l ≤ L (zero where m > l), unnormalised or with the spherical-harmonic factor. */
const legendreTable = (L: number, x: NdArray, normalized: boolean): NdArray[][] => {
  const zero = mul(x, 0)
  const s = sqrt(sub(1, mul(x, x)))
  const p: NdArray[][] = Array.from({ length: L + 1 }, () => Array.from({ length: L + 1 }, () => zero))
  let diag = add(zero, normalized ? 0.5 / Math.sqrt(Math.PI) : 1)
  for (let m = 0; m <= L; m++) {
    // Pₘᵐ = −(2m − 1)·√(1 − x²)·Pₘ₋₁ᵐ⁻¹ (normalised: the factor −√(1 + 1/(2m)))
    if (m > 0) diag = mul(diag, mul(s, normalized ? -Math.sqrt(1 + 0.5 / m) : 1 - 2 * m))
    const row = p[m]!
    row[m] = diag
    if (m + 1 <= L) row[m + 1] = mul(mul(x, diag), normalized ? Math.sqrt(2 * m + 3) : 2 * m + 1)
    for (let l = m + 2; l <= L; l++) {
      if (normalized) {
        const a = Math.sqrt((4 * l * l - 1) / (l * l - m * m))
        const b = Math.sqrt(((l - 1) * (l - 1) - m * m) / (4 * (l - 1) * (l - 1) - 1))
        row[l] = mul(sub(mul(x, row[l - 1]!), mul(row[l - 2]!, b)), a)
      } else row[l] = div(sub(mul(mul(x, row[l - 1]!), 2 * l - 1), mul(row[l - 2]!, l + m - 1)), l - m)
    }
  }
  return p
}

/** dPₗᵐ/dx = (l·x·Pₗᵐ − (l + m)·Pₗ₋₁ᵐ)/(x² − 1) (DLMF 14.10.5), with SciPy's limits at x = ±1. */
const derivatives = (x: NdArray, p: NdArray[][]): NdArray[][] => {
  const zero = mul(x, 0)
  const ends = equal(abs(x), 1)
  const safe = where(ends, 0, x)
  const den = sub(mul(safe, safe), 1)
  return p.map((row, m) =>
    row.map((v, l) => {
      if (m > l) return zero
      const below = l - 1 >= m ? (row[l - 1] as NdArray) : zero
      const general = div(sub(mul(mul(safe, where(ends, 0, v)), l), mul(where(ends, 0, below), l + m)), den)
      // at x = ±1 (at −1 times (−1)^(l+m+1), except the infinities): l(l+1)/2 for m = 0, inf for m = 1, −(l−1)l(l+1)(l+2)/4 for m = 2
      const edge =
        m === 0 ? (l * (l + 1)) / 2 : m === 1 ? Infinity : m === 2 ? (-(l - 1) * l * (l + 1) * (l + 2)) / 4 : 0
      const parity = m === 1 || (l + m + 1) % 2 === 0 ? 1 : where(equal(x, -1), -1, 1)
      return where(ends, mul(parity, edge), general)
    }),
  )
}

const toArray = (t: NdArray[][]): NdArray =>
  stack(
    t.map((row) => stack(row, 0)),
    0,
  )

/**
 * The associated Legendre functions Pₗᵐ(z) of the first kind and their derivatives
 * (`jax.scipy.special.lpmn`): `[p, dp]`, each of shape (m + 1, n + 1, len(z)), indexed by order,
 * degree and point (zero where the order exceeds the degree). z must be a 1-D float array; as
 * JAX, m must equal n (a ValueError otherwise; JAX's NotImplementedError).
 * @example
 * import { scipy, array } from 'wengert'
 * const [p, dp] = scipy.special.lpmn(1, 1, array([0.5], { dtype: 'float64' }))
 * assert.ok(Math.abs((p.toArray() as number[][][])[1]![1]![0]! + Math.sqrt(0.75)) < 1e-12)
 * assert.ok(Math.abs((dp.toArray() as number[][][])[0]![1]![0]! - 1) < 1e-12)
 * @category scipy @since 0.7.0
 */
export const lpmn = (m: number, n: number, z: NdArray): readonly [NdArray, NdArray] => {
  check('scipy.special.lpmn', m, n, z)
  const p = legendreTable(n, z, false)
  return [toArray(p), toArray(derivatives(z, p))]
}

/**
 * The associated Legendre functions Pₗᵐ(z) (`jax.scipy.special.lpmn_values`), shape
 * (m + 1, n + 1, len(z)); with `isNormalized` each carries the factor
 * √((2l + 1)(l − m)!/(4π(l + m)!)) of the orthonormal spherical harmonics. As JAX, m must equal n.
 * @example
 * import { scipy, array } from 'wengert'
 * const p = scipy.special.lpmnValues(1, 1, array([0], { dtype: 'float64' }), true)
 * assert.ok(Math.abs((p.toArray() as number[][][])[0]![0]![0]! - 0.5 / Math.sqrt(Math.PI)) < 1e-12)
 * @category scipy @since 0.7.0
 */
export const lpmnValues = (m: number, n: number, z: NdArray, isNormalized: boolean): NdArray => {
  check('scipy.special.lpmn_values', m, n, z)
  if (typeof isNormalized !== 'boolean')
    throw new ValueError(`scipy.special.lpmn_values: isNormalized must be a boolean, got ${typeof isNormalized}`)
  return toArray(legendreTable(n, z, isNormalized))
}

const NO_COMPLEX = 'the spherical harmonics are complex and the core has no complex dtype'

/**
 * The spherical harmonics Yₙᵐ(θ, φ) (`jax.scipy.special.sph_harm`): refused with a DTypeError,
 * because their values are complex; `lpmnValues(…, true)` gives the real factor N·Pₙᵐ(cos φ).
 * @example
 * import { scipy, array } from 'wengert'
 * const z = array([0])
 * assert.throws(() => scipy.special.sphHarm(z, z, z, z), /complex/)
 * @category scipy @since 0.7.0
 */
export const sphHarm = (_m: ArrayLike, _n: ArrayLike, _theta: ArrayLike, _phi: ArrayLike, _nMax?: number): NdArray => {
  throw new DTypeError(`scipy.special.sph_harm: not supported: ${NO_COMPLEX}`)
}

/**
 * The spherical harmonics Yₙᵐ(θ, φ) with SciPy's newer argument order (`jax.scipy.special.sph_harm_y`):
 * refused with a DTypeError, because their values are complex.
 * @example
 * import { scipy, array } from 'wengert'
 * const z = array([0])
 * assert.throws(() => scipy.special.sphHarmY(z, z, z, z), /complex/)
 * @category scipy @since 0.7.0
 */
export const sphHarmY = (_n: ArrayLike, _m: ArrayLike, _theta: ArrayLike, _phi: ArrayLike, _diffN = 0): NdArray => {
  throw new DTypeError(`scipy.special.sph_harm_y: not supported: ${NO_COMPLEX}`)
}

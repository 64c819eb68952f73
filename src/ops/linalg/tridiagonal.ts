/**
 * The O(m) tridiagonal solve behind `lax.linalg.tridiagonalSolve`: the Thomas algorithm (forward
 * elimination, then back substitution, each one `lax.scan` over the m rows; no pivoting, so it
 * suits diagonally dominant or symmetric positive definite systems, as JAX's `tridiagonal_solve`)
 * wrapped in derivative rules that are themselves tridiagonal solves.
 *
 * Derivatives (Giles 2008, "An extended collection of matrix derivative results for forward and
 * reverse mode algorithmic differentiation", §2.2.3, for C = A⁻¹B): from T·x = b,
 * ẋ = T⁻¹(ḃ − Ṫ·x), where Ṫ has the tangent diagonals; reverse mode transposes that: b̄ = T⁻ᵀ·x̄,
 * and T̄ = −b̄·xᵀ kept on the three diagonals (the transpose of Ṫ ↦ Ṫ·x). Tᵀ is tridiagonal too:
 * its sub-diagonal is `du` moved down one row and its super-diagonal `dl` moved up one.
 *
 * @category ops
 * @since 0.3.0
 */
import type { NdArray } from '../../ndarray/NdArray'
import { zeros } from '../../ndarray/create'
import { customJvp, customVjp } from '../../transforms/custom'
import { add, div, mul, sub } from '../elementwise'
import { sum } from '../reduce'
import { neg } from '../unary'
import { concat, expandDims } from '../layout'
import { sliceInDim } from '../laxNamed'
import { moveaxis } from '../numpyExtra/shape'
import { scan } from '../control/scan'

/** `v` moved one step along `axis`: down (`+1`, a zero enters at the start) or up (`−1`). */
const shift = (v: NdArray, axis: number, by: 1 | -1): NdArray => {
  const ax = axis < 0 ? v.ndim + axis : axis
  const n = v.shape[ax] as number
  const zero = zeros(
    v.shape.map((s, i) => (i === ax ? 1 : s)),
    { dtype: v.dtype },
  )
  return by === 1
    ? concat([zero, sliceInDim(v, 0, n - 1, 1, ax)], { axis: ax })
    : concat([sliceInDim(v, 1, n, 1, ax), zero], { axis: ax })
}

/** T·x for x `[..., m, n]`; `dl[0]` and `du[m−1]` meet the zero rows the shifts bring in. */
const matvec = (dl: NdArray, d: NdArray, du: NdArray, x: NdArray): NdArray => {
  const col = (v: NdArray): NdArray => expandDims(v, -1)
  return add(add(mul(col(dl), shift(x, -2, 1)), mul(col(d), x)), mul(col(du), shift(x, -2, -1)))
}

/** The Thomas algorithm: T⁻¹·b with dl[0] and du[m−1] ignored (masked to 0). */
const thomas = (dl: NdArray, d: NdArray, du: NdArray, b: NdArray): NdArray => {
  // rows first, so that scan walks them
  const lo = moveaxis(shift(shift(dl, -1, -1), -1, 1), -1, 0)
  const up = moveaxis(shift(shift(du, -1, 1), -1, -1), -1, 0)
  const mid = moveaxis(d, -1, 0)
  const rhs = moveaxis(b, -2, 0)
  const c0 = zeros(d.shape.slice(0, -1), { dtype: d.dtype })
  const y0 = zeros(rhs.shape.slice(1), { dtype: d.dtype })
  type Row = readonly [NdArray, NdArray, NdArray, NdArray]
  // forward: c'ᵢ = duᵢ/(dᵢ − dlᵢc'ᵢ₋₁), y'ᵢ = (bᵢ − dlᵢy'ᵢ₋₁)/(dᵢ − dlᵢc'ᵢ₋₁)
  const [, [cs, ys]] = scan(
    ([cPrev, yPrev]: readonly [NdArray, NdArray], [l, m, u, r]: Row) => {
      const denom = sub(m, mul(l, cPrev))
      const c = div(u, denom)
      const y = div(sub(r, mul(expandDims(l, -1), yPrev)), expandDims(denom, -1))
      return [
        [c, y],
        [c, y],
      ] as const
    },
    [c0, y0] as const,
    [lo, mid, up, rhs] as const,
  )
  // back: xᵢ = y'ᵢ − c'ᵢxᵢ₊₁
  const [, xs] = scan(
    (xNext: NdArray, [c, y]: readonly [NdArray, NdArray]) => {
      const x = sub(y, mul(expandDims(c, -1), xNext))
      return [x, x] as const
    },
    y0,
    [cs, ys] as const,
    { reverse: true },
  )
  return moveaxis(xs, 0, -2)
}

/**
 * x = T⁻¹b; reverse mode: b̄ = T⁻ᵀx̄ (the Thomas solve of the transposed diagonals) and the
 * diagonals' cotangent −b̄·xᵀ on the band (read by the second-order rules of the JVP below).
 */
const linear = customVjp(
  (diags: readonly [NdArray, NdArray, NdArray], b: NdArray): NdArray => thomas(...diags, b),
  (diags: readonly [NdArray, NdArray, NdArray], b: NdArray) => {
    const x = thomas(...diags, b)
    return [x, [diags, x] as const] as const
  },
  ([[dl, d, du], x]: readonly [readonly [NdArray, NdArray, NdArray], NdArray], xBar: NdArray) => {
    const bBar = thomas(shift(du, -1, 1), d, shift(dl, -1, -1), xBar)
    const band = (y: NdArray): NdArray => neg(sum(mul(bBar, y), { axis: -1 }))
    return [[band(shift(x, -2, 1)), band(x), band(shift(x, -2, -1))], bBar] as const
  },
)

const solveWithRules = customJvp(
  (diags: readonly [NdArray, NdArray, NdArray], b: NdArray): NdArray => linear(diags, b),
  ([diags, b], [dDiags, bDot]) => {
    const x = linear(diags, b)
    // ẋ = T⁻¹(ḃ − Ṫx)
    return [x, linear(diags, sub(bDot, matvec(...dDiags, x)))] as const
  },
)

/** T⁻¹·b in O(m) (checked arguments: one float dtype, `[..., m]` diagonals, `b` `[..., m, n]`). */
export const thomasSolve = (dl: NdArray, d: NdArray, du: NdArray, b: NdArray): NdArray =>
  (d.shape[d.ndim - 1] ?? 0) === 0 ? b : solveWithRules([dl, d, du], b)

/**
 * Scatter with an operand (XLA's `Scatter` with the update computation fixed): rows of
 * `updates` combine into rows of `x` along its leading axis at int32 `indices`. The scatter-add
 * into zeros (gather's adjoint) is `scatterAdd` in ./movement.
 *
 * @category kernels
 * @since 0.2.0
 */
import { allocate } from '../dtype'
import { NdArray } from '../NdArray'
import { sizeOf } from '../shape'

/** How an update combines with the value it lands on. */
export type ScatterKind = 'set' | 'mul' | 'min' | 'max'

const COMBINE: { readonly [K in ScatterKind]: (old: number, u: number) => number } = {
  set: (_, u) => u,
  mul: (old, u) => old * u,
  // NaN propagates, as XLA's min/max do
  min: (old, u) => (old < u || Number.isNaN(old) ? old : u),
  max: (old, u) => (old > u || Number.isNaN(old) ? old : u),
}

/**
 * `x` (shape `[n, ...rest]`) with row `indices[j]` combined with row `j` of `updates` (shape
 * `[...indices.shape, ...rest]`), for `j` in row-major order; indices outside `[0, n)` are
 * skipped. Repeated indices apply in that order (for `set`, the last one wins).
 */
export const scatterInto = (kind: ScatterKind, x: NdArray, indices: NdArray, updates: NdArray): NdArray => {
  const n = x.shape[0] ?? 1
  const inner = sizeOf(x.shape.slice(1))
  const out = allocate(x.dtype, x.size)
  out.set(x._data as never)
  const idx = indices._data
  const u = updates._data
  const f = COMBINE[kind]
  const m = indices.size
  for (let j = 0; j < m; j++) {
    const row = idx[j] as number
    if (row < 0 || row >= n) continue
    const dst = row * inner
    const src = j * inner
    for (let i = 0; i < inner; i++) out[dst + i] = f(out[dst + i] as number, u[src + i] as number)
  }
  return new NdArray(x.shape, x.dtype, out)
}

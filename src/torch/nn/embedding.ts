/**
 * `F.embedding`: rows of a weight matrix at integer indices, with `padding_idx` (no gradient to
 * that row), `max_norm`/`norm_type` (PyTorch's in-place renormalisation of the rows used) and
 * `scale_grad_by_freq`.
 *
 * @category torch
 * @since 0.1.0
 */
import * as lax from '../../core/lax'
import type { DType } from '../../ndarray/dtype'
import { NdArray } from '../../ndarray/NdArray'
import { no_grad } from '../autograd/grad_mode'
import { op } from '../autograd/op'
import { AssertionError, IndexError, NotImplementedError, RuntimeError } from '../errors'
import { keywordForms, parseArgs, type PyArgs } from '../kwargs'
import { isMeta, metaArray } from '../meta'
import { Tensor } from '../tensor'
import { checkedEntry } from './functionalArgs'

type T = Tensor

/**
 * Refuses `sparse=True` (sparse gradients of the weight): the facade's sparse COO tensors do not
 * reach parameter gradients (no sparse `.grad` of a dense leaf, so `SparseAdam` meets only dense ones), and
 * computing a dense gradient instead would silently change what `SparseAdam`-style code receives.
 */
export const refuseSparse = (fn: string, sparse: unknown): void => {
  if (sparse === true)
    throw new NotImplementedError(
      `${fn}: sparse=True (sparse gradients) is not supported: wengert gives no sparse gradients to dense parameters; pass sparse=False for the same values with a dense gradient`,
    )
}

/** A 0-d array of `v` with dtype `d`. */
const c = (v: number, d: DType): NdArray => lax.scalar(v, d)
/** Broadcasts a value to a shape (NumPy rule). */
const bcast = (x: NdArray, shape: ReadonlyArray<number>): NdArray => lax.broadcastTo(x, shape)

/**
 * Rows of `weight` at integer `input` indices (`weight[input]`). Repeated indices accumulate
 * their gradients; the `padding_idx` row gets none.
 * @category torch @since 0.1.0
 */
export const embedding = checkedEntry(
  'embedding',
  'Tensor input, Tensor weight',
  keywordForms(
    'embedding',
    ['input', 'weight'],
    (
      input: T,
      weight: T,
      ...rest: PyArgs<
        [
          padding_idx: number | null,
          max_norm: number | null,
          norm_type: number,
          scale_grad_by_freq: boolean,
          sparse: boolean,
        ],
        {
          readonly padding_idx?: number | null
          readonly max_norm?: number | null
          readonly norm_type?: number
          readonly scale_grad_by_freq?: boolean
          readonly sparse?: boolean
        }
      >
    ): T => {
      const a = parseArgs('embedding', rest, ['padding_idx', 'max_norm', 'norm_type', 'scale_grad_by_freq', 'sparse'])
      refuseSparse('embedding', a.sparse)
      const w0 = weight._value()
      if (w0.ndim !== 2) throw new RuntimeError(`'weight' must be 2-D`)
      const n = w0.shape[0] as number
      let pad = a.padding_idx as number | null | undefined
      if (pad !== undefined && pad !== null) {
        if (pad >= n || pad < -n) throw new AssertionError('Padding_idx must be within num_embeddings')
        if (pad < 0) pad += n
      }
      if (input.dtype.name !== 'int64') {
        throw new RuntimeError(
          `Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ${input.dtype.typeName} instead (while checking arguments for embedding)`,
        )
      }
      const idx = input._value()
      // meta indices have no values: the gather runs its shape rule alone (and per-row gradient
      // scales, which only change values, are left out)
      const meta = isMeta(idx)
      if (!meta) checkRows(idx, n)
      if (a.max_norm !== undefined && a.max_norm !== null)
        renormRows(weight, idx, a.max_norm as number, (a.norm_type as number | undefined) ?? 2)
      const scale = a.scale_grad_by_freq === true && !meta ? gradScale(idx, n) : null
      const padRow = pad ?? null
      return op(
        'EmbeddingBackward0',
        [weight],
        (w) => {
          let src = w
          if (scale !== null) {
            // NOTE: value unchanged; only the gradient is scaled (by 1/freq)
            const gb = bcast(rowFactor(n, scale, w.dtype), w.shape)
            const frozen = lax.stopGradient(w)
            src = lax.add(lax.mul(w, gb), lax.mul(frozen, lax.sub(lax.broadcastLike(c(1, w.dtype), w), gb)))
            // a non-finite weight would make `w·s + w·(1 − s)` NaN: such rows keep their value
            src = lax.select(lax.isFinite(w), src, w)
          }
          // the padding row's gradient is skipped, not multiplied by 0 (a NaN gradient stays out of
          // it, as embedding_dense_backward leaves it)
          if (padRow !== null) src = lax.select(bcast(padMask(n, padRow), w.shape), lax.stopGradient(w), src)
          return lax.gather(src, idx, 0)
        },
        // EmbeddingBackward0 saves the indices
        { savesTensors: [input] },
      )
    },
  ),
)

/** Raises PyTorch's error for an index outside `[0, n)`. */
const checkRows = (idx: NdArray, n: number): void => {
  for (const v of idx._values('embedding')) if (v < 0 || v >= n) throw new IndexError('index out of range in self')
}

/** A [n, 1] column of per-row gradient factors: 1/count with scale_grad_by_freq. */
const rowFactor = (n: number, scale: Float64Array, dtype: DType): NdArray => {
  const f = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n)
  for (let i = 0; i < n; i++) f[i] = scale[i] as number
  return new NdArray([n, 1], dtype, f)
}

/** A [n, 1] boolean column, true at the padding row. */
const padMask = (n: number, pad: number): NdArray => {
  const f = new Uint8Array(n)
  f[pad] = 1
  return new NdArray([n, 1], 'bool', f)
}

/** 1/count of each row among the indices (PyTorch's scale_grad_by_freq). */
const gradScale = (idx: NdArray, n: number): Float64Array => {
  const counts = new Float64Array(n)
  for (const v of idx._values('embedding')) counts[v as number] = (counts[v as number] as number) + 1
  return counts.map((k) => (k > 0 ? 1 / k : 1))
}

/** PyTorch's embedding_renorm_: rows used by `idx` with norm > max_norm are rescaled in place. */
export const renormRows = (weight: T, idx: NdArray, maxNorm: number, normType: number): void => {
  const w = weight._value()
  const [n, d] = w.shape as [number, number]
  // a meta weight holds no values to scale: the in-place renorm writes a meta value, as on PyTorch's meta device
  if (isMeta(w) || isMeta(idx)) return void no_grad(() => weight.copy_(Tensor._fromValue(metaArray([n, d], w.dtype))))
  const data = Float64Array.from(w._values('embedding') as ArrayLike<number>)
  const rows = new Set<number>(Array.from(idx._values('embedding') as ArrayLike<number>))
  for (const r of rows) {
    let s = 0
    for (let j = 0; j < d; j++) s += Math.abs(data[r * d + j] as number) ** normType
    const norm = s ** (1 / normType)
    if (norm > maxNorm) {
      const f = maxNorm / (norm + 1e-7)
      for (let j = 0; j < d; j++) data[r * d + j] = (data[r * d + j] as number) * f
    }
  }
  const next = new NdArray([n, d], w.dtype, w.dtype === 'float64' ? data : Float32Array.from(data))
  no_grad(() => weight.copy_(Tensor._fromValue(next)))
}

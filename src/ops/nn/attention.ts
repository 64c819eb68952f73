/**
 * `nn.dotProductAttention` (JAX: `jax.nn.dot_product_attention`): scaled dot-product attention
 * softmax(Q·Kᵀ·scale + bias, masked)·V per head (Vaswani et al. 2017, arXiv:1706.03762), with
 * grouped-query attention when the key/value heads are fewer than the query heads (Ainslie et
 * al. 2023, arXiv:2305.13245), boolean, causal, local-window and sequence-length masks.
 * Differentiable through the ops it is written with.
 *
 * @category nn
 * @since 0.6.0
 */
import * as lax from '../../core/lax'
import { iota } from '../../core/primitives/matrixRules'
import { checkOptions, describeValue } from '../../internal/options'
import type { DType } from '../../ndarray/dtype'
import { DTypeError, ValueError } from '../../ndarray/errors'
import { NdArray } from '../../ndarray/NdArray'
import { asArray, type ArrayLike } from '../convert'
import { add, mul, where as select } from '../elementwise'
import { broadcastTo, reshape } from '../layout'
import { einsum } from '../linalg'
import { softmax } from './functions'

/** Options of {@link dotProductAttention} (JAX's keyword-only arguments). */
export interface DotProductAttentionOptions {
  /** Multiplies the logits; default 1/√H (H: the head dimension). */
  readonly scale?: number
  /** Each query position attends only to key positions at or before it. */
  readonly isCausal?: boolean
  /** int32 `[B]`: query positions at or past a batch entry's length are padding. */
  readonly querySeqLengths?: NdArray
  /** int32 `[B]`: key/value positions at or past a batch entry's length are padding. */
  readonly keyValueSeqLengths?: NdArray
  /** `[left, right]` window (or one number for both): a query attends to keys within it. */
  readonly localWindowSize?: number | readonly [number, number]
  /** `'xla'` or undefined (the one implementation here); `'cudnn'` is not supported. */
  readonly implementation?: 'xla' | 'cudnn'
}

const OPTIONS = [
  'scale',
  'isCausal',
  'querySeqLengths',
  'keyValueSeqLengths',
  'localWindowSize',
  'implementation',
] as const

/** Leading axes of 1 up to rank 4 (`TNH` → `1TNH`). */
const ensure4d = (name: string, x: NdArray): NdArray => {
  if (x.ndim > 4) throw new ValueError(`dot_product_attention: ${name} ndim should be at most 4, but got ${x.ndim}`)
  return x.ndim === 4 ? x : reshape(x, [...new Array<number>(4 - x.ndim).fill(1), ...x.shape])
}

const pyShape = (s: ReadonlyArray<number>): string => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`

/** JAX's check: rank, dtype, and every fixed (non −1) dimension. */
const checkShape = (t: NdArray, want: ReadonlyArray<number>, dtype: DType | undefined, name: string): void => {
  if (t.ndim !== want.length) throw new ValueError(`${name} ndim should be ${want.length}, but got ${t.ndim}`)
  if (dtype !== undefined && t.dtype !== dtype)
    throw new ValueError(`${name} dtype should be ${dtype}, but got ${t.dtype}`)
  if (want.some((d, i) => d !== -1 && t.shape[i] !== d))
    throw new ValueError(`${name} shape should be ${pyShape(want)}: but got ${pyShape(t.shape)}`)
}

/** A `[tB, tN, tT, tS]` bias or mask as `[tB, K|1, G|1, tT, tS]` (query head n = k·G + g). */
const grouped = (t: NdArray, n: number, k: number): NdArray => {
  const [tB, tN, tT, tS] = t.shape as [number, number, number, number]
  if (tN === 1) return reshape(t, [tB, 1, 1, tT, tS])
  if (tN !== n) throw new ValueError(`dot_product_attention: a bias or mask has ${tN} heads where the query has ${n}`)
  return reshape(t, [tB, k, n / k, tT, tS])
}

/** The boolean masks JAX combines, each broadcastable to `[B, K, G, T, S]`; undefined: none. */
const combinedMask = (
  mask: NdArray | undefined,
  t: number,
  s: number,
  o: DotProductAttentionOptions,
  window: readonly [number, number] | undefined,
): NdArray | undefined => {
  const parts: NdArray[] = mask === undefined ? [] : [mask]
  const q = reshape(iota(t), [t, 1])
  const kv = reshape(iota(s), [1, s])
  if (o.isCausal === true) parts.push(reshape(lax.ge(...pair(q, kv, t, s)), [1, 1, 1, t, s]))
  if (window !== undefined) {
    const [left, right] = window
    const [qb, kb] = pair(q, kv, t, s)
    const inLeft = lax.le(qb, add(kb, left))
    const inRight = lax.ge(qb, add(kb, -right))
    parts.push(reshape(lax.and(inLeft, inRight), [1, 1, 1, t, s]))
  }
  const pad = paddingMask(t, s, o.querySeqLengths, o.keyValueSeqLengths)
  if (pad !== undefined) parts.push(pad)
  if (parts.length === 0) return undefined
  return parts.reduce((a, b) => {
    const shape = a.shape.map((d, i) => Math.max(d, b.shape[i] as number))
    return lax.and(broadcastTo(a, shape), broadcastTo(b, shape))
  })
}

const pair = (q: NdArray, kv: NdArray, t: number, s: number): readonly [NdArray, NdArray] => [
  broadcastTo(q, [t, s]),
  broadcastTo(kv, [t, s]),
]

/** `[B, 1, 1, T, S]`: query index < its length and key index < its length. */
const paddingMask = (t: number, s: number, ql?: NdArray, kvl?: NdArray): NdArray | undefined => {
  if (ql === undefined && kvl === undefined) return undefined
  const b = ((ql ?? kvl) as NdArray).shape[0] as number
  const below = (n: number, len: NdArray, axis: 3 | 4): NdArray => {
    const idx = reshape(iota(n), axis === 3 ? [1, 1, 1, n, 1] : [1, 1, 1, 1, n])
    const lens = reshape(len, [b, 1, 1, 1, 1])
    const shape = axis === 3 ? [b, 1, 1, n, 1] : [b, 1, 1, 1, n]
    return broadcastTo(lax.lt(broadcastTo(idx, shape), broadcastTo(lens, shape)), [b, 1, 1, t, s])
  }
  const qm = ql === undefined ? undefined : below(t, ql, 3)
  const km = kvl === undefined ? undefined : below(s, kvl, 4)
  return qm === undefined ? (km as NdArray) : km === undefined ? qm : lax.and(qm, km)
}

/** −0.7 × the dtype's largest finite value: what masked logits become (finite, so a fully masked row stays finite). */
const largeNegative = (dtype: DType): number => -0.7 * (dtype === 'float64' ? Number.MAX_VALUE : 3.4028234663852886e38)

const windowOf = (w: DotProductAttentionOptions['localWindowSize']): readonly [number, number] | undefined => {
  if (w === undefined) return undefined
  const pair2 = typeof w === 'number' ? ([w, w] as const) : w
  if (!Array.isArray(pair2) || pair2.length !== 2 || pair2.some((v) => !Number.isInteger(v)))
    throw new ValueError(`dot_product_attention: localWindowSize must be an integer or two, got ${describeValue(w)}`)
  return pair2 as readonly [number, number]
}

/**
 * Scaled dot-product attention (JAX: `jax.nn.dot_product_attention`). `query` is `[B, T, N, H]`
 * (or `[T, N, H]`), `key` and `value` `[B, S, K, H]` with `N` a multiple of `K` (grouped-query
 * attention; `K = 1` is multi-query attention). `bias` (added to the logits) and `mask` (bool:
 * true takes part) broadcast to `[B, N, T, S]`. The softmax runs in float32, as JAX's; masked
 * logits become −0.7·finfo.max, so a fully masked row averages the values. With both sequence
 * lengths given, the output's padded query rows are zero. Returns `query`'s shape.
 *
 * @example
 * import { nn, array } from 'wengert'
 * // one head, one query attending equally to two keys: the mean of the values
 * const q = array([[[0, 0]]]), k = array([[[1, 0]], [[0, 1]]]), v = array([[[2, 4]], [[6, 8]]])
 * assert.deepStrictEqual(nn.dotProductAttention(q, k, v).toArray(), [[[4, 6]]])
 * // causal: the first query sees only the first key
 * const out = nn.dotProductAttention(array([[[1, 0]], [[1, 0]]]), k, v, null, null, { isCausal: true })
 * assert.deepStrictEqual((out.toArray() as number[][][])[0], [[2, 4]])
 * @category nn
 * @since 0.6.0
 */
export const dotProductAttention = (
  query: ArrayLike,
  key: ArrayLike,
  value: ArrayLike,
  bias: ArrayLike | null = null,
  mask: NdArray | null = null,
  options: DotProductAttentionOptions = {},
): NdArray => {
  checkOptions('dot_product_attention', options, OPTIONS)
  if (options.implementation !== undefined && options.implementation !== 'xla')
    throw new ValueError(
      options.implementation === 'cudnn'
        ? `dot_product_attention: implementation 'cudnn' is not supported (it needs a GPU); use 'xla' or leave it unset`
        : `Unsupported implementation option: ${describeValue(options.implementation)}`,
    )
  const q0 = asArray('dot_product_attention', query)
  const outShape = q0.shape
  const q = ensure4d('query', q0)
  const k = ensure4d('key', asArray('dot_product_attention', key))
  const v = ensure4d('value', asArray('dot_product_attention', value))
  const [B, S, K, H] = k.shape as [number, number, number, number]
  checkShape(v, [B, S, K, H], k.dtype, 'value')
  checkShape(q, [B, -1, -1, H], k.dtype, 'query')
  const b = bias === null ? undefined : ensure4d('bias', asArray('dot_product_attention', bias))
  const m = mask === null ? undefined : ensure4d('mask', mask)
  if (m !== undefined) checkShape(m, [-1, -1, -1, -1], 'bool', 'mask')
  for (const [name, l] of [
    ['query_seq_lengths', options.querySeqLengths],
    ['key_value_seq_lengths', options.keyValueSeqLengths],
  ] as const)
    if (l !== undefined) checkShape(l, [B], 'int32', name)
  const [, T, N] = q.shape as [number, number, number, number]
  if (N % K !== 0)
    throw new ValueError(`The number of query heads must be a multiple of key/value heads, but got ${N} vs ${K}`)
  if (q.dtype !== 'float32' && q.dtype !== 'float64')
    throw new DTypeError(`dot_product_attention: query, key and value must be float32 or float64, got ${q.dtype}`)
  const G = N / K
  const scale = options.scale ?? 1 / Math.sqrt(H)
  // logits [B, K, G, T, S]: query head n = k·G + g attends with key/value head k
  let logits = mul(einsum('btkgh,bskh->bkgts', reshape(q, [B, T, K, G, H]), k), scale)
  if (b !== undefined) logits = add(logits, grouped(b, N, K))
  const full = combinedMask(
    m === undefined ? undefined : grouped(m, N, K),
    T,
    S,
    options,
    windowOf(options.localWindowSize),
  )
  if (full !== undefined) logits = select(broadcastTo(full, logits.shape), logits, largeNegative(logits.dtype))
  const probs = lax.cast(softmax(lax.cast(logits, 'float32'), -1), k.dtype)
  let encoded = reshape(einsum('bkgts,bskh->btkgh', probs, v), [B, T, N, H])
  if (options.querySeqLengths !== undefined && options.keyValueSeqLengths !== undefined) {
    const rows = lax.lt(
      broadcastTo(reshape(iota(T), [1, T]), [B, T]),
      broadcastTo(reshape(options.querySeqLengths, [B, 1]), [B, T]),
    )
    encoded = mul(encoded, reshape(lax.cast(rows, encoded.dtype), [B, T, 1, 1]))
  }
  return reshape(encoded, outShape)
}

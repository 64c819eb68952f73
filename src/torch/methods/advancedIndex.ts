/**
 * Advanced (integer and mask) indexing over arrays, shared by `x[idx]`, `x[idx] = v` and
 * `index_put(_)`: the gather and scatter that read and write the listed positions, and the op of
 * a write with PyTorch's gradient (`IndexPutBackward0`).
 *
 * @category torch
 * @since 0.1.0
 */
import * as lax from '../../core/lax'
import { addAt } from './addAt'
import { isMeta, unreadable } from '../meta'
import { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { IndexError, NotImplementedError } from '../errors'
import { broadcastShape, checkBroadcast } from '../ops/convert'
import { Tensor } from '../tensor'
import { sumTo } from './gradFormulas'
import { checkedPositions } from './tracedIndex'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One advanced index: the dimension it indexes and its positions (int) or coordinates of a mask. */
export type Adv = { readonly dim: number; readonly idx: NdArray }

// -------------------------------------------------------------------------------------
// gather and scatter
// -------------------------------------------------------------------------------------

/**
 * PyTorch 2.x's error for nonzero of a meta tensor (its count of true elements is data; boolean
 * masks and masked_select go through it).
 */
export const ERR_META_NONZERO =
  "The register_meta function for torch.nonzero() raises unimplemented by default, as a correct data-independent implementation does not exist. This implementation returns a fake value, assuming all elements of the tensor are non-zero. To enable this registration, please set 'torch.fx.experimental._config.meta_nonzero_assume_all_nonzero' to True."

/** Coordinates of the true elements of a bool array, one int32 array per dimension. */
export const nonzeroCoords = (mask: NdArray): NdArray[] => {
  if (isMeta(mask)) throw new NotImplementedError(ERR_META_NONZERO)
  const data = mask.toTypedArray()
  const shape = mask.shape
  const hits: number[] = []
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) hits.push(i)
  return shape.map((_, k) => {
    const stride = shape.slice(k + 1).reduce((a, b) => a * b, 1)
    return new NdArray(
      [hits.length],
      'int32',
      Int32Array.from(hits, (h) => Math.floor(h / stride) % (shape[k] as number)),
    )
  })
}

/** Layout of an advanced index over `shape`: flat positions into the advanced dims, and the permutations. */
const plan = (shape: ReadonlyArray<number>, adv: ReadonlyArray<Adv>) => {
  const dims = adv.map((a) => a.dim)
  let b: number[] = []
  for (const a of adv) {
    checkBroadcast(b, a.idx.shape)
    b = broadcastShape(b, a.idx.shape)
  }
  const n = b.reduce((p, d) => p * d, 1)
  const advSizes = dims.map((d) => shape[d] as number)
  // ATen's AdvancedIndex refuses any index into an empty indexed dim before the kernel's bounds check
  if (advSizes.includes(0) && !b.includes(0)) throw new IndexError('index is out of bounds for dimension with size 0')
  const flat = new Int32Array(n)
  const traced = adv.some((a) => unreadable(a.idx))
  let flatArr: NdArray | undefined
  adv.forEach((a, k) => {
    const size = advSizes[k] as number
    const stride = advSizes.slice(k + 1).reduce((p, d) => p * d, 1)
    if (!traced) return
    const bad = (v: number): Error =>
      new IndexError(`index ${v} is out of bounds for dimension ${a.dim} with size ${size}`)
    const pos = lax.mul(checkedPositions(lax.broadcastTo(a.idx, b), -size, size, bad), lax.scalar(stride, 'int32'))
    flatArr = flatArr === undefined ? pos : lax.add(flatArr, pos)
  })
  if (!traced)
    adv.forEach((a, k) => {
      const size = advSizes[k] as number
      const stride = advSizes.slice(k + 1).reduce((p, d) => p * d, 1)
      // the values are checked before they are stored as int32 (no wrap of a huge int64 index)
      const src = lax.broadcastTo(a.idx, b).toTypedArray()
      for (let i = 0; i < n; i++) {
        const v = src[i] as number
        if (v < -size || v >= size)
          throw new IndexError(`index ${v} is out of bounds for dimension ${a.dim} with size ${size}`)
        flat[i] = (flat[i] as number) + (v < 0 ? v + size : v) * stride
      }
    })
  const rest = shape.map((_, i) => i).filter((i) => !dims.includes(i))
  const perm = [...dims, ...rest]
  const adjacent = dims.every((d, i) => i === 0 || d === (dims[i - 1] as number) + 1)
  const first = dims[0] as number
  // result layout [B..., rest...]; with adjacent advanced dims PyTorch puts B at the first one
  const before = adjacent ? rest.filter((i) => i < first).length : 0
  const outPerm = [...Array(b.length + rest.length).keys()]
  const moved = adjacent
    ? [
        ...outPerm.slice(b.length, b.length + before),
        ...outPerm.slice(0, b.length),
        ...outPerm.slice(b.length + before),
      ]
    : outPerm
  return {
    b,
    n,
    flat: flatArr ?? new NdArray(b, 'int32', flat),
    perm,
    rest,
    D: advSizes.reduce((p, d) => p * d, 1),
    moved,
  }
}

export const advancedGet = (x: NdArray, adv: ReadonlyArray<Adv>): NdArray => {
  const p = plan(x.shape, adv)
  const restShape = p.rest.map((i) => x.shape[i] as number)
  const xr = lax.reshape(lax.transpose(x, p.perm), [p.D, ...restShape])
  return lax.transpose(lax.gather(xr, p.flat, 0), p.moved)
}

/** `x[adv] = v` (or `+=` with accumulate); where `adv` repeats a position, the last write wins. */
export const advancedPut = (x: NdArray, adv: ReadonlyArray<Adv>, v: NdArray, accumulate: boolean): NdArray => {
  const p = plan(x.shape, adv)
  const restShape = p.rest.map((i) => x.shape[i] as number)
  const xr = lax.reshape(lax.transpose(x, p.perm), [p.D, ...restShape])
  const resultShape = p.moved.map((i) => [...p.b, ...restShape][i] as number)
  checkBroadcast(resultShape, v.shape)
  const inv = p.moved.map((_, i) => p.moved.indexOf(i))
  const vals = lax.reshape(lax.transpose(lax.broadcastTo(lax.cast(v, x.dtype), resultShape), inv), [p.n, ...restShape])
  const flatIdx = lax.reshape(p.flat, [p.n])
  let out: NdArray
  if (accumulate) out = addAt(xr, vals, flatIdx, 0)
  // meta positions have no values to find the last write of: the scatter's shape rule alone
  else if (isMeta(flatIdx)) out = lax.scatter(xr, flatIdx, vals)
  else {
    const pos = flatIdx.toTypedArray()
    const last = new Map<number, number>()
    pos.forEach((q, i) => last.set(q, i))
    const rows = new NdArray([last.size], 'int32', Int32Array.from(last.values()))
    const where = new NdArray([last.size], 'int32', Int32Array.from(last.keys()))
    const scattered = lax.scatterAdd(lax.gather(vals, rows, 0), where, 0, xr.shape)
    const mask = new Uint8Array(p.D)
    for (const q of last.keys()) mask[q] = 1
    const m = lax.broadcastInDim(new NdArray([p.D], 'bool', mask), xr.shape, [0])
    out = lax.select(m, scattered, xr)
  }
  const back = p.perm.map((_, i) => p.perm.indexOf(i))
  return lax.transpose(
    lax.reshape(
      out,
      p.perm.map((i) => x.shape[i] as number),
    ),
    back,
  )
}

// -------------------------------------------------------------------------------------
// ops
// -------------------------------------------------------------------------------------

/**
 * `x.index_put(adv, v, accumulate)` as one `IndexPutBackward0` op with PyTorch's gradient
 * (derivatives.yaml, `_index_put_impl_`): `self: accumulate ? grad : grad.index_put(indices,
 * zeros_like(values))`, `values: grad.index(indices)` summed to the values' shape. A position
 * listed twice is written once (the last value), yet each listing passes the gradient there back
 * to its value (seed 320897: `v[[0, 0]] = w` gives w twice the gradient), which is not the
 * derivative of the last-write forward; so the gradient is given here rather than derived.
 * `saves`: the index tensors PyTorch's node saves.
 */
export const indexPutOp = (
  x: Tensor,
  v: Tensor,
  adv: ReadonlyArray<Adv>,
  accumulate: boolean,
  saves: ReadonlyArray<Tensor>,
): Tensor =>
  op('IndexPutBackward0', [x, v], (xv, vv) => advancedPut(xv, adv, vv, accumulate), {
    savesTensors: saves,
    grads: (g, [, vv], [needX, needV]) => [
      needX ? Tensor._fromValue(accumulate ? g : advancedPut(g, adv, lax.zerosLike(vv as NdArray), false)) : null,
      needV ? Tensor._fromValue(lax.unbroadcast(advancedGet(g, adv), (vv as NdArray).shape)) : null,
    ],
    formula: (g, [, vt]) => {
      const values = vt as Tensor
      const zeros = Tensor._fromValue(lax.zerosLike(values._value()))
      return [accumulate ? g : indexPutOp(g, zeros, adv, false, saves), sumTo(indexOp(g, adv), values)]
    },
  })

/**
 * `x[indices]` (IndexBackward0, saving `saves`, the index tensors). Its create_graph gradient is
 * PyTorch 2.x's `index_backward`: `_index_put_impl_(zeros_like(self), indices, grad, accumulate=True)`,
 * an IndexPutImplBackward0 node whose only edge is the gradient's (the zeros need none).
 */
export const indexOp = (x: Tensor, adv: ReadonlyArray<Adv>, saves: ReadonlyArray<Tensor> = []): Tensor =>
  op('IndexBackward0', [x], (xv) => advancedGet(xv, adv), {
    savesTensors: saves,
    formula: (g, [self]) => {
      const zeros = Tensor._fromValue(lax.zerosLike((self as Tensor)._value()))
      return [op('IndexPutImplBackward0', [zeros, g], (z, gv) => advancedPut(z, adv, gv, true))]
    },
  })

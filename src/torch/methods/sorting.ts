/**
 * Sorting and running scans as Tensor methods: `sort`, `argsort`, `msort`, `topk`, `cumprod`,
 * `cummax`, `cummin`, `logcumsumexp`, `diff`. Indices are int64 and never require grad; values
 * are a differentiable gather of the input at those indices, under PyTorch's node names
 * (SortBackward0, TopkBackward0, CummaxBackward0, CumminBackward0), so their gradient is
 * scattered back through the permutation (or to the running argmax).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { flatIndices, scanArgPath, takeAlong } from '../../core/primitives/alongAxis'
import { isFloat } from '../../ndarray/dtype'
import type { NdArray } from '../../ndarray/NdArray'
import { argsort as argsortOp, diff as diffOp } from '../../ops'
import { op } from '../autograd/op'
import { fromStorage, type TorchDType } from '../dtype'
import { RuntimeError, TorchTypeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { isMeta } from '../meta'
import { floatOf, normDim } from '../ops/convert'
import { Tensor } from '../tensor'
import { cumprodGrad } from './cumprodGrad'
import { logcumsumexpWithGrad, selectFlat } from './gradKernels'
import type { ValuesIndices } from './reduce'

type T = Tensor

const pair = (values: T, indices: T): ValuesIndices => Object.assign([values, indices] as [T, T], { values, indices })

/** An int64 tensor that never requires grad. */
const indexTensor = (self: T, idx: NdArray): T =>
  op('argsort', [self], () => lax.cast(idx, 'int64'), { differentiable: false })

/** True when a tensor with readable values has an element equal to 0 (-0 too). */
const hasZero = (t: T): boolean => {
  const v = t._value()
  return !isMeta(v) && v.toTypedArray().some((x) => x === 0)
}

const typeName = (d: NdArray['dtype']): string => fromStorage(d).word

/** The int32 permutation sorting `x` along `axis` (stable; descending keeps ties in order). */
const permutation = (x: NdArray, axis: number, descending: boolean): NdArray =>
  x.ndim === 0 ? lax.zerosLike({ shape: [], dtype: 'int32' }) : argsortOp(x, { axis, descending })

/**
 * The gather of the input at `idx` along `axis`, recorded as `name`, and the int64 indices, which
 * the node saves as PyTorch's does (so a backward frees them and a second one raises).
 */
const gatheredPair = (name: string, self: T, idx: NdArray, axis: number, overwrite = false): ValuesIndices => {
  const indices = indexTensor(self, idx)
  // sort/topk: value_selecting_reduction_backward writes the gradient into zeros (scatter_);
  // cummax/cummin: cummaxmin_backward adds it (scatter_add_, several outputs pick one element)
  const pick = (x: NdArray): NdArray =>
    overwrite ? lax.reshape(selectFlat(x, flatIndices(idx, axis, x.shape)), idx.shape) : takeAlong(x, idx, axis)
  // cummaxmin_backward(grad, self, indices, dim) saves self too; sort/topk keep self's sizes only
  const values = op(name, [self], (x) => (x.ndim === 0 ? x : pick(x)), {
    savesTensors: [indices],
    ...(overwrite ? {} : { saves: [0] }),
  })
  return pair(values, indices)
}

/** The first `k` positions of `idx` along `axis`. */
const firstAlong = (idx: NdArray, axis: number, k: number): NdArray =>
  idx.ndim === 0
    ? idx
    : lax.slice(
        idx,
        idx.shape.map(() => 0),
        idx.shape.map((d, i) => (i === axis ? k : d)),
        idx.shape.map(() => 1),
      )

const scanDim = (name: string, self: T, args: ReadonlyArray<unknown>): number => {
  const a = parseArgs(name, args, ['dim'])
  if (a.dim === undefined || a.dim === null)
    throw new TorchTypeError(
      `${name}() received an invalid combination of arguments - got (), but expected one of:\n * (int dim)\n * (name dim)`,
    )
  return normDim(a.dim as number, self._value().ndim)
}

/** cummax/cummin: values gathered at the running argmax (the latest position holding it, as PyTorch). */
const runningExtremum = (self: T, which: 'cummax' | 'cummin', args: ReadonlyArray<unknown>): ValuesIndices => {
  const axis = scanDim(which, self, args)
  const v = self._value()
  const y = v.ndim === 0 ? v : which === 'cummax' ? lax.cummax(v, axis) : lax.cummin(v, axis)
  const idx = v.ndim === 0 ? lax.zerosLike({ shape: [], dtype: 'int32' }) : scanArgPath(v, y, axis, false)
  const node = which === 'cummax' ? 'CummaxBackward0' : 'CumminBackward0'
  return gatheredPair(node, self, idx, axis)
}

/** The Tensor methods of this module (installed by `../install`). */
export const sortingMethods = {
  /** Sorted values and their int64 indices along `dim` (stable; NaN sorts as the largest value). */
  sort(
    this: T,
    ...args: PyArgs<
      [dim: number, descending: boolean],
      { readonly dim?: number; readonly descending?: boolean; readonly stable?: boolean }
    >
  ): ValuesIndices {
    const a = parseArgs('sort', args, ['dim', 'descending', 'stable'])
    const v = this._value()
    const axis = normDim((a.dim as number | undefined) ?? -1, v.ndim)
    const idx = permutation(v, axis, (a.descending as boolean | undefined) ?? false)
    return gatheredPair('SortBackward0', this, idx, axis, true)
  },
  /** The int64 indices that sort along `dim`. */
  argsort(
    this: T,
    ...args: PyArgs<
      [dim: number, descending: boolean],
      { readonly dim?: number; readonly descending?: boolean; readonly stable?: boolean }
    >
  ): T {
    const a = parseArgs('argsort', args, ['dim', 'descending', 'stable'])
    const v = this._value()
    const axis = normDim((a.dim as number | undefined) ?? -1, v.ndim)
    return indexTensor(this, permutation(v, axis, (a.descending as boolean | undefined) ?? false))
  },
  /** Sorted along the first dimension (`sort(dim=0).values`). */
  msort(this: T): T {
    return sortingMethods.sort.call(this, 0).values
  },
  /** The `k` largest (or smallest) values along `dim` and their int64 indices, sorted. */
  topk(
    this: T,
    ...args: PyArgs<
      [k: number, dim: number, largest: boolean, sorted: boolean],
      { readonly k?: number; readonly dim?: number; readonly largest?: boolean; readonly sorted?: boolean }
    >
  ): ValuesIndices {
    const a = parseArgs('topk', args, ['k', 'dim', 'largest', 'sorted'])
    const v = this._value()
    const axis = normDim((a.dim as number | undefined) ?? -1, v.ndim)
    const k = a.k as number | undefined
    if (k === undefined) throw new TorchTypeError("topk() missing 1 required positional arguments: 'k'")
    const n = v.ndim === 0 ? 1 : (v.shape[axis] as number)
    if (!Number.isInteger(k) || k < 0 || k > n) throw new RuntimeError('selected index k out of range')
    const idx = firstAlong(permutation(v, axis, (a.largest as boolean | undefined) ?? true), axis, k)
    return gatheredPair('TopkBackward0', this, idx, axis, true)
  },
  /** Running product along `dim` (`dtype`: cast first); integer inputs multiply as int64. */
  cumprod(this: T, ...args: PyArgs<[dim: number], { readonly dim?: number; readonly dtype?: TorchDType }>): T {
    const a = parseArgs('cumprod', args, ['dim', 'dtype'])
    const axis = scanDim('cumprod', this, a.dim === undefined ? [] : [a.dim])
    const dt = a.dtype as TorchDType | undefined
    const v = this._value()
    // PyTorch's cumprod_backward (./cumprodGrad.ts) where it computes one: a float input with
    // more than one element along the dim, the result in the input's dtype
    const formulaGrad =
      isFloat(v.dtype) && v.ndim > 0 && (v.shape[axis] as number) > 1 && (dt === undefined || dt.storage === v.dtype)
    const out = op(
      'CumprodBackward0',
      [this],
      (x0) => {
        const x = dt !== undefined ? lax.cast(x0, dt.storage) : isFloat(x0.dtype) ? x0 : lax.cast(x0, 'int64')
        // (cumprod_backward returns grad itself along a dimension of size 1: so does the identity)
        return x.ndim === 0 || x.shape[axis] === 1 ? x : lax.cumprod(x, axis)
        // CumprodBackward0 saves self and result (cumprod_backward(grad, self, dim, result))
      },
      {
        saves: [0],
        savesOutput: true,
        ...(formulaGrad
          ? {
              grads: (g: NdArray, [x]: ReadonlyArray<NdArray>) => {
                const xv = x as NdArray
                return [Tensor._fromValue(cumprodGrad(g, xv, lax.cumprod(xv, axis), axis))]
              },
            }
          : {}),
      },
    )
    // cumprod_backward's branch for an input with a zero (outside create_graph) writes into
    // `zeros(...)` with two `masked_scatter_` calls: the gradient is at version 3
    if (out._gradFn !== null && v.size > 1 && v.ndim > 0 && (v.shape[axis] as number) > 1 && hasZero(this))
      out._gradFn._gradVersions = [3]
    return out
  },
  /** Running maximum along `dim` and the int64 index of each. */
  cummax(this: T, ...args: PyArgs<[dim: number], { readonly dim?: number }>): ValuesIndices {
    return runningExtremum(this, 'cummax', args)
  },
  /** Running minimum along `dim` and the int64 index of each. */
  cummin(this: T, ...args: PyArgs<[dim: number], { readonly dim?: number }>): ValuesIndices {
    return runningExtremum(this, 'cummin', args)
  },
  /** Running log-sum-exp along `dim`, without overflow. */
  logcumsumexp(this: T, ...args: PyArgs<[dim: number], { readonly dim?: number }>): T {
    const axis = scanDim('logcumsumexp', this, args)
    const v = this._value()
    if (!isFloat(v.dtype)) throw new RuntimeError(`"logcumsumexp_out_cpu" not implemented for '${typeName(v.dtype)}'`)
    // LogcumsumexpBackward0 saves self and result (logcumsumexp_backward(grad, self, result, dim))
    return op('LogcumsumexpBackward0', [this], (x) => (x.ndim === 0 ? x : logcumsumexpWithGrad(axis)(floatOf(x))), {
      saves: [0],
      savesOutput: true,
    })
  },
  /** n-th forward difference along `dim`, after `prepend`/`append` (bool: not-equal). */
  diff(
    this: T,
    ...args: PyArgs<
      [n: number, dim: number, prepend: T | null, append: T | null],
      { readonly n?: number; readonly dim?: number; readonly prepend?: T | null; readonly append?: T | null }
    >
  ): T {
    const a = parseArgs('diff', args, ['n', 'dim', 'prepend', 'append'])
    const v = this._value()
    if (v.ndim === 0) throw new RuntimeError('diff expects input to be at least one-dimensional')
    const n = (a.n as number | undefined) ?? 1
    if (n < 0) throw new RuntimeError(`order must be non-negative but got ${n}`)
    const axis = normDim((a.dim as number | undefined) ?? -1, v.ndim)
    const [pre, app] = [a.prepend as T | null | undefined, a.append as T | null | undefined]
    const extra = [pre, app].filter((t): t is T => t !== undefined && t !== null)
    return op('SubBackward0', [this, ...extra], (x, ...es) => {
      let at = 0
      const next = (t: T | null | undefined): NdArray | undefined =>
        t === undefined || t === null ? undefined : es[at++]
      const [p, q] = [next(pre), next(app)]
      return diffOp(x, {
        n,
        axis,
        ...(p === undefined ? {} : { prepend: p }),
        ...(q === undefined ? {} : { append: q }),
      })
    })
  },
}

/**
 * Shape methods that copy: `contiguous` (of a non-contiguous tensor), `clone`, `flip`, `roll`,
 * `repeat`, `tile` (installed with the others of shape.ts).
 *
 * @category torch
 * @since 0.1.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { RuntimeError, TorchTypeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import {
  checkContiguousFormat,
  checkMemoryFormat,
  contiguous_format,
  copyStrides,
  type memory_format,
} from '../memoryFormat'
import { normDim, sizesOf } from '../ops/convert'
import type { Tensor } from '../tensor'

type T = Tensor
type Sizes = ReadonlyArray<number> | [ReadonlyArray<number>]

/** A CloneBackward0 copy of `t` with the strides of memory format `f`. */
export const copyOf = (t: T, f: memory_format): T => {
  // x − (+0) copies every value, −0 included (x + 0 would turn −0 into +0)
  const r = op('CloneBackward0', [t], (x) => lax.reshape(lax.sub(x, lax.zerosLike(x)), x.shape))
  const st = copyStrides(t, f)
  if (st !== null) r._strides = st
  return r
}

/** `x` rolled by `ss[k]` along `ds[k]` (two slices concatenated in swapped order). */
const rollValues = (x0: NdArray, ss: ReadonlyArray<number>, ds: ReadonlyArray<number>): NdArray => {
  let x = x0
  ds.forEach((d, k) => {
    const n = x.shape[d] as number
    if (n === 0) return
    const s = (((ss[k] ?? 0) % n) + n) % n
    if (s === 0) return
    const part = (a: number, b: number) =>
      lax.slice(
        x,
        x.shape.map((_, i) => (i === d ? a : 0)),
        x.shape.map((v, i) => (i === d ? b : v)),
        x.shape.map(() => 1),
      )
    x = lax.concatenate([part(n - s, n), part(0, n - s)], d)
  })
  return x
}

/** Copying methods installed on Tensor (part of `shapeMethods`). */
export const copyMethods = {
  /** Itself if contiguous, else a contiguous copy (`memory_format` may only be `torch.contiguous_format`). */
  contiguous(this: T, ...args: PyArgs<[], { readonly memory_format?: memory_format }>): T {
    checkContiguousFormat(parseArgs('contiguous', args, ['memory_format'], 0).memory_format)
    return this.is_contiguous() ? this : copyOf(this, contiguous_format)
  },
  /**
   * A copy with its own storage (differentiable: CloneBackward0). Its strides are the input's
   * where those are dense (`memory_format=torch.preserve_format`, the default), or row-major
   * (`torch.contiguous_format`).
   */
  clone(this: T, ...args: PyArgs<[], { readonly memory_format?: memory_format }>): T {
    return copyOf(this, checkMemoryFormat('clone', parseArgs('clone', args, ['memory_format'], 0).memory_format))
  },
  /** Reverses the given dimensions (a copy). */
  flip(this: T, ...dims: Sizes): T {
    const n = this._value().ndim
    const ds = sizesOf(dims).map((d) => normDim(d, n))
    return op('FlipBackward0', [this], (x) =>
      lax.flip(
        x,
        [...new Set(ds)].sort((a, b) => a - b),
      ),
    )
  },
  /**
   * Rolls elements along `dims` by `shifts` (a copy). Without dims the flattened tensor rolls
   * (RollBackward0 either way, as PyTorch: its kernel flattens, not its graph).
   */
  roll(
    this: T,
    ...args: PyArgs<
      [shifts: number | ReadonlyArray<number>, dims: number | ReadonlyArray<number>],
      { readonly shifts?: number | ReadonlyArray<number>; readonly dims?: number | ReadonlyArray<number> }
    >
  ): T {
    const a = parseArgs('roll', args, ['shifts', 'dims'])
    const shifts = a.shifts as number | ReadonlyArray<number> | undefined
    // PyTorch's argument parser words it so (plural, double quotes)
    if (shifts === undefined) throw new TorchTypeError('roll() missing 1 required positional arguments: "shifts"')
    const dims = a.dims as number | ReadonlyArray<number> | undefined
    const sh = this._value().shape
    const ss = typeof shifts === 'number' ? [shifts] : [...shifts]
    if (dims === undefined)
      return op('RollBackward0', [this], (x) =>
        lax.reshape(rollValues(lax.reshape(x, [x.size]), [ss[0] ?? 0], [0]), sh),
      )
    const ds = (typeof dims === 'number' ? [dims] : [...dims]).map((d) => normDim(d, sh.length))
    return op('RollBackward0', [this], (x) => rollValues(x, ss, ds))
  },
  /** Tiles the tensor `sizes` times along each dimension (a copy). */
  repeat(this: T, ...sizes: Sizes): T {
    const reps = sizesOf(sizes)
    const sh = this._value().shape
    if (reps.length < sh.length)
      throw new RuntimeError(
        'Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor',
      )
    return op('RepeatBackward0', [this], (x0) => {
      const x = lax.reshape(x0, [...Array(reps.length - sh.length).fill(1), ...sh])
      const big: number[] = []
      const dims: number[] = []
      x.shape.forEach((d, i) => {
        big.push(reps[i] as number, d)
        dims.push(2 * i + 1)
      })
      return lax.reshape(
        lax.broadcastInDim(x, big, dims),
        x.shape.map((d, i) => d * (reps[i] as number)),
      )
    })
  },
  /** Like repeat, padding `sizes` with leading ones. */
  tile(this: T, ...sizes: Sizes): T {
    const reps = sizesOf(sizes)
    const n = this._value().ndim
    return copyMethods.repeat.call(this, [...Array(Math.max(0, n - reps.length)).fill(1), ...reps])
  },
}

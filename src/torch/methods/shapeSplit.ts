/**
 * Shape methods that take one slice or cut a tensor into pieces, all views of it: `select`,
 * `narrow`, `unbind`, `split`, `chunk` (installed with the others of shape.ts).
 *
 * @category torch
 * @since 0.1.0
 */
import { markMultiOutput, viewOp } from '../autograd/op'
import { IndexError, RuntimeError, TorchTypeError } from '../errors'
import { pyTypeName } from '../pyTypeName'
import { parseArgs, type PyArgs } from '../kwargs'
import { normDim } from '../ops/convert'
import { selectStep, sliceStep } from '../ops/views'
import type { Tensor } from '../tensor'

type T = Tensor

/** Slicing methods installed on Tensor (part of `shapeMethods`). */
export const splitMethods = {
  /** The slice at `index` along `dim`, with the dimension removed (a view). */
  select(
    this: T,
    ...args: PyArgs<[dim: number, index: number], { readonly dim?: number; readonly index?: number }>
  ): T {
    const a0 = parseArgs('select', args, ['dim', 'index'])
    const dim = a0.dim as number
    const index = a0.index as number
    const sh = this._value().shape
    if (sh.length === 0) throw new IndexError('select() cannot be applied to a 0-dim tensor.')
    const d = normDim(dim, sh.length)
    const n = sh[d] as number
    if (index < -n || index >= n)
      throw new IndexError(
        `select(): index ${index} out of range for tensor of size [${sh.join(', ')}] at dimension ${d}`,
      )
    const i = index < 0 ? index + n : index
    return viewOp(
      this,
      selectStep('SelectBackward0', d, i),
      this._strides.filter((_, k) => k !== d),
    )
  },
  /** `length` elements of `dim` from `start` (a view). */
  narrow(
    this: T,
    ...args: PyArgs<
      [dim: number, start: number, length: number],
      { readonly dim?: number; readonly start?: number; readonly length?: number }
    >
  ): T {
    const a0 = parseArgs('narrow', args, ['dim', 'start', 'length'])
    const dim = a0.dim as number
    const start = a0.start as number
    const length = a0.length as number
    const sh = this._value().shape
    const d = normDim(dim, sh.length)
    const n = sh[d] as number
    const s = start < 0 ? start + n : start
    if (s < 0 || s > n)
      throw new IndexError(`start out of range (expected to be in range of [${-n}, ${n}], but got ${start})`)
    if (s + length > n) throw new RuntimeError(`start (${s}) + length (${length}) exceeds dimension size (${n}).`)
    return sliceView(this, d, s, s + length, 1, 'SliceBackward0')
  },
  /** The tensors `select(dim, i)` for every i. */
  unbind(this: T, ...args: PyArgs<[dim: number], { readonly dim?: number }>): T[] {
    const dim = (parseArgs('unbind', args, ['dim']).dim as number | undefined) ?? 0
    const sh = this._value().shape
    const d = normDim(dim, sh.length)
    return markMultiOutput(
      Array.from({ length: sh[d] as number }, (_, i) =>
        viewOp(
          this,
          selectStep('UnbindBackward0', d, i),
          this._strides.filter((_, k) => k !== d),
        ),
      ),
    )
  },
  /** Splits into pieces of `split_size` (or the given sizes) along `dim` (views). */
  split(
    this: T,
    split_size_or_sections: number | ReadonlyArray<number>,
    ...args: PyArgs<[dim: number], { readonly dim?: number }>
  ): T[] {
    const dim = (parseArgs('split', args, ['dim']).dim as number | undefined) ?? 0
    const sh = this._value().shape
    const d = normDim(dim, sh.length)
    const n = sh[d] as number
    const sizes: number[] = []
    if (typeof split_size_or_sections === 'number') {
      const k = split_size_or_sections
      for (let s = 0; s < n || (n === 0 && sizes.length === 0); s += k) sizes.push(Math.min(k, n - s))
    } else {
      if (!Array.isArray(split_size_or_sections))
        throw new TorchTypeError(
          `split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of ints, not ${pyTypeName(split_size_or_sections)}`,
        )
      if (split_size_or_sections.reduce((a, b) => a + b, 0) !== n) {
        throw new RuntimeError(
          `split_with_sizes expects split_sizes to sum exactly to ${n} (input tensor's size at dimension ${d}), but got split_sizes=[${split_size_or_sections.join(', ')}]`,
        )
      }
      sizes.push(...split_size_or_sections)
    }
    const name = typeof split_size_or_sections === 'number' ? 'SplitBackward0' : 'SplitWithSizesBackward0'
    let s = 0
    return markMultiOutput(
      sizes.map((k) => {
        const v = sliceView(this, d, s, s + k, 1, name)
        s += k
        return v
      }),
    )
  },
  /** Splits into `chunks` pieces along `dim` (views). */
  chunk(this: T, chunks: number, ...args: PyArgs<[dim: number], { readonly dim?: number }>): T[] {
    const dim = (parseArgs('chunk', args, ['dim']).dim as number | undefined) ?? 0
    if (!(chunks > 0)) throw new RuntimeError(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`)
    const n = this._value().shape[normDim(dim, this._value().ndim)] as number
    // ATen splits an empty dimension into `chunks` empty pieces with split_with_sizes
    if (n === 0) return splitMethods.split.call(this, new Array<number>(chunks).fill(0), dim)
    return splitMethods.split.call(this, Math.ceil(n / chunks), dim)
  },
}

/** A slice view `[start:stop:step]` of one dimension. */
export const sliceView = (
  self: T,
  d: number,
  start: number,
  stop: number,
  step: number,
  name = 'SliceBackward0',
): T => {
  const st = self._strides.map((s, i) => (i === d ? s * step : s))
  return viewOp(self, sliceStep(name, d, start, stop, step), st)
}

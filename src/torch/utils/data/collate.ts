/**
 * `default_collate` and `default_convert`: how the DataLoader turns a list of samples into a
 * batch. Tensors are stacked along a new first dimension; numbers become a tensor (int64 when
 * every number is an integer, else float64 — JavaScript has one number type, where Python tells
 * `1` from `1.0`); booleans a bool tensor; strings stay a list; arrays (Python's tuples and
 * lists) and plain objects (dicts) are collated field by field, keeping their structure.
 *
 * @category torch
 * @since 0.2.0
 */
import { NdArray } from '../../../ndarray/NdArray'
import { float64, int64, bool } from '../../dtype'
import { RuntimeError, TorchTypeError } from '../../errors'
import { isKwargs, pyFunction } from '../../kwargs'
import { tensor } from '../../creation'
import { stack } from '../../ops/functions'
import { Tensor } from '../../tensor'

/** The batch `default_collate` makes of samples of type `T`. @category torch @since 0.2.0 */
export type Collated<T> = T extends Tensor | NdArray | number | boolean
  ? Tensor
  : T extends string
    ? string[]
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Collated<T[K]> }
      : T extends object
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : never

const typeName = (u: unknown): string =>
  u === null || u === undefined ? 'NoneType' : ((u as object).constructor?.name ?? typeof u)

/**
 * Collates a list of samples into a batch (PyTorch's `default_collate`), recursively.
 * @example
 * import * as torch from 'wengert/torch'
 * const batch = torch.utils.data.default_collate([
 *   { x: torch.tensor([1, 2]), y: 0 },
 *   { x: torch.tensor([3, 4]), y: 1 },
 * ])
 * assert.deepStrictEqual(batch.x.tolist(), [[1, 2], [3, 4]])
 * assert.strictEqual(String(batch.y), 'tensor([0, 1])')
 * @category torch @since 0.2.0
 */
export const default_collate = pyFunction(
  'default_collate',
  ['batch'],
  1,
  <T>(batch: ReadonlyArray<T>): Collated<T> => collate(batch) as Collated<T>,
  false,
)

const collate = (batch: ReadonlyArray<unknown>): unknown => {
  const elem = batch[0]
  if (elem instanceof Tensor) return stack(batch.map((b) => asTensor(b, elem)))
  if (elem instanceof NdArray) return stack(batch.map((b) => asTensor(b, elem)))
  if (typeof elem === 'number') {
    const allInts = batch.every((b) => Number.isInteger(b))
    return tensor(batch as number[], { dtype: allInts ? int64 : float64 })
  }
  if (typeof elem === 'boolean') return tensor(batch as boolean[], { dtype: bool })
  if (typeof elem === 'string') return [...batch]
  if (Array.isArray(elem)) {
    const n = elem.length
    if (batch.some((b) => !Array.isArray(b) || b.length !== n))
      throw new RuntimeError('each element in list of batch should be of equal size')
    return elem.map((_, i) => collate(batch.map((b) => (b as unknown[])[i])))
  }
  if (isKwargs(elem) || elem instanceof Map) {
    const keys = elem instanceof Map ? [...elem.keys()] : Object.keys(elem)
    const get = (b: unknown, k: unknown): unknown =>
      b instanceof Map ? b.get(k) : (b as Record<string, unknown>)[k as string]
    const out = keys.map((k) => [k, collate(batch.map((b) => get(b, k)))] as const)
    return elem instanceof Map ? new Map(out) : Object.fromEntries(out)
  }
  throw new TorchTypeError(
    `default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found ${typeName(elem)}`,
  )
}

const asTensor = (b: unknown, first: unknown): Tensor => {
  if (b instanceof Tensor) return b
  if (b instanceof NdArray) return new Tensor(b)
  throw new TorchTypeError(
    `default_collate: batch elements must all have the type of the first (${typeName(first)}), found ${typeName(b)}`,
  )
}

/**
 * Converts one sample without batching (PyTorch's `default_convert`, used when
 * `batch_size=None`): NdArrays become tensors, containers are converted field by field, anything
 * else is returned as is.
 * @example
 * import * as torch from 'wengert/torch'
 * const s = torch.utils.data.default_convert([torch.tensor(1), 2])
 * assert.strictEqual(s[1], 2)
 * @category torch @since 0.2.0
 */
export const default_convert = pyFunction('default_convert', ['data'], 1, <T>(data: T): T => convert(data) as T, false)

const convert = (d: unknown): unknown => {
  if (d instanceof NdArray) return new Tensor(d)
  if (Array.isArray(d)) return d.map(convert)
  if (isKwargs(d)) return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, convert(v)]))
  return d
}

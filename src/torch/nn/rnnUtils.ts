/**
 * `torch.nn.utils.rnn`: `PackedSequence` (a batch of variable-length sequences stored time step
 * by time step, longest first), `pad_sequence`, `pack_padded_sequence`, `pad_packed_sequence`
 * and `pack_sequence`. `RNN`, `LSTM` and `GRU` accept a `PackedSequence` and return one.
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from './pyclass'
import { full, tensor } from '../creation'
import { int64 } from '../dtype'
import { RuntimeError, TorchValueError } from '../errors'
import { keywordForms, parseArgs, type PyArgs } from '../kwargs'
import { cat, stack } from '../ops/functions'
import { Tensor } from '../tensor'

type T = Tensor

/** An int64 1-d tensor of `xs`. */
const longs = (xs: ReadonlyArray<number>): T => tensor([...xs], { dtype: int64 })
const numbers = (t: T | ReadonlyArray<number>): number[] =>
  t instanceof Tensor ? (t.reshape(-1).tolist() as number[]) : [...t]

/** The inverse of a permutation (`out[perm[i]] = i`). */
const invert = (perm: T | null): T | null => {
  if (perm === null) return null
  const p = numbers(perm)
  const out = new Array<number>(p.length)
  p.forEach((v, i) => (out[v] = i))
  return longs(out)
}

/** See {@link PackedSequence}. */
class PackedSequenceImpl {
  /** The inverse permutation of `sorted_indices` (null when the batch was given sorted). */
  readonly unsorted_indices: T | null
  constructor(
    /** `[sum(batch_sizes), *]`: step 0's rows, then step 1's, … */
    readonly data: T,
    /** int64 `[max length]`: how many sequences are still running at each step. */
    readonly batch_sizes: T,
    /** The batch order used for packing (null when the batch was given sorted). */
    readonly sorted_indices: T | null = null,
    unsorted_indices: T | null = null,
  ) {
    this.unsorted_indices = unsorted_indices ?? invert(sorted_indices)
  }

  /** `[data, batch_sizes, sorted_indices, unsorted_indices]`, as Python's tuple unpacking. */
  *[Symbol.iterator](): Generator<T | null> {
    yield this.data
    yield this.batch_sizes
    yield this.sorted_indices
    yield this.unsorted_indices
  }

  /** The same packing with `data` replaced (as PyTorch's `_replace(data=…)`). */
  _with_data(data: T): PackedSequence {
    return new PackedSequenceImpl(data, this.batch_sizes, this.sorted_indices, this.unsorted_indices)
  }

  toString(): string {
    const s = (t: T | null): string => (t === null ? 'None' : String(t))
    return `PackedSequence(data=${s(this.data)}, batch_sizes=${s(this.batch_sizes)}, sorted_indices=${s(this.sorted_indices)}, unsorted_indices=${s(this.unsorted_indices)})`
  }
}
/**
 * A packed batch of sequences (PyTorch's `PackedSequence`): `data` holds the time steps one after
 * another (`batch_sizes[t]` rows for step t, sequences sorted by decreasing length), and
 * `sorted_indices`/`unsorted_indices` map between the caller's batch order and the sorted one.
 * Iterable as the 4-tuple `[data, batch_sizes, sorted_indices, unsorted_indices]`.
 * @example
 * import * as torch from 'wengert/torch'
 * const { pack_sequence } = torch.nn.utils.rnn
 * const p = pack_sequence([torch.tensor([1, 2, 3]), torch.tensor([4, 5])])
 * assert.deepStrictEqual(p.data.tolist(), [1, 4, 2, 5, 3])
 * assert.deepStrictEqual(p.batch_sizes.tolist(), [2, 2, 1])
 * @category torch @since 0.2.0
 */
export const PackedSequence = pyClass(PackedSequenceImpl, 'PackedSequence')
/** A `PackedSequence`. @category torch @since 0.2.0 */
export type PackedSequence = PackedSequenceImpl

/**
 * Pads a list of `[L_i, *]` tensors with `padding_value` to the longest length and stacks them:
 * `[T, B, *]`, or `[B, T, *]` with `batch_first`. `padding_side: 'left'` pads in front.
 * @example
 * import * as torch from 'wengert/torch'
 * const { pad_sequence } = torch.nn.utils.rnn
 * const out = pad_sequence([torch.tensor([1, 2, 3]), torch.tensor([4])], { batch_first: true, padding_value: -1 })
 * assert.deepStrictEqual(out.tolist(), [[1, 2, 3], [4, -1, -1]])
 * @category torch @since 0.2.0
 */
export const pad_sequence = keywordForms(
  'pad_sequence',
  ['sequences'],
  (
    sequences: ReadonlyArray<T> | T,
    ...rest: PyArgs<
      [batch_first: boolean, padding_value: number, padding_side: 'right' | 'left'],
      { readonly batch_first?: boolean; readonly padding_value?: number; readonly padding_side?: 'right' | 'left' }
    >
  ): T => {
    const a = parseArgs('pad_sequence', rest, ['batch_first', 'padding_value', 'padding_side'])
    const side = (a.padding_side as string | undefined) ?? 'right'
    if (side !== 'right' && side !== 'left')
      throw new TorchValueError(`Expected padding_side to be one of left or right, but got ${side}.`)
    const seqs = sequences instanceof Tensor ? sequences.unbind(0) : [...sequences]
    if (seqs.length === 0) throw new RuntimeError('received an empty list of sequences')
    const maxLen = Math.max(...seqs.map((s) => s.shape[0] as number))
    const value = (a.padding_value as number | undefined) ?? 0
    const padded = seqs.map((s) => {
      const n = maxLen - (s.shape[0] as number)
      if (n === 0) return s
      const pad = full([n, ...s.shape.slice(1)], value, { dtype: s.dtype })
      return cat(side === 'right' ? [s, pad] : [pad, s], 0)
    })
    return stack(padded, a.batch_first === true ? 0 : 1)
  },
)

/** `batch_sizes[t]` = number of lengths > t (lengths sorted decreasing). */
const batchSizesOf = (lengths: ReadonlyArray<number>): number[] =>
  Array.from({ length: lengths[0] ?? 0 }, (_, t) => lengths.filter((l) => l > t).length)

/**
 * Packs a padded batch (`[T, B, *]`, or `[B, T, *]` with `batch_first`) of sequences of the given
 * `lengths`. With `enforce_sorted` (default) the lengths must be decreasing; `enforce_sorted: false`
 * sorts the batch and records the permutation.
 * @example
 * import * as torch from 'wengert/torch'
 * const { pack_padded_sequence, pad_packed_sequence } = torch.nn.utils.rnn
 * const x = torch.tensor([[1, 2, 0], [3, 0, 0], [4, 5, 6]])
 * const p = pack_padded_sequence(x, [2, 1, 3], { batch_first: true, enforce_sorted: false })
 * assert.deepStrictEqual(p.data.tolist(), [4, 1, 3, 5, 2, 6])
 * assert.deepStrictEqual(p.sorted_indices?.tolist(), [2, 0, 1])
 * const [back, lens] = pad_packed_sequence(p, { batch_first: true })
 * assert.deepStrictEqual(back.tolist(), x.tolist())
 * assert.deepStrictEqual(lens.tolist(), [2, 1, 3])
 * @category torch @since 0.2.0
 */
export const pack_padded_sequence = keywordForms(
  'pack_padded_sequence',
  ['input', 'lengths'],
  (
    input: T,
    lengths: T | ReadonlyArray<number>,
    ...rest: PyArgs<
      [batch_first: boolean, enforce_sorted: boolean],
      { readonly batch_first?: boolean; readonly enforce_sorted?: boolean }
    >
  ): PackedSequence => {
    const a = parseArgs('pack_padded_sequence', rest, ['batch_first', 'enforce_sorted'])
    let lens = numbers(lengths)
    let x = a.batch_first === true ? input.transpose(0, 1) : input
    const B = x.shape[1] as number
    if (lens.length !== B)
      throw new RuntimeError(
        `Expected \`len(lengths)\` to be equal to batch_size, but got ${lens.length} (batch_size=${B})`,
      )
    let sorted: T | null = null
    if (a.enforce_sorted === false) {
      const order = lens.map((_, i) => i).sort((i, j) => (lens[j] as number) - (lens[i] as number))
      sorted = longs(order)
      lens = order.map((i) => lens[i] as number)
      x = x.index_select(1, sorted)
    } else if (lens.some((l, i) => i > 0 && l > (lens[i - 1] as number))) {
      throw new RuntimeError(
        '`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.',
      )
    }
    if (lens.some((l) => l <= 0))
      throw new RuntimeError(
        "Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0",
      )
    const sizes = batchSizesOf(lens)
    const data = cat(
      sizes.map((bs, t) => x.select(0, t).narrow(0, 0, bs)),
      0,
    )
    return new PackedSequence(data, longs(sizes), sorted)
  },
)

/**
 * Unpacks a `PackedSequence` into a padded batch and the lengths (int64), in the caller's original
 * batch order: `[T, B, *]` (or `[B, T, *]` with `batch_first`), padded with `padding_value` up to
 * `total_length` when given.
 * @category torch @since 0.2.0
 */
export const pad_packed_sequence = keywordForms(
  'pad_packed_sequence',
  ['sequence'],
  (
    sequence: PackedSequence,
    ...rest: PyArgs<
      [batch_first: boolean, padding_value: number, total_length: number | null],
      { readonly batch_first?: boolean; readonly padding_value?: number; readonly total_length?: number | null }
    >
  ): [T, T] => {
    const a = parseArgs('pad_packed_sequence', rest, ['batch_first', 'padding_value', 'total_length'])
    const sizes = numbers(sequence.batch_sizes)
    let T = sizes.length
    const total = (a.total_length as number | null | undefined) ?? null
    if (total !== null) {
      if (total < T)
        throw new TorchValueError(
          `Expected total_length to be at least the length of the longest sequence in input, but got total_length=${total} and max sequence length being ${T}`,
        )
      T = total
    }
    const B = sizes[0] ?? 0
    const value = (a.padding_value as number | undefined) ?? 0
    const feat = sequence.data.shape.slice(1)
    const steps = sequence.data.split(sizes, 0)
    const padTo = (s: T | undefined, n: number): T => {
      const fill = full([n, ...feat], value, { dtype: sequence.data.dtype })
      if (s === undefined) return fill
      return n === 0 ? s : cat([s, fill], 0)
    }
    const rows = Array.from({ length: T }, (_, t) => padTo(steps[t], B - (sizes[t] ?? 0)))
    let out = stack(rows, 0)
    let lens = Array.from({ length: B }, (_, b) => sizes.filter((s) => s > b).length)
    const un = sequence.unsorted_indices
    if (un !== null) {
      out = out.index_select(1, un)
      lens = numbers(un).map((i) => lens[i] as number)
    }
    return [a.batch_first === true ? out.transpose(0, 1) : out, longs(lens)]
  },
)

/**
 * Packs a list of `[L_i, *]` tensors (`pad_sequence` then `pack_padded_sequence`).
 * @category torch @since 0.2.0
 */
export const pack_sequence = keywordForms(
  'pack_sequence',
  ['sequences'],
  (
    sequences: ReadonlyArray<T>,
    ...rest: PyArgs<[enforce_sorted: boolean], { readonly enforce_sorted?: boolean }>
  ): PackedSequence => {
    const a = parseArgs('pack_sequence', rest, ['enforce_sorted'])
    const lengths = sequences.map((s) => s.shape[0] as number)
    return pack_padded_sequence(pad_sequence(sequences), lengths, { enforce_sorted: a.enforce_sorted !== false })
  },
)

/**
 * ONNX export rules of the random primitives, bit for bit: Threefry-2x32-20 written with ONNX's
 * uint32 operators, laid out as JAX's partitionable counters (`src/ndarray/random/threefry.ts`),
 * so the exported graph draws the same words, keys, floats, integers and permutations as
 * wengert's kernels (`src/ndarray/random/batched.ts`).
 *
 * The words are ONNX uint32 (key arrays are int64 holding uint32, cast in and out). ONNX Runtime's
 * CPU (and WebAssembly) kernels implement `Add`, `Mul`, `Mod` and `BitShift` on uint32 with
 * wrap-around (probed in onnxruntime-web 1.2x: (4e9 + 1e9) mod 2³² and a 32-bit product both
 * wrap), which is threefry's arithmetic mod 2³², so nothing is emulated. The bitwise operators
 * (`BitwiseXor/And/Or`) exist from opset 18: the rules refuse a lower opset.
 *
 * @category primitives
 * @since 0.2.0
 */
import { ValueError } from '../../ndarray/errors'
import { sizeOf, type Shape } from '../../ndarray/shape'
import type { Aval } from '../equation'
import type { OnnxEmitter, OnnxRule } from '../onnxRule'
import type { DrawParams, RandintParams, ShuffleParams, UnitParams } from './random'

/** ONNX `TensorProto.DataType` of uint32 (not a wengert dtype: it lives only inside these graphs). */
const UINT32 = 12

const ROTATIONS = [
  [13, 15, 26, 6],
  [17, 29, 16, 24],
] as const
const PARITY = 0x1bd11bda

/** Refuses opsets without the bitwise operators. */
export const needBitwise = (emit: OnnxEmitter, name: string): void => {
  if (emit.opset < 18)
    throw new ValueError(
      `${name}: exporting threefry needs opsetVersion ≥ 18 (ONNX's BitwiseXor/And), got ${emit.opset}`,
    )
}

export const toU32 = (emit: OnnxEmitter, x: string): string => emit.op('Cast', [x], { to: { int: UINT32 } })

/** A uint32 scalar constant. */
export const u32 = (emit: OnnxEmitter, v: number): string => toU32(emit, emit.scalar(v, 'int64'))

/** Rotates the uint32 words `x` left by `r` (0 < r < 32). */
const rotl = (emit: OnnxEmitter, x: string, r: number): string => {
  const left = emit.op('BitShift', [x, u32(emit, r)], { direction: { string: 'LEFT' } })
  const right = emit.op('BitShift', [x, u32(emit, 32 - r)], { direction: { string: 'RIGHT' } })
  return emit.op('BitwiseOr', [left, right])
}

/**
 * Threefry-2x32-20 of the counters (x0, x1) under the key (k0, k1), all uint32 and broadcasting
 * (keys of shape [...K, 1, …] against counters [1, …, ...S]): the rounds of `threefryBlocks`.
 */
export const threefry = (emit: OnnxEmitter, k0: string, k1: string, x0: string, x1: string): [string, string] => {
  const add = (a: string, b: string): string => emit.op('Add', [a, b])
  const k2 = emit.op('BitwiseXor', [emit.op('BitwiseXor', [k0, k1]), u32(emit, PARITY)])
  const ks = [k0, k1, k2] as const
  let a = add(x0, k0)
  let b = add(x1, k1)
  for (let g = 0; g < 5; g++) {
    for (const r of ROTATIONS[g % 2] ?? []) {
      a = add(a, b)
      b = emit.op('BitwiseXor', [rotl(emit, b, r), a])
    }
    a = add(a, ks[(g + 1) % 3] as string)
    // (b + ks + g + 1) mod 2³², the constant added to the key first (same sum mod 2³²)
    b = add(b, add(ks[(g + 2) % 3] as string, u32(emit, g + 1)))
  }
  return [a, b]
}

/** The two uint32 words of every key of `keys` ([...K, 2] int64), shaped [...K, 1 × trailing]. */
const keyWords = (emit: OnnxEmitter, keys: string, trailing: number): [string, string] => {
  const word = (i: number): string => {
    const w = toU32(emit, emit.op('Gather', [keys, emit.scalar(i, 'int64')], { axis: { int: -1 } }))
    return trailing === 0 ? w : unsqueezeBack(emit, w, trailing)
  }
  return [word(0), word(1)]
}

/** Adds `n` trailing axes of size 1 (Unsqueeze at −1 n times, whatever the rank). */
const unsqueezeBack = (emit: OnnxEmitter, x: string, n: number): string =>
  emit.op('Unsqueeze', [x, emit.ints(Array.from({ length: n }, (_, i) => -1 - i))])

/** The uint32 counters 0 … size(S) − 1 shaped S (row-major, as the kernels number elements). */
const iota = (emit: OnnxEmitter, shape: Shape): string => {
  const range = emit.op('Range', [
    emit.scalar(0, 'int64'),
    emit.scalar(sizeOf(shape), 'int64'),
    emit.scalar(1, 'int64'),
  ])
  return toU32(emit, emit.op('Reshape', [range, emit.ints(shape)]))
}

/**
 * JAX's partitionable hash of the counters 0 … size(S) − 1 under every key (words of shape
 * [...K]): the high counter word is 0 (fewer than 2³² counters), the low one the index; the
 * result words have shape [...K, ...S].
 */
export const hashIota = (emit: OnnxEmitter, words: readonly [string, string], shape: Shape): [string, string] => {
  const [k0, k1] =
    shape.length === 0 ? words : (words.map((w) => unsqueezeBack(emit, w, shape.length)) as [string, string])
  return threefry(emit, k0, k1, u32(emit, 0), iota(emit, shape))
}

/** The words of every key of `keys` ([...K, 2] int64), each of shape [...K]. */
export const words = (emit: OnnxEmitter, keys: string): [string, string] => keyWords(emit, keys, 0)

/** 32 random bits per element (uint32, [...K, ...S]), as `randomBits(key, 32, size)`. */
const bitsU32 = (emit: OnnxEmitter, w: readonly [string, string], shape: Shape): string =>
  emit.op('BitwiseXor', hashIota(emit, w, shape))

/** `split(key, 2)` of every key: the words of the two new keys, each of shape [...K]. */
const splitTwo = (emit: OnnxEmitter, w: readonly [string, string]): [[string, string], [string, string]] => {
  const [y0, y1] = hashIota(emit, w, [2])
  const at = (y: string, i: number): string => emit.op('Gather', [y, emit.scalar(i, 'int64')], { axis: { int: -1 } })
  return [
    [at(y0, 0), at(y1, 0)],
    [at(y0, 1), at(y1, 1)],
  ]
}

/** Key data [...lead, 2] (int64) from the two uint32 words of each key. */
const keyData = (emit: OnnxEmitter, y0: string, y1: string): string => {
  const last = (y: string): string => emit.op('Unsqueeze', [emit.cast(y, 'int64'), emit.ints([-1])])
  return emit.op('Concat', [last(y0), last(y1)], { axis: { int: -1 } })
}

/** `random_split`: key i of the block is the hash of counter i. */
export const splitOnnx: OnnxRule<DrawParams> = ({ inputs: [keys], params: { shape }, emit }) => {
  needBitwise(emit, 'random_split')
  const [y0, y1] = hashIota(emit, words(emit, keys as string), shape)
  return keyData(emit, y0, y1)
}

/** `random_fold_in`: the hash of the counter (0, data mod 2³²). */
export const foldInOnnx: OnnxRule<unknown> = ({ inputs: [keys, data], emit }) => {
  needBitwise(emit, 'random_fold_in')
  const [k0, k1] = words(emit, keys as string)
  // Cast from a signed integer to uint32 keeps the low 32 bits (two's complement), as `>>> 0` does
  const [y0, y1] = threefry(emit, k0, k1, u32(emit, 0), toU32(emit, data as string))
  return keyData(emit, y0, y1)
}

/** `random_bits`: y0 ^ y1 of counter i, as int64. */
export const bitsOnnx: OnnxRule<DrawParams> = ({ inputs: [keys], params: { shape }, emit }) => {
  needBitwise(emit, 'random_bits')
  return emit.cast(bitsU32(emit, words(emit, keys as string), shape), 'int64')
}

/**
 * `random_unit`: float32 (bits >>> 9)·2⁻²³; float64 (y0·2²⁰ + (y1 >>> 12))·2⁻⁵² from the 64-bit
 * word (y0, y1) of counter i. Both exact (integers below 2²³ and 2⁵² times a power of two).
 */
export const unitOnnx: OnnxRule<UnitParams> = ({ inputs: [keys], params: { shape, dtype }, emit }) => {
  needBitwise(emit, 'random_unit')
  const w = words(emit, keys as string)
  const shr = (x: string, n: number): string =>
    emit.op('BitShift', [x, u32(emit, n)], { direction: { string: 'RIGHT' } })
  if (dtype === 'float32')
    return emit.op('Mul', [emit.cast(shr(bitsU32(emit, w, shape), 9), 'float32'), emit.scalar(2 ** -23, 'float32')])
  const [hi, lo] = hashIota(emit, w, shape)
  const high = emit.op('Mul', [emit.cast(hi, 'float64'), emit.scalar(2 ** 20, 'float64')])
  const mantissa = emit.op('Add', [high, emit.cast(shr(lo, 12), 'float64')])
  return emit.op('Mul', [mantissa, emit.scalar(2 ** -52, 'float64')])
}

/**
 * `random_randint`: two words per element from split(key) and
 * ((hi mod span)·(2³² mod span) + lo mod span) mod span in uint32 arithmetic (JAX's), plus lo;
 * span = min(hi − lo, 2³² − 1), or 1 where hi ≤ lo.
 */
export const randintOnnx: OnnxRule<RandintParams> = ({ inputs: [keys, lo, hi], params: { shape, dtype }, emit }) => {
  needBitwise(emit, 'random_randint')
  const [a, b] = splitTwo(emit, words(emit, keys as string))
  const high = bitsU32(emit, a, shape)
  const low = bitsU32(emit, b, shape)
  const [l, h] = [emit.cast(lo as string, 'int64'), emit.cast(hi as string, 'int64')]
  const diff = emit.op('Min', [emit.op('Sub', [h, l]), emit.scalar(0xffffffff, 'int64')])
  const span = toU32(emit, emit.op('Where', [emit.op('LessOrEqual', [h, l]), emit.scalar(1, 'int64'), diff]))
  const mod = (x: string): string => emit.op('Mod', [x, span])
  const m16 = mod(u32(emit, 2 ** 16))
  const mult = mod(emit.op('Mul', [m16, m16]))
  const offset = mod(emit.op('Add', [emit.op('Mul', [mod(high), mult]), mod(low)]))
  return emit.cast(emit.op('Add', [l, emit.cast(offset, 'int64')]), dtype)
}

/**
 * `random_shuffle`: the source indices along the axis after ⌈3·ln(size)/ln(2³² − 1)⌉ rounds of a
 * stable sort by fresh 32-bit keys. A whole-axis ascending `TopK` is that stable sort (ONNX
 * orders equal values by index), so the rounds permute the indices as the kernel's sorts do.
 */
export const shuffleOnnx: OnnxRule<ShuffleParams> = ({ inputs: [keys], avals: [k], params: { shape, axis }, emit }) => {
  needBitwise(emit, 'random_shuffle')
  const lead = (k as Aval).shape.length - 1
  const n = shape[axis] ?? 1
  const rounds = Math.ceil((3 * Math.log(Math.max(1, sizeOf(shape)))) / Math.log(0xffffffff))
  const along = emit.op('Range', [emit.scalar(0, 'int64'), emit.scalar(n, 'int64'), emit.scalar(1, 'int64')])
  const column = emit.op('Reshape', [along, emit.ints([n, ...shape.slice(axis + 1).map(() => 1)])])
  let w = words(emit, keys as string)
  let idx: string | undefined
  for (let r = 0; r < Math.max(1, rounds); r++) {
    const [next, sub] = splitTwo(emit, w)
    w = next
    const sortKeys = emit.cast(bitsU32(emit, sub, shape), 'int64')
    idx ??= emit.op('Expand', [column, emit.op('Shape', [sortKeys])])
    if (r >= rounds) break // size ≤ 1: no round, the identity (sortKeys only gave the shape)
    const at = { axis: { int: lead + axis } }
    const perm = emit.node('TopK', [sortKeys, emit.ints([n])], { ...at, largest: { int: 0 }, sorted: { int: 1 } }, 2)
    idx = emit.op('GatherElements', [idx, perm[1] as string], at)
  }
  return emit.cast(idx as string, 'int32')
}

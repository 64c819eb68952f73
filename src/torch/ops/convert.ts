/**
 * Operand handling shared by the facade's ops: Python numbers become constant 0-d tensors,
 * PyTorch's type promotion (dimensioned tensors, then zero-dim tensors, then Python scalars),
 * PyTorch's broadcasting message, and dimension normalisation.
 *
 * @category torch
 * @since 0.1.0
 */
import * as O from 'fp-ts/Option'
import { pipe } from 'fp-ts/function'
import * as lax from '../../core/lax'
import { array } from '../../ndarray/create'
import { allocate, isFloat, isSmallInt, type DType } from '../../ndarray/dtype'
import { toFloat } from '../../ops/convert'
import { tryBroadcastShapes } from '../../ndarray/shape'
import { NdArray, type NestedArray } from '../../ndarray/NdArray'
import { bool, float32, fromStorage, get_default_dtype, int64, promote, type TorchDType } from '../dtype'
import { IndexError, RuntimeError, TorchTypeError } from '../errors'
import { pyTypeName } from '../pyTypeName'
import { Tensor, plainData, type TensorData } from '../tensor'
import { onSaved, type SavedRef } from '../autograd/node'

/** A tensor or a Python scalar. */
export type Scalar = number | boolean
/** A tensor operand or a scalar. */
export type TensorOrScalar = Tensor | Scalar

const category = (d: TorchDType): number => (d === bool ? 0 : d.is_floating_point ? 2 : 1)

/** PyTorch's `torch.result_type` over tensors and Python scalars. */
export const resultType = (operands: ReadonlyArray<TensorOrScalar>): TorchDType => {
  let dimT: TorchDType | undefined
  let zeroT: TorchDType | undefined
  let scal: TorchDType | undefined
  for (const o of operands) {
    if (o instanceof Tensor) {
      const d = o.dtype
      if (o.dim() > 0) dimT = dimT === undefined ? d : promote(dimT, d)
      else zeroT = zeroT === undefined ? d : promote(zeroT, d)
    } else {
      const d = typeof o === 'boolean' ? bool : Number.isInteger(o) ? int64 : get_default_dtype()
      scal = scal === undefined ? d : promote(scal, d)
    }
  }
  let r = dimT
  if (zeroT !== undefined && (r === undefined || category(zeroT) > category(r))) r = zeroT
  if (scal !== undefined && (r === undefined || category(scal) > category(r))) {
    r = category(scal) === 2 ? get_default_dtype() : scal
  }
  return r ?? float32
}

/** A constant tensor for a scalar operand (or the tensor itself). */
export const asTensor = (x: TensorOrScalar | TensorData, dtype?: DType): Tensor => {
  if (x instanceof Tensor) return x
  if (x instanceof NdArray) return Tensor._fromValue(x)
  // NOTE: the common case (a Python float with a float tensor) without the nested-data path
  if (typeof x === 'number' && (dtype === 'float32' || dtype === 'float64'))
    return Tensor._fromValue(lax.scalar(x, dtype))
  if (typeof x === 'number' || typeof x === 'boolean') {
    const d = dtype ?? (typeof x === 'boolean' ? 'bool' : Number.isInteger(x) ? 'int64' : get_default_dtype().storage)
    // a Python int meets a uint8/int8/int16 tensor wrapped into its range (uint8 + 300 adds 44), as PyTorch
    return Tensor._fromValue(array(isSmallInt(d) ? wrapInto(d, x as number) : x, { dtype: d }))
  }
  return Tensor._fromValue(array(plainData(x) as NestedArray, dtype === undefined ? {} : { dtype }))
}

/** The 0-d constants {@link scalarOperand} hands out, per float dtype (value -> tensor; cleared when full). */
const SCALAR_OPERANDS: { readonly [D in 'float32' | 'float64']: Map<number, Tensor> } = {
  float32: new Map(),
  float64: new Map(),
}
const MAX_SCALAR_OPERANDS = 256
/** The unshared constants {@link scalarOperand} made (see {@link isWrappedNumber}). */
const WRAPPED_NUMBERS = new WeakSet<Tensor>()

/**
 * Whether `t` is the constant of a Python number operand ({@link scalarOperand}: PyTorch's wrapped
 * number), which saved-tensor pack hooks never receive (PyTorch 2.x's SavedVariable keeps wrapped
 * numbers from the hooks; 1.13 packed them: difftest D93).
 */
export const isWrappedNumber = (t: Tensor): boolean => WRAPPED_NUMBERS.has(t) || SAVED_AS_OPERAND.has(t)

/** Each constant's shared saved list (see {@link savedAsOperand}). */
const SAVED_AS_OPERAND = new Map<Tensor, ReadonlyArray<SavedRef>>()

/**
 * The constant tensor of a Python number operand of a float op (`x.mul(0.99)`), shared between
 * calls: it is an input nothing outside the op sees (never returned, never given a grad_fn or a
 * tangent, never written in place), so one per value serves every op, as `asTensor` would make a
 * new one each time (four objects and a typed array: a third of a chain of scalar ops' garbage).
 * While saved-tensor hooks are active a new one is made, since a pack hook receives it.
 */
export const scalarOperand = (x: number, dtype: 'float32' | 'float64'): Tensor => {
  // NOTE: −0 is its own value but the same Map key as +0
  if (onSaved !== null || (x === 0 && 1 / x < 0)) {
    const w = Tensor._fromValue(lax.scalar(x, dtype))
    WRAPPED_NUMBERS.add(w)
    return w
  }
  const cache = SCALAR_OPERANDS[dtype]
  let t = cache.get(x)
  if (t === undefined) {
    if (cache.size >= MAX_SCALAR_OPERANDS) {
      for (const u of cache.values()) SAVED_AS_OPERAND.delete(u)
      cache.clear()
    }
    t = Tensor._fromValue(lax.scalar(x, dtype))
    cache.set(x, t)
    SAVED_AS_OPERAND.set(t, Object.freeze([Object.freeze({ tensor: t, version: 0, input: 1 })]))
  }
  return t
}

/**
 * The saved list of a node that saves only one of {@link scalarOperand}'s constants, as its second
 * input (`x.mul(0.99)`), shared by every such node (the constant stays at version 0: nothing can
 * write it); undefined for any other tensor (a one-element test first: no lookup for the others).
 */
export const savedAsOperand = (t: Tensor): ReadonlyArray<SavedRef> | undefined =>
  t._root().size === 1 ? SAVED_AS_OPERAND.get(t) : undefined

/** `v` wrapped into a small integer dtype's range, as a store into its typed array wraps it. */
const wrapInto = (d: DType, v: number): number => {
  const cell = allocate(d, 1)
  cell[0] = v
  return cell[0] as number
}

/**
 * A cast as PyTorch's `.to(dtype)` computes it: to uint8/int8/int16 a float truncates toward
 * zero and then wraps modulo 2⁸ or 2¹⁶ (a C conversion through a wide integer: 300.0 → 44 as
 * uint8, -1.0 → 255), not the saturating conversion of the core's `astype` (JAX's); a float
 * beyond int32 (or NaN/±inf) is INT_MIN first, as PyTorch on x86 (3e9 → 0 as int16).
 */
export const castWrapping = (x: NdArray, d: DType): NdArray =>
  (isSmallInt(d) || d === 'int32') && isFloat(x.dtype) ? lax.cast(floatToInt32(x), d) : lax.cast(x, d)

/**
 * A float to int32 as PyTorch's CPU kernel converts it on x86: truncation toward zero, and NaN,
 * ±inf and values outside the int32 range all give INT_MIN (the instruction's "integer
 * indefinite"; PyTorch 1.13 and 2.x alike) — not the core's saturating `astype` (JAX's: NaN → 0).
 */
const floatToInt32 = (x: NdArray): NdArray => {
  // NaN compares false, so it falls outside the open interval too
  const inRange = lax.and(lax.gt(x, lax.scalarLike(-2147483649, x)), lax.lt(x, lax.scalarLike(2147483648, x)))
  return lax.cast(lax.select(inRange, x, lax.scalarLike(-2147483648, x)), 'int32')
}

/** Casts a value to a storage dtype (no-op when equal). */
export const castTo = (x: NdArray, d: DType): NdArray => lax.cast(x, d)

/**
 * PyTorch's broadcasting error: like its `infer_size`, it names the last mismatching dimension
 * (counted in the broadcast shape) and the two sizes there.
 */
const broadcastError = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): RuntimeError => {
  const n = Math.max(a.length, b.length)
  let i = n - 1
  for (; i > 0; i--) {
    const da = a[a.length - n + i] ?? 1
    const db = b[b.length - n + i] ?? 1
    if (da !== db && da !== 1 && db !== 1) break
  }
  return new RuntimeError(
    `The size of tensor a (${a[a.length - n + i] ?? 1}) must match the size of tensor b (${b[b.length - n + i] ?? 1}) at non-singleton dimension ${i}`,
  )
}

/** Broadcast shape of two shapes (the engine's rule, src/ndarray/shape.ts), with PyTorch's error. */
export const broadcastShape = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number[] =>
  pipe(
    tryBroadcastShapes(a, b),
    O.getOrElse((): number[] => {
      throw broadcastError(a, b)
    }),
  )

/** Checks that shapes broadcast, with PyTorch's message. */
export const checkBroadcast = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): void => {
  // NOTE: a 0-d operand always broadcasts (the common tensor-with-scalar case needs no shape)
  if (a.length > 0 && b.length > 0) broadcastShape(a, b)
}

/** PyTorch's promotion of int/bool values to the default float dtype (for float-only ops). */
export const floatOf = (x: NdArray): NdArray => toFloat(x, get_default_dtype().storage)

/**
 * PyTorch's check that an in-place op's result fits its output: the broadcast shape of the
 * operands must be the written tensor's own (an in-place op never grows a tensor).
 */
export const checkOutputShape = (out: ReadonlyArray<number>, broadcast: ReadonlyArray<number>): void => {
  if (out.length !== broadcast.length || out.some((d, i) => d !== broadcast[i]))
    throw new RuntimeError(
      `output with shape [${out.join(', ')}] doesn't match the broadcast shape [${broadcast.join(', ')}]`,
    )
}

/** Normalises a dimension with PyTorch's message. */
export const normDim = (dim: number, ndim: number): number => {
  const n = Math.max(ndim, 1)
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new IndexError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`)
  }
  return dim < 0 ? dim + n : dim
}

/** Normalises a list of dims (or all dims when undefined). */
export const normDims = (dim: number | ReadonlyArray<number> | undefined | null, ndim: number): number[] => {
  if (dim === undefined || dim === null) return Array.from({ length: ndim }, (_, i) => i)
  if (typeof dim !== 'number' && !Array.isArray(dim))
    throw new TorchTypeError(`argument 'dim' must be tuple of ints, not ${pyTypeName(dim)}`)
  const list = typeof dim === 'number' ? [dim] : [...dim]
  if (list.length === 0) return Array.from({ length: ndim }, (_, i) => i)
  const out = list.map((d) => (ndim === 0 ? (normDim(d, 0), 0) : normDim(d, ndim)))
  return ndim === 0 ? [] : [...new Set(out)].sort((a, b) => a - b)
}

/** Sizes given as varargs `f(2, 3)` or one list `f([2, 3])`. */
export const sizesOf = (args: ReadonlyArray<unknown>): number[] => {
  if (args.length === 1 && Array.isArray(args[0])) return [...(args[0] as number[])]
  return args as number[]
}

/** The torch dtype of a storage dtype. */
export const td = fromStorage

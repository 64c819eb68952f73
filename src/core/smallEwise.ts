/**
 * The impls of the element-wise primitives, with a path for one-element float operands: code that
 * differentiates a chain of scalar operations (eagerly, forward and backward) spends most of its
 * time in the kernels' set-up for arrays (wasm and uniform-storage checks, broadcasting, the loop
 * lookup), not in the arithmetic. A one-element operand of float32/float64 is computed here by
 * the kernels' own expression (`scalarExpr`, compiled once per op and dtype) and stored in a
 * one-element array of the dtype, so the result is the kernel's bit for bit (the store rounds
 * as the loop's does). Every other input goes to the kernel.
 *
 * @category core
 * @since 0.2.0
 */
import type { DType, TypedArray } from '../ndarray/dtype'
import { InternalError } from '../ndarray/errors'
import { binary, canCompile, unary } from '../ndarray/kernels/elementwise'
import { expressionClosure } from '../ndarray/kernels/closures'
import { scalarExpr, scalarHelpers, type BinaryOp, type UnaryOp } from '../ndarray/kernels/expressions'
import { NdArray } from '../ndarray/NdArray'
import { shapesEqual } from '../ndarray/shape'

/** Computes element 0 of the output from element 0 of the operands (`y` unused by unary ops). */
type ScalarKernel = (x: TypedArray, y: TypedArray, out: TypedArray) => void

/**
 * The kernels' expression of `op` in `dtype` as a one-element kernel (reading and writing the
 * arrays itself, so no number crosses a call). NOTE (security): the source is the library's own
 * template, looked up by operation name (see ./codegen).
 */
const scalarKernel = (kind: 'unary' | 'binary', op: UnaryOp | BinaryOp, dtype: DType): ScalarKernel => {
  const expr = scalarExpr(kind, op, dtype)
  if (expr === null) throw new InternalError(`no scalar expression for ${kind} ${op}`)
  if (!canCompile) {
    const f = expressionClosure(expr)
    return (x, y, out) => {
      out[0] = f(x[0] as number, y[0] as number)
    }
  }
  const body = `return (x, y, o) => { const a = x[0], b = y[0]; o[0] = ${expr}; }`
  return new Function('H', body)(scalarHelpers) as ScalarKernel
}

/**
 * One-element results are views of blocks of this many elements. NOTE: a fresh one-element typed
 * array costs V8 about 210 bytes (its array buffer, the view and the on-heap store), a view of
 * a block about 95 (W3: two results per op, the larger part of what a recorded op allocates).
 * Each view owns its element alone; a block lives while one of its views does (at most BLOCK − 1
 * idle elements per live result). Buffer-recycling code takes only whole buffers (offset 0, full
 * length), so it never takes a block.
 */
const BLOCK = 64

/** The block the results of one float dtype are cut from, and its next free element. */
interface Blocks {
  buffer: ArrayBuffer
  next: number
}
const F32: Blocks = { buffer: new ArrayBuffer(4 * BLOCK), next: 0 }
const F64: Blocks = { buffer: new ArrayBuffer(8 * BLOCK), next: 0 }

/**
 * A fresh one-element store of float32 (`f64` false) or float64, its element uninitialised.
 * NOTE: made by the constructor on the block's buffer, which V8 inlines (`subarray` is about
 * twice as slow).
 */
const scalarStore = (f64: boolean): TypedArray => {
  const b = f64 ? F64 : F32
  if (b.next === BLOCK) {
    b.buffer = new ArrayBuffer((f64 ? 8 : 4) * BLOCK)
    b.next = 0
  }
  const i = b.next++
  return f64 ? new Float64Array(b.buffer, 8 * i, 1) : new Float32Array(b.buffer, 4 * i, 1)
}

/** A one-element array of `dtype` (float32/float64) and `shape`, computed by `k`. */
const one = (k: ScalarKernel, x: NdArray, y: NdArray, dtype: DType): NdArray => {
  const data = scalarStore(dtype === 'float64')
  k(x._data, y._data, data)
  return new NdArray(x.shape, dtype, data)
}

/**
 * A one-element array of `shape` and `dtype` (float32, or float64 when `f64`) holding `x`, rounded
 * as storing it rounds (a cut of this module's blocks: what a computed scalar result costs).
 */
export const scalarArray = (x: number, shape: NdArray['shape'], f64: boolean): NdArray => {
  const data = scalarStore(f64)
  data[0] = x
  return new NdArray(shape, f64 ? 'float64' : 'float32', data)
}

/** The impl of a unary element-wise primitive whose output has its input's dtype. */
export const unaryImpl = (op: UnaryOp): ((inputs: readonly [NdArray]) => NdArray) => {
  let f32: ScalarKernel | undefined
  let f64: ScalarKernel | undefined
  return ([x]) => {
    if (x.size === 1) {
      const dtype = x.dtype
      if (dtype === 'float32') return one((f32 ??= scalarKernel('unary', op, dtype)), x, x, dtype)
      if (dtype === 'float64') return one((f64 ??= scalarKernel('unary', op, dtype)), x, x, dtype)
    }
    return unary(op, x)
  }
}

/** The impl of a binary element-wise primitive whose output has its first input's dtype. */
export const binaryImpl = (op: BinaryOp): ((inputs: readonly [NdArray, NdArray]) => NdArray) => {
  let f32: ScalarKernel | undefined
  let f64: ScalarKernel | undefined
  return ([x, y]) => {
    if (x.size === 1 && y.size === 1 && x.dtype === y.dtype && (x.shape === y.shape || shapesEqual(x.shape, y.shape))) {
      const dtype = x.dtype
      if (dtype === 'float32') return one((f32 ??= scalarKernel('binary', op, dtype)), x, y, dtype)
      if (dtype === 'float64') return one((f64 ??= scalarKernel('binary', op, dtype)), x, y, dtype)
    }
    return binary(op, x, y, x.dtype)
  }
}

// -------------------------------------------------------------------------------------
// numbers
// -------------------------------------------------------------------------------------

/** An element-wise operation on numbers, rounded to float64 (`f64`) or float32. */
export type ScalarOp = (a: number, b: number, f64: boolean) => number

/**
 * The kernels' expression of `op` on numbers (`b` unused by unary ops), its result rounded to
 * the dtype as the kernels' store rounds it (float32: `Math.fround`), so it gives the bits a
 * one-element array of the primitive holds. Compiled on first use, per dtype. NOTE (security):
 * the source is the library's own template, looked up by operation name (see ./codegen).
 */
const scalarOp = (kind: 'unary' | 'binary', op: UnaryOp | BinaryOp): ScalarOp => {
  let f32: ((a: number, b: number) => number) | undefined
  let f64: ((a: number, b: number) => number) | undefined
  const make = (dtype: DType): ((a: number, b: number) => number) => {
    const expr = scalarExpr(kind, op, dtype)
    if (expr === null) throw new InternalError(`no scalar expression for ${kind} ${op}`)
    const round = dtype === 'float32'
    if (!canCompile) {
      const f = expressionClosure(expr)
      return round ? (a, b) => Math.fround(f(a, b)) : f
    }
    const body = round ? `return (a, b) => Math.fround(${expr})` : `return (a, b) => (${expr})`
    return new Function('H', body)(scalarHelpers) as (a: number, b: number) => number
  }
  return (a, b, wide) => (wide ? (f64 ??= make('float64'))(a, b) : (f32 ??= make('float32'))(a, b))
}

/** `a + b` as the add kernel computes it. */
export const numAdd: ScalarOp = scalarOp('binary', 'add')
/** `a · b` as the mul kernel computes it. */
export const numMul: ScalarOp = scalarOp('binary', 'mul')
/** `a / b` as the div kernel computes it. */
export const numDiv: ScalarOp = scalarOp('binary', 'div')
/** `b·(1 − a²)` as the tanh_backward kernel computes it. */
export const numTanhBackward: ScalarOp = scalarOp('binary', 'tanhBackward')
/** `−a` as the neg kernel computes it. */
export const numNeg: ScalarOp = scalarOp('unary', 'neg')

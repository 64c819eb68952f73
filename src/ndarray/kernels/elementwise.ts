/**
 * Element-wise kernels with NumPy broadcasting. Each operation is compiled once into its own
 * monomorphic loop (no closure call per element): same-shape, scalar-left, scalar-right and
 * general strided variants. Where `new Function` is not allowed (strict CSP), the same loops
 * call a closure built from the expression without code generation (`./closures`). Large float
 * arrays take WebAssembly SIMD kernels instead (`./wasm/simdElementwise`: add, sub, mul, div,
 * max, min with scalar, row and column broadcasting; comparisons to bool; neg, abs, sqrt,
 * square, float32 tanh, exp and log; select), bitwise equal to the loops.
 *
 * @category kernels
 * @since 0.1.0
 */
import { allocate, allocateUninit, checkInt64, isFloat, truncInt64, type DType, type TypedArray } from '../dtype'
import { intRange, saturate } from '../intRange'
import {
  BINARY_EXPR,
  BINARY_EXPR_F32,
  scalarHelpers as helpers,
  UNARY_EXPR,
  UNARY_EXPR_F32,
  type BinaryOp,
  type Helpers,
  type UnaryOp,
} from './expressions'
import { expressionClosure } from './closures'
import { NdArray } from '../NdArray'
import { broadcastShapes, sizeOf, stridesOf, shapesEqual, type Shape } from '../shape'
import {
  binaryWasm,
  COL,
  compareWasm,
  FULL,
  ROW,
  SCALAR,
  selectWasm,
  unaryWasm,
  type Kind,
  type WasmBinaryOp,
  type WasmCompareOp,
  type WasmUnaryOp,
} from './wasm/simdElementwise'
import { largeMath32 } from './wasm/fusedLoop'
import { forgetUniform, uniformValue, UNIFORM_MIN } from './uniform'

// -------------------------------------------------------------------------------------
// backend selection
// -------------------------------------------------------------------------------------

/**
 * Which implementation the float kernels use: the JS loops, the WebAssembly SIMD kernels
 * (`./wasm/simdElementwise`, `./wasm/simdReduce`) whenever they cover the case, or 'auto':
 * WebAssembly from a size on (see WASM_MIN_ELEMENTS). Applies to `unary`, `binary`, `select`
 * and `reduce`; without WebAssembly every backend runs the JS loops.
 */
export type ElementwiseBackend = 'js' | 'wasm' | 'auto'

let backend: ElementwiseBackend = 'auto'

/** Selects the implementation behind the element-wise and reduction kernels (testing, benchmarks). */
export const setElementwiseBackend = (b: ElementwiseBackend): void => {
  backend = b
}

/** The implementation selected by `setElementwiseBackend`. */
export const getElementwiseBackend = (): ElementwiseBackend => backend

/**
 * 'auto' takes the WebAssembly kernels from this many output elements on; below it the staging
 * copies and the call cost what the SIMD loop saves. Float32 tanh, dear in JS, from
 * WASM_MIN_TANH on (exp and log too). Measured (bench/micro/elementwise.mjs, f32, µs JS vs WASM, best of 9):
 * n = 256: mul 0.7 vs 1.4, neg 0.6 vs 0.7, sum 0.6 vs 1.1, tanh 3.0 vs 1.6; n = 512: mul 2.2 vs
 * 1.6, neg 1.0 vs 0.8, select 1.8 vs 1.6, sum 0.8 vs 1.5, sum over columns 2.9 vs 1.7; n = 1024:
 * mul 2.5 vs 1.4, scalar mul 1.8 vs 1.3, row broadcast 3.8 vs 1.9, sum 1.2 vs 1.2, tanh 7.5 vs
 * 3.9 (n = 128: 1.1 vs 0.7); n = 10⁶: mul 2.0 vs ~1.0 ms, tanh 8.2 vs 2.0 ms, sum 2.2 vs 0.36 ms.
 */
const WASM_MIN_ELEMENTS = 1024
const WASM_MIN_TANH = 256

/** True when the WebAssembly kernels should run for an output of n elements. */
export const useWasm = (n: number, min: number = WASM_MIN_ELEMENTS): boolean =>
  backend === 'auto' ? n >= min : backend === 'wasm'

const WASM_BINARY: Partial<Record<BinaryOp, WasmBinaryOp>> = {
  add: 'add',
  sub: 'sub',
  mul: 'mul',
  div: 'div',
  max: 'max',
  min: 'min',
  tanhBackward: 'tanhBackward',
}

const WASM_COMPARE: Partial<Record<BinaryOp, WasmCompareOp>> = {
  eq: 'eq',
  ne: 'ne',
  lt: 'lt',
  le: 'le',
  gt: 'gt',
  ge: 'ge',
}

const WASM_UNARY: Partial<Record<UnaryOp, WasmUnaryOp>> = { neg: 'neg', abs: 'abs', sqrt: 'sqrt', square: 'square' }

/** The float32 transcendental ops with a WebAssembly kernel (dear in JS: they start at WASM_MIN_TANH). */
const isMath32 = (op: UnaryOp): op is 'tanh' | 'exp' | 'log' => op === 'tanh' || op === 'exp' || op === 'log'

// -------------------------------------------------------------------------------------
// compiled loops
// -------------------------------------------------------------------------------------

type UnaryLoop = (a: TypedArray, o: TypedArray, n: number, H: Helpers) => void
/**
 * mode 0: same shape; 1: a is a scalar; 2: b is a scalar; 3: general (outer odometer over
 * `shape` with per-axis strides `sa`, `sb`, inner loop over the last axis).
 */
type BinaryLoop = (
  a: TypedArray,
  b: TypedArray,
  o: TypedArray,
  n: number,
  mode: number,
  shape: ReadonlyArray<number>,
  sa: ReadonlyArray<number>,
  sb: ReadonlyArray<number>,
  H: Helpers,
) => void

/** Whether `new Function` is allowed here (false under a CSP without 'unsafe-eval'); decided at load time. */
export const canCompile: boolean = (() => {
  try {
    return new Function('return 1')() === 1
  } catch {
    return false
  }
})()

/** Helper functions used by an expression are hoisted into locals so V8 inlines them. */
const hoist = (expr: string): [string, string] => {
  const names = [...new Set([...expr.matchAll(/H\.(\w+)/g)].map((m) => m[1] as string))]
  return [names.map((n) => `const H_${n} = H.${n};`).join(' '), expr.replace(/H\.(\w+)/g, 'H_$1')]
}

const unaryBody = (expr: string): string => {
  const [prelude, e] = hoist(expr)
  return `${prelude} for (let i = 0; i < n; i++) { const a = x[i]; o[i] = ${e}; }`
}

const compileUnary = (expr: string): UnaryLoop => {
  if (canCompile) {
    return new Function('x', 'o', 'n', 'H', unaryBody(expr)) as UnaryLoop
  }
  const f = expressionClosure(expr)
  return (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = f(x[i] as number, 0)
  }
}

const binaryBody = (expr: string): string => `
  if (mode === 0) { for (let i = 0; i < n; i++) { const a = x[i], b = y[i]; o[i] = ${expr}; } return; }
  if (mode === 1) { const a = x[0]; for (let i = 0; i < n; i++) { const b = y[i]; o[i] = ${expr}; } return; }
  if (mode === 2) { const b = y[0]; for (let i = 0; i < n; i++) { const a = x[i]; o[i] = ${expr}; } return; }
  const nd = shape.length;
  if (n === 0) return;
  const last = shape[nd - 1], la = sa[nd - 1], lb = sb[nd - 1];
  const idx = new Array(nd).fill(0);
  let ia = 0, ib = 0, k = 0;
  for (;;) {
    if (la === 1 && lb === 1) { for (let j = 0; j < last; j++) { const a = x[ia + j], b = y[ib + j]; o[k++] = ${expr}; } }
    else if (la === 0) { const a = x[ia]; for (let j = 0; j < last; j++) { const b = y[ib + j * lb]; o[k++] = ${expr}; } }
    else if (lb === 0) { const b = y[ib]; for (let j = 0; j < last; j++) { const a = x[ia + j * la]; o[k++] = ${expr}; } }
    else { for (let j = 0; j < last; j++) { const a = x[ia + j * la], b = y[ib + j * lb]; o[k++] = ${expr}; } }
    let d = nd - 2;
    for (; d >= 0; d--) {
      ia += sa[d]; ib += sb[d];
      if (++idx[d] < shape[d]) break;
      ia -= sa[d] * shape[d]; ib -= sb[d] * shape[d]; idx[d] = 0;
    }
    if (d < 0) return;
  }`

const compileBinary = (expr: string): BinaryLoop => {
  if (canCompile) {
    return new Function('x', 'y', 'o', 'n', 'mode', 'shape', 'sa', 'sb', 'H', binaryBody(expr)) as BinaryLoop
  }
  const f = expressionClosure(expr)
  return (x, y, o, n, mode, shape, sa, sb) => {
    if (mode === 0) for (let i = 0; i < n; i++) o[i] = f(x[i] as number, y[i] as number)
    else if (mode === 1) for (let i = 0; i < n; i++) o[i] = f(x[0] as number, y[i] as number)
    else if (mode === 2) for (let i = 0; i < n; i++) o[i] = f(x[i] as number, y[0] as number)
    else {
      const nd = shape.length
      const idx = new Array<number>(nd).fill(0)
      for (let k = 0; k < n; k++) {
        let ia = 0
        let ib = 0
        for (let d = 0; d < nd; d++) {
          ia += (idx[d] as number) * (sa[d] as number)
          ib += (idx[d] as number) * (sb[d] as number)
        }
        o[k] = f(x[ia] as number, y[ib] as number)
        for (let d = nd - 1; d >= 0; d--) {
          idx[d] = (idx[d] as number) + 1
          if ((idx[d] as number) < (shape[d] as number)) break
          idx[d] = 0
        }
      }
    }
  }
}

const unaryLoops = new Map<string, UnaryLoop>()
const binaryLoops = new Map<string, BinaryLoop>()

const compiledUnaryLoop = (op: UnaryOp, f32: boolean): UnaryLoop => {
  const special = f32 ? UNARY_EXPR_F32[op] : undefined
  const key = special === undefined ? op : `${op}:f32`
  let f = unaryLoops.get(key)
  if (f === undefined) {
    f = compileUnary(special ?? UNARY_EXPR[op])
    unaryLoops.set(key, f)
  }
  return f
}

const compiledBinaryLoop = (op: BinaryOp, f32: boolean): BinaryLoop => {
  const special = f32 ? BINARY_EXPR_F32[op] : undefined
  const key = special === undefined ? op : `${op}:f32`
  let f = binaryLoops.get(key)
  if (f === undefined) {
    f = compileBinary(special ?? BINARY_EXPR[op])
    binaryLoops.set(key, f)
  }
  return f
}

// NOTE: the loops again, by op alone for each operand kind: the key above is a string built per
// call, which every element-wise op would otherwise allocate
const unaryByOp = [new Map<UnaryOp, UnaryLoop>(), new Map<UnaryOp, UnaryLoop>()] as const
const binaryByOp = [new Map<BinaryOp, BinaryLoop>(), new Map<BinaryOp, BinaryLoop>()] as const

/** The loop for `op` from `memos` (float64, float32), compiled by `make` on first use. */
const memoLoop = <O, L>(
  memos: readonly [Map<O, L>, Map<O, L>],
  make: (op: O, f32: boolean) => L,
  op: O,
  f32: boolean,
): L => {
  const memo = memos[f32 ? 1 : 0]
  let f = memo.get(op)
  if (f === undefined) {
    f = make(op, f32)
    memo.set(op, f)
  }
  return f
}

const unaryLoop = (op: UnaryOp, f32: boolean): UnaryLoop => memoLoop(unaryByOp, compiledUnaryLoop, op, f32)
const binaryLoop = (op: BinaryOp, f32: boolean): BinaryLoop => memoLoop(binaryByOp, compiledBinaryLoop, op, f32)

/**
 * Whether `unary`/`binary` would run `op` on `n` elements of `dtype` as a WebAssembly kernel
 * (same-shape operands), several times faster per element than a JavaScript loop.
 */
export const hasWasmKernel = (kind: 'unary' | 'binary', op: UnaryOp | BinaryOp, dtype: DType, n: number): boolean => {
  if (dtype !== 'float32' && dtype !== 'float64') return false
  if (kind === 'binary') return WASM_BINARY[op as BinaryOp] !== undefined && useWasm(n)
  if (dtype === 'float32' && isMath32(op as UnaryOp)) return useWasm(n, WASM_MIN_TANH)
  return WASM_UNARY[op as UnaryOp] !== undefined && useWasm(n)
}

// -------------------------------------------------------------------------------------
// kernels
// -------------------------------------------------------------------------------------

/** Applies a unary op; the output has dtype `outDType` (default: the input's). */
export const unary = (op: UnaryOp, x: NdArray, outDType: DType = x.dtype): NdArray => {
  const r = unaryRaw(op, x, outDType)
  if (outDType === 'int64') checkInt64(op, r._data)
  return r
}

const unaryRaw = (op: UnaryOp, x: NdArray, outDType: DType): NdArray => {
  const n = x.size
  const out = allocateUninit(outDType, n)
  if (useWasm(n, isMath32(op) ? WASM_MIN_TANH : WASM_MIN_ELEMENTS) && unaryFloatWasm(op, x._data, out)) {
    return new NdArray(x.shape, outDType, out)
  }
  unaryLoop(op, x.dtype === 'float32')(x._data, out, n, helpers)
  return new NdArray(x.shape, outDType, out)
}

/** The WebAssembly path of `unary` when it covers the op and dtypes (false: not done). */
const unaryFloatWasm = (op: UnaryOp, x: TypedArray, out: TypedArray): boolean => {
  if (x instanceof Float32Array && out instanceof Float32Array) {
    if (isMath32(op) && largeMath32(op, x, out)) return true
    const w = isMath32(op) ? op : WASM_UNARY[op]
    return w !== undefined && unaryWasm(w, x, out)
  }
  if (x instanceof Float64Array && out instanceof Float64Array) {
    const w = WASM_UNARY[op]
    return w !== undefined && unaryWasm(w, x, out)
  }
  return false
}

/** Strides of `shape` aligned to `outShape`, with 0 on broadcast axes. */
const broadcastStrides = (shape: Shape, outShape: Shape): number[] => {
  const nd = outShape.length
  const own = stridesOf(shape)
  const out = new Array<number>(nd)
  const off = nd - shape.length
  for (let i = 0; i < nd; i++) {
    const d = i - off
    out[i] = d < 0 || shape[d] === 1 ? 0 : (own[d] as number)
  }
  return out
}

/**
 * Applies a binary op with NumPy broadcasting. Both inputs must already share a dtype; the
 * output has dtype `outDType`. `name` is used in the broadcasting error. int64 results are
 * checked to be exact (OverflowError beyond ±(2⁵³ − 1)).
 */
export const binary = (op: BinaryOp, x: NdArray, y: NdArray, outDType: DType, name: string = op): NdArray => {
  const r = binaryRaw(op, x, y, outDType, name)
  if (outDType === 'int64') checkInt64(name, r._data)
  return r
}

const binaryRaw = (op: BinaryOp, x: NdArray, y: NdArray, outDType: DType, name: string): NdArray => {
  if (x.size >= UNIFORM_MIN || y.size >= UNIFORM_MIN) {
    const r = binaryUniform(op, x, y, outDType, name)
    if (r !== undefined) return r
  }
  if (shapesEqual(x.shape, y.shape)) {
    const out = allocateUninit(outDType, x.size)
    binaryInto(op, x, y, out)
    return new NdArray(x.shape, outDType, out)
  }
  const loop = binaryLoop(op, x.dtype === 'float32')
  const shape = broadcastShapes(name, x.shape, y.shape)
  const n = sizeOf(shape)
  const out = allocateUninit(outDType, n)
  if (
    useWasm(n) &&
    (WASM_BINARY[op] !== undefined || WASM_COMPARE[op] !== undefined) &&
    binaryBroadcastWasm(op, x, y, shape, n, out)
  ) {
    return new NdArray(shape, outDType, out)
  }
  if (x.size === 1 && y.size === n) loop(x._data, y._data, out, n, 1, shape, shape, shape, helpers)
  else if (y.size === 1 && x.size === n) loop(x._data, y._data, out, n, 2, shape, shape, shape, helpers)
  else
    loop(
      x._data,
      y._data,
      out,
      n,
      3,
      shape,
      broadcastStrides(x.shape, shape),
      broadcastStrides(y.shape, shape),
      helpers,
    )
  return new NdArray(shape, outDType, out)
}

/** The one-element float array holding v. */
const scalarOf = (v: number, dtype: DType): NdArray =>
  new NdArray([], dtype, dtype === 'float32' ? Float32Array.of(v) : Float64Array.of(v))

/**
 * `binary` of same-shape float operands when one is uniform storage (./uniform): a product with
 * 1 is the other operand's storage; otherwise the uniform operand is read as a scalar (the same
 * operation per element, so the same bits). Undefined when neither applies.
 */
const binaryUniform = (op: BinaryOp, x: NdArray, y: NdArray, outDType: DType, name: string): NdArray | undefined => {
  const dt = x.dtype
  if ((dt !== 'float32' && dt !== 'float64') || y.dtype !== dt || outDType !== dt || !shapesEqual(x.shape, y.shape))
    return undefined
  const u = uniformValue(x._data)
  const v = u === undefined ? uniformValue(y._data) : undefined
  if (u === undefined && v === undefined) return undefined
  if (op === 'mul') {
    if (u === 1) return new NdArray(y.shape, dt, y._data)
    if (v === 1) return new NdArray(x.shape, dt, x._data)
  }
  if (WASM_BINARY[op] === undefined || !useWasm(x.size)) return undefined
  return u !== undefined
    ? binaryRaw(op, scalarOf(u, dt), y, dt, name)
    : binaryRaw(op, x, scalarOf(v as number, dt), dt, name)
}

/**
 * `binary` of two same-shape operands into `out` (x.size elements of the output dtype, no int64
 * check). `out` may be x's or y's own storage: every element is read before it is written (the
 * recycling backward sweep adds cotangents in place with it, src/core/recycle.ts).
 */
export const binaryInto = (op: BinaryOp, x: NdArray, y: NdArray, out: TypedArray): void => {
  forgetUniform(out)
  if (useWasm(x.size) && binaryFloatWasm(op, x._data, FULL, y._data, FULL, out, 1, x.size)) return
  binaryLoop(op, x.dtype === 'float32')(x._data, y._data, out, x.size, 0, x.shape, x.shape, x.shape, helpers)
}

/** The WebAssembly path of `binary` for one [rows, cols] layout (false: not done). */
const binaryFloatWasm = (
  op: BinaryOp,
  x: TypedArray,
  xKind: Kind,
  y: TypedArray,
  yKind: Kind,
  out: TypedArray,
  rows: number,
  cols: number,
): boolean => {
  const w = WASM_BINARY[op]
  if (w !== undefined) {
    if (x instanceof Float32Array && y instanceof Float32Array && out instanceof Float32Array) {
      return binaryWasm(w, x, xKind, y, yKind, out, rows, cols)
    }
    if (x instanceof Float64Array && y instanceof Float64Array && out instanceof Float64Array) {
      return binaryWasm(w, x, xKind, y, yKind, out, rows, cols)
    }
    return false
  }
  const c = WASM_COMPARE[op]
  if (c === undefined || !(out instanceof Uint8Array)) return false
  if (x instanceof Float32Array && y instanceof Float32Array) return compareWasm(c, x, xKind, y, yKind, out, rows, cols)
  if (x instanceof Float64Array && y instanceof Float64Array) return compareWasm(c, x, xKind, y, yKind, out, rows, cols)
  return false
}

/**
 * How an operand of aligned shape `s` (as long as `out`) fills `out` viewed as [rows, cols] with
 * the axes before `split` as rows and the rest as columns; -1 when it is none of the kinds.
 */
const kindAt = (s: ReadonlyArray<number>, out: Shape, split: number, size: number, n: number): Kind | -1 => {
  if (size === n) return FULL
  if (size === 1) return SCALAR
  let row = true
  let col = true
  for (let d = 0; d < out.length; d++) {
    const sd = s[d] as number
    const od = out[d] as number
    if (d < split) {
      if (sd !== 1) row = false
      if (sd !== od) col = false
    } else {
      if (sd !== od) row = false
      if (sd !== 1) col = false
    }
  }
  return row ? ROW : col ? COL : -1
}

/**
 * Broadcasting cases of `binary` that are a [rows, cols] layout — a scalar, a row repeated down the
 * rows ([m, n] + [n]), a column repeated along them ([m, n] + [m, 1]), and their higher-rank
 * versions — on the WebAssembly kernels. False when the layout or the dtypes do not fit.
 */
const binaryBroadcastWasm = (
  op: BinaryOp,
  x: NdArray,
  y: NdArray,
  shape: Shape,
  n: number,
  out: TypedArray,
): boolean => {
  const nd = shape.length
  if (n === 0) return false
  if (x.size === 1 && y.size === n) return binaryFloatWasm(op, x._data, SCALAR, y._data, FULL, out, 1, n)
  if (y.size === 1 && x.size === n) return binaryFloatWasm(op, x._data, FULL, y._data, SCALAR, out, 1, n)
  const xs = [...new Array<number>(nd - x.ndim).fill(1), ...x.shape]
  const ys = [...new Array<number>(nd - y.ndim).fill(1), ...y.shape]
  let rows = 1
  for (let split = 1; split < nd; split++) {
    rows *= shape[split - 1] as number
    const xk = kindAt(xs, shape, split, x.size, n)
    const yk = kindAt(ys, shape, split, y.size, n)
    if (xk === -1 || yk === -1) continue
    // Two per-row scalars would make no columns: only the JS loop covers that.
    if ((xk === SCALAR || xk === COL) && (yk === SCALAR || yk === COL)) return false
    return binaryFloatWasm(op, x._data, xk, y._data, yk, out, rows, n / rows)
  }
  return false
}

/** `cond ? a : b` element-wise with three-way broadcasting; a and b share a dtype. */
export const select = (cond: NdArray, a: NdArray, b: NdArray): NdArray => {
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, a.shape), b.shape)
  const n = sizeOf(shape)
  const out = allocateUninit(a.dtype, n)
  const c = cond._data
  const x = a._data
  const y = b._data
  if (
    useWasm(n) &&
    cond.size === n &&
    (a.size === n || a.size === 1) &&
    (b.size === n || b.size === 1) &&
    c instanceof Uint8Array &&
    ((x instanceof Float32Array && y instanceof Float32Array && out instanceof Float32Array) ||
      (x instanceof Float64Array && y instanceof Float64Array && out instanceof Float64Array)) &&
    selectWasm(c, x, a.size !== n, y, b.size !== n, out)
  ) {
    return new NdArray(shape, a.dtype, out)
  }
  if (cond.size === n && a.size === n && b.size === n) {
    for (let i = 0; i < n; i++) out[i] = (c[i] as number) !== 0 ? (x[i] as number) : (y[i] as number)
  } else {
    const sc = broadcastStrides(cond.shape, shape)
    const sa = broadcastStrides(a.shape, shape)
    const sb = broadcastStrides(b.shape, shape)
    const nd = shape.length
    const idx = new Array<number>(nd).fill(0)
    let ic = 0
    let ia = 0
    let ib = 0
    for (let k = 0; k < n; k++) {
      out[k] = (c[ic] as number) !== 0 ? (x[ia] as number) : (y[ib] as number)
      for (let d = nd - 1; d >= 0; d--) {
        ic += sc[d] as number
        ia += sa[d] as number
        ib += sb[d] as number
        idx[d] = (idx[d] as number) + 1
        if ((idx[d] as number) < (shape[d] as number)) break
        const s = shape[d] as number
        ic -= (sc[d] as number) * s
        ia -= (sa[d] as number) * s
        ib -= (sb[d] as number) * s
        idx[d] = 0
      }
    }
  }
  return new NdArray(shape, a.dtype, out)
}

/**
 * Converts to another dtype; to bool: non-zero. Floats to int32 saturate as JAX's `astype` does
 * (truncation toward zero, NaN → 0, values past the range → its ends). int64 to int32 keeps the
 * low 32 bits (two's complement, as a C cast and PyTorch do). Floats to int64 truncate toward
 * zero; NaN, ±Infinity and values beyond ±(2⁵³ − 1) raise OverflowError (int64 holds exact
 * integers only: wengert refuses rather than invent one).
 */
export const cast = (x: NdArray, dtype: DType): NdArray => {
  if (x.dtype === dtype) return x
  const n = x.size
  const out = allocate(dtype, n)
  const d = x._data
  const r = intRange(dtype)
  if (dtype === 'bool') for (let i = 0; i < n; i++) out[i] = (d[i] as number) !== 0 ? 1 : 0
  else if (dtype === 'int64') {
    out.set(d)
    if (isFloat(x.dtype)) truncInt64('cast', out)
  } else if (r !== undefined && isFloat(x.dtype))
    for (let i = 0; i < n; i++) out[i] = saturate(d[i] as number, r[0], r[1])
  else out.set(d)
  return new NdArray(x.shape, dtype, out)
}

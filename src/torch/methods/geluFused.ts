/**
 * The tanh-form GELU and its PyTorch backward (`gelu_backward(grad, self, 'tanh')`) over a large
 * float32 array as one fused WebAssembly loop each (../../ndarray/kernels/wasm/fusedLoop): the same
 * float32 operations, in the same order and with the same float32 constants, as the compositions
 * of `./gradKernels` (`geluValue`, `grad · geluDerivative`), whose every step the loop computes bit
 * for bit — so the values are those of the composition, without its eight (forward) and seventeen
 * (backward) full-size temporaries. W8 (a GPT step: gelu over 8·64·512 floats per block) spent
 * about a tenth of its facade step in those temporaries and their collection.
 *
 * Only concrete float32 arrays of at least {@link MIN_ELEMENTS} elements take this path (a tracer
 * of another transform, float64, small arrays and the exact form keep the composition).
 *
 * @category torch
 * @since 0.2.0
 */
import { settle } from '../../core/deferred'
import { MIN_ELEMENTS } from '../../core/wasmFusion'
import { allocateUninit } from '../../ndarray/dtype'
import { getElementwiseBackend } from '../../ndarray/kernels/elementwise'
import { fusedKernel, type FusedKernel, type FusedSpec } from '../../ndarray/kernels/wasm/fusedLoop'
import { wasmElementwiseAvailable } from '../../ndarray/kernels/wasm/simdElementwise'
import { NdArray } from '../../ndarray/NdArray'
import { shapesEqual } from '../../ndarray/shape'

/** β = √(2/π) of the tanh form. */
export const GELU_TANH_BETA = Math.sqrt(2 / Math.PI)
/** κ of the tanh form. */
export const GELU_KAPPA = 0.044715

// NOTE: operand indices: the arrays, then the scalars, then the steps in order (fusedLoop's rule)
/**
 * `½x·(1 + tanh(β(x + κ·x·(x·x))))`: arrays [x]; scalars [κ, β, ½, 1] (indices 1–4); steps from 5,
 * in `geluValue`'s order.
 */
const FORWARD: FusedSpec = {
  arrays: 1,
  scalars: 4,
  steps: [
    { op: 'mul', args: [0, 0] }, // 5: x·x
    { op: 'mul', args: [0, 5] }, // 6: x·(x·x)
    { op: 'mul', args: [6, 1] }, // 7: ·κ
    { op: 'add', args: [0, 7] }, // 8: x + …
    { op: 'mul', args: [8, 2] }, // 9: ·β
    { op: 'tanh', args: [9] }, // 10: t
    { op: 'mul', args: [0, 3] }, // 11: x·½
    { op: 'add', args: [10, 4] }, // 12: t + 1
    { op: 'mul', args: [11, 12] }, // 13: result
  ],
  outputs: [13],
}

/**
 * `g · (½(1 + t) + (½x·(1 − t²))·β(1 + 3κx²))`: arrays [x, g]; scalars [κ, β, ½, 1, 3κ]
 * (indices 2–6); steps from 7, in `geluDerivative`'s order, then the product with g.
 */
const BACKWARD: FusedSpec = {
  arrays: 2,
  scalars: 5,
  steps: [
    { op: 'mul', args: [0, 0] }, // 7: xSq
    { op: 'mul', args: [7, 0] }, // 8: xSq·x
    { op: 'mul', args: [8, 2] }, // 9: ·κ
    { op: 'add', args: [0, 9] }, // 10: x + …
    { op: 'mul', args: [10, 3] }, // 11: inner
    { op: 'tanh', args: [11] }, // 12: t
    { op: 'mul', args: [0, 4] }, // 13: left = x·½
    { op: 'add', args: [12, 5] }, // 14: t + 1
    { op: 'mul', args: [14, 4] }, // 15: leftDerivative
    { op: 'mul', args: [12, 12] }, // 16: t·t
    { op: 'sub', args: [5, 16] }, // 17: tanhDerivative = 1 − t·t
    { op: 'mul', args: [7, 6] }, // 18: xSq·3κ
    { op: 'add', args: [18, 5] }, // 19: + 1
    { op: 'mul', args: [19, 3] }, // 20: innerDerivative
    { op: 'mul', args: [13, 17] }, // 21: left·tanhDerivative
    { op: 'mul', args: [21, 20] }, // 22: ·innerDerivative
    { op: 'add', args: [15, 22] }, // 23: gelu′(x)
    { op: 'mul', args: [1, 23] }, // 24: g·gelu′(x)
  ],
  outputs: [24],
}

const FORWARD_SCALARS: ReadonlyArray<number> = [GELU_KAPPA, GELU_TANH_BETA, 0.5, 1]
const BACKWARD_SCALARS: ReadonlyArray<number> = [GELU_KAPPA, GELU_TANH_BETA, 0.5, 1, 3 * GELU_KAPPA]

let forwardKernel: FusedKernel | null | undefined
let backwardKernel: FusedKernel | null | undefined

/** True for a concrete float32 array large enough for a fused loop (settled if it was deferred). */
const fusible = (x: NdArray): boolean => {
  if (x.constructor !== NdArray || x.dtype !== 'float32' || x.size < MIN_ELEMENTS) return false
  if (getElementwiseBackend() === 'js' || !wasmElementwiseAvailable()) return false
  settle(x)
  return true
}

/** `kernel` over `arrays` into a fresh float32 array of `x`'s shape. */
const runInto = (kernel: FusedKernel, x: NdArray, arrays: NdArray[], scalars: ReadonlyArray<number>): NdArray => {
  const out = allocateUninit('float32', x.size) as Float32Array
  kernel(
    arrays.map((a) => a._data as Float32Array),
    scalars,
    [out],
  )
  return new NdArray(x.shape, 'float32', out)
}

/** The tanh-form GELU of `x` in one fused loop; undefined where the composition must run. */
export const geluTanhFused = (x: NdArray): NdArray | undefined => {
  if (!fusible(x)) return undefined
  const k = (forwardKernel ??= fusedKernel(FORWARD))
  return k === null ? undefined : runInto(k, x, [x], FORWARD_SCALARS)
}

/** `g · gelu′(x)` (tanh form) in one fused loop; undefined where the composition must run. */
export const geluTanhBackwardFused = (x: NdArray, g: NdArray): NdArray | undefined => {
  if (!fusible(x) || !fusible(g) || !shapesEqual(x.shape, g.shape)) return undefined
  const k = (backwardKernel ??= fusedKernel(BACKWARD))
  return k === null ? undefined : runInto(k, x, [x, g], BACKWARD_SCALARS)
}

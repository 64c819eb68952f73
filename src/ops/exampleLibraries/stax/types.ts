/**
 * The types of `jax.example_libraries.stax`: a layer is a pair `[initFun, applyFun]`;
 * `initFun(rng, inputShape)` gives `[outputShape, params]`, `applyFun(params, inputs, { rng, … })`
 * the outputs.
 */
import type { NdArray } from '../../../ndarray/NdArray'
import type { KeyArray } from '../../random/keys'

/** An input or output shape: one array's shape (−1 for a size left open, e.g. the batch), or a list of them. @category exampleLibraries @since 0.2.0 */
export type StaxShape = ReadonlyArray<number> | ReadonlyArray<StaxShape>

/** Parameters of a layer: an array, or a (possibly empty) list of parameters. @category exampleLibraries @since 0.2.0 */
export type StaxParams = NdArray | ReadonlyArray<unknown>

/** Inputs of a layer: an array, or a list of inputs (after `FanOut`, for `parallel`, `FanInSum`, …). @category exampleLibraries @since 0.2.0 */
export type StaxValue = NdArray | ReadonlyArray<StaxValue>

/** The keyword arguments of an apply function: `rng` (for `Dropout`), and any others, passed on to every layer. @category exampleLibraries @since 0.2.0 */
export interface ApplyOptions {
  /** The random key (JAX's `rng` keyword); `serial`/`parallel` split it among their layers. */
  readonly rng?: KeyArray | null
  readonly [keyword: string]: unknown
}

/** `initFun(rng, inputShape)` → `[outputShape, params]`. @category exampleLibraries @since 0.2.0 */
export type InitFun<S extends StaxShape = ReadonlyArray<number>, P extends StaxParams = StaxParams> = (
  rng: KeyArray,
  inputShape: StaxShape,
) => readonly [S, P]

/** `applyFun(params, inputs, options?)` → outputs. @category exampleLibraries @since 0.2.0 */
export type ApplyFun<O extends StaxValue = NdArray> = (
  params: StaxParams,
  inputs: StaxValue,
  options?: ApplyOptions,
) => O

/** A layer: the pair `[initFun, applyFun]`. @category exampleLibraries @since 0.2.0 */
export type Layer<O extends StaxValue = NdArray, S extends StaxShape = ReadonlyArray<number>> = readonly [
  InitFun<S>,
  ApplyFun<O>,
]

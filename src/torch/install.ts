/**
 * Attaches PyTorch's tensor methods to the tensor core (`./tensor.ts`): the math, reduction,
 * shape, indexing and in-place method tables of `./methods/*` and `backward`. The method modules
 * import the core, never this module, so the facade has no import cycle; `wengert/torch`
 * (`./index.ts`) re-exports `Tensor` from here, so importing the facade installs the methods.
 * The `Tensor` type gains their signatures by declaration merging below.
 *
 * @category torch
 * @since 0.2.0
 */
import { backward as runBackward, type BackwardOptions } from './autograd/engine'
import { backwardInputs, bindCall, engineFlags } from './autograd/callArgs'
import { aliasMethods, inplaceMoreMethods } from './methods/aliases'
import { indexMethods } from './methods/index'
import { tensorMiscMethods } from './methods/tensorMisc'
import { histogramMethods } from './histogram'
import { inplaceMethods } from './methods/inplace'
import { addmmMethods } from './methods/addmm'
import { linalgMethods } from './methods/linalgMethods'
import { mathMethods } from './methods/math'
import { mathExtraMethods } from './methods/mathExtra'
import { newMethods } from './methods/newFns'
import { randomMethods } from './methods/randomFns'
import { repeatMethods } from './methods/repeatFns'
import { reduceMethods } from './methods/reduce'
import { scatterMethods } from './methods/scatter'
import { shapeMethods } from './methods/shape'
import { shapeExtraMethods } from './methods/shapeExtra'
import { sortingMethods } from './methods/sorting'
import { uniqueMethods } from './methods/unique'
import { selectReduceMethods } from './methods/selectReduce'
import { reduceExtraMethods } from './methods/reduceExtra'
import { covarianceMethods } from './methods/covariance'
import { shapeMoreMethods } from './methods/shapeMore'
import { bitwiseMethods } from './methods/bitwise'
import { compareInplaceMethods } from './methods/compareInplace'
import { tensorExtraMethods } from './methods/tensorExtras'
import { floatBitsMethods } from './methods/floatBits'
import { scatterSliceMethods } from './methods/scatterSlices'
import { putReduceMethods } from './methods/putReduce'
import { stridedMethods } from './methods/stridedFns'
import { linalgLegacyMethods } from './methods/linalgLegacyMethods'
import { igammaMethods } from './igamma'
import { asStridedMethods } from './methods/asStrided'
import { tensorLegacyMethods } from './methods/tensorLegacy'
import { storageMethods } from './methods/storageFacts'
import { setStorageMethods } from './methods/setStorage'
import { iterateMethods } from './methods/iterate'
import { guardMethodKeywords } from './methodKeywords'
import { Tensor, type TensorData } from './tensor'

/** The autograd methods that call the engine (typed by hand: see the declaration emit note below). */
interface AutogradMethods {
  /**
   * Computes the gradient of this tensor with respect to graph leaves and accumulates it into
   * their `.grad`. `gradient` is required for non-scalar tensors (the vector of the
   * vector-Jacobian product).
   */
  backward(this: Tensor, gradient?: TensorData | null, opts?: BackwardOptions): void
  /** Keywords only, as Python's `loss.backward(retain_graph=True)`. */
  backward(this: Tensor, opts: BackwardOptions): void
  /**
   * PyTorch's positional form `backward(gradient, retain_graph, create_graph, inputs)`
   * (`retain_graph` null means `create_graph`).
   */
  backward(
    this: Tensor,
    gradient: TensorData | null,
    retain_graph: boolean | null,
    create_graph?: boolean,
    inputs?: Tensor | ReadonlyArray<Tensor> | null,
  ): void
}

// NOTE: an inferred object type here loses its import of TensorData in the emitted .d.ts
const autogradMethods: AutogradMethods = {
  backward(this: Tensor, ...args: ReadonlyArray<unknown>) {
    const a = bindCall('Tensor.backward', args, ['gradient', 'retain_graph', 'create_graph', 'inputs'], 0, 1)
    const inputs = backwardInputs(a.inputs)
    const opts = engineFlags(a.retain_graph, a.create_graph)
    runBackward([this], [(a.gradient as TensorData | null | undefined) ?? null], inputs ? { ...opts, inputs } : opts)
  },
}

type MathMethods = typeof mathMethods
type MathExtraMethods = typeof mathExtraMethods
type ShapeExtraMethods = typeof shapeExtraMethods
type ReduceMethods = typeof reduceMethods
type ShapeMethods = typeof shapeMethods
type IndexMethods = typeof indexMethods
type InplaceMethods = typeof inplaceMethods
type ScatterMethods = typeof scatterMethods
type SortingMethods = typeof sortingMethods
type UniqueMethods = typeof uniqueMethods
type NewMethods = typeof newMethods
type AddmmMethods = typeof addmmMethods
type RepeatMethods = typeof repeatMethods
type RandomMethods = typeof randomMethods
type LinalgMethods = typeof linalgMethods
type SelectReduceMethods = typeof selectReduceMethods
type ReduceExtraMethods = typeof reduceExtraMethods
type CovarianceMethods = typeof covarianceMethods
type ShapeMoreMethods = typeof shapeMoreMethods
type AliasMethods = typeof aliasMethods
type TensorMiscMethods = typeof tensorMiscMethods
type InplaceMoreMethods = typeof inplaceMoreMethods
type BitwiseMethods = typeof bitwiseMethods
type CompareInplaceMethods = typeof compareInplaceMethods
type TensorExtraMethods = typeof tensorExtraMethods
type FloatBitsMethods = typeof floatBitsMethods
type ScatterSliceMethods = typeof scatterSliceMethods
type PutReduceMethods = typeof putReduceMethods
type StridedMethods = typeof stridedMethods
type LinalgLegacyMethods = typeof linalgLegacyMethods
type IgammaMethods = typeof igammaMethods
type AsStridedMethods = typeof asStridedMethods
type HistogramMethods = typeof histogramMethods
type TensorLegacyMethods = typeof tensorLegacyMethods
type StorageMethods = typeof storageMethods
type SetStorageMethods = typeof setStorageMethods
type IterateMethods = typeof iterateMethods

// declaration merging: the class Tensor of ./tensor.ts gains the installed methods' types (named
// with its extension so that the emitted declaration also resolves under Node's ESM rules)
declare module './tensor.js' {
  interface Tensor
    extends
      MathMethods,
      MathExtraMethods,
      ShapeExtraMethods,
      ReduceMethods,
      ShapeMethods,
      IndexMethods,
      InplaceMethods,
      ScatterMethods,
      SortingMethods,
      UniqueMethods,
      NewMethods,
      AddmmMethods,
      RepeatMethods,
      RandomMethods,
      LinalgMethods,
      SelectReduceMethods,
      ReduceExtraMethods,
      CovarianceMethods,
      ShapeMoreMethods,
      AliasMethods,
      TensorMiscMethods,
      InplaceMoreMethods,
      BitwiseMethods,
      CompareInplaceMethods,
      TensorExtraMethods,
      FloatBitsMethods,
      ScatterSliceMethods,
      PutReduceMethods,
      StridedMethods,
      LinalgLegacyMethods,
      IgammaMethods,
      AsStridedMethods,
      HistogramMethods,
      TensorLegacyMethods,
      StorageMethods,
      SetStorageMethods,
      IterateMethods,
      AutogradMethods {}
}

for (const m of [
  mathMethods,
  mathExtraMethods,
  shapeExtraMethods,
  reduceMethods,
  shapeMethods,
  indexMethods,
  inplaceMethods,
  scatterMethods,
  sortingMethods,
  uniqueMethods,
  newMethods,
  addmmMethods,
  repeatMethods,
  randomMethods,
  linalgMethods,
  selectReduceMethods,
  reduceExtraMethods,
  covarianceMethods,
  shapeMoreMethods,
  aliasMethods,
  inplaceMoreMethods,
  tensorMiscMethods,
  bitwiseMethods,
  compareInplaceMethods,
  tensorExtraMethods,
  floatBitsMethods,
  scatterSliceMethods,
  putReduceMethods,
  stridedMethods,
  linalgLegacyMethods,
  igammaMethods,
  asStridedMethods,
  histogramMethods,
  tensorLegacyMethods,
  storageMethods,
  setStorageMethods,
  iterateMethods,
  autogradMethods,
]) {
  for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(m)))
    Object.defineProperty(Tensor.prototype, k, { ...d, enumerable: false })
}
// keywords PyTorch's method does not accept raise its TypeError instead of being ignored
guardMethodKeywords(Tensor.prototype)

export { Tensor }

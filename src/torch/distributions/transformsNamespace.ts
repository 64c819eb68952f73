/**
 * `torch.distributions.transforms`: the transform classes and `identity_transform` as one
 * namespace (PyTorch's module of that name).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.transforms.ExpTransform()
 * assert.strictEqual(t(torch.tensor(0)).item(), 1)
 * @category torch
 * @since 0.2.0
 */
export { Transform, ComposeTransform, identity_transform } from './transforms'
export { IndependentTransform, ReshapeTransform } from './transformsStructural'
export { ExpTransform, SigmoidTransform, SoftplusTransform, TanhTransform, AbsTransform } from './transformsElementwise'
export { AffineTransform, PowerTransform, CumulativeDistributionTransform } from './transformsAffine'
export {
  SoftmaxTransform,
  StickBreakingTransform,
  LowerCholeskyTransform,
  CorrCholeskyTransform,
  CatTransform,
  StackTransform,
} from './transformsVector'

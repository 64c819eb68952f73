/**
 * `torch.nn.utils.fusion`: folds an eval-mode batch norm into the convolution or linear layer before
 * it (Ioffe & Szegedy, "Batch Normalization", ICML 2015: at inference the normalisation is the affine
 * map `w·(x − μ)/√(σ² + ε) + b`, which composes with the layer's own affine map). The fused layer is a
 * deep copy with new weight and bias parameters.
 *
 * @category torch
 * @since 0.3.0
 */
import { AssertionError } from '../errors'
import { deepcopy } from '../copy'
import { ones_like, zeros_like } from '../creation'
import { Tensor } from '../tensor'
import { Module } from './module'
import { Parameter } from './parameter'

/** What fusion reads of a batch-norm layer. @category torch @since 0.3.0 */
export interface BatchNormLike extends Module {
  readonly num_features: number
  readonly eps: number
  readonly running_mean: Tensor | null
  readonly running_var: Tensor | null
  readonly weight: Tensor | null
  readonly bias: Tensor | null
}

/** What fusion reads and writes of a convolution or linear layer. @category torch @since 0.3.0 */
export interface AffineLayer extends Module {
  weight: Parameter
  bias: Parameter | null
}

const statsOf = (bn: BatchNormLike): [Tensor, Tensor] => {
  if (bn.running_mean === null || bn.running_var === null)
    throw new AssertionError('bn.running_mean and bn.running_var must not be None')
  return [bn.running_mean, bn.running_var]
}

const evalOnly = (layer: Module, bn: Module): void => {
  if (layer.training || bn.training) throw new AssertionError('Fusion only for eval!')
}

/**
 * The weight and bias of a convolution followed by a batch norm with the given statistics and
 * affine parameters (`transpose` for a transposed convolution, whose output channels are dim 1).
 * @category torch @since 0.3.0
 */
export const fuse_conv_bn_weights = (
  conv_w: Tensor,
  conv_b: Tensor | null,
  bn_rm: Tensor,
  bn_rv: Tensor,
  bn_eps: number,
  bn_w: Tensor | null,
  bn_b: Tensor | null,
  transpose = false,
): [Parameter, Parameter] => {
  const [wDtype, bDtype] = [conv_w.dtype, conv_b?.dtype ?? conv_w.dtype]
  const b = conv_b ?? zeros_like(bn_rm)
  const scale = bn_rv.add(bn_eps).rsqrt()
  const rest = Array.from({ length: conv_w.dim() - 2 }, () => 1)
  const shape = transpose ? [1, -1, ...rest] : [-1, 1, ...rest]
  const w = conv_w.mul((bn_w ?? ones_like(bn_rm)).mul(scale).reshape(shape)).to(wDtype)
  const fusedB = b
    .sub(bn_rm)
    .mul(scale)
    .mul(bn_w ?? ones_like(bn_rm))
    .add(bn_b ?? zeros_like(bn_rm))
    .to(bDtype)
  return [new Parameter(w, conv_w.requires_grad), new Parameter(fusedB, b.requires_grad)]
}

/**
 * A new convolution computing `bn(conv(x))` of the eval-mode pair (`transpose` for transposed
 * convolutions). Raises PyTorch's AssertionError when either is in training mode.
 * @example
 * import * as torch from 'wengert/torch'
 * const conv = torch.nn.Conv2d(2, 3, 3).eval()
 * const bn = torch.nn.BatchNorm2d(3).eval()
 * torch.no_grad(() => { bn.running_mean?.fill_(0.5); bn.running_var?.fill_(4) })
 * const fused = torch.nn.utils.fusion.fuse_conv_bn_eval(conv, bn)
 * const x = torch.randn(1, 2, 5, 5)
 * assert.ok(torch.allclose(fused(x), bn(conv(x)), { rtol: 1e-5, atol: 1e-6 }))
 * @category torch @since 0.3.0
 */
export const fuse_conv_bn_eval = <C extends AffineLayer>(conv: C, bn: BatchNormLike, transpose = false): C => {
  evalOnly(conv, bn)
  const fused = deepcopy(conv)
  const [rm, rv] = statsOf(bn)
  ;[fused.weight, fused.bias] = fuse_conv_bn_weights(
    fused.weight,
    fused.bias,
    rm,
    rv,
    bn.eps,
    bn.weight,
    bn.bias,
    transpose,
  )
  return fused
}

/**
 * The weight and bias of a linear layer followed by a batch norm over its output features.
 * @category torch @since 0.3.0
 */
export const fuse_linear_bn_weights = (
  linear_w: Tensor,
  linear_b: Tensor | null,
  bn_rm: Tensor,
  bn_rv: Tensor,
  bn_eps: number,
  bn_w: Tensor,
  bn_b: Tensor,
): [Parameter, Parameter] => {
  const [wDtype, bDtype] = [linear_w.dtype, linear_b?.dtype ?? linear_w.dtype]
  const b = linear_b ?? zeros_like(bn_rm)
  const scale = bn_w.mul(bn_rv.add(bn_eps).rsqrt())
  const w = linear_w.mul(scale.unsqueeze(-1).to(wDtype))
  const fusedB = b.sub(bn_rm).mul(scale).add(bn_b).to(bDtype)
  return [new Parameter(w, linear_w.requires_grad), new Parameter(fusedB, b.requires_grad)]
}

/**
 * A new linear layer computing `bn(linear(x))` of the eval-mode pair; the batch norm must have
 * `out_features` features (or one).
 * @example
 * import * as torch from 'wengert/torch'
 * const lin = torch.nn.Linear(3, 2).eval()
 * const bn = torch.nn.BatchNorm1d(2).eval()
 * const x = torch.randn(4, 3)
 * assert.ok(torch.allclose(torch.nn.utils.fusion.fuse_linear_bn_eval(lin, bn)(x), bn(lin(x)), { atol: 1e-6 }))
 * @category torch @since 0.3.0
 */
export const fuse_linear_bn_eval = <L extends AffineLayer & { readonly out_features: number }>(
  linear: L,
  bn: BatchNormLike,
): L => {
  evalOnly(linear, bn)
  const fused = deepcopy(linear)
  if (linear.out_features !== bn.num_features && bn.num_features !== 1)
    throw new AssertionError(
      `To fuse, linear.out_features == bn.num_features or bn.num_features == 1, got linear.out_features=${linear.out_features} and bn.num_features=${bn.num_features}`,
    )
  const [rm, rv] = statsOf(bn)
  if (bn.weight === null || bn.bias === null)
    throw new AssertionError('fuse_linear_bn_eval: the batch norm needs affine weight and bias')
  ;[fused.weight, fused.bias] = fuse_linear_bn_weights(fused.weight, fused.bias, rm, rv, bn.eps, bn.weight, bn.bias)
  return fused
}

/**
 * Channel-wise dropout `F.dropout1d/2d/3d` (whole channels zeroed with probability `p`, the rest
 * scaled by 1/(1 − p); unbatched inputs go through an unsqueeze and a squeeze as in PyTorch,
 * with PyTorch 1.13's warnings for the deprecated ranks) and `F.alpha_dropout` (SELU-preserving
 * dropout). Masks come from the facade's global generator (`torch.manual_seed`).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { isFloat } from '../../ndarray/dtype'
import { get_default_dtype } from '../dtype'
import { RuntimeError, TorchValueError } from '../errors'
import { keywordForms, parseArgs, type PyArgs } from '../kwargs'
import { Tensor } from '../tensor'
import { warn } from '../warnings'
import { bernoulliMask } from './random'
import { checkedEntry, inplaceFlag } from './functionalArgs'

type T = Tensor

type DropArgs = PyArgs<
  [p: number, training: boolean, inplace: boolean],
  { readonly p?: number; readonly training?: boolean; readonly inplace?: boolean }
>

/** p, training and inplace with PyTorch's defaults and range check. */
export const dropArgs = (
  fn: string,
  rest: DropArgs,
  trainingDefault = true,
): { p: number; training: boolean; inplace: boolean } => {
  const a = parseArgs(fn, rest, ['p', 'training', 'inplace'])
  const p = (a.p as number | undefined) ?? 0.5
  if (!(p >= 0 && p <= 1)) throw new TorchValueError(`dropout probability has to be between 0 and 1, but got ${p}`)
  return {
    p,
    training: (a.training as boolean | undefined) ?? trainingDefault,
    inplace: inplaceFlag(a),
  }
}

/** A mask of shape `shape` holding 0 or 1/(1 − p) (all 0 for p = 1), as a tensor of `input`'s float dtype. */
const scaledMask = (input: T, shape: ReadonlyArray<number>, p: number): T => {
  const x0 = input._value()
  const dtype = isFloat(x0.dtype) ? x0.dtype : get_default_dtype().storage
  const m =
    p === 1 ? lax.zerosLike({ shape, dtype }) : lax.mulScalar(lax.cast(bernoulliMask(shape, 1 - p), dtype), 1 / (1 - p))
  return Tensor._fromValue(m)
}

/** Zeroes whole channels of a batched [N, C, …] input (the mask broadcasts over the spatial axes). */
export const featureDropout = (input: T, p: number, inplace: boolean): T => {
  const s = input._value().shape
  const mask = scaledMask(input, [s[0] as number, s[1] as number, ...s.slice(2).map(() => 1)], p)
  return inplace ? input.mul_(mask) : input.mul(mask)
}

/** Channel dropout over `nsp` spatial axes, with PyTorch 1.13's rank handling. */
const channelDropout = (nsp: number, input: T, rest: DropArgs): T => {
  const fn = `dropout${nsp}d`
  const { p, training, inplace } = dropArgs(fn, rest)
  const nd = input._value().ndim
  const ok = nd === nsp + 1 || nd === nsp + 2
  if (!ok && nsp === 1) {
    throw new RuntimeError(
      `dropout1d: Expected 2D or 3D input, but received a ${nd}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).`,
    )
  }
  const words = nsp === 2 ? '2 spatial dimensions' : '3 spatial dimensions'
  if (!ok) {
    warn(
      `${fn}: Received a ${nd}-D input to ${fn}, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that ${fn} exists to provide channel-wise dropout on inputs with ${words}, a channel dimension, and an optional batch dimension (i.e. ${nsp + 1}D or ${nsp + 2}D inputs).`,
    )
  }
  let unbatched = ok && nd === nsp + 1
  if (nsp === 2 && nd === 3) {
    warn(
      'dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will change in a future release to interpret the input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d instead.',
    )
    unbatched = false
  }
  if (!training || p === 0) return input
  if (!unbatched) return featureDropout(input, p, inplace)
  const out = featureDropout(input.unsqueeze(0), p, false).squeeze(0)
  return inplace ? input.copy_(out) : out
}

/**
 * Zeroes whole channels of [N, C, L] (or [C, L]) with probability `p` while `training`.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * torch.manual_seed(0)
 * const y = F.dropout1d(torch.ones(8, 16, 5), 0.5)
 * const rows = y.tolist() as number[][][]
 * assert.ok(rows.flat().every((ch) => ch.every((v) => v === ch[0]) && (ch[0] === 0 || ch[0] === 2)))
 * @category torch @since 0.2.0
 */
export const dropout1d = checkedEntry(
  'dropout1d',
  'Tensor input',
  keywordForms('dropout1d', ['input'], (input: T, ...rest: DropArgs): T => channelDropout(1, input, rest)),
)

/**
 * Zeroes whole channels of [N, C, H, W] (or [C, H, W]) with probability `p` while `training`.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * assert.strictEqual(F.dropout2d(torch.ones(2, 3, 4, 4), 0.5, false).sum().item(), 96)
 * @category torch @since 0.2.0
 */
export const dropout2d = checkedEntry(
  'dropout2d',
  'Tensor input',
  keywordForms('dropout2d', ['input'], (input: T, ...rest: DropArgs): T => channelDropout(2, input, rest)),
)

/**
 * Zeroes whole channels of [N, C, D, H, W] (or [C, D, H, W]) with probability `p` while `training`.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * assert.strictEqual(String(F.dropout3d(torch.ones(2, 3, 2, 2, 2), 0.2).shape), 'torch.Size([2, 3, 2, 2, 2])')
 * @category torch @since 0.2.0
 */
export const dropout3d = checkedEntry(
  'dropout3d',
  'Tensor input',
  keywordForms('dropout3d', ['input'], (input: T, ...rest: DropArgs): T => channelDropout(3, input, rest)),
)

/** λα of SELU: a dropped unit is set to its negative saturation −λα. */
const ALPHA = 1.7580993408473766

/**
 * Alpha dropout with a keep mask of shape `maskShape` (broadcast over `input`): x·a·keep +
 * λα·a·(keep − 1 + p), with a = 1/√((λα²·p + 1)(1 − p)), so dropped units become −λα·a·(1 − p)
 * and mean and variance are kept (PyTorch's MulBackward0 then AddBackward0).
 */
export const alphaDropoutMasked = (input: T, maskShape: ReadonlyArray<number>, p: number, inplace: boolean): T => {
  if (p === 1) return inplace ? input.mul_(0) : input.mul(0)
  const x0 = input._value()
  const dtype = isFloat(x0.dtype) ? x0.dtype : get_default_dtype().storage
  const keep = lax.cast(bernoulliMask(maskShape, 1 - p), dtype)
  const scale = 1 / Math.sqrt((ALPHA * ALPHA * p + 1) * (1 - p))
  const b = lax.addScalar(lax.mulScalar(lax.addScalar(keep, -1), ALPHA * scale), ALPHA * scale * p)
  const noise = Tensor._fromValue(lax.mulScalar(keep, scale))
  return inplace ? input.mul_(noise).add_(Tensor._fromValue(b)) : input.mul(noise).add(Tensor._fromValue(b))
}

/**
 * Alpha dropout (for SELU networks): dropped elements are set to −λα and the result is
 * rescaled so that mean and variance are kept; identity unless `training` (default false, as
 * in PyTorch's functional form).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const x = torch.randn(10000)
 * assert.strictEqual(F.alpha_dropout(x, 0.2), x)
 * const y = F.alpha_dropout(x, 0.2, true)
 * assert.ok(Math.abs(y.mean().item() as number) < 0.1 && Math.abs((y.std().item() as number) - 1) < 0.1)
 * // a dropped zero becomes −λα·a·(1 − p) < 0, a kept zero λα·a·p > 0
 * const z = F.alpha_dropout(torch.zeros(100), 0.5, true).tolist() as number[]
 * assert.ok(z.every((v) => Math.abs(Math.abs(v) - 0.7791939) < 1e-6))
 * @category torch @since 0.2.0
 */
export const alpha_dropout = keywordForms('alpha_dropout', ['input'], (input: T, ...rest: DropArgs): T => {
  const { p, training, inplace } = dropArgs('alpha_dropout', rest, false)
  if (!training || p === 0) return input
  return alphaDropoutMasked(input, input._value().shape, p, inplace)
})

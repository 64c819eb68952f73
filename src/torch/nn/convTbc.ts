/**
 * `conv_tbc`: the time-batch-channel 1-D convolution of fairseq-style models (ATen's
 * `conv_tbc(input [T, B, Cin], weight [K, Cin, Cout], bias [Cout], pad=0)`), one facade op with
 * PyTorch's node `ConvTbcBackward0`. `out[t, b, o] = bias[o] + Σ_k Σ_c xpad[t + k, b, c] · w[k, c, o]`
 * where `xpad` is the input zero-padded by `pad` steps at both ends of time.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { atenArgs } from '../atenArgs'
import { op } from '../autograd/op'
import { RuntimeError } from '../errors'
import type { PyArgs } from '../kwargs'
import { floatOf } from '../ops/convert'
import { requireTensorArgs } from '../pyTypeName'
import type { Tensor } from '../tensor'

type T = Tensor

/** The shape checks of ATen's conv_tbc, with its messages. */
const checkTbc = (x: ReadonlyArray<number>, w: ReadonlyArray<number>, b: ReadonlyArray<number>, pad: number): void => {
  if (x.length !== 3) throw new RuntimeError('Input must have 3 dims: time, batch, in_channel')
  if (w.length !== 3) throw new RuntimeError('Weight tensor must have 3 dims: kernel_width, in_channels, out_channels.')
  if (b.length !== 1) throw new RuntimeError('Bias must be 1-D')
  if (x[2] !== w[1]) throw new RuntimeError('Input dim 2 (input channels) is not == dim 1 in the weight tensor')
  if (w[2] !== b[0]) throw new RuntimeError('Bias size must equal dim 2 in the weight tensor (output channels).')
  const len = (x[0] as number) + 2 * pad - (w[0] as number) + 1
  if (len < 0)
    throw new RuntimeError(`Trying to create tensor with negative dimension ${len}: [${len}, ${x[1]}, ${w[2]}]`)
}

/**
 * `conv_tbc(input, weight, bias, pad=0)`: 1-D convolution of a `[time, batch, in_channels]` input
 * with a `[kernel_width, in_channels, out_channels]` weight and a required `[out_channels]` bias,
 * zero-padding time by `pad` at both ends; the result is `[time + 2·pad − kernel_width + 1, batch,
 * out_channels]`. Node `ConvTbcBackward0`.
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([[[1]], [[2]], [[3]]]) // T=3, B=1, C=1
 * const y = torch.conv_tbc(x, torch.tensor([[[1]], [[10]]]), torch.tensor([0.5]))
 * assert.deepStrictEqual(y.tolist(), [[[21.5]], [[32.5]]])
 * assert.strictEqual(y.shape.length, 3)
 * @category torch @since 0.2.0
 */
export const conv_tbc = (
  input: T,
  ...rest: PyArgs<[weight: T, bias: T, pad: number], { readonly weight?: T; readonly bias?: T; readonly pad?: number }>
): T => {
  const a = atenArgs('conv_tbc', rest, ['weight', 'bias', 'pad'], 2)
  const weight = a.weight as T
  const bias = a.bias as T
  requireTensorArgs('conv_tbc', ['input', 'weight', 'bias'], [input, weight, bias])
  const pad = (a.pad as number | undefined) ?? 0
  checkTbc(input.shape, weight.shape, bias.shape, pad)
  const params = {
    windowStrides: [1],
    padding: [[pad, pad] as [number, number]],
    lhsDilation: [1],
    rhsDilation: [1],
    featureGroupCount: 1,
    batchGroupCount: 1,
  }
  return op(
    'ConvTbcBackward0',
    [input, weight, bias],
    (xv: NdArray, wv: NdArray, bv: NdArray) => {
      const x = floatOf(xv)
      // [T, B, C] → [B, C, T]; weight [K, Cin, Cout] → [Cout, Cin, K]
      const y = lax.convGeneralDilated(
        lax.transpose(x, [1, 2, 0]),
        lax.transpose(lax.cast(wv, x.dtype), [2, 1, 0]),
        params,
      )
      const out = lax.transpose(y, [2, 0, 1])
      return lax.add(out, lax.broadcastInDim(lax.cast(bv, x.dtype), out.shape, [2]))
    },
    { saves: [0, 1, 2] },
  )
}

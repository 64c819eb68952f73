/**
 * `torch.poisson` and `torch.binomial`: PyTorch's CPU samplers (rngSamplers.ts) over the facade's
 * Mersenne Twister, so a seed gives PyTorch's counts.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { withNotImplemented } from './autograd/notImplemented'
import { checkOptions } from '../internal/options'
import { op } from './autograd/op'
import { RuntimeError } from './errors'
import { broadcastShape } from './ops/convert'
import { Generator } from './generator'
import type { GeneratorKw } from './methods/randomFns'
import { sampleBinomial, samplePoisson } from './sampling'
import type { Tensor } from './tensor'
import { requireTensorArgs } from './pyTypeName'

type T = Tensor

/** Raises PyTorch's dispatch error for a non-floating input. */
const checkFloating = (name: string, x: T): void => {
  if (!x.is_floating_point()) throw new RuntimeError(`"${name}" not implemented for '${x.dtype.word}'`)
}

/** A positional generator (or null) or a `{ generator }` keywords object. */
const generatorArg = (name: string, g: Generator | null | GeneratorKw | undefined): GeneratorKw =>
  g === undefined ? {} : g instanceof Generator || g === null ? { generator: g } : checkOptions(name, g, ['generator'])

/**
 * Poisson counts with the rates of `input` (PoissonBackward0, zero gradient), in `input`'s dtype.
 * @example
 * import * as torch from 'wengert/torch'
 * torch.manual_seed(0)
 * const k = torch.poisson(torch.full([2000], 4, { dtype: torch.float32 }))
 * assert.ok(Math.abs(k.mean().item() - 4) < 0.2)
 * assert.deepStrictEqual(torch.poisson(torch.zeros(2)).tolist(), [0, 0])
 * @category torch @since 0.2.0
 */
export const poisson = (input: T, generator?: Generator | null | GeneratorKw): T => {
  requireTensorArgs('poisson', ['input'], [input])
  const k = generatorArg('poisson', generator)
  checkFloating('poisson_cpu', input)
  const v = input.detach()._value()
  if ((v.toTypedArray() as Float64Array).some((l) => !(l >= 0)))
    throw new RuntimeError('invalid Poisson rate, expected rate to be non-negative')
  const sample = samplePoisson(k.generator, v)
  return op('PoissonBackward0', [input], (x) => lax.stopGradient(lax.cast(sample, x.dtype)))
}

/**
 * Binomial counts: `count` trials with success probability `prob` each (broadcast together),
 * in `count`'s dtype. PyTorch has no derivative for it: the result does not require grad.
 * @example
 * import * as torch from 'wengert/torch'
 * torch.manual_seed(0)
 * const k = torch.binomial(torch.full([2000], 20, { dtype: torch.float32 }), torch.full([2000], 0.25))
 * assert.ok(Math.abs(k.mean().item() - 5) < 0.3)
 * assert.deepStrictEqual(torch.binomial(torch.tensor([3.0]), torch.tensor([1.0])).tolist(), [3])
 * @category torch @since 0.2.0
 */
export const binomial = (count: T, prob: T, generator?: Generator | null | GeneratorKw): T => {
  requireTensorArgs('binomial', ['count', 'prob'], [count, prob])
  const k = generatorArg('binomial', generator)
  checkFloating('binomial_cpu', count)
  const shape = broadcastShape(count.shape, prob.shape)
  const c = count.detach().expand(shape).contiguous()._value()
  const p = prob.detach().to(count.dtype).expand(shape).contiguous()._value()
  const sample = sampleBinomial(k.generator, c, p)
  // PyTorch has no derivative for binomial: a NotImplemented grad_fn whose backward raises
  return withNotImplemented(
    'binomial',
    [count, prob],
    op('binomial', [count, prob], () => sample, { differentiable: false }),
  )
}

/**
 * `torch.distributions.MixtureSameFamily`: a mixture whose components are the rightmost batch
 * axis of one distribution, weighted by a Categorical.
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { no_grad } from '../autograd/grad_mode'
import { TorchValueError } from '../errors'
import type { PyArgs } from '../kwargs'
import { makeSize, type Tensor } from '../tensor'
import type * as constraints from './constraints'
import {
  Distribution,
  parseDistArgs,
  validateOf,
  type ArgConstraints,
  type SampleShape,
  type ValidateKw,
} from './distribution'
import { Categorical } from './discrete'

type T = Tensor

/** Keywords of MixtureSameFamily. */
export interface MixtureSameFamilyKw extends ValidateKw {
  readonly mixture_distribution?: Categorical
  readonly component_distribution?: Distribution
}

/** Checks the mixture's and components' batch shapes agree (PyTorch's texts); returns the component count. */
const checkShapes = (mix: Distribution, comp: Distribution): number => {
  const mdbs = mix.batch_shape
  const cdbs = comp.batch_shape.slice(0, -1)
  for (let i = 1; i <= Math.min(mdbs.length, cdbs.length); i++) {
    const [a, b] = [mdbs[mdbs.length - i] as number, cdbs[cdbs.length - i] as number]
    if (a !== 1 && b !== 1 && a !== b)
      throw new TorchValueError(
        `\`mixture_distribution.batch_shape\` (${String(mdbs)}) is not compatible with \`component_distribution.batch_shape\`(${String(makeSize(cdbs))})`,
      )
  }
  const km = (mix as Categorical).logits.shape.at(-1) as number
  const kc = comp.batch_shape.at(-1) as number
  if (km !== kc)
    throw new TorchValueError(
      `\`mixture_distribution component\` (${km}) does not equal \`component_distribution.batch_shape[-1]\` (${kc})`,
    )
  return km
}

/** See {@link MixtureSameFamily}. */
class MixtureSameFamilyImpl extends Distribution {
  /** The Categorical over the components. */
  readonly mixture_distribution: Categorical
  /** The components (their rightmost batch axis). */
  readonly component_distribution: Distribution
  /** @internal */
  readonly _num_component: number
  /** @internal */
  readonly _event_ndims: number
  constructor(
    ...args: PyArgs<
      [mixture_distribution: Categorical, component_distribution: Distribution, validate_args: boolean | null],
      MixtureSameFamilyKw
    >
  ) {
    super()
    const a = parseDistArgs(args, ['mixture_distribution', 'component_distribution', 'validate_args'], 2)
    const mix = a['mixture_distribution']
    const comp = a['component_distribution']
    if (!(mix instanceof Categorical))
      throw new TorchValueError(
        ' The Mixture distribution needs to be an  instance of torch.distribtutions.Categorical',
      )
    if (!(comp instanceof Distribution))
      throw new TorchValueError('The Component distribution need to be an instance of torch.distributions.Distribution')
    this._num_component = checkShapes(mix, comp)
    // PyTorch reads mixture_distribution.logits here, which caches it (its repr then lists logits too)
    if (!mix._given.includes('logits')) mix._given = [...mix._given, 'logits']
    this.mixture_distribution = mix
    this.component_distribution = comp
    this._event_ndims = comp.event_shape.length
    this._init(comp.batch_shape.slice(0, -1), comp.event_shape, validateOf(a), [])
  }
  get arg_constraints(): ArgConstraints {
    return {}
  }
  get support(): constraints.Constraint {
    return this.component_distribution.support
  }
  override expand(batch_shape: ReadonlyArray<number>): this {
    const out = Object.create(Object.getPrototypeOf(this) as object) as this
    Object.assign(out, this, {
      component_distribution: this.component_distribution.expand([...batch_shape, this._num_component]),
      mixture_distribution: this.mixture_distribution.expand(batch_shape),
    })
    out._batch_shape = makeSize(batch_shape)
    return out
  }
  /** x with a component axis before its event axes. */
  private _pad(x: T): T {
    return x.unsqueeze(-1 - this._event_ndims)
  }
  /** The mixture weights shaped to broadcast against the components' values. */
  private _padMixture(x: T): T {
    const catBatch = this.mixture_distribution.batch_shape.length
    const pad = catBatch === 1 ? 0 : this._batch_shape.length - catBatch
    const s = x.shape
    const ones = (k: number): number[] => new Array<number>(Math.max(k, 0)).fill(1)
    return x.reshape(...s.slice(0, -1), ...ones(pad), s[s.length - 1] as number, ...ones(this._event_ndims))
  }
  override get mean(): T {
    const probs = this._padMixture(this.mixture_distribution.probs)
    return probs.mul(this.component_distribution.mean).sum(-1 - this._event_ndims)
  }
  override get variance(): T {
    const probs = this._padMixture(this.mixture_distribution.probs)
    const c = this.component_distribution
    const dim = -1 - this._event_ndims
    const condVar = probs.mul(c.variance).sum(dim)
    const varCondMean = probs.mul(c.mean.sub(this._pad(this.mean)).pow(2)).sum(dim)
    return condVar.add(varCondMean)
  }
  override cdf(x: T): T {
    const cdfX = this.component_distribution.cdf(this._pad(x))
    return cdfX.mul(this.mixture_distribution.probs).sum(-1)
  }
  override log_prob(x: T): T {
    if (this._validate_args) this._validate_sample(x)
    const lp = this.component_distribution.log_prob(this._pad(x))
    const logMix = this.mixture_distribution.logits.log_softmax(-1)
    return lp.add(logMix).logsumexp(-1)
  }
  override sample(sample_shape: SampleShape = []): T {
    return no_grad(() => {
      const gatherDim = sample_shape.length + this._batch_shape.length
      const es = [...this._event_shape]
      const mixSample = this.mixture_distribution.sample(sample_shape)
      const ms = [...mixSample.shape]
      const compSamples = this.component_distribution.sample(sample_shape)
      const idx = mixSample
        .reshape(...ms, ...new Array<number>(es.length + 1).fill(1))
        .repeat(...ms.map(() => 1), 1, ...es)
      return compSamples.gather(gatherDim, idx).squeeze(gatherDim)
    })
  }
  override toString(): string {
    return `MixtureSameFamily(\n  ${String(this.mixture_distribution)},\n  ${String(this.component_distribution)})`
  }
}

/**
 * PyTorch's `torch.distributions.MixtureSameFamily(mixture_distribution, component_distribution)`:
 * the mixture Σₖ πₖ·pₖ(x) where `mixture_distribution` (a Categorical) gives the weights π and
 * the rightmost batch axis of `component_distribution` indexes the components.
 * @example
 * import * as torch from 'wengert/torch'
 * const { MixtureSameFamily, Categorical, Normal } = torch.distributions
 * const mix = new Categorical(torch.tensor([0.25, 0.75]))
 * const d = new MixtureSameFamily(mix, new Normal(torch.tensor([-1.0, 1.0]), torch.ones(2)))
 * assert.ok(Math.abs(d.mean.item() - 0.5) < 1e-6)
 * assert.ok(d.cdf(torch.tensor(0)).item() < 0.5)
 * assert.ok(Math.abs(d.variance.item() - 1.75) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
export const MixtureSameFamily = pyClass(MixtureSameFamilyImpl, 'MixtureSameFamily')
/** A `MixtureSameFamily` instance. @category torch @since 0.2.0 */
export type MixtureSameFamily = MixtureSameFamilyImpl

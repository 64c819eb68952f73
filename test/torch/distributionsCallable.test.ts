/**
 * Python constructs a distribution or transform by calling its class (`Normal(mu, sigma)`,
 * `Categorical(logits=x)`, `ExpTransform()`): the facade's classes take both spellings, and
 * class-keyed tables (register_kl) see one class either way.
 */
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

const D = torch.distributions
const call = (c: unknown, ...a: unknown[]): unknown => (c as (...b: unknown[]) => unknown)(...a)

describe('distribution and transform classes are callable without new', () => {
  it('every concrete class in torch.distributions and its transforms', () => {
    const classes = Object.entries({ ...D, ...D.transforms }).filter(
      ([name, c]) =>
        typeof c === 'function' &&
        /^[A-Z]/.test(name) &&
        name !== 'ExponentialFamily' && // abstract, as Distribution and Transform
        (c.prototype instanceof D.Distribution || c.prototype instanceof D.transforms.Transform),
    )
    expect(classes.length).toBeGreaterThan(55)
    const refused = classes.flatMap(([name, c]) => {
      try {
        call(c)
      } catch (e) {
        if (/without 'new'/.test((e as Error).message)) return [name]
      }
      return []
    })
    expect(refused).toEqual([])
  })
  it('gives the same instances, log-probabilities and KL as new', () => {
    const p = call(D.Normal, torch.tensor([0.0, 1.0]), 2) as torch.distributions.Normal
    expect(p).toBeInstanceOf(D.Normal)
    expect(p.constructor.name).toBe('Normal')
    expect(p.log_prob(torch.tensor([0.0, 1.0])).tolist()).toEqual(
      new D.Normal(torch.tensor([0.0, 1.0]), 2).log_prob(torch.tensor([0.0, 1.0])).tolist(),
    )
    const c = call(D.Categorical, { logits: torch.zeros(4) }) as torch.distributions.Categorical
    expect(c.entropy().item()).toBeCloseTo(Math.log(4), 6)
    // KL(N(0,1) ‖ N(1,1)) = 1/2
    expect(D.kl_divergence(call(D.Normal, 0, 1) as never, call(D.Normal, 1, 1) as never).item()).toBeCloseTo(0.5, 6)
    const t = call(D.TransformedDistribution, call(D.Normal, 0, 1), [call(D.transforms.ExpTransform)])
    expect((t as torch.distributions.TransformedDistribution).log_prob(torch.tensor(1)).item()).toBeCloseTo(
      -0.5 * Math.log(2 * Math.PI),
      6,
    )
  })
  it('register_kl keys a subclass of a callable class by the class its instances report', () => {
    class Shifted extends D.Normal {}
    D.register_kl(Shifted, D.Normal)(() => torch.tensor(7))
    expect(D.kl_divergence(new Shifted(0, 1), call(D.Normal, 0, 1) as never).item()).toBe(7)
    // a registration through the callable class reaches instances made either way
    class Own extends D.Exponential {}
    D.register_kl(Own, Own)(() => torch.tensor(3))
    expect(D.kl_divergence(new Own(1), new Own(2)).item()).toBe(3)
  })
})

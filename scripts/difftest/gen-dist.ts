/**
 * The `dist` program kind of seeds DIST_SEED to DIST_END (generate.ts): `torch.distributions` as
 * policy-gradient and SAC heads, VAEs and flows use it — a distribution of one family
 * (gen-dist-fam.ts: parameters and values drawn well-conditioned), sometimes under Independent or
 * as a TransformedDistribution, then 2–4 of log_prob, cdf, icdf, entropy, the moments, a seeded
 * sample/rsample, batch/event shapes, expand and kl_divergence against a registered partner; the
 * differentiable results summed into a loss whose backward records every parameter's gradient.
 * One program in eight ends in a validate_args error (a bad parameter or an out-of-support value).
 * The `fft` kind is gen-fft.ts.
 */
import type { Arg } from './program'
import { type Gen, call, f, i, ints, v } from './gen-state'
import {
  type Built,
  EL,
  FAMILIES,
  badElement,
  independent,
  make,
  param,
  tensorOf,
  transformed,
  value,
} from './gen-dist-fam'

/** Families whose cdf and icdf PyTorch defines. */
const CDF = new Set(['Normal', 'Laplace', 'Cauchy', 'Exponential', 'Uniform'])
/** Families with no entropy (NotImplementedError in PyTorch). */
const NO_ENTROPY = new Set(['Poisson', 'RelaxedBernoulli', 'RelaxedOneHotCategorical', 'TransformedDistribution'])
/** Families whose mean / variance are not finite (kept out of the loss). */
const NAN_MOMENTS = new Set(['Cauchy'])
/** Registered kl_divergence partners (besides the family itself). */
const KL_CROSS: Readonly<Record<string, ReadonlyArray<string>>> = {
  Normal: ['Laplace', 'Uniform'],
  Laplace: ['Normal'],
  Exponential: ['Gamma', 'Normal', 'Exponential'],
  Gamma: ['Exponential', 'Normal'],
  Uniform: ['Normal', 'Gamma', 'Beta', 'Exponential'],
  Beta: ['Uniform', 'Normal', 'Exponential'],
  Bernoulli: ['Poisson'],
  Poisson: ['Bernoulli'],
}
const KL_SAME = new Set([
  'Normal',
  'Laplace',
  'Cauchy',
  'Gamma',
  'Exponential',
  'Beta',
  'Uniform',
  'Bernoulli',
  'Poisson',
  'Binomial',
  'Categorical',
  'OneHotCategorical',
  'Dirichlet',
  'MultivariateNormal',
])

const BATCHES: ReadonlyArray<ReadonlyArray<number>> = [[], [2], [3], [2, 3]]

/** A tensor result `out = <expr>` (tracked as a float of `shape`). */
const out = (g: Gen, op: string, x: Parameters<Gen['let']>[1], shape: ReadonlyArray<number>, rg: boolean): string => {
  const [n] = g.let(op, x, { shape: [...shape], dtype: g.dt, rg, leaf: !rg })
  g.rec(n as string)
  return n as string
}

interface Ctx {
  readonly b: Built
  /** the parameters of `b` require grad */
  readonly rg: boolean
  /** results that go into the loss */
  readonly loss: string[]
}

const logProb = (g: Gen, c: Ctx, d = c.b.d, extra: ReadonlyArray<number> = []): void => {
  const x = value(g, c.b, extra.length > 0 ? extra : g.rng.chance(0.25) ? [2] : [])
  const lp = out(g, 'log_prob', call(d, 'log_prob', [v(x)]), c.b.batch, c.rg)
  c.loss.push(lp)
}

const cdf = (g: Gen, c: Ctx): void => {
  if (g.rng.chance(0.5)) {
    const lp = out(g, 'cdf', call(c.b.d, 'cdf', [v(value(g, c.b))]), c.b.batch, c.rg)
    c.loss.push(lp)
    return
  }
  const q = tensorOf(
    g,
    Array.from({ length: c.b.batch.reduce((a, x) => a * x, 1) }, () => EL.prob(g)),
    c.b.batch,
    false,
  )
  c.loss.push(out(g, 'icdf', call(c.b.d, 'icdf', [v(q)]), c.b.batch, c.rg))
}

const entropy = (g: Gen, c: Ctx): void => {
  c.loss.push(out(g, 'entropy', call(c.b.d, 'entropy'), c.b.batch, c.rg))
}

const moment = (g: Gen, c: Ctx): void => {
  const name = g.rng.weighted([
    [3, 'mean'],
    [3, 'variance'],
    [2, 'stddev'],
    [1, 'mode'],
  ])
  const m = out(g, name, { e: 'attr', recv: c.b.d, name }, [...c.b.batch, ...c.b.ev], c.rg)
  if (name !== 'mode' && !NAN_MOMENTS.has(c.b.fam) && c.b.fam !== 'TransformedDistribution') c.loss.push(m)
}

const sample = (g: Gen, c: Ctx): void => {
  g.run('manual_seed', call('torch', 'manual_seed', [i(g.rng.int(0, 999))]))
  const shape = g.rng.pick([[], [2], [2, 1]])
  const rs = c.b.rs && g.rng.chance(0.75)
  const args: Arg[] = shape.length === 0 && g.rng.chance(0.5) ? [] : [ints(shape)]
  const s = out(g, rs ? 'rsample' : 'sample', call(c.b.d, rs ? 'rsample' : 'sample', args), c.b.batch, rs && c.rg)
  if (rs) c.loss.push(s)
  else if (g.rng.chance(0.5)) c.loss.push(out(g, 'log_prob', call(c.b.d, 'log_prob', [v(s)]), c.b.batch, c.rg))
}

const shapes = (g: Gen, c: Ctx): void => {
  for (const name of ['batch_shape', 'event_shape']) {
    const [n] = g.let(name, { e: 'attr', recv: c.b.d, name }, { shape: [], dtype: 'int64', rg: false, leaf: true })
    g.rec(n as string)
  }
}

const expand = (g: Gen, c: Ctx): void => {
  const lead = g.rng.int(2, 3)
  const d = g.obj('expand', call(c.b.d, 'expand', [ints([lead, ...c.b.batch])]), 'd')
  const [n] = g.let(
    'batch_shape',
    { e: 'attr', recv: d, name: 'batch_shape' },
    { shape: [], dtype: 'int64', rg: false, leaf: true },
  )
  g.rec(n as string)
  logProb(g, c, d, [lead])
}

const kl = (g: Gen, c: Ctx): void => {
  const fam = c.b.fam
  const partners = [...(KL_SAME.has(fam) ? [fam] : []), ...(KL_CROSS[fam] ?? [])]
  if (partners.length === 0) return entropy(g, c)
  const qf = g.rng.pick(partners)
  const nLeaves = g.leaves.length
  // a categorical partner needs the same number of classes: build it from the same K
  const q = sameK(g, c.b, qf)
  const rg = c.rg || g.leaves.length > nLeaves
  const call2 = g.rng.chance(0.8)
    ? call('torch.distributions', 'kl_divergence', [v(c.b.d), v(q)])
    : call('torch.distributions', 'kl_divergence', [v(q), v(c.b.d)])
  c.loss.push(out(g, 'kl_divergence', call2, c.b.batch, rg))
}

/** A distribution of family `fam` with the batch (and K / d) of `b`. */
const sameK = (g: Gen, b: Built, fam: string): string => make(g, fam, b.batch, fam === b.fam ? b.k : undefined).d

/** Ends the program with a validate_args error. */
const invalid = (g: Gen, c: Ctx): void => {
  const bad = badElement(g, c.b)
  if (bad !== null && c.b.ev.length === 0 && g.rng.chance(0.6)) {
    const x = tensorOf(g, [bad], [], false)
    const vx = g.rng.chance(0.7) ? x : tensorOf(g, [bad], [], false)
    out(g, 'log_prob(invalid)', call(c.b.d, 'log_prob', [v(vx)]), c.b.batch, false)
    return
  }
  // a bad parameter: a non-positive scale / rate, a probability outside [0, 1]
  const batch = c.b.batch
  const which = g.rng.pick(['Normal', 'Gamma', 'Bernoulli', 'Exponential', 'Beta', 'Uniform'])
  const neg = tensorOf(
    g,
    batch.length === 0
      ? [-0.5]
      : Array.from({ length: batch.reduce((a, x) => a * x, 1) }, (_, k) => (k === 0 ? g.rng.pick([-0.5, 0]) : 1)),
    batch,
    false,
  )
  const ok = param(g, EL.pos, batch)
  const args: Arg[] =
    which === 'Bernoulli'
      ? []
      : which === 'Exponential'
        ? [v(neg)]
        : which === 'Uniform'
          ? [v(ok), v(ok)]
          : [v(ok), v(neg)]
  const kw: Array<readonly [string, Arg]> = which === 'Bernoulli' ? [['probs', f(1.5)]] : []
  g.obj(`${which}(invalid)`, call('torch.distributions', which, args, kw), 'd')
}

/** The `dist` kind: see the header. */
export const distProgram = (g: Gen): void => {
  const batch = g.rng.pick(BATCHES)
  const form = g.rng.weighted([
    [8, 'plain'],
    [1, 'independent'],
    [1, 'transformed'],
  ])
  const n0 = g.leaves.length
  let b: Built
  if (form === 'transformed') b = transformed(g, batch)
  else {
    b = make(g, g.rng.weighted(FAMILIES), batch)
    if (form === 'independent' && b.batch.length > 0) b = independent(g, b)
  }
  const c: Ctx = { b, rg: g.leaves.length > n0, loss: [] }
  const steps = g.rng.int(2, 4)
  for (let k = 0; k < steps; k++) {
    const step = g.rng.weighted<(g: Gen, c: Ctx) => void>([
      [6, logProb],
      [CDF.has(b.fam) ? 3 : 0, cdf],
      [NO_ENTROPY.has(b.fam) ? 0 : 3, entropy],
      [3, moment],
      [4, sample],
      [1, shapes],
      [b.fam === 'TransformedDistribution' || b.fam === 'Independent' ? 0 : 1, expand],
      [b.fam === 'Independent' || b.fam === 'TransformedDistribution' ? 0 : 3, kl],
    ])
    step(g, c)
  }
  if (g.rng.chance(1 / 8)) invalid(g, c)
  else finish(g, c)
}

/** The loss: the sum of every differentiable result's sum, then backward. */
const finish = (g: Gen, c: Ctx): void => {
  const xs = c.loss.filter((x) => g.info(x).rg)
  if (xs.length === 0) return
  let [s] = g.let('sum', call(xs[0] as string, 'sum'), { shape: [], dtype: g.dt, rg: true, leaf: false })
  for (const x of xs.slice(1))
    [s] = g.let('add', call(s as string, 'add', [{ t: 'expr', v: call(x, 'sum') }]), {
      shape: [],
      dtype: g.dt,
      rg: true,
      leaf: false,
    })
  g.rec(s as string)
  g.run('backward', call(s as string, 'backward'))
}

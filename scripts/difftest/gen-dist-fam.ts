/**
 * The distribution families of the `dist` kind (gen-dist.ts): how each is built from parameter
 * tensors and what values lie in its support. Parameters and values are drawn well-conditioned
 * (all exact in float32):
 * - real parameters (loc, logits, affine shift) and real values: multiples of 1/8 in [-2, 2];
 * - positive parameters (scale, rate, concentration): multiples of 1/8 in [0.5, 2.5]; Beta and
 *   Dirichlet concentrations in [0.5, 3]; StudentT's df in [2.5, 5] (finite mean and variance);
 *   Poisson's rate in [0.5, 4]; Binomial's total_count an integer 1–6;
 * - probabilities: multiples of 1/8 in [1/8, 7/8]; Categorical probs unnormalised in [1/8, 1];
 * - positive values: [0.25, 3]; unit-interval values: multiples of 1/8 in (0, 1); simplex values:
 *   K positive multiples of 1/8 summing to 1; counts: integers in [0, total_count] (0–5 Poisson);
 * - MultivariateNormal: d = 2 or 3; scale_tril with diagonal [0.5, 2.5] and off-diagonal
 *   multiples of 1/8 in [-1, 1]; covariance and precision L·Lᵀ of such an L (exact, positive definite).
 */
import type { Arg, Data } from './program'
import { type Gen, call, f, i, v } from './gen-state'

/** The kind of values a support holds (what `value` draws for log_prob / cdf). */
export type Support = 'real' | 'pos' | 'unit' | 'binary' | 'index' | 'count' | 'simplex' | 'onehot' | 'sym'

/** A built distribution: its variable, family, shapes and what it supports. */
export interface Built {
  readonly d: string
  readonly fam: string
  readonly batch: ReadonlyArray<number>
  /** event shape */
  readonly ev: ReadonlyArray<number>
  readonly support: Support
  /** bounds of a Uniform (for its values), `total_count` of a Binomial, K of a categorical */
  readonly lo?: ReadonlyArray<number>
  readonly hi?: ReadonlyArray<number>
  readonly k?: number
  readonly rs: boolean
}

const numel = (s: ReadonlyArray<number>): number => s.reduce((a, b) => a * b, 1)

/** Nested data of `shape` from a flat list. */
export const nest = (flat: ReadonlyArray<number>, shape: ReadonlyArray<number>): Data => {
  let k = 0
  const build = (d: number): Data =>
    d === shape.length ? (flat[k++] as number) : Array.from({ length: shape[d] as number }, () => build(d + 1))
  return build(0)
}

/** Element drawers (see the header for ranges). */
export const EL = {
  real: (g: Gen): number => g.rng.int(-16, 16) / 8,
  pos: (g: Gen): number => g.rng.int(4, 20) / 8,
  posv: (g: Gen): number => g.rng.int(2, 24) / 8,
  conc: (g: Gen): number => g.rng.int(4, 24) / 8,
  prob: (g: Gen): number => g.rng.int(1, 7) / 8,
  df: (g: Gen): number => g.rng.int(20, 40) / 8,
  rate: (g: Gen): number => g.rng.int(4, 32) / 8,
} as const

/** `torch.tensor(flat as shape, dtype=g.dt, requires_grad=rg)`. */
export const tensorOf = (g: Gen, flat: ReadonlyArray<number>, shape: ReadonlyArray<number>, rg: boolean): string => {
  const kw: Array<readonly [string, Arg]> = [['dtype', { t: 'dtype', v: g.dt }]]
  if (rg) kw.push(['requires_grad', { t: 'b', v: true }])
  const [name] = g.let('tensor', call('torch', 'tensor', [{ t: 'data', v: nest(flat, shape) }], kw), {
    shape: [...shape],
    dtype: g.dt,
    rg,
    leaf: true,
  })
  if (rg) g.leaves.push(name as string)
  return name as string
}

/** A parameter tensor of `shape` drawn by `el`, requiring grad with probability 0.6. */
export const param = (g: Gen, el: (g: Gen) => number, shape: ReadonlyArray<number>): string =>
  tensorOf(
    g,
    Array.from({ length: numel(shape) }, () => el(g)),
    shape,
    g.rng.chance(0.6),
  )

/** K positive multiples of 1/8 summing to 1 (each ≥ 1/8, K ≤ 4). */
const simplexRow = (g: Gen, k: number): number[] => {
  const cuts = [0, 8]
  while (cuts.length < k + 1) {
    const c = g.rng.int(1, 7)
    if (!cuts.includes(c)) cuts.push(c)
  }
  cuts.sort((a, b) => a - b)
  return cuts.slice(1).map((c, j) => (c - (cuts[j] as number)) / 8)
}

/** A lower-triangular d×d matrix (per batch) with positive diagonal, flat. */
const trilFlat = (g: Gen, d: number): number[] => {
  const out: number[] = []
  for (let r = 0; r < d; r++)
    for (let c = 0; c < d; c++) out.push(r === c ? EL.pos(g) : c < r ? g.rng.int(-8, 8) / 8 : 0)
  return out
}
const llt = (l: ReadonlyArray<number>, d: number): number[] => {
  const out: number[] = []
  for (let r = 0; r < d; r++)
    for (let c = 0; c < d; c++) {
      let s = 0
      for (let k = 0; k < d; k++) s += (l[r * d + k] as number) * (l[c * d + k] as number)
      out.push(s)
    }
  return out
}

const dist = (g: Gen, fam: string, args: ReadonlyArray<Arg>, kw: ReadonlyArray<readonly [string, Arg]> = []): string =>
  g.obj(fam, call('torch.distributions', fam, args, kw), 'd')

/** Builds a family; `k` fixes K (categorical, Dirichlet) or d (MultivariateNormal) when given. */
type Maker = (g: Gen, batch: ReadonlyArray<number>, k?: number) => Built

const locScale =
  (fam: string): Maker =>
  (g, batch) => {
    const loc = param(g, EL.real, batch)
    const scale = param(g, EL.pos, batch)
    const support = fam === 'LogNormal' ? 'pos' : 'real'
    return { d: dist(g, fam, [v(loc), v(scale)]), fam, batch, ev: [], support, rs: true }
  }

const MAKERS: Readonly<Record<string, Maker>> = {
  Normal: locScale('Normal'),
  Laplace: locScale('Laplace'),
  Cauchy: locScale('Cauchy'),
  LogNormal: locScale('LogNormal'),
  Gamma: (g, batch) => {
    const [c, r] = [param(g, EL.conc, batch), param(g, EL.pos, batch)]
    return { d: dist(g, 'Gamma', [v(c), v(r)]), fam: 'Gamma', batch, ev: [], support: 'pos', rs: true }
  },
  Exponential: (g, batch) => {
    const r = param(g, EL.pos, batch)
    return { d: dist(g, 'Exponential', [v(r)]), fam: 'Exponential', batch, ev: [], support: 'pos', rs: true }
  },
  Beta: (g, batch) => {
    const [a, c] = [param(g, EL.conc, batch), param(g, EL.conc, batch)]
    return { d: dist(g, 'Beta', [v(a), v(c)]), fam: 'Beta', batch, ev: [], support: 'unit', rs: true }
  },
  StudentT: (g, batch) => {
    const df = param(g, EL.df, batch)
    const kw: Array<readonly [string, Arg]> = []
    if (g.rng.chance(0.6)) kw.push(['loc', v(param(g, EL.real, batch))])
    if (g.rng.chance(0.6)) kw.push(['scale', v(param(g, EL.pos, batch))])
    return { d: dist(g, 'StudentT', [v(df)], kw), fam: 'StudentT', batch, ev: [], support: 'real', rs: true }
  },
  Uniform: (g, batch) => {
    const n = numel(batch)
    const lo = Array.from({ length: n }, () => EL.real(g))
    const hi = lo.map((x) => x + EL.pos(g))
    const [l, h] = [tensorOf(g, lo, batch, g.rng.chance(0.5)), tensorOf(g, hi, batch, g.rng.chance(0.5))]
    return { d: dist(g, 'Uniform', [v(l), v(h)]), fam: 'Uniform', batch, ev: [], support: 'real', lo, hi, rs: true }
  },
  Bernoulli: (g, batch) => {
    const logits = g.rng.chance(0.5)
    const p = param(g, logits ? EL.real : EL.prob, batch)
    const d = dist(g, 'Bernoulli', [], [[logits ? 'logits' : 'probs', v(p)]])
    return { d, fam: 'Bernoulli', batch, ev: [], support: 'binary', rs: false }
  },
  Poisson: (g, batch) => {
    const r = param(g, EL.rate, batch)
    return { d: dist(g, 'Poisson', [v(r)]), fam: 'Poisson', batch, ev: [], support: 'count', rs: false, k: 5 }
  },
  Binomial: (g, batch, k) => {
    const n = k ?? g.rng.int(1, 6)
    const logits = g.rng.chance(0.5)
    const p = param(g, logits ? EL.real : EL.prob, batch)
    const d = dist(
      g,
      'Binomial',
      [],
      [
        ['total_count', i(n)],
        [logits ? 'logits' : 'probs', v(p)],
      ],
    )
    return { d, fam: 'Binomial', batch, ev: [], support: 'count', rs: false, k: n }
  },
  Categorical: (g, batch, k) => cat(g, batch, 'Categorical', k),
  OneHotCategorical: (g, batch, k) => cat(g, batch, 'OneHotCategorical', k),
  Dirichlet: (g, batch, kk) => {
    const k = kk ?? g.rng.int(2, 4)
    const c = param(g, EL.conc, [...batch, k])
    const d = dist(g, 'Dirichlet', [v(c)])
    return { d, fam: 'Dirichlet', batch, ev: [k], support: 'simplex', rs: true, k }
  },
  MultivariateNormal: (g, batch, k) => {
    const d = k ?? g.rng.int(2, 3)
    const loc = param(g, EL.real, [...batch, d])
    const form = g.rng.pick(['scale_tril', 'covariance_matrix', 'precision_matrix'])
    const n = numel(batch)
    const flat: number[] = []
    for (let k = 0; k < n; k++) {
      const l = trilFlat(g, d)
      flat.push(...(form === 'scale_tril' ? l : llt(l, d)))
    }
    // an unbatched matrix broadcast against a batch of locs, sometimes
    const mshape = n > 1 && g.rng.chance(0.3) ? [d, d] : [...batch, d, d]
    const m = tensorOf(g, flat.slice(0, numel(mshape)), mshape, g.rng.chance(0.5))
    const dd = dist(g, 'MultivariateNormal', [v(loc)], [[form, v(m)]])
    return { d: dd, fam: 'MultivariateNormal', batch, ev: [d], support: 'real', rs: true, k: d }
  },
  RelaxedBernoulli: (g, batch) => {
    const t = tensorOf(g, [g.rng.int(4, 16) / 8], [], g.rng.chance(0.3))
    const logits = g.rng.chance(0.5)
    const p = param(g, logits ? EL.real : EL.prob, batch)
    const d = dist(g, 'RelaxedBernoulli', [v(t)], [[logits ? 'logits' : 'probs', v(p)]])
    return { d, fam: 'RelaxedBernoulli', batch, ev: [], support: 'unit', rs: true }
  },
  RelaxedOneHotCategorical: (g, batch, kk) => {
    const k = kk ?? g.rng.int(2, 4)
    const t = tensorOf(g, [g.rng.int(4, 16) / 8], [], g.rng.chance(0.3))
    const logits = g.rng.chance(0.5)
    const p = param(g, logits ? EL.real : EL.prob, [...batch, k])
    const d = dist(g, 'RelaxedOneHotCategorical', [v(t)], [[logits ? 'logits' : 'probs', v(p)]])
    return { d, fam: 'RelaxedOneHotCategorical', batch, ev: [k], support: 'simplex', rs: true, k }
  },
}

const cat = (g: Gen, batch: ReadonlyArray<number>, fam: string, kk?: number): Built => {
  const k = kk ?? g.rng.int(2, 4)
  const logits = g.rng.chance(0.5)
  const p = param(g, logits ? EL.real : (r) => r.rng.int(1, 8) / 8, [...batch, k])
  const d = dist(g, fam, [], [[logits ? 'logits' : 'probs', v(p)]])
  const one = fam === 'OneHotCategorical'
  return { d, fam, batch, ev: one ? [k] : [], support: one ? 'onehot' : 'index', rs: false, k }
}

/** Family names and weights. */
export const FAMILIES: ReadonlyArray<readonly [number, string]> = [
  [6, 'Normal'],
  [4, 'MultivariateNormal'],
  [4, 'Categorical'],
  [3, 'Bernoulli'],
  [3, 'Beta'],
  [3, 'Gamma'],
  [3, 'Dirichlet'],
  [2, 'Laplace'],
  [2, 'Cauchy'],
  [2, 'Exponential'],
  [3, 'Uniform'],
  [2, 'LogNormal'],
  [2, 'StudentT'],
  [2, 'Poisson'],
  [2, 'Binomial'],
  [2, 'OneHotCategorical'],
  [2, 'RelaxedBernoulli'],
  [2, 'RelaxedOneHotCategorical'],
]

/** Builds a distribution of family `fam` with batch shape `batch`. */
export const make = (g: Gen, fam: string, batch: ReadonlyArray<number>, k?: number): Built => {
  const m = MAKERS[fam]
  if (m === undefined) throw new RangeError(`no family ${fam}`)
  return m(g, batch, k)
}

/** `Independent(base, 1)` of a built distribution with a non-empty batch shape. */
export const independent = (g: Gen, b: Built): Built => {
  const d = g.obj('Independent', call('torch.distributions', 'Independent', [v(b.d), i(1)]), 'd')
  const last = b.batch[b.batch.length - 1] as number
  return { ...b, d, fam: 'Independent', batch: b.batch.slice(0, -1), ev: [last, ...b.ev] }
}

/** A TransformedDistribution of a Normal through an optional Affine then optional Exp/Sigmoid/Tanh. */
export const transformed = (g: Gen, batch: ReadonlyArray<number>): Built => {
  const base = make(g, 'Normal', batch)
  const ts: Arg[] = []
  const T = 'torch.distributions.transforms'
  if (g.rng.chance(0.6)) {
    const scale = g.rng.chance(0.5) ? f(g.rng.pick([0.5, 2, -1.5])) : v(param(g, EL.pos, batch))
    ts.push({ t: 'expr', v: call(T, 'AffineTransform', [f(g.rng.pick([0, 0.5, -1])), scale]) })
  }
  const last = g.rng.weighted([
    [2, 'ExpTransform'],
    [2, 'SigmoidTransform'],
    [2, 'TanhTransform'],
    [1, ''],
  ])
  if (last !== '' || ts.length === 0) ts.push({ t: 'expr', v: call(T, last === '' ? 'ExpTransform' : last) })
  const end = last === '' ? 'Affine' : last
  const support: Support =
    end === 'ExpTransform' ? 'pos' : end === 'Affine' ? 'real' : end === 'TanhTransform' ? 'sym' : 'unit'
  const d = g.obj(
    'TransformedDistribution',
    call('torch.distributions', 'TransformedDistribution', [v(base.d), { t: 'list', v: ts }]),
    'd',
  )
  return { ...base, d, fam: 'TransformedDistribution', support, rs: true }
}

/** A value tensor in the support of `b` with shape `[...extra, ...batch, ...event]`. */
export const value = (g: Gen, b: Built, extra: ReadonlyArray<number> = []): string => {
  const shape = [...extra, ...b.batch, ...b.ev]
  const n = numel([...extra, ...b.batch])
  const flat: number[] = []
  const k = b.k ?? 2
  for (let j = 0; j < n; j++) {
    const at = j % Math.max(1, numel(b.batch))
    // rows of an Independent's reinterpreted batch dims come before the simplex's own
    const rows = numel(b.ev.slice(0, -1))
    if (b.support === 'simplex') for (let r = 0; r < rows; r++) flat.push(...simplexRow(g, k))
    else if (b.support === 'onehot')
      for (let r = 0; r < rows; r++) {
        const h = g.rng.int(0, k - 1)
        flat.push(...Array.from({ length: k }, (_, c) => (c === h ? 1 : 0)))
      }
    else {
      const inner = numel(b.ev)
      for (let e = 0; e < inner; e++) flat.push(element(g, b, at))
    }
  }
  if (b.support === 'index') {
    const [name] = g.let('tensor', call('torch', 'tensor', [{ t: 'data', v: nest(flat, shape) }]), {
      shape,
      dtype: 'int64',
      rg: false,
      leaf: true,
    })
    return name as string
  }
  return tensorOf(g, flat, shape, false)
}

const element = (g: Gen, b: Built, at: number): number => {
  switch (b.support) {
    case 'real':
      if (b.lo !== undefined && b.hi !== undefined) {
        const [lo, hi] = [b.lo[at] as number, b.hi[at] as number]
        return lo + ((hi - lo) * g.rng.int(0, 7)) / 8
      }
      return EL.real(g)
    case 'pos':
      return EL.posv(g)
    case 'unit':
      return EL.prob(g)
    case 'sym':
      return g.rng.int(-7, 7) / 8
    case 'binary':
      return g.rng.int(0, 1)
    case 'index':
      return g.rng.int(0, (b.k ?? 2) - 1)
    case 'count':
      return g.rng.int(0, b.k ?? 5)
    default:
      return 0
  }
}

/** A value outside the support of `b` (or null where every float is in it). */
export const badElement = (g: Gen, b: Built): number | null => {
  switch (b.support) {
    case 'pos':
      return g.rng.pick([-1, -0.5])
    case 'unit':
      return g.rng.pick([1.5, -0.25])
    case 'sym':
      return 1.5
    case 'binary':
      return 0.5
    case 'count':
      return g.rng.pick([-1, 1.5])
    case 'real':
      return b.lo !== undefined ? (b.hi?.[0] ?? 0) + 1 : null
    default:
      return null
  }
}

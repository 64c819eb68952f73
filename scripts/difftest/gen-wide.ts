/**
 * The third op vocabulary of the generator (issue 10), drawn only by the `wide` program kind of
 * seeds WIDE_SEED and above (generate.ts), so the programs of earlier seeds stay as they were:
 * losses with their options, normalisation (layer/group/batch/instance norm with running stats),
 * activations with parameters, softmax-like reductions, convolutions and pooling, interpolation,
 * dropout outside training, linear algebra on well-conditioned (and sometimes singular) matrices
 * and special functions. Optimizers and schedulers are in gen-wide-nn.ts.
 */
import type { Arg, DType, Expr } from './program'
import { type Gen, b, call, f, i, ints, v } from './gen-state'
import { res } from './gen-ops'

const F = 'torch.nn.functional'
type Kw = Array<readonly [string, Arg]>
const s = (x: string): Arg => ({ t: 'str', v: x })
const none: Arg = { t: 'none' }
const dt = (g: Gen): Arg => ({ t: 'dtype', v: g.dt })
const rgOf = (g: Gen, ...xs: ReadonlyArray<string>): boolean => xs.some((x) => g.vars.has(x) && g.info(x).rg)

/** A new float leaf (requires grad with probability `p`). */
const L = (g: Gen, shape: ReadonlyArray<number>, p = 0.7): string => g.leaf(shape, g.dt, g.rng.chance(p))

/** `name(x)` for a unary helper, keeping `x`'s flags. */
const map = (g: Gen, op: string, x: string, e: Expr, shape = g.info(x).shape): string =>
  g.let(op, e, res(g, shape, g.dt, g.info(x).rg))[0] as string

/** A tensor of ±1 (float) or of class indices (int64), not requiring grad. */
const labels = (g: Gen, shape: ReadonlyArray<number>, sign: boolean, hi = 1, dtype: DType = g.dt): string => {
  const build = (d: number): unknown =>
    d === shape.length
      ? sign
        ? g.rng.pick([-1, 1])
        : g.rng.int(0, hi)
      : Array.from({ length: shape[d] as number }, () => build(d + 1))
  const data = { t: 'data', v: build(0) } as Arg
  const t = sign ? dtype : 'int64'
  return g.let('tensor', call('torch', 'tensor', [data], [['dtype', { t: 'dtype', v: t }]]), {
    shape: [...shape],
    dtype: t,
    rg: false,
    leaf: true,
  })[0] as string
}

const reduction = (g: Gen, kw: Kw): number[] | null => {
  const r = g.rng.pick(['mean', 'sum', 'none', 'default'])
  if (r !== 'default') kw.push(['reduction', s(r)])
  return r === 'none' ? null : []
}

/** F.* losses with their options and reductions. */
export const losses = (g: Gen): void => {
  const [N, C] = [g.rng.int(1, 3), g.rng.int(2, 4)]
  const kw: Kw = []
  const k = g.rng.int(0, 13)
  const x = L(g, [N, C], 0.85)
  const put = (name: string, args: Arg[], shape: number[], ...xs: string[]): void => {
    const red = reduction(g, kw)
    g.let(`F.${name}`, call(F, name, args, kw), res(g, red ?? shape, g.dt, rgOf(g, x, ...xs)))
  }
  if (k <= 1) {
    const name = g.rng.pick(['mse_loss', 'l1_loss', 'smooth_l1_loss', 'huber_loss'])
    const y = L(g, [N, C], 0.3)
    if (name === 'smooth_l1_loss' && g.rng.chance(0.6)) kw.push(['beta', f(g.rng.pick([0.5, 0, 2, 0.25]))])
    if (name === 'huber_loss' && g.rng.chance(0.6)) kw.push(['delta', f(g.rng.pick([0.5, 2, 0.25]))])
    put(name, [v(x), v(y)], [N, C], y)
  } else if (k === 2) {
    const inp = map(g, 'F.log_softmax', x, call(F, 'log_softmax', [v(x)], [['dim', i(1)]]))
    const logT = g.rng.chance(0.4)
    const t0 = L(g, [N, C], 0.3)
    const t = map(g, 'softmax', t0, call(t0, logT ? 'log_softmax' : 'softmax', [i(1)]))
    if (logT) kw.push(['log_target', b(true)])
    const red = g.rng.pick(['batchmean', 'sum', 'none', 'mean'])
    kw.push(['reduction', s(red)])
    g.let('F.kl_div', call(F, 'kl_div', [v(inp), v(t)], kw), res(g, red === 'none' ? [N, C] : [], g.dt, true))
  } else if (k === 3) {
    const p = map(g, 'sigmoid', x, call(x, 'sigmoid'))
    const t0 = L(g, [N, C], 0)
    const t = map(g, 'sigmoid', t0, call(t0, 'sigmoid'))
    if (g.rng.chance(0.3)) kw.push(['weight', v(L(g, [C], 0.3))])
    put('binary_cross_entropy', [v(p), v(t)], [N, C], p)
  } else if (k === 4) {
    const t0 = L(g, [N, C], 0)
    const t = map(g, 'sigmoid', t0, call(t0, 'sigmoid'))
    if (g.rng.chance(0.5)) kw.push(['pos_weight', v(L(g, [C], 0.3))])
    if (g.rng.chance(0.3)) kw.push(['weight', v(L(g, g.rng.pick([[C], [N, 1]]), 0))])
    put('binary_cross_entropy_with_logits', [v(x), v(t)], [N, C])
  } else if (k <= 6) {
    const probs = g.rng.chance(0.3)
    const t0 = probs ? L(g, [N, C], 0) : ''
    const t = probs ? map(g, 'softmax', t0, call(t0, 'softmax', [i(1)])) : labels(g, [N], false, C - 1)
    if (g.rng.chance(0.4)) kw.push(['label_smoothing', f(g.rng.pick([0.25, 0.1, 0.5]))])
    if (!probs && g.rng.chance(0.4)) kw.push(['ignore_index', i(g.rng.pick([0, 1, -100]))])
    if (g.rng.chance(0.3)) kw.push(['weight', v(L(g, [C], 0.2))])
    put('cross_entropy', [v(x), v(t)], [N])
  } else if (k === 7) {
    const inp = map(g, 'F.log_softmax', x, call(F, 'log_softmax', [v(x), i(1)]))
    if (g.rng.chance(0.4)) kw.push(['ignore_index', i(g.rng.pick([0, 1]))])
    if (g.rng.chance(0.3)) kw.push(['weight', v(L(g, [C], 0.2))])
    put('nll_loss', [v(inp), v(labels(g, [N], false, C - 1))], [N], inp)
  } else if (k === 8) {
    const x2 = L(g, [N], 0.6)
    const x1 = L(g, [N], 0.6)
    if (g.rng.chance(0.5)) kw.push(['margin', f(g.rng.pick([0.5, 1, -0.25]))])
    put('margin_ranking_loss', [v(x1), v(x2), v(labels(g, [N], true))], [N], x1, x2)
  } else if (k === 9) {
    const x2 = L(g, [N, C], 0.6)
    if (g.rng.chance(0.5)) kw.push(['margin', f(g.rng.pick([0.5, 0, -0.25]))])
    put('cosine_embedding_loss', [v(x), v(x2), v(labels(g, [N], true))], [N], x2)
  } else if (k === 10) {
    const [p, n] = [L(g, [N, C], 0.5), L(g, [N, C], 0.5)]
    if (g.rng.chance(0.5)) kw.push(['margin', f(g.rng.pick([0.5, 2]))])
    if (g.rng.chance(0.4)) kw.push(['p', f(g.rng.pick([1, 3]))])
    if (g.rng.chance(0.4)) kw.push(['swap', b(true)])
    put('triplet_margin_loss', [v(x), v(p), v(n)], [N], p, n)
  } else if (k === 11) {
    const name = g.rng.pick(['soft_margin_loss', 'hinge_embedding_loss', 'multilabel_soft_margin_loss'])
    const y = name === 'multilabel_soft_margin_loss' ? labels(g, [N, C], false, 1) : labels(g, [N, C], true)
    if (name === 'hinge_embedding_loss' && g.rng.chance(0.5)) kw.push(['margin', f(0.5)])
    put(name, [v(x), v(y)], name === 'multilabel_soft_margin_loss' ? [N] : [N, C])
  } else if (k === 12) {
    const name = g.rng.pick(['poisson_nll_loss', 'gaussian_nll_loss'])
    const y = L(g, [N, C], 0.3)
    if (name === 'poisson_nll_loss') {
      if (g.rng.chance(0.5)) kw.push(['log_input', b(false)])
      if (g.rng.chance(0.4)) kw.push(['full', b(true)])
      put(name, [v(x), v(y)], [N, C], y)
    } else {
      const v0 = L(g, g.rng.pick([[N, C], [N, 1], [N]]), 0.5)
      const va = map(g, 'exp', v0, call(v0, 'exp'))
      if (g.rng.chance(0.4)) kw.push(['full', b(true)])
      put(name, [v(x), v(y), v(va)], [N, C], y, va)
    }
  } else {
    if (g.rng.chance(0.4)) kw.push(['p', i(2)])
    if (g.rng.chance(0.4)) kw.push(['margin', f(0.5)])
    put('multi_margin_loss', [v(x), v(labels(g, [N], false, C - 1))], [N])
  }
}

/** layer_norm, group_norm, batch_norm (training and eval, running stats), instance_norm, local_response_norm. */
export const norms = (g: Gen): void => {
  // tidy: batch and length of at least 3, so no statistic is taken over 2 values (a mathematically
  // zero gradient there is rounding noise)
  const lo = g.tidy ? 3 : 1
  const [N, C, Ln] = [g.rng.int(lo, Math.max(lo, 3)), g.rng.int(1, 4), g.rng.int(lo, 4)]
  const three = g.rng.chance(0.6)
  const shape = three ? [N, C, Ln] : [N, C]
  const x = L(g, shape, 0.85)
  const k = g.rng.int(0, 4)
  const kw: Kw = []
  const eps = (): void => void (g.rng.chance(0.3) && kw.push(['eps', f(g.rng.pick([0.5, 1e-3]))]))
  const affine = (n: number[]): string[] => {
    const out: string[] = []
    if (g.rng.chance(0.6)) kw.push(['weight', v((out[out.length] = L(g, n, 0.6)))])
    if (g.rng.chance(0.6)) kw.push(['bias', v((out[out.length] = L(g, n, 0.6)))])
    return out
  }
  if (k === 0) {
    const nd0 = g.rng.int(1, shape.length)
    const nd = g.tidy && (shape[shape.length - 1] as number) < 3 && nd0 === 1 ? shape.length : nd0
    const ns = shape.slice(shape.length - nd)
    const ws = affine(ns)
    eps()
    g.let('F.layer_norm', call(F, 'layer_norm', [v(x), ints(ns)], kw), res(g, shape, g.dt, rgOf(g, x, ...ws)))
  } else if (k === 1) {
    const Gs = [1, C, ...(C % 2 === 0 ? [2] : [])]
    const big = Gs.filter((G) => (C / G) * (three ? Ln : 1) >= 3)
    const G = g.rng.pick(g.tidy ? (big.length > 0 ? big : [1]) : Gs)
    const ws = affine([C])
    eps()
    g.let('F.group_norm', call(F, 'group_norm', [v(x), i(G)], kw), res(g, shape, g.dt, rgOf(g, x, ...ws)))
  } else if (k === 2) {
    const training = g.rng.chance(0.6)
    const stats = !training || g.rng.chance(0.7)
    const rm = stats ? g.leaf([C], g.dt, false) : null
    const rv0 = stats ? g.leaf([C], g.dt, false) : null
    const rv = rv0 === null ? null : map(g, 'abs', rv0, call(rv0, 'abs'))
    const rv2 = rv === null ? null : map(g, 'add', rv, call(rv, 'add', [f(0.25)]))
    const ws = affine([C])
    if (training) kw.push(['training', b(true)])
    if (g.rng.chance(0.4)) kw.push(['momentum', f(g.rng.pick([0.5, 0.25, 1]))])
    eps()
    const args = [v(x), rm === null ? none : v(rm), rv2 === null ? none : v(rv2)]
    g.let('F.batch_norm', call(F, 'batch_norm', args, kw), res(g, shape, g.dt, rgOf(g, x, ...ws)))
    if (rm !== null) g.rec(rm)
    if (rv2 !== null) g.rec(rv2)
  } else if (k === 3) {
    if (!three) return
    const stats = g.rng.chance(0.4)
    const ws = affine([C])
    if (stats) {
      kw.push(['running_mean', v(g.leaf([C], g.dt, false))])
      const r0 = g.leaf([C], g.dt, false)
      kw.push(['running_var', v(map(g, 'exp', r0, call(r0, 'exp')))])
      if (g.rng.chance(0.5)) kw.push(['use_input_stats', b(false)])
    }
    eps()
    g.let('F.instance_norm', call(F, 'instance_norm', [v(x)], kw), res(g, shape, g.dt, rgOf(g, x, ...ws)))
    for (const [n, a] of kw) if (n.startsWith('running') && a.t === 'v') g.rec(a.v)
  } else {
    if (!three) return
    const args = [v(x), i(g.rng.int(1, 3))]
    if (g.rng.chance(0.5)) kw.push(['alpha', f(0.5)], ['beta', f(0.75)], ['k', f(2)])
    g.let('F.local_response_norm', call(F, 'local_response_norm', args, kw), res(g, shape, g.dt, g.info(x).rg))
  }
}

const ACT: ReadonlyArray<readonly [string, ReadonlyArray<Kw>]> = [
  ['elu', [[], [['alpha', f(0.5)]]]],
  ['selu', [[]]],
  ['celu', [[], [['alpha', f(2)]]]],
  [
    'softplus',
    [
      [],
      [['beta', f(2)]],
      [
        ['beta', f(0.5)],
        ['threshold', f(1)],
      ],
    ],
  ],
  [
    'hardtanh',
    [
      [],
      [
        ['min_val', f(-0.5)],
        ['max_val', f(1.5)],
      ],
    ],
  ],
  ['hardswish', [[]]],
  ['hardsigmoid', [[]]],
  ['mish', [[]]],
  ['silu', [[]]],
  ['softsign', [[]]],
  ['tanhshrink', [[]]],
  ['hardshrink', [[], [['lambd', f(0.25)]]]],
  ['softshrink', [[], [['lambd', f(1)]]]],
  ['relu6', [[]]],
  ['logsigmoid', [[]]],
  ['gelu', [[['approximate', s('tanh')]], [['approximate', s('none')]]]],
  [
    'rrelu',
    [
      [['training', b(false)]],
      [
        ['lower', f(0.25)],
        ['upper', f(0.5)],
      ],
    ],
  ],
  ['leaky_relu', [[['negative_slope', f(0.25)]], [['negative_slope', f(-2)]]]],
]

/** Activations with their parameters, glu, prelu, threshold, softmin, logsumexp over dims, dropout outside training. */
export const activations = (g: Gen): void => {
  const x = g.pickFloat() ?? L(g, g.randShape())
  const xi = g.info(x)
  const r = xi.shape.length
  const k = g.rng.int(0, 9)
  const out = (shape = xi.shape): ReturnType<typeof res> => res(g, shape, xi.dtype, xi.rg)
  if (k <= 3) {
    const [name, forms] = g.rng.pick(ACT)
    const form = g.rng.pick(forms)
    // a copy: pushing onto the ACT entry itself added one more `training` per program generated
    const kw: Kw = name === 'rrelu' && form[0]?.[0] === 'lower' ? [...form, ['training', b(false)]] : form
    g.let(`F.${name}`, call(F, name, [v(x)], kw), out())
  } else if (k === 4) {
    g.let('F.threshold', call(F, 'threshold', [v(x), f(g.rng.pick([0.5, 0, -1])), f(g.rng.pick([-2, 0.25]))]), out())
  } else if (k === 5 && r >= 1) {
    const d = g.rng.int(-r, r - 1)
    const n = xi.shape[d < 0 ? d + r : d] as number
    const shape = xi.shape.map((m, j) => (j === (d < 0 ? d + r : d) ? Math.floor(m / 2) : m))
    if (n % 2 !== 0 && g.rng.chance(0.7)) return
    g.let('F.glu', call(F, 'glu', [v(x), i(d)]), out(shape))
  } else if (k === 6) {
    const C = r >= 2 ? (xi.shape[1] as number) : 1
    const w = L(g, g.rng.chance(0.5) ? [1] : [C], 0.6)
    g.let('F.prelu', call(F, 'prelu', [v(x), v(w)]), res(g, xi.shape, xi.dtype, rgOf(g, x, w)))
  } else if (k === 7) {
    const d = r === 0 ? 0 : g.rng.int(-r, r - 1)
    if (g.rng.chance(0.5)) g.let('F.softmin', call(F, 'softmin', [v(x)], [['dim', i(d)]]), out())
    else {
      const kw: Kw = [['dim', i(d)]]
      if (g.rng.chance(0.3)) kw.push(['dtype', { t: 'dtype', v: 'float64' }])
      const name = g.rng.pick(['softmax', 'log_softmax'])
      g.let(
        `torch.${name}`,
        call('torch', name, [v(x)], kw),
        res(g, xi.shape, kw.length > 1 ? 'float64' : xi.dtype, xi.rg),
      )
    }
  } else if (k === 8 && r >= 1) {
    const dims = r >= 2 && g.rng.chance(0.5) ? [0, r - 1] : [g.rng.int(-r, r - 1)]
    const keep = g.rng.chance(0.4)
    const nd = dims.map((d) => (d < 0 ? d + r : d))
    const shape = keep ? xi.shape.map((m, j) => (nd.includes(j) ? 1 : m)) : xi.shape.filter((_, j) => !nd.includes(j))
    g.let('logsumexp', call('torch', 'logsumexp', [v(x), ints(dims)], keep ? [['keepdim', b(true)]] : []), out(shape))
  } else {
    const name = g.rng.pick(['dropout', 'alpha_dropout', 'feature_alpha_dropout', 'dropout(train)'])
    if (name === 'dropout(train)') {
      const p = g.rng.pick([0, 1])
      g.let(
        'F.dropout',
        call(
          F,
          'dropout',
          [v(x)],
          [
            ['p', f(p)],
            ['training', b(true)],
          ],
        ),
        out(),
      )
      return
    }
    g.let(
      `F.${name}`,
      call(
        F,
        name,
        [v(x)],
        [
          ['p', f(g.rng.pick([0.5, 0.25]))],
          ['training', b(false)],
        ],
      ),
      out(),
    )
  }
}

export { dt, labels, L, map, rgOf, type Kw }

/**
 * The second op vocabulary of the generator (issue 10, "no silent wrong answers"): binary math
 * beyond the arithmetic (lerp, addcmul, fmod, remainder, xlogy, clamp with tensor bounds, …),
 * batched and fused products (bmm, baddbmm, addmm, einsum, tensordot, outer, kron, cross), shape
 * ops (tril/triu, diag, roll, flip, rot90, repeat, tile, repeat_interleave, cat, stack), the
 * reductions with options (amax/amin/aminmax, nansum/nanmean, var/std with correction, norms,
 * cdist) and functional ops (F.pad modes, F.normalize, F.cosine_similarity, F.embedding).
 * Indexing, scans, sorting and integer / bool dtypes are in gen-ops-index.ts. `more` draws one.
 */
import type { Arg } from './program'
import { type Gen, b, broadcast, call, f, i, ints, v } from './gen-state'
import { operand, res } from './gen-ops'
import { indexFamily } from './gen-ops-index'

const F = 'torch.nn.functional'
const norm = (d: number, r: number): number => (d < 0 ? d + Math.max(r, 1) : d)
const dimOf = (g: Gen, r: number): number => (r === 0 ? g.rng.pick([0, -1]) : g.rng.int(-r, r - 1))
const without = (s: ReadonlyArray<number>, d: number): number[] => s.filter((_, k) => k !== norm(d, s.length))
const setAt = (s: ReadonlyArray<number>, d: number, n: number): number[] =>
  s.map((m, k) => (k === norm(d, s.length) ? n : m))

/** A float variable of rank in [lo, hi], or a new leaf of such a shape. */
export const floatOf = (g: Gen, lo = 0, hi = 3): string => {
  const x = g.pickFloat((o) => o.shape.length >= lo && o.shape.length <= hi)
  if (x !== null && g.rng.chance(0.7)) return x
  const r = g.rng.int(lo, hi)
  return g.leaf(
    Array.from({ length: r }, () => g.rng.int(1, 4)),
    g.dt,
    g.rng.chance(0.7),
  )
}

/** A second float operand of exactly `shape` (a variable or a new leaf). */
const sameShape = (g: Gen, shape: ReadonlyArray<number>): string => {
  const y = g.pickFloat((o) => o.shape.join() === shape.join() && o.dtype === g.dt)
  return y !== null && g.rng.chance(0.5) ? y : g.leaf(shape, g.dt, g.rng.chance(0.5))
}

const rgOf = (g: Gen, ...xs: ReadonlyArray<Arg>): boolean =>
  xs.some((a) => a.t === 'v' && g.vars.has(a.v) && g.info(a.v).rg)
const shapeOf = (g: Gen, a: Arg, dflt: ReadonlyArray<number>): number[] =>
  a.t === 'v' && g.vars.has(a.v) ? g.info(a.v).shape : [...dflt]

/**
 * An integral float scalar moved off the integers (1 → 1.5), other arguments unchanged: where
 * PyTorch's answer depends on a Python float being a float (an error naming `float`), since
 * JavaScript has no 1.0 apart from 1 and the facade reads an integral number as an int
 * (docs/porting.md).
 */
const nonIntegral = (a: Arg): Arg => (a.t === 'f' && Number.isInteger(a.v) ? f(a.v + 0.5) : a)

/** lerp, addcmul, addcdiv, hypot, fmod, remainder, floor_divide, copysign, xlogy, clamp with tensors. */
export const mathMore = (g: Gen): void => {
  const x = floatOf(g)
  const s = g.info(x).shape
  const name = g.rng.pick([
    'lerp',
    'addcmul',
    'addcdiv',
    'hypot',
    'fmod',
    'remainder',
    'floor_divide',
    'copysign',
    'xlogy',
    'clamp',
    'fmod',
    'remainder',
  ])
  const two = ['hypot', 'copysign', 'xlogy', 'fmod', 'remainder', 'floor_divide']
  const { a } = operand(g, s)
  const bs = broadcast(s, shapeOf(g, a, s)) ?? s
  if (two.includes(name)) {
    if (a.t === 'f' && (name === 'hypot' || name === 'copysign') && g.rng.chance(0.7)) return
    // PyTorch's refusal of a float scalar names its Python type; keep it non-integral (see nonIntegral)
    const b2 = name === 'hypot' || name === 'copysign' ? nonIntegral(a) : a
    const recv = g.rng.chance(0.3) ? call('torch', name, [v(x), b2]) : call(x, name, [b2])
    g.let(name, recv, res(g, bs, g.dt, rgOf(g, v(x), a)))
    return
  }
  if (name === 'clamp') {
    const lo = g.rng.chance(0.8) ? a : { t: 'none' as const }
    const hiOp = operand(g, s).a
    const hi = g.rng.chance(0.7) ? hiOp : { t: 'none' as const }
    if (lo.t === 'none' && hi.t === 'none') return
    // a scalar bound beside a tensor bound is refused, naming the scalar's Python type (see nonIntegral)
    const mixed = lo.t !== hi.t && lo.t !== 'none' && hi.t !== 'none'
    const kw: Array<readonly [string, Arg]> = [
      ['min', mixed ? nonIntegral(lo) : lo],
      ['max', mixed ? nonIntegral(hi) : hi],
    ]
    const shape = [lo, hi].reduce<number[]>((acc, t) => broadcast(acc, shapeOf(g, t, acc)) ?? acc, [...s])
    g.let('clamp(tensor)', call(x, 'clamp', [], kw), res(g, shape, g.dt, rgOf(g, v(x), lo, hi)))
    return
  }
  if (name === 'lerp') {
    const w = g.rng.chance(0.5) ? f(g.rng.pick([0.25, 0.5, -0.5, 1.5])) : v(sameShape(g, bs))
    const end = v(sameShape(g, s))
    g.let('lerp', call(x, 'lerp', [end, w]), res(g, s, g.dt, rgOf(g, v(x), end, w)))
    return
  }
  // addcmul / addcdiv: x + value * t1 (*|/) t2
  const t1 = sameShape(g, s)
  const t2 = sameShape(g, s)
  const kw: Array<readonly [string, Arg]> = g.rng.chance(0.5) ? [['value', f(g.rng.pick([0.5, -2, 3]))]] : []
  g.let(name, call(x, name, [v(t1), v(t2)], kw), res(g, s, g.dt, rgOf(g, v(x), v(t1), v(t2))))
}

/** bmm, baddbmm, addmm, addmv, einsum, tensordot, outer, kron, cross, dot. */
export const products = (g: Gen): void => {
  const k = g.rng.int(0, 9)
  const n = (): number => g.rng.int(1, 4)
  const L = (shape: number[]): string => sameShape(g, shape)
  const scal = (): Array<readonly [string, Arg]> =>
    g.rng.chance(0.4)
      ? [
          ['beta', f(g.rng.pick([0, 0.5, 2]))],
          ['alpha', f(g.rng.pick([1, -1.5]))],
        ]
      : []
  const put = (op: string, x: ReturnType<typeof call>, shape: number[], ...xs: string[]): void =>
    void g.let(op, x, res(g, shape, g.dt, rgOf(g, ...xs.map(v))))
  const [B, M, K, N] = [n(), n(), n(), n()]
  if (k === 0) {
    const [a, c] = [L([B, M, K]), L([B, K, N])]
    put('bmm', g.rng.chance(0.5) ? call(a, 'bmm', [v(c)]) : call('torch', 'bmm', [v(a), v(c)]), [B, M, N], a, c)
  } else if (k === 1) {
    const [s, a, c] = [L(g.rng.chance(0.5) ? [B, M, N] : [N]), L([B, M, K]), L([B, K, N])]
    put('baddbmm', call(s, 'baddbmm', [v(a), v(c)], scal()), [B, M, N], s, a, c)
  } else if (k === 2) {
    const [s, a, c] = [L(g.rng.pick([[M, N], [N], [1, N]])), L([M, K]), L([K, N])]
    put('addmm', call('torch', 'addmm', [v(s), v(a), v(c)], scal()), [M, N], s, a, c)
  } else if (k === 3) {
    const [s, a, c] = [L([M]), L([M, K]), L([K])]
    put('addmv', call(s, 'addmv', [v(a), v(c)], scal()), [M], s, a, c)
  } else if (k === 4) {
    const [a, c] = [L([M, K]), L([K, N])]
    const eq = g.rng.pick([
      ['ij,jk->ik', [M, N]],
      ['ij,jk->ki', [N, M]],
      ['ij,jk', [M, N]],
      ['ij,jk->', []],
      ['ij,jk->j', [K]],
    ] as const)
    put('einsum', call('torch', 'einsum', [{ t: 'str', v: eq[0] }, v(a), v(c)]), [...eq[1]], a, c)
  } else if (k === 5) {
    const a = L([M, K])
    const eq = g.rng.pick([
      ['ii->i', M === K ? [M] : null],
      ['ij->ji', [K, M]],
      ['ij->', []],
      ['ij->j', [K]],
      ['...j->...', [M]],
    ] as const)
    if (eq[1] === null) return
    put('einsum', call('torch', 'einsum', [{ t: 'str', v: eq[0] }, v(a)]), [...eq[1]], a)
  } else if (k === 6) {
    const [a, c] = [L([M, K, N]), L([K, N, B])]
    const two = g.rng.chance(0.5)
    const dims: Arg = two ? i(2) : { t: 'tuple', v: [ints([1]), ints([0])] }
    put('tensordot', call('torch', 'tensordot', [v(a), v(c)], [['dims', dims]]), two ? [M, B] : [M, N, N, B], a, c)
  } else if (k === 7) {
    const [a, c] = [L([M]), L([N])]
    const name = g.rng.pick(['outer', 'ger', 'kron'])
    put(name, call(a, name, [v(c)]), name === 'kron' ? [M * N] : [M, N], a, c)
  } else if (k === 8) {
    const [a, c] = [L([M, K]), L([N, B])]
    put('kron', call('torch', 'kron', [v(a), v(c)]), [M * N, K * B], a, c)
  } else {
    const lead = g.rng.chance(0.5) ? [M] : []
    const [a, c] = [L([...lead, 3]), L([...lead, 3])]
    const kw: Array<readonly [string, Arg]> = lead.length > 0 && g.rng.chance(0.5) ? [['dim', i(-1)]] : []
    const name = g.rng.chance(0.5) ? 'torch.linalg.cross' : 'torch.cross'
    const recv = name === 'torch.cross' ? 'torch' : 'torch.linalg'
    put(name, call(recv, 'cross', [v(a), v(c)], recv === 'torch' ? [['dim', i(-1)]] : kw), [...lead, 3], a, c)
  }
}

/** tril/triu, diag, diagonal, diag_embed, roll, flip, rot90, repeat, tile, repeat_interleave, cat, stack. */
export const shapes = (g: Gen): void => {
  const x = floatOf(g)
  const xi = g.info(x)
  const s = xi.shape
  const r = s.length
  const put = (op: string, e: ReturnType<typeof call>, shape: number[], extra = false): void =>
    void g.let(op, e, res(g, shape, xi.dtype, xi.rg || extra))
  const k = g.rng.int(0, 11)
  if (k === 0 && r >= 2) {
    const name = g.rng.pick(['tril', 'triu'])
    put(name, call(x, name, g.rng.chance(0.5) ? [i(g.rng.int(-2, 2))] : []), s)
  } else if (k === 1 && r >= 1 && r <= 2) {
    const off = g.rng.int(-1, 1)
    const n = s[0] as number
    const shape = r === 1 ? [n + Math.abs(off), n + Math.abs(off)] : [Math.max(0, diagLen(s, off))]
    put('diag', call(x, 'diag', off === 0 ? [] : [i(off)]), shape)
  } else if (k === 2 && r >= 2) {
    const off = g.rng.int(-1, 1)
    const [d1, d2] = g.rng.chance(0.7) ? [0, 1] : [r - 1, 0]
    const m = Math.max(0, diagLen([s[d1] as number, s[d2] as number], off))
    const rest = s.filter((_, j) => j !== d1 && j !== d2)
    put(
      'diagonal',
      call(
        x,
        'diagonal',
        [],
        [
          ['offset', i(off)],
          ['dim1', i(d1)],
          ['dim2', i(d2)],
        ],
      ),
      [...rest, m],
    )
  } else if (k === 3 && r >= 1) {
    const n = s[r - 1] as number
    put('diag_embed', call('torch', 'diag_embed', [v(x)]), [...s, n])
  } else if (k === 4) {
    const shift = g.rng.int(-3, 3)
    const args = r >= 1 && g.rng.chance(0.6) ? [i(shift), i(dimOf(g, r))] : [i(shift)]
    put('roll', call(x, 'roll', args), s)
  } else if (k === 5 && r >= 1) {
    put('flip', call(x, 'flip', [ints([dimOf(g, r)])]), s)
  } else if (k === 6 && r >= 2) {
    const kk = g.rng.int(-1, 2)
    const sh = [...s]
    if (kk % 2 !== 0) [sh[0], sh[1]] = [s[1] as number, s[0] as number]
    put('rot90', call(x, 'rot90', [i(kk), ints([0, 1])]), sh)
  } else if (k === 7) {
    const reps = [...(g.rng.chance(0.3) ? [2] : []), ...s.map(() => g.rng.int(1, 2))]
    if (reps.length === 0) reps.push(2)
    const shape = reps.map((n, j) => n * (s[j - (reps.length - r)] ?? 1))
    put('repeat', call(x, 'repeat', reps.map(i)), shape)
  } else if (k === 8) {
    const reps = [g.rng.int(1, 3)]
    const shape = r === 0 ? reps : [...s.slice(0, -1), (s[r - 1] as number) * (reps[0] as number)]
    put('tile', call(x, 'tile', [ints(reps)]), shape)
  } else if (k === 9 && r >= 1) {
    const d = g.rng.int(0, r - 1)
    const n = s[d] as number
    if (g.rng.chance(0.5)) {
      const rep = g.rng.int(0, 3)
      put('repeat_interleave', call(x, 'repeat_interleave', [i(rep)], [['dim', i(d)]]), setAt(s, d, n * rep))
    } else {
      const reps = Array.from({ length: n }, () => g.rng.int(0, 2))
      const t = g.let(
        'tensor',
        call('torch', 'tensor', [{ t: 'data', v: reps }], [['dtype', { t: 'dtype', v: 'int64' }]]),
        res(g, [n], 'int64', false),
      )[0]
      const total = reps.reduce((a, c) => a + c, 0)
      put('repeat_interleave', call(x, 'repeat_interleave', [v(t as string)], [['dim', i(d)]]), setAt(s, d, total))
    }
  } else if (k === 10 && r >= 1) {
    const d = dimOf(g, r)
    const other = setAt(s, d, g.rng.int(0, 3))
    const y = sameShape(g, other)
    const shape = setAt(s, d, (s[norm(d, r)] as number) + (other[norm(d, r)] as number))
    const name = g.rng.pick(['cat', 'concat', 'cat'])
    put(name, call('torch', name, [{ t: 'list', v: [v(x), v(y)] }], [['dim', i(d)]]), shape, g.info(y).rg)
  } else {
    const y = sameShape(g, s)
    const d = g.rng.int(-r - 1, r)
    const sh = [...s]
    sh.splice(d < 0 ? d + r + 1 : d, 0, 2)
    const name = g.rng.pick(['stack', 'stack', 'hstack', 'vstack'])
    if (name !== 'stack') {
      if (r === 0) return
      const shape =
        name === 'vstack' && r >= 2
          ? setAt(s, 0, 2 * (s[0] as number))
          : r === 1
            ? [2 * (s[0] as number)]
            : setAt(s, name === 'vstack' ? 0 : 1, 2 * (s[name === 'vstack' ? 0 : 1] as number))
      put(
        name,
        call('torch', name, [{ t: 'list', v: [v(x), v(y)] }]),
        name === 'vstack' && r === 1 ? [2, s[0] as number] : shape,
        g.info(y).rg,
      )
      return
    }
    put('stack', call('torch', 'stack', [{ t: 'tuple', v: [v(x), v(y)] }], [['dim', i(d)]]), sh, g.info(y).rg)
  }
}

const diagLen = (s: ReadonlyArray<number>, off: number): number => {
  const [a, c] = [s[0] as number, s[1] as number]
  return off >= 0 ? Math.min(a, c - off) : Math.min(a + off, c)
}

/** amax/amin/aminmax, nansum/nanmean, var/std with correction, var_mean, norms, cdist. */
export const reductions = (g: Gen): void => {
  const x = floatOf(g)
  const xi = g.info(x)
  const s = xi.shape
  const r = s.length
  const d = dimOf(g, r)
  const keep = g.rng.chance(0.3)
  const red = keep ? setAt(s, d, 1) : without(s, d)
  const kk: Array<readonly [string, Arg]> = keep ? [['keepdim', b(true)]] : []
  const out = (shape: number[]): ReturnType<typeof res> => res(g, shape, xi.dtype, xi.rg)
  const k = g.rng.int(0, 8)
  if (k === 0) {
    const name = g.rng.pick(['amax', 'amin'])
    if (g.rng.chance(0.3)) g.let(name, call(x, name), out([]))
    else g.let(name, call(x, name, [i(d)], kk), out(r === 0 ? [] : red))
  } else if (k === 1) {
    const kw: Array<readonly [string, Arg]> = g.rng.chance(0.7) ? [['dim', i(d)], ...kk] : []
    const shape = kw.length === 0 || r === 0 ? [] : red
    g.let('aminmax', call(x, 'aminmax', [], kw), [out(shape), out(shape)])
  } else if (k === 2) {
    const name = g.rng.pick(['nansum', 'nanmean'])
    const [m] = g.let('log', call(x, 'log'), out(s))
    if (g.rng.chance(0.4)) g.let(name, call(m as string, name), out([]))
    else g.let(name, call(m as string, name, [i(d)], kk), out(r === 0 ? [] : red))
  } else if (k <= 4) {
    const name = g.rng.pick(['var', 'std', 'var_mean', 'std_mean'])
    const corr = g.rng.pick([0, 1, 2])
    const kw: Array<readonly [string, Arg]> = [['correction', i(corr)], ...kk]
    const recv = name.endsWith('_mean') ? call('torch', name, [v(x), i(d)], kw) : call(x, name, [i(d)], kw)
    const shape = r === 0 ? [] : red
    g.let(name, recv, name.endsWith('_mean') ? [out(shape), out(shape)] : out(shape))
  } else if (k === 5) {
    const p = g.rng.pick<Arg>([f(1), f(2), f(3), f(0.5), f(Infinity), f(-Infinity), f(0)])
    const dims = r === 0 ? [] : [['dim', i(d)] as const, ...kk]
    const shape = r === 0 ? [] : red
    if (g.rng.chance(0.5)) g.let('norm', call(x, 'norm', [], [['p', p], ...dims]), out(shape))
    else g.let('vector_norm', call('torch.linalg', 'vector_norm', [v(x)], [['ord', p], ...dims]), out(shape))
  } else if (k === 6 && r === 2) {
    const ord = g.rng.pick<Arg>([{ t: 'str', v: 'fro' }, { t: 'str', v: 'nuc' }, f(1), f(Infinity), f(-1)])
    if (ord.t === 'str' && ord.v === 'nuc' && g.rng.chance(0.5)) return
    g.let('matrix_norm', call('torch.linalg', 'matrix_norm', [v(x)], [['ord', ord]]), out([]))
  } else if (k === 7) {
    const [P, M, D] = [g.rng.int(1, 4), g.rng.int(1, 4), g.rng.int(1, 3)]
    const [a, c] = [sameShape(g, [P, D]), sameShape(g, [M, D])]
    const p = g.rng.pick([1, 2, 0.5, 3, Infinity, 0])
    g.let('cdist', call('torch', 'cdist', [v(a), v(c)], [['p', f(p)]]), res(g, [P, M], g.dt, rgOf(g, v(a), v(c))))
  } else {
    const y = sameShape(g, s)
    const p = f(g.rng.pick([2, 1, 3, 0, Infinity]))
    g.let('dist', call(x, 'dist', [v(y), p]), res(g, [], g.dt, rgOf(g, v(x), v(y))))
  }
}

/** F.pad (constant, reflect, replicate, circular), F.normalize, F.cosine_similarity, F.embedding, F.pairwise_distance. */
export const functional = (g: Gen): void => {
  const k = g.rng.int(0, 4)
  if (k <= 1) {
    const x = floatOf(g, 2, 3)
    const s = g.info(x).shape
    const r = s.length
    const mode = g.rng.pick(['constant', 'constant', 'reflect', 'replicate', 'circular'])
    const last = s[r - 1] as number
    const lim = mode === 'reflect' ? last - 1 : mode === 'circular' ? last : 3
    const pads = [
      g.rng.int(mode === 'constant' ? -1 : 0, Math.max(0, Math.min(2, lim))),
      g.rng.int(0, Math.max(0, Math.min(2, lim))),
    ]
    const kw: Array<readonly [string, Arg]> = [['mode', { t: 'str', v: mode }]]
    if (mode === 'constant' && g.rng.chance(0.5)) kw.push(['value', f(g.rng.pick([1.5, -2]))])
    const shape = setAt(s, -1, last + (pads[0] as number) + (pads[1] as number))
    g.let(`F.pad(${mode})`, call(F, 'pad', [v(x), ints(pads)], kw), res(g, shape, g.dt, g.info(x).rg))
  } else if (k === 2) {
    const x = floatOf(g, 1, 3)
    const s = g.info(x).shape
    const kw: Array<readonly [string, Arg]> = [['dim', i(dimOf(g, s.length))]]
    if (g.rng.chance(0.4)) kw.push(['p', f(g.rng.pick([1, 3, Infinity]))])
    g.let('F.normalize', call(F, 'normalize', [v(x)], kw), res(g, s, g.dt, g.info(x).rg))
  } else if (k === 3) {
    const x = floatOf(g, 1, 3)
    const s = g.info(x).shape
    const y = sameShape(g, g.rng.chance(0.3) ? s.map((n, j) => (j === 0 ? 1 : n)) : s)
    const d = dimOf(g, s.length)
    const name = g.rng.pick(['cosine_similarity', 'pairwise_distance'])
    const shape = name === 'cosine_similarity' ? without(s, d) : s.slice(0, -1)
    const kw: Array<readonly [string, Arg]> = name === 'cosine_similarity' ? [['dim', i(d)]] : []
    g.let(`F.${name}`, call(F, name, [v(x), v(y)], kw), res(g, shape, g.dt, rgOf(g, v(x), v(y))))
  } else {
    const [V, D] = [g.rng.int(2, 5), g.rng.int(1, 3)]
    const w = g.leaf([V, D], g.dt, true)
    const shape = g.rng.pick([[2], [2, 3], []])
    const idx = g.leaf(shape, 'int64', false, V - 1)
    const kw: Array<readonly [string, Arg]> = g.rng.chance(0.3) ? [['padding_idx', i(g.rng.int(0, V - 1))]] : []
    g.let('F.embedding', call(F, 'embedding', [v(idx), v(w)], kw), res(g, [...shape, D], g.dt, true))
  }
}

/** One op of the second vocabulary; its result is recorded more often than other families' (values are the point). */
export const more = (g: Gen): void => {
  g.rng.weighted<(g: Gen) => void>([
    [5, mathMore],
    [4, products],
    [5, shapes],
    [4, reductions],
    [3, functional],
    [12, indexFamily],
  ])(g)
  const last = [...g.vars.keys()].pop()
  if (last !== undefined && g.rng.chance(0.6)) g.rec(last)
}

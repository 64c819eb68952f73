/**
 * Op families of the generator: element-wise (with broadcasting), reductions, matmul, views,
 * multi-output views, in-place ops, no_grad / detach / retain_grad. Each family appends statements
 * to a `Gen` and keeps its variable table right, so most programs are valid; the invalid ones are
 * made on purpose (generate.ts) or by ops PyTorch refuses on some layouts (`view` of a transpose).
 */
import type { Arg, Item } from './program'
import { type Gen, type VarInfo, b, broadcast, call, f, i, ints, numel, v } from './gen-state'

/** The info of an op's result: requires grad when an input does, outside no_grad. */
export const res = (g: Gen, shape: ReadonlyArray<number>, dtype: string, rg: boolean): VarInfo => {
  const r = rg && !g.inNoGrad && (dtype === 'float32' || dtype === 'float64')
  return { shape: [...shape], dtype: dtype as VarInfo['dtype'], rg: r, leaf: !r }
}

const SCALARS = [0.5, 2, -1.5, 0.25, 3, -0.125, 1]
const UNARY = ['exp', 'log', 'tanh', 'sigmoid', 'relu', 'abs', 'neg', 'sqrt', 'sin', 'cos', 'square', 'reciprocal']
const UNARY_RARE = ['sign', 'floor', 'expm1', 'log1p', 'rsqrt', 'erf', 'log2', 'atan', 'sinh']

const dimOf = (g: Gen, r: number): number => (r === 0 ? g.rng.pick([0, -1]) : g.rng.int(-r, r - 1))
const norm = (d: number, r: number): number => (d < 0 ? d + Math.max(r, 1) : d)

export const unary = (g: Gen): void => {
  const x = g.pickFloat()
  if (x === null) return
  const xi = g.info(x)
  const out = res(g, xi.shape, xi.dtype, xi.rg)
  const r = g.rng.next()
  if (r < 0.12) {
    const lo = g.rng.pick([-1, -0.5, 0])
    const kw: Array<readonly [string, Arg]> = g.rng.chance(0.7) ? [['min', f(lo)]] : []
    if (kw.length === 0 || g.rng.chance(0.5)) kw.push(['max', f(lo + g.rng.pick([0.5, 1, 2]))])
    g.let('clamp', call(x, 'clamp', [], kw), out)
  } else if (r < 0.22) g.let('pow', call(x, 'pow', [f(g.rng.pick([2, 3, 0.5, -1, 1.5]))]), out)
  else if (r < 0.3) {
    const name = g.rng.pick(['relu', 'gelu', 'leaky_relu', 'sigmoid', 'tanh'])
    const args = name === 'leaky_relu' ? [v(x), f(0.1)] : [v(x)]
    g.let(`F.${name}`, call('torch.nn.functional', name, args), out)
  } else {
    const name = g.rng.chance(0.85) ? g.rng.pick(UNARY) : g.rng.pick(UNARY_RARE)
    g.let(name, g.rng.chance(0.25) ? call('torch', name, [v(x)]) : call(x, name), out)
  }
}

/** A second operand broadcasting with `shape`: a number, an existing variable, or a new leaf. */
export const operand = (g: Gen, shape: ReadonlyArray<number>, into = false): { a: Arg; info: VarInfo | null } => {
  const r = g.rng.next()
  if (r < 0.25) return { a: f(g.rng.pick(SCALARS)), info: null }
  if (r < 0.5) {
    const y = g.pickFloat((o) => {
      const bs = broadcast(o.shape, shape)
      return bs !== null && (!into || bs.join() === shape.join()) && o.dtype === g.dt
    })
    if (y !== null) return { a: v(y), info: g.info(y) }
  }
  const s = g.compatShape(shape, into)
  const y = g.leaf(s, g.dt, g.rng.chance(0.5))
  return { a: v(y), info: g.info(y) }
}

export const binary = (g: Gen): void => {
  const x = g.pickFloat()
  if (x === null) return
  const xi = g.info(x)
  const name = g.rng.pick(['add', 'sub', 'mul', 'div', 'mul', 'add', 'pow', 'maximum', 'minimum', 'atan2'])
  const { a, info } = operand(g, xi.shape)
  if (info === null && ['maximum', 'minimum', 'atan2'].includes(name)) return
  const shape = info === null ? xi.shape : (broadcast(xi.shape, info.shape) ?? xi.shape)
  const out = res(g, shape, xi.dtype, xi.rg || (info?.rg ?? false))
  const kw: Array<readonly [string, Arg]> =
    (name === 'add' || name === 'sub') && g.rng.chance(0.2) ? [['alpha', f(g.rng.pick([2, -0.5]))]] : []
  g.let(name, g.rng.chance(0.2) ? call('torch', name, [v(x), a], kw) : call(x, name, [a], kw), out)
}

export const whereOp = (g: Gen): void => {
  const x = g.pickFloat()
  if (x === null) return
  const xi = g.info(x)
  const [c] = g.let(
    'gt',
    call(x, g.rng.pick(['gt', 'lt', 'ge']), [f(g.rng.pick([0, 0.5, -0.5]))]),
    res(g, xi.shape, 'bool', false),
  )
  const { a, info } = operand(g, xi.shape)
  if (g.rng.chance(0.4)) {
    const fill = g.rng.chance(0.8) ? f(g.rng.pick([0, -1, 2])) : f(Number.NEGATIVE_INFINITY)
    g.let('masked_fill', call(x, 'masked_fill', [v(c as string), fill]), res(g, xi.shape, xi.dtype, xi.rg))
    return
  }
  const shape = info === null ? xi.shape : (broadcast(xi.shape, info.shape) ?? xi.shape)
  g.let(
    'where',
    call('torch', 'where', [v(c as string), v(x), a]),
    res(g, shape, xi.dtype, xi.rg || (info?.rg ?? false)),
  )
}

const reduced = (s: ReadonlyArray<number>, dims: ReadonlyArray<number>, keep: boolean): number[] => {
  const ds = dims.map((d) => norm(d, s.length))
  return keep ? s.map((n, k) => (ds.includes(k) ? 1 : n)) : s.filter((_, k) => !ds.includes(k))
}

export const reduce = (g: Gen): void => {
  const x = g.pickFloat()
  if (x === null) return
  const xi = g.info(x)
  const r = xi.shape.length
  const name = g.rng.pick([
    'sum',
    'sum',
    'mean',
    'mean',
    'std',
    'var',
    'amax',
    'logsumexp',
    'prod',
    'norm',
    'max',
    'min',
  ])
  if (name === 'norm' || ((name === 'max' || name === 'min') && g.rng.chance(0.5)) || r === 0 || g.rng.chance(0.25)) {
    if (name === 'amax' || name === 'logsumexp') return
    g.let(name, call(x, name), res(g, [], xi.dtype, xi.rg))
    return
  }
  const d = dimOf(g, r)
  const keep = g.rng.chance(0.3)
  if (name === 'max' || name === 'min') {
    const shape = reduced(xi.shape, [d], keep)
    const args = keep ? [i(d), b(true)] : [i(d)]
    g.let(`${name}(dim)`, call(x, name, args), [res(g, shape, xi.dtype, xi.rg), res(g, shape, 'int64', false)])
    return
  }
  const kw: Array<readonly [string, Arg]> = []
  if ((name === 'std' || name === 'var') && g.rng.chance(0.5)) kw.push(['unbiased', b(false)])
  if (keep) kw.push(['keepdim', b(true)])
  const multi = (name === 'sum' || name === 'mean') && r >= 2 && g.rng.chance(0.3)
  const dims = multi ? [0, r - 1] : [d]
  const dimArg = multi ? ints(dims) : i(d)
  g.let(name, call(x, name, [dimArg], kw), res(g, reduced(xi.shape, dims, keep), xi.dtype, xi.rg))
}

export const softmaxLike = (g: Gen): void => {
  const x = g.pickFloat()
  if (x === null) return
  const xi = g.info(x)
  const d = dimOf(g, xi.shape.length)
  const name = g.rng.pick(['softmax', 'log_softmax', 'cumsum'])
  const out = res(g, xi.shape, xi.dtype, xi.rg)
  if (name !== 'cumsum' && g.rng.chance(0.5))
    g.let(`F.${name}`, call('torch.nn.functional', name, [v(x)], [['dim', i(d)]]), out)
  else g.let(name, call(x, name, [i(d)]), out)
}

export const matmul = (g: Gen): void => {
  const x = g.pickFloat((o) => o.shape.length >= 1)
  if (x === null) return
  const xi = g.info(x)
  const s = xi.shape
  const n = s[s.length - 1] as number
  const k = g.rng.int(1, 3)
  const r = g.rng.next()
  const ws = r < 0.25 ? [n] : r < 0.8 || s.length === 1 ? [n, k] : [g.rng.pick([1, 2]), n, k]
  const w = g.leaf(ws, g.dt, g.rng.chance(0.6))
  const wi = g.info(w)
  let shape: number[]
  if (s.length === 1) shape = ws.length === 1 ? [] : [...ws.slice(0, -2), k]
  else if (ws.length === 1) shape = s.slice(0, -1)
  else {
    const batch = broadcast(s.slice(0, -2), ws.slice(0, -2)) ?? []
    shape = [...batch, s[s.length - 2] as number, k]
  }
  const name = g.rng.chance(0.2) ? 'torch.matmul' : 'matmul'
  const x2 = name === 'torch.matmul' ? call('torch', 'matmul', [v(x), v(w)]) : call(x, 'matmul', [v(w)])
  g.let('matmul', x2, res(g, shape, xi.dtype, xi.rg || wi.rg))
}

/** A random shape with the same number of elements (sometimes with a -1). */
const refactor = (g: Gen, s: ReadonlyArray<number>): { shape: number[]; spelled: number[] } => {
  let rest = numel(s)
  const shape: number[] = []
  while (rest > 1 && shape.length < 3) {
    const divs = Array.from({ length: rest }, (_, k) => k + 1).filter((d) => rest % d === 0 && d > 1)
    const d = g.rng.pick(divs)
    shape.push(d)
    rest /= d
  }
  if (g.rng.chance(0.3)) shape.push(1)
  const spelled = [...shape]
  if (spelled.length > 0 && g.rng.chance(0.3)) spelled[g.rng.int(0, spelled.length - 1)] = -1
  return { shape, spelled }
}

const sliceLen = (n: number, a: number | null, bnd: number | null, step: number): number => {
  const clampIdx = (x: number | null, dflt: number): number =>
    x === null ? dflt : x < 0 ? Math.max(0, x + n) : Math.min(x, n)
  const lo = clampIdx(a, 0)
  const hi = clampIdx(bnd, n)
  return hi > lo ? Math.ceil((hi - lo) / step) : 0
}

const indexItems = (g: Gen, s: ReadonlyArray<number>): { items: Item[]; shape: number[] } => {
  const items: Item[] = []
  const shape: number[] = []
  const take = g.rng.int(1, Math.max(1, s.length))
  let advanced = false
  if (g.rng.chance(0.15)) (items.push({ t: 'none' }), shape.push(1))
  for (let d = 0; d < take && d < s.length; d++) {
    const n = s[d] as number
    const r = g.rng.next()
    if (r < 0.35) items.push({ t: 'i', v: g.rng.int(-n, n - 1) })
    else if (r < 0.55 && !advanced && d === 0) {
      const list = Array.from({ length: g.rng.int(1, 3) }, () => g.rng.int(0, n - 1))
      items.push({ t: 'list', v: list })
      shape.push(list.length)
      advanced = true
    } else {
      const a = g.rng.chance(0.5) ? g.rng.int(-n, n - 1) : null
      const e = g.rng.chance(0.4) ? g.rng.int(-n, n) : null
      const st = g.rng.chance(0.25) ? 2 : 1
      items.push({ t: 'slice', v: `${a ?? ''}:${e ?? ''}${st === 2 ? ':2' : ''}` })
      shape.push(sliceLen(n, a, e, st))
    }
  }
  const consumed = Math.min(take, s.length)
  if (consumed < s.length && g.rng.chance(0.3)) {
    items.push({ t: 'ellipsis' })
    const last = s.length - 1
    if (last >= consumed && g.rng.chance(0.5)) {
      items.push({ t: 'i', v: -1 })
      return { items, shape: [...shape, ...s.slice(consumed, last)] }
    }
  }
  if (s.length === 0) (items.push({ t: 'none' }), shape.push(1))
  return { items, shape: [...shape, ...s.slice(consumed)] }
}

export const view = (g: Gen): void => {
  const x = g.pickFloat()
  if (x === null) return
  const xi = g.info(x)
  const s = xi.shape
  const r = s.length
  const out = (shape: ReadonlyArray<number>): VarInfo => res(g, shape, xi.dtype, xi.rg)
  const k = g.rng.int(0, 11)
  if (k <= 1) {
    const { shape, spelled } = refactor(g, s)
    const name = k === 0 ? 'view' : 'reshape'
    const args = g.rng.chance(0.5) ? spelled.map(i) : [ints(spelled)]
    g.let(name, call(x, name, args), out(shape))
  } else if (k === 2 && r >= 1) {
    const a = g.rng.int(-r, r - 1)
    const c = g.rng.int(-r, r - 1)
    const sh = [...s]
    ;[sh[norm(a, r)], sh[norm(c, r)]] = [s[norm(c, r)] as number, s[norm(a, r)] as number]
    g.let('transpose', call(x, 'transpose', [i(a), i(c)]), out(sh))
  } else if (k === 3 && r >= 1) {
    const perm = [...s.keys()].sort(() => g.rng.next() - 0.5)
    g.let('permute', call(x, 'permute', perm.map(i)), out(perm.map((p) => s[p] as number)))
  } else if (k === 4 && r <= 2) {
    const which = g.rng.pick(['t', 'T'])
    const sh = [...s].reverse()
    g.let(which, which === 't' ? call(x, 't') : { e: 'attr', recv: x, name: 'T' }, out(sh))
  } else if (k === 5) {
    const d = g.rng.int(-r - 1, r)
    const sh = [...s]
    sh.splice(d < 0 ? d + r + 1 : d, 0, 1)
    g.let('unsqueeze', call(x, 'unsqueeze', [i(d)]), out(sh))
  } else if (k === 6) {
    if (r > 0 && g.rng.chance(0.6)) {
      const d = g.rng.int(-r, r - 1)
      g.let('squeeze(dim)', call(x, 'squeeze', [i(d)]), out(s.filter((n, j) => j !== norm(d, r) || n !== 1)))
    } else g.let('squeeze', call(x, 'squeeze'), out(s.filter((n) => n !== 1)))
  } else if (k === 7) {
    const lead = g.rng.chance(0.3) ? [g.rng.int(1, 3)] : []
    const tgt = s.map((n) => (n === 1 ? g.rng.int(1, 3) : n))
    const spelled = [...lead, ...s.map((n, j) => (n === 1 || g.rng.chance(0.5) ? (tgt[j] as number) : -1))]
    g.let('expand', call(x, 'expand', spelled.map(i)), out([...lead, ...tgt]))
  } else if (k <= 9 && r >= 0) {
    const { items, shape } = indexItems(g, s)
    g.let('index', { e: 'index', recv: x, items }, out(shape))
  } else if (k === 10 && r >= 1) {
    const d = g.rng.int(0, r - 1)
    const n = s[d] as number
    if (g.rng.chance(0.5)) {
      const st = g.rng.int(0, n - 1)
      const len = g.rng.int(1, n - st)
      g.let('narrow', call(x, 'narrow', [i(d), i(st), i(len)]), out(s.map((m, j) => (j === d ? len : m))))
    } else g.let('select', call(x, 'select', [i(d), i(g.rng.int(-n, n - 1))]), out(s.filter((_, j) => j !== d)))
  } else {
    const name = g.rng.pick(['flatten', 'contiguous', 'clone', 'mT'])
    if (name === 'mT' && r < 2) return
    if (name === 'mT')
      g.let('mT', { e: 'attr', recv: x, name: 'mT' }, out([...s.slice(0, -2), s[r - 1] as number, s[r - 2] as number]))
    else g.let(name, call(x, name), out(name === 'flatten' ? [numel(s)] : s))
  }
}

/** split / chunk / unbind; returns the outputs. */
export const multiView = (g: Gen): string[] => {
  const x = g.pickFloat((o) => o.shape.length >= 1)
  if (x === null) return []
  const xi = g.info(x)
  const r = xi.shape.length
  const d = g.rng.int(-r, r - 1)
  const n = xi.shape[norm(d, r)] as number
  const at = (len: number): VarInfo =>
    res(
      g,
      xi.shape.map((m, j) => (j === norm(d, r) ? len : m)),
      xi.dtype,
      xi.rg,
    )
  const which = g.rng.pick(['split', 'chunk', 'unbind'])
  if (which === 'unbind') {
    const outs = Array.from({ length: n }, () =>
      res(
        g,
        xi.shape.filter((_, j) => j !== norm(d, r)),
        xi.dtype,
        xi.rg,
      ),
    )
    return g.let('unbind', call(x, 'unbind', [i(d)]), outs)
  }
  // a zero-size dimension splits into one empty piece (split(1) / chunk(1))
  if (n === 0) return g.let(which, call(x, which, [i(1), i(d)]), [at(0)])
  const size = which === 'split' ? g.rng.int(1, n) : Math.ceil(n / g.rng.int(1, n))
  const count = Math.ceil(n / size)
  const outs = Array.from({ length: count }, (_, k) => at(Math.min(size, n - k * size)))
  const args = which === 'split' ? [i(size), i(d)] : [i(Math.ceil(n / size)), i(d)]
  if (which === 'chunk') {
    // chunk(c) uses pieces of ceil(n / c)
    const c = Math.ceil(n / size)
    const piece = Math.ceil(n / c)
    const cnt = Math.ceil(n / piece)
    return g.let(
      'chunk',
      call(x, 'chunk', args),
      Array.from({ length: cnt }, (_, k) => at(Math.min(piece, n - k * piece))),
    )
  }
  return g.let(which, call(x, which, args), outs)
}

const INPLACE = [
  'add_',
  'mul_',
  'sub_',
  'div_',
  'clamp_',
  'zero_',
  'fill_',
  'copy_',
  'masked_fill_',
  'relu_',
  'exp_',
  'sigmoid_',
  'pow_',
  'setitem',
]

/** An in-place op on `x` (a non-leaf by default: a clone or the result of an op). */
export const inplace = (g: Gen, x: string, name = g.rng.pick(INPLACE)): void => {
  const xi = g.info(x)
  const s = xi.shape
  let rg = false
  if (['add_', 'mul_', 'sub_', 'div_', 'copy_'].includes(name)) {
    const { a, info } = operand(g, s, true)
    rg = info?.rg ?? false
    if (name === 'copy_' && info === null) return
    g.run(name, call(x, name, [a]))
  } else if (name === 'clamp_')
    g.run(
      name,
      call(
        x,
        name,
        [],
        [
          ['min', f(-0.5)],
          ['max', f(1)],
        ],
      ),
    )
  else if (name === 'fill_') g.run(name, call(x, name, [f(g.rng.pick([0, 1.5, -2]))]))
  else if (name === 'pow_') g.run(name, call(x, name, [f(2)]))
  else if (name === 'masked_fill_') {
    const m = g.leaf(g.compatShape(s, true), 'bool')
    g.run(name, call(x, name, [v(m), f(g.rng.pick([0, -1]))]))
  } else if (name === 'setitem') {
    const { items, shape } = indexItems(g, s)
    const useT = g.rng.chance(0.5)
    const val = useT ? g.leaf(g.compatShape(shape, true), g.dt, g.rng.chance(0.4)) : null
    rg = val !== null && g.info(val).rg
    g.set(x, items, val === null ? f(g.rng.pick([0, 9, -3.5])) : v(val))
  } else g.run(name, call(x, name))
  if (rg && !g.inNoGrad) g.vars.set(x, { ...xi, rg: true, leaf: false })
}

/** A non-leaf to modify in place: a clone of a variable, a view of one, or an op result. */
export const inplaceTarget = (g: Gen): string | null => {
  const x = g.pickFloat((o) => !o.leaf || !o.rg)
  if (x === null) return null
  const xi = g.info(x)
  if (g.rng.chance(0.3)) {
    const [c] = g.let('clone', call(x, 'clone'), res(g, xi.shape, xi.dtype, xi.rg))
    return c as string
  }
  return x
}

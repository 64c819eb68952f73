/**
 * Index-driven, order-driven and integer ops of the generator's second vocabulary: gather,
 * scatter (with reductions), index_select/add/copy/fill, take_along_dim, masked_select/scatter,
 * put, advanced indexing with tensor indices, bool masks and None/Ellipsis; cumprod, cummax,
 * cummin, logcumsumexp; sort, argsort, topk, kthvalue, median, mode, msort (with ties); int64 and
 * bool tensors mixed with floats (promotion, integer division and remainder by zero).
 */
import type { Arg, Item } from './program'
import { type Gen, type VarInfo, b, call, f, i, v } from './gen-state'
import { res } from './gen-ops'

const norm = (d: number, r: number): number => (d < 0 ? d + Math.max(r, 1) : d)
const dimOf = (g: Gen, r: number): number => (r === 0 ? g.rng.pick([0, -1]) : g.rng.int(-r, r - 1))
const setAt = (s: ReadonlyArray<number>, d: number, n: number): number[] =>
  s.map((m, k) => (k === norm(d, s.length) ? n : m))
const without = (s: ReadonlyArray<number>, d: number): number[] => s.filter((_, k) => k !== norm(d, s.length))

/** A result whose shape depends on the data: reduced to a sum the generator can use, itself never picked. */
const opaque = (
  g: Gen,
  op: string,
  x: ReturnType<typeof call> | { e: 'index'; recv: string; items: Item[] },
  info: VarInfo,
  n = 1,
): void => {
  const one: VarInfo = { ...info, shape: [0], opaque: true }
  const outs = g.let(op, x, n === 1 ? one : Array.from({ length: n }, () => one))
  const first = outs[0] as string
  g.rec(first)
  if (info.dtype === 'int64' || info.dtype === 'bool') return
  g.let('sum', call(first, 'sum'), { ...info, shape: [] })
}

/** `torch.tensor(data, dtype=torch.int64)` with entries in [lo, hi]. */
const intTensor = (g: Gen, shape: ReadonlyArray<number>, lo: number, hi: number): string => {
  const build = (d: number): unknown =>
    d === shape.length ? g.rng.int(lo, hi) : Array.from({ length: shape[d] as number }, () => build(d + 1))
  const data = { t: 'data', v: build(0) } as Arg
  const [t] = g.let('tensor', call('torch', 'tensor', [data], [['dtype', { t: 'dtype', v: 'int64' }]]), {
    shape: [...shape],
    dtype: 'int64',
    rg: false,
    leaf: true,
  })
  return t as string
}

/** A float variable of rank ≥ lo (new leaf if none), sometimes with few distinct values (ties). */
const floatIn = (g: Gen, lo = 1): string => {
  const x = g.pickFloat((o) => o.shape.length >= lo && o.shape.every((n) => n > 0))
  if (x !== null && g.rng.chance(0.6)) return x
  const shape = Array.from({ length: g.rng.int(lo, Math.max(lo, 3)) }, () => g.rng.int(1, 4))
  const t = g.leaf(shape, g.dt, g.rng.chance(0.8))
  if (!g.rng.chance(0.4)) return t
  // ties: round to halves
  const [r] = g.let('round', call(t, 'mul', [f(0.5)]), res(g, shape, g.dt, g.info(t).rg))
  const [q] = g.let('round', call(r as string, 'round'), res(g, shape, g.dt, g.info(t).rg))
  return q as string
}

/** gather, scatter, scatter_add, scatter_reduce, take_along_dim, index_*, masked_*, put. */
export const scatterGather = (g: Gen): void => {
  const x = floatIn(g)
  const xi = g.info(x)
  const s = xi.shape
  const r = s.length
  const d = g.rng.int(0, r - 1)
  const n = s[d] as number
  const out = (shape: ReadonlyArray<number>, extra = false): ReturnType<typeof res> =>
    res(g, shape, xi.dtype, xi.rg || extra)
  const src = (shape: ReadonlyArray<number>): string => g.leaf(shape, g.dt, g.rng.chance(0.5))
  const k = g.rng.int(0, 9)
  if (k <= 1) {
    const ish = s.map((m, j) => (j === d ? g.rng.int(1, 4) : g.rng.int(1, m)))
    const idx = intTensor(g, ish, 0, n - 1)
    if (k === 0) g.let('gather', call(x, 'gather', [i(d), v(idx)]), out(ish))
    else g.let('take_along_dim', call('torch', 'take_along_dim', [v(x), v(idx)], [['dim', i(d)]]), out(ish))
  } else if (k <= 3) {
    const ish = s.map((m) => g.rng.int(1, m))
    const idx = intTensor(g, ish, 0, n - 1)
    const name = g.rng.pick(['scatter', 'scatter_add', 'scatter_reduce', 'scatter'])
    const val = g.rng.chance(0.2) && name === 'scatter' ? f(2.5) : v(src(ish.map((m) => m + g.rng.int(0, 1))))
    const kw: Array<readonly [string, Arg]> = []
    if (name === 'scatter_reduce') {
      kw.push(['reduce', { t: 'str', v: g.rng.pick(['sum', 'prod', 'mean', 'amax', 'amin']) }])
      if (g.rng.chance(0.5)) kw.push(['include_self', b(false)])
    } else if (name === 'scatter' && g.rng.chance(0.3))
      kw.push(['reduce', { t: 'str', v: g.rng.pick(['add', 'multiply']) }])
    const rg = val.t === 'v' && g.info(val.v).rg
    const inplace = g.rng.chance(0.3) && !xi.leaf
    if (inplace) g.run(`${name}_`, call(x, `${name}_`, [i(d), v(idx), val], kw))
    else g.let(name, call(x, name, [i(d), v(idx), val], kw), out(s, rg))
  } else if (k <= 5) {
    const m = g.rng.int(1, 4)
    const idx = intTensor(g, [m], g.rng.chance(0.1) ? -1 : 0, n - 1)
    const name = g.rng.pick(['index_select', 'index_add', 'index_copy', 'index_fill'])
    if (name === 'index_select') {
      const e = g.rng.chance(0.5) ? call('torch', 'index_select', [v(x), i(d), v(idx)]) : call(x, name, [i(d), v(idx)])
      g.let(name, e, out(setAt(s, d, m)))
    } else if (name === 'index_fill') g.let(name, call(x, name, [i(d), v(idx), f(-1.5)]), out(s))
    else {
      const t = src(setAt(s, d, m))
      const kw: Array<readonly [string, Arg]> = name === 'index_add' && g.rng.chance(0.4) ? [['alpha', f(2)]] : []
      g.let(name, call(x, name, [i(d), v(idx), v(t)], kw), out(s, g.info(t).rg))
    }
  } else if (k <= 7) {
    const mask = g.leaf(g.rng.chance(0.8) ? s : s.slice(1), 'bool')
    if (k === 6) opaque(g, 'masked_select', call(x, 'masked_select', [v(mask)]), out([]))
    else {
      const t = src([s.reduce((a, c) => a * c, 1)])
      g.let('masked_scatter', call(x, 'masked_scatter', [v(mask), v(t)]), out(s, g.info(t).rg))
    }
  } else if (k === 8) {
    const total = s.reduce((a, c) => a * c, 1)
    const m = g.rng.int(1, 3)
    const idx = intTensor(g, [m], -total, total - 1)
    const t = src([m])
    const kw: Array<readonly [string, Arg]> = g.rng.chance(0.5) ? [['accumulate', b(true)]] : []
    g.let('put', call(x, 'put', [v(idx), v(t)], kw), out(s, g.info(t).rg))
  } else {
    const total = s.reduce((a, c) => a * c, 1)
    const idx = intTensor(g, [g.rng.int(1, 3), 2], -total, total - 1)
    g.let('take', call(x, 'take', [v(idx)]), out(g.info(idx).shape))
  }
}

/** Advanced getitem / setitem: int tensors, bool masks, lists, None and Ellipsis together. */
export const advancedIndex = (g: Gen): void => {
  const x = floatIn(g)
  const xi = g.info(x)
  const s = xi.shape
  const items: Item[] = []
  const k = g.rng.int(0, 4)
  if (k === 0) items.push({ t: 'v', v: g.leaf(g.rng.chance(0.7) ? s : s.slice(0, 1), 'bool') })
  else if (k === 1) {
    items.push({ t: 'v', v: intTensor(g, [g.rng.int(1, 3)], -(s[0] as number), (s[0] as number) - 1) })
    if (s.length >= 2 && g.rng.chance(0.5)) items.push({ t: 'v', v: intTensor(g, [1], 0, (s[1] as number) - 1) })
  } else if (k === 2) {
    items.push({ t: 'ellipsis' })
    items.push({ t: 'v', v: intTensor(g, [g.rng.int(1, 2), 2], 0, (s[s.length - 1] as number) - 1) })
  } else if (k === 3) {
    items.push({ t: 'slice', v: ':' })
    if (g.rng.chance(0.5)) items.push({ t: 'none' })
    items.push({ t: 'list', v: [0, 0] })
    if (s.length < 2) items.splice(0, 1)
  } else {
    items.push({ t: 'none' })
    items.push({ t: 'v', v: intTensor(g, [2], 0, (s[0] as number) - 1) })
    items.push({ t: 'ellipsis' })
    if (g.rng.chance(0.5)) items.push({ t: 'none' })
  }
  if (g.rng.chance(0.6)) {
    opaque(g, 'index(adv)', { e: 'index', recv: x, items }, res(g, [], xi.dtype, xi.rg))
    return
  }
  // setitem on a clone (a non-leaf) with a scalar, a broadcastable tensor or one that requires grad
  const [c] = g.let('clone', call(x, 'clone'), res(g, s, xi.dtype, xi.rg))
  const val: Arg = g.rng.chance(0.5) ? f(g.rng.pick([0, -7.5])) : v(g.leaf([1], g.dt, g.rng.chance(0.5)))
  g.set(c as string, items, val)
  if (val.t === 'v' && g.info(val.v).rg) g.vars.set(c as string, { ...g.info(c as string), rg: true, leaf: false })
  g.rec(c as string)
}

/** cumprod, cummax, cummin, logcumsumexp; sort, argsort, msort, topk, kthvalue, median, mode. */
export const ordered = (g: Gen): void => {
  const x = floatIn(g)
  const xi = g.info(x)
  const s = xi.shape
  const r = s.length
  const d = dimOf(g, r)
  const n = s[norm(d, r)] as number
  const vals = (shape: ReadonlyArray<number>): ReturnType<typeof res> => res(g, shape, xi.dtype, xi.rg)
  const idx = (shape: ReadonlyArray<number>): ReturnType<typeof res> => res(g, shape, 'int64', false)
  const keep = g.rng.chance(0.3)
  const red = keep ? setAt(s, d, 1) : without(s, d)
  const kk: Array<readonly [string, Arg]> = keep ? [['keepdim', b(true)]] : []
  const name = g.rng.pick([
    'cumprod',
    'cummax',
    'cummin',
    'logcumsumexp',
    'sort',
    'argsort',
    'msort',
    'topk',
    'kthvalue',
    'median',
    'mode',
    'median()',
    'nanmedian',
  ])
  if (name === 'cumprod' || name === 'logcumsumexp') g.let(name, call(x, name, [i(d)]), vals(s))
  else if (name === 'cummax' || name === 'cummin') g.let(name, call(x, name, [i(d)]), [vals(s), idx(s)])
  else if (name === 'sort') {
    const kw: Array<readonly [string, Arg]> = [['dim', i(d)]]
    if (g.rng.chance(0.5)) kw.push(['descending', b(true)])
    if (g.rng.chance(0.5)) kw.push(['stable', b(true)])
    g.let('sort', call(x, 'sort', [], kw), [vals(s), idx(s)])
  } else if (name === 'argsort') {
    // PyTorch's argsort takes `stable` only with keyword arguments (argsort(*, stable, dim, descending))
    const kw: Array<readonly [string, Arg]> = [['dim', i(d)]]
    if (g.rng.chance(0.5)) kw.push(['descending', b(true)])
    kw.push(['stable', b(true)])
    g.let('argsort', call(x, 'argsort', [], kw), idx(s))
  } else if (name === 'msort') g.let('msort', call('torch', 'msort', [v(x)]), vals(s))
  else if (name === 'topk') {
    const kk2 = g.rng.int(1, n)
    const kw: Array<readonly [string, Arg]> = [['dim', i(d)]]
    if (g.rng.chance(0.4)) kw.push(['largest', b(false)])
    g.let('topk', call(x, 'topk', [i(kk2)], kw), [vals(setAt(s, d, kk2)), idx(setAt(s, d, kk2))])
  } else if (name === 'kthvalue') {
    g.let('kthvalue', call(x, 'kthvalue', [i(g.rng.int(1, n)), i(d)], kk), [vals(red), idx(red)])
  } else if (name === 'median()') g.let('median()', call(x, 'median'), vals([]))
  else g.let(name, call(x, name, [i(d)], kk), [vals(red), idx(red)])
}

/** int64 and bool tensors mixed with floats: promotion, integer division and remainder (by zero too). */
export const intMix = (g: Gen): void => {
  const shape = Array.from({ length: g.rng.int(0, 2) }, () => g.rng.int(1, 4))
  const a = intTensor(g, shape, -5, 5)
  const k = g.rng.int(0, 7)
  const intOut = (sh: ReadonlyArray<number>, dt: 'int64' | 'bool' = 'int64'): ReturnType<typeof res> =>
    res(g, sh, dt, false)
  if (k === 0) {
    const c = intTensor(g, shape, -2, 3)
    const name = g.rng.pick(['floor_divide', 'remainder', 'fmod', 'div', 'true_divide'])
    const kw: Array<readonly [string, Arg]> =
      name === 'div' && g.rng.chance(0.7) ? [['rounding_mode', { t: 'str', v: g.rng.pick(['floor', 'trunc']) }]] : []
    const dt = name === 'div' && kw.length === 0 ? g.dt : name === 'true_divide' ? g.dt : 'int64'
    g.let(`${name}(int)`, call(a, name, [v(c)], kw), res(g, shape, dt === 'int64' ? 'int64' : 'float32', false))
  } else if (k === 1) {
    const x = g.pickFloat((o) => o.shape.join() === shape.join()) ?? g.leaf(shape, g.dt, true)
    const name = g.rng.pick(['add', 'mul', 'sub', 'div', 'maximum', 'pow', 'atan2'])
    const [l, rr] = g.rng.chance(0.5) ? [x, a] : [a, x]
    g.let(`${name}(int,float)`, call(l, name, [v(rr)]), res(g, shape, g.info(x).dtype, g.info(x).rg))
  } else if (k === 2) {
    const name = g.rng.pick(['add', 'mul', 'sub', 'div', 'pow', 'remainder', 'floor_divide'])
    // float scalars are non-integral: JavaScript has no 0.0 apart from 0, so the facade reads an
    // integral number as a Python int (docs/porting.md); int64 ⊕ 0.0 cannot be written in JS
    const sc = g.rng.pick<Arg>([i(2), i(0), f(1.5), i(-3), f(-0.5)])
    g.let(`${name}(int,scalar)`, call(a, name, [sc]), intOut(shape))
  } else if (k === 3) {
    const m = g.leaf(shape, 'bool')
    const x = g.pickFloat((o) => o.shape.join() === shape.join()) ?? g.leaf(shape, g.dt, true)
    const name = g.rng.pick(['add', 'mul', 'logical_and', 'logical_xor', 'bitwise_and', 'where', 'sum', 'cumsum'])
    if (name === 'where') g.let('where(bool)', call('torch', 'where', [v(m), v(a), v(x)]), res(g, shape, g.dt, true))
    else if (name === 'sum') g.let('sum(bool)', call(m, 'sum'), intOut([]))
    else if (name === 'cumsum') g.let('cumsum(bool)', call(m, 'cumsum', [i(0)]), intOut(shape))
    else if (name === 'bitwise_and') g.let('bitwise_and', call(a, name, [v(m)]), intOut(shape))
    else if (name.startsWith('logical')) g.let(name, call(m, name, [v(x)]), intOut(shape, 'bool'))
    else g.let(`${name}(bool,float)`, call(m, name, [v(x)]), res(g, shape, g.info(x).dtype, g.info(x).rg))
  } else if (k === 4) {
    const name = g.rng.pick(['sum', 'prod', 'mean', 'cumsum', 'abs', 'neg', 'sign', 'square', 'max', 'argmax'])
    if (name === 'cumsum') g.let('cumsum(int)', call(a, name, [i(0)]), intOut(shape))
    else if (['abs', 'neg', 'sign', 'square'].includes(name)) g.let(`${name}(int)`, call(a, name), intOut(shape))
    else g.let(`${name}(int)`, call(a, name), intOut([]))
  } else if (k === 5) {
    const dt = g.rng.pick(['float32', 'float64', 'bool'] as const)
    const [c] = g.let('to', call(a, 'to', [{ t: 'dtype', v: dt }]), res(g, shape, dt, false))
    if (dt !== 'bool' && !g.inNoGrad && g.rng.chance(0.5)) {
      g.run('requires_grad_', call(c as string, 'requires_grad_'))
      g.vars.set(c as string, { shape: [...shape], dtype: dt, rg: true, leaf: true })
      g.leaves.push(c as string)
    }
  } else if (k === 6) {
    const x = g.pickFloat() ?? g.leaf(shape, g.dt, true)
    const name = g.rng.pick(['long', 'int', 'bool', 'round', 'trunc', 'frac'])
    const xi = g.info(x)
    const dt = name === 'bool' ? 'bool' : name === 'long' || name === 'int' ? 'int64' : xi.dtype
    g.let(name, call(x, name), res(g, xi.shape, dt, dt === xi.dtype && xi.rg))
  } else {
    const name = g.rng.pick(['eq', 'lt', 'isclose', 'bincount', 'unique', 'count_nonzero', 'nonzero'])
    if (name === 'bincount') {
      const c = intTensor(g, [g.rng.int(0, 5)], 0, 4)
      opaque(g, 'bincount', call(c, 'bincount'), intOut([]))
    } else if (name === 'unique')
      opaque(g, 'unique', call(a, 'unique', [], [['return_counts', b(true)]]), intOut([]), 2)
    else if (name === 'count_nonzero') g.let(name, call(a, name), intOut([]))
    else if (name === 'nonzero') opaque(g, name, call(a, name), intOut([]))
    else if (name === 'isclose') g.let(name, call(a, name, [v(intTensor(g, shape, -5, 5))]), intOut(shape, 'bool'))
    else g.let(`${name}(int,float)`, call(a, name, [f(0.5)]), intOut(shape, 'bool'))
  }
}

/** One op of this file's families. */
export const indexFamily = (g: Gen): void =>
  g.rng.weighted<(g: Gen) => void>([
    [5, scatterGather],
    [3, advancedIndex],
    [5, ordered],
    [4, intMix],
  ])(g)

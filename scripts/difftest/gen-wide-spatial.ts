/**
 * Spatial, linear-algebra and special-function families of the `wide` program kind (gen-wide.ts):
 * conv1d/conv2d/conv_transpose1d (stride, padding incl. 'same'/'valid', dilation, groups), max/avg/
 * adaptive/lp pooling (indices, ceil_mode, count_include_pad, divisor_override), F.interpolate,
 * torch.linalg on well-conditioned, symmetric positive definite and sometimes singular matrices,
 * and torch.special functions at their poles and edges.
 */
import type { Arg } from './program'
import { type Gen, b, call, f, i, ints, v } from './gen-state'
import { res } from './gen-ops'
import { type Kw, L, dt, map, rgOf } from './gen-wide'

const F = 'torch.nn.functional'
const s = (x: string): Arg => ({ t: 'str', v: x })

/** The output length of a window of `k` over `n` (PyTorch's pooling/conv formula, with ceil_mode's last-window rule). */
export const outLen = (n: number, k: number, st: number, p: number, d: number, ceil = false): number => {
  const span = n + 2 * p - d * (k - 1) - 1
  let o = (ceil ? Math.ceil(span / st) : Math.floor(span / st)) + 1
  if (ceil && (o - 1) * st >= n + p) o--
  return o
}

/** conv1d, conv2d, conv_transpose1d. */
export const convs = (g: Gen): void => {
  const grp = g.rng.pick([1, 1, 2])
  const [Cin, Cout, N] = [grp * g.rng.int(1, 2), grp * g.rng.int(1, 2), g.rng.int(1, 2)]
  const K = g.rng.int(1, 3)
  const st = g.rng.pick([1, 1, 2])
  const dil = g.rng.pick([1, 1, 2])
  const kw: Kw = []
  const two = g.rng.chance(0.35)
  const tr = !two && g.rng.chance(0.25)
  const Ln = g.rng.int(Math.max(2, dil * (K - 1) + 1), 6)
  const W = two ? g.rng.int(Math.max(2, dil * (K - 1) + 1), 4) : 0
  const x = L(g, two ? [N, Cin, Ln, W] : [N, Cin, Ln], 0.8)
  const w = L(g, tr ? [Cin, Cout / grp, K] : two ? [Cout, Cin / grp, K, K] : [Cout, Cin / grp, K], 0.7)
  const bias = g.rng.chance(0.5) ? L(g, [Cout], 0.6) : null
  if (bias !== null) kw.push(['bias', v(bias)])
  if (st !== 1) kw.push(['stride', i(st)])
  let pad = 0
  const pr = g.rng.next()
  if (!tr && st === 1 && pr < 0.25) kw.push(['padding', s('same')])
  else if (!tr && pr < 0.35) kw.push(['padding', s('valid')])
  else if (pr < 0.7) kw.push(['padding', i((pad = g.rng.int(1, 2)))])
  const same = kw.some(([n, a]) => n === 'padding' && a.t === 'str' && a.v === 'same')
  if (dil !== 1) kw.push(['dilation', i(dil)])
  if (grp !== 1) kw.push(['groups', i(grp)])
  const rg = rgOf(g, x, w, ...(bias === null ? [] : [bias]))
  if (tr) {
    const op = st > 1 && g.rng.chance(0.4) ? 1 : 0
    if (op > 0) kw.push(['output_padding', i(op)])
    const o = (Ln - 1) * st - 2 * pad + dil * (K - 1) + op + 1
    if (o <= 0) return
    g.let('F.conv_transpose1d', call(F, 'conv_transpose1d', [v(x), v(w)], kw), res(g, [N, Cout, o], g.dt, rg))
    return
  }
  const o = (n: number): number => (same ? n : outLen(n, K, st, pad, dil))
  if (o(Ln) <= 0 || (two && o(W) <= 0)) return
  const name = two ? 'conv2d' : 'conv1d'
  g.let(`F.${name}`, call(F, name, [v(x), v(w)], kw), res(g, two ? [N, Cout, o(Ln), o(W)] : [N, Cout, o(Ln)], g.dt, rg))
}

/** max_pool1d/2d (indices), avg_pool1d/2d, adaptive pools, lp_pool1d. */
export const pools = (g: Gen): void => {
  const [N, C] = [g.rng.int(1, 2), g.rng.int(1, 3)]
  const two = g.rng.chance(0.4)
  const [H, W] = [g.rng.int(1, 6), g.rng.int(1, 5)]
  const x = L(g, two ? [N, C, H, W] : [N, C, H], 0.85)
  const xr = g.info(x).rg
  const k = g.rng.int(0, 5)
  const K = g.rng.int(1, 3)
  const st = g.rng.pick([K, 1, 2])
  const p = g.rng.int(0, Math.floor(K / 2))
  const ceil = g.rng.chance(0.4)
  const kw: Kw = []
  if (st !== K || g.rng.chance(0.3)) kw.push(['stride', i(st)])
  if (p > 0) kw.push(['padding', i(p)])
  if (ceil) kw.push(['ceil_mode', b(true)])
  const out = (d = 1): number[] => {
    const o = (n: number): number => outLen(n, K, st, p, d, ceil)
    return two ? [N, C, o(H), o(W)] : [N, C, o(H)]
  }
  if (k <= 1) {
    const d = g.rng.chance(0.3) ? 2 : 1
    if (d > 1) kw.push(['dilation', i(d)])
    const idx = g.rng.chance(0.4)
    if (idx) kw.push(['return_indices', b(true)])
    const sh = out(d)
    if (sh.some((n) => n <= 0)) return
    const name = two ? 'max_pool2d' : 'max_pool1d'
    const infos = idx ? [res(g, sh, g.dt, xr), res(g, sh, 'int64', false)] : res(g, sh, g.dt, xr)
    g.let(`F.${name}`, call(F, name, [v(x), i(K)], kw), infos)
  } else if (k <= 3) {
    if (g.rng.chance(0.4)) kw.push(['count_include_pad', b(false)])
    if (two && g.rng.chance(0.3)) kw.push(['divisor_override', i(g.rng.int(1, 3))])
    const sh = out()
    if (sh.some((n) => n <= 0)) return
    const name = two ? 'avg_pool2d' : 'avg_pool1d'
    g.let(`F.${name}`, call(F, name, [v(x), i(K)], kw), res(g, sh, g.dt, xr))
  } else if (k === 4) {
    const os = [g.rng.int(1, 4), g.rng.int(1, 3)]
    const avg = g.rng.chance(0.5)
    const name = `adaptive_${avg ? 'avg' : 'max'}_pool${two ? 2 : 1}d`
    const size: Arg = two ? ints(os) : i(os[0] as number)
    const sh = two ? [N, C, os[0] as number, os[1] as number] : [N, C, os[0] as number]
    const idx = !avg && g.rng.chance(0.4)
    const infos = idx ? [res(g, sh, g.dt, xr), res(g, sh, 'int64', false)] : res(g, sh, g.dt, xr)
    g.let(`F.${name}`, call(F, name, [v(x), size], idx ? [['return_indices', b(true)]] : []), infos)
  } else {
    if (two || H < K) return
    const o = Math.floor((H - K) / st) + 1
    const lkw: Kw = st !== K ? [['stride', i(st)]] : []
    const pn = g.rng.pick([1, 2, 3])
    g.let('F.lp_pool1d', call(F, 'lp_pool1d', [v(x), f(pn), i(K)], lkw), res(g, [N, C, o], g.dt, xr))
  }
}

/** F.interpolate: nearest / nearest-exact / linear / bilinear / bicubic / area, size or scale_factor, align_corners. */
export const interp = (g: Gen): void => {
  const two = g.rng.chance(0.5)
  const [N, C, H, W] = [1, g.rng.int(1, 2), g.rng.int(1, 4), g.rng.int(1, 4)]
  const x = L(g, two ? [N, C, H, W] : [N, C, H], 0.85)
  const mode = g.rng.pick(
    two ? ['nearest', 'bilinear', 'bicubic', 'nearest-exact', 'area'] : ['nearest', 'linear', 'nearest-exact', 'area'],
  )
  const kw: Kw = [['mode', s(mode)]]
  let shape: number[]
  if (g.rng.chance(0.5) || mode === 'area') {
    const sz = [g.rng.int(1, 6), g.rng.int(1, 5)]
    kw.unshift(['size', two ? ints(sz) : i(sz[0] as number)])
    shape = two ? [N, C, sz[0] as number, sz[1] as number] : [N, C, sz[0] as number]
  } else {
    const sf = g.rng.pick([2, 1.5, 0.5, 3])
    kw.unshift(['scale_factor', f(sf)])
    shape = two ? [N, C, Math.floor(H * sf), Math.floor(W * sf)] : [N, C, Math.floor(H * sf)]
    if (shape.some((n) => n <= 0)) return
    if (g.rng.chance(0.3)) kw.push(['recompute_scale_factor', b(true)])
  }
  if (['linear', 'bilinear', 'bicubic'].includes(mode) && g.rng.chance(0.5))
    kw.push(['align_corners', b(g.rng.chance(0.5))])
  g.let(`F.interpolate(${mode})`, call(F, 'interpolate', [v(x)], kw), res(g, shape, g.dt, g.info(x).rg))
}

/** A square matrix: well conditioned (x + 8I), SPD (x xᵀ + I), symmetric, triangular or raw. */
const matrix = (g: Gen, n: number, batch: number[], kind: 'wc' | 'spd' | 'sym' | 'raw'): string => {
  const x = L(g, [...batch, n, n], 0.85)
  if (kind === 'raw') return x
  if (kind === 'sym') {
    const t = map(g, 'mT', x, { e: 'attr', recv: x, name: 'mT' })
    return g.let('add', call(x, 'add', [v(t)]), res(g, [...batch, n, n], g.dt, g.info(x).rg))[0] as string
  }
  const [e] = g.let('eye', call('torch', 'eye', [i(n)], [['dtype', dt(g)]]), res(g, [n, n], g.dt, false))
  if (kind === 'wc')
    return g.let(
      'add',
      call(x, 'add', [v(e as string)], [['alpha', i(8)]]),
      res(g, [...batch, n, n], g.dt, g.info(x).rg),
    )[0] as string
  const t = map(g, 'mT', x, { e: 'attr', recv: x, name: 'mT' })
  const m = g.let('matmul', call(x, 'matmul', [v(t)]), res(g, [...batch, n, n], g.dt, g.info(x).rg))[0] as string
  return g.let('add', call(m, 'add', [v(e as string)]), res(g, [...batch, n, n], g.dt, g.info(x).rg))[0] as string
}

/** torch.linalg: inv, det, slogdet, solve, cholesky, qr, svdvals, eigvalsh, norms, matrix_power, matrix_exp, solve_triangular, pinv. */
export const linalg = (g: Gen): void => {
  const n = g.rng.int(1, 3)
  const batch = g.rng.chance(0.3) ? [2] : []
  const k = g.rng.int(0, 11)
  const bn = [...batch, n, n]
  const put = (
    op: string,
    recv: string,
    name: string,
    args: Arg[],
    shape: number[] | number[][],
    kw: Kw = [],
    ...xs: string[]
  ): void => {
    const rg = rgOf(g, ...xs)
    const infos = Array.isArray(shape[0])
      ? (shape as number[][]).map((sh) => res(g, sh, g.dt, rg))
      : res(g, shape as number[], g.dt, rg)
    g.let(op, call(recv, name, args, kw), infos)
  }
  const A = matrix(g, n, batch, k === 3 ? 'spd' : k === 6 ? 'sym' : g.rng.chance(0.8) ? 'wc' : 'raw')
  if (k === 0) {
    const recv = g.rng.chance(0.3) ? 'torch' : 'torch.linalg'
    g.rng.next() // a draw kept so that the seeds' programs stay as first run
    put('linalg.inv', recv, recv === 'torch' ? 'inverse' : 'inv', [v(A)], bn, [], A)
  } else if (k === 1) {
    if (g.rng.chance(0.5)) put('linalg.det', 'torch.linalg', 'det', [v(A)], batch, [], A)
    else {
      const rg = rgOf(g, A)
      g.let('linalg.slogdet', call('torch.linalg', 'slogdet', [v(A)]), [
        res(g, batch, g.dt, false),
        res(g, batch, g.dt, rg),
      ])
    }
  } else if (k === 2) {
    const vec = g.rng.chance(0.3) && batch.length === 0
    const m = g.rng.int(1, 2)
    const B = L(g, vec ? [n] : [...batch, n, m], 0.6)
    const left = !vec && g.rng.chance(0.3)
    const Bt = left ? L(g, [...batch, m, n], 0.6) : B
    put(
      'linalg.solve',
      'torch.linalg',
      'solve',
      [v(A), v(Bt)],
      vec ? [n] : left ? [...batch, m, n] : [...batch, n, m],
      left ? [['left', b(false)]] : [],
      A,
      Bt,
    )
  } else if (k === 3)
    put('linalg.cholesky', 'torch.linalg', 'cholesky', [v(A)], bn, g.rng.chance(0.3) ? [['upper', b(true)]] : [], A)
  else if (k === 4) {
    const mode = g.rng.pick(['reduced', 'complete', 'r'])
    const rg = rgOf(g, A)
    g.let('linalg.qr', call('torch.linalg', 'qr', [v(A)], mode === 'reduced' ? [] : [['mode', s(mode)]]), [
      res(g, mode === 'r' ? [0] : bn, g.dt, rg),
      res(g, bn, g.dt, rg),
    ])
  } else if (k === 5) put('linalg.svdvals', 'torch.linalg', 'svdvals', [v(A)], [...batch, n], [], A)
  else if (k === 6) {
    const kw: Kw = g.rng.chance(0.3) ? [['UPLO', s('U')]] : []
    put('linalg.eigvalsh', 'torch.linalg', 'eigvalsh', [v(A)], [...batch, n], kw, A)
  } else if (k === 7) {
    const ord = g.rng.pick<Arg>([s('fro'), s('nuc'), f(1), f(-1), f(2), f(-2), f(Infinity), f(-Infinity)])
    put('linalg.norm', 'torch.linalg', 'norm', [v(A)], batch, [['ord', ord]], A)
  } else if (k === 8) put('linalg.matrix_power', 'torch.linalg', 'matrix_power', [v(A), i(g.rng.int(-2, 3))], bn, [], A)
  else if (k === 9) put('linalg.matrix_exp', 'torch.linalg', 'matrix_exp', [v(A)], bn, [], A)
  else if (k === 10) {
    const up = g.rng.chance(0.5)
    const T = map(g, up ? 'triu' : 'tril', A, call(A, up ? 'triu' : 'tril'))
    const B = L(g, [...batch, n, 2], 0.6)
    const kw: Kw = [['upper', b(up)]]
    if (g.rng.chance(0.3)) kw.push(['unitriangular', b(true)])
    put('linalg.solve_triangular', 'torch.linalg', 'solve_triangular', [v(T), v(B)], [...batch, n, 2], kw, T, B)
  } else put('linalg.pinv', 'torch.linalg', 'pinv', [v(A)], bn, g.rng.chance(0.3) ? [['hermitian', b(false)]] : [], A)
}

const SPECIAL: ReadonlyArray<readonly [string, string, string]> = [
  ['torch', 'lgamma', 'raw'],
  ['torch', 'digamma', 'raw'],
  ['torch', 'erfinv', 'unit'],
  ['torch', 'sinc', 'raw'],
  ['torch', 'logit', 'prob'],
  ['torch.special', 'entr', 'raw'],
  ['torch.special', 'i0', 'raw'],
  ['torch.special', 'i0e', 'raw'],
  ['torch.special', 'i1', 'raw'],
  ['torch.special', 'i1e', 'raw'],
  ['torch.special', 'ndtr', 'raw'],
  ['torch.special', 'ndtri', 'prob'],
  ['torch.special', 'log_ndtr', 'raw'],
  ['torch.special', 'erfcx', 'raw'],
  ['torch.special', 'expit', 'raw'],
  ['torch.special', 'log1p', 'raw'],
  ['torch', 'erfc', 'raw'],
]

/** torch.special and friends at poles and edges: lgamma, digamma, polygamma, erfinv, logit(eps), sinc, xlogy, xlog1py, mvlgamma. */
export const special = (g: Gen): void => {
  const x = g.pickFloat() ?? L(g, g.randShape())
  const xi = g.info(x)
  const k = g.rng.int(0, 5)
  if (k <= 2) {
    const [recv, name, dom] = g.rng.pick(SPECIAL)
    const inp =
      dom === 'raw' ? x : map(g, dom === 'unit' ? 'tanh' : 'sigmoid', x, call(x, dom === 'unit' ? 'tanh' : 'sigmoid'))
    g.let(`${recv}.${name}`, call(recv, name, [v(inp)]), res(g, xi.shape, xi.dtype, xi.rg))
  } else if (k === 3) {
    const eps = g.rng.chance(0.6) ? [f(g.rng.pick([0.25, 0.125, 0]))] : []
    g.let('logit', call(x, 'logit', eps), res(g, xi.shape, xi.dtype, xi.rg))
  } else if (k === 4) {
    const name = g.rng.pick(['xlogy', 'xlog1py', 'polygamma'])
    if (name === 'polygamma') {
      g.let('polygamma', call('torch', 'polygamma', [i(g.rng.int(0, 2)), v(x)]), res(g, xi.shape, xi.dtype, xi.rg))
      return
    }
    const y = L(g, xi.shape, 0.6)
    g.let(`special.${name}`, call('torch.special', name, [v(x), v(y)]), res(g, xi.shape, xi.dtype, rgOf(g, x, y)))
  } else {
    const p = g.rng.int(1, 3)
    const a = map(g, 'abs', x, call(x, 'abs'))
    const sh = g.rng.chance(0.7) ? map(g, 'add', a, call(a, 'add', [f((p - 1) / 2 + 0.125)])) : a
    g.let('mvlgamma', call('torch', 'mvlgamma', [v(sh)], [['p', i(p)]]), res(g, xi.shape, xi.dtype, xi.rg))
  }
}

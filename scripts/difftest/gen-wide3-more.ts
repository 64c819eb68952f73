/**
 * More families of the `layers` program kind (gen-wide3.ts): the norm modules (BatchNorm1d/2d,
 * InstanceNorm1d, LayerNorm, GroupNorm) with affine / track_running_stats / momentum in train and
 * then eval mode, the pooling modules (MaxPool with return_indices then MaxUnpool, AvgPool with
 * ceil_mode / count_include_pad / divisor_override), weight_norm, and op forms the earlier
 * vocabularies never draw: index_reduce with include_self, torch.angle / torch.real, arange and
 * randint with keywords, sparse COO tensors. Optimizer and scheduler options are OPTS3 / SCHEDS3.
 */
import type { Arg } from './program'
import { type Gen, b, call, f, i, ints, v } from './gen-state'
import { res } from './gen-ops'
import type { Kw } from './gen-wide'
import { outLen } from './gen-wide-spatial'
import { call1, input, item, module, small } from './gen-wide3'

const s = (x: string): Arg => ({ t: 'str', v: x })
const dtArg = (g: Gen): Arg => ({ t: 'dtype', v: g.dt })
const intT = (g: Gen, shape: ReadonlyArray<number>, lo: number, hi: number): string => {
  const build = (d: number): unknown =>
    d === shape.length ? g.rng.int(lo, hi) : Array.from({ length: shape[d] as number }, () => build(d + 1))
  return g.let(
    'tensor',
    call('torch', 'tensor', [{ t: 'data', v: build(0) } as Arg], [['dtype', { t: 'dtype', v: 'int64' }]]),
    {
      shape: [...shape],
      dtype: 'int64',
      rg: false,
      leaf: true,
    },
  )[0] as string
}
const attr = (g: Gen, m: string, name: string, shape: ReadonlyArray<number>, dtype = g.dt): string =>
  g.let(`.${name}`, { e: 'attr', recv: m, name }, res(g, shape, dtype, false))[0] as string

/** A norm module called in train mode, its running statistics recorded, then called again in eval mode. */
export const normLayer = (g: Gen): void => {
  const lo = g.tidy ? 3 : 2
  const [N, C, Ln] = [g.rng.int(lo, 4), g.rng.int(1, 3), g.rng.int(lo, 4)]
  const cls = g.rng.pick(['BatchNorm1d', 'BatchNorm1d', 'BatchNorm2d', 'InstanceNorm1d', 'LayerNorm', 'GroupNorm'])
  const kw: Kw = []
  let shape: number[]
  let args: Arg[] = [i(C)]
  let pshape = [C]
  let affine = true
  let stats = false
  if (cls.startsWith('BatchNorm') || cls === 'InstanceNorm1d') {
    const inst = cls === 'InstanceNorm1d'
    shape = cls === 'BatchNorm2d' ? [N, C, Ln, 2] : inst || g.rng.chance(0.5) ? [N, C, Ln] : [N, C]
    if (inst && g.rng.chance(0.3)) shape = [C, Ln]
    affine = inst ? g.rng.chance(0.5) : g.rng.chance(0.8)
    stats = inst ? g.rng.chance(0.5) : g.rng.chance(0.8)
    if (affine !== !inst) kw.push(['affine', b(affine)])
    if (stats === inst) kw.push(['track_running_stats', b(stats)])
    if (g.rng.chance(0.4)) kw.push(['momentum', g.rng.chance(0.5) ? { t: 'none' } : f(0.5)])
  } else if (cls === 'LayerNorm') {
    shape = g.rng.chance(0.5) ? [N, C + 1] : [N, Ln, C + 1]
    pshape = g.rng.chance(0.7) || shape.length === 2 ? [C + 1] : shape.slice(1)
    args = [ints(pshape)]
    affine = g.rng.chance(0.8)
    if (!affine) kw.push(['elementwise_affine', b(false)])
  } else {
    const G = g.rng.pick([1, C])
    shape = [N, C, Ln]
    args = [i(G), i(C)]
    affine = g.rng.chance(0.8)
    if (!affine) kw.push(['affine', b(false)])
  }
  if (g.rng.chance(0.3)) kw.push(['eps', f(g.rng.pick([0.5, 0.001]))])
  const m = module(
    g,
    cls,
    args,
    kw,
    affine
      ? [
          ['weight', pshape],
          ['bias', pshape],
        ]
      : [],
  )
  const x = input(g, shape)
  g.rec(call1(g, `${cls}()`, m, [v(x)], shape, true))
  if (stats) {
    g.rec(attr(g, m, 'running_mean', [C]))
    g.rec(attr(g, m, 'running_var', [C]))
    g.rec(attr(g, m, 'num_batches_tracked', [], 'int64'))
  }
  g.run('eval', call(m, 'eval'))
  const x2 = g.rng.chance(0.5) ? x : input(g, shape, 0.5)
  g.rec(call1(g, `${cls}(eval)`, m, [v(x2)], shape, true))
}

/** MaxPool1d/2d (dilation, ceil_mode, return_indices, then MaxUnpool) and AvgPool1d/2d (count_include_pad, divisor_override). */
export const poolLayer = (g: Gen): void => {
  const two = g.rng.chance(0.4)
  const [N, C, H, W] = [g.rng.int(1, 2), g.rng.int(1, 2), g.rng.int(2, 6), g.rng.int(2, 5)]
  const K = g.rng.int(1, 3)
  const st = g.rng.pick([K, 1, 2])
  const p = g.rng.int(0, Math.floor(K / 2))
  const ceil = g.rng.chance(0.4)
  const kw: Kw = []
  if (st !== K || g.rng.chance(0.3)) kw.push(['stride', i(st)])
  if (p > 0) kw.push(['padding', i(p)])
  if (ceil) kw.push(['ceil_mode', b(true)])
  const batched = g.rng.chance(0.8)
  const nb = batched ? [N] : []
  const x = input(g, two ? [...nb, C, H, W] : [...nb, C, H])
  const max = g.rng.chance(0.5)
  const d = max && g.rng.chance(0.3) ? 2 : 1
  const o = (n: number): number => outLen(n, K, st, p, d, ceil)
  const sh = two ? [...nb, C, o(H), o(W)] : [...nb, C, o(H)]
  if (sh.some((n) => n <= 0)) return
  if (max) {
    if (d > 1) kw.push(['dilation', i(d)])
    const idx = g.rng.chance(0.5)
    if (idx) kw.push(['return_indices', b(true)])
    const cls = two ? 'MaxPool2d' : 'MaxPool1d'
    const m = module(g, cls, [i(K)], kw, [], false)
    if (!idx) return void g.rec(call1(g, `${cls}()`, m, [v(x)], sh, true))
    const r = g.obj(`${cls}()`, { e: 'apply', recv: m, args: [v(x)] }, 'r')
    const y = item(g, r, 0, sh, true)
    const ix = item(g, r, 1, sh, false, 'int64')
    g.rec(y)
    g.rec(ix)
    if (d > 1 || ceil) return
    const ukw: Kw = kw.filter(([n]) => n === 'stride' || n === 'padding')
    const u = module(g, two ? 'MaxUnpool2d' : 'MaxUnpool1d', [i(K)], ukw, [], false)
    const back = (on: number): number => (on - 1) * st - 2 * p + K
    const ush = two ? [...nb, C, back(o(H)), back(o(W))] : [...nb, C, back(o(H))]
    if (ush.some((n) => n <= 0)) return
    g.rec(call1(g, 'MaxUnpool()', u, [v(y), v(ix)], ush, true))
    return
  }
  if (g.rng.chance(0.4)) kw.push(['count_include_pad', b(false)])
  if (two && g.rng.chance(0.3)) kw.push(['divisor_override', i(g.rng.int(1, 3))])
  const cls = two ? 'AvgPool2d' : 'AvgPool1d'
  const m = module(g, cls, [i(K)], kw, [], false)
  g.rec(call1(g, `${cls}()`, m, [v(x)], sh, true))
}

/** torch.nn.utils.weight_norm on a Linear (weight_g / weight_v parameters), dim 0, 1 or None. */
export const weightNorm = (g: Gen): void => {
  const [inF, outF, N] = [g.rng.int(1, 3), g.rng.int(1, 3), g.rng.int(1, 3)]
  const dim = g.rng.pick([0, 0, 1, null])
  const lin = call('torch.nn', 'Linear', [i(inF), i(outF)], [['dtype', dtArg(g)]])
  const kw: Kw = dim === 0 ? [] : [['dim', dim === null ? { t: 'none' } : i(dim)]]
  const m = g.obj('weight_norm', call('torch.nn.utils', 'weight_norm', [{ t: 'expr', v: lin }], kw), 'm')
  const gshape = dim === null ? [] : dim === 0 ? [outF, 1] : [1, inF]
  const params: Array<readonly [string, number[]]> = [
    ['weight_g', gshape],
    ['weight_v', [outF, inF]],
    ['bias', [outF]],
  ]
  g.noGrad(() => {
    for (const [p, shape] of params) {
      const data = { t: 'expr', v: call('torch', 'tensor', [{ t: 'data', v: small(g, shape) }], [['dtype', dtArg(g)]]) }
      g.run('copy_', call(`${m}.${p}`, 'copy_', [data as Arg]))
    }
  }, 'init')
  for (const [p, shape] of params) {
    const [w] = g.let(`.${p}`, { e: 'attr', recv: m, name: p }, { shape, dtype: g.dt, rg: true, leaf: true })
    g.leaves.push(w as string)
  }
  const x = input(g, [N, inF])
  g.rec(call1(g, 'weight_norm()', m, [v(x)], [N, outF], true))
}

/** index_reduce (prod/mean/amax/amin, include_self), angle/real, arange/randint keywords, sparse COO to_dense. */
export const extraOps = (g: Gen): void => {
  const k = g.rng.int(0, 4)
  if (k <= 1) {
    const shape = [g.rng.int(2, 4), g.rng.int(1, 3)]
    const dim = g.rng.int(0, 1)
    const x = input(g, shape)
    const n = g.rng.int(1, 4)
    const idx = intT(g, [n], 0, (shape[dim] as number) - 1)
    const src = input(
      g,
      shape.map((m, j) => (j === dim ? n : m)),
      0.6,
    )
    const kw: Kw = g.rng.chance(0.5) ? [['include_self', b(false)]] : []
    const red = g.rng.pick(['prod', 'mean', 'amax', 'amin'])
    const ip = g.rng.chance(0.3)
    const base = ip ? (g.let('clone', call(x, 'clone'), res(g, shape, g.dt, g.info(x).rg))[0] as string) : x
    const args = [i(dim), v(idx), v(src), s(red)]
    g.let(
      ip ? 'index_reduce_' : 'index_reduce',
      call(base, ip ? 'index_reduce_' : 'index_reduce', args, kw),
      res(g, shape, g.dt, true),
    )
  } else if (k === 2) {
    const x = input(g, [g.rng.int(1, 4)])
    const name = g.rng.pick(['angle', 'real', 'angle'])
    g.let(`torch.${name}`, call('torch', name, [v(x)]), res(g, g.info(x).shape, g.dt, name === 'real' || g.info(x).rg))
  } else if (k === 3) {
    const n = g.rng.int(1, 4)
    const x = input(g, [g.rng.int(1, 2), n])
    const form = g.rng.int(0, 3)
    const a =
      form === 0
        ? call('torch', 'arange', [i(n)], [['dtype', dtArg(g)]])
        : form === 1
          ? call('torch', 'arange', [i(1), i(n + 1)], [['dtype', dtArg(g)]])
          : form === 2
            ? call('torch', 'arange', [f(0.5), f(0.5 + n * 0.25), f(0.25)], [['dtype', dtArg(g)]])
            : call('torch', 'randint', [i(2), i(3), ints([n])], [['dtype', dtArg(g)]])
    const [r] = g.let(form === 3 ? 'torch.randint' : 'torch.arange', a, res(g, [n], g.dt, false))
    g.rec(r as string)
    g.let('mul', call(x, 'mul', [v(r as string)]), res(g, g.info(x).shape, g.dt, g.info(x).rg))
  } else {
    const [R, Cc, nnz] = [g.rng.int(2, 3), g.rng.int(2, 3), g.rng.int(1, 4)]
    const ix = intT(g, [2, nnz], 0, 1)
    const vals = input(g, [nnz])
    const [sp] = g.let('torch.sparse_coo_tensor', call('torch', 'sparse_coo_tensor', [v(ix), v(vals), ints([R, Cc])]), {
      shape: [R, Cc],
      dtype: g.dt,
      rg: g.info(vals).rg,
      leaf: !g.info(vals).rg,
      opaque: true,
    })
    const co = g.rng.chance(0.4)
    const src = co ? (g.let('coalesce', call(sp as string, 'coalesce'), { ...g.info(sp as string) })[0] as string) : sp
    g.let('to_dense', call(src as string, 'to_dense'), res(g, [R, Cc], g.dt, g.info(vals).rg))
  }
}

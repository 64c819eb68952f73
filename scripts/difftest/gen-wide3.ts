/**
 * The `layers` program kind of seeds WIDE3_SEED to WIDE3_END (generate.ts): nn modules built with
 * their keyword options and called as real programs call them — Conv1d/Conv2d (groups, dilation,
 * padding 'same'/'valid', padding_mode), ConvTranspose1d/2d (output_padding), RNN/LSTM/GRU
 * (batch_first, bidirectional, proj_size, num_layers, dropout=0, h0), MultiheadAttention (masks,
 * kdim/vdim, add_bias_kv, add_zero_attn, batch_first, need_weights, average_attn_weights),
 * TransformerEncoderLayer (norm_first, activation, masks), Embedding (padding_idx, max_norm,
 * scale_grad_by_freq), the norm modules with affine/track_running_stats in train and then eval
 * mode, and the pooling modules (ceil_mode, count_include_pad, return_indices). Every parameter
 * gets fixed data (PyTorch's random init is not reproduced) and is a leaf whose `.grad` is compared.
 */
import type { Arg, Data } from './program'
import { type Gen, b, call, f, i, v } from './gen-state'
import { res } from './gen-ops'
import type { Kw } from './gen-wide'

const s = (x: string): Arg => ({ t: 'str', v: x })
const dtArg = (g: Gen): Arg => ({ t: 'dtype', v: g.dt })
type Params = ReadonlyArray<readonly [string, ReadonlyArray<number>]>

/** Data in multiples of 1/16 in [-0.5, 0.5] (exact in float32; small enough not to saturate). */
const small = (g: Gen, shape: ReadonlyArray<number>): Data => {
  const build = (d: number): Data =>
    d === shape.length ? g.rng.int(-8, 8) / 16 : Array.from({ length: shape[d] as number }, () => build(d + 1))
  return build(0)
}

/** A float leaf with small data (requires grad with probability `p`). */
const input = (g: Gen, shape: ReadonlyArray<number>, p = 0.8): string => {
  const rg = g.rng.chance(p)
  const kw: Kw = [['dtype', dtArg(g)]]
  if (rg) kw.push(['requires_grad', b(true)])
  const [x] = g.let('tensor', call('torch', 'tensor', [{ t: 'data', v: small(g, shape) }], kw), {
    shape: [...shape],
    dtype: g.dt,
    rg,
    leaf: true,
  })
  if (rg) g.leaves.push(x as string)
  return x as string
}

/** A module `torch.nn.<cls>(args, kw)` with fixed data in each parameter; the parameters become compared leaves. */
const module = (g: Gen, cls: string, args: ReadonlyArray<Arg>, kw: Kw, params: Params, dtype = true): string => {
  const m = g.obj(`nn.${cls}`, call('torch.nn', cls, args, dtype ? [...kw, ['dtype', dtArg(g)]] : kw), 'm')
  if (params.length > 0)
    g.noGrad(() => {
      for (const [p, shape] of params) {
        const data = {
          t: 'expr',
          v: call('torch', 'tensor', [{ t: 'data', v: small(g, shape) }], [['dtype', dtArg(g)]]),
        }
        g.run('copy_', call(`${m}.${p}`, 'copy_', [data as Arg]))
      }
    }, 'init')
  for (const [p, shape] of params) {
    const [w] = g.let(
      `.${p}`,
      { e: 'attr', recv: m, name: p },
      { shape: [...shape], dtype: g.dt, rg: true, leaf: true },
    )
    g.leaves.push(w as string)
  }
  return m
}

/** `y = m(args)` (a forward call with keywords is `m.forward(args, kw)`: see `forward`). */
const call1 = (
  g: Gen,
  op: string,
  m: string,
  args: ReadonlyArray<Arg>,
  shape: ReadonlyArray<number>,
  rg: boolean,
): string => g.let(op, { e: 'apply', recv: m, args }, res(g, shape, g.dt, rg))[0] as string

/** `r = m.forward(args, kw)`: a tuple-returning call, kept as an object and read with `r[k]`. */
const forward = (g: Gen, op: string, m: string, args: ReadonlyArray<Arg>, kw: Kw): string =>
  g.obj(op, call(m, 'forward', args, kw), 'r')

const item = (g: Gen, r: string, k: number, shape: ReadonlyArray<number>, rg: boolean, dtype = g.dt): string =>
  g.let(`${r.replace(/\d+/g, '')}[${k}]`, { e: 'item', recv: r, k }, res(g, shape, dtype, rg))[0] as string

const convOut = (n: number, k: number, st: number, p: number, d: number): number =>
  Math.floor((n + 2 * p - d * (k - 1) - 1) / st) + 1

/** Conv1d/Conv2d modules (padding_mode, 'same'/'valid', groups, dilation) and ConvTranspose1d/2d (output_padding). */
export const convLayer = (g: Gen): void => {
  const grp = g.rng.pick([1, 1, 2])
  const [Cin, Cout, N] = [grp * g.rng.int(1, 2), grp * g.rng.int(1, 2), g.rng.int(1, 2)]
  const two = g.rng.chance(0.4)
  const tr = g.rng.chance(0.3)
  const K = g.rng.int(1, 3)
  const dil = g.rng.pick([1, 1, 2])
  const st = g.rng.pick([1, 1, 2])
  const Ln = g.rng.int(Math.max(3, dil * (K - 1) + 1), 6)
  const W = two ? g.rng.int(Math.max(3, dil * (K - 1) + 1), 4) : 0
  const batched = !two || g.rng.chance(0.8)
  const kw: Kw = []
  if (st !== 1) kw.push(['stride', i(st)])
  if (dil !== 1) kw.push(['dilation', i(dil)])
  if (grp !== 1) kw.push(['groups', i(grp)])
  const bias = g.rng.chance(0.75)
  if (!bias) kw.push(['bias', b(false)])
  const ks = two ? [K, K] : [K]
  const bp: Params = bias ? [['bias', [Cout]]] : []
  const x = input(g, [...(batched ? [N] : []), Cin, Ln, ...(two ? [W] : [])])
  const nb = batched ? [N] : []
  if (tr) {
    const pad = g.rng.int(0, 1)
    if (pad > 0) kw.push(['padding', i(pad)])
    const op = Math.max(st, dil) > 1 && g.rng.chance(0.5) ? 1 : 0
    if (op > 0) kw.push(['output_padding', i(op)])
    const o = (n: number): number => (n - 1) * st - 2 * pad + dil * (K - 1) + op + 1
    const cls = two ? 'ConvTranspose2d' : 'ConvTranspose1d'
    const m = module(g, cls, [i(Cin), i(Cout), i(K)], kw, [['weight', [Cin, Cout / grp, ...ks]], ...bp])
    call1(g, `${cls}()`, m, [v(x)], [...nb, Cout, o(Ln), ...(two ? [o(W)] : [])], true)
    return
  }
  let pad = 0
  let same = false
  const pr = g.rng.next()
  if (st === 1 && pr < 0.3) {
    kw.push(['padding', s('same')])
    same = true
  } else if (pr < 0.4) kw.push(['padding', s('valid')])
  else if (pr < 0.8) kw.push(['padding', i((pad = g.rng.int(1, 2)))])
  const mode = pad > 0 || same ? g.rng.pick(['zeros', 'reflect', 'replicate', 'circular']) : 'zeros'
  if (mode !== 'zeros' || g.rng.chance(0.1)) kw.push(['padding_mode', s(mode)])
  const o = (n: number): number => (same ? n : convOut(n, K, st, pad, dil))
  if (o(Ln) <= 0 || (two && o(W) <= 0)) return
  const cls = two ? 'Conv2d' : 'Conv1d'
  const m = module(g, cls, [i(Cin), i(Cout), i(K)], kw, [['weight', [Cout, Cin / grp, ...ks]], ...bp])
  call1(g, `${cls}()`, m, [v(x)], [...nb, Cout, o(Ln), ...(two ? [o(W)] : [])], true)
}

/** RNN/LSTM/GRU with batch_first, bidirectional, num_layers, proj_size, bias, dropout=0 and an optional h0. */
export const rnnLayer = (g: Gen): void => {
  const cls = g.rng.pick(['RNN', 'LSTM', 'GRU'])
  const gates = cls === 'LSTM' ? 4 : cls === 'GRU' ? 3 : 1
  const [I, H, T, N] = [g.rng.int(1, 3), g.rng.int(2, 3), g.rng.int(1, 3), g.rng.int(1, 2)]
  const layers = g.rng.pick([1, 1, 2])
  const D = g.rng.chance(0.4) ? 2 : 1
  const bf = g.rng.chance(0.4)
  const P = cls === 'LSTM' && g.rng.chance(0.3) ? 1 : 0
  const bias = g.rng.chance(0.8)
  const kw: Kw = []
  if (layers > 1) kw.push(['num_layers', i(layers)])
  if (!bias) kw.push(['bias', b(false)])
  if (bf) kw.push(['batch_first', b(true)])
  if (D === 2) kw.push(['bidirectional', b(true)])
  if (P > 0) kw.push(['proj_size', i(P)])
  if (g.rng.chance(0.2)) kw.push(['dropout', f(0)])
  if (cls === 'RNN' && g.rng.chance(0.4)) kw.push(['nonlinearity', s('relu')])
  const Hout = P > 0 ? P : H
  const params: Array<readonly [string, number[]]> = []
  for (let l = 0; l < layers; l++)
    for (const sfx of D === 2 ? ['', '_reverse'] : ['']) {
      const inF = l === 0 ? I : D * Hout
      params.push([`weight_ih_l${l}${sfx}`, [gates * H, inF]], [`weight_hh_l${l}${sfx}`, [gates * H, Hout]])
      if (bias) params.push([`bias_ih_l${l}${sfx}`, [gates * H]], [`bias_hh_l${l}${sfx}`, [gates * H]])
      if (P > 0) params.push([`weight_hr_l${l}${sfx}`, [P, H]])
    }
  const m = module(g, cls, [i(I), i(H)], kw, params)
  const batched = g.rng.chance(0.85)
  const x = input(g, batched ? (bf ? [N, T, I] : [T, N, I]) : [T, I])
  const nb = batched ? [N] : []
  const args: Arg[] = [v(x)]
  if (g.rng.chance(0.4)) {
    const h0 = input(g, [D * layers, ...nb, Hout], 0.5)
    if (cls === 'LSTM') {
      const c0 = input(g, [D * layers, ...nb, H], 0.5)
      args.push({ t: 'tuple', v: [v(h0), v(c0)] })
    } else args.push(v(h0))
  }
  const r = g.obj(`${cls}()`, { e: 'apply', recv: m, args }, 'r')
  const out = item(g, r, 0, batched ? (bf ? [N, T, D * Hout] : [T, N, D * Hout]) : [T, D * Hout], true)
  g.rec(out)
  if (cls === 'LSTM') {
    const hc = item(g, r, 1, [], false)
    g.vars.set(hc, { shape: [], dtype: g.dt, rg: false, leaf: true, opaque: true })
    g.rec(item(g, hc, 0, [D * layers, ...nb, Hout], true))
    g.rec(item(g, hc, 1, [D * layers, ...nb, H], true))
  } else g.rec(item(g, r, 1, [D * layers, ...nb, Hout], true))
  g.rec(out)
}

/** Masks that never hide a whole row: a causal `[L, S]` mask (bool or float) and a key padding mask hiding the last key. */
const masks = (g: Gen, L: number, S: number, N: number | null, kw: Kw, prefix: '' | 'src_'): void => {
  if (g.rng.chance(0.4)) {
    const bool = g.rng.chance(0.6)
    const rows = Array.from({ length: L }, (_, r) =>
      Array.from({ length: S }, (_, c) => (bool ? c > r : c > r ? -1.5 : c === r ? 0.25 : 0)),
    )
    const [am] = g.let(
      'tensor',
      call('torch', 'tensor', [{ t: 'data', v: rows }], [['dtype', bool ? { t: 'dtype', v: 'bool' } : dtArg(g)]]),
      { shape: [L, S], dtype: bool ? 'bool' : g.dt, rg: false, leaf: true },
    )
    kw.push([prefix === '' ? 'attn_mask' : 'src_mask', v(am as string)])
  }
  if (S >= 2 && g.rng.chance(0.4)) {
    const rows = Array.from({ length: N ?? 1 }, (_, n) =>
      Array.from({ length: S }, (_, c) => c === S - 1 && n % 2 === 0),
    )
    const [km] = g.let(
      'tensor',
      call(
        'torch',
        'tensor',
        [{ t: 'data', v: N === null ? (rows[0] as boolean[]) : rows }],
        [['dtype', { t: 'dtype', v: 'bool' }]],
      ),
      { shape: N === null ? [S] : [N, S], dtype: 'bool', rg: false, leaf: true },
    )
    kw.push([prefix === '' ? 'key_padding_mask' : 'src_key_padding_mask', v(km as string)])
  }
}

/** MultiheadAttention with kdim/vdim, add_bias_kv, add_zero_attn, batch_first, masks, need_weights, average_attn_weights. */
export const mhaLayer = (g: Gen): void => {
  const heads = g.rng.pick([1, 2])
  const E = heads * g.rng.int(1, 2)
  const [L, S, N] = [g.rng.int(1, 3), g.rng.int(2, 3), g.rng.int(1, 2)]
  const kd = g.rng.chance(0.3) ? g.rng.int(1, 3) : E
  const vd = kd !== E && g.rng.chance(0.5) ? g.rng.int(1, 3) : kd
  const bias = g.rng.chance(0.8)
  const bf = g.rng.chance(0.4)
  const bkv = g.rng.chance(0.2)
  const kw: Kw = []
  if (!bias) kw.push(['bias', b(false)])
  if (bkv) kw.push(['add_bias_kv', b(true)])
  if (g.rng.chance(0.15)) kw.push(['add_zero_attn', b(true)])
  if (kd !== E) kw.push(['kdim', i(kd)])
  if (vd !== E) kw.push(['vdim', i(vd)])
  if (bf) kw.push(['batch_first', b(true)])
  if (g.rng.chance(0.2)) kw.push(['dropout', f(0)])
  const same = kd === E && vd === E
  const params: Array<readonly [string, number[]]> = same
    ? [['in_proj_weight', [3 * E, E]]]
    : [
        ['q_proj_weight', [E, E]],
        ['k_proj_weight', [E, kd]],
        ['v_proj_weight', [E, vd]],
      ]
  if (bias) params.push(['in_proj_bias', [3 * E]])
  params.push(['out_proj.weight', [E, E]])
  if (bias) params.push(['out_proj.bias', [E]])
  if (bkv) params.push(['bias_k', [1, 1, E]], ['bias_v', [1, 1, E]])
  const m = module(g, 'MultiheadAttention', [i(E), i(heads)], kw, params)
  const batched = g.rng.chance(0.85) && !bkv
  const seq = (n: number, d: number): number[] => (batched ? (bf ? [N, n, d] : [n, N, d]) : [n, d])
  const q = input(g, seq(L, E))
  const selfAttn = same && S === L && g.rng.chance(0.3)
  const k = selfAttn ? q : input(g, seq(S, kd), 0.6)
  const val = selfAttn ? q : input(g, seq(S, vd), 0.6)
  const fkw: Kw = []
  // add_bias_kv / add_zero_attn lengthen the keys, so masks would need S+1 columns: none then
  if (!bkv && !kw.some(([n]) => n === 'add_zero_attn')) masks(g, L, S, batched ? N : null, fkw, '')
  const need = g.rng.chance(0.7)
  if (!need || g.rng.chance(0.2)) fkw.push(['need_weights', b(need)])
  const avg = !need || g.rng.chance(0.7)
  if (!avg) fkw.push(['average_attn_weights', b(false)])
  const r = forward(g, 'MultiheadAttention()', m, [v(q), v(k), v(val)], fkw)
  g.rec(item(g, r, 0, seq(L, E), true))
  const Sx = S + (bkv ? 1 : 0) + (kw.some(([n]) => n === 'add_zero_attn') ? 1 : 0)
  const wShape = [...(batched ? [N] : []), ...(avg ? [] : [heads]), L, Sx]
  const w = item(g, r, 1, wShape, need)
  if (!need) g.vars.set(w, { ...g.info(w), opaque: true })
  g.rec(w)
}

/** TransformerEncoderLayer (dropout 0, norm_first, activation, batch_first, layer_norm_eps, masks). */
export const encoderLayer = (g: Gen): void => {
  const heads = g.rng.pick([1, 2])
  const E = heads * g.rng.int(1, 2)
  const Fd = g.rng.int(2, 4)
  const [T, N] = [g.rng.int(1, 3), g.rng.int(1, 2)]
  const bf = g.rng.chance(0.4)
  const kw: Kw = [
    ['dim_feedforward', i(Fd)],
    ['dropout', f(0)],
  ]
  if (g.rng.chance(0.5)) kw.push(['norm_first', b(true)])
  if (g.rng.chance(0.4)) kw.push(['activation', s('gelu')])
  if (bf) kw.push(['batch_first', b(true)])
  if (g.rng.chance(0.3)) kw.push(['layer_norm_eps', f(0.001)])
  const m = module(g, 'TransformerEncoderLayer', [i(E), i(heads)], kw, [
    ['self_attn.in_proj_weight', [3 * E, E]],
    ['self_attn.in_proj_bias', [3 * E]],
    ['self_attn.out_proj.weight', [E, E]],
    ['self_attn.out_proj.bias', [E]],
    ['linear1.weight', [Fd, E]],
    ['linear1.bias', [Fd]],
    ['linear2.weight', [E, Fd]],
    ['linear2.bias', [E]],
    ['norm1.weight', [E]],
    ['norm1.bias', [E]],
    ['norm2.weight', [E]],
    ['norm2.bias', [E]],
  ])
  // LayerNorm over one feature is mathematically constant: its gradient is rounding noise
  if (E < 2 && g.tidy) return
  const shape = bf ? [N, T, E] : [T, N, E]
  const x = input(g, shape)
  const fkw: Kw = []
  masks(g, T, T, N, fkw, 'src_')
  const y = g.let('TransformerEncoderLayer()', call(m, 'forward', [v(x)], fkw), res(g, shape, g.dt, true))[0]
  g.rec(y as string)
}

/** Embedding with padding_idx, max_norm (renormalises the weight in place), norm_type, scale_grad_by_freq. */
export const embeddingLayer = (g: Gen): void => {
  const [num, dim] = [g.rng.int(2, 5), g.rng.int(1, 3)]
  const kw: Kw = []
  if (g.rng.chance(0.5)) kw.push(['padding_idx', i(g.rng.pick([0, num - 1, -1]))])
  if (g.rng.chance(0.3)) {
    kw.push(['max_norm', f(g.rng.pick([0.5, 0.25]))])
    if (g.rng.chance(0.5)) kw.push(['norm_type', f(g.rng.pick([1, 3]))])
  }
  if (g.rng.chance(0.3)) kw.push(['scale_grad_by_freq', b(true)])
  const m = module(g, 'Embedding', [i(num), i(dim)], kw, [['weight', [num, dim]]])
  const shape = g.rng.pick([[3], [2, 3], [1, 4]])
  const [idx] = g.let(
    'tensor',
    call(
      'torch',
      'tensor',
      [{ t: 'data', v: g.data(shape, 'int64', num - 1) }],
      [['dtype', { t: 'dtype', v: 'int64' }]],
    ),
    { shape, dtype: 'int64', rg: false, leaf: true },
  )
  call1(g, 'Embedding()', m, [v(idx as string)], [...shape, dim], true)
  const [w] = g.let(
    '.weight',
    { e: 'attr', recv: m, name: 'weight' },
    { shape: [num, dim], dtype: g.dt, rg: true, leaf: true },
  )
  g.rec(w as string)
}

export { call1, forward, input, item, module, small, type Params }

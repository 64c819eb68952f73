/**
 * The seeded generator of facade programs: `generate(seed)` always gives the same program. Kinds:
 * `ops` (random op chains ending in a backward), `penalty` (a create_graph gradient penalty),
 * `nn` (Linear + loss + SGD/Adam steps) and `invalid` (an op chain with one deliberate error).
 *
 * Run `npx tsx scripts/difftest/generate.ts 7` to print program 7 as Python and as TypeScript.
 */
import { type Gen as GenT, Gen, b, call, f, i, v } from './gen-state'
import { invalid } from './gen-invalid'
import * as ops from './gen-ops'
import { more } from './gen-ops-more'
import { type Arg, type Program, emitJs, emitPy } from './program'
import { activations, losses, norms } from './gen-wide'
import { convs, interp, linalg, pools, special } from './gen-wide-spatial'
import { optimProgram } from './gen-wide-nn'
import { convLayer, embeddingLayer, encoderLayer, mhaLayer, rnnLayer } from './gen-wide3'
import { extraOps, normLayer, poolLayer, weightNorm } from './gen-wide3-more'
import { OPTS3, SCHEDS3 } from './gen-wide3-optim'
import { autogradError, backwardApi, gradApi, hooks, moduleHooks, savedHooks } from './gen-autograd'
import { checkpoint, customFunction, functional } from './gen-autograd-fn'
import { distProgram } from './gen-dist'
import { fftProgram } from './gen-fft'

/**
 * Seeds in [WIDE_SEED, WIDE_END) draw the wide kinds (`wide`: the op chains of `ops` mixed with
 * losses, norms, activations, convolutions, pooling, interpolation, linalg and special functions;
 * `optim`: optimizers and schedulers); every other seed keeps the program it always had (the
 * corpus starts at CORPUS_SEED = WIDE_END, corpus.ts).
 */
export const WIDE_SEED = 400_000
/** Seeds from here on avoid rounding-level gradients that optimizers amplify (Gen.tidy). */
export const TIDY_SEED = 410_000
const WIDE_END = 1_000_000
/**
 * Seeds in [WIDE3_SEED, WIDE3_END) draw the `layers` kinds (gen-wide3*.ts: nn modules with their
 * keyword options, index_reduce, angle/real, arange/randint keywords, sparse COO, weight_norm;
 * `optim3`: optimizer and scheduler options the `optim` kind never draws). Tidy like TIDY_SEED on.
 */
export const WIDE3_SEED = 420_000
const WIDE3_END = 422_000
/**
 * Seeds in [AUTOGRAD_SEED, AUTOGRAD_END) draw the `autograd` kind (gen-autograd*.ts: the autograd
 * API itself — autograd.grad, backward options, hooks, saved-tensor hooks, custom Functions,
 * autograd.functional, checkpoint and their errors).
 */
export const AUTOGRAD_SEED = 430_000
const AUTOGRAD_END = 432_000
/**
 * Seeds in [DIST_SEED, DIST_END) draw the `dist` kind (gen-dist*.ts: torch.distributions — log_prob,
 * cdf/icdf, entropy, moments, seeded samples, expand, kl_divergence, validate_args errors and the
 * parameters' gradients) and the `fft` kind (gen-fft.ts: torch.fft transforms and their gradients).
 */
export const DIST_SEED = 440_000
const DIST_END = 442_000

const step = (g: GenT): void => {
  const fam = g.rng.weighted<(g: GenT) => void>([
    [20, ops.unary],
    [22, ops.binary],
    [10, ops.reduce],
    [14, ops.view],
    [5, ops.softmaxLike],
    [6, ops.matmul],
    [5, ops.whereOp],
    [5, multi],
    [11, inplaceStep],
    [4, noGradBlock],
    [3, detach],
    [3, retain],
    [40, more],
  ])
  fam(g)
  const last = [...g.vars.keys()].pop()
  if (last !== undefined && g.rng.chance(0.45)) g.rec(last)
}

const multi = (g: GenT): void => {
  const outs = ops.multiView(g)
  for (const o of outs) if (g.rng.chance(0.5)) g.rec(o)
  const o = outs[0]
  // a multi-output view modified in place: PyTorch refuses it when it requires grad
  if (o !== undefined && g.rng.chance(0.15)) ops.inplace(g, o, g.rng.pick(['mul_', 'zero_', 'add_']))
}

const inplaceStep = (g: GenT): void => {
  const x = ops.inplaceTarget(g)
  if (x === null) return
  ops.inplace(g, x)
  g.rec(x)
}

const noGradBlock = (g: GenT): void =>
  g.noGrad(() => {
    const leaf = g.leaves.length > 0 && g.rng.chance(0.4) ? g.rng.pick(g.leaves) : null
    if (leaf !== null) ops.inplace(g, leaf, g.rng.pick(['add_', 'mul_', 'sub_', 'zero_', 'setitem']))
    else g.rng.pick([ops.unary, ops.binary, ops.view])(g)
    const last = [...g.vars.keys()].pop()
    if (last !== undefined) g.rec(last)
  })

const detach = (g: GenT): void => {
  const x = g.pickFloat()
  if (x === null) return
  const xi = g.info(x)
  const [d] = g.let('detach', call(x, 'detach'), { ...xi, shape: [...xi.shape], rg: false, leaf: true })
  // detach shares storage and version counter: modifying it can invalidate saved tensors
  if (g.rng.chance(0.3)) ops.inplace(g, d as string, g.rng.pick(['add_', 'zero_', 'mul_']))
  g.rec(d as string)
}

const retained: WeakMap<GenT, string[]> = new WeakMap()
const retain = (g: GenT): void => {
  const x = g.pickFloat((o) => o.rg && !o.leaf)
  if (x === null) return
  g.run('retain_grad', call(x, 'retain_grad'))
  retained.set(g, [...(retained.get(g) ?? []), x])
}

const leaves = (g: GenT): void => {
  const n = g.rng.int(1, 3)
  for (let k = 0; k < n; k++) g.leaf(g.randShape(), g.dt, k === 0 || g.rng.chance(0.5))
}

/** Reduces `x` to a scalar loss and calls backward (sometimes twice). */
const finish = (g: GenT): void => {
  const x = g.pickFloat((o) => o.rg)
  if (x === null) return
  const xi = g.info(x)
  const red = g.rng.pick(['sum', 'mean', 'pow2'])
  const expr = red === 'pow2' ? call(x, 'pow', [f(2)]) : call(x, red)
  let [loss] = g.let(red === 'pow2' ? 'pow' : red, expr, ops.res(g, red === 'pow2' ? xi.shape : [], xi.dtype, true))
  if (red === 'pow2') [loss] = g.let('sum', call(loss as string, 'sum'), ops.res(g, [], xi.dtype, true))
  g.rec(loss as string)
  const twice = g.rng.chance(0.15)
  const retainKw = twice && g.rng.chance(0.5) ? [['retain_graph', b(true)] as const] : []
  g.run('backward', call(loss as string, 'backward', retainKw.length > 0 ? [{ t: 'none' }] : [], retainKw))
  if (twice) g.run('backward(2nd)', call(loss as string, 'backward'))
  for (const r of retained.get(g) ?? []) {
    const [gr] = g.let('.grad', { e: 'attr', recv: r, name: 'grad' }, { ...g.info(r), leaf: true, rg: false })
    g.rec(gr as string)
  }
}

const opsProgram = (g: GenT): void => {
  leaves(g)
  const n = g.rng.int(2, 8)
  for (let k = 0; k < n; k++) step(g)
  finish(g)
}

/** A gradient penalty: `autograd.grad(..., create_graph=True)` or `backward(create_graph=True)`, then a backward through the gradient. */
const penaltyProgram = (g: GenT): void => {
  const x = g.leaf(g.randShape(2, 3), g.dt, true)
  const n = g.rng.int(1, 4)
  for (let k = 0; k < n; k++)
    g.rng.weighted([
      [3, ops.unary],
      [3, ops.binary],
      [1, ops.matmul],
      [1, ops.view],
      [1, ops.softmaxLike],
    ])(g)
  const y = g.pickFloat((o) => o.rg) ?? x
  const [out] = g.let('sum', call(y, 'sum'), ops.res(g, [], g.dt, true))
  const xi = g.info(x)
  let gx: string
  if (g.rng.chance(0.6)) {
    ;[gx] = g.let(
      'autograd.grad',
      call('torch.autograd', 'grad', [v(out as string), { t: 'list', v: [v(x)] }], [['create_graph', b(true)]]),
      [ops.res(g, xi.shape, g.dt, true)],
    ) as [string]
  } else {
    g.run('backward(create_graph)', call(out as string, 'backward', [{ t: 'none' }], [['create_graph', b(true)]]))
    ;[gx] = g.let('.grad', { e: 'attr', recv: x, name: 'grad' }, ops.res(g, xi.shape, g.dt, true)) as [string]
  }
  g.rec(gx)
  const [sq] = g.let('pow', call(gx, g.rng.pick(['square', 'abs', 'exp'])), ops.res(g, xi.shape, g.dt, true))
  const [pen] = g.let('sum', call(sq as string, 'sum'), ops.res(g, [], g.dt, true))
  g.rec(pen as string)
  g.run('backward(penalty)', call(pen as string, 'backward'))
  g.rec(gx)
}

const nnProgram = (g: GenT): void => {
  const [inF, outF, batch] = [g.rng.int(1, 4), g.rng.int(2, 4), g.rng.int(1, 3)]
  const dt = { t: 'dtype', v: g.dt } as const
  const m = g.obj('nn.Linear', call('torch.nn', 'Linear', [i(inF), i(outF)], [['dtype', dt]]), 'm')
  g.noGrad(() => {
    for (const [p, shape] of [
      ['weight', [outF, inF]],
      ['bias', [outF]],
    ] as const) {
      const data = {
        t: 'expr',
        v: call('torch', 'tensor', [{ t: 'data', v: g.data(shape, g.dt) }], [['dtype', dt]]),
      } as const
      g.run('copy_', call(`${m}.${p}`, 'copy_', [data]))
    }
  }, 'init')
  const [w] = g.let(
    '.weight',
    { e: 'attr', recv: m, name: 'weight' },
    { shape: [outF, inF], dtype: g.dt, rg: true, leaf: true },
  )
  const [bias] = g.let(
    '.bias',
    { e: 'attr', recv: m, name: 'bias' },
    { shape: [outF], dtype: g.dt, rg: true, leaf: true },
  )
  g.leaves.push(w as string, bias as string)
  const x = g.leaf([batch, inF])
  const ce = g.rng.chance(0.5)
  const tgt = ce ? g.leaf([batch], 'int64', false, outF - 1) : g.leaf([batch, outF])
  const kw: Array<readonly [string, Arg]> = []
  if (g.rng.chance(0.3)) kw.push(['reduction', { t: 'str', v: g.rng.pick(['sum', 'mean']) }])
  if (ce && g.rng.chance(0.3)) kw.push(['label_smoothing', f(0.25)])
  const lossFn = g.obj(
    ce ? 'nn.CrossEntropyLoss' : 'nn.MSELoss',
    call('torch.nn', ce ? 'CrossEntropyLoss' : 'MSELoss', [], kw),
    'l',
  )
  const params = { t: 'expr', v: call(m, 'parameters') } as const
  const adam = g.rng.chance(0.5)
  const okw: Array<readonly [string, Arg]> = [['lr', f(adam ? 0.125 : 0.5)]]
  if (!adam && g.rng.chance(0.5)) okw.push(['momentum', f(0.875)])
  if (g.rng.chance(0.3)) okw.push(['weight_decay', f(0.25)])
  if (adam && g.rng.chance(0.3)) okw.push(['amsgrad', b(true)])
  const opt = g.obj(adam ? 'optim.Adam' : 'optim.SGD', call('torch.optim', adam ? 'Adam' : 'SGD', [params], okw), 'o')
  const setToNone = g.rng.chance(0.5)
  for (let k = g.rng.int(1, 3); k > 0; k--) {
    g.run('zero_grad', call(opt, 'zero_grad', [], [['set_to_none', b(setToNone)]]))
    let [y] = g.let('Linear()', { e: 'apply', recv: m, args: [v(x)] }, ops.res(g, [batch, outF], g.dt, true))
    if (g.rng.chance(0.3)) [y] = g.let('tanh', call(y as string, 'tanh'), ops.res(g, [batch, outF], g.dt, true))
    const [loss] = g.let(
      'loss()',
      { e: 'apply', recv: lossFn, args: [v(y as string), v(tgt)] },
      ops.res(g, [], g.dt, true),
    )
    g.rec(loss as string)
    g.run('backward', call(loss as string, 'backward'))
    g.run('step', call(opt, 'step'))
    g.rec(w as string)
    g.rec(bias as string)
  }
}

const invalidProgram = (g: GenT): void => {
  leaves(g)
  const n = g.rng.int(0, 4)
  const at = g.rng.int(0, n)
  for (let k = 0; k <= n; k++) {
    if (k === at) invalid(g)
    else step(g)
  }
  finish(g)
}

const wideStep = (g: GenT): void => {
  g.rng.weighted<(g: GenT) => void>([
    [6, losses],
    [4, norms],
    [5, activations],
    [4, convs],
    [4, pools],
    [2, interp],
    [5, linalg],
    [4, special],
  ])(g)
  const last = [...g.vars.keys()].pop()
  if (last !== undefined && g.rng.chance(0.7)) g.rec(last)
}

const wideProgram = (g: GenT): void => {
  leaves(g)
  const n = g.rng.int(1, 6)
  for (let k = 0; k < n; k++) {
    if (g.rng.chance(0.6)) wideStep(g)
    else step(g)
  }
  finish(g)
}

const wideKind = (g: GenT): string => {
  const kind = g.rng.weighted([
    [75, 'wide'],
    [25, 'optim'],
  ])
  if (kind === 'optim') optimProgram(g)
  else wideProgram(g)
  return kind
}

const layerStep = (g: GenT): void => {
  g.rng.weighted<(g: GenT) => void>([
    [5, convLayer],
    [5, rnnLayer],
    [4, mhaLayer],
    [3, encoderLayer],
    [3, embeddingLayer],
    [5, normLayer],
    [4, poolLayer],
    [2, weightNorm],
    [5, extraOps],
  ])(g)
  const last = [...g.vars.keys()].pop()
  if (last !== undefined && g.rng.chance(0.7)) g.rec(last)
}

const layersKind = (g: GenT): string => {
  const kind = g.rng.weighted([
    [80, 'layers'],
    [20, 'optim3'],
  ])
  if (kind === 'optim3') {
    optimProgram(g, OPTS3, SCHEDS3)
    return kind
  }
  leaves(g)
  const n = g.rng.int(1, 4)
  for (let k = 0; k < n; k++) {
    if (g.rng.chance(0.7)) layerStep(g)
    else step(g)
  }
  finish(g)
  return kind
}

const autogradKind = (g: GenT): string => {
  const n = g.rng.chance(0.25) ? 2 : 1
  for (let k = 0; k < n; k++)
    g.rng.weighted<(g: GenT) => void>([
      [6, gradApi],
      [5, backwardApi],
      [4, autogradError],
      [4, hooks],
      [2, savedHooks],
      [3, moduleHooks],
      [6, customFunction],
      [5, functional],
      [3, checkpoint],
    ])(g)
  return 'autograd'
}

const distKind = (g: GenT): string => {
  const kind = g.rng.weighted([
    [70, 'dist'],
    [30, 'fft'],
  ])
  if (kind === 'fft') fftProgram(g)
  else distProgram(g)
  return kind
}

export const generate = (seed: number): Program => {
  const g = new Gen(seed, seed >= TIDY_SEED && seed < WIDE_END)
  if (seed >= DIST_SEED && seed < DIST_END) {
    const kind = distKind(g)
    return { seed, kind, vars: [...g.vars.keys(), ...g.objects], leaves: [...new Set(g.leaves)], body: g.body }
  }
  if (seed >= AUTOGRAD_SEED && seed < AUTOGRAD_END) {
    const kind = autogradKind(g)
    return { seed, kind, vars: [...g.vars.keys(), ...g.objects], leaves: [...new Set(g.leaves)], body: g.body }
  }
  if (seed >= WIDE3_SEED && seed < WIDE3_END) {
    const kind = layersKind(g)
    return { seed, kind, vars: [...g.vars.keys(), ...g.objects], leaves: [...new Set(g.leaves)], body: g.body }
  }
  if (seed >= WIDE_SEED && seed < WIDE_END) {
    const kind = wideKind(g)
    return { seed, kind, vars: [...g.vars.keys(), ...g.objects], leaves: [...new Set(g.leaves)], body: g.body }
  }
  const kind = g.rng.weighted([
    [70, 'ops'],
    [10, 'penalty'],
    [10, 'nn'],
    [10, 'invalid'],
  ])
  if (kind === 'penalty') penaltyProgram(g)
  else if (kind === 'nn') nnProgram(g)
  else if (kind === 'invalid') invalidProgram(g)
  else opsProgram(g)
  return { seed, kind, vars: [...g.vars.keys(), ...g.objects], leaves: [...new Set(g.leaves)], body: g.body }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const p = generate(Number(process.argv[2] ?? 0))
  console.log(`# kind: ${p.kind}\n${emitPy(p, { plain: true })}\n// ---\n${emitJs(p, { plain: true })}`)
}

/**
 * The `optim` program kind of seeds WIDE_SEED and above (generate.ts): an nn module (Linear, or a
 * Linear followed by LayerNorm / BatchNorm1d in train then eval mode), a loss, one of the
 * optimizers with its options (SGD momentum/dampening/nesterov/maximize, Adam/AdamW amsgrad,
 * RMSprop centered, Adagrad, Adadelta, Adamax, NAdam, RAdam) and sometimes an lr scheduler
 * (StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, OneCycleLR, LinearLR, ConstantLR),
 * comparing the parameters (and running statistics) after every step; the gradients entering each
 * step are recorded as context for explain-optim.ts (compare.ts STEP_GRADIENT, not compared).
 */
import type { Arg } from './program'
import { type Gen, b, call, f, i, ints, v } from './gen-state'
import { res } from './gen-ops'
import type { Kw } from './gen-wide'

const s = (x: string): Arg => ({ t: 'str', v: x })

/** Copies fixed data into a module's parameters (PyTorch's random init is not reproduced). */
const init = (g: Gen, m: string, params: ReadonlyArray<readonly [string, number[]]>): void =>
  g.noGrad(() => {
    for (const [p, shape] of params) {
      const data = {
        t: 'expr',
        v: call('torch', 'tensor', [{ t: 'data', v: g.data(shape, g.dt) }], [['dtype', { t: 'dtype', v: g.dt }]]),
      } as const
      g.run('copy_', call(`${m}.${p}`, 'copy_', [data]))
    }
  }, 'init')

/** Optimizers with their option forms. */
export type OptTable = ReadonlyArray<readonly [string, () => ReadonlyArray<Kw>]>
/** Schedulers with their option forms (an `expr` argument is built on the optimizer's name). */
export type SchedTable = ReadonlyArray<readonly [string, ReadonlyArray<Kw | ((opt: string) => Kw)>]>

const OPTS: OptTable = [
  [
    'SGD',
    () => [
      [['lr', f(0.5)]],
      [
        ['lr', f(0.25)],
        ['momentum', f(0.875)],
        ['dampening', f(0.5)],
      ],
      [
        ['lr', f(0.25)],
        ['momentum', f(0.5)],
        ['nesterov', b(true)],
        ['weight_decay', f(0.125)],
      ],
      [
        ['lr', f(0.25)],
        ['maximize', b(true)],
        ['weight_decay', f(0.25)],
      ],
    ],
  ],
  [
    'Adam',
    () => [
      [['lr', f(0.125)]],
      [
        ['lr', f(0.125)],
        ['amsgrad', b(true)],
        ['weight_decay', f(0.25)],
      ],
      [
        ['lr', f(0.25)],
        ['betas', { t: 'tuple', v: [f(0.5), f(0.75)] }],
        ['eps', f(0.01)],
      ],
      [
        ['lr', f(0.125)],
        ['maximize', b(true)],
      ],
    ],
  ],
  [
    'AdamW',
    () => [
      [['lr', f(0.125)]],
      [
        ['lr', f(0.125)],
        ['weight_decay', f(0.5)],
        ['amsgrad', b(true)],
      ],
    ],
  ],
  [
    'RMSprop',
    () => [
      [['lr', f(0.0625)]],
      [
        ['lr', f(0.0625)],
        ['centered', b(true)],
        ['momentum', f(0.5)],
      ],
      [
        ['lr', f(0.125)],
        ['alpha', f(0.5)],
        ['weight_decay', f(0.25)],
        ['centered', b(true)],
      ],
    ],
  ],
  [
    'Adagrad',
    () => [
      [['lr', f(0.25)]],
      [
        ['lr', f(0.25)],
        ['lr_decay', f(0.5)],
        ['initial_accumulator_value', f(0.5)],
        ['weight_decay', f(0.125)],
      ],
    ],
  ],
  [
    'Adadelta',
    () => [
      [['lr', f(1)]],
      [
        ['lr', f(0.5)],
        ['rho', f(0.5)],
        ['weight_decay', f(0.25)],
      ],
    ],
  ],
  [
    'Adamax',
    () => [
      [['lr', f(0.25)]],
      [
        ['lr', f(0.25)],
        ['weight_decay', f(0.125)],
      ],
    ],
  ],
  [
    'NAdam',
    () => [
      [['lr', f(0.25)]],
      [
        ['lr', f(0.25)],
        ['momentum_decay', f(0.01)],
      ],
    ],
  ],
  [
    'RAdam',
    () => [
      [['lr', f(0.25)]],
      [
        ['lr', f(0.25)],
        ['weight_decay', f(0.25)],
      ],
    ],
  ],
]

const SCHEDS: SchedTable = [
  [
    'StepLR',
    [
      [
        ['step_size', i(1)],
        ['gamma', f(0.5)],
      ],
      [['step_size', i(2)]],
    ],
  ],
  [
    'MultiStepLR',
    [
      [
        ['milestones', { t: 'list', v: [i(1), i(3)] }],
        ['gamma', f(0.25)],
      ],
    ],
  ],
  ['ExponentialLR', [[['gamma', f(0.5)]]]],
  [
    'CosineAnnealingLR',
    [
      [['T_max', i(3)]],
      [
        ['T_max', i(2)],
        ['eta_min', f(0.0625)],
      ],
    ],
  ],
  [
    'OneCycleLR',
    [
      [
        ['max_lr', f(0.5)],
        ['total_steps', i(6)],
      ],
      [
        ['max_lr', f(0.25)],
        ['total_steps', i(5)],
        ['anneal_strategy', s('linear')],
        ['cycle_momentum', b(false)],
      ],
      [
        ['max_lr', f(0.5)],
        ['total_steps', i(8)],
        ['three_phase', b(true)],
      ],
    ],
  ],
  [
    'LinearLR',
    [
      [
        ['start_factor', f(0.5)],
        ['total_iters', i(2)],
      ],
    ],
  ],
  [
    'ConstantLR',
    [
      [
        ['factor', f(0.5)],
        ['total_iters', i(2)],
      ],
    ],
  ],
]

type DataLoss = readonly [x: string, tgt: string, lossFn: string]

const lossObj = (g: Gen, name: string): string =>
  g.obj(name === 'CrossEntropyLoss' ? 'nn.CrossEntropyLoss' : 'nn.MSELoss', call('torch.nn', name), 'l')

/** The input, the target and the loss as seeds below TIDY_SEED draw them. */
const oldData = (g: Gen, batch: number, inF: number, outF: number): DataLoss => {
  const x = g.leaf([batch, inF])
  const ce = g.rng.chance(0.4)
  const tgt = ce ? g.leaf([batch], 'int64', false, outF - 1) : g.leaf([batch, outF])
  return [x, tgt, lossObj(g, ce ? 'CrossEntropyLoss' : g.rng.pick(['MSELoss', 'L1Loss', 'SmoothL1Loss']))]
}

/** Whether some signed sum ±x₀ ± x₁ ± … of a column of `rows` is zero. */
const cancels = (rows: ReadonlyArray<ReadonlyArray<number>>): boolean =>
  (rows[0] ?? []).some((_, j) => {
    const col = rows.map((r) => r[j] as number)
    for (let mask = 0; mask < 1 << col.length; mask++)
      if (col.reduce((acc, c, k) => acc + ((mask >> k) & 1 ? c : -c), 0) === 0) return true
    return false
  })

/**
 * The tidy draw: the loss first, then an input whose columns have no cancelling signed sum under an
 * L1-like loss (whose gradient is sign(y − t)/n times the input, so a cancelling column gives a
 * mathematically zero weight gradient that is rounding noise on each side).
 */
const tidyData = (g: Gen, batch: number, inF: number, outF: number): DataLoss => {
  const ce = g.rng.chance(0.4)
  const name = ce ? 'CrossEntropyLoss' : g.rng.pick(['MSELoss', 'L1Loss', 'SmoothL1Loss'])
  let data = g.data([batch, inF], g.dt) as number[][]
  for (let k = 0; k < 50 && name !== 'MSELoss' && !ce && cancels(data); k++)
    data = g.data([batch, inF], g.dt) as number[][]
  const [x] = g.let('tensor', call('torch', 'tensor', [{ t: 'data', v: data }], [['dtype', { t: 'dtype', v: g.dt }]]), {
    shape: [batch, inF],
    dtype: g.dt,
    rg: false,
    leaf: true,
  })
  const tgt = ce ? g.leaf([batch], 'int64', false, outF - 1) : g.leaf([batch, outF])
  return [x as string, tgt, lossObj(g, name)]
}

/**
 * Records the gradient of each parameter the optimizer is about to use (the Linear weight's as
 * `.weight.grad(<Optimizer>)`, the others' as `.grad(<Optimizer>)`), so a parameter difference can
 * be traced to the gradient that entered the step (explain-optim.ts `optimizerNoise`). Each is recorded
 * as `p.grad.add(0)`, a fresh tensor: the `.grad`'s own `_version` and the sign of its zeros are
 * the final `.grad` comparison's business (D1, D2), not this record's.
 */
const recordGrads = (g: Gen, params: ReadonlyArray<readonly [string, number[]]>, oname: string): void => {
  params.forEach(([p, shape], k) => {
    const [gv] = g.let(`${k === 0 ? '.weight.grad' : '.grad'}(${oname})`, call(`${p}.grad`, 'add', [i(0)]), {
      shape,
      dtype: g.dt,
      rg: false,
      leaf: true,
    })
    g.rec(gv as string)
  })
}

/** A module, a loss, an optimizer (and a scheduler): k steps with the parameters (and the gradients entering each step) recorded. */
export const optimProgram = (g: Gen, opts: OptTable = OPTS, scheds: SchedTable = SCHEDS): void => {
  // tidy: a batch of 3 or 4 and 3 or 4 features, so BatchNorm1d and LayerNorm see no degenerate group
  const [inF, outF, batch] = [g.rng.int(1, 3), g.rng.int(g.tidy ? 3 : 2, 4), g.rng.int(g.tidy ? 3 : 2, g.tidy ? 4 : 3)]
  const dt = { t: 'dtype', v: g.dt } as const
  const m = g.obj('nn.Linear', call('torch.nn', 'Linear', [i(inF), i(outF)], [['dtype', dt]]), 'm')
  init(g, m, [
    ['weight', [outF, inF]],
    ['bias', [outF]],
  ])
  const norm = g.rng.pick(['none', 'none', 'LayerNorm', 'BatchNorm1d'])
  const n =
    norm === 'none'
      ? null
      : g.obj(
          `nn.${norm}`,
          call('torch.nn', norm, [norm === 'LayerNorm' ? ints([outF]) : i(outF)], [['dtype', dt]]),
          'm',
        )
  if (n !== null && g.rng.chance(0.5))
    init(g, n, [
      ['weight', [outF]],
      ['bias', [outF]],
    ])
  // BatchNorm1d (training) removes any per-feature shift, so the Linear bias's gradient is
  // mathematically zero: tidy programs leave it out of the optimizer, which would amplify the noise
  const linBias = g.tidy && norm === 'BatchNorm1d' ? [] : [v(`${m}.bias`)]
  const params: Arg =
    n === null
      ? { t: 'expr', v: call(m, 'parameters') }
      : { t: 'list', v: [v(`${m}.weight`), ...linBias, v(`${n}.weight`), v(`${n}.bias`)] }
  const vec = (p: string): readonly [string, number[]] => [p, [outF]]
  const paramNames: ReadonlyArray<readonly [string, number[]]> = [
    [`${m}.weight`, [outF, inF]],
    ...(n === null || linBias.length > 0 ? [vec(`${m}.bias`)] : []),
    ...(n === null ? [] : [vec(`${n}.weight`), vec(`${n}.bias`)]),
  ]
  const [x, tgt, lossFn] = g.tidy ? tidyData(g, batch, inF, outF) : oldData(g, batch, inF, outF)
  const [oname, forms] = g.rng.pick(opts)
  const okw = g.rng.pick(forms())
  const opt = g.obj(`optim.${oname}`, call('torch.optim', oname, [params], okw), 'o')
  let sched: string | null = null
  if (g.rng.chance(0.5)) {
    const [sname, sforms] = g.rng.pick(scheds)
    const form = g.rng.pick(sforms)
    const skw = typeof form === 'function' ? form(opt) : form
    sched = g.obj(`lr_scheduler.${sname}`, call('torch.optim.lr_scheduler', sname, [v(opt)], skw), 's')
  }
  for (let k = g.rng.int(2, 4); k > 0; k--) {
    g.run('zero_grad', call(opt, 'zero_grad'))
    let [y] = g.let('Linear()', { e: 'apply', recv: m, args: [v(x)] }, res(g, [batch, outF], g.dt, true))
    if (n !== null) {
      ;[y] = g.let(`${norm}()`, { e: 'apply', recv: n, args: [v(y as string)] }, res(g, [batch, outF], g.dt, true))
      g.rec(y as string)
    }
    const [loss] = g.let('loss()', { e: 'apply', recv: lossFn, args: [v(y as string), v(tgt)] }, res(g, [], g.dt, true))
    g.rec(loss as string)
    g.run('backward', call(loss as string, 'backward'))
    recordGrads(g, paramNames, oname)
    g.run('step', call(opt, 'step'))
    if (sched !== null) g.run('sched.step', call(sched, 'step'))
    const [wv] = g.let(
      `.weight(${oname})`,
      { e: 'attr', recv: m, name: 'weight' },
      { shape: [outF, inF], dtype: g.dt, rg: true, leaf: true },
    )
    g.rec(wv as string)
  }
  if (n !== null && norm === 'BatchNorm1d') {
    for (const st of ['running_mean', 'running_var']) {
      const [r] = g.let(
        `.${st}`,
        { e: 'attr', recv: n, name: st },
        { shape: [outF], dtype: g.dt, rg: false, leaf: true },
      )
      g.rec(r as string)
    }
    g.run('eval', call(n, 'eval'))
    const [y] = g.let('Linear()', { e: 'apply', recv: m, args: [v(x)] }, res(g, [batch, outF], g.dt, true))
    const [z] = g.let(
      'BatchNorm1d(eval)',
      { e: 'apply', recv: n, args: [v(y as string)] },
      res(g, [batch, outF], g.dt, true),
    )
    g.rec(z as string)
  }
  const [bv] = g.let(
    '.bias',
    { e: 'attr', recv: m, name: 'bias' },
    { shape: [outF], dtype: g.dt, rg: true, leaf: true },
  )
  g.rec(bv as string)
}

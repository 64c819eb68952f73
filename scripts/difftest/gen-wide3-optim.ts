/**
 * The optimizer and scheduler tables of the `optim3` program kind (seeds WIDE3_SEED to WIDE3_END,
 * generate.ts): the options the `optim` kind never draws — foreach=False, maximize on every
 * optimizer that has it in 1.13, amsgrad with maximize, nesterov with dampening 0,
 * capturable=False, Adagrad eps, NAdam/RAdam with weight decay — and the schedulers PolynomialLR,
 * CosineAnnealingWarmRestarts, CyclicLR (without momentum cycling), SequentialLR and
 * ChainedScheduler over two inner schedulers, stepped once per optimizer step.
 */
import type { Arg } from './program'
import { b, call, f, i, v } from './gen-state'
import type { Kw } from './gen-wide'
import type { OptTable, SchedTable } from './gen-wide-nn'

const s = (x: string): Arg => ({ t: 'str', v: x })
const sched = (opt: string, name: string, kw: Kw): Arg => ({
  t: 'expr',
  v: call('torch.optim.lr_scheduler', name, [v(opt)], kw),
})

export const OPTS3: OptTable = [
  [
    'SGD',
    () => [
      [
        ['lr', f(0.25)],
        ['momentum', f(0.5)],
        ['nesterov', b(true)],
        ['maximize', b(true)],
      ],
      [
        ['lr', f(0.25)],
        ['momentum', f(0.75)],
        ['foreach', b(false)],
        ['weight_decay', f(0.125)],
      ],
    ],
  ],
  [
    'Adam',
    () => [
      [
        ['lr', f(0.125)],
        ['amsgrad', b(true)],
        ['maximize', b(true)],
      ],
      [
        ['lr', f(0.125)],
        ['foreach', b(false)],
        ['capturable', b(false)],
        ['weight_decay', f(0.125)],
      ],
    ],
  ],
  [
    'AdamW',
    () => [
      [
        ['lr', f(0.125)],
        ['maximize', b(true)],
        ['foreach', b(false)],
      ],
      [
        ['lr', f(0.125)],
        ['amsgrad', b(true)],
        ['capturable', b(false)],
      ],
    ],
  ],
  [
    'RMSprop',
    () => [
      [
        ['lr', f(0.0625)],
        ['maximize', b(true)],
        ['momentum', f(0.25)],
      ],
      [
        ['lr', f(0.0625)],
        ['foreach', b(false)],
        ['centered', b(true)],
      ],
    ],
  ],
  [
    'Adagrad',
    () => [
      [
        ['lr', f(0.25)],
        ['maximize', b(true)],
        ['eps', f(0.01)],
      ],
      [
        ['lr', f(0.25)],
        ['foreach', b(false)],
      ],
    ],
  ],
  [
    'Adadelta',
    () => [
      [
        ['lr', f(0.5)],
        ['maximize', b(true)],
      ],
    ],
  ],
  [
    'Adamax',
    () => [
      [
        ['lr', f(0.25)],
        ['maximize', b(true)],
        ['foreach', b(false)],
      ],
    ],
  ],
  [
    'NAdam',
    () => [
      [
        ['lr', f(0.25)],
        ['weight_decay', f(0.125)],
        ['foreach', b(false)],
      ],
    ],
  ],
  [
    'RAdam',
    () => [
      [
        ['lr', f(0.25)],
        ['foreach', b(false)],
        ['weight_decay', f(0.125)],
      ],
    ],
  ],
]

export const SCHEDS3: SchedTable = [
  [
    'PolynomialLR',
    [
      [
        ['total_iters', i(3)],
        ['power', f(2)],
      ],
      [['total_iters', i(2)]],
    ],
  ],
  [
    'CosineAnnealingWarmRestarts',
    [
      [['T_0', i(2)]],
      [
        ['T_0', i(1)],
        ['T_mult', i(2)],
        ['eta_min', f(0.0625)],
      ],
    ],
  ],
  [
    'CyclicLR',
    [
      [
        ['base_lr', f(0.0625)],
        ['max_lr', f(0.25)],
        ['step_size_up', i(2)],
        ['cycle_momentum', b(false)],
      ],
      [
        ['base_lr', f(0.0625)],
        ['max_lr', f(0.5)],
        ['step_size_up', i(1)],
        ['mode', s('triangular2')],
        ['cycle_momentum', b(false)],
      ],
    ],
  ],
  [
    'SequentialLR',
    [
      (o: string): Kw => [
        [
          'schedulers',
          {
            t: 'list',
            v: [
              sched(o, 'ConstantLR', [
                ['factor', f(0.5)],
                ['total_iters', i(2)],
              ]),
              sched(o, 'ExponentialLR', [['gamma', f(0.5)]]),
            ],
          },
        ],
        ['milestones', { t: 'list', v: [i(2)] }],
      ],
    ],
  ],
]

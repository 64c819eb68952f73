/**
 * The `autograd` kind's custom Functions (save_for_backward, needs_input_grad, mark_dirty,
 * mark_non_differentiable, set_materialize_grads(False), None gradients, once_differentiable, a
 * wrong number of gradients), `torch.autograd.functional` (jacobian, hessian, vjp, jvp, hvp, vhp
 * with create_graph, strict, vectorize, strategy) and `torch.utils.checkpoint` (reentrant or not,
 * dropout inside with the RNG state preserved). See gen-autograd.ts.
 */
import type { Arg } from './program'
import { type Gen, b, call, v } from './gen-state'
import { res } from './gen-ops'
import { NONE, chain, expr, letT, ra, recGrad, rx, tup } from './gen-autograd'

/** A class `Fn<k>(torch.autograd.Function)` from Python and JavaScript method bodies (relative lines). */
const defFunction = (
  g: Gen,
  name: string,
  fwd: readonly [string, ReadonlyArray<string>, ReadonlyArray<string>],
  bwd: readonly [string, ReadonlyArray<string>, ReadonlyArray<string>],
  once = false,
): void => {
  const py = [
    `class ${name}(torch.autograd.Function):`,
    '    @staticmethod',
    `    def forward(ctx, ${fwd[0]}):`,
    ...fwd[1].map((l) => `        ${l}`),
    '    @staticmethod',
    ...(once ? ['    @torch.autograd.function.once_differentiable'] : []),
    `    def backward(ctx, ${bwd[0]}):`,
    ...bwd[1].map((l) => `        ${l}`),
  ]
  const js = [
    `class ${name} extends torch.autograd.Function {`,
    `  static forward(ctx, ${fwd[0]}) {`,
    ...fwd[2].map((l) => `    ${l}`),
    '  }',
    ...(once
      ? [`  static backward = torch.autograd.function.once_differentiable((ctx, ${bwd[0]}) => {`]
      : [`  static backward(ctx, ${bwd[0]}) {`]),
    ...bwd[2].map((l) => `    ${l}`),
    once ? '  });' : '  }',
    '}',
  ]
  g.raw('class Function', py, js)
}

type Template = (g: Gen, name: string, xs: ReadonlyArray<string>, shape: ReadonlyArray<number>) => void

const apply = (g: Gen, name: string, args: ReadonlyArray<Arg>, shape: ReadonlyArray<number>): string =>
  g.let(`${name.replace(/\d+$/, '')}.apply`, call(name, 'apply', args), res(g, [...shape], g.dt, true))[0] as string

/** save_for_backward of the input; backward is g·2x. */
const square: Template = (g, name, xs, shape) => {
  defFunction(
    g,
    name,
    ['x', ['ctx.save_for_backward(x)', 'return x.mul(x)'], ['ctx.save_for_backward(x);', 'return x.mul(x);']],
    [
      'go',
      ['x, = ctx.saved_tensors', 'return go.mul(x).mul(2)'],
      ['const [x] = ctx.saved_tensors;', 'return go.mul(x).mul(2);'],
    ],
  )
  const y = apply(g, name, [v(xs[0] as string)], shape)
  g.rec(y)
  finish(g, y)
}

/** Two tensors and a float; ctx.needs_input_grad decides which gradients are returned. */
const scaled: Template = (g, name, xs, shape) => {
  defFunction(
    g,
    name,
    [
      'x, y, k',
      ['ctx.save_for_backward(x, y)', 'ctx.k = k', 'return x.mul(y).mul(k)'],
      ['ctx.save_for_backward(x, y);', 'ctx.k = k;', 'return x.mul(y).mul(k);'],
    ],
    [
      'go',
      [
        'x, y = ctx.saved_tensors',
        "R.rec('needs_input_grad', torch.tensor(ctx.needs_input_grad))",
        'n = ctx.needs_input_grad',
        'return (go.mul(y).mul(ctx.k) if n[0] else None, go.mul(x).mul(ctx.k) if n[1] else None, None)',
      ],
      [
        'const [x, y] = ctx.saved_tensors;',
        "R.rec('needs_input_grad', torch.tensor(ctx.needs_input_grad));",
        'const n = ctx.needs_input_grad;',
        'return [n[0] ? go.mul(y).mul(ctx.k) : null, n[1] ? go.mul(x).mul(ctx.k) : null, null];',
      ],
    ],
  )
  const other = xs[1] ?? g.leaf([...shape], g.dt, false)
  const y = apply(g, name, [v(xs[0] as string), v(other), ra('1.5')], shape)
  g.rec(y)
  finish(g, y)
}

/** Two outputs, set_materialize_grads(False): backward sees None for an output not in the loss. */
const twoOutputs: Template = (g, name, xs, shape) => {
  const mat = g.rng.chance(0.5)
  defFunction(
    g,
    name,
    [
      'x',
      [...(mat ? [] : ['ctx.set_materialize_grads(False)']), 'ctx.save_for_backward(x)', 'return x.mul(2), x.exp()'],
      [
        ...(mat ? [] : ['ctx.set_materialize_grads(false);']),
        'ctx.save_for_backward(x);',
        'return [x.mul(2), x.exp()];',
      ],
    ],
    [
      'g1, g2',
      [
        "R.rec('g1', g1)",
        "R.rec('g2', g2)",
        'x, = ctx.saved_tensors',
        'r = torch.zeros_like(x)',
        'if g1 is not None:',
        '    r = r.add(g1.mul(2))',
        'if g2 is not None:',
        '    r = r.add(g2.mul(x.exp()))',
        'return r',
      ],
      [
        "R.rec('g1', g1);",
        "R.rec('g2', g2);",
        'const [x] = ctx.saved_tensors;',
        'let r = torch.zeros_like(x);',
        'if (g1 !== null && g1 !== undefined) r = r.add(g1.mul(2));',
        'if (g2 !== null && g2 !== undefined) r = r.add(g2.mul(x.exp()));',
        'return r;',
      ],
    ],
  )
  const outs = g.let(`${name}.apply`, call(name, 'apply', [v(xs[0] as string)]), [
    res(g, [...shape], g.dt, true),
    res(g, [...shape], g.dt, true),
  ])
  const [y1, y2] = outs as [string, string]
  const use = g.rng.pick(['first', 'second', 'both'])
  const e = use === 'first' ? `${y1}.sum()` : use === 'second' ? `${y2}.sum()` : `${y1}.mul(${y2}).sum()`
  g.run('backward', call(letT(g, 'sum', e, []), 'backward'))
}

/** mark_dirty: the input is doubled in place and returned. */
const dirty: Template = (g, name, xs, shape) => {
  defFunction(
    g,
    name,
    ['x', ['x.mul_(2)', 'ctx.mark_dirty(x)', 'return x'], ['x.mul_(2);', 'ctx.mark_dirty(x);', 'return x;']],
    ['go', ['return go.mul(2)'], ['return go.mul(2);']],
  )
  const on = g.rng.pick(['clone', 'clone', 'leaf', 'view'])
  const x0 = xs[0] as string
  const src = on === 'leaf' ? x0 : letT(g, 'clone', `${x0}.${g.rng.pick(['clone()', 'exp()', 'mul(1.0)'])}`, shape)
  const arg = on === 'view' ? letT(g, 'view', `${src}.view(-1)`, [shape.reduce((p, q) => p * q, 1)]) : src
  const y = apply(g, name, [v(arg)], g.info(arg).shape)
  g.rec(y)
  if (arg !== src) g.rec(src)
  finish(g, y)
}

/** mark_non_differentiable on a second output (a 0/1 mask). */
const nonDiff: Template = (g, name, xs, shape) => {
  defFunction(
    g,
    name,
    [
      'x',
      ['m = x.gt(0).to(x.dtype)', 'ctx.mark_non_differentiable(m)', 'return x.mul(3), m'],
      ['const m = x.gt(0).to(x.dtype);', 'ctx.mark_non_differentiable(m);', 'return [x.mul(3), m];'],
    ],
    ['go, gm', ["R.rec('gm', gm)", 'return go.mul(3)'], ["R.rec('gm', gm);", 'return go.mul(3);']],
  )
  const [y, m] = g.let(`${name}.apply`, call(name, 'apply', [v(xs[0] as string)]), [
    res(g, [...shape], g.dt, true),
    res(g, [...shape], g.dt, false),
  ]) as [string, string]
  g.rec(y)
  g.rec(m)
  finish(g, letT(g, 'mul', `${y}.mul(${m}.add(1))`, shape))
}

/** once_differentiable backward; then maybe a create_graph gradient differentiated again. */
const once: Template = (g, name, xs, shape) => {
  defFunction(
    g,
    name,
    ['x', ['ctx.save_for_backward(x)', 'return x.sin()'], ['ctx.save_for_backward(x);', 'return x.sin();']],
    [
      'go',
      ['x, = ctx.saved_tensors', 'return go.mul(x.cos())'],
      ['const [x] = ctx.saved_tensors;', 'return go.mul(x.cos());'],
    ],
    true,
  )
  const y = apply(g, name, [v(xs[0] as string)], shape)
  const s = letT(g, 'sum', `${y}.sum()`, [])
  if (g.rng.chance(0.5)) {
    const [gx] = g.let(
      'autograd.grad',
      call('torch.autograd', 'grad', [v(s), tup([xs[0] as string])], [['create_graph', b(true)]]),
      [res(g, [...shape], g.dt, true)],
      'g',
    )
    g.rec(gx as string)
    g.run('backward(2nd order)', call(letT(g, 'sum', `${gx}.sum()`, []), 'backward'))
  } else g.run('backward', call(s, 'backward'))
}

/** A backward returning None for its input, or too many gradients. */
const badGrads: Template = (g, name, xs, shape) => {
  const wrong = g.rng.chance(0.5)
  defFunction(
    g,
    name,
    ['x', ['return x.mul(2)'], ['return x.mul(2);']],
    wrong ? ['go', ['return go, go'], ['return [go, go];']] : ['go', ['return None'], ['return null;']],
  )
  const y = apply(g, name, [v(xs[0] as string)], shape)
  finish(g, letT(g, 'add', `${y}.add(${xs[1] ?? xs[0]})`, shape))
}

const finish = (g: Gen, y: string): void => {
  const s = letT(g, 'sum', `${y}.${g.rng.pick(['sum()', 'pow(2).sum()', 'exp().sum()'])}`, [])
  g.run('backward', call(s, 'backward'))
}

/** One custom Function of the templates above, applied and differentiated. */
export const customFunction = (g: Gen): void => {
  const shape = [...g.rng.pick([[3], [2, 2], [], [2]])]
  const xs = Array.from({ length: g.rng.int(1, 2) }, () => g.leaf(shape, g.dt, g.rng.chance(0.9)))
  const t = g.rng.weighted<Template>([
    [3, square],
    [3, scaled],
    [3, twoOutputs],
    [3, dirty],
    [2, nonDiff],
    [2, once],
    [2, badGrads],
  ])
  t(g, g.fresh('Fn'), xs, shape)
}

/** A function for autograd.functional: `def f(a[, b]): return …` (one output or a tuple of two). */
const defFn = (g: Gen, n: number, outs: number, scalar: boolean): string => {
  const f = g.fresh('f')
  const ps = ['a', 'b'].slice(0, n)
  const body = Array.from({ length: outs }, () => {
    const e = g.rng.chance(0.1) && !scalar ? `torch.ones_like(a).mul(2)` : expr(g, ps)
    return scalar ? `${e}.sum()` : e
  })
  g.raw(
    'def f',
    [`def ${f}(${ps.join(', ')}):`, `    return ${outs === 1 ? body[0] : `(${body.join(', ')})`}`],
    [`const ${f} = (${ps.join(', ')}) => ${outs === 1 ? body[0] : `[${body.join(', ')}]`};`],
  )
  return f
}

const pyKw = (kw: ReadonlyArray<readonly [string, string, string]>): [string, string] => [
  kw.map(([k, p]) => `, ${k}=${p}`).join(''),
  kw.length === 0 ? '' : `, { ${kw.map(([k, , j]) => `${k}: ${j}`).join(', ')} }`,
]

/** jacobian / hessian / vjp / jvp / hvp / vhp of a small function, then maybe a backward through the result. */
export const functional = (g: Gen): void => {
  const shape = [...g.rng.pick([[3], [2], [2, 2], []])]
  const n = g.rng.int(1, 2)
  const xs = Array.from({ length: n }, () => g.leaf(shape, g.dt, g.rng.chance(0.7)))
  const which = g.rng.pick(['jacobian', 'jacobian', 'hessian', 'vjp', 'jvp', 'hvp', 'vhp'])
  const scalar = which === 'hessian' || which === 'hvp' || which === 'vhp'
  const outs = which === 'jacobian' && g.rng.chance(0.3) ? 2 : 1
  const scalarOut = scalar || (which === 'vjp' && g.rng.chance(0.3))
  const f = defFn(g, n, outs, scalarOut)
  const tupled = n > 1 || g.rng.chance(0.3)
  const inp = tupled ? (tup(xs) as { py: string; js: string }) : { py: xs[0] as string, js: xs[0] as string }
  const kw: Array<readonly [string, string, string]> = []
  const create = g.rng.chance(0.35)
  if (create) kw.push(['create_graph', 'True', 'true'])
  if (g.rng.chance(0.2)) kw.push(['strict', 'True', 'true'])
  if (which === 'jacobian' || which === 'hessian') {
    const vec = g.rng.chance(0.3)
    if (vec) kw.push(['vectorize', 'True', 'true'])
    if (which === 'jacobian' && g.rng.chance(0.25)) kw.push(['strategy', "'forward-mode'", "'forward-mode'"])
    if (which === 'hessian' && vec && g.rng.chance(0.3))
      kw.push(['outer_jacobian_strategy', "'forward-mode'", "'forward-mode'"])
  }
  const [pk, jk] = pyKw(kw)
  let vArg = { py: '', js: '' }
  if (which === 'vjp') {
    // v has the output's shape; it may be left out for a scalar output
    const vv = scalarOut && g.rng.chance(0.5) ? null : g.leaf(scalarOut ? [] : shape)
    if (vv !== null || g.rng.chance(0.5))
      vArg = vv === null ? { py: ', None', js: ', null' } : { py: `, ${vv}`, js: `, ${vv}` }
  } else if (which !== 'jacobian' && which !== 'hessian') {
    const vs = xs.map(() => g.leaf(shape))
    const t = tupled ? (tup(vs) as { py: string; js: string }) : { py: vs[0] as string, js: vs[0] as string }
    vArg = { py: `, ${t.py}`, js: `, ${t.js}` }
  }
  const r = g.obj(
    `functional.${which}`,
    rx(
      `torch.autograd.functional.${which}(${f}, ${inp.py}${vArg.py}${pk})`,
      `torch.autograd.functional.${which}(${f}, ${inp.js}${vArg.js}${jk})`,
    ),
    'r',
  )
  // the results: a tensor, a tuple, or a tuple of tuples (jacobian of tuples, hessian of a tuple)
  const ins = xs.map((_, j) => j)
  const paths: string[] =
    which === 'jacobian'
      ? outs > 1 && tupled
        ? [0, 1].flatMap((i) => ins.map((j) => `[${i}][${j}]`))
        : outs > 1
          ? ['[0]', '[1]']
          : tupled
            ? ins.map((j) => `[${j}]`)
            : ['']
      : which === 'hessian'
        ? tupled
          ? ins.flatMap((i) => ins.map((j) => `[${i}][${j}]`))
          : ['']
        : which === 'jvp' || !tupled
          ? ['[0]', '[1]']
          : ['[0]', ...ins.map((j) => `[1][${j}]`)]
  const got = paths.map((p) => letT(g, 'result', `${r}${p}`, [], create))
  for (const t of got) g.rec(t)
  if (create && got.length > 0 && xs.some((x) => g.info(x).rg)) {
    const s = letT(g, 'sum', got.map((t) => `${t}.sum()`).join('.add(') + ')'.repeat(got.length - 1), [])
    g.run('backward', call(s, 'backward'))
  }
}

/** torch.utils.checkpoint.checkpoint of a small function (dropout inside, RNG state preserved). */
export const checkpoint = (g: Gen): void => {
  const shape = [...g.rng.pick([[3], [2, 2], [4]])]
  const xs = Array.from({ length: g.rng.int(1, 2) }, () => g.leaf(shape, g.dt, g.rng.chance(0.85)))
  g.raw('import', ['import torch.utils.checkpoint'], [])
  const drop = g.rng.chance(0.4)
  const ps = ['a', 'b'].slice(0, xs.length)
  const body = expr(g, ps)
  const f = g.fresh('ck')
  g.raw(
    'def f',
    [
      `def ${f}(${ps.join(', ')}):`,
      `    return ${drop ? `torch.nn.functional.dropout(${body}, p=0.5, training=True)` : body}`,
    ],
    [
      `const ${f} = (${ps.join(', ')}) => ${drop ? `torch.nn.functional.dropout(${body}, { p: 0.5, training: true })` : body};`,
    ],
  )
  if (drop) g.run('manual_seed', call('torch', 'manual_seed', [ra(String(g.rng.int(0, 99)))]))
  const kw: Array<readonly [string, Arg]> = []
  const reentrant = g.rng.pick([true, false, null])
  if (reentrant !== null) kw.push(['use_reentrant', b(reentrant)])
  if (!drop && g.rng.chance(0.3)) kw.push(['preserve_rng_state', b(false)])
  const [y] = g.let(
    'checkpoint',
    call('torch.utils.checkpoint', 'checkpoint', [v(f), ...xs.map(v)], kw),
    res(g, shape, g.dt, true),
  )
  g.rec(y as string)
  const s = letT(g, 'sum', `${chain(g, y as string, 0)}.sum()`, [])
  if (g.rng.chance(0.25)) {
    const [gx] = g.let(
      'autograd.grad',
      call('torch.autograd', 'grad', [v(s), tup(xs)], [['allow_unused', b(true)]]),
      xs.map(() => res(g, shape, g.dt, false)),
      'g',
    )
    g.rec(gx as string)
  } else g.run('backward', call(s, 'backward'))
  for (const x of xs) if (g.rng.chance(0.3)) recGrad(g, x)
  void NONE
}

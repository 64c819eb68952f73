/**
 * The `autograd` program kind of seeds AUTOGRAD_SEED to AUTOGRAD_END (generate.ts): the autograd
 * API as ported code and property-based tests call it — `torch.autograd.grad` with tuples of
 * outputs and inputs, `grad_outputs`, `allow_unused`, `retain_graph` and `create_graph` (double and
 * triple backward); `backward(gradient=, inputs=, retain_graph=)` with `.grad` accumulated, set to
 * None or zeroed between calls, `retain_grad`, `requires_grad_`, `detach_`; tensor, node and module
 * hooks; `saved_tensors_hooks`; and the errors of each (gen-autograd-fn.ts: custom Functions,
 * `autograd.functional`, checkpoint). Expressions use method calls only, so one text is both
 * Python and JavaScript; hooks record what they see with `R.rec`.
 */
import type { Arg, Expr } from './program'
import { type Gen, b, call, v } from './gen-state'
import { res } from './gen-ops'

/** A raw expression (one text for both languages unless `js` is given). */
export const rx = (py: string, js = py): Expr => ({ e: 'raw', py, js })
/** A raw argument. */
export const ra = (py: string, js = py): Arg => ({ t: 'raw', py, js })
/** A Python tuple and its JavaScript array. */
export const tup = (xs: ReadonlyArray<string>): Arg =>
  ra(xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`, `[${xs.join(', ')}]`)
/** Python's None / True / False. */
export const NONE = ra('None', 'null')

/** Elementwise methods (smooth, defined on [-2, 2]; a few save their input, some their result). */
const UNARY = ['sin()', 'tanh()', 'exp()', 'sigmoid()', 'cos()', 'mul(1.5)', 'pow(2)', 'add(0.5)', 'pow(3)']

/** `x` through 1–2 elementwise methods. */
export const chain = (g: Gen, x: string, lo = 1): string => {
  let e = x
  for (let k = g.rng.int(lo, 2); k > 0; k--) e = `${e}.${g.rng.pick(UNARY)}`
  return e
}

/** One expression of the given tensors (same shape), using each. */
export const expr = (g: Gen, xs: ReadonlyArray<string>): string => {
  let e = chain(g, xs[0] as string, 0)
  for (const x of xs.slice(1)) e = `${e}.${g.rng.pick(['mul', 'add', 'sub'])}(${chain(g, x, 0)})`
  return e === xs[0] ? `${e}.${g.rng.pick(UNARY)}` : e
}

/** A float tensor `y = <text>` (requires grad as said). */
export const letT = (g: Gen, op: string, text: string, shape: ReadonlyArray<number>, rg = true, js = text): string =>
  g.let(op, rx(text, js), res(g, [...shape], g.dt, rg))[0] as string

const SHAPES: ReadonlyArray<ReadonlyArray<number>> = [[3], [2, 2], [], [2], [1]]

/** 1–3 leaves of one shape requiring grad, and their shape. */
const leafSet = (g: Gen, lo = 1, hi = 3): [string[], number[]] => {
  const shape = [...g.rng.pick(SHAPES)]
  const xs = Array.from({ length: g.rng.int(lo, hi) }, () => g.leaf(shape, g.dt, true))
  return [xs, shape]
}

const kwOf = (kw: ReadonlyArray<readonly [string, boolean]>): ReadonlyArray<readonly [string, Arg]> =>
  kw.map(([k, x]) => [k, b(x)] as const)

/** `torch.autograd.grad(outputs, inputs, grad_outputs=, retain_graph=, create_graph=, allow_unused=)`, then maybe again. */
export const gradApi = (g: Gen): void => {
  const [xs, shape] = leafSet(g)
  const y = letT(g, 'expr', expr(g, xs), shape)
  g.rec(y)
  const unused = g.rng.chance(0.3) ? g.leaf(shape, g.dt, true) : null
  const frozen = g.rng.chance(0.1) ? g.leaf(shape, g.dt, false) : null
  const mode = g.rng.weighted([
    [4, 'scalar'],
    [3, 'vector'],
    [2, 'tuple'],
  ])
  const numel = shape.reduce((p, q) => p * q, 1)
  let outputs: Arg
  const kw: Array<readonly [string, Arg]> = []
  if (mode === 'scalar') outputs = v(letT(g, 'sum', `${y}.sum()`, []))
  else if (mode === 'vector') {
    outputs = v(y)
    if (numel > 1 || g.rng.chance(0.5)) {
      if (g.rng.chance(0.9)) {
        const go = g.rng.chance(0.5) ? letT(g, 'ones_like', `torch.ones_like(${y})`, shape, false) : g.leaf(shape)
        kw.push(['grad_outputs', g.rng.chance(0.5) ? v(go) : tup([go])])
      }
    }
  } else {
    const z = letT(g, 'expr', expr(g, [g.rng.pick(xs)]), shape)
    const s1 = letT(g, 'sum', `${y}.sum()`, [])
    const s2 = letT(g, 'sum', `${z}.sum()`, [])
    outputs = tup([s1, s2])
    if (g.rng.chance(0.5)) {
      const c = letT(
        g,
        'tensor',
        `torch.tensor(2.0, dtype=torch.${g.dt})`,
        [],
        false,
        `torch.tensor(2, { dtype: torch.${g.dt} })`,
      )
      kw.push(['grad_outputs', gradOuts(c, g.rng.chance(0.5))])
    }
  }
  const inputs = [...xs.filter(() => g.rng.chance(0.8)), ...(unused ? [unused] : []), ...(frozen ? [frozen] : [])]
  if (inputs.length === 0) inputs.push(xs[0] as string)
  const retain = g.rng.chance(0.3)
  const create = g.rng.chance(0.45)
  const allow = unused !== null ? g.rng.chance(0.6) : g.rng.chance(0.1)
  const flags: Array<readonly [string, boolean]> = []
  if (retain) flags.push(['retain_graph', true])
  if (create) flags.push(['create_graph', true])
  if (allow) flags.push(['allow_unused', true])
  kw.push(...kwOf(flags))
  const asTuple = inputs.length > 1 || g.rng.chance(0.5)
  const outs = g.let(
    'autograd.grad',
    call('torch.autograd', 'grad', [outputs, asTuple ? tup(inputs) : v(inputs[0] as string)], kw),
    inputs.map(() => res(g, shape, g.dt, create)),
    'g',
  )
  for (const o of outs) g.rec(o)
  const first = outs[0] as string
  if (create) higher(g, first, xs, shape)
  else if (g.rng.chance(0.4)) {
    // a second pass: fine after retain_graph, "backward through the graph a second time" otherwise
    const again = g.let(
      'autograd.grad(2nd)',
      call('torch.autograd', 'grad', [outputs, tup(inputs)], kw),
      inputs.map(() => res(g, shape, g.dt, false)),
      'g',
    )
    g.rec(again[0] as string)
  }
}

/** `(c, c)` or `(None, c)`: the gradients of a tuple of two scalar outputs. */
const gradOuts = (c: string, firstNone: boolean): Arg =>
  ra(`(${firstNone ? 'None' : c}, ${c})`, `[${firstNone ? 'null' : c}, ${c}]`)

/** Differentiates a create_graph gradient again (a backward or a grad, maybe a third time). */
const higher = (g: Gen, gx: string, xs: ReadonlyArray<string>, shape: ReadonlyArray<number>): void => {
  const red = g.rng.pick(['sum()', 'pow(2).sum()', 'exp().sum()', 'mul(3).sum()'])
  const s = letT(g, 'sum', `${gx}.${red}`, [])
  if (g.rng.chance(0.4)) {
    g.run('backward(2nd order)', call(s, 'backward'))
    return
  }
  const create = g.rng.chance(0.5)
  const kw = kwOf([['allow_unused', true], ...(create ? [['create_graph', true] as const] : [])])
  const [g2] = g.let(
    'autograd.grad(2nd order)',
    call('torch.autograd', 'grad', [v(s), tup([...xs])], kw),
    xs.map(() => res(g, shape, g.dt, create)),
    'g',
  )
  g.rec(g2 as string)
  if (create && g.rng.chance(0.7)) {
    const s3 = letT(g, 'sum', `${g2}.sum()`, [])
    g.run('backward(3rd order)', call(s3, 'backward'))
  }
}

/** Sets `.grad` to None, zeroes it, toggles requires_grad or detaches between backward calls. */
const between = (g: Gen, xs: ReadonlyArray<string>, y: string): void => {
  const x = g.rng.pick(xs)
  const what = g.rng.weighted([
    [3, 'none'],
    [3, 'zero'],
    [1, 'requires_grad_'],
    [1, 'detach_'],
    [4, 'nothing'],
  ])
  if (what === 'none') g.raw('.grad = None', [`${x}.grad = None`], [`${x}.grad = null;`])
  else if (what === 'zero') g.run('.grad.zero_', call(`${x}.grad`, 'zero_'))
  else if (what === 'requires_grad_') g.run('requires_grad_', call(x, 'requires_grad_', [b(false)]))
  else if (what === 'detach_') g.run('detach_', call(y, 'detach_'))
}

/** Several backward calls (gradient=, inputs=, retain_graph=) with `.grad` read between them. */
export const backwardApi = (g: Gen): void => {
  const [xs, shape] = leafSet(g)
  const y = letT(g, 'expr', expr(g, xs), shape)
  const retained = g.rng.chance(0.3)
  if (retained) g.run('retain_grad', call(y, 'retain_grad'))
  const numel = shape.reduce((p, q) => p * q, 1)
  const n = g.rng.int(1, 3)
  for (let k = 0; k < n; k++) {
    const last = k === n - 1
    const kw: Array<readonly [string, Arg]> = []
    if (!last || g.rng.chance(0.2)) kw.push(['retain_graph', b(!last || g.rng.chance(0.5))])
    if (g.rng.chance(0.3)) {
      const ins = [g.rng.pick([...xs, ...(retained ? [y] : [])])]
      kw.push(['inputs', g.rng.chance(0.5) ? tup(ins) : ra(`[${ins[0]}]`)])
    }
    const nonScalar = g.rng.chance(0.5)
    if (nonScalar) {
      const gr =
        numel > 1 && g.rng.chance(0.15)
          ? NONE
          : v(g.rng.chance(0.5) ? g.leaf(shape) : letT(g, 'ones_like', `torch.ones_like(${y})`, shape, false))
      g.run('backward', call(y, 'backward', [gr], kw))
    } else {
      const s = letT(g, 'sum', `${y}.sum()`, [])
      g.run('backward', call(s, 'backward', kw.length > 0 ? [NONE] : [], kw))
    }
    for (const x of xs) if (g.rng.chance(0.6)) recGrad(g, x)
    if (retained) recGrad(g, y)
    if (!last) between(g, xs, y)
  }
}

/** `x.grad` recorded. */
export const recGrad = (g: Gen, x: string): void => {
  const [gr] = g.let('.grad', { e: 'attr', recv: x, name: 'grad' }, { ...g.info(x), leaf: true, rg: false })
  g.rec(gr as string)
}

/** The autograd errors: no grad_fn, a non-scalar implicit gradient, a leaf in place, a saved tensor modified. */
export const autogradError = (g: Gen): void => {
  const [xs, shape] = leafSet(g, 1, 2)
  const x = xs[0] as string
  const kind = g.rng.pick(['nograd', 'implicit', 'leafInplace', 'version', 'detachVersion', 'twice', 'viewOfLeaf'])
  if (kind === 'nograd') {
    const c = g.leaf(shape)
    const s = letT(g, 'sum', `${c}.${g.rng.pick(UNARY)}.sum()`, [], false)
    g.run('backward', call(s, 'backward'))
  } else if (kind === 'implicit') {
    const y = letT(g, 'expr', expr(g, xs), shape)
    g.run('backward', call(y, 'backward'))
  } else if (kind === 'leafInplace') g.run('add_', call(x, g.rng.pick(['add_', 'mul_']), [ra('2.0', '2')]))
  else if (kind === 'viewOfLeaf') g.run('mul_', call(`${x}.view(-1)`, 'mul_', [ra('2.0', '2')]))
  else if (kind === 'version') {
    const e = letT(g, 'exp', `${x}.${g.rng.pick(['exp()', 'sigmoid()', 'tanh()', 'pow(2)', 'sin()'])}`, shape)
    const m = letT(g, 'mul', `${e}.mul(${x})`, shape)
    g.run('mul_', call(e, 'mul_', [ra('2.0', '2')]))
    g.rec(e)
    g.run('backward', call(letT(g, 'sum', `${m}.sum()`, []), 'backward'))
  } else if (kind === 'detachVersion') {
    const m = letT(g, 'mul', `${x}.mul(${x})`, shape)
    g.run('zero_', call(`${x}.detach()`, 'zero_'))
    g.run('backward', call(letT(g, 'sum', `${m}.sum()`, []), 'backward'))
  } else {
    const s = letT(g, 'sum', `${expr(g, xs)}.sum()`, [])
    g.run('backward', call(s, 'backward'))
    g.run('backward(2nd)', call(s, 'backward'))
  }
}

/** Tensor hooks (leaf and non-leaf, replacing the gradient or not, removed) and node hooks. */
export const hooks = (g: Gen): void => {
  const [xs, shape] = leafSet(g, 1, 2)
  const y = letT(g, 'expr', expr(g, xs), shape)
  const n = g.rng.int(1, 3)
  for (let k = 0; k < n; k++) {
    const h = g.fresh('h')
    const ret = g.rng.pick(['g.mul(2)', 'g.add(1)', null])
    const py = [`def ${h}(g):`, `    R.rec('${h}', g)`, ...(ret === null ? [] : [`    return ${ret}`])]
    const js = [`const ${h} = (g) => {`, `  R.rec('${h}', g);`, ...(ret === null ? [] : [`  return ${ret};`]), '};']
    g.raw('def hook', py, js)
    const t = g.rng.pick([...xs, y, y])
    if (t === y && g.rng.chance(0.3)) g.run('retain_grad', call(y, 'retain_grad'))
    const handle = g.obj('register_hook', call(t, 'register_hook', [v(h)]), 'hd')
    if (g.rng.chance(0.2)) g.run('remove', call(handle, 'remove'))
  }
  if (g.rng.chance(0.4)) {
    const h = g.fresh('nh')
    const ret = g.rng.chance(0.3)
    g.raw(
      'def node hook',
      [
        `def ${h}(gi, go):`,
        `    R.rec('${h}_gi', gi[0])`,
        `    R.rec('${h}_go', go[0])`,
        ...(ret ? ['    return tuple(x if x is None else x.mul(3) for x in gi)'] : []),
      ],
      [
        `const ${h} = (gi, go) => {`,
        `  R.rec('${h}_gi', gi[0]);`,
        `  R.rec('${h}_go', go[0]);`,
        ...(ret ? ['  return gi.map((x) => (x === null ? null : x.mul(3)));'] : []),
        '};',
      ],
    )
    g.obj('grad_fn.register_hook', call(`${y}.grad_fn`, 'register_hook', [v(h)]), 'hd')
  }
  const s = letT(g, 'sum', `${y}.${g.rng.pick(['sum()', 'pow(2).sum()', 'mul(2).sum()'])}`, [])
  g.run('backward', call(s, 'backward'))
  if (g.rng.chance(0.5)) recGrad(g, y)
}

/** `saved_tensors_hooks(pack, unpack)` around a forward: every saved tensor goes through them. */
export const savedHooks = (g: Gen): void => {
  const [xs, shape] = leafSet(g, 1, 2)
  const [pk, up] = [g.fresh('pk'), g.fresh('up')]
  const scale = g.rng.pick(['1', '2'])
  // unpack undoes pack exactly (a faithful round trip, as offloading/compressing hooks do; the dtype
  // is kept for integer saved tensors such as indices, which the doubling would otherwise turn to float)
  const undo = scale === '1' ? 't' : `t.div(${scale}).to(t.dtype)`
  g.raw(
    'def pack hooks',
    [`def ${pk}(t):`, `    R.rec('${pk}', t)`, `    return t.mul(${scale})`, `def ${up}(t):`, `    return ${undo}`],
    [
      `const ${pk} = (t) => {`,
      `  R.rec('${pk}', t);`,
      `  return t.mul(${scale});`,
      '};',
      `const ${up} = (t) => ${undo};`,
    ],
  )
  let y = ''
  g.with(
    'saved_tensors_hooks',
    `torch.autograd.graph.saved_tensors_hooks(${pk}, ${up})`,
    `torch.autograd.graph.saved_tensors_hooks(${pk}, ${up}, `,
    () => {
      y = letT(g, 'expr', expr(g, xs), shape)
    },
  )
  const s = letT(g, 'sum', `${y}.sum()`, [])
  g.run('backward', call(s, 'backward'))
}

/** A Linear module with fixed data and full backward hooks / forward (pre-)hooks. */
export const moduleHooks = (g: Gen): void => {
  const [I, O, N] = [g.rng.int(1, 3), g.rng.int(1, 3), g.rng.int(1, 2)]
  const m = g.obj(
    'nn.Linear',
    call('torch.nn', 'Linear', [ra(String(I)), ra(String(O))], [['dtype', { t: 'dtype', v: g.dt }]]),
    'm',
  )
  g.noGrad(() => {
    for (const [p, shape] of [
      ['weight', [O, I]],
      ['bias', [O]],
    ] as const) {
      const data = {
        t: 'expr',
        v: call('torch', 'tensor', [{ t: 'data', v: g.data(shape, g.dt) }], [['dtype', { t: 'dtype', v: g.dt }]]),
      } as const
      g.run('copy_', call(`${m}.${p}`, 'copy_', [data]))
    }
  }, 'init')
  for (const p of ['weight', 'bias']) {
    const [w] = g.let(
      `.${p}`,
      { e: 'attr', recv: m, name: p },
      { shape: p === 'weight' ? [O, I] : [O], dtype: g.dt, rg: true, leaf: true },
    )
    g.leaves.push(w as string)
  }
  const x = g.leaf([N, I], g.dt, g.rng.chance(0.6))
  if (g.rng.chance(0.8)) {
    const h = g.fresh('bh')
    const ret = g.rng.chance(0.3)
    g.raw(
      'def module backward hook',
      [
        `def ${h}(mod, gi, go):`,
        `    R.rec('${h}_gi', gi[0])`,
        `    R.rec('${h}_go', go[0])`,
        ...(ret ? ['    return tuple(x if x is None else x.mul(2) for x in gi)'] : []),
      ],
      [
        `const ${h} = (mod, gi, go) => {`,
        `  R.rec('${h}_gi', gi[0]);`,
        `  R.rec('${h}_go', go[0]);`,
        ...(ret ? ['  return gi.map((x) => (x === null ? null : x.mul(2)));'] : []),
        '};',
      ],
    )
    g.obj('register_full_backward_hook', call(m, 'register_full_backward_hook', [v(h)]), 'hd')
  }
  if (g.rng.chance(0.4)) {
    const h = g.fresh('fp')
    g.raw(
      'def forward pre hook',
      [`def ${h}(mod, inp):`, `    return (inp[0].mul(2),)`],
      [`const ${h} = (mod, inp) => [inp[0].mul(2)];`],
    )
    g.obj('register_forward_pre_hook', call(m, 'register_forward_pre_hook', [v(h)]), 'hd')
  }
  if (g.rng.chance(0.4)) {
    const h = g.fresh('fh')
    g.raw(
      'def forward hook',
      [`def ${h}(mod, inp, out):`, `    return out.tanh()`],
      [`const ${h} = (mod, inp, out) => out.tanh();`],
    )
    g.obj('register_forward_hook', call(m, 'register_forward_hook', [v(h)]), 'hd')
  }
  const [y] = g.let('Linear()', { e: 'apply', recv: m, args: [v(x)] }, res(g, [N, O], g.dt, true))
  g.rec(y as string)
  const s = letT(g, 'sum', `${y}.pow(2).sum()`, [])
  g.run('backward', call(s, 'backward'))
}

/**
 * Deliberately invalid statements: each must raise, with PyTorch's class and message. They are
 * inserted into an op chain by generate.ts (program kind `invalid`).
 */
import { type Gen, call, f, i, v } from './gen-state'
import { inplace, res } from './gen-ops'

type Maker = (g: Gen) => void

const anyFloat = (g: Gen, minRank = 0): string => {
  const x = g.pickFloat((o) => o.shape.length >= minRank)
  return (
    x ??
    g.leaf(
      Array.from({ length: Math.max(minRank, 1) }, () => g.rng.int(2, 3)),
      g.dt,
      true,
    )
  )
}

const shapeMismatch: Maker = (g) => {
  const x = anyFloat(g, 1)
  const s = g.info(x).shape
  const bad = s.map((n, k) => (k === s.length - 1 ? n + 1 : n)).slice(g.rng.int(0, s.length - 1))
  const y = g.leaf(
    bad.map((n) => (n === 1 ? 2 : n)),
    g.dt,
    g.rng.chance(0.5),
  )
  g.let('add(mismatch)', call(x, g.rng.pick(['add', 'mul', 'sub', 'maximum']), [v(y)]), res(g, s, g.dt, true))
}

const matmulMismatch: Maker = (g) => {
  const x = anyFloat(g, 1)
  const s = g.info(x).shape
  const n = (s[s.length - 1] as number) + 1
  const w = g.leaf(g.rng.chance(0.5) ? [n, 2] : [g.rng.int(1, 2), n, 2], g.dt, true)
  g.let('matmul(mismatch)', call(x, g.rng.pick(['matmul', 'matmul', 'mm']), [v(w)]), res(g, s, g.dt, true))
}

const viewBad: Maker = (g) => {
  const x = anyFloat(g)
  const n = g.info(x).shape.reduce((a, c) => a * c, 1)
  g.let('view(bad)', call(x, g.rng.pick(['view', 'reshape']), [i(n + 1)]), res(g, [n + 1], g.dt, true))
}

const inplaceLeaf: Maker = (g) => {
  const x = g.leaf([g.rng.int(1, 3)], g.dt, true)
  inplace(g, x, g.rng.pick(['add_', 'mul_', 'zero_', 'clamp_', 'copy_', 'setitem']))
}

const viewOfLeafInplace: Maker = (g) => {
  const x = g.leaf([2, g.rng.int(1, 3)], g.dt, true)
  const [w] = g.rng.chance(0.5)
    ? g.let(
        'index',
        { e: 'index', recv: x, items: [{ t: 'i', v: 0 }] },
        res(g, [g.info(x).shape[1] as number], g.dt, true),
      )
    : g.let('view', call(x, 'view', [i(-1)]), res(g, [2 * (g.info(x).shape[1] as number)], g.dt, true))
  inplace(g, w as string, g.rng.pick(['mul_', 'add_', 'zero_']))
}

const savedModified: Maker = (g) => {
  const x = g.leaf([g.rng.int(1, 3)], g.dt, true)
  const [y] = g.let('mul', call(x, 'mul', [f(2)]), res(g, [1], g.dt, true))
  const op = g.rng.pick(['pow', 'exp', 'sigmoid', 'tanh', 'mul'])
  const args = op === 'pow' ? [f(2)] : op === 'mul' ? [v(y as string)] : []
  const [z] = g.let(op, call(y as string, op, args), res(g, [1], g.dt, true))
  // pow/mul save their input, exp/sigmoid/tanh their output
  const target = op === 'pow' || op === 'mul' ? (y as string) : (z as string)
  g.run('add_', call(target, g.rng.pick(['add_', 'mul_']), [f(1)]))
  const [s] = g.let('sum', call(z as string, 'sum'), res(g, [], g.dt, true))
  g.run('backward(saved modified)', call(s as string, 'backward'))
}

const multiViewInplace: Maker = (g) => {
  const x = g.leaf([g.rng.int(2, 4), 2], g.dt, true)
  const [y] = g.let('mul', call(x, 'mul', [f(2)]), res(g, [1], g.dt, true))
  const which = g.rng.pick(['split', 'chunk', 'unbind'])
  const outs =
    which === 'unbind'
      ? [res(g, [2], g.dt, true), res(g, [2], g.dt, true)]
      : [res(g, [1, 2], g.dt, true), res(g, [1, 2], g.dt, true)]
  const [yy] = g.let('narrow', call(y as string, 'narrow', [i(0), i(0), i(2)]), res(g, [2, 2], g.dt, true))
  const names = g.let(which, call(yy as string, which, which === 'unbind' ? [] : [i(which === 'split' ? 1 : 2)]), outs)
  inplace(g, g.rng.pick(names), g.rng.pick(['mul_', 'add_', 'zero_', 'setitem']))
}

const indexOOB: Maker = (g) => {
  const x = anyFloat(g, 1)
  const n = g.info(x).shape[0] as number
  g.let(
    'index(oob)',
    { e: 'index', recv: x, items: [{ t: 'i', v: g.rng.chance(0.5) ? n : -n - 1 }] },
    res(g, [], g.dt, true),
  )
}

const dimOOR: Maker = (g) => {
  const x = anyFloat(g)
  const r = g.info(x).shape.length
  const op = g.rng.pick(['sum', 'softmax', 'unsqueeze', 'transpose', 'mean'])
  const d = g.rng.chance(0.5)
    ? Math.max(r, 1) + (op === 'unsqueeze' ? 1 : 0)
    : -Math.max(r, 1) - 1 - (op === 'unsqueeze' ? 1 : 0)
  const args = op === 'transpose' ? [i(0), i(d)] : [i(d)]
  g.let(`${op}(dim oor)`, call(x, op, args), res(g, [], g.dt, true))
}

const backwardBad: Maker = (g) => {
  const which = g.rng.int(0, 2)
  if (which === 0) {
    const x = g.leaf([g.rng.int(2, 3)], g.dt, true)
    const [y] = g.let('mul', call(x, 'mul', [f(2)]), res(g, [2], g.dt, true))
    g.run('backward(non-scalar)', call(y as string, 'backward'))
  } else if (which === 1) {
    const x = g.leaf([2], g.dt, false)
    const [y] = g.let('sum', call(x, 'sum'), res(g, [], g.dt, false))
    g.run('backward(no grad)', call(y as string, 'backward'))
  } else {
    const x = g.leaf([2], g.dt, true)
    const [y] = g.let(
      g.rng.pick(['exp', 'sigmoid', 'sin']),
      call(x, g.rng.pick(['exp', 'sigmoid', 'sin'])),
      res(g, [2], g.dt, true),
    )
    const [s] = g.let('sum', call(y as string, 'sum'), res(g, [], g.dt, true))
    g.run('backward', call(s as string, 'backward'))
    g.run('backward(2nd)', call(s as string, 'backward'))
  }
}

const intRequiresGrad: Maker = (g) => {
  g.leaf([2], 'int64', true, 3)
}

const inplaceGrow: Maker = (g) => {
  const x = anyFloat(g)
  const xi = g.info(x)
  const [c] = g.let('clone', call(x, 'clone'), res(g, xi.shape, xi.dtype, xi.rg))
  const y = g.leaf([2, ...xi.shape], g.dt, false)
  g.run('add_(grow)', call(c as string, g.rng.pick(['add_', 'mul_', 'copy_', 'sub_']), [v(y)]))
}

const expandBad: Maker = (g) => {
  const x = anyFloat(g, 1)
  const s = g.info(x).shape
  g.let(
    'expand(bad)',
    call(
      x,
      'expand',
      s.map((n) => i(n === 1 ? 3 : n + 1)),
    ),
    res(g, s, g.dt, true),
  )
}

const MAKERS: ReadonlyArray<Maker> = [
  shapeMismatch,
  matmulMismatch,
  viewBad,
  inplaceLeaf,
  viewOfLeafInplace,
  savedModified,
  multiViewInplace,
  indexOOB,
  dimOOR,
  backwardBad,
  intRequiresGrad,
  inplaceGrow,
  expandBad,
]

/** Appends one deliberately invalid statement (with what it needs). */
export const invalid = (g: Gen): void => {
  g.rng.pick(MAKERS)(g)
}

/**
 * An Optax-style optimizer written by hand over pytrees, as the Optax documentation describes its
 * pieces (optax.chain of GradientTransformation(init, update); clip_by_global_norm; scale_by_adam,
 * Kingma & Ba 2015, with bias correction; an exponential_decay schedule scaled by −1): state is a
 * pytree, the update is jitted, frozen parameters are marked `null` and skipped with
 * `tree.map(..., { isLeaf })` (JAX's is_leaf), and the global norm is taken over
 * `tree.leaves`, rebuilt with `tree.structure` / `tree.unflatten`. Expected values: the same 25
 * steps in float64 JavaScript with the least-squares gradient written out by hand.
 */
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  div,
  grad,
  jit,
  matmul,
  mean,
  minimum,
  mul,
  pow,
  sqrt,
  square,
  sub,
  sum,
  tree,
  zerosLike,
  type NdArray,
} from 'wengert'

type Tree = unknown
interface GradientTransformation {
  init: (params: Tree) => Tree
  update: (updates: Tree, state: Tree, params: Tree) => [Tree, Tree]
}
const f64 = { dtype: 'float64' } as const
const isNone = (x: unknown): boolean => x === null
/** tree.map over the array leaves only: null (frozen) entries stay null. */
const mapArrays = (f: (...xs: NdArray[]) => NdArray, t: Tree, ...rest: Tree[]): Tree =>
  tree.map((x: unknown, ...ys: unknown[]) => (x === null ? null : f(x as NdArray, ...(ys as NdArray[]))), t, ...rest, {
    isLeaf: isNone,
  })

const chain = (...ts: GradientTransformation[]): GradientTransformation => ({
  init: (params) => ts.map((t) => t.init(params)),
  update: (updates, state, params) => {
    const states = state as Tree[]
    const next: Tree[] = []
    let u = updates
    ts.forEach((t, i) => {
      const [u2, s2] = t.update(u, states[i], params)
      u = u2
      next.push(s2)
    })
    return [u, next]
  },
})

const clipByGlobalNorm = (maxNorm: number): GradientTransformation => ({
  init: () => null,
  update: (updates, state) => {
    const leaves = tree.leaves(updates) as NdArray[]
    const g = sqrt(leaves.map((l) => sum(square(l))).reduce((a, b) => add(a, b)))
    const factor = minimum(div(maxNorm, g), 1)
    const def = tree.structure(updates)
    return [
      tree.unflatten(
        def,
        leaves.map((l) => mul(l, factor)),
      ),
      state,
    ]
  },
})

const scaleByAdam = (b1 = 0.9, b2 = 0.999, eps = 1e-8): GradientTransformation => ({
  init: (params) => ({ count: array(0, f64), mu: mapArrays(zerosLike, params), nu: mapArrays(zerosLike, params) }),
  update: (updates, state) => {
    const s = state as { count: NdArray; mu: Tree; nu: Tree }
    const mu = mapArrays((m, g) => add(mul(m, b1), mul(g, 1 - b1)), s.mu, updates)
    const nu = mapArrays((v, g) => add(mul(v, b2), mul(square(g), 1 - b2)), s.nu, updates)
    const count = add(s.count, 1)
    const c1 = sub(1, pow(b1, count))
    const c2 = sub(1, pow(b2, count))
    const out = mapArrays((m, v) => div(div(m, c1), add(sqrt(div(v, c2)), eps)), mu, nu)
    return [out, { count, mu, nu }]
  },
})

const scaleBySchedule = (schedule: (count: NdArray) => NdArray): GradientTransformation => ({
  init: () => array(0, f64),
  update: (updates, state) => {
    const count = state as NdArray
    const step = schedule(count)
    return [mapArrays((u) => mul(u, step), updates), add(count, 1)]
  },
})

/** optax.exponential_decay(init_value, transition_steps, decay_rate), not staircased. */
const exponentialDecay = (lr: number, steps: number, rate: number) => (count: NdArray) =>
  mul(-lr, pow(rate, div(count, steps)))

const applyUpdates = (params: Tree, updates: Tree): Tree => mapArrays(add, params, updates)

// -- the problem: y ≈ x W + b; `frozen` is a null slot (a non-trainable entry)
const X = [
  [1, 2, 0.5],
  [0, -1, 2],
  [3, 1, -1],
  [-2, 0.5, 1],
]
const Y = [
  [1, 0],
  [2, -1],
  [0.5, 3],
  [-1, 1],
]
interface Params {
  w: NdArray
  b: NdArray
  frozen: null
}
const loss = (p: Params, x: NdArray, y: NdArray): NdArray => mean(square(sub(add(matmul(x, p.w), p.b), y)))

const LR = 0.1
const STEPS = 25
const MAXNORM = 1

/** The reference: the same chain in float64 JavaScript. */
const reference = (w0: number[][], b0: number[]): { w: number[][]; b: number[] } => {
  let w = w0.map((r) => [...r])
  let b = [...b0]
  const m = { w: w.map((r) => r.map(() => 0)), b: b.map(() => 0) }
  const v = { w: w.map((r) => r.map(() => 0)), b: b.map(() => 0) }
  for (let t = 0; t < STEPS; t++) {
    const r = X.map((x, n) => b.map((bj, j) => x.reduce((s, xi, i) => s + xi * (w[i] as number[])[j]!, bj) - Y[n]![j]!))
    const scale = 2 / (X.length * b.length)
    const gw = w.map((row, i) => row.map((_, j) => scale * X.reduce((s, x, n) => s + x[i]! * r[n]![j]!, 0)))
    const gb = b.map((_, j) => scale * r.reduce((s, rn) => s + rn[j]!, 0))
    const norm = Math.sqrt([...gw.flat(), ...gb].reduce((s, g) => s + g * g, 0))
    const f = Math.min(MAXNORM / norm, 1)
    const adam = (mm: number[], vv: number[], g: number[]): number[] =>
      g.map((gi, k) => {
        const gc = gi * f
        mm[k] = 0.9 * mm[k]! + 0.1 * gc
        vv[k] = 0.999 * vv[k]! + 0.001 * gc * gc
        return mm[k]! / (1 - 0.9 ** (t + 1)) / (Math.sqrt(vv[k]! / (1 - 0.999 ** (t + 1))) + 1e-8)
      })
    const lr = -LR * 0.5 ** (t / 10)
    w = w.map((row, i) => {
      const upd = adam(m.w[i]!, v.w[i]!, gw[i]!)
      return row.map((wij, j) => wij + lr * upd[j]!)
    })
    const ub = adam(m.b, v.b, gb)
    b = b.map((bj, j) => bj + lr * ub[j]!)
  }
  return { w, b }
}

describe('an Optax-style optimizer chain over pytrees (clip_by_global_norm → adam → schedule)', () => {
  const opt = chain(clipByGlobalNorm(MAXNORM), scaleByAdam(), scaleBySchedule(exponentialDecay(LR, 10, 0.5)))
  const w0 = [
    [0.1, -0.2],
    [0.3, 0.0],
    [-0.1, 0.2],
  ]
  const b0 = [0.05, -0.05]
  const p0: Params = { w: array(w0, f64), b: array(b0, f64), frozen: null }
  const x = array(X, f64)
  const y = array(Y, f64)
  const step = (params: Params, state: Tree): [Params, Tree] => {
    const g = grad(loss)(params, x, y) as unknown as Params
    const [updates, next] = opt.update({ ...g, frozen: null }, state, params)
    return [applyUpdates(params, updates) as Params, next]
  }
  const run = (s: typeof step): Params => {
    let params = p0
    let state = opt.init(p0)
    for (let t = 0; t < STEPS; t++) [params, state] = s(params, state)
    return params
  }

  it('25 eager steps equal the float64 reference; the frozen null slot is kept', () => {
    const got = run(step)
    const ref = reference(w0, b0)
    ;(got.w.tolist() as number[][]).forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(ref.w[i]![j]!, 12)))
    ;(got.b.tolist() as number[]).forEach((v, j) => expect(v).toBeCloseTo(ref.b[j]!, 12))
    expect(got.frozen).toBeNull()
    expect(Number(loss(got, x, y).item())).toBeLessThan(Number(loss(p0, x, y).item()))
  })

  it('the jitted update equals eager, state pytree included', () => {
    const eager = run(step)
    const jitted = run(jit(step) as typeof step)
    expect(Math.max(...Array.from(sub(eager.w, jitted.w).toTypedArray(), (v) => Math.abs(Number(v))))).toBeLessThan(
      1e-13,
    )
    expect(Math.max(...Array.from(sub(eager.b, jitted.b).toTypedArray(), (v) => Math.abs(Number(v))))).toBeLessThan(
      1e-13,
    )
    expect(jitted.frozen).toBeNull()
  })

  it('tree.map with { isLeaf } sees null as a leaf; without it null is an empty subtree', () => {
    const seen: unknown[] = []
    tree.map((v: unknown) => seen.push(v), { a: 1, b: null }, { isLeaf: isNone })
    expect(seen).toEqual([1, null])
    const plain: unknown[] = []
    tree.map((v: unknown) => plain.push(v), { a: 1, b: null })
    expect(plain).toEqual([1])
    const paths: string[] = []
    tree.mapWithPath((p, v: unknown) => paths.push(`${tree.keystr(p)}:${String(v)}`), [null, 2], { isLeaf: isNone })
    expect(paths).toEqual(['[0]:null', '[1]:2'])
    expect(() => tree.map((v: unknown) => v, [1], { isLeaf: 3 as unknown as () => boolean })).toThrow(
      /tree.map: isLeaf must be a function/,
    )
  })
})

/**
 * exampleLibraries.optimizers against float64 NumPy references of JAX's update formulas
 * (fixtures/optimizers.py → optimizers.json), plus the state's pytree behaviour, schedules,
 * clipping and argument binding.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  array,
  exampleLibraries,
  jit,
  tree,
  grad,
  sum,
  square,
  TreeMismatchError,
  ValueError,
  type NdArray,
} from 'wengert'

const { optimizers: O } = exampleLibraries
type Tree = { w: NdArray; b: NdArray; s: NdArray }
type Raw = { w: number[][]; b: number[]; s: number }
const fx = JSON.parse(readFileSync(new URL('./fixtures/optimizers.json', import.meta.url), 'utf8')) as {
  params0: Raw
  grads: Raw[]
  results: Record<string, Raw[]>
}
const f64 = (r: Raw): Tree => ({
  w: array(r.w, { dtype: 'float64' }),
  b: array(r.b, { dtype: 'float64' }),
  s: array(r.s, { dtype: 'float64' }),
})

/** |got − want| ≤ tol·(1 + |want|), elementwise over nested lists. */
const close = (got: unknown, want: unknown, tol: number, what: string): void => {
  if (Array.isArray(want)) {
    expect((got as unknown[]).length, what).toBe(want.length)
    want.forEach((w, i) => close((got as unknown[])[i], w, tol, `${what}[${i}]`))
    return
  }
  const [g, w] = [Number(got), want as number]
  expect(Math.abs(g - w), `${what}: ${g} vs ${w}`).toBeLessThanOrEqual(tol * (1 + Math.abs(w)))
}

const schedExp = (i: number | NdArray): number | NdArray => O.exponentialDecay(0.1, 3, 0.5)(i) as number | NdArray
const CASES: Record<string, () => exampleLibraries.optimizers.Optimizer> = {
  sgd: () => O.sgd(0.1),
  sgd_exp: () => O.sgd(schedExp),
  momentum: () => O.momentum(0.1, 0.9),
  nesterov: () => O.nesterov(0.1, { mass: 0.9 }),
  adagrad: () => O.adagrad(0.1),
  'adagrad_m0.5': () => O.adagrad(0.1, { momentum: 0.5 }),
  rmsprop: () => O.rmsprop(0.1),
  rmsprop_momentum: () => O.rmspropMomentum(0.1),
  adam: () => O.adam(0.1),
  adam_custom: () => O.adam(schedExp, 0.8, { b2: 0.99, eps: 1e-3 }),
  adamax: () => O.adamax(0.1),
  sm3: () => O.sm3(0.1),
  'sm3_m0.5': () => O.sm3({ stepSize: 0.1, momentum: 0.5 }),
}

describe('exampleLibraries.optimizers: JAX update formulas (NumPy float64 references)', () => {
  for (const [name, make] of Object.entries(CASES)) {
    it(`${name}: six steps on {w, b, s} match`, () => {
      const [init, update, getParams] = make()
      let state = init(f64(fx.params0))
      fx.grads.forEach((g, i) => {
        state = update(i, f64(g), state)
        const p = getParams(state)
        for (const k of ['w', 'b', 's'] as const)
          close(p[k].toArray(), fx.results[name]![i]![k], 1e-13, `${name} step ${i} ${k}`)
        expect(p.s.shape).toEqual([])
      })
    })
  }

  it('the same steps under jit, the index traced, give the same numbers', () => {
    for (const name of ['adam', 'adam_custom', 'sm3', 'adamax']) {
      const [init, update, getParams] = CASES[name]!()
      const step = jit((i: NdArray, g: Tree, s: exampleLibraries.optimizers.OptimizerState<Tree>) => update(i, g, s))
      let state = init(f64(fx.params0))
      fx.grads.forEach((g, i) => (state = step(array(i, { dtype: 'int32' }), f64(g), state)))
      const p = getParams(state)
      // adam_custom's schedule 0.1·0.5^(i/3) is computed from the int32 index in float32 (as JAX without x64)
      const tol = name === 'adam_custom' ? 1e-6 : 1e-12
      for (const k of ['w', 'b', 's'] as const) close(p[k].toArray(), fx.results[name]![5]![k], tol, `jit ${name} ${k}`)
    }
  })

  it('adam in float32 computes the bias correction in float32 and keeps float32 state', () => {
    const [init, update, getParams] = O.adam(0.1)
    const s = update(0, [array([0.5])], init([array([1])]))
    const x = getParams(s)[0]!
    expect(x.dtype).toBe('float32')
    // first step: x − 0.1·(g/(1−b1)) / (|g|/√(1−b2) + eps) = 1 − 0.1·sign(g) up to eps
    close(x.toArray(), [Math.fround(0.9)], 1e-6, 'adam f32')
    expect((tree.leaves(s as unknown) as NdArray[]).every((l) => l.dtype === 'float32')).toBe(true)
  })

  it('training a quadratic converges with every optimizer', () => {
    const loss = (p: { w: NdArray }): NdArray => sum(square(p.w))
    // the decaying schedules' step sizes sum to a finite total: they are left out
    for (const [name, make] of Object.entries(CASES).filter(([n]) => n !== 'sgd_exp' && n !== 'adam_custom')) {
      const [init, update, getParams] = make()
      let s = init({ w: array([1, -2, 0.5], { dtype: 'float64' }) })
      for (let i = 0; i < 300; i++) s = update(i, grad(loss)(getParams(s)), s)
      expect(Number(loss(getParams(s)).item()), name).toBeLessThan(0.05)
    }
  })
})

describe('exampleLibraries.optimizers: state, schedules, utilities, errors', () => {
  it('OptimizerState is a pytree: its leaves are the state arrays; it destructures like the namedtuple', () => {
    const [init] = O.adam(0.1)
    const s = init({ a: array([1, 2]), b: [array(3)] })
    expect(tree.leaves(s)).toHaveLength(6)
    const [packed, def, subs] = s
    expect((packed as unknown[]).length).toBe(2)
    expect(def).toBe(O.OptimizerState.structures(s)[0])
    expect((subs as unknown[]).length).toBe(2)
    const doubled = tree.map((x: NdArray) => x.mul(2), s as never) as unknown
    expect(doubled).toBeInstanceOf(O.OptimizerState)
  })

  it('unpack/pack round-trip keeps every state array and the structure', () => {
    const [init, update, getParams] = O.momentum(0.5, 0.9)
    const s = update(0, { a: array([1, 1]) }, init({ a: array([0, 1]) }))
    const marked = O.unpackOptimizerState(s) as { a: exampleLibraries.optimizers.JoinPoint }
    expect(marked.a).toBeInstanceOf(O.JoinPoint)
    expect([...marked.a].map((x) => (x as NdArray).toArray())).toEqual([
      [-0.5, 0.5],
      [1, 1],
    ])
    const back = O.packOptimizerState<{ a: NdArray }>(marked)
    expect(getParams(back).a.toArray()).toEqual([-0.5, 0.5])
    expect(() => O.packOptimizerState({ a: 1 })).toThrow(ValueError)
  })

  it('a gradient tree of another structure is a TreeMismatchError with JAX text', () => {
    const [init, update] = O.sgd(0.1)
    const s = init({ a: array([1]) })
    expect(() => update(0, { b: array([1]) } as never, s)).toThrow(TreeMismatchError)
    expect(() => update(0, { b: array([1]) } as never, s)).toThrow(/did not match the parameter tree structure/)
  })

  it('schedules: values of JAX formulas, eager and traced', () => {
    const cases: Array<[exampleLibraries.optimizers.Schedule, number, number]> = [
      [O.constant(0.3), 5, 0.3],
      [O.exponentialDecay(0.1, 3, 0.5), 6, 0.025],
      [O.inverseTimeDecay(1, 4, 2), 6, 1 / 4],
      [O.inverseTimeDecay(1, 4, 2, true), 6, 1 / 3],
      [O.inverseTimeDecay(1, 4, 2, { staircase: true }), 3, 1],
      [O.polynomialDecay(1, 10, 0.1, 2), 5, 0.25 * 0.9 + 0.1],
      [O.polynomialDecay(1, 10, 0.1, { power: 2 }), 50, 0.1],
      [O.piecewiseConstant([2, 5], [1, 0.5, 0.25]), 2, 1],
      [O.piecewiseConstant([2, 5], [1, 0.5, 0.25]), 3, 0.5],
      [O.piecewiseConstant([2, 5], [1, 0.5, 0.25]), 9, 0.25],
    ]
    for (const [s, i, want] of cases) {
      close(s(i), want, 1e-15, `eager ${i}`)
      const traced = jit((k: NdArray) => array(0, { dtype: 'float64' }).add(s(k)))(array(i, { dtype: 'float64' }))
      close(traced.item(), want, 1e-6, `traced ${i}`)
    }
    expect(() => O.piecewiseConstant([1, 2], [1, 2])).toThrow(
      'boundaries length must be one shorter than values length',
    )
    expect(() => O.makeSchedule(array([1, 2]))).toThrow(ValueError)
  })

  it('l2Norm and clipGrads', () => {
    const g = { a: array([3, 0], { dtype: 'float64' }), b: array([[4]], { dtype: 'float64' }) }
    expect(O.l2Norm(g).item()).toBe(5)
    const c = O.clipGrads(g, 1)
    close(c.a.toArray(), [0.6, 0], 1e-15, 'clip a')
    close(c.b.toArray(), [[0.8]], 1e-15, 'clip b')
    expect(O.clipGrads(g, 10).a.toArray()).toEqual([3, 0])
  })

  it('hyperparameters: positional, keyword, both, missing', () => {
    expect(() => O.momentum(0.1)).toThrow("momentum() missing required argument: 'mass'")
    expect(() => O.adam(0.1, 0.9, { b1: 0.8 })).toThrow("adam() got multiple values for argument 'b1'")
    expect(() => O.adam(0.1, { beta1: 0.8 } as never)).toThrow(ValueError)
    expect(() => O.sgd(0.1, 2 as never)).toThrow('sgd() takes 1 positional arguments but 2 were given')
  })

  it('optimizer lifts a per-array rule', () => {
    const halve = O.optimizer(
      (r: number) => [(x0: NdArray) => x0, (_i, g: NdArray, x: NdArray) => x.sub(g.mul(r)), (x: NdArray) => x] as const,
    )
    const [init, update, getParams] = halve(0.5)
    expect(getParams(update(0, [array([2])], init([array([1])])))[0]!.toArray()).toEqual([0])
  })
})

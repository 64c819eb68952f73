/**
 * `nn` (jax.nn): activations and softmax-family functions against NumPy/SciPy values written from
 * the jax.nn definitions (fixtures/nn.py → nn.json), derivatives against float64 finite
 * differences (checkGrads, orders 1 and 2), JAX's derivatives at the kinks, vmap/jit, errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { array, checkGrads, grad, jit, nn, sum, mul, ValueError, vmap, type NdArray } from 'wengert'
import { expectClose, f64 } from '../../transforms/helpers'

type Rows = ReadonlyArray<ReadonlyArray<number | string>>
const ref = JSON.parse(readFileSync(new URL('./fixtures/nn.json', import.meta.url), 'utf8')) as {
  x: number[]
  acts: Record<string, number[]>
  mask: boolean[][]
  [k: string]: unknown
}
const x = f64(ref.x)
const m = f64(ref['m'] as number[][])
const mask = array(ref.mask)
const rows = (k: string): number[][] =>
  (ref[k] as Rows).map((r) => r.map((v) => (v === '-inf' ? -Infinity : (v as number))))

type Act = (x: NdArray) => NdArray
const acts: Record<string, Act> = {
  relu: nn.relu,
  relu6: nn.relu6,
  sigmoid: nn.sigmoid,
  softplus: nn.softplus,
  softSign: nn.softSign,
  silu: nn.silu,
  mish: nn.mish,
  logSigmoid: nn.logSigmoid,
  elu: (v) => nn.elu(v),
  elu_alpha_0_5: (v) => nn.elu(v, { alpha: 0.5 }),
  selu: nn.selu,
  celu: (v) => nn.celu(v),
  celu_alpha_2: (v) => nn.celu(v, 2),
  leakyRelu: (v) => nn.leakyRelu(v),
  leakyRelu_0_2: (v) => nn.leakyRelu(v, { negativeSlope: 0.2 }),
  hardTanh: nn.hardTanh,
  hardSigmoid: nn.hardSigmoid,
  hardSilu: nn.hardSilu,
  gelu: (v) => nn.gelu(v),
  gelu_exact: (v) => nn.gelu(v, { approximate: false }),
  squareplus: (v) => nn.squareplus(v),
  squareplus_b_1: (v) => nn.squareplus(v, { b: 1 }),
  sparsePlus: nn.sparsePlus,
  sparseSigmoid: nn.sparseSigmoid,
}

describe('nn activations against the jax.nn definitions (float64)', () => {
  it('covers every fixture', () => expect(Object.keys(acts).sort()).toEqual(Object.keys(ref.acts).sort()))
  for (const [name, f] of Object.entries(acts)) {
    it(`${name}: values`, () => expectClose(f(x), ref.acts[name] as number[], { rtol: 1e-13, atol: 1e-15 }))
    // the fixture's points avoid every kink, so finite differences apply
    it(`${name}: derivatives (orders 1, 2)`, () => checkGrads(f, [x], { order: 2 }))
  }
  it('keeps float32 as float32 and promotes ints', () => {
    expect(nn.gelu(array([1, 2])).dtype).toBe('float32')
    expect(nn.elu(array([1, 2], { dtype: 'int32' })).dtype).toBe('float32')
    expect(nn.leakyRelu(array([-1], { dtype: 'float32' }), 0.5).dtype).toBe('float32')
  })
  it('stays finite far out', () => {
    expect(nn.logSigmoid(f64([-800, 800])).toArray()).toEqual([-800, -0])
    expect(nn.elu(f64([800])).toArray()).toEqual([800])
    expect(grad((v: NdArray) => sum(nn.elu(v)))(f64([800, -800])).toArray()).toEqual([1, 0])
  })
})

describe("nn: JAX's derivatives at the kinks", () => {
  const d = (f: Act, at: number): number => Number(grad(f)(f64(at)).item())
  const cases: ReadonlyArray<[string, Act, number, number]> = [
    ['relu at 0', nn.relu, 0, 0],
    ['relu6 at 0', nn.relu6, 0, 0],
    ['relu6 at 6', nn.relu6, 6, 0],
    ['leakyRelu at 0', (v) => nn.leakyRelu(v), 0, 1],
    ['hardTanh at 1', nn.hardTanh, 1, 1],
    ['hardTanh at -1', nn.hardTanh, -1, 1],
    ['hardSigmoid at -3', nn.hardSigmoid, -3, 0],
    ['hardSigmoid at 3', nn.hardSigmoid, 3, 0],
    ['elu at 0', (v) => nn.elu(v), 0, 1],
    ['elu(alpha 0.5) at 0', (v) => nn.elu(v, 0.5), 0, 0.5],
    // jnp.maximum/minimum split a tie's derivative in halves: ½ + ½
    ['celu at 0', (v) => nn.celu(v), 0, 1],
    ['sparsePlus at -1', nn.sparsePlus, -1, 0],
    ['sparsePlus at 1', nn.sparsePlus, 1, 1],
    // ½ · (½ from jnp.clip's maximum tie)
    ['sparseSigmoid at -1', nn.sparseSigmoid, -1, 0.25],
    ['softplus at 0', nn.softplus, 0, 0.5],
    ['softSign at 0', nn.softSign, 0, 1],
    ['silu at 0', nn.silu, 0, 0.5],
    ['gelu at 0', (v) => nn.gelu(v), 0, 0.5],
  ]
  for (const [name, f, at, want] of cases) it(name, () => expect(d(f, at)).toBe(want))
})

describe('nn softmax family against NumPy/SciPy (float64)', () => {
  it('softmax over an axis, all axes, and with where', () => {
    expectClose(nn.softmax(m), rows('softmax_last'), { rtol: 1e-13 })
    expectClose(nn.softmax(m, 0), rows('softmax_axis0'), { rtol: 1e-13 })
    expectClose(nn.softmax(m, { axis: null }), rows('softmax_all'), { rtol: 1e-13 })
    expectClose(nn.softmax(m, { axis: [0, 1] }), rows('softmax_all'), { rtol: 1e-13 })
    expectClose(nn.softmax(m, { where: mask }), rows('softmax_where'), { rtol: 1e-13 })
  })
  it('logSoftmax, with where giving -inf', () => {
    expectClose(nn.logSoftmax(m), rows('log_softmax_last'), { rtol: 1e-13 })
    expect(nn.logSoftmax(m, { where: mask }).toArray()).toEqual(
      rows('log_softmax_where').map((r, i) =>
        r.map((v, j) => (Number.isFinite(v) ? expect.closeTo(v, 12) : ref.mask[i]![j] ? v : -Infinity)),
      ),
    )
  })
  it('logsumexp: positional axis, where, returnSign', () => {
    expectClose(nn.logsumexp(m, 1), ref['logsumexp_axis1'] as number[], { rtol: 1e-13 })
    expectClose(nn.logsumexp(m, { axis: 1, where: mask }), ref['logsumexp_where_axis1'] as number[], { rtol: 1e-13 })
    const [v, s] = nn.logsumexp(f64([0, 0]), { b: f64([1, -3]), returnSign: true })
    expect(Number(v.item())).toBeCloseTo(Math.log(2), 14)
    expect(s.item()).toBe(-1)
  })
  it('standardize and glu', () => {
    expectClose(nn.standardize(m), rows('standardize_last'), { rtol: 1e-12 })
    expectClose(nn.standardize(m, { axis: 0 }), rows('standardize_axis0'), { rtol: 1e-12 })
    expectClose(nn.glu(m), rows('glu_last'), { rtol: 1e-13 })
    const m4 = f64([...(ref['m'] as number[][]), (ref['m'] as number[][])[0]!])
    expectClose(nn.glu(m4, 0), rows('glu_axis0'), { rtol: 1e-13 })
  })
  it('standardize with where counts only the included elements', () => {
    const y = nn.standardize(f64([1, 3, 100]), { where: array([true, true, false]), epsilon: 0 })
    expectClose(y, [-1, 1, 98], { rtol: 1e-14 })
  })
  it('derivatives against finite differences (orders 1, 2)', () => {
    const w = f64(ref['m'] as number[][])
    const tilt = (f: Act) => (v: NdArray) => sum(mul(f(v), w))
    checkGrads(
      tilt((v) => nn.softmax(v)),
      [m],
      { order: 2 },
    )
    checkGrads(
      tilt((v) => nn.softmax(v, { where: mask })),
      [m],
      { order: 2 },
    )
    checkGrads(
      tilt((v) => nn.logSoftmax(v, 0)),
      [m],
      { order: 2 },
    )
    checkGrads((v: NdArray) => nn.logsumexp(v, { axis: 1, where: mask }), [m], { order: 2 })
    checkGrads(
      tilt((v) => nn.standardize(v)),
      [m],
      { order: 2 },
    )
    checkGrads((v: NdArray) => nn.glu(v), [m], { order: 2 })
  })
  it('the excluded elements of where get zero gradient', () => {
    const g = grad((v: NdArray) => sum(mul(nn.softmax(v, { where: mask }), m)))(m).toArray() as number[][]
    ref.mask.forEach((r, i) => r.forEach((keep, j) => keep || expect(g[i]![j]).toBe(0)))
  })
  it('oneHot is jnp/jax.nn one_hot', () => {
    expect(nn.oneHot(array([0, 2, 5], { dtype: 'int32' }), 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
    ])
  })
})

describe('nn under transforms', () => {
  it('vmap and jit agree with the eager result', () => {
    const f = (v: NdArray): NdArray => nn.gelu(nn.softmax(v))
    const eager = f(m).toArray()
    expectClose(vmap(f)(m), eager as number[][], { rtol: 1e-14 })
    expectClose(jit(f)(m), eager as number[][], { rtol: 1e-14 })
    expectClose(jit((v: NdArray) => nn.relu6(nn.hardSilu(v)))(x), nn.relu6(nn.hardSilu(x)).toArray() as number[])
  })
})

describe('nn argument errors', () => {
  it('unknown options name the valid ones', () => {
    expect(() => nn.elu(x, { alhpa: 1 } as never)).toThrow(/unexpected keyword argument 'alhpa'; did you mean 'alpha'/)
    expect(() => nn.softmax(m, { axes: 0 } as never)).toThrow(ValueError)
    expect(() => nn.gelu(x, { approx: true } as never)).toThrow(/valid options: approximate/)
    expect(() => nn.logsumexp(m, { return_sign: true } as never)).toThrow(/did you mean 'returnSign'/)
  })
  it('glu needs an even axis', () => {
    expect(() => nn.glu(f64([1, 2, 3]))).toThrow(/axis size must be divisible by 2, got 3/)
  })
  it('softmax axis out of range', () => expect(() => nn.softmax(m, 2)).toThrow(/out of bounds/))
})

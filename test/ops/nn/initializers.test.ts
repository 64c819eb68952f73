/**
 * `nn.initializers` (jax.nn.initializers): each initializer is JAX's formula over the `random`
 * samplers (checked draw for draw against the samplers with the same key), fans as JAX computes
 * them, orthogonality, dtypes, and argument errors.
 */
import { describe, expect, it } from 'vitest'
import { matmul, nn, random, reshape, transpose, ValueError, type NdArray } from 'wengert'
import { expectClose } from '../../transforms/helpers'

const init = nn.initializers
const key = random.key(42)
const flat = (a: NdArray): number[] => (a.toArray() as number[] | number[][]).flat(3) as number[]

describe('nn.initializers: simple ones', () => {
  it('zeros, ones, constant keep the shape and dtype', () => {
    expect(init.zeros(key, [2, 3]).toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ])
    expect(init.ones(key, [2], 'float64').dtype).toBe('float64')
    expect(init.constant(3, 'float64')(key, [2]).dtype).toBe('float64')
    expect(init.constant(3)(key, [1, 2]).toArray()).toEqual([[3, 3]])
  })
  it('uniform, normal and truncatedNormal scale the samplers (defaults 1e-2)', () => {
    const u = random.uniform(key, [5], { dtype: 'float64' })
    expectClose(
      init.uniform()(key, [5], 'float64'),
      flat(u).map((v) => v * 1e-2),
      { rtol: 1e-15 },
    )
    expectClose(
      init.uniform({ scale: 3 })(key, [5], 'float64'),
      flat(u).map((v) => v * 3),
      { rtol: 1e-15 },
    )
    const z = random.normal(key, [5], { dtype: 'float64' })
    expectClose(
      init.normal(0.5, 'float64')(key, [5]),
      flat(z).map((v) => v * 0.5),
      { rtol: 1e-15 },
    )
    const t = random.truncatedNormal(key, -1, 3, [5], { dtype: 'float64' })
    const got = init.truncatedNormal({ stddev: 2, lower: -1, upper: 3 })(key, [5], 'float64')
    expectClose(
      got,
      flat(t).map((v) => v * 2),
      { rtol: 1e-15 },
    )
    expect(flat(init.truncatedNormal()(key, [500])).every((v) => Math.abs(v) <= 0.02)).toBe(true)
  })
  it('default dtype float32; the dtype argument overrides the builder default', () => {
    expect(init.normal()(key, [2]).dtype).toBe('float32')
    expect(init.normal({ dtype: 'float64' })(key, [2]).dtype).toBe('float64')
    expect(init.normal({ dtype: 'float64' })(key, [2], 'float32').dtype).toBe('float32')
  })
})

describe('nn.initializers.varianceScaling', () => {
  // a conv kernel HWIO [3, 3, 4, 8]: receptive field 9, fan_in 36, fan_out 72
  const shape = [3, 3, 4, 8]
  it("draws JAX's formulas for each distribution and mode", () => {
    const u = flat(random.uniform(key, shape, { dtype: 'float64', minval: -1 }))
    expectClose(
      init.heUniform()(key, shape, 'float64'),
      u.map((v) => v * Math.sqrt((3 * 2) / 36)),
      { rtol: 1e-14 },
    )
    expectClose(
      init.glorotUniform()(key, shape, 'float64'),
      u.map((v) => v * Math.sqrt(3 / 54)),
      { rtol: 1e-14 },
    )
    expectClose(
      init.lecunUniform()(key, shape, 'float64'),
      u.map((v) => v * Math.sqrt(3 / 36)),
      { rtol: 1e-14 },
    )
    const tn = flat(random.truncatedNormal(key, -2, 2, shape, { dtype: 'float64' }))
    const c = 0.87962566103423978
    expectClose(
      init.heNormal()(key, shape, 'float64'),
      tn.map((v) => (v * Math.sqrt(2 / 36)) / c),
      { rtol: 1e-14 },
    )
    expectClose(
      init.glorotNormal()(key, shape, 'float64'),
      tn.map((v) => (v * Math.sqrt(1 / 54)) / c),
      {
        rtol: 1e-14,
      },
    )
    expectClose(
      init.lecunNormal()(key, shape, 'float64'),
      tn.map((v) => (v * Math.sqrt(1 / 36)) / c),
      {
        rtol: 1e-14,
      },
    )
    const z = flat(random.normal(key, shape, { dtype: 'float64' }))
    const fo = init.varianceScaling(0.5, 'fan_out', 'normal')(key, shape, 'float64')
    expectClose(
      fo,
      z.map((v) => v * Math.sqrt(0.5 / 72)),
      { rtol: 1e-14 },
    )
  })
  it('inAxis, outAxis, batchAxis choose the fans', () => {
    // OIHW [8, 4, 3, 3] with inAxis 1, outAxis 0: the same fans as HWIO above
    const z = flat(random.normal(key, [8, 4, 3, 3], { dtype: 'float64' }))
    const f = init.varianceScaling(1, 'fan_in', 'normal', { inAxis: 1, outAxis: 0, dtype: 'float64' })
    expectClose(
      f(key, [8, 4, 3, 3]),
      z.map((v) => v * Math.sqrt(1 / 36)),
      { rtol: 1e-14 },
    )
    // a batch of 5 dense [6, 2] matrices: fan_in 6
    const zb = flat(random.normal(key, [5, 6, 2], { dtype: 'float64' }))
    const fb = init.varianceScaling(1, 'fan_in', 'normal', { batchAxis: [0], dtype: 'float64' })
    expectClose(
      fb(key, [5, 6, 2]),
      zb.map((v) => v * Math.sqrt(1 / 6)),
      { rtol: 1e-14 },
    )
  })
  it('the sample variance is near scale / fan', () => {
    const w = flat(init.heNormal()(random.key(3), [400, 50], 'float64'))
    const v = w.reduce((s, a) => s + a * a, 0) / w.length
    expect(Math.abs(v / (2 / 400) - 1)).toBeLessThan(0.05)
  })
  it('aliases', () => {
    expect(init.xavierUniform).toBe(init.glorotUniform)
    expect(init.kaimingNormal).toBe(init.heNormal)
  })
  it('errors', () => {
    expect(() => init.glorotUniform()(key, [5])).toThrow(/1-dimensional weights tensor; it must be at least 2D/)
    expect(() => init.varianceScaling(1, 'fan_sum' as never, 'normal')).toThrow(
      /invalid mode for variance scaling initializer: fan_sum/,
    )
    expect(() => init.varianceScaling(1, 'fan_in', 'cauchy' as never)).toThrow(ValueError)
    expect(() => init.heNormal({ in_axis: 0 } as never)).toThrow(/did you mean 'inAxis'/)
  })
})

describe('nn.initializers.orthogonal', () => {
  const gram = (w: NdArray): number[][] => matmul(transpose(w), w).toArray() as number[][]
  const isEye = (g: number[][]): boolean =>
    g.every((r, i) => r.every((v, j) => Math.abs(v - (i === j ? 1 : 0)) < 1e-12))
  it('tall and wide matrices have orthonormal columns / rows', () => {
    expect(isEye(gram(init.orthogonal()(key, [5, 3], 'float64')))).toBe(true)
    const wide = init.orthogonal()(key, [3, 5], 'float64')
    expect(isEye(gram(transpose(wide)))).toBe(true)
  })
  it('scale multiplies; columnAxis holds the columns of the [rows, cols] matrix', () => {
    const w = init.orthogonal({ scale: 2 })(key, [4, 4], 'float64')
    expectClose(
      matmul(transpose(w), w),
      [
        [4, 0, 0, 0],
        [0, 4, 0, 0],
        [0, 0, 4, 0],
        [0, 0, 0, 4],
      ],
      { atol: 1e-12 },
    )
    // column axis 0 of [3, 2, 2]: the matrix is [4, 3] (rows = 2·2) moved so its columns lead
    const c = init.orthogonal({ columnAxis: 0 })(key, [3, 2, 2], 'float64')
    expect(c.shape).toEqual([3, 2, 2])
    expect(isEye(gram(transpose(reshape(c, [3, 4]))))).toBe(true)
  })
  it('needs 2-D', () => expect(() => init.orthogonal()(key, [3])).toThrow(/at least a 2D shape/))
})

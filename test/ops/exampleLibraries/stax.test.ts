/**
 * exampleLibraries.stax: init's output shapes agree with apply's outputs for every layer; the
 * keys are split as JAX's stax splits them (so a key gives the draws of the same initializers
 * called by hand); layer values against hand computations.
 */
import { describe, expect, it } from 'vitest'
import { array, exampleLibraries, grad, jit, nn, ones, random, sum, ValueError, type NdArray } from 'wengert'

const S = exampleLibraries.stax
const key = random.key(0)
const concrete = (s: ReadonlyArray<number>): number[] => s.map((d) => (d === -1 ? 2 : d))

describe('exampleLibraries.stax', () => {
  const cases: Array<[string, exampleLibraries.stax.Layer<NdArray, exampleLibraries.stax.StaxShape>, number[]]> = [
    ['Dense', S.Dense(5), [-1, 3]],
    ['Conv SAME stride 2', S.Conv(4, [3, 3], { strides: [2, 2], padding: 'SAME' }), [-1, 9, 9, 2]],
    ['Conv VALID', S.Conv(4, [2, 3]), [-1, 6, 7, 2]],
    ['GeneralConv NCHW', S.GeneralConv(['NCHW', 'OIHW', 'NCHW'], 3, [3, 3], { padding: 'SAME' }), [-1, 2, 5, 5]],
    ['ConvTranspose VALID', S.ConvTranspose(3, [3, 3], { strides: [2, 2] }), [-1, 4, 4, 2]],
    ['ConvTranspose SAME', S.ConvTranspose(3, [3, 3], { strides: [2, 2], padding: 'SAME' }), [-1, 4, 4, 2]],
    ['Conv1DTranspose', S.Conv1DTranspose(2, [4], { strides: [3] }), [-1, 5, 3]],
    ['MaxPool', S.MaxPool([2, 2], { strides: [2, 2] }), [-1, 5, 5, 3]],
    ['SumPool SAME', S.SumPool([3, 3], { padding: 'SAME' }), [-1, 5, 5, 3]],
    ['AvgPool NCHW spec', S.AvgPool([2, 2], { strides: [1, 2], spec: 'NCHW' }), [-1, 3, 5, 5]],
    ['BatchNorm', S.BatchNorm(), [-1, 4, 4, 3]],
    ['Flatten', S.Flatten, [-1, 2, 3, 4]],
    ['serial', S.serial(S.Dense(4), S.Gelu, S.Dense(2), S.Softmax) as exampleLibraries.stax.Layer, [-1, 6]],
    [
      'residual',
      S.serial(S.FanOut(2), S.parallel(S.Dense(3), S.Identity), S.FanInSum) as exampleLibraries.stax.Layer,
      [-1, 3],
    ],
    [
      'concat',
      S.serial(S.FanOut(2), S.parallel(S.Dense(2), S.Tanh), S.FanInConcat()) as exampleLibraries.stax.Layer,
      [-1, 3],
    ],
  ]
  for (const [name, [init, apply], inShape] of cases) {
    it(`${name}: init's output shape is apply's`, () => {
      const [outShape, params] = init(key, inShape)
      const y = apply(params, random.normal(random.key(1), concrete(inShape)))
      expect(y.shape).toEqual(concrete(outShape as number[]))
      expect(outShape[0]).toBe(-1)
    })
  }

  it('Dense draws glorot_normal W and normal(1e-2) b from split(rng)', () => {
    const [, [W, b]] = S.Dense(4)[0](key, [3, 7]) as [unknown, [NdArray, NdArray]]
    const [k1, k2] = random.split(key)
    expect(W.toArray()).toEqual(nn.initializers.glorotNormal()(k1, [7, 4]).toArray())
    expect(b.toArray()).toEqual(nn.initializers.normal(1e-2)(k2, [4]).toArray())
  })

  it('serial gives layer k the second half of the k-th split of the running key', () => {
    const [, params] = S.serial(S.Dense(2), S.Relu, S.Dense(3))[0](key, [1, 4]) as [unknown, NdArray[][]]
    let rng = key
    const want: unknown[] = []
    for (const layer of [S.Dense(2), S.Relu, S.Dense(3)]) {
      const [next, sub] = random.split(rng)
      rng = next
      want.push(layer[0](sub, want.length === 0 ? [1, 4] : want.length === 1 ? [1, 2] : [1, 2])[1])
    }
    expect((params[2] as NdArray[])[0]!.toArray()).toEqual(((want[2] as NdArray[])[0] as NdArray).toArray())
    expect(params[1]).toEqual([])
  })

  it('Conv uses normal(1e-6) bias of shape [1,1,1,C] and glorot over the kernel I/O axes', () => {
    const [, [W, b]] = S.Conv(5, [3, 3])[0](key, [1, 8, 8, 2]) as [unknown, [NdArray, NdArray]]
    expect(W.shape).toEqual([3, 3, 2, 5])
    expect(b.shape).toEqual([1, 1, 1, 5])
    const [k1, k2] = random.split(key)
    expect(W.toArray()).toEqual(nn.initializers.glorotNormal({ inAxis: 2, outAxis: 3 })(k1, [3, 3, 2, 5]).toArray())
    expect(b.toArray()).toEqual(nn.initializers.normal(1e-6)(k2, [1, 1, 1, 5]).toArray())
  })

  it('BatchNorm standardises over the axes, then γ·z + β', () => {
    const x = array(
      [
        [1, 2],
        [3, 6],
      ],
      { dtype: 'float64' },
    )
    const beta = array([1, -1], { dtype: 'float64' })
    const gamma = array([2, 3], { dtype: 'float64' })
    const y = S.BatchNorm(0, { epsilon: 0 })[1]([beta, gamma], x).toArray() as number[][]
    // column 0: mean 2, var 1 → z = ∓1; column 1: mean 4, var 4 → z = ∓1
    expect(y).toEqual([
      [-1, -4],
      [3, 2],
    ])
    expect(S.BatchNorm({ axis: [0], center: false })[0](key, [5, 2])[1]).toEqual([[], expect.anything()])
  })

  it('AvgPool divides by the in-bounds window size', () => {
    const x = array([[[1], [2], [3]]], { dtype: 'float64' })
    expect(S.AvgPool([2], { padding: 'SAME' })[1]([], x).toArray()).toEqual([[[1.5], [2.5], [3]]])
  })

  it('Dropout: rng required in train mode, identity in test mode, JAX keep-rate semantics', () => {
    const [, apply] = S.Dropout(0.8)
    expect(() => apply([], ones([3]))).toThrow(ValueError)
    expect(() => apply([], ones([3]))).toThrow(/requires apply_fun to be called with a PRNG key/)
    const y = apply([], ones([4000]), { rng: key }).toArray() as number[]
    expect(y.every((v) => v === 0 || Math.abs(v - 1.25) < 1e-6)).toBe(true)
    expect(Math.abs(y.filter((v) => v !== 0).length / 4000 - 0.8)).toBeLessThan(0.03)
    expect(S.Dropout(0.5, 'test')[1]([], ones([2])).toArray()).toEqual([1, 1])
    // serial hands each layer its own key
    const [, net] = S.serial(S.Dropout(0.5), S.Dropout(0.5))
    expect(net([[], []], ones([8]), { rng: key }).shape).toEqual([8])
  })

  it('params differentiate and jit through apply', () => {
    const [init, apply] = S.serial(S.Conv(2, [2, 2]), S.Relu, S.Flatten, S.Dense(3), S.LogSoftmax)
    const [, params] = init(key, [-1, 4, 4, 1])
    const x = random.normal(random.key(2), [2, 4, 4, 1])
    const loss = (p: exampleLibraries.stax.StaxParams): NdArray => sum(apply(p, x))
    const g = grad(loss)(params) as NdArray[][]
    expect((g[0] as NdArray[])[0]!.shape).toEqual([2, 2, 1, 2])
    expect(jit(loss)(params).item()).toBeCloseTo(Number(loss(params).item()), 4)
  })
})

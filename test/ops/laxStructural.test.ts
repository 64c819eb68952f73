/**
 * lax.dotGeneral, lax.pad, lax.rev, lax.concatenate, lax.sort and lax.sortKeyVal
 * (src/ops/laxStructural.ts) against NumPy (test/ops/fixtures/laxStructural.py →
 * laxStructural.json: einsum, an index-by-index pad, lexsort); gradients against float64 central
 * differences (checkGrads, orders 1 and 2, forward and reverse); vmap against a loop; bad inputs.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { array, checkGrads, grad, jit, lax, mul, type NdArray, type NestedArray, stack, sum, vmap } from 'wengert'
import { expectClose } from '../transforms/helpers'

interface Fixture {
  readonly dot: ReadonlyArray<{ a: NestedArray; b: NestedArray; dn: lax.DotDimensionNumbers; out: NestedArray }>
  readonly pad: ReadonlyArray<{ x: NestedArray; v: number; cfg: lax.PaddingConfig; out: NestedArray }>
  readonly sort: ReadonlyArray<{ ops: NestedArray[]; dim: number; numKeys: number; out: NestedArray[] }>
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/laxStructural.json', import.meta.url), 'utf8')) as Fixture
const d64 = (v: NestedArray | number): NdArray => array(v, { dtype: 'float64' })

describe('lax.dotGeneral', () => {
  it.each(fx.dot.map((c, i) => [i, c] as const))('case %i matches np.einsum, with gradients', (_, c) => {
    const [a, b] = [d64(c.a), d64(c.b)]
    expectClose(lax.dotGeneral(a, b, c.dn), c.out, { rtol: 1e-12, atol: 1e-12 })
    checkGrads((x: NdArray, y: NdArray) => lax.dotGeneral(x, y, c.dn), [a, b])
    expectClose(jit((x: NdArray, y: NdArray) => lax.dotGeneral(x, y, c.dn))(a, b), c.out, { rtol: 1e-12 })
  })
  it('vmaps over either operand like a loop', () => {
    const c = fx.dot[1] as Fixture['dot'][number]
    const [a, b] = [d64(c.a), d64(c.b)]
    const as = stack([a, mul(a, 2), mul(a, -1)])
    const f = (x: NdArray): NdArray => lax.dotGeneral(x, b, c.dn)
    expectClose(vmap(f)(as), stack([f(a), f(mul(a, 2)), f(mul(a, -1))]).toArray() as NestedArray, { rtol: 1e-12 })
    const g = (y: NdArray): NdArray => lax.dotGeneral(a, y, c.dn)
    expectClose(
      vmap(g, { inAxes: 2 })(stack([b, mul(b, 3)], 2)),
      stack([g(b), g(mul(b, 3))]).toArray() as NestedArray,
      {
        rtol: 1e-12,
      },
    )
  })
  it('preferredElementType converts the operands; integers multiply exactly', () => {
    const a = array(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'int32' },
    )
    const r = lax.dotGeneral(a, a, [
      [[1], [0]],
      [[], []],
    ])
    expect([r.dtype, r.toArray()]).toEqual([
      'int32',
      [
        [7, 10],
        [15, 22],
      ],
    ])
    const f = lax.dotGeneral(
      a,
      a,
      [
        [[1], [0]],
        [[], []],
      ],
      { preferredElementType: 'float64' },
    )
    expect([f.dtype, f.toArray()]).toEqual([
      'float64',
      [
        [7, 10],
        [15, 22],
      ],
    ])
  })
  it('rejects mismatched shapes, dtypes and bad dimension numbers', () => {
    const a = d64([[1, 2, 3]])
    expect(() =>
      lax.dotGeneral(a, d64([1, 2]), [
        [[1], [0]],
        [[], []],
      ]),
    ).toThrow('dot_general requires contracting dimensions to have the same shape, got (3,) and (2,).')
    expect(() =>
      lax.dotGeneral(a, d64([[1, 2, 3]]), [
        [[1], [1]],
        [[0, 1], [0]],
      ]),
    ).toThrow(/dot_general requires equal numbers of lhs_batch and rhs_batch dimensions/)
    expect(() =>
      lax.dotGeneral(d64([[1], [2]]), d64([[1], [2], [3]]), [
        [[], []],
        [[0], [0]],
      ]),
    ).toThrow(
      'dot_general requires lhs batch dimensions and rhs batch dimensions to have the same shape, got (2,) and (3,).',
    )
    expect(() =>
      lax.dotGeneral(a, array([1, 2, 3], { dtype: 'float32' }), [
        [[1], [0]],
        [[], []],
      ]),
    ).toThrow('lax.dot_general requires arguments to have the same dtypes, got float64, float32')
    expect(() =>
      lax.dotGeneral(a, a, [
        [[5], [0]],
        [[], []],
      ]),
    ).toThrow(/dot_general requires (lhs|rhs) dimension numbers to be nonnegative and less than the number of axes/)
  })
})

describe('lax.pad', () => {
  it.each(fx.pad.map((c, i) => [i, c] as const))('case %i matches NumPy, with gradients', (_, c) => {
    const x = d64(c.x)
    expectClose(lax.pad(x, c.v, c.cfg), c.out, { rtol: 0, atol: 0 })
    const viaArray = lax.pad(x, d64(c.v), c.cfg)
    expectClose(viaArray, c.out, { rtol: 0, atol: 0 })
    checkGrads((y: NdArray, v: NdArray) => lax.pad(y, v, c.cfg), [x, d64(c.v)])
  })
  it('the padding value receives the sum of the padded cells’ cotangents', () => {
    const g = grad((v: NdArray) => sum(lax.pad(d64([1, 2, 3]), v, [[-1, 2, 1]])))(d64(0))
    // before cropping [1, v, 2, v, 3, v, v]; low = −1 drops the 1: [v, 2, v, 3, v, v] holds v 4 times
    expect(g.item()).toBe(4)
  })
  it('vmaps like a loop (operand batched, value batched)', () => {
    const xs = d64([
      [1, 2, 3],
      [4, 5, 6],
    ])
    const cfg: lax.PaddingConfig = [[1, -1, 1]]
    expect(vmap((x: NdArray) => lax.pad(x, 0, cfg))(xs).toArray()).toEqual([
      [0, 1, 0, 2, 0],
      [0, 4, 0, 5, 0],
    ])
    expect(vmap((v: NdArray) => lax.pad(d64([1, 2]), v, [[1, 0, 0]]))(d64([7, 8])).toArray()).toEqual([
      [7, 1, 2],
      [8, 1, 2],
    ])
  })
  it('rejects bad configurations', () => {
    expect(() => lax.pad(d64([1, 2]), 0, [[0, 0, -1]])).toThrow(
      'lax.pad: axis 0: need integer low, high and interior ≥ 0, got (0, 0, -1)',
    )
    expect(() => lax.pad(d64([1, 2]), 0, [[-2, -1, 0]])).toThrow(/dimension size after padding is negative/)
    expect(() => lax.pad(d64([1, 2]), 0, [])).toThrow(
      /length of padding_config must equal the number of axes of operand, got padding_config \(\) for operand shape \(2,\)/,
    )
    expect(() => lax.pad(d64([1, 2]), d64([0, 1]), [[0, 0, 0]])).toThrow(
      'lax.pad: padding_value must be a scalar, got shape (2,)',
    )
    expect(() => lax.pad(d64([1, 2]), array(0, { dtype: 'float32' }), [[0, 0, 0]])).toThrow(/same dtypes/)
  })
})

describe('lax.rev and lax.concatenate', () => {
  it('rev reverses the named axes; its gradient reverses back', () => {
    const x = d64([
      [1, 2, 3],
      [4, 5, 6],
    ])
    expect(lax.rev(x, [0, 1]).toArray()).toEqual([
      [6, 5, 4],
      [3, 2, 1],
    ])
    expect(lax.rev(x, []).toArray()).toEqual(x.toArray())
    const w = d64([
      [1, 0, 0],
      [0, 0, 2],
    ])
    expect(grad((a: NdArray) => sum(mul(lax.rev(a, [1]), w)))(x).toArray()).toEqual([
      [0, 0, 1],
      [2, 0, 0],
    ])
    expect(vmap((a: NdArray) => lax.rev(a, [0]))(x).toArray()).toEqual([
      [3, 2, 1],
      [6, 5, 4],
    ])
    expect(() => lax.rev(x, [-1])).toThrow(/rev dimensions must be non-negative integers, got \(-1,\)/)
    expect(() => lax.rev(x, [1, 1])).toThrow(/rev dimensions must be unique, got \(1, 1\)\./)
  })
  it('concatenate joins along a dimension; gradients split', () => {
    const a = d64([[1], [2]])
    const b = d64([
      [3, 4],
      [5, 6],
    ])
    expect(lax.concatenate([a, b], 1).toArray()).toEqual([
      [1, 3, 4],
      [2, 5, 6],
    ])
    checkGrads((x: NdArray, y: NdArray) => lax.concatenate([x, y, x], 1), [a, b])
    expect(
      vmap((x: NdArray) => lax.concatenate([x, d64([9])], 0))(
        d64([
          [1, 2],
          [3, 4],
        ]),
      ).toArray(),
    ).toEqual([
      [1, 2, 9],
      [3, 4, 9],
    ])
    expect(() => lax.concatenate([a, b], 0)).toThrow(
      /Cannot concatenate arrays with shapes that differ in dimensions other than the one being concatenated: concatenating along dimension 0 for shapes \(2, 1\), \(2, 2\)/,
    )
    expect(() => lax.concatenate([a, b], -1)).toThrow(/concatenate dimension out of bounds: dimension -1 for shapes/)
    expect(() => lax.concatenate([a, d64([1])], 0)).toThrow(
      /Cannot concatenate arrays with different numbers of dimensions: got \(2, 1\), \(1,\)/,
    )
    expect(() => lax.concatenate([a, array([[1]], { dtype: 'int32' })], 0)).toThrow(/same dtypes, got float64, int32/)
    expect(() => lax.concatenate([], 0)).toThrow(/at least one operand/)
  })
})

describe('lax.sort and lax.sortKeyVal', () => {
  it.each(fx.sort.map((c, i) => [i, c] as const))('case %i matches np.lexsort over num_keys', (_, c) => {
    const ops = c.ops.map(d64)
    const out = lax.sort(ops, c.dim, true, c.numKeys)
    out.forEach((o, j) => expect(o.toArray()).toEqual(c.out[j]))
    // the values operand is differentiable through the permutation
    checkGrads(
      (v: NdArray) => lax.sort([ops[0] as NdArray, ops[1] as NdArray, v], c.dim, true, c.numKeys)[2],
      [ops[2] as NdArray],
    )
  })
  it('one operand returns one array; negative dimension; vmap; sortKeyVal', () => {
    const x = d64([
      [3, 1, 2],
      [0, -1, 5],
    ])
    expect(lax.sort(x).toArray()).toEqual([
      [1, 2, 3],
      [-1, 0, 5],
    ])
    expect(lax.sort(x, 0).toArray()).toEqual([
      [0, -1, 2],
      [3, 1, 5],
    ])
    expect(vmap((r: NdArray) => lax.sort(r))(x).toArray()).toEqual([
      [1, 2, 3],
      [-1, 0, 5],
    ])
    const [k, v] = lax.sortKeyVal(d64([2, NaN, 1]), d64([20, 99, 10]))
    expect([k.toArray(), v.toArray()]).toEqual([
      [1, 2, NaN],
      [10, 20, 99],
    ])
  })
  it('rejects bad arguments', () => {
    expect(() => lax.sort([d64([1, 2]), d64([1])])).toThrow(
      'lax.sort: operands must have the same shape, got (2,), (1,)',
    )
    expect(() => lax.sort([d64([1, 2])], 0, true, 2)).toThrow(
      'lax.sort: num_keys=2 must be >= 1 and <= the number of operands (1)',
    )
    expect(() => lax.sort(d64([1, 2]), 1)).toThrow(/dimension 1 is out of range for operands of rank 1/)
    expect(() => lax.sort(d64(1))).toThrow(/rank ≥ 1/)
  })
})

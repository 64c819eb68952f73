/**
 * Ops that index with integer arrays work on traced indices (under jit, vmap, grad and
 * exportOnnx): the indices are an operand of the staged gather, never read while tracing.
 * Every traced result is checked against the eager result of the same op; out-of-range traced
 * indices follow JAX's modes (take: 'fill', at().get: 'clip'), while eager out-of-range takes
 * still raise.
 */
import { describe, expect, it } from 'vitest'
import {
  array,
  at,
  grad,
  jit,
  mul,
  oneHot,
  random,
  searchsorted,
  sum,
  take,
  takeAlongAxis,
  vmap,
  type NdArray,
} from 'wengert'
import { exportOnnx } from 'wengert/onnx'
import { flat, runOrt } from '../helpers/ort'

const i32 = (v: ReadonlyArray<unknown>): NdArray => array(v as number[], { dtype: 'int32' })
const x = array([
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 9],
  [10, 11, 12],
])
const w = array([
  [0.5, -1, 2],
  [3, 1.5, -2],
])

describe('take on traced indices', () => {
  const rows = i32([3, -4])
  it('under jit equals eager: along an axis, flattened, negative and nd indices', () => {
    const along = (a: NdArray, i: NdArray): NdArray => take(a, i, 0)
    expect(jit(along)(x, rows).toArray()).toEqual(along(x, rows).toArray())
    const cols = (a: NdArray, i: NdArray): NdArray => take(a, i, { axis: -1 })
    const nd = i32([
      [2, 0],
      [-1, 1],
    ])
    expect(jit(cols)(x, nd).toArray()).toEqual(cols(x, nd).toArray())
    const flatTake = (a: NdArray, i: NdArray): NdArray => take(a, i)
    expect(jit(flatTake)(x, i32([11, 0, -12])).toArray()).toEqual(flatTake(x, i32([11, 0, -12])).toArray())
    // int64 indices (the facade's index dtype) are cast, not read
    const i64 = array([1, 3], { dtype: 'int64' })
    expect(jit(along)(x, i64).toArray()).toEqual(along(x, i64).toArray())
  })

  it('under vmap (batched indices, batched array, both) equals the eager loop', () => {
    const ib = i32([
      [0, 2],
      [3, -1],
      [1, 1],
    ])
    const got = vmap((i: NdArray) => take(x, i, 1 - 1))(ib)
    expect(got.toArray()).toEqual(
      [0, 1, 2].map((b) => take(x, (ib.toArray() as number[][])[b] as number[], 0).toArray()),
    )
    const both = vmap((a: NdArray, i: NdArray) => take(a, i, 0))(
      array([x.toArray(), mul(x, 10).toArray(), x.toArray()] as number[][][]),
      ib,
    )
    expect(both.toArray()).toEqual(
      [0, 1, 2].map((b) => take(b === 1 ? mul(x, 10) : x, (ib.toArray() as number[][])[b] as number[], 0).toArray()),
    )
  })

  it('under grad (jit inside and outside) equals the eager gradient', () => {
    const loss = (a: NdArray, i: NdArray): NdArray => sum(mul(take(a, i, 0), w))
    const i = i32([3, 3])
    const eager = grad(loss)(x, i)
    // repeated rows accumulate: row 3 gets both rows of w
    expect(eager.toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [3.5, 0.5, 0],
    ])
    expect(jit(grad(loss))(x, i).toArray()).toEqual(eager.toArray())
    expect(grad((a: NdArray, j: NdArray) => jit(loss)(a, j))(x, i).toArray()).toEqual(eager.toArray())
    const perB = vmap((j: NdArray) => grad(loss)(x, j))(
      i32([
        [3, 3],
        [0, 1],
      ]),
    )
    expect(perB.toArray()).toEqual([eager.toArray(), grad(loss)(x, i32([0, 1])).toArray()])
  })

  it("out of range: eager and traced both follow JAX's default mode='fill'", () => {
    expect((take(x, [4], 0).toArray() as number[][])[0]?.every((v) => Number.isNaN(v))).toBe(true)
    expect(() => take(x, [1.5], 0)).toThrow(/indices must be integers, got 1.5/)
    const f = jit((a: NdArray, i: NdArray): NdArray => take(a, i, 0))
    expect(f(x, i32([4, -5, 1])).toArray()).toEqual([
      [NaN, NaN, NaN],
      [NaN, NaN, NaN],
      [4, 5, 6],
    ])
    expect(jit((i: NdArray) => take(i32([7, 8]), i))(i32([2])).toArray()).toEqual([-(2 ** 31)])
    expect(jit((i: NdArray) => take(array([[], []]), i, 1))(i32([0])).toArray()).toEqual([[NaN], [NaN]])
    // JAX's fill values: the minimum of a signed integer dtype, the maximum of an unsigned one, true for bool
    const fills = (['int8', 'int16', 'uint8', 'bool'] as const).map(
      (dtype) => jit((i: NdArray) => take(array([1, 0], { dtype }), i))(i32([5])).toArray() as number[],
    )
    expect(fills).toEqual([[-128], [-32768], [255], [true]])
    // no gradient flows through filled elements
    const g = jit(grad((a: NdArray, i: NdArray) => sum(take(a, i, 0))))(x, i32([9, 0]))
    expect(g.toArray()).toEqual([
      [1, 1, 1],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ])
  })

  it('traced float or bool indices raise a DTypeError naming take', () => {
    expect(() => jit((i: NdArray) => take(x, i, 0))(array([1, 2]))).toThrow(
      /take: traced indices must have an integer dtype, got float32/,
    )
    expect(() => jit((i: NdArray) => take(x, i, 0))(array([true]))).toThrow(
      'take: indices must be integers, got dtype bool',
    )
  })
})

describe('random.permutation and choice of rows under jit', () => {
  const key = random.key(42)
  it('permutation of the rows of a 2-D array equals eager (jit and vmap over keys)', () => {
    const eager = random.permutation(key, x)
    const rows = (eager.toArray() as number[][]).map((r) => r.join()).sort()
    expect(rows).toEqual((x.toArray() as number[][]).map((r) => r.join()).sort())
    expect(jit((k: NdArray, a: NdArray) => random.permutation(k, a))(key, x).toArray()).toEqual(eager.toArray())
    const keys = random.split(key, 3)
    const batched = vmap((k: NdArray) => random.permutation(k, x))(keys)
    expect(batched.toArray()).toEqual(
      [0, 1, 2].map((b) => random.permutation(random.split(key, 3)[b] as NdArray, x).toArray()),
    )
  })

  it('choice without replacement of rows equals eager; its gradient too', () => {
    const pick = (k: NdArray, a: NdArray): NdArray => random.choice(k, a, [2], { replace: false })
    expect(jit(pick)(key, x).toArray()).toEqual(pick(key, x).toArray())
    const loss = (a: NdArray, k: NdArray): NdArray => sum(mul(pick(k, a), w))
    expect(jit(grad(loss))(x, key).toArray()).toEqual(grad(loss)(x, key).toArray())
  })

  it('exported to ONNX, the permutation of rows runs in onnxruntime with the eager result', async () => {
    const f = (k: NdArray, a: NdArray): NdArray => random.permutation(k, a)
    const big = array(
      Array.from({ length: 60 }, (_, i) => i),
      { dtype: 'int32' },
    ).reshape([20, 3])
    for (const k of [key, random.key(0), random.key(-1)]) {
      const bytes = exportOnnx(f, [k, big], { opsetVersion: 18 })
      const out = await runOrt(bytes, { arg0: k, arg1: big })
      expect(out.output).toEqual(flat(f(k, big)))
    }
  })
})

describe('the other integer-array indexing ops on traced indices equal eager', () => {
  it('takeAlongAxis, at().get/set/add, searchsorted with a sorter, oneHot', () => {
    const ia = i32([[2], [0], [-1], [1]])
    const along = (a: NdArray, i: NdArray): NdArray => takeAlongAxis(a, i, 1)
    expect(jit(along)(x, ia).toArray()).toEqual(along(x, ia).toArray())
    const idx = i32([3, 0, 3])
    const get = (a: NdArray, i: NdArray): NdArray => at(a, i, ':2').get()
    expect(jit(get)(x, idx).toArray()).toEqual(get(x, idx).toArray())
    // at().get clips out-of-range indices, traced or not (JAX's default for indexing)
    expect(jit(get)(x, i32([7])).toArray()).toEqual(get(x, i32([7])).toArray())
    const add = (a: NdArray, i: NdArray): NdArray => at(a, i).add(1)
    expect(jit(add)(x, idx).toArray()).toEqual(add(x, idx).toArray())
    const ss = (v: NdArray, s: NdArray): NdArray => searchsorted(array([3, 1, 2]), v, { sorter: s })
    expect(jit(ss)(array([2.5, 0]), i32([1, 2, 0])).toArray()).toEqual(ss(array([2.5, 0]), i32([1, 2, 0])).toArray())
    const oh = (i: NdArray): NdArray => oneHot(i, 4)
    expect(jit(oh)(idx).toArray()).toEqual(oh(idx).toArray())
    expect(vmap(oh)(i32([[1], [2]])).toArray()).toEqual(oh(i32([[1], [2]])).toArray())
  })

  it('takeAlongAxis, at().get and searchsorted under vmap over index batches equal the eager loop', () => {
    const ias = [
      [[2], [0], [-1], [1]],
      [[0], [0], [1], [2]],
    ]
    const along = (i: NdArray): NdArray => takeAlongAxis(x, i, 1)
    expect(vmap(along)(i32(ias)).toArray()).toEqual(ias.map((r) => along(i32(r)).toArray()))
    const gets = [
      [3, 0],
      [1, -1],
    ]
    const get = (i: NdArray): NdArray => at(x, i, 1).get()
    expect(vmap(get)(i32(gets)).toArray()).toEqual(gets.map((r) => get(i32(r)).toArray()))
    const sorters = [
      [1, 2, 0],
      [1, 2, 0],
    ]
    const ss = (s: NdArray): NdArray => searchsorted(array([3, 1, 2]), array([2.5, 0, 9]), { sorter: s })
    expect(vmap(ss)(i32(sorters)).toArray()).toEqual(sorters.map((r) => ss(i32(r)).toArray()))
  })

  it('gradients through at().get and takeAlongAxis with traced indices equal eager', () => {
    const ia = i32([[2], [0], [2], [1]])
    const l1 = (a: NdArray, i: NdArray): NdArray => sum(mul(takeAlongAxis(a, i, 1), 1))
    expect(jit(grad(l1))(x, ia).toArray()).toEqual(grad(l1)(x, ia).toArray())
    const l2 = (a: NdArray, i: NdArray): NdArray => sum(mul(at(a, i).get(), w.reshape([2, 3])))
    const ii = i32([1, 1])
    expect(jit(grad(l2))(x, ii).toArray()).toEqual(grad(l2)(x, ii).toArray())
    expect(
      vmap((j: NdArray) => grad(l2)(x, j))(
        i32([
          [1, 1],
          [0, 3],
        ]),
      ).toArray(),
    ).toEqual([grad(l2)(x, ii).toArray(), grad(l2)(x, i32([0, 3])).toArray()])
  })
})

/**
 * The jax.numpy names added in session 16 (src/ops/numpyExtra/arith.ts, select.ts, build.ts,
 * dtypeInfo.ts): values against NumPy (fixtures/jnpNames.py → jnpNames.json), the array-API
 * names NumPy 1.24 lacks against JAX's documented examples, gradients against float64 finite
 * differences, jit staging, and JAX's errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  array,
  block,
  checkGrads,
  choose,
  compress,
  cross,
  cumulativeProd,
  cumulativeSum,
  diagflat,
  divmod,
  extract,
  fillDiagonal,
  finfo,
  floatPower,
  fmax,
  fmin,
  frexp,
  full,
  gcd,
  grad,
  iinfo,
  indices,
  ix_,
  jit,
  lcm,
  ldexp,
  logicalXor,
  matrixTranspose,
  matvec,
  modf,
  permuteDims,
  place,
  put,
  resize,
  sum,
  trimZeros,
  uniqueAll,
  uniqueCounts,
  uniqueInverse,
  uniqueValues,
  vecmat,
  ConcretizationTypeError,
  ShapeError,
  ValueError,
  type NdArray,
} from '../../src'
import * as W from '../../src'

const fx = JSON.parse(readFileSync(new URL('./fixtures/jnpNames.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>
const f64 = (v: unknown): NdArray => array(v as number[], { dtype: 'float64' })
const i32 = (v: unknown): NdArray => array(v as number[], { dtype: 'int32' })
const nanToNull = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(nanToNull) : typeof v === 'number' && Number.isNaN(v) ? null : v

describe('arithmetic (arith.ts)', () => {
  it('gcd and lcm match NumPy, and gcd stages under jit', () => {
    const a = i32([12, -18, 0, 7, 0, 1071])
    const b = i32([8, 12, 5, 0, 0, 462])
    expect(gcd(a, b).toArray()).toEqual(fx['gcd'])
    expect(lcm(a, b).toArray()).toEqual(fx['lcm'])
    expect(jit(gcd)(a, b).toArray()).toEqual(fx['gcd'])
    expect(() => gcd(f64([1]), 2)).toThrow(new ValueError('Arguments to jax.numpy.gcd must be integers.'))
  })

  it('frexp matches NumPy in float64 and float32, including subnormals and the float64 maximum', () => {
    const f = fx['frexp'] as { x: number[]; m: number[]; e: number[] }
    const [m, e] = frexp(f64(f.x))
    expect([m.toArray(), e.toArray(), e.dtype]).toEqual([f.m, f.e, 'int32'])
    const g = fx['frexp32'] as { x: number[]; m: number[]; e: number[] }
    const [m32, e32] = frexp(array(g.x, { dtype: 'float32' }))
    expect([m32.toArray(), e32.toArray(), m32.dtype]).toEqual([g.m, g.e, 'float32'])
    const [mi, ei] = frexp(f64([Infinity, NaN]))
    expect([nanToNull(mi.toArray()), ei.toArray()]).toEqual([
      [Infinity, null],
      [0, 0],
    ])
  })

  it('ldexp, modf, divmod, fmax, fmin, logicalXor, floatPower match NumPy', () => {
    expect(ldexp(f64([1.5, -3, 0.7]), i32([3, -1, 10])).toArray()).toEqual(fx['ldexp'])
    expect(() => ldexp(f64([1]), f64([1]))).toThrow(ValueError)
    expect(modf(f64([2.5, -1.25, 0, 7, -3.75])).map((v) => v.toArray())).toEqual(fx['modf'])
    expect(divmod(i32([7, -7, 7, -7]), i32([3, 3, -3, -3])).map((v) => v.toArray())).toEqual(fx['divmod'])
    const a = f64([1, NaN, 5, NaN, -2])
    const b = f64([NaN, 2, 3, NaN, -1])
    expect(nanToNull(fmax(a, b).toArray())).toEqual(fx['fmax'])
    expect(nanToNull(fmin(a, b).toArray())).toEqual(fx['fmin'])
    expect(logicalXor(i32([1, 0, 2, 0]), i32([1, 1, 0, 0])).toArray()).toEqual(fx['logical_xor'])
    const p = floatPower(f64([2, 4, 9]), f64([-1, 0.5, 1.5]))
    ;(fx['float_power'] as number[]).forEach((v, k) => expect((p.toArray() as number[])[k]).toBeCloseTo(v, 12))
  })

  it('gradients of ldexp, modf, fmax, floatPower and frexp against finite differences', () => {
    const x = f64([0.7, -1.3, 2.2])
    checkGrads((v: NdArray) => ldexp(v, i32([2, -1, 0])), [x], { modes: ['rev'], order: 2 })
    checkGrads((v: NdArray) => modf(v)[0], [x], { modes: ['rev'], order: 1 })
    checkGrads((v: NdArray) => fmax(v, f64([0, NaN, 3])), [x], { modes: ['rev'], order: 1 })
    checkGrads((v: NdArray) => floatPower(v, 3), [x], { modes: ['rev'], order: 2 })
    // d m / d x = 2^−e away from powers of two
    expect(grad((v: NdArray) => sum(frexp(v)[0]))(x).toArray()).toEqual([1, 0.5, 0.25])
  })

  it('cumulativeSum and cumulativeProd follow JAX (include_initial, axis required above 1-D)', () => {
    expect(cumulativeSum(i32([1, 2, 3]), { includeInitial: true }).toArray()).toEqual([0, 1, 3, 6])
    expect(
      cumulativeProd(
        f64([
          [1, 2],
          [3, 4],
        ]),
        { axis: 0, includeInitial: true },
      ).toArray(),
    ).toEqual([
      [1, 1],
      [1, 2],
      [3, 8],
    ])
    expect(() => cumulativeSum(f64([[1, 2]]))).toThrow(/rank 2, however axis was not set to an explicit value/)
    expect(() => cumulativeSum(f64(1 as never))).toThrow(/must be non-scalar to take a cumulative sum/)
    checkGrads((v: NdArray) => cumulativeProd(v, { includeInitial: true }), [f64([0.5, -2, 1.5])], {
      modes: ['rev'],
      order: 1,
    })
  })
})

describe('selection (select.ts)', () => {
  it('compress, extract and choose match NumPy', () => {
    const a = reshape12()
    expect(compress(array([true, false, true]), a, { axis: 1 }).toArray()).toEqual(fx['compress_axis1'])
    expect(compress(i32([0, 1, 1, 0, 1]), a).toArray()).toEqual(fx['compress_flat'])
    expect(compress(i32([0, 1, 1]), a, { size: 4, fillValue: -1 }).toArray()).toEqual([1, 2, -1, -1])
    expect(() => compress(array([false, false, false, false, true]), a, { axis: 0 })).toThrow(
      'condition contains entries that are out of bounds',
    )
    const idx = i32([
      [4, -1],
      [1, 0],
    ])
    const choices = [
      i32([1, 2]),
      i32([
        [10, 20],
        [30, 40],
      ]),
      i32(5 as never),
    ]
    expect(choose(idx, choices, { mode: 'wrap' }).toArray()).toEqual(fx['choose_wrap'])
    expect(choose(idx, choices, { mode: 'clip' }).toArray()).toEqual(fx['choose_clip'])
    expect(() => choose(idx, choices)).toThrow('invalid entry in choice array')
    const m = array([
      [0, 1, 2],
      [3, 4, 5],
    ])
    expect(
      extract(
        lax2Even(m),
        array([
          [0, 10, 20],
          [30, 40, 50],
        ]),
      ).toArray(),
    ).toEqual(fx['extract'])
  })

  it('compress with a size stages under jit; without one it asks for it', () => {
    const f = (c: NdArray, x: NdArray): NdArray => compress(c, x, { size: 2 })
    expect(jit(f)(array([false, true, true]), f64([1, 2, 3])).toArray()).toEqual([2, 3])
    expect(() => jit((c: NdArray, x: NdArray) => compress(c, x))(array([true]), f64([1]))).toThrow(
      ConcretizationTypeError,
    )
  })

  it('place and put need inplace: false and match NumPy', () => {
    expect(() => place(f64([1]), array([true]), f64([2]))).toThrow(/cannot modify arrays in-place/)
    expect(() => put(f64([1]), i32([0]), 2)).toThrow(/cannot modify arrays in-place/)
    const z = i32([0, 1, 2, 3, 4, 5, 6])
    expect(
      place(z, array([false, false, false, true, true, true, true]), i32([44, 55]), { inplace: false }).toArray(),
    ).toEqual(fx['place'])
    const six = i32([
      [0, 1, 2],
      [3, 4, 5],
    ])
    expect(put(six, i32([1, -1, 7]), i32([9, 8, 7]), { inplace: false, mode: 'wrap' }).toArray()).toEqual(
      fx['put_drop_wrap'],
    )
    expect(put(six, i32([1, -4, 7]), i32([9, 8]), { inplace: false, mode: 'clip' }).toArray()).toEqual(fx['put_clip'])
    expect(put(six, i32([1, 9]), i32([7, 7]), { inplace: false }).toArray()).toEqual([
      [0, 7, 2],
      [3, 4, 5],
    ])
    expect(() => put(six, i32([0]), 1, { inplace: false, mode: 'raise' as never })).toThrow(
      "The 'raise' mode to jnp.put is not supported.",
    )
    // the values get their cotangent at the positions they were written to
    const g = grad((v: NdArray) => sum(mulSq(put(f64([1, 2, 3]), i32([2, 0]), v, { inplace: false }))))(f64([5, 7]))
    expect(g.toArray()).toEqual([10, 14])
  })

  it('the array-API unique functions follow JAX (NaNs kept apart, inverse in the input shape)', () => {
    const x = i32([
      [4, 2, 4],
      [7, 2, 1],
    ])
    const [v, i, inv, c] = fx['unique'] as number[][]
    const all = uniqueAll(x)
    expect([all.values, all.indices, all.counts].map((a) => a.toArray())).toEqual([v, i, c])
    expect(all.inverseIndices.toArray()).toEqual([(inv as number[]).slice(0, 3), (inv as number[]).slice(3)])
    expect(uniqueCounts(x).counts.toArray()).toEqual(c)
    expect(uniqueInverse(x)[1].shape).toEqual([2, 3])
    expect(nanToNull(uniqueValues(f64([NaN, 1, NaN])).toArray())).toEqual([1, null, null])
    expect(uniqueValues(i32([3, 4, 1, 3, 1]), { size: 4, fillValue: 0 }).toArray()).toEqual([1, 3, 4, 0])
  })
})

describe('builders (build.ts) and dtype limits (dtypeInfo.ts)', () => {
  it('cross with axisa/axisb/axisc/axis and 2-vectors matches NumPy', () => {
    const A3 = f64([
      [-2, -1, 0],
      [1, 2, 3],
    ])
    const B3 = f64([
      [1, 4, -2],
      [0.5, 0, 3],
    ])
    expect(cross(A3, B3).toArray()).toEqual(fx['cross33'])
    const Ax = f64([
      [0, 1],
      [2, 3],
      [4, 5],
    ])
    const Bx = f64([
      [1, 2],
      [0, -1],
      [3, 1],
    ])
    expect(cross(Ax, Bx, { axis: 0 }).toArray()).toEqual(fx['cross_axis0'])
    expect(cross(matrixTranspose(A3), B3, { axisa: 0, axisb: 1, axisc: 0 }).toArray()).toEqual(fx['cross_abc'])
    expect(
      cross(
        f64([
          [1, 2],
          [3, -1],
        ]),
        f64([
          [3, 4],
          [2, 2],
        ]),
      ).toArray(),
    ).toEqual(fx['cross22'])
    expect(cross(f64([1, 2]), f64([3, 4, 5])).toArray()).toEqual(fx['cross23'])
    expect(() => cross(f64([1, 2, 3, 4]), f64([1, 2, 3]))).toThrow('Incompatible dimensions for cross product')
    checkGrads((a: NdArray) => cross(a, B3), [A3], { modes: ['rev', 'fwd'], order: 2 })
  })

  it('diagflat, fillDiagonal, indices, ix_, resize, block, trimZeros match NumPy', () => {
    expect(
      diagflat(
        f64([
          [1, 2],
          [3, 4],
        ]),
        -1,
      ).toArray(),
    ).toEqual(fx['diagflat'])
    expect(
      fillDiagonal(
        f64([
          [0, 0, 0, 0],
          [0, 0, 0, 0],
          [0, 0, 0, 0],
        ]),
        f64([7, 8]),
        { inplace: false },
      ).toArray(),
    ).toEqual(fx['fill_diagonal'])
    expect(fillDiagonal(full([2, 2, 2], 0), 1, { inplace: false }).toArray()).toEqual(fx['fill_diagonal3'])
    expect(() => fillDiagonal(f64([[1]]), 0)).toThrow('JAX arrays are immutable, must use inplace=False')
    expect((indices([2, 3]) as NdArray).toArray()).toEqual(fx['indices'])
    expect(ix_(i32([0, 1]), i32([2, 0, 1])).map((a) => a.shape)).toEqual([
      [2, 1],
      [1, 3],
    ])
    expect(() => ix_(f64([[1]]))).toThrow('Arguments to jax.numpy.ix_ must be 1-dimensional')
    expect(
      resize(
        i32([
          [1, 2],
          [3, 4],
        ]),
        [3, 3],
      ).toArray(),
    ).toEqual(fx['resize'])
    expect(
      block([
        [full([2, 2], 1, { dtype: 'float64' }), full([2, 1], 2, { dtype: 'float64' })],
        [f64([0, 1, 2])],
      ]).toArray(),
    ).toEqual(fx['block'])
    expect(block([1, i32([2, 3]), 4]).toArray()).toEqual(fx['block1d'])
    expect(['fb', 'f', 'b'].map((t) => trimZeros(i32([0, 0, 3, 0, 5, 0, 0]), t).toArray())).toEqual(fx['trim_zeros'])
  })

  it('matrixTranspose, permuteDims, matvec and vecmat', () => {
    expect(() => matrixTranspose(f64([1]))).toThrow(
      'x must be at least two-dimensional for matrix_transpose; got ndim=1',
    )
    expect(permuteDims(full([2, 3, 4], 0), [1, 2, 0]).shape).toEqual([3, 4, 2])
    const m = f64([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [0, 1],
        [1, 0],
      ],
    ])
    expect(matvec(m, f64([1, -1])).toArray()).toEqual([
      [-1, -1],
      [-1, 1],
    ])
    expect(vecmat(f64([1, -1]), m).toArray()).toEqual([
      [-2, -2],
      [-1, 1],
    ])
    expect(() => matvec(f64([1, 2]), f64([1, 2]))).toThrow(ShapeError)
    checkGrads((v: NdArray) => vecmat(v, m), [f64([0.5, 2])], { modes: ['rev'], order: 1 })
  })

  it('iinfo and finfo hold NumPy values', () => {
    for (const [d, [lo, hi, bits]] of Object.entries(fx['iinfo'] as Record<string, number[]>)) {
      const info = iinfo(d as 'int32')
      expect([info.min, info.max, info.bits]).toEqual([lo, hi, bits])
    }
    for (const [d, want] of Object.entries(fx['finfo'] as Record<string, Record<string, number>>)) {
      const info = finfo(d as 'float32')
      const camel = (k: string): string => k.replace(/_(.)/g, (_, c: string) => c.toUpperCase())
      for (const [k, v] of Object.entries(want)) expect([k, info[camel(k) as 'eps']]).toEqual([k, v])
    }
    expect(finfo(f64([1])).bits).toBe(64)
    expect(() => iinfo('float32')).toThrow("Invalid integer data type 'f'.")
    expect(() => finfo('int32')).toThrow(ValueError)
  })

  it('full broadcasts an array fill value, differentiably', () => {
    expect(() => full([2], f64([1, 2, 3]))).toThrow(ShapeError)
    expect(grad((v: NdArray) => sum(full([3, 2], v)))(f64([1, 2])).toArray()).toEqual([3, 3])
    expect(jit((v: NdArray) => full([2, 2], v))(f64([1, 2])).toArray()).toEqual([
      [1, 2],
      [1, 2],
    ])
  })
})

function reshape12(): NdArray {
  return array([
    [0, 1, 2],
    [3, 4, 5],
    [6, 7, 8],
    [9, 10, 11],
  ])
}
function lax2Even(m: NdArray): NdArray {
  return array((m.toArray() as number[][]).map((r) => r.map((v) => v % 2 === 0)))
}
function mulSq(x: NdArray): NdArray {
  return x.mul(x)
}

describe('small names (basics.ts)', () => {
  it('creation, conversion and shape queries follow JAX', () => {
    expect(W.empty([2, 1]).toArray()).toEqual([[0], [0]])
    expect(W.emptyLike(array([1, 2], { dtype: 'int8' }), { shape: [3] }).dtype).toBe('int8')
    expect(W.asarray(array([1.7]), { dtype: 'int32' }).toArray()).toEqual([1])
    expect(W.fabs(array([-3], { dtype: 'int8' })).dtype).toBe('float32')
    expect(
      W.flatnonzero(
        array([
          [0, 3],
          [4, 0],
        ]),
        { size: 3, fillValue: -1 },
      ).toArray(),
    ).toEqual([1, 2, -1])
    expect(W.rollaxis(W.zeros([3, 4, 5, 6]), -1).shape).toEqual([6, 3, 4, 5])
    expect(() => W.rollaxis(W.zeros([3]), 1)).toThrow('axis 1 is out of bounds for array of dimension 1')
    expect(
      W.unstack(
        array([
          [1, 2],
          [3, 4],
        ]),
      ).map((a) => a.toArray()),
    ).toEqual([
      [1, 2],
      [3, 4],
    ])
    expect(() => W.unstack(array(1))).toThrow('Unstack requires arrays with rank > 0')
    expect([W.ndim(3), W.shape(W.zeros([2, 0])), W.size(W.zeros([2, 5]), -1)]).toEqual([0, [2, 0], 5])
    expect([W.isscalar(true), W.isscalar('a'), W.isscalar(array([1]))]).toEqual([true, false, false])
    expect(W.arrayEquiv(array([1, 2]), array([1, 3])).item()).toBe(false)
    expect(W.imag(array([Infinity, NaN])).toArray()).toEqual([0, 0])
  })

  it('copy, positive, real, conj are identities for the derivative; imag has none', () => {
    const x = f64([1, -2])
    for (const f of [W.copy, W.positive, W.real, W.conj, W.conjugate])
      expect(grad((v: NdArray) => sum(f(v)))(x).toArray()).toEqual([1, 1])
    expect(grad((v: NdArray) => sum(W.fabs(v)))(x).toArray()).toEqual([1, -1])
  })
})

/**
 * The dtype helpers of the jnp API (src/ops/numpyExtra/dtypes.ts): promotion against JAX's
 * documented promotion table, can_cast and issubdtype against NumPy (fixtures/jnpDtypes.py),
 * isdtype against the Array API's kind definitions.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  canCast,
  DTypeError,
  isdtype,
  issubdtype,
  jit,
  promoteTypes,
  resultType,
  ValueError,
  type AbstractDType,
  type Casting,
  type DType,
  type NdArray,
} from '../../src'

const FIX = JSON.parse(readFileSync(new URL('./fixtures/jnpDtypes.json', import.meta.url), 'utf8')) as {
  canCast: Record<Casting, boolean[][]>
  issubdtype: Record<AbstractDType, boolean[]>
  abstractSub: Record<AbstractDType, Record<AbstractDType, boolean>>
}
const DTYPES: DType[] = ['bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float32', 'float64']
const SHORT = ['b1', 'u1', 'i1', 'i2', 'i4', 'i8', 'f4', 'f8']
// rows of JAX's binary promotion table (docs.jax.dev type_promotion), restricted to these dtypes
const JAX_TABLE = [
  'b1 u1 i1 i2 i4 i8 f4 f8',
  'u1 u1 i2 i2 i4 i8 f4 f8',
  'i1 i2 i1 i2 i4 i8 f4 f8',
  'i2 i2 i2 i2 i4 i8 f4 f8',
  'i4 i4 i4 i4 i4 i8 f4 f8',
  'i8 i8 i8 i8 i8 i8 f4 f8',
  'f4 f4 f4 f4 f4 f4 f4 f8',
  'f8 f8 f8 f8 f8 f8 f8 f8',
].map((r) => r.split(' ').map((s) => DTYPES[SHORT.indexOf(s)]))
// JAX's i* and f* columns (weak Python int and float)
const WEAK_INT = 'i4 u1 i1 i2 i4 i8 f4 f8'.split(' ').map((s) => DTYPES[SHORT.indexOf(s)])
const WEAK_FLOAT = 'f4 f4 f4 f4 f4 f4 f4 f8'.split(' ').map((s) => DTYPES[SHORT.indexOf(s)])

describe('promoteTypes / resultType', () => {
  it('join on JAX’s lattice for every pair of dtypes', () => {
    DTYPES.forEach((a, i) =>
      DTYPES.forEach((b, j) => {
        expect(promoteTypes(a, b)).toBe(JAX_TABLE[i]![j])
        expect(resultType(a, b)).toBe(JAX_TABLE[i]![j])
        expect(resultType(array([1], { dtype: a }), array([1], { dtype: b }))).toBe(JAX_TABLE[i]![j])
      }),
    )
  })

  it('treat JS numbers as weak (JAX’s i* and f* columns) and booleans as bool', () => {
    DTYPES.forEach((d, i) => {
      expect(resultType(d, 3)).toBe(WEAK_INT[i])
      expect(resultType(d, 0.5)).toBe(WEAK_FLOAT[i])
      expect(resultType(2, d, 0.5)).toBe(WEAK_FLOAT[i])
      expect(resultType(d, true)).toBe(d)
    })
    expect(resultType(true, false)).toBe('bool')
    expect(resultType('int8', 'uint8', 7)).toBe('int16')
    // no strong operand: the dtype a number alone becomes here, as add(1, 2) computes
    expect(resultType(1, 2)).toBe(add(1, 2).dtype)
    expect(resultType(1.5)).toBe('float32')
  })

  it('agrees with the dtypes the arithmetic produces, eagerly and under jit', () => {
    for (const d of DTYPES.filter((t) => t !== 'bool')) {
      const x = array([1, 2], { dtype: d })
      expect(add(x, 3).dtype).toBe(resultType(x, 3))
      expect(add(x, 0.5).dtype).toBe(resultType(x, 0.5))
      let seen: DType | undefined
      jit((a: NdArray, s: NdArray | number) => {
        seen = resultType(a, s)
        return add(a, s)
      })(x, 0.5)
      expect(seen).toBe(resultType(x, 0.5))
    }
  })

  it('refuse what is not a dtype', () => {
    expect(() => resultType()).toThrow(new ValueError('at least one array or dtype is required'))
    expect(() => promoteTypes('int32', 'foo' as DType)).toThrow(DTypeError)
    expect(() => resultType('float16' as DType)).toThrow(/not a valid JAX array type/)
  })
})

describe('canCast', () => {
  it('matches NumPy for every pair and casting rule', () => {
    for (const mode of ['no', 'equiv', 'safe', 'same_kind', 'unsafe'] as const)
      DTYPES.forEach((a, i) =>
        DTYPES.forEach((b, j) => {
          expect([a, b, mode, canCast(a, b, mode)]).toEqual([a, b, mode, FIX.canCast[mode][i]![j]])
        }),
      )
    expect(canCast(array([1], { dtype: 'int16' }), 'float32')).toBe(true)
  })

  it('refuses scalars, unknown dtypes and castings', () => {
    expect(() => canCast(3 as unknown as DType, 'int32')).toThrow(DTypeError)
    expect(() => canCast('int32', 'int32', 'sometimes' as Casting)).toThrow(
      new ValueError("casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe'; got sometimes"),
    )
    expect(() => canCast('int32', 'complex64' as DType)).toThrow(DTypeError)
  })
})

describe('issubdtype / isdtype', () => {
  it('issubdtype matches NumPy’s type tree', () => {
    for (const [k, row] of Object.entries(FIX.issubdtype) as [AbstractDType, boolean[]][])
      DTYPES.forEach((d, i) => {
        expect([d, k, issubdtype(d, k)]).toEqual([d, k, row[i]])
        expect(issubdtype(array([1], { dtype: d }), k)).toBe(row[i])
      })
    for (const [k, row] of Object.entries(FIX.abstractSub) as [AbstractDType, Record<AbstractDType, boolean>][])
      for (const [j, v] of Object.entries(row) as [AbstractDType, boolean][])
        expect([k, j, issubdtype(k, j)]).toEqual([k, j, v])
    DTYPES.forEach((a) => DTYPES.forEach((b) => expect(issubdtype(a, b)).toBe(a === b)))
    expect(() => issubdtype('int32', 'integers' as AbstractDType)).toThrow(DTypeError)
  })

  it('isdtype follows the Array API kinds', () => {
    const kinds = {
      bool: ['bool'],
      'signed integer': ['int8', 'int16', 'int32', 'int64'],
      'unsigned integer': ['uint8'],
      integral: ['uint8', 'int8', 'int16', 'int32', 'int64'],
      'real floating': ['float32', 'float64'],
      'complex floating': [],
      numeric: ['uint8', 'int8', 'int16', 'int32', 'int64', 'float32', 'float64'],
    } as const
    for (const [k, members] of Object.entries(kinds))
      for (const d of DTYPES)
        expect([d, k, isdtype(d, k as 'bool')]).toEqual([d, k, (members as readonly string[]).includes(d)])
    expect(isdtype('int8', 'int8')).toBe(true)
    expect(isdtype('int8', 'int16')).toBe(false)
    expect(isdtype('uint8', ['signed integer', 'unsigned integer'])).toBe(true)
    expect(isdtype('float32', ['bool', 'integral'])).toBe(false)
    expect(() => isdtype('int8', 'integer' as 'bool')).toThrow(/Unrecognized data type kind='integer'/)
  })
})

/**
 * union1d, intersect1d, setdiff1d, setxor1d (src/ops/setOps.ts) against NumPy
 * (test/ops/fixtures/setOps.py → setOps.json); size/fillValue padding and truncation, staging under
 * jit with a static size; bad inputs.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { array, intersect1d, jit, setdiff1d, setxor1d, union1d, type NdArray, type NestedArray } from 'wengert'

const fx = JSON.parse(readFileSync(new URL('./fixtures/setOps.json', import.meta.url), 'utf8')) as Record<
  string,
  number[]
>
const i32 = (k: string): NdArray => array(fx[k] as NestedArray, { dtype: 'int32' })
const [a, b] = [i32('a'), i32('b')]

describe('set operations', () => {
  it('match NumPy', () => {
    expect(union1d(a, b).toArray()).toEqual(fx['union1d'])
    expect(intersect1d(a, b).toArray()).toEqual(fx['intersect1d'])
    expect(setdiff1d(a, b).toArray()).toEqual(fx['setdiff1d'])
    expect(setxor1d(a, b).toArray()).toEqual(fx['setxor1d'])
    expect(setxor1d(i32('ua'), i32('ub'), { assumeUnique: true }).toArray()).toEqual(fx['setxor1d_unique'])
    expect(intersect1d(i32('ua'), b, { assumeUnique: true }).toArray()).toEqual(fx['intersect1d'])
  })
  it('pad or cut to size with fillValue (default the smallest value), and stage under jit', () => {
    const want = fx['setdiff1d'] as number[]
    expect(setdiff1d(a, b, { size: 8 }).toArray()).toEqual([...want, want[0], want[0]])
    expect(setdiff1d(a, b, { size: 8, fillValue: -1 }).toArray()).toEqual([...want, -1, -1])
    expect(intersect1d(a, b, { size: 2 }).toArray()).toEqual((fx['intersect1d'] as number[]).slice(0, 2))
    expect(union1d(a, b, { size: 16, fillValue: 99 }).toArray()).toEqual([...(fx['union1d'] as number[]), 99, 99])
    const f = jit((x: NdArray, y: NdArray) => setxor1d(x, y, { size: 12, fillValue: -7 }))
    expect(f(a, b).toArray()).toEqual([...(fx['setxor1d'] as number[]), -7, -7])
    expect(setdiff1d(array([1, 2]), array([1, 2]), { size: 2 }).toArray()).toEqual([1, 1])
  })
  it('rejects bad input', () => {
    expect(() => intersect1d(a, b, { returnIndices: true })).toThrow(/returnIndices is not supported/)
    expect(() => setdiff1d(a, b, { size: -1 })).toThrow(/size must be a non-negative integer/)
    expect(() => union1d(a, b, { assumeUnique: true } as object)).toThrow(/union1d/)
  })
})

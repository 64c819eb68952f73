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
  it('returnIndices: first occurrences in the flattened inputs (NumPy), out-of-bounds padding with size (JAX)', () => {
    const show = (r: NdArray[]): unknown => r.map((x) => x.toArray())
    expect(show(intersect1d(a, b, { returnIndices: true }))).toEqual(fx['intersect1d_indices'])
    const ua = array((fx['ua'] as number[]).slice().reverse(), { dtype: 'int32' })
    expect(show(intersect1d(ua, i32('ub'), { assumeUnique: true, returnIndices: true }))).toEqual(
      fx['intersect1d_unique_indices'],
    )
    const [v, i1, i2] = fx['intersect1d_indices'] as unknown as number[][]
    const n = v!.length
    const f = jit((x: NdArray, y: NdArray) => intersect1d(x, y, { returnIndices: true, size: n + 2, fillValue: -1 }))
    expect(show(f(a, b))).toEqual([
      [...v!, -1, -1],
      [...i1!, a.size, a.size],
      [...i2!, b.size, b.size],
    ])
    expect(show(intersect1d(array([1, 2]), array([3]), { returnIndices: true }))).toEqual([[], [], []])
  })
  it('rejects bad input', () => {
    expect(() => intersect1d(a, b, { returnIndices: 1 } as object)).toThrow(/returnIndices must be a boolean/)
    expect(() => setdiff1d(a, b, { size: -1 })).toThrow(/size must be a non-negative integer/)
    expect(() => union1d(a, b, { assumeUnique: true } as object)).toThrow(/union1d/)
  })
})

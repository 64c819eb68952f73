/**
 * nonzero, argwhere and unique (src/ops/sets.ts) against NumPy 1.24 (test/ops/fixtures/sorting.py
 * → sorting.json), their static `size`/`fillValue` forms under jit, and the ConcretizationTypeError
 * without `size` under jit.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ConcretizationTypeError, argwhere, array, jit, type NdArray, nonzero, unique } from 'wengert'
import { expectClose, f64 } from '../transforms/helpers'

type Nested = number | string | ReadonlyArray<Nested> | { readonly [k: string]: Nested }
const ref = JSON.parse(readFileSync(new URL('./fixtures/sorting.json', import.meta.url), 'utf8')) as Record<
  string,
  Nested
>
const num = (v: Nested): Nested => (Array.isArray(v) ? v.map(num) : typeof v === 'string' ? Number(v) : v)

describe('nonzero, argwhere, unique', () => {
  const m = f64([
    [0, 2, 0],
    [1, 0, 3],
  ])

  it('nonzero and argwhere equal NumPy; size pads with fillValue and stages under jit', () => {
    expect(nonzero(m).map((a) => a.toArray())).toEqual(ref['np_nonzero'])
    expect(argwhere(m).toArray()).toEqual(ref['np_argwhere'])
    const staged = jit((x: NdArray) => argwhere(x, { size: 4, fillValue: -1 }))
    expect(staged(m).toArray()).toEqual([
      [0, 1],
      [1, 0],
      [1, 2],
      [-1, -1],
    ])
    expect(nonzero(m, { size: 2 }).map((a) => a.toArray())).toEqual([
      [0, 1],
      [1, 0],
    ])
    expect(() => jit((x: NdArray) => nonzero(x)[0] as NdArray)(m)).toThrow(ConcretizationTypeError)
    expect(() => jit((x: NdArray) => nonzero(x)[0] as NdArray)(m)).toThrow(/size argument must be given/)
  })

  it('unique with index, inverse and counts equals NumPy (all NaNs one value)', () => {
    const u = f64([3, 1, 3, NaN, 2, 1, NaN])
    const [v, idx, inv, cnt] = unique(u, { returnIndex: true, returnInverse: true, returnCounts: true }) as NdArray[]
    const r = num(ref['np_unique'] as Nested) as Record<string, number[]>
    expectClose(v as NdArray, r['values'] as number[])
    expect((idx as NdArray).toArray()).toEqual(r['index'])
    expect((inv as NdArray).toArray()).toEqual(r['inverse'])
    expect((cnt as NdArray).toArray()).toEqual(r['counts'])
  })

  const ax = JSON.parse(readFileSync(new URL('./fixtures/uniqueAxis.json', import.meta.url), 'utf8')) as Record<
    string,
    Record<string, number[]> & number[][]
  >
  it("unique's inverse has the input's shape (JAX, as NumPy 2), so the values gathered by it rebuild the input", () => {
    const [v, inv] = unique(array(ax['m'] as number[][]), { returnInverse: true }) as NdArray[]
    expect((v as NdArray).toArray()).toEqual(ax['flat']?.['values'])
    expect((inv as NdArray).toArray()).toEqual(ax['flat']?.['inverse'])
  })

  it('unique along an axis: sorted unique slices, first indices, one inverse entry per slice, counts (NumPy)', () => {
    for (const [name, src, axis] of [
      ['m0', 'm', 0],
      ['m1', 'm', 1],
      ['t2', 't', 2],
      ['t1', 't', 1],
    ] as const) {
      const r = unique(array(ax[src] as unknown as number[]), {
        axis,
        returnIndex: true,
        returnInverse: true,
        returnCounts: true,
      }) as NdArray[]
      const want = ax[name] as Record<string, number[]>
      expect(r.map((o) => o.toArray())).toEqual([want['values'], want['index'], want['inverse'], want['counts']])
    }
    const padded = jit((x: NdArray) => unique(x, { axis: 0, size: 6, fillValue: -1 }) as NdArray)(
      array(ax['m'] as number[][]),
    )
    expect((padded.toArray() as number[][]).slice(0, 5)).toEqual(ax['m0']?.['values'])
    expect((padded.toArray() as number[][])[5]).toEqual([-1, -1, -1])
    expect(() => unique(array([1, 2]), { axis: 1 })).toThrow(/axis 1 is out of bounds|out of range|axis/)
  })

  it('unique with a static size under jit: padded values (fillValue or the minimum) and zero counts', () => {
    const f = jit((x: NdArray) => unique(x, { size: 5, returnCounts: true }) as NdArray[])
    const [v, c] = f(array([4, 2, 4, 4])) as unknown as NdArray[]
    expect((v as NdArray).toArray()).toEqual([2, 4, 2, 2, 2])
    expect((c as NdArray).toArray()).toEqual([1, 3, 0, 0, 0])
    expect(unique(array([4, 2, 4]), { size: 1 }).toArray()).toEqual([2])
    expect(() => jit((x: NdArray) => unique(x))(array([1, 1]))).toThrow(ConcretizationTypeError)
    expect(() => unique(array([1]), { sorted: true } as never)).toThrow(/unexpected keyword argument 'sorted'/)
  })
})

/**
 * nn.dotProductAttention (JAX: jax.nn.dot_product_attention) against a float64 NumPy reference
 * computed head by head from the definition (fixtures/attention.py → attention.json): multi-head,
 * grouped and multi-query attention, scale, bias, boolean masks (a fully masked row), causal,
 * local window, sequence lengths, rank-3 inputs; gradients against finite differences; JAX's errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { array, grad, jit, mul, nn, sum, ValueError, type NdArray } from '../../../src'

interface Case {
  readonly name: string
  readonly q: number[]
  readonly k: number[]
  readonly v: number[]
  readonly out: number[]
  readonly bias?: number[]
  readonly mask?: boolean[]
  readonly scale?: number
  readonly causal?: boolean
  readonly window?: [number, number]
  readonly qlen?: number[]
  readonly kvlen?: number[]
  readonly rank3?: boolean
}

const cases = JSON.parse(readFileSync(new URL('./fixtures/attention.json', import.meta.url), 'utf8')) as Case[]
const f32 = (x: unknown): NdArray => array(x as number[], { dtype: 'float32' })
const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x as number])

const run = (c: Case, at = (x: NdArray): NdArray => x): NdArray => {
  const first = (x: NdArray): NdArray => (c.rank3 === true ? at(x).reshape(x.shape.slice(1)) : at(x))
  return nn.dotProductAttention(
    first(f32(c.q)),
    first(f32(c.k)),
    first(f32(c.v)),
    c.bias === undefined ? null : f32(c.bias),
    c.mask === undefined ? null : array(c.mask),
    {
      ...(c.scale === undefined ? {} : { scale: c.scale }),
      ...(c.causal === true ? { isCausal: true } : {}),
      ...(c.window === undefined ? {} : { localWindowSize: c.window }),
      ...(c.qlen === undefined ? {} : { querySeqLengths: array(c.qlen, { dtype: 'int32' }) }),
      ...(c.kvlen === undefined ? {} : { keyValueSeqLengths: array(c.kvlen, { dtype: 'int32' }) }),
    },
  )
}

describe('nn.dotProductAttention against the float64 reference', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const out = run(c)
    expect(out.dtype).toBe('float32')
    const want = flat(c.out)
    expect(out.shape.reduce((a, b) => a * b, 1)).toBe(want.length)
    const got = flat(out.toArray())
    got.forEach((g, i) =>
      expect(Math.abs(g - (want[i] as number))).toBeLessThan(2e-6 * (1 + Math.abs(want[i] as number))),
    )
    expect(flat(jit(() => run(c))().toArray())).toEqual(got)
  })

  it('keeps the query shape (rank 3 in, rank 3 out)', () => {
    const c = cases.find((x) => x.rank3 === true) as Case
    expect(run(c).shape).toEqual([4, 4, 3])
  })
})

describe('gradients', () => {
  it('match central differences for query, key, value and bias (grouped, causal, biased)', () => {
    const c = cases.find((x) => x.name === 'bias_per_head') as Case
    const w = f32(flat(c.out).map((_, i) => Math.sin(i)))
    const loss = (q: NdArray, k: NdArray, v: NdArray, b: NdArray): NdArray =>
      sum(mul(nn.dotProductAttention(q, k, v, b, null, { isCausal: true }).reshape([-1]), w))
    const args = [f32(c.q), f32(c.k), f32(c.v), f32(c.bias)] as const
    const gs = grad(loss, { argnums: [0, 1, 2, 3] })(...args) as NdArray[]
    args.forEach((a, which) => {
      const base = flat(a.toArray())
      const g = flat((gs[which] as NdArray).toArray())
      for (const i of [0, 5, base.length - 1]) {
        const at = (d: number): number => {
          const moved = args.map((x, j) =>
            j === which
              ? array(
                  base.map((u, m) => (m === i ? u + d : u)),
                  { dtype: 'float64' },
                ).reshape(x.shape)
              : x,
          ) as unknown as [NdArray, NdArray, NdArray, NdArray]
          const [q, k, v, b] = moved.map((x) => x.astype('float64'))
          return loss(q as NdArray, k as NdArray, v as NdArray, b as NdArray).item() as number
        }
        const fd = (at(1e-3) - at(-1e-3)) / 2e-3
        expect(Math.abs((g[i] as number) - fd)).toBeLessThan(3e-3 * (1 + Math.abs(fd)))
      }
    })
  })
})

describe('errors as JAX raises them', () => {
  const q = f32([[[[1, 2]]]])
  const k = f32([[[[1, 2]], [[3, 4]]]])
  it('names the shape, dtype or head count that is wrong', () => {
    expect(() => nn.dotProductAttention(q, k, f32([[[[1, 2]]]]))).toThrow(
      'value shape should be (1, 2, 1, 2): but got (1, 1, 1, 2)',
    )
    expect(() => nn.dotProductAttention(q.astype('float64'), k, k)).toThrow(
      'query dtype should be float32, but got float64',
    )
    expect(() => nn.dotProductAttention(q, k, k, null, f32([[[[1, 0]]]]))).toThrow(
      'mask dtype should be bool, but got float32',
    )
    const q3 = f32([
      [
        [
          [1, 2],
          [1, 2],
          [1, 2],
        ],
      ],
    ])
    const k2 = f32([
      [
        [
          [1, 2],
          [1, 2],
        ],
      ],
    ])
    expect(() => nn.dotProductAttention(q3, k2, k2)).toThrow(
      'The number of query heads must be a multiple of key/value heads, but got 3 vs 2',
    )
    expect(() =>
      nn.dotProductAttention(q, k, k, null, null, { querySeqLengths: array([1], { dtype: 'float32' }) }),
    ).toThrow('query_seq_lengths dtype should be int32, but got float32')
  })
  it('refuses options it does not have, and the cudnn implementation', () => {
    expect(() => nn.dotProductAttention(q, k, k, null, null, { implementation: 'cudnn' })).toThrow(ValueError)
    expect(() => nn.dotProductAttention(q, k, k, null, null, { is_causal: true } as never)).toThrow(/is_causal/)
  })
})

/**
 * Integer dtypes have no negative zero (issue 10, differential tester classes "signed zero @ neg(int)"
 * and "@ prod(int)"): int64 values live in float64 storage, where -(0), -3 * 0 and a product with a
 * negative factor give -0; every int64 result now reads back as +0, as PyTorch's integers do.
 */
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

const long = (v: number[] | number[][]): torch.Tensor => torch.tensor(v, { dtype: torch.int64 })
const hasNegZero = (xs: ReadonlyArray<number>): boolean => xs.some((v) => Object.is(v, -0))

describe('int64 results have no -0', () => {
  it.each([
    ['neg', () => long([0, 2, -3]).neg()],
    ['mul', () => long([-3, 0]).mul(long([0, -5]))],
    ['mul by a number', () => long([0, 4]).mul(-2)],
    [
      'prod',
      () =>
        long([
          [-3, 0],
          [0, -1],
        ]).prod(1),
    ],
    ['cumprod', () => long([-3, 0, 5]).cumprod(0)],
    [
      'sum',
      () =>
        long([[-0, 0]])
          .neg()
          .sum(1),
    ],
  ])('%s', (_name, make) => {
    // Arrange, Act
    const r = make()
    const values = (r.flatten().tolist() as number[]).map(Number)
    // Assert: the integers are right and none is -0
    expect(r.dtype).toBe(torch.int64)
    expect(values.every((v) => Number.isInteger(v))).toBe(true)
    expect(hasNegZero(values)).toBe(false)
  })

  it('the values themselves are unchanged', () => {
    expect(
      long([
        [-3, 0],
        [2, -1],
      ])
        .prod(1)
        .tolist(),
    ).toEqual([0, -2])
    expect(long([0, 2, -3]).neg().tolist()).toEqual([0, -2, 3])
  })
})

/**
 * `sumFromNegZero` (src/torch/methods/reduceZeros.ts), the sum PyTorch's softmax backward kernels
 * take along the last dimension: −0 for a row of −0s only, else the plain sum. Rows that sum to
 * ±0 and rows that do not, in one array (the second take the shortcut that skips the count), and
 * a softmax backward through it with a gradient of −0 rows and non-zero rows.
 */
import { describe, expect, it } from 'vitest'
import { array } from '../../src/ndarray/create'
import { sumFromNegZero } from '../../src/torch/methods/reduceZeros'
import * as torch from '../../src/torch/index'

const rows: number[][] = [
  [-0, -0, -0, -0],
  [-0, 0, -0, -0],
  [1, -1, 0, -0],
  [1.5, -0, 2, 0.25],
  [NaN, -0, -0, -0],
  [-0, -0, -0, -2],
]
// the expected sums: −0 only where every term is −0; 1 + (−1) + 0 + (−0) is +0
const expected = [-0, 0, 0, 3.75, NaN, -2]

describe('sumFromNegZero', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: −0 only for an all −0 row, the sum elsewhere`, () => {
      const got = sumFromNegZero(array(rows.flat(), { shape: [rows.length, 4], dtype }), 1).toTypedArray()
      expected.forEach((e, i) => expect(Object.is(got[i], e), `row ${i}: ${got[i]} vs ${e}`).toBe(true))
    })
    it(`${dtype}: every row non-zero (the count is skipped) gives the plain sums`, () => {
      const got = sumFromNegZero(array([1, 2, -0, 4, -1, -0, -0, -0], { shape: [2, 4], dtype }), 1).toTypedArray()
      expect(Array.from(got)).toEqual([7, -1])
    })
  }
  it('softmax backward along the last dim: an all −0 gradient row gives +0s, as PyTorch 1.13', () => {
    const x = torch.tensor(
      [
        [0.5, -1, 2],
        [1, 2, 3],
      ],
      { requires_grad: true },
    )
    const y = torch.softmax(x, -1)
    y.backward(
      torch.tensor([
        [-0, -0, -0],
        [1, -2, 0.5],
      ]),
    )
    const g = (x.grad as torch.Tensor).tolist() as number[][]
    for (const v of g[0] as number[]) expect(Object.is(v, 0)).toBe(true)
    const yv = y.tolist() as number[][]
    const [p, gr] = [yv[1] as number[], [1, -2, 0.5]]
    const dot = p.reduce((a, v, i) => a + v * (gr[i] as number), 0)
    ;(g[1] as number[]).forEach((v, i) => expect(v).toBeCloseTo((p[i] as number) * ((gr[i] as number) - dot), 6))
  })
})

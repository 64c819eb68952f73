/**
 * The view steps' direct pullbacks (`ViewStep.pull`, which view ops record instead of a trace of
 * their forward) against the VJP of the forward itself (`vjp(step.fwd, x)`): the same values,
 * bit for bit, for every kind of view (select, strided slice, reshape, permute, expand with new
 * and stretched dimensions, alias), and the gradients the facade's view ops then give.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { array } from '../../src/ndarray/create'
import type { NdArray } from '../../src/ndarray/NdArray'
import { vjp } from '../../src/transforms/vjp'
import { aliasStep, expandStep, permuteStep, reshapeStep, selectStep, sliceStep } from '../../src/torch/ops/views'
import type { ViewStep } from '../../src/torch/tensor'

/** `n` distinct values in [-1, 1) (a fixed sequence), of `shape`. */
const values = (shape: ReadonlyArray<number>, dtype: 'float32' | 'float64'): NdArray => {
  const n = shape.reduce((a, b) => a * b, 1)
  const data = Array.from({ length: n }, (_, i) => (((i * 37 + 11) % 97) - 48) / 48.5)
  return array(data, { shape: [...shape], dtype })
}

const cases: ReadonlyArray<readonly [string, ViewStep, ReadonlyArray<number>]> = [
  ['select middle', selectStep('SelectBackward0', 1, 2), [3, 4, 2]],
  ['select last dim', selectStep('SelectBackward0', 2, 0), [3, 4, 2]],
  ['slice with step', sliceStep('SliceBackward0', 1, 1, 7, 2), [2, 8]],
  ['slice to the end', sliceStep('SliceBackward0', 0, 2, 5, 1), [5, 3]],
  ['empty slice', sliceStep('SliceBackward0', 0, 3, 3, 1), [5, 3]],
  ['reshape', reshapeStep('ViewBackward0', [4, 6]), [2, 3, 4]],
  ['unsqueeze', reshapeStep('UnsqueezeBackward0', [2, 1, 3]), [2, 3]],
  ['permute', permuteStep('PermuteBackward0', [2, 0, 1]), [2, 3, 4]],
  ['expand new and stretched dims', expandStep('ExpandBackward0', [5, 3, 4]), [3, 1]],
  ['expand nothing', expandStep('ExpandBackward0', [3, 4]), [3, 4]],
  ['alias', aliasStep('AliasBackward0'), [2, 2]],
]

describe('view pullbacks', () => {
  for (const dtype of ['float32', 'float64'] as const)
    for (const [label, step, shape] of cases)
      it(`${label} (${dtype}) equals the VJP of its forward`, () => {
        const x = values(shape, dtype)
        const y = step.fwd(x)
        const g = values(y.shape, dtype)
        const want = vjp(step.fwd, x)[1](g)[0] as NdArray
        const got = (step.pull as NonNullable<ViewStep['pull']>)(g, x)
        expect(got.shape).toEqual(x.shape)
        expect(got.dtype).toBe(dtype)
        expect(Array.from(got.toTypedArray())).toEqual(Array.from(want.toTypedArray()))
      })

  it("the facade's views route gradients back to the elements they read", () => {
    const x = torch.arange(10, { dtype: torch.float64 }).requires_grad_()
    const parts = [
      x.select(0, 3).mul(2),
      x.narrow(0, 5, 3).sum(),
      x
        .view(2, 5)
        .t()
        .mul(torch.arange(10, { dtype: torch.float64 }).view(5, 2))
        .sum(),
      x.select(0, 9).expand(4).sum(),
    ]
    const [g] = torch.autograd.grad(
      parts.reduce((a, b) => a.add(b)),
      [x],
    )
    // d/dx_i: 2 at 3; 1 at 5, 6, 7; x.view(2, 5).t()[j, k] = x[5k + j] times w[j, k] = 2j + k; 4 at 9
    const want = Array.from({ length: 10 }, (_, i) => {
      const j = i % 5
      const k = Math.floor(i / 5)
      return 2 * j + k + (i === 3 ? 2 : 0) + (i >= 5 && i <= 7 ? 1 : 0) + (i === 9 ? 4 : 0)
    })
    expect(Array.from((g as torch.Tensor).numpy().toTypedArray())).toEqual(want)
  })
})

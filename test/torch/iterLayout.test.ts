/**
 * The strides of element-wise results (issue 10, difftest class D1): PyTorch's TensorIterator lays
 * a result out like its operands (a transposed input gives a transposed result), so `stride()`,
 * `is_contiguous()` and `view()`'s refusal follow, and a leaf's first gradient laid out by an
 * element-wise formula and permuted back by TBackward0 is taken as `.grad` (version 0) or copied
 * (version 1) as in PyTorch. Expected answers: real PyTorch 1.13 runs of the same programs
 * (fixtures/iter_layout.py writes fixtures/iter_layout.json).
 */
import { describe, expect, it } from 'vitest'
import { iterStrides } from '../../src/torch/autograd/iterLayout'
import { outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/iter_layout.json'

describe('element-wise result layouts (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(outcome(c.ts)).toEqual(c.expect)
  })
})

describe('iterStrides (TensorIterator rule)', () => {
  it('keeps contiguous and same-strided dense operands, orders dimensions by the first operand that tells them apart', () => {
    expect(iterStrides([2, 3], [{ shape: [2, 3], strides: [3, 1] }])).toBeNull()
    expect(iterStrides([3, 2], [{ shape: [3, 2], strides: [1, 3] }])).toEqual([1, 3])
    // a broadcast operand (stride 0) tells nothing: the next one decides
    expect(
      iterStrides(
        [3, 2],
        [
          { shape: [2], strides: [1] },
          { shape: [3, 2], strides: [1, 3] },
        ],
      ),
    ).toEqual([1, 3])
    expect(iterStrides([4], [{ shape: [4], strides: [2] }])).toBeNull()
  })
})

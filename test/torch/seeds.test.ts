/**
 * The seed notes' programs (examples/pytorch/*.ts) print what PyTorch prints. Expected text comes
 * from the seeds' printed outputs, or from math where a seed shows only a picture.
 */
import { describe, expect, it } from 'vitest'
import { runExample } from './run-example'

const NON_LEAF =
  "UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more informations. (Triggered internally at aten/src/ATen/core/TensorBody.h:489.)"

describe('seed 000: .backward()', () => {
  it('prints the gradients of F = a·b, the scalar-output error, None with the warning, is_leaf, retain_grad', async () => {
    // Act
    const { out, warnings } = await runExample('../../examples/pytorch/01_backward_method.ts')
    // Assert
    expect(out).toEqual([
      'tensor(20.)', // ∂F/∂a = b
      'tensor(10.)', // ∂F/∂b = a
      'RuntimeError: grad can be implicitly created only for scalar outputs',
      'tensor([20., 20.])',
      'tensor([10., 10.])',
      'tensor([40., 40.])', // G = 2F: ∂G/∂a = 2b
      'None',
      'True True False False',
      'tensor([2., 2.])', // F.grad = ∂G/∂F = 2
      'tensor([40., 40.])',
    ])
    expect(warnings).toEqual([NON_LEAF])
  })
})

describe('seed 003: backward explained', () => {
  it('prints the tutorial values', async () => {
    const { out } = await runExample('../../examples/pytorch/04_backward_explained.ts')
    expect(out).toEqual([
      'tensor([[3., 3.],\n        [3., 3.]], grad_fn=<AddBackward0>)',
      'tensor([[27., 27.],\n        [27., 27.]], grad_fn=<MulBackward0>) tensor(27., grad_fn=<MeanBackward0>)',
      'tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])',
      'tensor([2., 2., 2.], grad_fn=<MulBackward0>)',
      'tensor([2.0000e-01, 2.0000e+00, 2.0000e-04])',
    ])
  })
})

describe('seed 004: gradient notes', () => {
  it('fails the in-place softmax loop, runs the cat rewrite, and prints the seed values', async () => {
    const { out } = await runExample('../../examples/pytorch/05_gradient_notes.ts')
    expect(out[0]).toMatch(/^<CopySlices object at 0x[0-9a-f]+>$/)
    // DivBackward0 of the last row saved x[1] at version 1; the second assignment made it 2
    expect(out[1]).toBe(
      'RuntimeError: one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of AsStridedBackward0, is at version 2; expected version 1 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).',
    )
    // softmax rows: e^(x−max)/Σ; row 0 = [e⁻², e⁻¹, 1]/(e⁻² + e⁻¹ + 1)
    expect(out[2]).toBe('tensor([[0.0900, 0.2447, 0.6652],\n        [0.3333, 0.3333, 0.3333]], grad_fn=<CatBackward0>)')
    expect(out[3]).toMatch(/^<CatBackward0 object at 0x[0-9a-f]+>$/)
    // ∂s₀/∂xⱼ = s₀(δ₀ⱼ − sⱼ)
    expect(out[4]).toBe('tensor([[ 0.0819, -0.0220, -0.0599],\n        [ 0.2222, -0.1111, -0.1111]])')
    expect(out.slice(5)).toEqual([
      'True',
      '0',
      'tensor(1.)',
      'None',
      'tensor([-0.8415, -0.9093, -0.1411])', // the seed's printed a.grad = −sin(a)
      'tensor([-0.8415, -0.9093, -0.1411])',
      'None',
      'RuntimeError: a view of a leaf Variable that requires grad is being used in an in-place operation.',
      'False None',
      'tensor([1., 2., 3.])',
    ])
  })
})

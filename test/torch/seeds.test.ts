/**
 * The seed notes' programs (examples/pytorch/*.ts) print what PyTorch prints. Expected text comes
 * from the seeds' printed outputs, or from math where a seed shows only a picture.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { runExample } from './run-example'

const OBJ = (name: string) => new RegExp(`^<${name} object at 0x[0-9a-f]+>$`)
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v))

/** The tutorial network z = xW + b with BCE-with-logits against zeros: ∂loss/∂z = σ(z)/3. */
const network = (seed: number) => {
  torch.manual_seed(seed)
  const x = torch.ones(5)
  const y = torch.zeros(3)
  const W = torch.randn(5, 3, { requires_grad: true })
  const b = torch.randn(3, { requires_grad: true })
  const z = torch.matmul(x, W).add(b)
  const loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
  loss.backward()
  const expected = (z.tolist() as number[]).map((v) => sigmoid(v) / 3)
  return { W, b, z, loss, expected }
}
const rows = (t: torch.Tensor) => t.tolist() as number[][]
const closeTo = (a: ReadonlyArray<number>, b: ReadonlyArray<number>) =>
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i] as number, 6))

const NON_LEAF =
  "UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more information. (Triggered internally at aten/src/ATen/core/TensorBody.h:489.)"

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

describe('seed 001: how gradients are computed', () => {
  it('prints requires_grad flags, the gradients of W and b, and the node names', async () => {
    const { out } = await runExample('../../examples/pytorch/02_how_gradients_are_computed.ts')
    expect(out.slice(0, 2)).toEqual(['False False True', 'True False'])
    expect(out[4]).toBe('Gradient function for z = ' + out[4]?.slice('Gradient function for z = '.length))
    expect(out[4]?.slice('Gradient function for z = '.length)).toMatch(OBJ('AddBackward0'))
    expect(out[5]?.slice('Gradient function for loss = '.length)).toMatch(OBJ('BinaryCrossEntropyWithLogitsBackward0'))
    expect(out[6]).toMatch(
      /^\(\(<SqueezeBackward4 object at 0x[0-9a-f]+>, 0\), \(<AccumulateGrad object at 0x[0-9a-f]+>, 0\)\)$/,
    )
    // the same program, checked against math: every row of W.grad and b.grad are σ(z)/3
    const { W, b, expected } = network(0)
    closeTo(b.grad?.tolist() as number[], expected)
    for (const r of rows(W.grad as torch.Tensor)) closeTo(r, expected)
    expect(out[3]).toBe(String(b.grad))
    expect(out[2]).toBe(String(W.grad))
  })
})

describe('seed 002: autograd notes', () => {
  it('prints node names, gradients, the second-backward error, and tracking switched off', async () => {
    const { out } = await runExample('../../examples/pytorch/03_autograd_notes.ts')
    expect(out[0]?.slice('Gradient function for z = '.length)).toMatch(OBJ('AddBackward0'))
    expect(out[1]?.slice('Gradient function for loss = '.length)).toMatch(OBJ('BinaryCrossEntropyWithLogitsBackward0'))
    const { W, b, expected } = network(1)
    for (const r of rows(W.grad as torch.Tensor)) closeTo(r, expected)
    expect(out.slice(2, 4)).toEqual([String(W.grad), String(b.grad)])
    expect(out[4]).toMatch(/^RuntimeError: Trying to backward through the graph a second time/)
    expect(out.slice(5)).toEqual(['True', 'False', 'False'])
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
    expect(out[5]).toMatch(/^True <CopySlices object at 0x[0-9a-f]+>$/)
    expect(out[6]).toBe(out[4])
    expect(out.slice(7)).toEqual([
      'True',
      '0',
      'tensor(1.)',
      'None',
      'tensor([-0.8415, -0.9093, -0.1411])', // the seed's printed a.grad = −sin(a)
      'tensor([-0.8415, -0.9093, -0.1411])',
      'None',
      'RuntimeError: a view of a leaf Variable that requires grad is being used in an in-place operation.',
      'torch.Size([3, 1]) True',
      'torch.Size([3]) True',
      'torch.Size([2, 3])',
      'torch.Size([2, 1])',
      'tensor([0.3333, 0.3333, 0.3333])', // ∂ mean(y − label)/∂bias = 2/6
      'None',
      'False None',
      'tensor([1., 2., 3.])',
    ])
  })
})

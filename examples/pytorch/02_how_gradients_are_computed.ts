/**
 * Seed note 001 ("Pytorch 是如何进行梯度计算的?"): requires_grad on constants and parameters,
 * `requires_grad_()`, and the official tutorial's one-layer network z = xW + b with a
 * binary-cross-entropy-with-logits loss: `loss.backward()` fills W.grad and b.grad, and the
 * graph's nodes print with PyTorch's names.
 *
 * Run: npx tsx examples/pytorch/02_how_gradients_are_computed.ts
 */
import * as torch from 'wengert/torch'
const { print } = torch

// constants and parameters
const c1 = torch.randn(5, 3)
const c2 = new torch.Tensor([1, 2, 3]) // torch.Tensor([1, 2, 3])
const param = torch.ones(3, { requires_grad: true })
print(c1.requires_grad, c2.requires_grad, param.requires_grad) // False False True

c2.requires_grad_(true) // constant -> parameter
param.requires_grad_(false) // parameter -> constant
print(c2.requires_grad, param.requires_grad) // True False

// the tutorial's network
torch.manual_seed(0)
const x = torch.ones(5) // input tensor
const y = torch.zeros(3) // expected output
const W = torch.randn(5, 3, { requires_grad: true })
const b = torch.randn(3, { requires_grad: true })
const z = torch.matmul(x, W).add(b) // z = torch.matmul(x, W) + b
const loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)

loss.backward()
print(W.grad) // every row is σ(z)/3
print(b.grad) // σ(z)/3

print(`Gradient function for z = ${z.grad_fn}`) // <AddBackward0 object at …>
print(`Gradient function for loss = ${loss.grad_fn}`) // <BinaryCrossEntropyWithLogitsBackward0 object at …>
// the hidden node of x·W: torch.matmul of a vector and a matrix is unsqueeze → mm → squeeze_
print(z.grad_fn?.next_functions) // ((<SqueezeBackward4 object at …>, 0), (<AccumulateGrad object at …>, 0))

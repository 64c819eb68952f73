/**
 * Seed note 003 ("小白对pytorch的autograd的backward一些理解", after the official autograd
 * tutorial): out = mean(3(x + 2)²) has gradient 4.5 everywhere; for a vector output y = 2x,
 * `y.backward(v)` computes the vector-Jacobian product vᵀJ.
 *
 * Run: npx tsx examples/pytorch/04_backward_explained.ts
 */
import * as torch from 'wengert/torch'
const { print } = torch

let x = torch.ones(2, 2, { requires_grad: true })
let y = x.add(2) // y = x + 2
const z = y.mul(y).mul(3) // z = y * y * 3
const out = z.mean()
print(y) // tensor([[3., 3.], [3., 3.]], grad_fn=<AddBackward0>)
print(z, out) // … grad_fn=<MulBackward0>) tensor(27., grad_fn=<MeanBackward0>)

out.backward()
print(x.grad) // tensor([[4.5000, 4.5000], [4.5000, 4.5000]])

x = torch.ones(3, { requires_grad: true })
y = x.mul(2) // y = x * 2
print(y) // tensor([2., 2., 2.], grad_fn=<MulBackward0>)

const v = torch.tensor([0.1, 1.0, 0.0001], { dtype: torch.float })
y.backward(v)
print(x.grad) // tensor([2.0000e-01, 2.0000e+00, 2.0000e-04])

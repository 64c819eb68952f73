/**
 * Seed note 000 ("Pytorch中的.backward()方法"): F = a·b for scalars and vectors, the implicit
 * gradient of scalar outputs, `gradient=` for vectors, non-leaf `.grad` (None with a warning),
 * `is_leaf` and `retain_grad()`.
 *
 * Run: npx tsx examples/pytorch/01_backward_method.ts
 */
import * as torch from 'wengert/torch'
const { print } = torch

// a = torch.tensor(10.0, requires_grad=True); b = torch.tensor(20.0, requires_grad=True)
let a = torch.tensor(10.0, { requires_grad: true })
let b = torch.tensor(20.0, { requires_grad: true })
let F = a.mul(b) // F = a * b
F.backward()
print(a.grad) // tensor(20.)
print(b.grad) // tensor(10.)

// vectors: the implicit gradient only exists for scalar outputs
a = torch.tensor([10.0, 10.0], { requires_grad: true })
b = torch.tensor([20.0, 20.0], { requires_grad: true })
F = a.mul(b)
try {
  F.backward()
} catch (e) {
  print(`RuntimeError: ${(e as Error).message}`) // grad can be implicitly created only for scalar outputs
}
F.backward(torch.tensor([1.0, 1.0])) // F.backward(gradient=torch.tensor([1., 1.]))
print(a.grad) // tensor([20., 20.])
print(b.grad) // tensor([10., 10.])

// G depends on F
a = torch.tensor([10.0, 10.0], { requires_grad: true })
b = torch.tensor([20.0, 20.0], { requires_grad: true })
F = a.mul(b)
let G = F.mul(2) // G = 2 * F
G.backward(torch.tensor([1.0, 1.0]))
print(a.grad) // tensor([40., 40.])
print(F.grad) // None, with a UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor is being accessed…

print(a.is_leaf, b.is_leaf, F.is_leaf, G.is_leaf) // True True False False

// retain_grad() keeps a non-leaf's gradient
a = torch.tensor([10.0, 10.0], { requires_grad: true })
b = torch.tensor([20.0, 20.0], { requires_grad: true })
F = a.mul(b)
F.retain_grad()
G = F.mul(2)
G.backward(torch.tensor([1.0, 1.0]))
print(F.grad) // tensor([2., 2.])
print(a.grad) // tensor([40., 40.])

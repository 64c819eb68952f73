/**
 * Seed note 002 ("Pytorch learning note 4 - autograd"): the same network, printing the
 * gradient functions, computing gradients once (a second backward needs retain_graph), and
 * disabling gradient tracking with `no_grad` or `detach`.
 *
 * Run: npx tsx examples/pytorch/03_autograd_notes.ts
 */
import * as torch from 'wengert/torch'
const { print } = torch

torch.manual_seed(1)
const x = torch.ones(5)
const y = torch.zeros(3)
const w = torch.randn(5, 3, { requires_grad: true })
const b = torch.randn(3, { requires_grad: true })
let z = torch.matmul(x, w).add(b) // or z = x.matmul(w) + b
const loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)

print(`Gradient function for z = ${z.grad_fn}`)
print(`Gradient function for loss = ${loss.grad_fn}`)

// 2. Computing gradients
loss.backward()
print(w.grad)
print(b.grad)
try {
  loss.backward() // the graph's saved values were freed
} catch (e) {
  print(`RuntimeError: ${(e as Error).message}`)
}

// 3. Disabling gradient tracking
z = torch.matmul(x, w).add(b)
print(z.requires_grad) // True
torch.no_grad(() => {
  z = torch.matmul(x, w).add(b)
})
print(z.requires_grad) // False

z = torch.matmul(x, w).add(b)
const z_det = z.detach()
print(z_det.requires_grad) // False

/**
 * Seed note 004 ("torch 梯度"): the softmax-by-rows loop that fails because it writes into the
 * tensor autograd saved, and its rewrites with a new tensor (`cat`, or a `clone()`); backward of a scalar;
 * `a.cos()` summed; tensors outside the graph keep `grad = None`; `a[2] = 1` on a leaf that
 * requires grad; a model's parameters get gradients, its data does not; `detach()`; `as_tensor`.
 *
 * Run: npx tsx examples/pytorch/05_gradient_notes.ts
 */
import * as torch from 'wengert/torch'
const { print } = torch

const batch_size = 2
const logits = torch.tensor(
  [
    [1.0, 2.0, 3.0],
    [1.0, 1.0, 1.0],
  ],
  { requires_grad: true },
)

// the failing loop: x[i] = x[i] / x[i].sum() modifies x in place
let x = torch.exp(logits.sub(logits.max()))
for (let i = 0; i < batch_size; i++) {
  x.set(i, x.index(i).div(x.index(i).sum())) // x[i] = x[i] / x[i].sum()
}
print(x.grad_fn) // <CopySlices object at …>
try {
  x.sum().backward()
} catch (e) {
  print(`RuntimeError: ${(e as Error).message}`)
}

// the working rewrite: build a new tensor row by row
x = torch.exp(logits.sub(logits.max()))
let out = x.index(0).div(x.index(0).sum()).unsqueeze({ dim: 0 })
for (let i = 1; i < batch_size; i++) {
  const row = x.index(i).div(x.index(i).sum()).unsqueeze({ dim: 0 })
  out = torch.cat([out, row], { dim: 0 })
}
print(out) // softmax of each row
print(out.grad_fn) // <CatBackward0 object at …>
out.index(':', 0).sum().backward()
print(logits.grad)

// or write the rows into a clone(), leaving the saved x untouched
x = torch.exp(logits.sub(logits.max()))
const y = x.clone()
for (let i = 0; i < batch_size; i++) {
  y.set(i, x.index(i).div(x.index(i).sum())) // y[i] = x[i] / x[i].sum()
}
print(y.allclose(out), y.grad_fn) // True <CopySlices object at …>
logits.grad = null
y.index(':', 0).sum().backward()
print(logits.grad) // the same gradient as through cat

// the variant starting from an empty tensor (cat skips the empty 1-D tensor)
x = torch.exp(logits.sub(logits.max()))
let out2 = torch.tensor([])
for (let i = 0; i < batch_size; i++) {
  const row = x.index(i).div(x.index(i).sum()).unsqueeze({ dim: 0 })
  out2 = torch.cat([out2, row], { dim: 0 })
}
print(out2.allclose(out)) // True

// backward of a scalar: scalar, float, differentiable
const s = torch.tensor(1.0, { requires_grad: true })
print(s.ndim) // 0
s.backward()
print(s.grad) // tensor(1.)

let a = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true })
print(a.grad) // None
const o = a.cos()
o.sum().backward()
print(a.grad) // tensor([-0.8415, -0.9093, -0.1411])

a = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true })
const b = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true })
a.cos().sum().backward()
print(a.grad) // tensor([-0.8415, -0.9093, -0.1411])
print(b.grad) // None

// a[2] = 1 on a leaf that requires grad
a = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true })
try {
  a.set(2, 1) // a[2] = 1
} catch (e) {
  print(`RuntimeError: ${(e as Error).message}`) // a view of a leaf Variable that requires grad is being used in an in-place operation.
}

// only the model's parameters get gradients; the data does not
class Model extends torch.nn.Module {
  line_layer: torch.nn.Linear
  constructor(in_feature = 1, out_feature = 3) {
    super()
    this.line_layer = torch.nn.Linear({ in_features: in_feature, out_features: out_feature })
  }
  forward(x: torch.Tensor): torch.Tensor {
    return this.line_layer.call(x)
  }
}
torch.manual_seed(0)
const model = new Model(1, 3)
for (const p of model.parameters()) print(p.shape, p.requires_grad) // Parameter containing: …
const xb = torch.randn(2, 1)
const y_pred = model.call(xb)
print(y_pred.shape) // torch.Size([2, 3])
const label = torch.tensor([0, 0]).unsqueeze({ dim: 1 }).long()
print(label.shape) // torch.Size([2, 1])
const loss_fn = (model_out: torch.Tensor, lbl: torch.Tensor) => model_out.sub(lbl).mean()
const loss = loss_fn(y_pred, label)
loss.backward() // fills the parameters' .grad; the optimizer changes the parameters
print(model.line_layer.bias?.grad) // d mean / d bias = 2/6 each
print(xb.grad) // None: data has no gradient

// detach: same data, outside the graph
const d = a.sigmoid().detach()
print(d.requires_grad, d.grad_fn) // False None

// as_tensor reuses data; .float() converts
print(torch.as_tensor([1, 2, 3]).float()) // tensor([1., 2., 3.])

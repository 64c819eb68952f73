/**
 * `npm start`: a short tour of wengert — immutable arrays that print like NumPy, the numeric
 * ops with NumPy's broadcasting and dtype rules, seeded random numbers, and derivatives
 * (`grad`, `jvp`, the Hessian-vector product, `valueAndGrad` over a small model), `vmap` and
 * `jit`, the printed tape and the PyTorch facade.
 */
import * as w from '../src/index'
import { array, grad, jvp, matmul, mean, mul, random, sin, sum, valueAndGrad, type NdArray } from '../src/index'
import * as torch from '../src/torch/index'

const section = (title: string): void => console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 66 - title.length))}`)
const show = (label: string, value: unknown): void => {
  const text = String(value)
  const pad = ' '.repeat(label.length + 3)
  console.log(`${label} = ${text.split('\n').join(`\n${pad}`)}`)
}

section('arrays are values that print like NumPy')
const x = array([
  [1.5, 2],
  [3, 4],
])
show('x', x)
show('x.shape, x.dtype', `${JSON.stringify(x.shape)}, ${x.dtype}`)
show('arange(12).reshape(3, 4)', w.reshape(w.arange(12), [3, 4]))
show('linspace(0, 1, 5, float64)', w.linspace(0, 1, 5, { dtype: 'float64' }))
show('eye(3, bool)', w.eye(3, 3, { dtype: 'bool' }))

section('ops: broadcasting, weak scalars, reductions')
const col = array([[0], [10], [20]])
const row = array([1, 2, 3])
show('col + row   ([3,1] with [3])', w.add(col, row))
show('mul(x, 2).dtype   (a JS number takes the array dtype)', mul(x, 2).dtype)
show('x32 + x64 dtype', w.add(x, array([1], { dtype: 'float64' })).dtype)
show('sum(x, axis 0)', w.sum(x, { axis: 0 }))
show('var(x)', w.var(x))
show('std(x, axis 1)', w.std(x, { axis: 1 }))
show('softmax([1000, 1001, 1002])   (stable)', w.softmax(array([1000, 1001, 1002], { dtype: 'float64' })))
show('x @ x', matmul(x, x))
show("einsum('ij,ij->', x, x)", w.einsum('ij,ij->', x, x))

section('errors say what went wrong')
try {
  w.add(w.ones([2, 3]), w.ones([4]))
} catch (e) {
  console.log(`${(e as Error).name}: ${(e as Error).message}`)
}
try {
  w.reshape(w.arange(6), [4, -1])
} catch (e) {
  console.log(`${(e as Error).name}: ${(e as Error).message}`)
}

section('seeded, splittable random numbers')
const [k1, k2] = random.split(random.key(0))
show('normal(k1, [3])', random.normal(k1, [3], { dtype: 'float64' }))
show('normal(k1, [3]) again', random.normal(k1, [3], { dtype: 'float64' }))
show('uniform(k2, [3])', random.uniform(k2, [3], { dtype: 'float64' }))

section('derivatives')
// f(x) = Σ sin(xᵢ)·xᵢ, so ∇f = sin x + x cos x and the Hessian is diagonal: 2 cos x − x sin x
const f = (v: NdArray): NdArray => sum(mul(sin(v), v))
const v = array([0.5, 1, 2], { dtype: 'float64' })
show('f(v)', f(v))
show('grad(f)(v)', grad(f)(v))
show('sin v + v cos v', w.add(sin(v), mul(v, w.cos(v))))
const [, hv] = jvp(grad(f), [v], [w.onesLike(v)])
show('H·1 = jvp(grad f)', hv)
show('d²/dx² sin at 1 = grad(grad(sin))', grad(grad(sin))(array(1, { dtype: 'float64' })))

section('a least-squares fit by gradient descent')
// y = 3x − 1 + noise; fit w, b by minimising mean((w x + b − y)²)
const kx = random.key(1)
const xs = random.uniform(kx, [64], { dtype: 'float64' })
const ys = w.add(w.sub(mul(xs, 3), 1), mul(random.normal(random.foldIn(kx, 0), [64], { dtype: 'float64' }), 0.05))
const loss = (p: { w: NdArray; b: NdArray }): NdArray => mean(w.square(w.sub(w.add(mul(xs, p.w), p.b), ys)))
let params = { w: array(0, { dtype: 'float64' }), b: array(0, { dtype: 'float64' }) }
for (let step = 0; step <= 300; step++) {
  const [l, g] = valueAndGrad(loss)(params)
  if (step % 100 === 0) console.log(`step ${String(step).padStart(3)}: loss ${(l.item() as number).toExponential(3)}`)
  params = { w: w.sub(params.w, mul(g.w, 0.5)), b: w.sub(params.b, mul(g.b, 0.5)) }
}
show(
  'fitted w, b   (true: 3, −1)',
  `${(params.w.item() as number).toFixed(3)}, ${(params.b.item() as number).toFixed(3)}`,
)

section('makeTape: the Wengert tape of a function, printed like a jaxpr')
console.log(String(w.makeTape((a: NdArray, b: NdArray) => sum(sin(mul(a, b))))(array([1, 2, 3]), array([4, 5, 6]))))

section('vmap: per-example gradients; jit: trace once, replay compiled')
// the gradient of the squared error of each example separately, in one batched pass
const sqErr = (p: { w: NdArray; b: NdArray }, x: NdArray, y: NdArray): NdArray =>
  w.square(w.sub(w.add(mul(x, p.w), p.b), y))
const perExample = w.vmap(grad(sqErr), { inAxes: [null, 0, 0] })(params, w.slice(xs, [[0, 3]]), w.slice(ys, [[0, 3]]))
show('per-example dL/dw (3 examples)', perExample.w)
// jit of the whole training step: traced on the first call, then a compiled program
const step = w.jit((p: { w: NdArray; b: NdArray }) => {
  const [l, g] = valueAndGrad(loss)(p)
  return { loss: l, next: { w: w.sub(p.w, mul(g.w, 0.5)), b: w.sub(p.b, mul(g.b, 0.5)) } }
})
const jitted = step(params)
show('jit step == eager step', jitted.loss.item() === valueAndGrad(loss)(params)[0].item())

section('the PyTorch facade (wengert/torch) on the same engine')
{
  // the seeds' first example, line by line as in PyTorch
  const a = torch.tensor([10.0, 10.0], { requires_grad: true })
  const b = torch.tensor([20.0, 20.0], { requires_grad: true })
  const F = a.mul(b)
  F.backward(torch.tensor([1.0, 1.0]))
  console.log('F =', String(F))
  console.log('a.grad =', String(a.grad), ' b.grad =', String(b.grad))
  // a two-layer model trained with Adam
  torch.manual_seed(0)
  const model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))
  const opt = torch.optim.Adam(model.parameters(), { lr: 0.05 })
  const X = torch.randn(64, 2)
  const Y = X.index(torch.slice(null), torch.slice(0, 1)).mul(X.index(torch.slice(null), torch.slice(1, 2)))
  for (let step = 0; step <= 200; step++) {
    opt.zero_grad()
    const lossT = torch.nn.functional.mse_loss(model.call(X), Y)
    lossT.backward()
    opt.step()
    if (step % 50 === 0) console.log(`step ${String(step).padStart(3)}: loss ${(lossT.item() as number).toFixed(4)}`)
  }
}

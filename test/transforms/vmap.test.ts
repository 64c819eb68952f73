/**
 * vmap: a batched call equals the loop over examples (the batching law checks every primitive;
 * here whole functions, transforms inside and outside, axis specs, custom rules and errors).
 */
import { describe, expect, it } from 'vitest'
import {
  ConcretizationTypeError,
  ValueError,
  add,
  array,
  customVjp,
  div,
  exp,
  grad,
  jacrev,
  jit,
  jvp,
  logSoftmax,
  matmul,
  mul,
  relu,
  stack,
  sub,
  sum,
  tanh,
  vmap,
  type NdArray,
} from '../../src'
import { levelDepth } from '../../src/core/trace'
import * as torch from '../../src/torch'

const seq = (n: number, seed: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(1.3 * i + seed))
const f64 = (n: number, shape: number[], seed: number): NdArray => array(seq(n, seed), { shape, dtype: 'float64' })

/** Max |a − b| over all elements (same shape required). */
const expectClose = (got: NdArray, want: NdArray, tol = 1e-12): void => {
  expect(got.shape).toEqual(want.shape)
  expect(got.dtype).toBe(want.dtype)
  const a = got.toTypedArray() as Float64Array
  const b = want.toTypedArray() as Float64Array
  a.forEach((v, i) => expect(Math.abs(v - (b[i] as number))).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i] as number))))
}

/** The examples of `xs` along axis 0. */
const rows = (xs: NdArray): NdArray[] => {
  const flat = xs.toTypedArray() as Float64Array
  const per = xs.size / (xs.shape[0] as number)
  return Array.from({ length: xs.shape[0] as number }, (_, i) =>
    array(Array.from(flat.slice(i * per, (i + 1) * per)), { shape: xs.shape.slice(1), dtype: xs.dtype }),
  )
}

const W1 = f64(4 * 5, [4, 5], 1)
const b1 = f64(5, [5], 2)
const W2 = f64(5 * 3, [5, 3], 3)
const mlp = (params: { W1: NdArray; b1: NdArray; W2: NdArray }, x: NdArray): NdArray =>
  logSoftmax(matmul(relu(add(matmul(x, params.W1), params.b1)), params.W2))
const params = { W1, b1, W2 }
const xs = f64(6 * 4, [6, 4], 4)

describe('vmap equals the loop over examples', () => {
  it('an MLP on single examples, batched', () => {
    const got = vmap(mlp, { inAxes: [null, 0] })(params, xs)
    expectClose(got, stack(rows(xs).map((x) => mlp(params, x))))
  })

  it('per-example gradients: vmap(grad) over a pytree of parameters', () => {
    const loss = (p: typeof params, x: NdArray): NdArray => sum(mul(mlp(p, x), mlp(p, x)))
    const got = vmap(grad(loss), { inAxes: [null, 0] })(params, xs)
    const per = rows(xs).map((x) => grad(loss)(params, x))
    expectClose(got.W1, stack(per.map((g) => g.W1)))
    expectClose(got.b1, stack(per.map((g) => g.b1)))
    expectClose(got.W2, stack(per.map((g) => g.W2)))
  })

  it('grad of a batched loss, jit of vmap, vmap of jacrev and of jvp', () => {
    const h = (x: NdArray): NdArray => tanh(mul(x, x))
    expectClose(grad((x: NdArray) => sum(vmap(h)(x)))(xs), grad((x: NdArray) => sum(h(x)))(xs))
    expectClose(jit(vmap(h))(xs), h(xs))
    const J = vmap(jacrev(h))(xs)
    expectClose(J, stack(rows(xs).map((x) => jacrev(h)(x))))
    const tangents = vmap((x: NdArray) => jvp(h, [x], [x])[1])(xs)
    expectClose(tangents, stack(rows(xs).map((x) => jvp(h, [x], [x])[1])))
  })

  it('nested vmap: all pairwise distances', () => {
    const a = f64(3 * 2, [3, 2], 5)
    const b = f64(4 * 2, [4, 2], 6)
    const dist = (u: NdArray, v: NdArray): NdArray => sum(mul(sub(u, v), sub(u, v)))
    const D = vmap(vmap(dist, { inAxes: [null, 0] }), { inAxes: [0, null] })(a, b)
    expect(D.shape).toEqual([3, 4])
    expectClose(D, stack(rows(a).map((u) => stack(rows(b).map((v) => dist(u, v))))))
  })

  it('axis specs: negative and per-leaf inAxes, outAxes 1 and null, axisSize', () => {
    const xt = stack(rows(xs), 1) // [4, 6]: examples along axis 1
    expectClose(vmap((x: NdArray) => exp(x), { inAxes: -1 })(xt), exp(xs))
    const out = vmap((d: { x: NdArray; s: NdArray }) => mul(d.x, d.s), { inAxes: [{ x: 0, s: null }] })({
      x: xs,
      s: array(2, { dtype: 'float64' }),
    })
    expectClose(out, mul(xs, 2))
    expectClose(vmap((x: NdArray) => exp(x), { outAxes: 1 })(xs), exp(xt))
    const [batched, shared] = vmap((x: NdArray) => [exp(x), b1], { outAxes: [0, null] })(xs)
    expectClose(batched as NdArray, exp(xs))
    expect(shared).toBe(b1)
    expect(vmap(() => b1, { inAxes: [], axisSize: 3 })().shape).toEqual([3, 5])
  })

  it('customVjp: the custom rule applies to the batched call', () => {
    const damped = customVjp(
      (x: NdArray) => x,
      (x: NdArray) => [x, null],
      (_: unknown, g: NdArray) => [div(g, add(mul(g, g), 1))],
    )
    const y = array([1, 2, 3], { dtype: 'float64' })
    // d/dx Σ 3·damped(x): the rule turns ȳ = 3 into 3/10 for every element
    expect(grad((x: NdArray) => sum(mul(vmap(damped)(x), 3)))(y).toArray()).toEqual([0.3, 0.3, 0.3])
    expect(vmap(grad((x: NdArray) => mul(damped(x), 3)))(y).toArray()).toEqual([0.3, 0.3, 0.3])
  })
})

describe('vmap errors', () => {
  it('names inconsistent sizes, missing axes, bad ranks and bad specs (JAX texts)', () => {
    const add2 = (a: NdArray, b: NdArray): NdArray => add(a, b)
    expect(() => vmap(add2)(array([1, 2, 3]), array([1, 2]))).toThrow(
      new ValueError(
        'vmap got inconsistent sizes for array axes to be mapped: * one axis had size 3: axis 0 of argument 0 of type float32[3]; * one axis had size 2: axis 0 of argument 1 of type float32[2]',
      ),
    )
    expect(() => vmap(add2, { inAxes: null })(array([1]), array([2]))).toThrow(
      'vmap must have at least one non-None value in in_axes: at least one non-null value in inAxes',
    )
    expect(() => vmap(exp, { inAxes: 1 })(array([1, 2]))).toThrow(
      'vmap was requested to map argument 0 along axis 1, which implies that its rank should be at least 2, but is only 1 (its shape is (2,))',
    )
    expect(() => vmap(add2, { inAxes: [0] })(array([1]), array([2]))).toThrow(
      /vmap in_axes must be an int, None, or a tuple of entries corresponding to the positional arguments passed to the function, but got len\(in_axes\)=1, len\(args\)=2/,
    )
    expect(() => vmap(exp, { outAxes: null })(array([1, 2]))).toThrow(
      'vmap has mapped output but out_axes is None: outAxes is null for output leaf 0',
    )
  })

  it('refuses values inside the mapped function, and leaves the stack clean', () => {
    expect(() => vmap((x: NdArray) => ((sum(x).item() as number) > 0 ? x : exp(x)))(xs)).toThrow(
      ConcretizationTypeError,
    )
    expect(() => vmap((x: NdArray) => x.toArray())(xs)).toThrow(/traced by vmap stands for one value per batch element/)
    expect(levelDepth()).toBe(0)
  })
})

describe('torch.func.vmap', () => {
  it('maps a function of Tensors, in_dims positional or as an option', () => {
    const x = torch.tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: torch.float64 },
    )
    const w = torch.tensor([0.5, -1], { dtype: torch.float64 })
    const dot = (a: torch.Tensor, b: torch.Tensor): torch.Tensor => a.mul(b).sum()
    expect((torch.func.vmap(dot, [0, null])(x, w) as torch.Tensor).tolist()).toEqual([-1.5, -2.5])
    expect((torch.func.vmap(dot, { in_dims: [0, null] })(x, w) as torch.Tensor).tolist()).toEqual([-1.5, -2.5])
    // per-example gradients, as PyTorch's docs compute them
    const g = torch.func.vmap(
      torch.func.grad((wt: torch.Tensor, xt: torch.Tensor) => dot(wt, xt).pow(2)),
      [null, 0],
    )(w, x) as torch.Tensor
    expect(g.tolist()).toEqual([
      [-3, -6],
      [-15, -20],
    ])
  })
})

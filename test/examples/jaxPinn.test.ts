/**
 * A physics-informed network for Poisson's equation −Δu = 2π² sin(πx) sin(πy) on the unit square
 * (u = 0 on the boundary), written as JAX users write PINNs: `u(params, x)` of one point, the
 * Laplacian as the trace of `hessian(u, argnums=1)` — and again as nested `grad`s of the partials —
 * the residual `vmap`ped over the collocation points with `in_axes=(None, 0)`, the loss's gradient
 * by `jit(grad(loss))`, plain gradient descent. Expected values: a float64 NumPy reference with the
 * Laplacian in closed form and the parameter gradient by central differences (fixtures/jaxPinn.py).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  dot,
  grad,
  hessian,
  jit,
  matmul,
  mean,
  mul,
  neg,
  sin,
  square,
  sub,
  tanh,
  trace,
  tree,
  vmap,
  type NdArray,
} from 'wengert'

const fx = JSON.parse(readFileSync(new URL('./fixtures/jaxPinn.json', import.meta.url), 'utf8')) as {
  W1: number[][]
  b1: number[]
  W2: number[]
  b2: number
  xs_in: number[][]
  xs_b: number[][]
  lap: number[]
  loss0: number
  grads0: [number[][], number[], number[], number]
  losses: number[]
  lr: number
}
const f64 = (x: number | number[] | number[][]): NdArray => array(x, { dtype: 'float64' })
const flat = (x: NdArray): number[] => (x.reshape([-1]).toArray() as number[]).map(Number)
const close = (got: NdArray, want: number | number[] | number[][], tol: number): void => {
  const e = [want].flat(2)
  const g = flat(got)
  expect(g.length).toBe(e.length)
  g.forEach((v, i) => expect(Math.abs(v - e[i]!), `[${i}] ${v} vs ${e[i]}`).toBeLessThanOrEqual(tol))
}

type Params = [NdArray, NdArray, NdArray, NdArray]

const u = (params: Params, x: NdArray): NdArray => {
  const [W1, b1, W2, b2] = params
  const h = tanh(add(matmul(W1, x), b1))
  return add(dot(W2, h), b2)
}

const laplacian = (params: Params, x: NdArray): NdArray => trace(hessian(u, { argnums: 1 })(params, x))

// the same Laplacian by nested grads: ∂²u/∂x_i² for each coordinate
const u_xx = (params: Params, x: NdArray, i: number): NdArray =>
  grad((xi: NdArray) => grad(u, { argnums: 1 })(params, x.at(i).set(xi)).at(i).get())(x.at(i).get())

const source = (x: NdArray): NdArray =>
  mul(2 * Math.PI ** 2, mul(sin(mul(Math.PI, x.at(0).get())), sin(mul(Math.PI, x.at(1).get()))))

const residual = (params: Params, x: NdArray): NdArray => sub(neg(laplacian(params, x)), source(x))

const loss = (params: Params, xs_in: NdArray, xs_b: NdArray): NdArray => {
  const r = vmap(residual, { inAxes: [null, 0] })(params, xs_in)
  const ub = vmap(u, { inAxes: [null, 0] })(params, xs_b)
  return add(mean(square(r)), mean(square(ub)))
}

describe('PINN for Poisson (hessian/grad of the network’s input, vmap over points)', () => {
  const params: Params = [f64(fx.W1), f64(fx.b1), f64(fx.W2), f64(fx.b2)]
  const xs_in = f64(fx.xs_in)
  const xs_b = f64(fx.xs_b)

  it('Laplacian by hessian and by nested grads against the closed form', () => {
    const first = f64(fx.xs_in.slice(0, 8))
    close(vmap(laplacian, { inAxes: [null, 0] })(params, first), fx.lap, 1e-11)
    const nested = (x: NdArray): NdArray => add(u_xx(params, x, 0), u_xx(params, x, 1))
    close(vmap(nested)(first), fx.lap, 1e-11)
  })

  it('loss, its parameter gradient and gradient descent against NumPy (central differences)', () => {
    close(loss(params, xs_in, xs_b), fx.loss0, 1e-9)
    const grads = grad(loss)(params, xs_in, xs_b)
    grads.forEach((g, k) => close(g, fx.grads0[k]!, 1e-5 * (1 + Math.abs(fx.loss0))))
    const step = jit((p: Params) => {
      const g = grad(loss)(p, xs_in, xs_b)
      return tree.map((w: NdArray, dw: NdArray) => sub(w, mul(fx.lr, dw)), p, g) as Params
    })
    let p = params
    const losses = [loss(p, xs_in, xs_b).item() as number]
    for (let k = 0; k < 10; k++) {
      p = step(p)
      losses.push(loss(p, xs_in, xs_b).item() as number)
    }
    losses.forEach((l, k) => expect(Math.abs(l - fx.losses[k]!)).toBeLessThan(1e-6 * fx.losses[k]!))
    expect(losses[10]!).toBeLessThan(losses[0]! / 2)
  })
})

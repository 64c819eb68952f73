/**
 * The empirical neural tangent kernel Θ(x1, x2) = J(x1) J(x2)ᵀ (Jacot, Gabriel & Hongler, 2018) as
 * neural-tangents' docs and JAX's "Fast and efficient empirical NTK" notebook compute it: by
 * Jacobian contraction (`jacrev` of the batched network, leaves reshaped to [N, O, P], an einsum
 * per leaf summed over the parameter tree), by NTK-vector products (`vjp` of one point's output
 * against each basis vector, `jvp` of the other point's network along the result, `vmap` over the
 * basis and `vmap(vmap(get_ntk, (None, 0)), (0, None))` over the pairs), and with the outputs traced
 * (`trace_axes`). Expected values: the closed-form kernel of the two-layer tanh MLP in float64
 * NumPy (fixtures/jaxNtk.py).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  einsum,
  eye,
  jacrev,
  jvp,
  linalg,
  matmul,
  tanh,
  trace,
  tree,
  vjp,
  vmap,
  type NdArray,
} from 'wengert'

const fx = JSON.parse(readFileSync(new URL('./fixtures/jaxNtk.json', import.meta.url), 'utf8')) as {
  W1: number[][]
  b1: number[]
  W2: number[][]
  b2: number[]
  x1: number[][]
  x2: number[][]
  ntk: number[][][][]
}
const f64 = (x: number[] | number[][]): NdArray => array(x, { dtype: 'float64' })
const flat = (x: NdArray): number[] => (x.reshape([-1]).toArray() as number[]).map(Number)
const close = (got: NdArray, want: unknown[], tol: number): void => {
  const e = want.flat(3) as number[]
  const g = flat(got)
  expect(g.length).toBe(e.length)
  g.forEach((v, i) => expect(Math.abs(v - e[i]!), `[${i}] ${v} vs ${e[i]}`).toBeLessThanOrEqual(tol))
}

type Params = { W1: NdArray; b1: NdArray; W2: NdArray; b2: NdArray }
const params: Params = { W1: f64(fx.W1), b1: f64(fx.b1), W2: f64(fx.W2), b2: f64(fx.b2) }
const x_train = f64(fx.x1)
const x_test = f64(fx.x2)

// the network on a batch [N, D] → [N, O] (or on one point [D] → [O])
const f = (params: Params, x: NdArray): NdArray => {
  const h = tanh(add(matmul(x, params.W1.T), params.b1))
  return add(matmul(h, params.W2.T), params.b2)
}

const empirical_ntk_jacobian_contraction = (
  f: (params: Params, x: NdArray) => NdArray,
  params: Params,
  x1: NdArray,
  x2: NdArray,
): NdArray => {
  // Compute J(x1)
  let jac1 = jacrev(f)(params, x1) as unknown as Params
  jac1 = tree.map((x: NdArray) => x.reshape([x.shape[0]!, x.shape[1]!, -1]), jac1) as Params
  // Compute J(x2)
  let jac2 = jacrev(f)(params, x2) as unknown as Params
  jac2 = tree.map((x: NdArray) => x.reshape([x.shape[0]!, x.shape[1]!, -1]), jac2) as Params
  // Compute J(x1) @ J(x2).T
  const pairs = tree.leaves(jac1).map((j1, k) => einsum('Naf,Mbf->NMab', j1, tree.leaves(jac2)[k]!))
  return pairs.reduce((a, b) => add(a, b))
}

const empirical_ntk_ntk_vector_products = (
  f: (params: Params, x: NdArray) => NdArray,
  params: Params,
  x1: NdArray,
  x2: NdArray,
): NdArray => {
  const get_ntk = (x1: NdArray, x2: NdArray): NdArray => {
    const func_x1 = (params: Params): NdArray => f(params, x1)
    const func_x2 = (params: Params): NdArray => f(params, x2)
    const [output, vjp_fn] = vjp(func_x1, params)
    const get_ntk_slice = (vec: NdArray): NdArray => {
      // This computes vec @ J(x2).T
      const vjps = vjp_fn(vec)
      // This computes J(X1) @ vjps
      const [, jvps] = jvp(func_x2, [params], vjps)
      return jvps as NdArray
    }
    // Here's our identity matrix
    const basis = eye(output.size, { dtype: 'float64' }).reshape([-1, ...output.shape])
    return vmap(get_ntk_slice)(basis)
  }
  // get_ntk(x1, x2) computes the NTK for a single data point x1, x2; the vmaps pair every x1 with every x2
  return vmap(vmap(get_ntk, { inAxes: [null, 0] }), { inAxes: [0, null] })(x1, x2)
}

describe('empirical NTK', () => {
  it('Jacobian contraction (jacrev over the parameter tree, einsum per leaf)', () => {
    const ntk = empirical_ntk_jacobian_contraction(f, params, x_train, x_test)
    expect(ntk.shape).toEqual([4, 5, 2, 2])
    close(ntk, fx.ntk, 1e-12)
  })

  it('NTK-vector products (vjp, then jvp along the cotangent; vmap over the basis and the pairs)', () => {
    const ntk = empirical_ntk_ntk_vector_products(f, params, x_train, x_test)
    expect(ntk.shape).toEqual([4, 5, 2, 2])
    close(ntk, fx.ntk, 1e-12)
  })

  it('trace_axes: the kernel traced over the outputs, and Θ(x, x) symmetric positive semi-definite', () => {
    const traced = vmap(vmap(trace))(empirical_ntk_jacobian_contraction(f, params, x_train, x_test))
    close(
      traced,
      fx.ntk.map((row) => row.map((m) => m[0]![0]! + m[1]![1]!)),
      1e-12,
    )
    const self = empirical_ntk_ntk_vector_products(f, params, x_train, x_train)
    const K = einsum('nmaa->nm', self)
    close(K, (K.T.toArray() as number[][]).flat(), 1e-12)
    expect(Math.min(...flat(linalg.eigvalsh(K)))).toBeGreaterThan(-1e-12)
  })
})

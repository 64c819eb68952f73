/**
 * JAX programs that use jax.scipy.optimize, jax.scipy.linalg and jax.lax by their documented
 * names: minimize(rosen, x0, method='BFGS') as in JAX's docs, the stop_gradient TD(0) update of
 * the "Advanced automatic differentiation" tutorial, jax/examples/kernel_lsq.py, and the lax
 * helpers. Expected values: SciPy (fixtures/jaxScipyPorts.py → .json) or closed forms.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  dot,
  exampleLibraries,
  grad,
  jit,
  lax,
  mul,
  random,
  scipy,
  square,
  sub,
  sum,
  vmap,
  zeros,
  DTypeError,
  ShapeError,
  ValueError,
  type NdArray,
} from 'wengert'

interface Fixture {
  A: number[][]
  Araw: number[][]
  b: number[]
  cholesky_upper: number[][]
  cholesky_lower: number[][]
  solve_pos_lower: number[]
  solve_gen: number[]
  eigh_lower_w: number[]
  block_diag: number[][]
  rosen: Array<{ x0: number[]; x: number[]; fun: number; success: boolean }>
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/jaxScipyPorts.json', import.meta.url), 'utf8')) as Fixture
const f64 = (x: number | number[] | number[][]): NdArray => array(x, { dtype: 'float64' })
const close = (got: NdArray, want: number | number[] | number[][], tol: number): void => {
  const g = (got.reshape([-1]).toArray() as number[]).map(Number)
  const e = [want].flat(2)
  expect(g.length).toBe(e.length)
  g.forEach((v, i) => expect(Math.abs(v - (e[i] as number))).toBeLessThanOrEqual(tol))
}

/** SciPy's rosen: Σ 100(x[1:] − x[:-1]²)² + (1 − x[:-1])². */
const rosen = (x: NdArray): NdArray => {
  const n = x.shape[0] as number
  const head = lax.sliceInDim(x, 0, n - 1)
  const tail = lax.sliceInDim(x, 1, n)
  return sum(add(mul(100, square(sub(tail, square(head)))), square(sub(1, head))))
}

describe('jax.scipy.optimize.minimize', () => {
  it("minimize(rosen, x0, method='BFGS') finds SciPy's minimiser, eagerly and under jit", () => {
    for (const { x0, x, fun, success } of fx.rosen) {
      const r = scipy.optimize.minimize(rosen, f64(x0), [], { method: 'BFGS' })
      expect(r.success.item()).toBe(success)
      expect(r.status.item()).toBe(0)
      close(r.x, x, 1e-4)
      expect(Number(r.fun.item())).toBeLessThan(1e-9 + fun)
      expect(Number(r.nit.item())).toBeGreaterThan(5)
      close(r.jac, new Array<number>(x0.length).fill(0), 1e-5)
      const xj = jit((z: NdArray) => scipy.optimize.minimize(rosen, z, [], { method: 'bfgs' }).x)(f64(x0))
      close(xj, r.x.toArray() as number[], 1e-12)
    }
  })

  it('args are passed after x; vmap over starting points; maxiter stops with status 1', () => {
    const quad = (x: NdArray, c: NdArray, s: number): NdArray => mul(s, sum(square(sub(x, c))))
    const c = f64([1, -2, 3])
    const r = scipy.optimize.minimize(quad, f64([0, 0, 0]), [c, 2], { method: 'BFGS' })
    close(r.x, [1, -2, 3], 1e-8)
    const xs = vmap((z: NdArray) => scipy.optimize.minimize(rosen, z, [], { method: 'BFGS' }).x)(
      f64([
        [-1.2, 1],
        [2, 2],
      ]),
    )
    close(xs, [1, 1, 1, 1], 1e-4)
    const short = scipy.optimize.minimize(rosen, f64([-1.2, 1]), [], { method: 'BFGS', options: { maxiter: 3 } })
    expect([short.status.item(), short.nit.item(), short.success.item()]).toEqual([1, 3, false])
  })

  it('rejects an unknown method, unknown options and a 2-D x0', () => {
    expect(() => scipy.optimize.minimize(rosen, f64([0, 0]), [], { method: 'Nelder-Mead' })).toThrow(ValueError)
    expect(() =>
      scipy.optimize.minimize(rosen, f64([0, 0]), [], { method: 'BFGS', options: { xtol: 1 } as never }),
    ).toThrow(/no option xtol/)
    expect(() => scipy.optimize.minimize(rosen, f64([[0, 0]]), [], { method: 'BFGS' })).toThrow(ShapeError)
  })
})

describe('jax.scipy.linalg (SciPy values)', () => {
  const A = f64(fx.A)
  it('cholesky is upper by default; solve with assume_a; eigh of the lower triangle; block_diag', () => {
    close(scipy.linalg.cholesky(A), fx.cholesky_upper, 1e-12)
    close(scipy.linalg.cholesky(A, { lower: true }), fx.cholesky_lower, 1e-12)
    close(scipy.linalg.solve(f64(fx.Araw), f64(fx.b), { assumeA: 'pos', lower: true }), fx.solve_pos_lower, 1e-12)
    close(scipy.linalg.solve(A, f64(fx.b)), fx.solve_gen, 1e-12)
    close(scipy.linalg.eigh(f64(fx.Araw), { eigvalsOnly: true }), fx.eigh_lower_w, 1e-12)
    close(scipy.linalg.blockDiag(f64([[1, 2]]), 3, f64([[4], [5]])), fx.block_diag, 0)
    expect(() => scipy.linalg.solve(A, f64(fx.b), { assumeA: 'banded' as never })).toThrow(ValueError)
  })

  it("gaussian_process_regression's solve: solve_triangular(chol.T, solve_triangular(chol, y, lower)) and its gradient", () => {
    const y = f64(fx.b)
    const kinvy = (m: NdArray): NdArray => {
      const chol = scipy.linalg.cholesky(m, { lower: true })
      return scipy.linalg.solveTriangular(chol.T, scipy.linalg.solveTriangular(chol, y, { lower: true }))
    }
    close(kinvy(A), fx.solve_gen, 1e-12)
    // d(yᵀA⁻¹y)/dA = −A⁻¹y yᵀA⁻¹ (symmetrised input: the symmetric part)
    const g = grad((m: NdArray) => dot(y, kinvy(m)))(A)
    const v = fx.solve_gen
    close(
      g,
      v.map((vi) => v.map((vj) => -vi * vj)),
      1e-10,
    )
  })
})

describe('jax.lax by its documented names', () => {
  it('stop_gradient in the TD(0) update of the Advanced autodiff tutorial: Δθ = [1.2, 2.4, −1.2]', () => {
    const valueFn = (theta: NdArray, state: NdArray): NdArray => dot(theta, state)
    const theta = array([0.1, -0.1, 0])
    const sTm1 = array([1, 2, -1])
    const rT = array(1)
    const sT = array([2, 1, 0])
    const tdLoss = (theta: NdArray, sTm1: NdArray, rT: NdArray, sT: NdArray): NdArray => {
      const vTm1 = valueFn(theta, sTm1)
      const target = add(rT, valueFn(theta, sT))
      return mul(-0.5, square(sub(lax.stopGradient(target), vTm1)))
    }
    close(grad(tdLoss)(theta, sTm1, rT, sT), [1.2, 2.4, -1.2], 1e-6)
    // stop_gradient maps over a pytree
    const t = lax.stopGradient({ a: theta, b: [sT] })
    close(t.b[0] as NdArray, [2, 1, 0], 0)
  })

  it('select, clamp, iota, integer_pow, div (toward zero), the *_in_dim helpers, broadcast_in_dim, slice', () => {
    const i32 = (x: number[]): NdArray => array(x, { dtype: 'int32' })
    close(lax.select(array([true, false, true]), i32([1, 2, 3]), i32([7, 8, 9])), [1, 8, 3], 0)
    close(lax.clamp(0, f64([-1, 0.5, 3]), 1), [0, 0.5, 1], 0)
    close(lax.iota('float32', 4), [0, 1, 2, 3], 0)
    close(lax.integerPow(f64([2, -3]), 3), [8, -27], 0)
    close(lax.integerPow(f64([2, 4]), -2), [0.25, 0.0625], 0)
    close(grad((x: NdArray) => sum(lax.integerPow(x, 3)))(f64([2])), [12], 1e-12)
    close(lax.div(i32([7, -7, 7, -7]), i32([2, 2, -2, -2])), [3, -3, -3, 3], 0)
    close(lax.div(f64([7]), 2), [3.5], 0)
    close(lax.sliceInDim(f64([0, 1, 2, 3, 4, 5]), 1, null, 2), [1, 3, 5], 0)
    close(
      lax.slice(
        f64([
          [0, 1, 2],
          [3, 4, 5],
        ]),
        [0, 1],
        [2, 3],
      ),
      [1, 2, 4, 5],
      0,
    )
    close(lax.dynamicSliceInDim(f64([0, 1, 2, 3]), array(3, { dtype: 'int32' }), 2), [2, 3], 0)
    close(lax.dynamicUpdateSliceInDim(zeros([2, 3]), array([[1], [2]]), 1, 1), [0, 1, 0, 0, 2, 0], 0)
    close(lax.dynamicUpdateIndexInDim(zeros([2, 2]), array([5, 6]), 0, 0), [5, 6, 0, 0], 0)
    close(lax.broadcastInDim(array([1, 2]), [3, 2], [1]), [1, 2, 1, 2, 1, 2], 0)
    close(lax.convertElementType(f64([1.7, -1.7]), 'int32'), [1, -1], 0)
    // jit with a traced start
    const win = jit((x: NdArray, s: NdArray) => lax.dynamicSliceInDim(x, s, 2))
    close(win(f64([0, 1, 2, 3]), array(1, { dtype: 'int32' })), [1, 2], 0)
  })

  it('binary lax ops do not promote; select and broadcast_in_dim check shapes', () => {
    expect(() => lax.add(array([1], { dtype: 'int32' }), array([1], { dtype: 'float32' }))).toThrow(DTypeError)
    expect(() => lax.add(array([1], { dtype: 'int32' }), array([1], { dtype: 'float32' }))).toThrow(
      /same dtypes, got int32, float32/,
    )
    close(lax.add(f64([1]), 2), [3], 0)
    expect(() => lax.select(array([true]), f64([1, 2]), f64([3, 4]))).toThrow(ShapeError)
    expect(() => lax.select(array([1, 0]), f64([1, 2]), f64([3, 4]))).toThrow(DTypeError)
    expect(() => lax.broadcastInDim(array([1, 2]), [3, 3], [1])).toThrow(ShapeError)
    expect(() => lax.slice(f64([1, 2]), [1], [3])).toThrow(ValueError)
  })
})

describe('jax/examples/kernel_lsq.py', () => {
  it('gram by nested vmap, momentum minimisation under jit, jit(vmap(predict))', () => {
    const { optimizers } = exampleLibraries
    const gram = (kernel: (x: NdArray, y: NdArray) => NdArray, xs: NdArray): NdArray =>
      vmap((x: NdArray) => vmap((y: NdArray) => kernel(x, y))(xs))(xs)
    const minimize = (
      f: (x: NdArray) => NdArray,
      x: NdArray,
      numSteps: number,
      stepSize: number,
      mass = 0.9,
    ): NdArray => {
      const [optInit, optUpdate, getParams] = optimizers.momentum(stepSize, { mass })
      const update = jit((i: NdArray, s: exampleLibraries.optimizers.OptimizerState<NdArray>) =>
        optUpdate(i, grad(f)(getParams(s)), s),
      )
      let s = optInit(x)
      for (let i = 0; i < numSteps; i++) s = update(array(i, { dtype: 'int32' }), s)
      return getParams(s)
    }
    const train = (kernel: (x: NdArray, y: NdArray) => NdArray, xs: NdArray, ys: NdArray, regularization = 0.01) => {
      const gramMat = jit((x: NdArray) => gram(kernel, x))(xs)
      const n = xs.shape[0] as number
      const objective = (v: NdArray): NdArray =>
        add(mul(0.5, sum(square(sub(dot(gramMat, v), ys)))), mul(regularization, sum(square(v))))
      const v = minimize(objective, zeros([n], { dtype: 'float64' }), 300, 0.0005)
      const predict = (x: NdArray): NdArray => sum(mul(v, vmap((x_: NdArray) => kernel(x, x_))(xs)))
      return jit(vmap(predict))
    }
    const [k1, k2] = random.split(random.key(0))
    const truth = random.normal(k1, [4], { dtype: 'float64' })
    const xs = random.normal(k2, [20, 4], { dtype: 'float64' })
    const ys = dot(xs, truth)
    const predict = train((x, y) => dot(x, y), xs, ys)
    const mse = Number(sum(square(sub(predict(xs), ys))).item())
    const base = Number(sum(square(ys)).item())
    expect(mse).toBeLessThan(1e-3 * base)
  })
})

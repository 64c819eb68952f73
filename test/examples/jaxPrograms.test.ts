/**
 * Programs in the style of JAX's docs and examples, ported to the functional core: lax control
 * flow (a scan RNN with its gradient, vmap of scan, fori_loop/while_loop/cond/switch), a neural ODE
 * with a hand-written RK4 under jit and grad, Bayesian logistic regression sampled by HMC
 * (leapfrog in fori_loop, steps in scan), and the jnp.linalg / jax.scipy calls of a Gaussian
 * likelihood against SciPy (fixtures/jaxTutorials.py).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as w from 'wengert'
import { array, checkGrads, grad, jit, lax, linalg, nn, random, scipy, vmap, type NdArray } from 'wengert'

const f64 = (x: number | number[] | number[][]): NdArray => array(x, { dtype: 'float64' })
const num = (x: NdArray): number => x.item() as number
const flat = (x: NdArray): number[] => (x.reshape([-1]).toArray() as number[]).map(Number)
const close = (got: NdArray, want: NdArray | number[], tol = 1e-10): void => {
  const e = Array.isArray(want) ? want : flat(want)
  const g = flat(got)
  expect(g.length).toBe(e.length)
  g.forEach((v, i) => expect(Math.abs(v - (e[i] as number))).toBeLessThanOrEqual(tol))
}

describe('lax control flow', () => {
  type RnnParams = { Wh: NdArray; Wx: NdArray; b: NdArray }
  const ks = [...random.split(random.key(0), 4)] as NdArray[]
  const params: RnnParams = {
    Wh: w.mul(0.3, random.normal(ks[0] as NdArray, [4, 4], { dtype: 'float64' })),
    Wx: random.normal(ks[1] as NdArray, [4, 3], { dtype: 'float64' }),
    b: w.zeros([4], { dtype: 'float64' }),
  }
  const cell =
    (p: RnnParams) =>
    (h: NdArray, x: NdArray): [NdArray, NdArray] => {
      const next = w.tanh(w.add(w.add(w.dot(p.Wh, h), w.dot(p.Wx, x)), p.b))
      return [next, next]
    }
  const rnnLoss = (p: RnnParams, xs: NdArray): NdArray => {
    const [h, hs] = lax.scan(cell(p), w.zeros([4], { dtype: 'float64' }), xs)
    return w.add(w.sum(w.square(h)), w.mean(hs))
  }
  const unrolled = (p: RnnParams, xs: NdArray): NdArray => {
    let h = w.zeros([4], { dtype: 'float64' })
    const hs: NdArray[] = []
    for (let t = 0; t < (xs.shape[0] as number); t++) {
      h = cell(p)(h, xs.at(t).get())[0]
      hs.push(h)
    }
    return w.add(w.sum(w.square(h)), w.mean(w.stack(hs)))
  }
  const xs = random.normal(ks[2] as NdArray, [6, 3], { dtype: 'float64' })

  it('scan: a cumulative sum, and an RNN whose jit(grad) matches the unrolled loop', () => {
    const [total, partial] = lax.scan(
      (c: NdArray, x: NdArray) => [w.add(c, x), w.add(c, x)],
      f64(0),
      f64([0, 1, 2, 3, 4]),
    )
    expect(num(total)).toBe(10)
    close(partial, [0, 1, 3, 6, 10], 0)
    expect(num(rnnLoss(params, xs))).toBeCloseTo(num(unrolled(params, xs)), 13)
    const g = jit(grad(rnnLoss))(params, xs)
    const gUnrolled = grad(unrolled)(params, xs)
    for (const k of ['Wh', 'Wx', 'b'] as const) close(g[k], gUnrolled[k], 1e-12)
    checkGrads((wh: NdArray) => rnnLoss({ ...params, Wh: wh }, xs), [params.Wh], { order: 1 })
  })

  it('vmap of scan (a batch of sequences) and of its gradient', () => {
    const batch = random.normal(ks[3] as NdArray, [5, 6, 3], { dtype: 'float64' })
    const losses = vmap((x: NdArray) => rnnLoss(params, x))(batch)
    const grads = vmap(grad(rnnLoss), { inAxes: [null, 0] })(params, batch)
    expect(grads.Wh.shape).toEqual([5, 4, 4])
    for (let i = 0; i < 5; i++) {
      const xi = batch.at(i).get()
      expect(num(losses.at(i).get())).toBeCloseTo(num(rnnLoss(params, xi)), 13)
      close(grads.b.at(i).get(), grad(rnnLoss)(params, xi).b, 1e-12)
    }
  })

  it('scan options: length without xs, reverse, pytree xs', () => {
    const [c, ys] = lax.scan((k: NdArray) => [w.mul(k, 2), k], f64(1), null, { length: 4 })
    expect(num(c)).toBe(16)
    close(ys, [1, 2, 4, 8], 0)
    const [cr, yr] = lax.scan((k: NdArray, x: NdArray) => [w.add(k, x), k], f64(0), f64([1, 2, 3]), { reverse: true })
    expect(num(cr)).toBe(6)
    close(yr, [5, 3, 0], 0)
    const [dot] = lax.scan((k: NdArray, x: { a: NdArray; b: NdArray }) => [w.add(k, w.mul(x.a, x.b)), null], f64(0), {
      a: f64([1, 2]),
      b: f64([3, 4]),
    })
    expect(num(dot)).toBe(11)
  })

  it('fori_loop, while_loop, cond and switch as documented', () => {
    expect(num(lax.foriLoop(0, 10, (i: NdArray, acc: NdArray) => w.add(acc, i), f64(0)))).toBe(45)
    // traced bounds under jit: Σ_{i<5} i² = 30
    const sumSq = jit((n: NdArray) =>
      lax.foriLoop(0, n, (i: NdArray, acc: NdArray) => w.add(acc, w.mul(i, i)), array(0, { dtype: 'int32' })),
    )
    expect(num(sumSq(array(5, { dtype: 'int32' })))).toBe(30)
    // static bounds are reverse-differentiable: d/dx x³ = 3x²
    expect(
      num(grad((x: NdArray) => lax.foriLoop(0, 3, (_i: NdArray, a: NdArray) => w.mul(a, x), f64(1)))(f64(2))),
    ).toBe(12)
    expect(
      num(
        lax.whileLoop(
          (x: NdArray) => w.less(x, 10),
          (x: NdArray) => w.add(x, 1),
          array(0, { dtype: 'int32' }),
        ),
      ),
    ).toBe(10)
    const branchy = (x: NdArray): NdArray =>
      lax.cond(
        w.greater(x, 0),
        (y: NdArray) => w.square(y),
        (y: NdArray) => w.sin(y),
        x,
      )
    expect(num(grad(branchy)(f64(3)))).toBe(6)
    close(vmap(branchy)(f64([3, -1])), [9, Math.sin(-1)], 1e-15)
    const branches = [(x: NdArray) => w.mul(x, 2), (x: NdArray) => w.neg(x), (x: NdArray) => w.sin(x)]
    // the index is clamped into range, as jax.lax.switch documents
    expect(num(lax.switch(5, branches, f64(3)))).toBe(Math.sin(3))
    expect(num(lax.switch(-1, branches, f64(3)))).toBe(6)
    expect(num(lax.switch(1, branches, f64(3)))).toBe(-3)
  })
})

describe('neural ODE: a hand-written RK4 in scan, under jit and grad', () => {
  const rk4 = (f: (y: NdArray, t: NdArray) => NdArray, y0: NdArray, ts: NdArray): NdArray => {
    const step = (y: NdArray, [t0, t1]: [NdArray, NdArray]): [NdArray, NdArray] => {
      const h = w.sub(t1, t0)
      const half = w.div(h, 2)
      const k1 = f(y, t0)
      const k2 = f(w.add(y, w.mul(half, k1)), w.add(t0, half))
      const k3 = f(w.add(y, w.mul(half, k2)), w.add(t0, half))
      const k4 = f(w.add(y, w.mul(h, k3)), t1)
      const next = w.add(y, w.mul(w.div(h, 6), w.add(w.add(k1, w.mul(2, k2)), w.add(w.mul(2, k3), k4))))
      return [next, next]
    }
    const [, ys] = lax.scan(step, y0, [ts.at(':-1').get(), ts.at('1:').get()] as [NdArray, NdArray])
    return w.concatenate([w.expandDims(y0, 0), ys])
  }
  const ts = w.linspace(0, 1, 11, { dtype: 'float64' })

  it('solves y′ = a·y to RK4 accuracy, and its gradient in a is d eᵃ/da', () => {
    const endpoint = (a: NdArray): NdArray =>
      w.sum(
        rk4((y: NdArray) => w.mul(a, y), f64([1]), ts)
          .at(-1)
          .get(),
      )
    expect(num(endpoint(f64(0.5)))).toBeCloseTo(Math.exp(0.5), 7)
    expect(num(jit(grad(endpoint))(f64(0.5)))).toBeCloseTo(Math.exp(0.5), 5)
  })

  it('fits an MLP vector field to a circle trajectory', () => {
    type P = { W1: NdArray; b1: NdArray; W2: NdArray }
    const field = (p: P, y: NdArray, t: NdArray): NdArray =>
      w.dot(w.tanh(w.add(w.dot(w.concatenate([y, w.reshape(t, [1])]), p.W1), p.b1)), p.W2)
    const ks = [...random.split(random.key(1), 2)] as NdArray[]
    let p: P = {
      W1: w.mul(0.5, random.normal(ks[0] as NdArray, [3, 8], { dtype: 'float64' })),
      b1: w.zeros([8], { dtype: 'float64' }),
      W2: w.mul(0.5, random.normal(ks[1] as NdArray, [8, 2], { dtype: 'float64' })),
    }
    const target = w.stack([w.cos(ts), w.neg(w.sin(ts))], { axis: 1 })
    const loss = (q: P): NdArray =>
      w.mean(
        w.square(
          w.sub(
            rk4((y, t) => field(q, y, t), f64([1, 0]), ts),
            target,
          ),
        ),
      )
    // the gradient of one parameter against central differences
    checkGrads((b1: NdArray) => loss({ ...p, b1 }), [p.b1], { order: 1 })
    const step = jit((q: P): P => {
      const g = grad(loss)(q)
      return { W1: w.sub(q.W1, w.mul(0.5, g.W1)), b1: w.sub(q.b1, w.mul(0.5, g.b1)), W2: w.sub(q.W2, w.mul(0.5, g.W2)) }
    })
    const before = num(loss(p))
    for (let i = 0; i < 100; i++) p = step(p)
    expect(num(loss(p))).toBeLessThan(before / 10)
  })
})

describe('Bayesian logistic regression by HMC (numpyro-free)', () => {
  it('samples a posterior centred near the true weights, with a high acceptance rate', () => {
    // Arrange
    const [kx, kn, kChain] = [...random.split(random.key(0), 3)] as NdArray[]
    const X = random.normal(kx as NdArray, [200, 2], { dtype: 'float64' })
    const wTrue = f64([1.5, -1])
    const y = w
      .less(random.uniform(kn as NdArray, [200], { dtype: 'float64' }), nn.sigmoid(w.dot(X, wTrue)))
      .astype('float64')
    const logp = (wt: NdArray): NdArray => {
      const z = w.dot(X, wt)
      return w.add(w.sum(scipy.stats.norm.logpdf(wt, 0, 3)), w.sum(w.sub(w.mul(y, z), nn.softplus(z))))
    }
    const gradLogp = grad(logp)
    type State = [NdArray, NdArray]
    const leapfrog = (q: NdArray, p: NdArray, eps: number, steps: number): State => {
      const p0 = w.add(p, w.mul(eps / 2, gradLogp(q)))
      const [q1, p1] = lax.foriLoop(
        0,
        steps - 1,
        (_i: NdArray, [qi, pi]: State): State => {
          const qn = w.add(qi, w.mul(eps, pi))
          return [qn, w.add(pi, w.mul(eps, gradLogp(qn)))]
        },
        [q, p0] as State,
      )
      const q2 = w.add(q1, w.mul(eps, p1))
      return [q2, w.add(p1, w.mul(eps / 2, gradLogp(q2)))]
    }
    const energy = (q: NdArray, p: NdArray): NdArray => w.sub(w.mul(0.5, w.sum(w.square(p))), logp(q))
    const hmcStep = jit((q: NdArray, key: NdArray): State => {
      const [k1, k2] = random.split(key)
      const p0 = random.normal(k1, q.shape, { dtype: 'float64' })
      const [q1, p1] = leapfrog(q, p0, 0.05, 10)
      const accept = w.less(w.log(random.uniform(k2, [], { dtype: 'float64' })), w.sub(energy(q, p0), energy(q1, p1)))
      return [w.where(accept, q1, q), accept]
    })
    // Act
    const [, [qs, accepted]] = lax.scan(
      (q: NdArray, k: NdArray): [NdArray, State] => {
        const [next, acc] = hmcStep(q, k)
        return [next, [next, acc]]
      },
      w.zeros([2], { dtype: 'float64' }),
      random.split(kChain as NdArray, 300),
    )
    // Assert: the posterior mean after burn-in is near the maximum a posteriori weights
    const postMean = w.mean(qs.at('100:').get(), { axis: 0 })
    let mapW = f64([0, 0])
    for (let i = 0; i < 200; i++) mapW = w.add(mapW, w.mul(0.01, gradLogp(mapW)))
    close(postMean, mapW, 0.15)
    close(mapW, wTrue, 0.6)
    expect(num(w.mean(accepted.astype('float64')))).toBeGreaterThan(0.8)
  })
})

describe('jnp.linalg and jax.scipy for a Gaussian likelihood (SciPy values)', () => {
  const fx = JSON.parse(readFileSync(new URL('./fixtures/jaxTutorials.json', import.meta.url), 'utf8')) as {
    A: number[][]
    b: number[]
    X: number[][]
    mean: number[]
    mvn_logpdf: number[]
    cholesky: number[][]
    solve: number[]
    eigh_w: number[]
    slogdet: [number, number]
    svd_s: number[]
    norm_logpdf: number[]
    norm_cdf: number[]
    logsumexp_rows: number[]
    logsumexp_b: [number, number]
  }
  const A = f64(fx.A)
  const b = f64(fx.b)

  it('cholesky, solve, eigh, slogdet and svd values', () => {
    close(linalg.cholesky(A), fx.cholesky.flat(), 1e-13)
    close(linalg.solve(A, b), fx.solve, 1e-13)
    close(linalg.eigh(A).eigenvalues, fx.eigh_w, 1e-13)
    const { sign, logabsdet } = linalg.slogdet(A)
    expect(num(sign)).toBe(fx.slogdet[0])
    expect(num(logabsdet)).toBeCloseTo(fx.slogdet[1], 13)
    close(linalg.svd(A, { computeUv: false }) as NdArray, fx.svd_s, 1e-13)
  })

  it('multivariate_normal.logpdf equals the Cholesky-written log likelihood; stats and logsumexp', () => {
    const X = f64(fx.X)
    const mu = f64(fx.mean)
    close(scipy.stats.multivariateNormal.logpdf(X, mu, A), fx.mvn_logpdf, 1e-12)
    // the hand-written version a GP example uses
    const byCholesky = (x: NdArray): NdArray => {
      const L = linalg.cholesky(A)
      const z = linalg.solveTriangular(L, w.sub(x, mu), { lower: true })
      const half = w.sum(w.log(w.diag(L)))
      return w.sub(w.sub(w.mul(-0.5, w.sum(w.square(z))), half), 1.5 * Math.log(2 * Math.PI))
    }
    close(vmap(byCholesky)(X), fx.mvn_logpdf, 1e-12)
    close(scipy.stats.norm.logpdf(b, 1.5, 2), fx.norm_logpdf, 1e-14)
    close(scipy.stats.norm.cdf(b, 1.5, 2), fx.norm_cdf, 1e-14)
    close(scipy.special.logsumexp(A, { axis: 1 }), fx.logsumexp_rows, 1e-14)
    const [lse, sgn] = scipy.special.logsumexp(b, { b: f64([1, -1, 0.5]), returnSign: true })
    expect(num(lse)).toBeCloseTo(fx.logsumexp_b[0], 13)
    expect(num(sgn)).toBe(fx.logsumexp_b[1])
  })

  it('gradients: of logdet (A⁻ᵀ), of the top eigenvalue (v vᵀ), of the nuclear norm (U Vᵀ), by finite differences', () => {
    close(grad((M: NdArray) => linalg.slogdet(M).logabsdet)(A), linalg.inv(A), 1e-13)
    const { eigenvectors } = linalg.eigh(A)
    const v = w.transpose(eigenvectors).at(2).get()
    close(grad((M: NdArray) => linalg.eigh(M).eigenvalues.at(2).get())(A), w.outer(v, v), 1e-12)
    // A is symmetric positive definite: U Vᵀ = I
    close(grad((M: NdArray) => w.sum(linalg.svd(M, { computeUv: false }) as NdArray))(A), w.eye(3), 1e-12)
    const sym = (M: NdArray): NdArray => w.mul(0.5, w.add(M, w.transpose(M)))
    checkGrads((M: NdArray) => w.sum(w.mul(linalg.cholesky(sym(M)), b)), [A], { order: 2 })
    checkGrads((M: NdArray) => scipy.stats.multivariateNormal.logpdf(b, f64(fx.mean), sym(M)), [A], { order: 1 })
  })
})

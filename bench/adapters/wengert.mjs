// Adapter: wengert, this repository's library, imported by package name. The
// bench package depends on it as "wengert": "file:..", so this resolves to the
// root package's built entry (../dist, via its package.json "exports"): run
// `npm run build` at the root first (the root `npm run bench` script does).
//
// API used (JAX-style, eager, no ownership rules): array(data, { shape }),
// matmul/add/sub/mul/exp/tanh/sin/square/relu/sum/logSoftmax (JS numbers are
// weak scalars that keep the array's float32 dtype), grad(f, { argnums }),
// valueAndGrad(f, { argnums }) -> [value, grads], jvp(f, [x], [v]) ->
// [out, tangentOut]; x.toTypedArray() (a copy) and x.item() to read back.

import { readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { gptInputs } from '../lib/common.mjs'

/** The entry module of a wengert package root (`exports['.']`, whatever its layout). */
const entryOf = (root) => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
  let e = pkg.exports?.['.'] ?? pkg.main
  while (e !== null && typeof e === 'object') e = e.import ?? e.default ?? e.node
  return { file: path.join(root, e), version: pkg.version }
}

// base: the root of another build of wengert (`--base=<dir>`: a checkout of an earlier commit,
// built), imported in place of this one so before and after run in the same benchmark
export default async function create({ jit: useJit = false, threads, base } = {}) {
  const root = base ?? new URL('../node_modules/wengert', import.meta.url).pathname
  const { file, version: VERSION } = entryOf(root)
  const W = await import(pathToFileURL(file).href)
  const { array, matmul, add, sub, mul, exp, tanh, sin, square, relu, sum, logSoftmax, grad, valueAndGrad, jvp, jit } =
    W
  const f32 = (data, shape) => array(data.slice(), { shape, dtype: 'float32' })
  // threads: a fixed thread count for the large matrix products (default: every core)
  if (threads !== undefined) W.setNumThreads(threads)
  // jit: the per-call function wrapped in W.jit (traced on the first call, then replayed)
  const J = useJit ? jit : (f) => f
  const workloads = {
    matmul({ n, a, b }) {
      const A = f32(a, [n, n]),
        B = f32(b, [n, n])
      const mm = J((a, b) => matmul(a, b))
      return { run: () => mm(A, B).toTypedArray(), dispose() {} }
    },

    mlpStep(d) {
      const { B, D, H, C, lr } = d
      const X = f32(d.x, [B, D])
      const onehot = new Float32Array(B * C)
      for (let i = 0; i < B; i++) onehot[i * C + d.labels[i]] = 1
      const Y = array(onehot, { shape: [B, C], dtype: 'float32' })
      let P = [f32(d.W1, [D, H]), f32(d.b1, [H]), f32(d.W2, [H, C]), f32(d.b2, [C])]
      const loss = (W1, b1, W2, b2) => {
        const h = relu(add(matmul(X, W1), b1))
        const logits = add(matmul(h, W2), b2)
        return mul(sum(mul(logSoftmax(logits), Y)), -1 / B) // mean cross-entropy
      }
      const vg = valueAndGrad(loss, { argnums: [0, 1, 2, 3] })
      const step = J((p0, p1, p2, p3) => {
        const [value, grads] = vg(p0, p1, p2, p3)
        return [
          value,
          [
            sub(p0, mul(grads[0], lr)),
            sub(p1, mul(grads[1], lr)),
            sub(p2, mul(grads[2], lr)),
            sub(p3, mul(grads[3], lr)),
          ],
        ]
      })
      return {
        run() {
          const [value, next] = step(P[0], P[1], P[2], P[3])
          P = next
          return value.item()
        },
        params: () => ({
          W1: P[0].toTypedArray(),
          b1: P[1].toTypedArray(),
          W2: P[2].toTypedArray(),
          b2: P[3].toTypedArray(),
        }),
        dispose() {},
        note: `valueAndGrad(argnums [0..3]) + SGD${useJit ? ', whole step in jit' : ''}; loss = -sum(logSoftmax·onehot)/B`,
      }
    },

    cnnStep(d) {
      const { B, lr } = d
      const { lax, reshape } = W
      const X = f32(d.x, [B, 1, 28, 28])
      const onehot = new Float32Array(B * 10)
      for (let i = 0; i < B; i++) onehot[i * 10 + d.labels[i]] = 1
      const Y = array(onehot, { shape: [B, 10], dtype: 'float32' })
      const shapes = [[32, 1, 3, 3], [32], [64, 32, 3, 3], [64], [9216, 128], [128], [128, 10], [10]]
      let P = ['w1', 'b1', 'w2', 'b2', 'w3', 'b3', 'w4', 'b4'].map((k, i) => f32(d[k], shapes[i]))
      const bias = (b, c) => reshape(b, [1, c, 1, 1])
      const loss = (w1, b1, w2, b2, w3, b3, w4, b4) => {
        const a1 = relu(add(lax.conv(X, w1, [1, 1], 'VALID'), bias(b1, 32)))
        const a2 = relu(add(lax.conv(a1, w2, [1, 1], 'VALID'), bias(b2, 64)))
        const p = lax.reduceWindow(a2, -Infinity, 'max', [1, 1, 2, 2], [1, 1, 2, 2], 'VALID')
        const h = relu(add(matmul(reshape(p, [B, 9216]), w3), b3))
        return mul(sum(mul(logSoftmax(add(matmul(h, w4), b4)), Y)), -1 / B) // NLL of log-softmax, mean
      }
      const vg = valueAndGrad(loss, { argnums: [0, 1, 2, 3, 4, 5, 6, 7] })
      const step = J((...ps) => {
        const [value, grads] = vg(...ps)
        return [value, ps.map((p, i) => sub(p, mul(grads[i], lr)))]
      })
      return {
        run() {
          const [value, next] = step(...P)
          P = next
          return value.item()
        },
        params: () =>
          Object.fromEntries(['w1', 'b1', 'w2', 'b2', 'w3', 'b3', 'w4', 'b4'].map((k, i) => [k, P[i].toTypedArray()])),
        dispose() {},
        note: `lax.conv + lax.reduceWindow max; valueAndGrad(8 params) + SGD${useJit ? ', whole step in jit' : ''}`,
      }
    },

    chain({ steps, x0 }) {
      const X0 = array(x0, { dtype: 'float32' })
      const g = J(
        grad((x) => {
          for (let s = 0; s < steps; s++) x = add(mul(x, 0.99), exp(mul(x, -0.5)))
          return x
        }),
      )
      return {
        run: () => g(X0).item(),
        dispose() {},
        note: useJit ? 'jit(grad(f)): traced once, compiled, then replayed' : 'grad over 0-d float32 arrays',
      }
    },

    ewise({ n, x }) {
      const X = f32(x, [n])
      const g = J(grad((t) => sum(mul(tanh(t), t))))
      return { run: () => g(X).toTypedArray(), dispose() {}, note: useJit ? 'jit(grad(f))' : undefined }
    },

    d2scalar({ x }) {
      const X = array(x, { dtype: 'float32' })
      const g2 = J(grad(grad((t) => mul(square(t), sin(t)))))
      return { run: () => g2(X).item(), dispose() {}, note: useJit ? 'jit(grad(grad(f)))' : 'grad(grad(f))' }
    },

    d2tanh({ x }) {
      const X = array(x, { dtype: 'float32' })
      const g2 = J(grad(grad((t) => mul(t, tanh(t)))))
      return { run: () => g2(X).item(), dispose() {}, note: useJit ? 'jit(grad(grad(f)))' : 'grad(grad(f))' }
    },

    hvp({ n, A, x, v }) {
      const Am = f32(A, [n, n]),
        X = f32(x, [n, 1]),
        V = f32(v, [n, 1])
      const gf = grad((t) => sum(sin(matmul(Am, t))))
      const hvp = J((x, v) => jvp(gf, [x], [v])[1])
      return {
        run: () => hvp(X, V).toTypedArray(),
        dispose() {},
        note: useJit ? 'jit of jvp(grad f) (forward-over-reverse)' : 'jvp(grad f) (forward-over-reverse)',
      }
    },
  }

  Object.assign(workloads, controlFlowWorkloads(W, J, f32, useJit))
  // W7 (issue 11): the GP log-likelihood and its gradient w.r.t. K, in float64 (the LAPACK floor's dtype)
  workloads.gpChol = ({ n, K, y }) => {
    const { linalg, log, valueAndGrad: vag } = W
    const f64 = (data, shape) => array(Float64Array.from(data), { shape, dtype: 'float64' })
    const Km = f64(K, [n, n])
    const Y = f64(y, [n, 1])
    const ll = (k) => {
      const L = linalg.cholesky(k)
      const z = linalg.solveTriangular(L, Y, { lower: true })
      const alpha = linalg.solveTriangular(L, z, { lower: true, trans: 'T' })
      return sub(mul(sum(mul(Y, alpha)), -0.5), sum(log(linalg.diagonal(L))))
    }
    const vg = J(vag(ll))
    return {
      run() {
        const [value, g] = vg(Km)
        return { value: value.item(), grad: g.toTypedArray() }
      },
      dispose() {},
      note: `float64; linalg.cholesky + 2 × linalg.solveTriangular + log-det from diag(L); valueAndGrad${useJit ? ' in jit' : ''}`,
    }
  }

  // W9 (issue 18): the LSTM LM step, the gate products per step (JAX style: a JavaScript loop over time)
  workloads.lstmStep = (d) => {
    const { B, T, V, H, L, lr, names, shapes } = d
    const { sigmoid, take } = W
    let P = names.map((k) => f32(d.params[k], shapes[k]))
    const col = (t, off) => Int32Array.from({ length: B }, (_, b) => d.tokens[b * (T + 1) + t + off])
    const inputs = Array.from({ length: T }, (_, t) => array(col(t, 0), { shape: [B], dtype: 'int32' }))
    const onehot = new Float32Array(T * B * V)
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) onehot[(t * B + b) * V + d.tokens[b * (T + 1) + t + 1]] = 1
    const Y = array(onehot, { shape: [T * B, V], dtype: 'float32' })
    const zeros = array(new Float32Array(B * H), { shape: [B, H], dtype: 'float32' })
    const loss = (...ps) => {
      const p = Object.fromEntries(names.map((k, i) => [k, ps[i]]))
      const h = new Array(L).fill(zeros)
      const c = new Array(L).fill(zeros)
      const outs = []
      for (let t = 0; t < T; t++) {
        let x = take(p.emb, inputs[t], { axis: 0 })
        for (let l = 0; l < L; l++) {
          const gate = (q) => add(add(matmul(x, p[`U${l}${q}`]), matmul(h[l], p[`W${l}${q}`])), p[`b${l}${q}`])
          c[l] = add(mul(sigmoid(gate('f')), c[l]), mul(sigmoid(gate('i')), tanh(gate('g'))))
          h[l] = mul(sigmoid(gate('o')), tanh(c[l]))
          x = h[l]
        }
        outs.push(x)
      }
      const logits = add(matmul(W.concat(outs, 0), p.Wd), p.bd)
      return mul(sum(mul(logSoftmax(logits), Y)), -1 / (T * B))
    }
    const vg = valueAndGrad(loss, { argnums: names.map((_, i) => i) })
    const step = J((...ps) => {
      const [value, grads] = vg(...ps)
      return [value, ps.map((q, i) => sub(q, mul(grads[i], lr)))]
    })
    return {
      run() {
        const [value, next] = step(...P)
        P = next
        return value.item()
      },
      dispose() {},
      note: `unrolled LSTM, take() embedding; valueAndGrad(${names.length} params) + SGD${useJit ? ', whole step in jit' : ''}`,
    }
  }

  // W8 (issue 18): the GPT step, nanoGPT's model written with the core's ops; AdamW by hand
  workloads.gptStep = (d) => {
    const { B, T, V, C, L, NH, names, shapes, decay } = d
    const { lr, beta1, beta2, eps, weightDecay } = d.adamw
    const { reshape, transpose, take, mean, softmax, sqrt, div, split } = W
    const hs = C / NH
    const N = B * T
    let P = names.map((k) => f32(d.params[k], shapes[k]))
    let M = P.map((q) => W.zerosLike(q))
    let Vs = P.map((q) => W.zerosLike(q))
    let t = 0
    const g = gptInputs(d)
    const X = array(g.inputs, { shape: [N], dtype: 'int32' })
    const Y = f32(g.onehot, [N, V])
    const mask = f32(g.mask, [T, T])
    const layerNorm = (x, w, b) => {
      const xc = sub(x, mean(x, { axis: -1, keepdims: true }))
      const v = mean(mul(xc, xc), { axis: -1, keepdims: true })
      return add(mul(div(xc, sqrt(add(v, 1e-5))), w), b)
    }
    const gelu = (x) =>
      mul(mul(x, 0.5), add(tanh(mul(add(x, mul(mul(mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI))), 1))
    const heads = (q) => transpose(reshape(q, [B, T, NH, hs]), [0, 2, 1, 3]) // (B, nh, T, hs)
    const loss = (...ps) => {
      const p = Object.fromEntries(names.map((k, i) => [k, ps[i]]))
      const lin = (x, n) => add(matmul(x, p[`${n}.W`]), p[`${n}.b`])
      let x = reshape(add(reshape(take(p.wte, X, { axis: 0 }), [B, T, C]), p.wpe), [N, C])
      for (let l = 0; l < L; l++) {
        const [q, k, v] = split(lin(layerNorm(x, p[`h${l}.ln1.w`], p[`h${l}.ln1.b`]), `h${l}.attn`), 3, 1).map(heads)
        const att = softmax(add(mul(matmul(q, transpose(k, [0, 1, 3, 2])), 1 / Math.sqrt(hs)), mask), -1)
        const y = reshape(transpose(matmul(att, v), [0, 2, 1, 3]), [N, C])
        x = add(x, lin(y, `h${l}.aproj`))
        x = add(x, lin(gelu(lin(layerNorm(x, p[`h${l}.ln2.w`], p[`h${l}.ln2.b`]), `h${l}.fc`)), `h${l}.mproj`))
      }
      const logits = matmul(layerNorm(x, p['lnf.w'], p['lnf.b']), transpose(p.wte)) // lm_head tied to wte
      return mul(sum(mul(logSoftmax(logits), Y)), -1 / N)
    }
    const vg = valueAndGrad(loss, { argnums: names.map((_, i) => i) })
    const n = names.length
    const decays = names.map((k) => decay.includes(k))
    const step = J((bc1, bc2, ...a) => {
      const ps = a.slice(0, n),
        ms = a.slice(n, 2 * n),
        vs = a.slice(2 * n)
      const [value, grads] = vg(...ps)
      const m2 = ms.map((m, i) => add(mul(m, beta1), mul(grads[i], 1 - beta1)))
      const v2 = vs.map((v, i) => add(mul(v, beta2), mul(square(grads[i]), 1 - beta2)))
      const p2 = ps.map((q, i) => {
        const q0 = decays[i] ? mul(q, 1 - lr * weightDecay) : q
        return sub(q0, mul(div(div(m2[i], bc1), add(sqrt(div(v2[i], bc2)), eps)), lr))
      })
      return [value, p2, m2, v2]
    })
    return {
      run() {
        t++
        const bc = (b) => array(1 - b ** t, { dtype: 'float32' })
        const [value, p2, m2, v2] = step(bc(beta1), bc(beta2), ...P, ...M, ...Vs)
        ;[P, M, Vs] = [p2, m2, v2]
        return value.item()
      },
      dispose() {},
      note: `nanoGPT's model with take/softmax/matmul; valueAndGrad(${n} params) + AdamW by hand${useJit ? ', whole step in jit' : ''}`,
    }
  }

  // W10 (issue 18): an HMC transition on eight schools (10 leapfrog steps, valueAndGrad of the log density)
  workloads.hmcStep = (d) => {
    const { L, eps, K } = d
    const { slice, log, where, less, div } = W
    const Y = f32(d.y, [8]),
      S = f32(d.sigma, [8])
    const logp = (q) => {
      const mu = slice(q, [0]),
        lt = slice(q, [1]),
        tt = slice(q, [[2, 10]])
      const tau = exp(lt)
      const r = div(sub(sub(Y, mu), mul(tau, tt)), S)
      const prior = sub(add(mul(square(mu), -1 / 50), lt), log(add(mul(square(tau), 1 / 25), 1)))
      return sub(prior, mul(sum(add(square(tt), square(r))), 0.5))
    }
    const vg = valueAndGrad(logp)
    const transition = J((q0, p0, logu) => {
      let [lp, g] = vg(q0)
      const h0 = sub(mul(sum(square(p0)), 0.5), lp)
      let p = add(p0, mul(g, 0.5 * eps))
      let q = q0
      for (let s = 0; s < L; s++) {
        q = add(q, mul(p, eps))
        ;[lp, g] = vg(q)
        p = add(p, mul(g, s === L - 1 ? 0.5 * eps : eps))
      }
      const h1 = sub(mul(sum(square(p)), 0.5), lp)
      return where(less(logu, sub(h0, h1)), q, q0)
    })
    const momenta = Array.from({ length: K }, (_, k) => f32(d.momenta.subarray(k * 10, (k + 1) * 10), [10]))
    const logus = Array.from(d.uniforms, (u) => array(Math.log(u), { dtype: 'float32' }))
    let q = f32(d.q0, [10])
    let k = 0
    return {
      run() {
        const i = k++ % K
        q = transition(q, momenta[i], logus[i])
        return q.toTypedArray()
      },
      dispose() {},
      note: `${L} leapfrog steps with valueAndGrad(log p), accept by where()${useJit ? ', whole transition in jit' : ''}`,
    }
  }

  return {
    id: (base ? 'wengert-base' : 'wengert') + (useJit ? '-jit' : threads === 1 ? '-1thread' : ''),
    dtype: 'float32',
    info: {
      library: 'wengert',
      version: VERSION,
      backend: `TypeScript (${base ? `${base}/` : ''}dist/)${useJit ? ', jit' : ''}`,
      threads: W.getNumThreads(),
    },
    workloads,
  }
}

// Control flow (issue 12): lax.scan of an RNN cell, its gradient, and a foriLoop chain.
// Eager columns run the primitives eagerly (the body's program once per step); jit columns
// trace them once (the program's size does not depend on the number of steps).
function controlFlowWorkloads(W, J, f32, useJit) {
  const { lax, add, mul, exp, tanh, matmul, sum, grad, valueAndGrad } = W
  const rnn = (d) => ({
    W: f32(d.W, [d.H, d.H]),
    U: f32(d.U, [d.I, d.H]),
    b: f32(d.b, [d.H]),
    h0: f32(d.h0, [1, d.H]),
    xs: f32(d.x, [d.steps, 1, d.I]),
  })
  const states = (Wm, U, b, h0, xs) =>
    lax.scan(
      (h, x) => {
        const h2 = tanh(add(add(matmul(h, Wm), matmul(x, U)), b))
        return [h2, h2]
      },
      h0,
      xs,
    )
  const how = useJit ? 'jit: traced once, then one compiled loop' : 'eager lax.scan'
  return {
    scanRnn(d) {
      const a = rnn(d)
      const f = J((Wm, U, b, h0, xs) => states(Wm, U, b, h0, xs)[0])
      return { run: () => f(a.W, a.U, a.b, a.h0, a.xs).toTypedArray(), dispose() {}, note: how }
    },
    scanRnnGrad(d) {
      const a = rnn(d)
      const g = J(grad((Wm, U, b, h0, xs) => sum(states(Wm, U, b, h0, xs)[1])))
      return { run: () => g(a.W, a.U, a.b, a.h0, a.xs).toTypedArray(), dispose() {}, note: `grad, ${how}` }
    },
    foriChain({ steps, x0 }) {
      const X0 = W.array(x0, { dtype: 'float32' })
      const chain = (x) => lax.foriLoop(0, steps, (_i, y) => add(mul(y, 0.99), exp(mul(y, -0.5))), x)
      const vg = J(valueAndGrad(chain))
      return {
        run() {
          const [v, g] = vg(X0)
          return [v.item(), g.item()]
        },
        dispose() {},
        note: `valueAndGrad of lax.foriLoop, ${how}`,
      }
    },
  }
}

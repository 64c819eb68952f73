// Adapter: jax-js (@jax-js/jax 0.1.x), a JAX port in JavaScript that
// generates WebAssembly kernels (device 'wasm') or interprets them in plain JS
// (device 'cpu', documented upstream as "slow, interpreted JS, only meant for
// debugging"). One module, several columns:
//   create({ device: 'wasm' })              eager: every op dispatched as it runs
//   create({ device: 'wasm', jit: true })   the whole step wrapped in jax.jit
//   create({ device: 'cpu' })               eager on the interpreted JS backend
//
// Facts that shape this adapter (read from node_modules/@jax-js/jax/README.md
// and dist/index.d.ts, 0.1.25):
// - `init()` with no argument also probes WebGPU and throws under Node 20
//   (`navigator` is undefined), so we call `init('cpu', 'wasm')`.
// - Memory is reference counted by ownership: every function CONSUMES its array
//   arguments (refcount −1); `x.ref` returns x with refcount +1. An array used
//   twice must be passed as `x.ref` the first time. Inputs kept across calls are
//   always passed as `.ref`; `dataSync()` also consumes the array it reads.
// - Operations are lazy: `dataSync()` (or `blockUntilReady`) forces them, so
//   every run() reads its result back (or blocks on the updated parameters).
// - The wasm backend is multithreaded only when both `SharedArrayBuffer` and a
//   global `Worker` exist; Node 20 has no global `Worker`, so it runs on ONE
//   thread here (like tfjs-backend-wasm under Node).
// - `jit(f)` compiles on the first call for a set of shapes (warm-up absorbs
//   it) and fuses elementwise chains into one kernel.
// - Second order: grad(grad f) works; jvp(grad f) gives forward-over-reverse
//   Hessian-vector products.

import { readFileSync } from 'node:fs'
import * as jax from '@jax-js/jax'
import { gptInputs } from '../lib/common.mjs'

const { numpy: np, nn, grad, valueAndGrad, jvp, jit, init, defaultDevice, blockUntilReady } = jax
const VERSION = JSON.parse(readFileSync(new URL('../node_modules/@jax-js/jax/package.json', import.meta.url))).version

class Unsupported extends Error {
  constructor(m) {
    super(m)
    this.name = 'Unsupported'
  }
}

/** Float32Array -> jax Array of the given shape (on the default device). */
const arr = (f32, shape) => np.array(f32.slice()).reshape(shape)

export default async function create({ device = 'wasm', jit: useJit = false, skip = {} } = {}) {
  const avail = await init('cpu', 'wasm')
  if (!avail.includes(device)) throw new Error(`jax-js device '${device}' not available (have ${avail})`)
  defaultDevice(device)
  const J = useJit ? jit : (f) => f // wrap the per-call function in jit or not
  const mode = useJit ? 'jit' : 'eager'
  const compiled = [] // jit functions to dispose
  const wrap = (f) => {
    const g = J(f)
    if (useJit) compiled.push(g)
    return g
  }

  const workloads = {
    matmul({ n, a, b }) {
      const A = arr(a, [n, n]),
        B = arr(b, [n, n])
      const mm = wrap((x, y) => np.matmul(x, y))
      return {
        run: () => mm(A.ref, B.ref).dataSync(),
        dispose() {
          A.dispose()
          B.dispose()
        },
      }
    },

    mlpStep(d) {
      const { B, D, H, C, lr } = d
      const X = arr(d.x, [B, D])
      const onehot = new Float32Array(B * C)
      for (let i = 0; i < B; i++) onehot[i * C + d.labels[i]] = 1
      const Y = arr(onehot, [B, C])
      let P = [arr(d.W1, [D, H]), arr(d.b1, [H]), arr(d.W2, [H, C]), arr(d.b2, [C])]
      // mean softmax cross-entropy; every array argument is consumed once
      const loss = (W1, b1, W2, b2, x, y) => {
        const h = nn.relu(np.matmul(x, W1).add(b1))
        const logits = np.matmul(h, W2).add(b2)
        return np.sum(nn.logSoftmax(logits, -1).mul(y)).mul(-1 / B)
      }
      const vg = valueAndGrad(loss, { argnums: [0, 1, 2, 3] })
      const step = wrap((W1, b1, W2, b2, x, y) => {
        const [value, g] = vg(W1.ref, b1.ref, W2.ref, b2.ref, x, y)
        return [value, [W1.sub(g[0].mul(lr)), b1.sub(g[1].mul(lr)), W2.sub(g[2].mul(lr)), b2.sub(g[3].mul(lr))]]
      })
      return {
        async run() {
          const [value, next] = step(...P, X.ref, Y.ref)
          P = next
          await blockUntilReady(P) // parameters really updated, not just queued
          return value.dataSync()[0]
        },
        params: () => ({
          W1: P[0].ref.dataSync(),
          b1: P[1].ref.dataSync(),
          W2: P[2].ref.dataSync(),
          b2: P[3].ref.dataSync(),
        }),
        dispose() {
          for (const p of [...P, X, Y]) p.dispose()
        },
        note: `valueAndGrad(argnums [0..3]) + SGD${useJit ? ', whole step in jit' : ''}; loss = -sum(logSoftmax·onehot)/B`,
      }
    },

    cnnStep(d) {
      const { B, lr } = d
      const { lax } = jax
      const X = arr(d.x, [B, 1, 28, 28])
      const onehot = new Float32Array(B * 10)
      for (let i = 0; i < B; i++) onehot[i * 10 + d.labels[i]] = 1
      const Y = arr(onehot, [B, 10])
      const names = ['w1', 'b1', 'w2', 'b2', 'w3', 'b3', 'w4', 'b4']
      const shapes = [[32, 1, 3, 3], [32], [64, 32, 3, 3], [64], [9216, 128], [128], [128, 10], [10]]
      let P = names.map((k, i) => arr(d[k], shapes[i]))
      // max-pool 2×2 as a reshape and a max over the two window axes (jax-js's reduceWindow takes a
      // computation callback; the reshape form is the same pooling)
      const loss = (w1, b1, w2, b2, w3, b3, w4, b4, x, y) => {
        const a1 = nn.relu(lax.conv(x, w1, [1, 1], 'VALID').add(b1.reshape([1, 32, 1, 1])))
        const a2 = nn.relu(lax.conv(a1, w2, [1, 1], 'VALID').add(b2.reshape([1, 64, 1, 1])))
        const p = np.max(a2.reshape([B, 64, 12, 2, 12, 2]), [3, 5])
        const h = nn.relu(np.matmul(p.reshape([B, 9216]), w3).add(b3))
        return np.sum(nn.logSoftmax(np.matmul(h, w4).add(b4), -1).mul(y)).mul(-1 / B)
      }
      const vg = valueAndGrad(loss, { argnums: [0, 1, 2, 3, 4, 5, 6, 7] })
      const step = wrap((w1, b1, w2, b2, w3, b3, w4, b4, x, y) => {
        const ps = [w1, b1, w2, b2, w3, b3, w4, b4]
        const [value, g] = vg(...ps.map((p) => p.ref), x, y)
        return [value, ps.map((p, i) => p.sub(g[i].mul(lr)))]
      })
      return {
        async run() {
          const [value, next] = step(...P, X.ref, Y.ref)
          P = next
          await blockUntilReady(P)
          return value.dataSync()[0]
        },
        params: () => Object.fromEntries(names.map((k, i) => [k, P[i].ref.dataSync()])),
        dispose() {
          for (const p of [...P, X, Y]) p.dispose()
        },
        note: `lax.conv + max over a reshaped 2×2 window; valueAndGrad(8 params) + SGD${useJit ? ', whole step in jit' : ''}`,
      }
    },

    chain({ steps, x0 }) {
      const X0 = np.array(x0) // 0-d float32
      const f = (x) => {
        for (let s = 0; s < steps; s++) x = x.ref.mul(0.99).add(np.exp(x.mul(-0.5)))
        return x
      }
      const g = wrap(grad(f))
      return {
        run: () => g(X0.ref).dataSync()[0],
        dispose() {
          X0.dispose()
        },
        note: useJit ? 'jit(grad(f)): traced once, compiled, then replayed' : 'grad over 0-d arrays',
      }
    },

    ewise({ n, x }) {
      const X = arr(x, [n])
      const g = wrap(grad((t) => np.sum(np.tanh(t.ref).mul(t))))
      return {
        run: () => g(X.ref).dataSync(),
        dispose() {
          X.dispose()
        },
        note: useJit ? 'jit(grad(f))' : undefined,
      }
    },

    d2scalar({ x }) {
      const X = np.array(x)
      const g2 = wrap(grad(grad((t) => np.square(t.ref).mul(np.sin(t)))))
      return {
        run: () => g2(X.ref).dataSync()[0],
        dispose() {
          X.dispose()
        },
        note: useJit ? 'jit(grad(grad(f)))' : 'grad(grad(f))',
      }
    },

    d2tanh({ x }) {
      const X = np.array(x)
      const g2 = wrap(grad(grad((t) => t.ref.mul(np.tanh(t)))))
      return {
        run: () => g2(X.ref).dataSync()[0],
        dispose() {
          X.dispose()
        },
        note: useJit ? 'jit(grad(grad(f)))' : 'grad(grad(f))',
      }
    },

    hvp({ n, A, x, v }) {
      const Am = arr(A, [n, n]),
        X = arr(x, [n, 1]),
        V = arr(v, [n, 1])
      const f = (t) => np.sum(np.sin(np.matmul(Am.ref, t)))
      // forward-over-reverse: H v = d/dε grad f(x + ε v)
      const hv = wrap((xx, vv) => {
        const [g, tangent] = jvp(grad(f), [xx], [vv])
        g.dispose()
        return tangent
      })
      return {
        run: () => hv(X.ref, V.ref).dataSync(),
        dispose() {
          Am.dispose()
          X.dispose()
          V.dispose()
        },
        note: useJit ? 'jit of jvp(grad f) (forward-over-reverse)' : 'jvp(grad f) (forward-over-reverse)',
      }
    },
  }
  Object.assign(workloads, controlFlowWorkloads(wrap, useJit))
  // W7 (issue 11): float32 (the wasm device's float dtype here); lax.linalg's factor and solves
  workloads.gpChol = ({ n, K, y }) => {
    const { lax } = jax
    const Km = arr(K, [n, n])
    const Y = arr(y, [n, 1])
    const ll = (k, yy) => {
      const L = np.linalg.cholesky(k) // symmetrised input, as the reference
      const z = lax.linalg.triangularSolve(L.ref, yy.ref, { leftSide: true, lower: true })
      const alpha = lax.linalg.triangularSolve(L.ref, z, { leftSide: true, lower: true, transposeA: true })
      const quad = np.sum(yy.mul(alpha))
      return quad.mul(-0.5).sub(np.sum(np.log(np.diagonal(L))))
    }
    const vg = wrap(valueAndGrad(ll))
    return {
      run() {
        const [value, g] = vg(Km.ref, Y.ref)
        return { value: value.dataSync()[0], grad: g.dataSync() }
      },
      dispose() {
        Km.dispose()
        Y.dispose()
      },
      note: `lax.linalg.cholesky + 2 × lax.linalg.triangularSolve + log-det from diag(L); valueAndGrad${useJit ? ' in jit' : ''}`,
    }
  }

  // W9 (issue 18): the LSTM LM step; one-hot rows times the embedding (every array argument is consumed
  // once: weights and states used several times are passed as .ref and disposed at the end)
  workloads.lstmStep = (d) => {
    const { B, T, V, H, L, lr, names, shapes } = d
    const np_ = names.length
    let P = names.map((k) => arr(d.params[k], shapes[k]))
    const onehot = (t, off) => {
      const m = new Float32Array(B * V)
      for (let b = 0; b < B; b++) m[b * V + d.tokens[b * (T + 1) + t + off]] = 1
      return m
    }
    const X = Array.from({ length: T }, (_, t) => arr(onehot(t, 0), [B, V]))
    const yAll = new Float32Array(T * B * V)
    for (let t = 0; t < T; t++) yAll.set(onehot(t, 1), t * B * V)
    const Y = arr(yAll, [T * B, V])
    const loss = (...a) => {
      const p = Object.fromEntries(names.map((k, i) => [k, a[i]]))
      const xs = a.slice(np_, np_ + T)
      const y = a[np_ + T]
      const h = Array.from({ length: L }, () => np.zeros([B, H]))
      const c = Array.from({ length: L }, () => np.zeros([B, H]))
      const outs = []
      for (let t = 0; t < T; t++) {
        let x = np.matmul(xs[t], p.emb.ref)
        for (let l = 0; l < L; l++) {
          const gate = (q) =>
            np
              .matmul(x.ref, p[`U${l}${q}`].ref)
              .add(np.matmul(h[l].ref, p[`W${l}${q}`].ref))
              .add(p[`b${l}${q}`].ref)
          const gi = nn.sigmoid(gate('i'))
          const gf = nn.sigmoid(gate('f'))
          const gg = np.tanh(gate('g'))
          const go = nn.sigmoid(gate('o'))
          x.dispose()
          h[l].dispose()
          c[l] = gf.mul(c[l]).add(gi.mul(gg))
          h[l] = go.mul(np.tanh(c[l].ref))
          x = h[l].ref
        }
        outs.push(x)
      }
      for (const s of [...h, ...c]) s.dispose()
      const logits = np.matmul(np.concatenate(outs, 0), p.Wd.ref).add(p.bd.ref)
      for (const k of names) p[k].dispose()
      return np.sum(nn.logSoftmax(logits, -1).mul(y)).mul(-1 / (T * B))
    }
    const vg = valueAndGrad(loss, { argnums: names.map((_, i) => i) })
    const step = wrap((...a) => {
      const ps = a.slice(0, np_)
      const [value, g] = vg(...ps.map((q) => q.ref), ...a.slice(np_))
      return [value, ps.map((q, i) => q.sub(g[i].mul(lr)))]
    })
    return {
      async run() {
        const [value, next] = step(...P, ...X.map((x) => x.ref), Y.ref)
        P = next
        await blockUntilReady(P)
        return value.dataSync()[0]
      },
      dispose() {
        for (const q of [...P, ...X, Y]) q.dispose()
      },
      note: `unrolled LSTM, one-hot embedding; valueAndGrad(${np_} params) + SGD${useJit ? ', whole step in jit' : ''}`,
    }
  }

  // W8 (issue 18): the GPT step with jax-js's ops (one-hot rows × wte, as W9), nn.gelu (tanh form), AdamW by
  // hand. Ownership: every parameter is used once in the loss except wte (embedding and the tied lm_head:
  // .ref on the first use), the mask once per layer (.ref, disposed after the loop)
  workloads.gptStep = (d) => {
    const { B, T, V, C, L, NH, names, shapes, decay } = d
    const { lr, beta1, beta2, eps, weightDecay } = d.adamw
    const hs = C / NH
    const N = B * T
    const n = names.length
    const decays = names.map((k) => decay.includes(k))
    let P = names.map((k) => arr(d.params[k], shapes[k]))
    let M = names.map((k) => np.zeros(shapes[k]))
    let Vs = names.map((k) => np.zeros(shapes[k]))
    let t = 0
    const g = gptInputs(d)
    const onehotIn = new Float32Array(N * V)
    g.inputs.forEach((tok, i) => (onehotIn[i * V + tok] = 1))
    const X = arr(onehotIn, [N, V])
    const Y = arr(g.onehot, [N, V])
    const mask = arr(g.mask, [T, T])
    const layerNorm = (x, w, b) => {
      const xc = x.ref.sub(np.mean(x, -1, { keepdims: true }))
      const v = np.mean(np.square(xc.ref), -1, { keepdims: true })
      return xc
        .div(np.sqrt(v.add(1e-5)))
        .mul(w)
        .add(b)
    }
    const heads = (q) => np.transpose(q.reshape([B, T, NH, hs]), [0, 2, 1, 3])
    const loss = (...a) => {
      const p = Object.fromEntries(names.map((k, i) => [k, a[i]]))
      const [xIn, y, mk] = a.slice(n)
      const lin = (x, nm) => np.matmul(x, p[`${nm}.W`]).add(p[`${nm}.b`])
      let x = np.matmul(xIn, p.wte.ref).reshape([B, T, C]).add(p.wpe).reshape([N, C])
      for (let l = 0; l < L; l++) {
        const ln1 = layerNorm(x.ref, p[`h${l}.ln1.w`], p[`h${l}.ln1.b`])
        const [q, k, v] = np.split(lin(ln1, `h${l}.attn`), 3, 1).map(heads)
        const att = nn.softmax(
          np
            .matmul(q, np.transpose(k, [0, 1, 3, 2]))
            .mul(1 / Math.sqrt(hs))
            .add(mk.ref),
          -1,
        )
        const yh = np.transpose(np.matmul(att, v), [0, 2, 1, 3]).reshape([N, C])
        x = x.add(lin(yh, `h${l}.aproj`))
        const ln2 = layerNorm(x.ref, p[`h${l}.ln2.w`], p[`h${l}.ln2.b`])
        x = x.add(lin(nn.gelu(lin(ln2, `h${l}.fc`), { approximate: true }), `h${l}.mproj`))
      }
      mk.dispose()
      const logits = np.matmul(layerNorm(x, p['lnf.w'], p['lnf.b']), np.transpose(p.wte)) // lm_head tied to wte
      return np.sum(nn.logSoftmax(logits, -1).mul(y)).mul(-1 / N)
    }
    const vg = valueAndGrad(loss, { argnums: names.map((_, i) => i) })
    const step = wrap((bc1, bc2, ...a) => {
      const ps = a.slice(0, n),
        ms = a.slice(n, 2 * n),
        vs = a.slice(2 * n, 3 * n)
      const [value, gr] = vg(...ps.map((q) => q.ref), ...a.slice(3 * n))
      const m2 = ms.map((m, i) => m.mul(beta1).add(gr[i].ref.mul(1 - beta1)))
      const v2 = vs.map((v, i) => v.mul(beta2).add(np.square(gr[i]).mul(1 - beta2)))
      const p2 = ps.map((q, i) => {
        const q0 = decays[i] ? q.mul(1 - lr * weightDecay) : q
        return q0.sub(
          m2[i].ref
            .div(bc1.ref)
            .div(np.sqrt(v2[i].ref.div(bc2.ref)).add(eps))
            .mul(lr),
        )
      })
      bc1.dispose()
      bc2.dispose()
      return [value, p2, m2, v2]
    })
    return {
      async run() {
        t++
        const bc = (b) => np.array(1 - b ** t)
        const [value, p2, m2, v2] = step(bc(beta1), bc(beta2), ...P, ...M, ...Vs, X.ref, Y.ref, mask.ref)
        ;[P, M, Vs] = [p2, m2, v2]
        await blockUntilReady(P)
        return value.dataSync()[0]
      },
      dispose() {
        for (const q of [...P, ...M, ...Vs, X, Y, mask]) q.dispose()
      },
      note: `nanoGPT's model with np ops, one-hot embedding, nn.gelu(approximate); valueAndGrad(${n} params) + AdamW by hand${useJit ? ', whole step in jit' : ''}`,
    }
  }

  // W10 (issue 18): an HMC transition on eight schools, valueAndGrad of the log density per leapfrog step.
  // Ownership: q is sliced three times (.ref twice); each discarded log-density value is disposed
  workloads.hmcStep = (d) => {
    const { L, eps, K } = d
    const Y = arr(d.y, [8]),
      S = arr(d.sigma, [8])
    const logp = (q) => {
      const mu = q.ref.slice([0, 1]),
        lt = q.ref.slice([1, 2]),
        tt = q.slice([2])
      const tau = np.exp(lt.ref)
      const r = Y.ref.sub(mu.ref).sub(tau.ref.mul(tt.ref)).div(S.ref)
      const prior = np
        .square(mu)
        .mul(-1 / 50)
        .add(lt)
        .sub(np.log(np.square(tau).div(25).add(1)))
      return np.sum(prior).sub(np.sum(np.square(tt).add(np.square(r))).mul(0.5))
    }
    const vg = valueAndGrad(logp)
    const transition = wrap((q0, p0, logu) => {
      let [lp, g] = vg(q0.ref)
      const h0 = np.sum(np.square(p0.ref)).mul(0.5).sub(lp)
      let p = p0.add(g.mul(0.5 * eps))
      let q = q0.ref
      for (let s = 0; s < L; s++) {
        q = q.add(p.ref.mul(eps))
        ;[lp, g] = vg(q.ref)
        if (s < L - 1) lp.dispose()
        p = p.add(g.mul(s === L - 1 ? 0.5 * eps : eps))
      }
      const h1 = np.sum(np.square(p)).mul(0.5).sub(lp)
      return np.where(np.less(logu, h0.sub(h1)), q, q0)
    })
    const momenta = Array.from({ length: K }, (_, k) => arr(d.momenta.subarray(k * 10, (k + 1) * 10), [10]))
    const logus = Array.from(d.uniforms, (u) => np.array(Math.log(u)))
    let q = arr(d.q0, [10])
    let k = 0
    return {
      run() {
        const i = k++ % K
        q = transition(q, momenta[i].ref, logus[i].ref)
        return q.ref.dataSync()
      },
      dispose() {
        for (const a of [...momenta, ...logus, q, Y, S]) a.dispose()
      },
      note: `${L} leapfrog steps with valueAndGrad(log p), accept by np.where${useJit ? ', whole transition in jit' : ''}`,
    }
  }

  // cells too slow to time on this column (reason shown in the table)
  for (const [k, reason] of Object.entries(skip))
    workloads[k] = () => {
      throw new Unsupported(reason)
    }

  return {
    id: `jax-js-${device}${useJit ? '-jit' : ''}`,
    dtype: 'float32',
    info: {
      library: '@jax-js/jax',
      version: VERSION,
      backend: `${device} (${mode})`,
      threads: 1,
    },
    workloads,
    dispose() {
      for (const c of compiled) c.dispose?.()
    },
  }
}

// Control flow (issue 12). jax-js 0.1.25 has no lax.scan, fori_loop or while_loop (its lax
// namespace: conv, dot, reduceWindow, topK, linalg, ...): the loops are JavaScript loops over
// its ops, as a user would write them. Under jit such a loop is unrolled into one program per
// step count, so the jit column runs only the 10-step scan; eagerly every op is dispatched
// (~5 ms per RNN step on this machine), so the 10^4-10^5-op cells need --slow.
const JIT_MAX_STEPS = 100
const EAGER_MAX_STEPS = 1000
function controlFlowWorkloads(wrap, useJit) {
  const unrolled = (steps) => {
    if (useJit && steps > JIT_MAX_STEPS)
      throw new Unsupported(
        `no lax.scan/fori_loop in jax-js ${VERSION}: jit would unroll all ${steps} steps into one program`,
      )
    if (!useJit && steps > EAGER_MAX_STEPS && !process.argv.includes('--slow'))
      throw new Unsupported(
        `no lax.scan/fori_loop in jax-js ${VERSION}: a JavaScript loop of ${steps} steps of eager ops, too slow to time by default; --slow times it`,
      )
  }
  const rnn = (d) => {
    const rows = Array.from({ length: d.steps }, (_, t) => arr(d.x.subarray(t * d.I, (t + 1) * d.I), [1, d.I]))
    const p = { W: arr(d.W, [d.H, d.H]), U: arr(d.U, [d.I, d.H]), b: arr(d.b, [d.H]), h0: arr(d.h0, [1, d.H]) }
    // the JavaScript loop; `onState(h)` may take a reference to each new state
    const loop = (Wm, onState) => {
      let h = p.h0.ref
      for (const x of rows) {
        h = np.tanh(np.matmul(h, Wm.ref).add(np.matmul(x.ref, p.U.ref)).add(p.b.ref))
        onState?.(h)
      }
      Wm.dispose()
      return h
    }
    const dispose = () => {
      for (const a of [...rows, p.W, p.U, p.b, p.h0]) a.dispose()
    }
    return { p, loop, dispose }
  }
  const note = useJit ? 'jit of the JavaScript loop (unrolled)' : 'JavaScript loop over eager ops (no lax.scan)'
  return {
    scanRnn(d) {
      unrolled(d.steps)
      const r = rnn(d)
      const f = wrap((Wm) => r.loop(Wm))
      return { run: () => f(r.p.W.ref).dataSync(), dispose: r.dispose, note }
    },
    scanRnnGrad(d) {
      unrolled(d.steps)
      const r = rnn(d)
      const loss = (Wm) => {
        let acc = null
        r.loop(Wm, (h) => {
          const s = np.sum(h.ref)
          acc = acc === null ? s : acc.add(s)
        }).dispose()
        return acc
      }
      const g = wrap(grad(loss))
      return { run: () => g(r.p.W.ref).dataSync(), dispose: r.dispose, note: `grad, ${note}` }
    },
    foriChain({ steps, x0 }) {
      unrolled(steps)
      const X0 = np.array(x0)
      const f = (x) => {
        for (let s = 0; s < steps; s++) x = x.ref.mul(0.99).add(np.exp(x.mul(-0.5)))
        return x
      }
      const vg = wrap(valueAndGrad(f))
      return {
        run() {
          const [v, g] = vg(X0.ref)
          return [v.dataSync()[0], g.dataSync()[0]]
        },
        dispose() {
          X0.dispose()
        },
        note: `valueAndGrad, ${note}`,
      }
    },
  }
}

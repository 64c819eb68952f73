// Adapter: wengert's PyTorch facade (`wengert/torch`), the same workloads written as ported
// PyTorch code runs them: tensors with requires_grad, nn.Linear / nn.Conv2d modules, F.* losses,
// optim.SGD, backward() and .grad. Its column against the `wengert` column is the facade's
// overhead over the functional core on the same work (target: within 1.3×).
//
// Like the wengert adapter it imports the built package (run `npm run build` at the root first).

import { readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { gptInputs } from '../lib/common.mjs'

/** An entry (`'.'`, `'./torch'`) of a wengert package root. */
const entryOf = (root, which) => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
  let e = pkg.exports?.[which]
  while (e !== null && typeof e === 'object') e = e.import ?? e.default ?? e.node
  return { file: path.join(root, e), version: pkg.version }
}

// base: the root of another build of wengert (`run.mjs --base=<dir>`): the wengert-torch-base column
export default async function create({ threads, base } = {}) {
  const root = base ?? new URL('../node_modules/wengert', import.meta.url).pathname
  const { file, version: VERSION } = entryOf(root, './torch')
  const torch = await import(pathToFileURL(file).href)
  const W = await import(pathToFileURL(entryOf(root, '.').file).href)
  const { nn, optim } = torch
  const F = nn.functional
  if (threads !== undefined) torch.set_num_threads(threads)
  const t32 = (data, shape) => torch.from_numpy(W.array(data.slice(), { shape, dtype: 'float32' }))
  /** A parameter from flat float32 data. */
  const param = (data, shape) => new nn.Parameter(t32(data, shape))
  /** nn.Linear's (out, in) weight from the workload's (in, out) matrix. */
  const paramT = (data, shape) => new nn.Parameter(t32(data, shape).t().contiguous())
  const flat = (t) => t.detach().contiguous().numpy().toTypedArray()

  const workloads = {
    matmul({ n, a, b }) {
      const A = t32(a, [n, n]),
        B = t32(b, [n, n])
      return { run: () => flat(torch.matmul(A, B)), dispose() {} }
    },

    mlpStep(d) {
      const { B, D, H, C, lr } = d
      const X = t32(d.x, [B, D])
      const Y = torch.tensor(Array.from(d.labels), { dtype: torch.int64 })
      const fc1 = new nn.Linear(D, H)
      const fc2 = new nn.Linear(H, C)
      // nn.Linear keeps weight as (out, in): the workload's W1 is (in, out)
      fc1.weight = paramT(d.W1, [D, H])
      fc1.bias = param(d.b1, [H])
      fc2.weight = paramT(d.W2, [H, C])
      fc2.bias = param(d.b2, [C])
      const params = [fc1.weight, fc1.bias, fc2.weight, fc2.bias]
      const opt = new optim.SGD(params, { lr })
      return {
        run() {
          opt.zero_grad()
          const loss = F.cross_entropy(fc2(F.relu(fc1(X))), Y)
          loss.backward()
          opt.step()
          return loss.item()
        },
        params: () => ({
          W1: flat(fc1.weight.t()),
          b1: flat(fc1.bias),
          W2: flat(fc2.weight.t()),
          b2: flat(fc2.bias),
        }),
        dispose() {},
        note: 'nn.Linear ×2, F.relu, F.cross_entropy, optim.SGD, backward()',
      }
    },

    cnnStep(d) {
      const { B, lr } = d
      const X = t32(d.x, [B, 1, 28, 28])
      const Y = torch.tensor(Array.from(d.labels), { dtype: torch.int64 })
      const conv1 = new nn.Conv2d(1, 32, 3)
      const conv2 = new nn.Conv2d(32, 64, 3)
      const fc1 = new nn.Linear(9216, 128)
      const fc2 = new nn.Linear(128, 10)
      conv1.weight = param(d.w1, [32, 1, 3, 3])
      conv1.bias = param(d.b1, [32])
      conv2.weight = param(d.w2, [64, 32, 3, 3])
      conv2.bias = param(d.b2, [64])
      fc1.weight = paramT(d.w3, [9216, 128])
      fc1.bias = param(d.b3, [128])
      fc2.weight = paramT(d.w4, [128, 10])
      fc2.bias = param(d.b4, [10])
      const mods = [conv1, conv2, fc1, fc2]
      const opt = new optim.SGD(
        mods.flatMap((m) => [m.weight, m.bias]),
        { lr },
      )
      return {
        run() {
          opt.zero_grad()
          const a = F.max_pool2d(F.relu(conv2(F.relu(conv1(X)))), 2)
          const logits = fc2(F.relu(fc1(torch.flatten(a, 1))))
          const loss = F.nll_loss(F.log_softmax(logits, 1), Y)
          loss.backward()
          opt.step()
          return loss.item()
        },
        params: () => ({
          w1: flat(conv1.weight),
          b1: flat(conv1.bias),
          w2: flat(conv2.weight),
          b2: flat(conv2.bias),
          w3: flat(fc1.weight.t()),
          b3: flat(fc1.bias),
          w4: flat(fc2.weight.t()),
          b4: flat(fc2.bias),
        }),
        dispose() {},
        note: 'nn.Conv2d ×2, F.max_pool2d, nn.Linear ×2, F.nll_loss(log_softmax), optim.SGD',
      }
    },

    chain({ steps, x0 }) {
      return {
        run() {
          const x0t = torch.tensor(x0, { requires_grad: true })
          let x = x0t
          for (let s = 0; s < steps; s++) x = x.mul(0.99).add(x.mul(-0.5).exp())
          x.backward()
          return x0t.grad.item()
        },
        dispose() {},
        note: '0-d float32 tensors, backward()',
      }
    },

    ewise({ x }) {
      const X = t32(x, [x.length]).requires_grad_()
      return {
        run() {
          X.grad = null
          torch.tanh(X).mul(X).sum().backward()
          return flat(X.grad)
        },
        dispose() {},
        note: 'tanh(x).mul(x).sum().backward()',
      }
    },

    d2scalar({ x }) {
      return {
        run() {
          const t = torch.tensor(x, { requires_grad: true })
          const [g] = torch.autograd.grad(t.square().mul(t.sin()), [t], { create_graph: true })
          const [g2] = torch.autograd.grad(g, [t])
          return g2.item()
        },
        dispose() {},
        note: 'torch.autograd.grad twice (create_graph)',
      }
    },

    d2tanh({ x }) {
      return {
        run() {
          const t = torch.tensor(x, { requires_grad: true })
          const [g] = torch.autograd.grad(t.mul(t.tanh()), [t], { create_graph: true })
          const [g2] = torch.autograd.grad(g, [t])
          return g2.item()
        },
        dispose() {},
        note: 'torch.autograd.grad twice (create_graph)',
      }
    },

    hvp({ n, A, x, v }) {
      const Am = t32(A, [n, n]),
        V = t32(v, [n, 1])
      return {
        run() {
          const X = t32(x, [n, 1]).requires_grad_()
          const [g] = torch.autograd.grad(torch.sin(Am.matmul(X)).sum(), [X], { create_graph: true })
          const [hv] = torch.autograd.grad(g, [X], { grad_outputs: [V] })
          return flat(hv)
        },
        dispose() {},
        note: 'double backward (reverse-over-reverse), as PyTorch computes an HVP',
      }
    },
  }

  // W8 (issue 18): nanoGPT's model as its model.py writes it (examples/nanogpt/model.ts is TypeScript outside
  // the built package: the same code here in JavaScript), nn.Linear/nn.LayerNorm/nn.Embedding, causal
  // F.scaled_dot_product_attention, F.gelu(tanh), lm_head tied to wte, optim.AdamW with nanoGPT's two groups
  workloads.gptStep = (d) => {
    const { B, T, V, C, L, NH, shapes } = d
    const P = d.params
    const hs = C / NH
    const g = gptInputs(d)
    const idx = torch.tensor(Array.from(g.inputs), { dtype: torch.int64 }).view(B, T)
    const targets = torch.tensor(Array.from(g.targets), { dtype: torch.int64 })
    const pos = torch.arange(0, T, { dtype: torch.int64 })
    const embedding = (k) => {
      const m = new nn.Embedding(...shapes[k])
      m.weight = param(P[k], shapes[k])
      return m
    }
    const layerNorm = (n) => {
      const m = new nn.LayerNorm(C)
      m.weight = param(P[`${n}.w`], [C])
      m.bias = param(P[`${n}.b`], [C])
      return m
    }
    const linear = (n) => {
      const [fin, fout] = shapes[`${n}.W`]
      const m = new nn.Linear(fin, fout)
      m.weight = paramT(P[`${n}.W`], [fin, fout])
      m.bias = param(P[`${n}.b`], [fout])
      return m
    }
    const wte = embedding('wte'),
      wpe = embedding('wpe'),
      lnf = layerNorm('lnf')
    const blocks = Array.from({ length: L }, (_, l) => ({
      ln1: layerNorm(`h${l}.ln1`),
      attn: linear(`h${l}.attn`),
      aproj: linear(`h${l}.aproj`),
      ln2: layerNorm(`h${l}.ln2`),
      fc: linear(`h${l}.fc`),
      mproj: linear(`h${l}.mproj`),
    }))
    const mods = [wte, wpe, lnf, ...blocks.flatMap((b) => Object.values(b))]
    const params = mods.flatMap((m) => [...m.parameters()])
    const { lr, beta1, beta2, eps, weightDecay } = d.adamw
    const opt = new optim.AdamW(
      [
        { params: params.filter((p) => p.dim() >= 2), weight_decay: weightDecay },
        { params: params.filter((p) => p.dim() < 2), weight_decay: 0.0 },
      ],
      { lr, betas: [beta1, beta2], eps },
    )
    const forward = () => {
      let x = wte(idx).add(wpe(pos))
      for (const b of blocks) {
        const [q, k, v] = b
          .attn(b.ln1(x))
          .split(C, 2)
          .map((t) => t.view(B, T, NH, hs).transpose(1, 2))
        const y = F.scaled_dot_product_attention(q, k, v, { is_causal: true })
        x = x.add(b.aproj(y.transpose(1, 2).contiguous().view(B, T, C)))
        x = x.add(b.mproj(F.gelu(b.fc(b.ln2(x)), { approximate: 'tanh' })))
      }
      const logits = F.linear(lnf(x), wte.weight) // lm_head tied to wte
      return F.cross_entropy(logits.view(-1, V), targets)
    }
    return {
      run() {
        const loss = forward()
        opt.zero_grad(true)
        loss.backward()
        opt.step()
        return loss.item()
      },
      dispose() {},
      note: 'nanoGPT model.py in torch.nn (Linear, LayerNorm, Embedding, F.scaled_dot_product_attention), optim.AdamW (2 groups), backward()',
    }
  }

  // W10 (issue 18): an HMC transition on eight schools, the gradient by torch.autograd.grad
  workloads.hmcStep = (d) => {
    const { L, eps, K } = d
    const Y = t32(d.y, [8]),
      S = t32(d.sigma, [8])
    const logp = (q) => {
      const mu = q.select(0, 0)
      const lt = q.select(0, 1),
        tt = q.narrow(0, 2, 8)
      const tau = lt.exp()
      const r = Y.sub(mu).sub(tau.mul(tt)).div(S)
      const prior = mu
        .square()
        .mul(-1 / 50)
        .add(lt)
        .sub(tau.square().div(25).add(1).log())
      return prior.sub(tt.square().add(r.square()).sum().mul(0.5))
    }
    const gradAt = (q) => {
      const x = q.detach().requires_grad_()
      const lp = logp(x)
      const [g] = torch.autograd.grad(lp, [x])
      return [lp.detach(), g]
    }
    const momenta = Array.from({ length: K }, (_, k) => t32(d.momenta.subarray(k * 10, (k + 1) * 10), [10]))
    let q = t32(d.q0, [10])
    let k = 0
    return {
      run() {
        const i = k++ % K
        const p0 = momenta[i]
        const q0 = q
        let [lp, g] = gradAt(q0)
        const h0 = p0.square().sum().mul(0.5).sub(lp)
        let p = p0.add(g.mul(0.5 * eps))
        for (let s = 0; s < L; s++) {
          q = q.add(p.mul(eps))
          ;[lp, g] = gradAt(q)
          p = p.add(g.mul(s === L - 1 ? 0.5 * eps : eps))
        }
        const h1 = p.square().sum().mul(0.5).sub(lp)
        if (!(Math.log(d.uniforms[i]) < h0.sub(h1).item())) q = q0
        return flat(q)
      },
      dispose() {},
      note: `${L} leapfrog steps, torch.autograd.grad(log p, [q]) per step, accept/reject in JavaScript (.item())`,
    }
  }

  return {
    id: base ? 'wengert-torch-base' : 'wengert-torch',
    dtype: 'float32',
    info: {
      library: 'wengert/torch (facade)',
      version: VERSION,
      backend: `TypeScript (${base ? `${base}/` : ''}dist/), facade`,
      threads: torch.get_num_threads(),
    },
    workloads,
    notPeer: true,
  }
}

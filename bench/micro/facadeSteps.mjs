// Micro benchmark for issue 18's facade target: the bench workloads W2 (MLP step), W3 (1000
// chained scalar ops + backward) and W4 (grad of Σ tanh(x)·x over 10⁶ float32), each written on
// the functional core (as bench/adapters/wengert.mjs) and on the facade (as
// bench/adapters/wengert-torch.mjs), run from sources in one process, interleaved rounds; W10 (an
// HMC transition on eight schools: 11 gradients, by valueAndGrad or torch.autograd.grad); plus
// the 10⁵-op chain (W3's step 25,000 times): time, and the memory the graph holds after the
// forward pass (JS heap + ArrayBuffers after a full GC, minus the same before it).
//   node --expose-gc --import tsx bench/micro/facadeSteps.mjs [--base=/other/root] [--only=W3,W4]
//        [--rounds=7] [--ms=400] [--chain=100000] [--threads=N]
// Reports, per workload and tree, the median (and minimum) round's CPU ms per step and facade ÷ core.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { med, opt, rand, roots, time } from './benchCommon.mjs'
import { hmcData } from '../lib/common.mjs'

const only = opt('only', 'W2,W3,W4,C5').split(',')
const rounds = Number(opt('rounds', '7'))
const chainOps = Number(opt('chain', '100000'))

const B = 128,
  D = 784,
  H = 256,
  C = 10,
  LR = 0.01
const labels = Array.from({ length: B }, (_, i) => (i * 7) % C)

/** Core and facade versions of each step over one source tree. */
const stepsOf = (W, torch) => {
  const { array, matmul, add, sub, mul, exp, tanh, relu, sum, logSoftmax, grad, valueAndGrad } = W
  const f32 = (data, shape) => array(data.slice(), { shape, dtype: 'float32' })
  const X = f32(rand(B * D, 0, 1, 1), [B, D])
  const onehot = new Float32Array(B * C)
  for (let i = 0; i < B; i++) onehot[i * C + labels[i]] = 1
  const Y = f32(onehot, [B, C])
  const init = () => [
    rand(D * H, -0.05, 0.05, 2),
    rand(H, -0.01, 0.01, 5),
    rand(H * C, -0.1, 0.1, 3),
    rand(C, -0.01, 0.01, 6),
  ]
  let P = init().map((d, i) => f32(d, [[D, H], [H], [H, C], [C]][i]))
  const loss = (W1, b1, W2, b2) => {
    const h = relu(add(matmul(X, W1), b1))
    return mul(sum(mul(logSoftmax(add(matmul(h, W2), b2)), Y)), -1 / B)
  }
  const vg = valueAndGrad(loss, { argnums: [0, 1, 2, 3] })
  const chainOf = (steps) =>
    grad((x) => {
      for (let s = 0; s < steps; s++) x = add(mul(x, 0.99), exp(mul(x, -0.5)))
      return x
    })
  const x0 = array(0.3, { dtype: 'float32' })
  const chain = chainOf(250)
  const xs = f32(rand(1_000_000, -2, 2, 4), [1_000_000])
  const ewise = grad((t) => sum(mul(tanh(t), t)))
  const hmc = hmcData()
  const hmcCore = () => {
    const { slice, log, square, div } = W
    const Yh = f32(hmc.y, [8]),
      Sh = f32(hmc.sigma, [8])
    const logp = (q) => {
      const mu = slice(q, [0]),
        lt = slice(q, [1]),
        tt = slice(q, [[2, 10]])
      const tau = exp(lt)
      const r = div(sub(sub(Yh, mu), mul(tau, tt)), Sh)
      const prior = sub(add(mul(square(mu), -1 / 50), lt), log(add(mul(square(tau), 1 / 25), 1)))
      return sub(prior, mul(sum(add(square(tt), square(r))), 0.5))
    }
    const hvg = valueAndGrad(logp)
    const q0 = f32(hmc.q0, [10])
    const p0 = f32(hmc.momenta.subarray(0, 10), [10])
    return () => {
      let [lp, g] = hvg(q0)
      let p = add(p0, mul(g, 0.5 * hmc.eps))
      let q = q0
      for (let s = 0; s < hmc.L; s++) {
        q = add(q, mul(p, hmc.eps))
        ;[lp, g] = hvg(q)
        p = add(p, mul(g, s === hmc.L - 1 ? 0.5 * hmc.eps : hmc.eps))
      }
      return lp.item()
    }
  }
  const core = {
    W10: hmcCore(),
    W2: () => {
      const [v, g] = vg(...P)
      P = P.map((p, i) => sub(p, mul(g[i], LR)))
      return v.item()
    },
    W3: () => chain(x0).item(),
    W4: () => ewise(xs).toTypedArray()[0],
    C5: () => chainOf(chainOps / 4)(x0).item(),
  }
  const { nn, optim } = torch
  const F = nn.functional
  const t32 = (data, shape) => torch.from_numpy(f32(data, shape))
  const [w1, b1, w2, b2] = init()
  const fc1 = new nn.Linear(D, H)
  const fc2 = new nn.Linear(H, C)
  fc1.weight = new nn.Parameter(t32(w1, [D, H]).t().contiguous())
  fc1.bias = new nn.Parameter(t32(b1, [H]))
  fc2.weight = new nn.Parameter(t32(w2, [H, C]).t().contiguous())
  fc2.bias = new nn.Parameter(t32(b2, [C]))
  const Xt = torch.from_numpy(X)
  const Yt = torch.tensor(labels, { dtype: torch.int64 })
  const sgd = new optim.SGD([fc1.weight, fc1.bias, fc2.weight, fc2.bias], { lr: LR })
  const Xs = t32(rand(1_000_000, -2, 2, 4), [1_000_000]).requires_grad_()
  const tchain = (steps) => {
    const x0t = torch.tensor(0.3, { requires_grad: true })
    let x = x0t
    for (let s = 0; s < steps; s++) x = x.mul(0.99).add(x.mul(-0.5).exp())
    x.backward()
    return x0t.grad.item()
  }
  const hmcFacade = () => {
    const Yh = t32(hmc.y, [8]),
      Sh = t32(hmc.sigma, [8])
    const logp = (q) => {
      const mu = q.select(0, 0)
      const lt = q.select(0, 1),
        tt = q.narrow(0, 2, 8)
      const tau = lt.exp()
      const r = Yh.sub(mu).sub(tau.mul(tt)).div(Sh)
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
    const q0 = t32(hmc.q0, [10])
    const p0 = t32(hmc.momenta.subarray(0, 10), [10])
    return () => {
      let [lp, g] = gradAt(q0)
      let p = p0.add(g.mul(0.5 * hmc.eps))
      let q = q0
      for (let s = 0; s < hmc.L; s++) {
        q = q.add(p.mul(hmc.eps))
        ;[lp, g] = gradAt(q)
        p = p.add(g.mul(s === hmc.L - 1 ? 0.5 * hmc.eps : hmc.eps))
      }
      return lp.item()
    }
  }
  const facade = {
    W10: hmcFacade(),
    W2: () => {
      sgd.zero_grad()
      const l = F.cross_entropy(fc2(F.relu(fc1(Xt))), Yt)
      l.backward()
      sgd.step()
      return l.item()
    },
    W3: () => tchain(250),
    W4: () => {
      Xs.grad = null
      torch.tanh(Xs).mul(Xs).sum().backward()
      return Xs.grad.detach().contiguous().numpy().toTypedArray()[0]
    },
    C5: () => tchain(chainOps / 4),
  }
  // the memory the 10⁵-op chain's graph holds before its backward pass
  const chainMem = {
    core: () => {
      let kept
      const g = grad((x) => {
        for (let s = 0; s < chainOps / 4; s++) x = add(mul(x, 0.99), exp(mul(x, -0.5)))
        kept = heldBytes()
        return x
      })
      g(x0)
      return kept
    },
    facade: () => {
      let x = torch.tensor(0.3, { requires_grad: true })
      for (let s = 0; s < chainOps / 4; s++) x = x.mul(0.99).add(x.mul(-0.5).exp())
      const kept = heldBytes()
      x.backward()
      return kept
    },
  }
  return { core, facade, chainMem }
}

const used = () => {
  globalThis.gc()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}
let base0 = 0
const heldBytes = () => used() - base0

const builds = []
for (const [name, root] of roots) {
  const W = await import(pathToFileURL(path.join(root, 'src/index.ts')).href)
  const torch = await import(pathToFileURL(path.join(root, 'src/torch/index.ts')).href)
  if (opt('threads', '') !== '') W.setNumThreads(Number(opt('threads', '')))
  builds.push({ name, ...stepsOf(W, torch) })
}

const results = {}
const check = {}
for (let r = 0; r < rounds; r++) {
  for (const w of only) {
    for (const b of builds) {
      for (const side of ['core', 'facade']) {
        const f = b[side][w]
        const v = f()
        const key = `${b.name} ${side} ${w}`
        if (w !== 'W2') check[key] ??= v
        if (w !== 'W2' && v !== check[key]) console.log(`${key}: result changed ${check[key]} -> ${v}`)
        ;((results[w] ??= {})[`${b.name} ${side}`] ??= []).push(time(f, w === 'C5' ? 1 : 5))
      }
    }
  }
}
for (const w of only) {
  const parts = builds.map((b) => {
    const [c, f] = ['core', 'facade'].map((s) => med(results[w][`${b.name} ${s}`].map((x) => x.cpu)))
    const [cw, fw] = ['core', 'facade'].map((s) => med(results[w][`${b.name} ${s}`].map((x) => x.wall)))
    const [cm, fm] = ['core', 'facade'].map((s) => Math.min(...results[w][`${b.name} ${s}`].map((x) => x.cpu)))
    return `${b.name}: core ${c.toFixed(3)} facade ${f.toFixed(3)} cpu ms → ${(f / c).toFixed(2)}× (min ${cm.toFixed(3)} / ${fm.toFixed(3)} → ${(fm / cm).toFixed(2)}×; wall ${cw.toFixed(3)} / ${fw.toFixed(3)} ms → ${(fw / cw).toFixed(2)}×)`
  })
  console.log(`${w}: ${parts.join('  |  ')}`)
}
if (only.includes('C5')) {
  for (const b of builds) {
    const mem = {}
    for (const side of ['core', 'facade']) {
      base0 = used()
      mem[side] = b.chainMem[side]()
    }
    const mb = (x) => (x / 2 ** 20).toFixed(1)
    console.log(
      `C5 memory held by the graph (${b.name}): core ${mb(mem.core)} MB, facade ${mb(mem.facade)} MB → ${(mem.facade / mem.core).toFixed(2)}×`,
    )
  }
}

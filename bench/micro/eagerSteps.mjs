// Micro benchmark for the eager steps of bench workloads W2 (MLP step), W3 (1000 chained scalar
// ops + backward) and W4 (grad of Σ tanh(x)·x over 10⁶ float32), run from sources, so a change
// is measured without a build. Compare two source trees in one process (interleaved rounds, the
// median round per cell is reported with the CPU time per step):
//   npx tsx bench/micro/eagerSteps.mjs [--base=/path/to/other/root] [--only=W4] [--rounds=7]
// The W4 step reads its gradient back (toTypedArray), as the bench adapter does.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { med, opt, rand, roots, time } from './benchCommon.mjs'

const only = opt('only', 'W2,W3,W4').split(',')
const rounds = Number(opt('rounds', '7'))

/** The three steps over one build of wengert (its src/index.ts). */
const stepsOf = (W) => {
  const { array, matmul, add, sub, mul, exp, tanh, relu, sum, logSoftmax, grad, valueAndGrad } = W
  const f32 = (data, shape) => array(data.slice(), { shape, dtype: 'float32' })
  const B = 128,
    D = 784,
    H = 256,
    C = 10
  const X = f32(rand(B * D, 0, 1, 1), [B, D])
  const onehot = new Float32Array(B * C)
  for (let i = 0; i < B; i++) onehot[i * C + (i % C)] = 1
  const Y = f32(onehot, [B, C])
  let P = [f32(rand(D * H, -0.05, 0.05, 2), [D, H]), f32(new Float32Array(H), [H])]
  P.push(f32(rand(H * C, -0.1, 0.1, 3), [H, C]), f32(new Float32Array(C), [C]))
  const loss = (W1, b1, W2, b2) => {
    const h = relu(add(matmul(X, W1), b1))
    return mul(sum(mul(logSoftmax(add(matmul(h, W2), b2)), Y)), -1 / B)
  }
  const vg = valueAndGrad(loss, { argnums: [0, 1, 2, 3] })
  const x0 = array(0.3, { dtype: 'float32' })
  const chain = grad((x) => {
    for (let s = 0; s < 250; s++) x = add(mul(x, 0.99), exp(mul(x, -0.5)))
    return x
  })
  const xs = f32(rand(1_000_000, -2, 2, 4), [1_000_000])
  const ewise = grad((t) => sum(mul(tanh(t), t)))
  return {
    W2: () => {
      const [v, g] = vg(...P)
      P = P.map((p, i) => sub(p, mul(g[i], 0.01)))
      return v.item()
    },
    W3: () => chain(x0).item(),
    W4: () => ewise(xs).toTypedArray()[0],
  }
}

const builds = []
for (const [name, root] of roots) {
  const W = await import(pathToFileURL(path.join(root, 'src/index.ts')).href)
  builds.push({ name, steps: stepsOf(W), check: {} })
}

const results = {}
for (let r = 0; r < rounds; r++) {
  for (const w of only) {
    for (const b of builds) {
      const v = b.steps[w]()
      // W2 updates its parameters (its loss changes each step); W3 and W4 compute the same each call
      if (w !== 'W2') b.check[w] ??= v
      if (w !== 'W2' && v !== b.check[w]) console.log(`${b.name} ${w}: result changed ${b.check[w]} -> ${v}`)
      ;((results[w] ??= {})[b.name] ??= []).push(time(b.steps[w]))
    }
  }
}
for (const w of only) {
  const line = builds.map((b) => {
    const rs = results[w][b.name]
    const cpus = rs.map((x) => x.cpu)
    return `${b.name} ${med(rs.map((x) => x.wall)).toFixed(3)} ms (cpu median ${med(cpus).toFixed(3)}, min ${Math.min(...cpus).toFixed(3)})`
  })
  const [a, z] = builds.map((b) => med(results[w][b.name].map((x) => x.cpu)))
  const [a0, z0] = builds.map((b) => Math.min(...results[w][b.name].map((x) => x.cpu)))
  const ratio = builds.length === 2 ? `  base/new cpu: median ${(a / z).toFixed(2)}×, min ${(a0 / z0).toFixed(2)}×` : ''
  const same = builds.length === 2 && w !== 'W2' ? `  same result: ${builds[0].check[w] === builds[1].check[w]}` : ''
  console.log(`${w}: ${line.join('  |  ')}${ratio}${same}`)
}

// The W6 CNN training step (bench/lib/common.mjs) on the source tree, for profiling and
// before/after checks of the convolution kernels without a build.
//   npx tsx bench/micro/cnn.mjs [--steps=10] [--threads=N]
//   node --cpu-prof --import tsx bench/micro/cnn.mjs      (profile)
// Prints the median step time and the max relative error of the first step vs the float64 reference.
import {
  array,
  add,
  sub,
  mul,
  relu,
  sum,
  matmul,
  logSoftmax,
  reshape,
  valueAndGrad,
  lax,
  setNumThreads,
} from '../../src/index.ts'
import { cnnData, REFERENCE, CHECK, CNN_PARAMS, median } from '../lib/common.mjs'

const args = process.argv.slice(2)
const opt = (k, d) => Number((args.find((a) => a.startsWith(`--${k}=`)) ?? `=${d}`).split('=')[1])
const STEPS = opt('steps', 10)
if (args.some((a) => a.startsWith('--threads='))) setNumThreads(opt('threads', 2))

const d = cnnData()
const { B, lr } = d
const f32 = (data, shape) => array(data.slice(), { shape, dtype: 'float32' })
const X = f32(d.x, [B, 1, 28, 28])
const onehot = new Float32Array(B * 10)
for (let i = 0; i < B; i++) onehot[i * 10 + d.labels[i]] = 1
const Y = array(onehot, { shape: [B, 10], dtype: 'float32' })
const shapes = [[32, 1, 3, 3], [32], [64, 32, 3, 3], [64], [9216, 128], [128], [128, 10], [10]]
let P = CNN_PARAMS.map((k, i) => f32(d[k], shapes[i]))
const bias = (b, c) => reshape(b, [1, c, 1, 1])
const loss = (w1, b1, w2, b2, w3, b3, w4, b4) => {
  const a1 = relu(add(lax.conv(X, w1, [1, 1], 'VALID'), bias(b1, 32)))
  const a2 = relu(add(lax.conv(a1, w2, [1, 1], 'VALID'), bias(b2, 64)))
  const p = lax.reduceWindow(a2, -Infinity, 'max', [1, 1, 2, 2], [1, 1, 2, 2], 'VALID')
  const h = relu(add(matmul(reshape(p, [B, 9216]), w3), b3))
  return mul(sum(mul(logSoftmax(add(matmul(h, w4), b4)), Y)), -1 / B)
}
const vg = valueAndGrad(loss, { argnums: [0, 1, 2, 3, 4, 5, 6, 7] })
const step = () => {
  const [value, grads] = vg(...P)
  P = P.map((p, i) => sub(p, mul(grads[i], lr)))
  return value.item()
}
const l0 = step()
const params = Object.fromEntries(CNN_PARAMS.map((k, i) => [k, P[i].toTypedArray()]))
const err = CHECK.cnnStep({ loss: l0, params }, REFERENCE.cnnStep(d))
const times = []
for (let s = 0; s < STEPS; s++) {
  const t = performance.now()
  step()
  times.push(performance.now() - t)
}
console.log(
  `W6 step: median ${median(times).toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}) over ${STEPS}; first-step relErr ${err.toExponential(1)}`,
)

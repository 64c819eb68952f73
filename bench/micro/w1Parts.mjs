// Where W1's eager call (C = A·B float32, `matmul(A, B).toTypedArray()`) spends its time beyond the
// gemm itself: the gemm into a reused output, the core matmul (a fresh output), the copy out, and
// the PyTorch facade's torch.matmul with its `.numpy().toTypedArray()`, in interleaved rounds
// (minimum and low percentiles; `--clock=cpu` for CPU time), then each call's amortised CPU and
// wall time over 100 calls in a row.
//   npx tsx bench/micro/w1Parts.mjs [--n=256] [--threads=1] [--rounds=100] [--clock=cpu]
import * as W from '../../src/index.ts'
import * as torch from '../../src/torch/index.ts'
import { gemm } from '../../src/ndarray/kernels/gemm.ts'
import { opt, rand, reportRounds } from './benchCommon.mjs'

const n = Number(opt('n', '256'))
const threads = Number(opt('threads', '1'))
W.setNumThreads(threads)
const [a, b] = [rand(n * n, -1, 1, 1), rand(n * n, -1, 1, 2)]
const f32 = (d) => W.array(d.slice(), { shape: [n, n], dtype: 'float32' })
const [A, B] = [f32(a), f32(b)]
const [tA, tB] = [torch.from_numpy(f32(a)), torch.from_numpy(f32(b))]
const c = new Float32Array(n * n)
const cells = [
  ['gemm, reused C', () => gemm(false, false, n, n, n, a, 0, b, 0, c, 0, 0)],
  ['matmul', () => W.matmul(A, B)],
  ['matmul+copy', () => W.matmul(A, B).toTypedArray()],
  ['torch+copy', () => torch.matmul(tA, tB).detach().contiguous().numpy().toTypedArray()],
]
for (const [, f] of cells) for (const t0 = performance.now(); performance.now() - t0 < 1000;) f()
reportRounds(cells, Number(opt('rounds', '100')), (k) => `W1 ${n} ${k.padEnd(14)} ${threads} thread(s)`)
const cpu = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
for (const [k, f] of cells) {
  const [c0, t0] = [cpu(), performance.now()]
  for (let i = 0; i < 100; i++) f()
  const [dc, dt] = [(cpu() - c0) / 100, (performance.now() - t0) / 100]
  console.log(`W1 ${n} ${k.padEnd(14)} amortised over 100 calls: CPU ${dc.toFixed(3)} ms, wall ${dt.toFixed(3)} ms`)
}
process.exit(0)

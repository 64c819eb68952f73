// Where eager W4's time goes (gradient of Σ tanh(x)·x over 10⁶ float32): the whole call, eager
// and under jit, with and without the benchmark's read-back (`toTypedArray`), against its parts —
// the fused WebAssembly chain that computes the gradient (staging copies and SIMD loop) into an
// output it reuses or a fresh one, the read-back copy alone, a fresh 4 MB buffer written once,
// a 4 MB copy into memory already mapped, and the chain's loop alone on operands resident in
// WebAssembly memory (what an arena that kernels read and write in place would leave). Per cell: CPU time of the process (every thread,
// page-fault handling included) as minimum / p10 / median over interleaved rounds, the wall-time
// median, minor page faults per call (Linux /proc; 0 elsewhere) and fresh buffers of ≥ 64 KiB
// per call (buffers the library allocates and ArrayBuffers constructed; typed-array copies such
// as the read-back are not counted). Cells run interleaved, in this order, every round.
//
// A fresh 4 MB buffer is ~620-930 page faults whenever the C allocator has given the memory of
// earlier, collected buffers back to the system; how often that happens depends on the
// allocator's state, so compare runs with the same cells in the same order. With
// GLIBC_TUNABLES=glibc.malloc.trim_threshold=268435456:glibc.malloc.mmap_threshold=33554432
// (or glibc.malloc.hugetlb=1) the freed memory stays mapped and the faults disappear: the
// remaining times are the computation's.
//   npx tsx bench/micro/w4Parts.mjs [--base=/path/to/other/root] [--threads=1] [--rounds=40]
import fs from 'node:fs'
import path from 'node:path'
import { Buffer } from 'node:buffer'
import { pathToFileURL } from 'node:url'
import { opt, rand, roots } from './benchCommon.mjs'

const n = 1_000_000
const rounds = Number(opt('rounds', '40'))
const threads = Number(opt('threads', '1'))

let fresh = 0
const noteFresh = (bytes) => {
  if (bytes >= 65536) fresh++
}
const AB = globalThis.ArrayBuffer
globalThis.ArrayBuffer = new Proxy(AB, {
  construct(target, args, newTarget) {
    noteFresh(Number(args[0] ?? 0))
    return Reflect.construct(target, args, newTarget)
  },
})
const allocUnsafeSlow = Buffer.allocUnsafeSlow
Buffer.allocUnsafeSlow = (size) => {
  noteFresh(size)
  return allocUnsafeSlow(size)
}
/** Minor page faults of this process so far (Linux), else 0. */
const faults = () => {
  try {
    const st = fs.readFileSync('/proc/self/stat', 'utf8')
    return Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[7])
  } catch {
    return 0
  }
}
const cpuMs = () => {
  const c = process.cpuUsage()
  return (c.user + c.system) / 1000
}

// W4's gradient chain as the backward sweep fuses it: t = tanh(x), g·x, g·t, tanh'(t)·(g·x), sum
const CHAIN = {
  arrays: 1,
  scalars: 1,
  steps: [
    { op: 'tanh', args: [0] },
    { op: 'mul', args: [1, 0] },
    { op: 'mul', args: [1, 2] },
    { op: 'tanhBackward', args: [2, 3] },
    { op: 'add', args: [4, 5] },
  ],
  outputs: [6],
}

const d = rand(n, -2, 2, 4)
const cells = []
for (const [name, root] of roots) {
  const load = (p) => import(pathToFileURL(path.join(root, p)).href)
  const W = await load('src/index.ts')
  const T = await load('src/ndarray/kernels/wasm/threads.ts')
  const FL = await load('src/ndarray/kernels/wasm/fusedLoop.ts')
  const D = await load('src/ndarray/dtype.ts')
  T.setNumThreads(threads)
  const xs = W.array(d.slice(), { shape: [n], dtype: 'float32' })
  const g = W.grad((t) => W.sum(W.mul(W.tanh(t), t)))
  const gj = W.jit(g)
  const kernel = FL.fusedKernel(CHAIN)
  const out = new Float32Array(n)
  const held = g(xs)
  // the chain's loop on operands that already live in WebAssembly memory (an arena's best case:
  // no staging copy in or out), in a private memory: x, then the scalar, then the result
  const mem = new WebAssembly.Memory({ initial: Math.ceil((8 * n + 256) / 65536) })
  const run = new WebAssembly.Instance(new WebAssembly.Module(FL.buildFusedModule(CHAIN)), { env: { memory: mem } })
    .exports.run
  const sAt = 4 * n + 64
  const outAt = sAt + 64
  new Float32Array(mem.buffer, 0, n).set(d)
  new Float32Array(mem.buffer, sAt, 1)[0] = 1
  cells.push(
    [`${name} eager`, () => g(xs)],
    [`${name} eager+readback`, () => g(xs).toTypedArray()],
    [`${name} jit`, () => gj(xs)],
    [`${name} jit+readback`, () => gj(xs).toTypedArray()],
    [`${name} chain, reused out`, () => kernel([d], [1], [out])],
    [`${name} chain, fresh out`, () => kernel([d], [1], [D.allocateUninit('float32', n)])],
    [`${name} chain, resident`, () => run(n, 0, sAt, outAt)],
    [`${name} readback alone`, () => held.toTypedArray()],
  )
}
cells.push(
  ['4 MB fresh, written', () => new Float32Array(allocUnsafeSlow(4 * n).buffer, 0, n).fill(1)],
  ['4 MB copy, mapped', () => cells.copyTarget.set(d)],
)
cells.copyTarget = new Float32Array(n)

for (let i = 0; i < 5; i++) {
  for (const [, f] of cells) f()
  await new Promise((r) => setTimeout(r, 50)) // helper threads boot
}
const stats = new Map(cells.map(([k]) => [k, { cpu: [], wall: [], faults: 0, fresh: 0 }]))
for (let r = 0; r < rounds; r++)
  for (const [k, f] of cells) {
    const s = stats.get(k)
    const f0 = faults()
    const a0 = fresh
    const w0 = performance.now()
    const c0 = cpuMs()
    f()
    s.cpu.push(cpuMs() - c0)
    s.wall.push(performance.now() - w0)
    s.faults += faults() - f0
    s.fresh += fresh - a0
  }
const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))].toFixed(2)
console.log(`W4 parts, ${threads} thread(s), ${rounds} rounds; CPU ms min / p10 / median, wall median, per call`)
for (const [k, s] of stats)
  console.log(
    `${k.padEnd(28)} CPU ${q(s.cpu, 0)} / ${q(s.cpu, 0.1)} / ${q(s.cpu, 0.5)}  wall ${q(s.wall, 0.5)}  ` +
      `faults ${(s.faults / rounds).toFixed(0)}  fresh ≥64K ${(s.fresh / rounds).toFixed(1)}`,
  )

// Helpers shared by the micro benchmarks that compare source trees in one process
// (eagerSteps.mjs, facadeSteps.mjs): `--key=value` options, the trees to load (this one as
// 'new', `--base=` as 'base'), a seeded float32 generator, per-call timing and the median.
import path from 'node:path'

const args = process.argv.slice(2)
/** The value of `--k=value` on the command line, else `d`. */
export const opt = (k, d) => (args.find((a) => a.startsWith(`--${k}=`)) ?? `=${d}`).split('=')[1]
const here = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
/** [name, root] of each source tree to measure: `--base=` (if given) first, then this tree. */
export const roots = [['new', here]]
if (opt('base', '') !== '') roots.unshift(['base', path.resolve(opt('base', ''))])

/** `n` float32 values in [lo, hi) from a linear congruential generator seeded with `seed`. */
export const rand = (n, lo, hi, seed) => {
  let s = seed >>> 0
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    out[i] = lo + ((hi - lo) * s) / 2 ** 32
  }
  return out
}

/** Wall and CPU ms per call over ~`--ms` (default 400) of calls, at least `min` (after up to 3 warm-up calls). */
export const time = (f, min = 5) => {
  for (let i = 0; i < Math.min(3, min); i++) f()
  const t0 = performance.now(),
    c0 = process.cpuUsage()
  let n = 0
  while (n < min || performance.now() - t0 < Number(opt('ms', '400'))) {
    f()
    n++
  }
  const c = process.cpuUsage(c0)
  return { wall: (performance.now() - t0) / n, cpu: (c.user + c.system) / 1000 / n }
}

/** The median (upper middle) of `xs`. */
export const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]

/**
 * Times each cell's call (`[name, f]`) one call at a time over `rounds` interleaved rounds and
 * prints, per cell, `label(name)` with the minimum and low percentiles in ms (on a shared machine
 * the minimum is the closest to a quiet run; medians there mostly measure the neighbours). With
 * `--clock=cpu` the times are the process's CPU time per call (every thread: helpers and the
 * garbage collector included), which a loaded machine inflates far less than wall time.
 */
export const reportRounds = (cells, rounds, label) => {
  const times = {}
  const cpu = opt('clock', 'wall') === 'cpu'
  const now = cpu
    ? () => {
        const c = process.cpuUsage()
        return (c.user + c.system) / 1000
      }
    : () => performance.now()
  for (let r = 0; r < rounds; r++)
    for (const [k, f] of cells) {
      const t0 = now()
      f()
      ;(times[k] ??= []).push(now() - t0)
    }
  for (const [k, v] of Object.entries(times)) {
    v.sort((a, b) => a - b)
    const p = (q) => v[Math.floor(q * (v.length - 1))].toFixed(2)
    console.log(`${label(k)}: min ${p(0)} ms, p10 ${p(0.1)}, p25 ${p(0.25)}, median ${p(0.5)}`)
  }
}

/** W1's product of two n×n float32 arrays (the bench's data), as a thunk. */
export const matmulOf = (W, n) => {
  const A = W.array(rand(n * n, -1, 1, 1), { shape: [n, n], dtype: 'float32' })
  const B = W.array(rand(n * n, -1, 1, 2), { shape: [n, n], dtype: 'float32' })
  return () => W.matmul(A, B).toTypedArray()
}
/** W2's MLP step (eager valueAndGrad + SGD, the bench's data and sizes), as a thunk returning the loss. */
export const mlpOf = (W) => {
  const [B, D, H, C, lr] = [128, 784, 256, 10, 0.1]
  const f32 = (data, shape) => W.array(data, { shape, dtype: 'float32' })
  const onehot = new Float32Array(B * C)
  for (let i = 0; i < B; i++) onehot[i * C + ((i * 7) % C)] = 1
  const X = f32(rand(B * D, 0, 1, 1), [B, D])
  const Y = f32(onehot, [B, C])
  const loss = (W1, b1, W2, b2) => {
    const h = W.relu(W.add(W.matmul(X, W1), b1))
    return W.mul(W.sum(W.mul(W.logSoftmax(W.add(W.matmul(h, W2), b2)), Y)), -1 / B)
  }
  const vg = W.valueAndGrad(loss, { argnums: [0, 1, 2, 3] })
  const init = [rand(D * H, -0.08, 0.08, 2), rand(H, -0.1, 0.1, 5), rand(H * C, -0.15, 0.15, 3), rand(C, -0.1, 0.1, 6)]
  const shapes = [[D, H], [H], [H, C], [C]]
  let P = init.map((d, i) => f32(d, shapes[i]))
  return () => {
    const [value, grads] = vg(...P)
    P = P.map((p, i) => W.sub(p, W.mul(grads[i], lr)))
    return value.item()
  }
}
/** W4's gradient of Σ tanh(x)·x over 10⁶ float32 (the bench's data), eager or under `jit`, as a thunk. */
export const ewiseOf = (W, useJit = false) => {
  const X = W.array(rand(1_000_000, -2, 2, 4), { shape: [1_000_000], dtype: 'float32' })
  const g0 = W.grad((x) => W.sum(W.mul(W.tanh(x), x)))
  const g = useJit ? W.jit(g0) : g0
  return () => g(X).toTypedArray()
}

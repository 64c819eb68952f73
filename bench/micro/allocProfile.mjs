// V8's sampling heap profiler over a number of calls, counting collected objects too: the shared
// part of the allocation micro benches (w3Alloc, w3FacadeAlloc, gradAlloc). Byte counts are
// reliable on a busy machine where times are not.
import inspector from 'node:inspector'

/** The key of a profile node: function, the last two path parts of its file, line (and column). */
const keyOf = (f, column) =>
  `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}${column ? `:${f.columnNumber}` : ''}`

/**
 * Samples the allocations of `run()` (which makes the calls to measure): bytes in all, and by
 * allocating function — `self` (its own allocations; inlined callees count as their caller) and
 * `incl` (with everything below it).
 */
export const allocationProfile = async (run, { interval = 64, column = true } = {}) => {
  const s = new inspector.Session()
  s.connect()
  const post = (m, p) => new Promise((res, rej) => s.post(m, p, (e, r) => (e ? rej(e) : res(r))))
  await post('HeapProfiler.enable')
  await post('HeapProfiler.startSampling', {
    samplingInterval: interval,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  })
  run()
  const { profile } = await post('HeapProfiler.stopSampling')
  const self = new Map()
  const incl = new Map()
  let total = 0
  const walk = (n, stack) => {
    const k = keyOf(n.callFrame, column)
    self.set(k, (self.get(k) ?? 0) + n.selfSize)
    total += n.selfSize
    const st = new Set(stack).add(k)
    for (const kk of st) incl.set(kk, (incl.get(kk) ?? 0) + n.selfSize)
    for (const c of n.children) walk(c, st)
  }
  walk(profile.head, new Set())
  return { total, self, incl }
}

/** The `n` largest entries of a by-function map, each as bytes per unit (`per` units in all). */
export const topLines = (m, n, per, digits = 0) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${(v / per).toFixed(digits).padStart(7)} B ${k}`)

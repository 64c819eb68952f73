/**
 * The number of threads the large kernels use (`setNumThreads`, `getNumThreads`), apart from the
 * pool that runs them (`./threads`), so that the public declarations of these two functions need
 * no WebAssembly types.
 *
 * @category kernels
 * @since 0.1.0
 */
import { ValueError } from '../../errors'

/** The parts of Node's `worker_threads` the pool uses. */
export interface NodeWorker {
  unref(): void
  terminate(): Promise<number>
  on(event: 'error', listener: (err: unknown) => void): void
}
/** Node's `worker_threads` module, as far as the pool uses it. */
export interface WorkerThreads {
  Worker: new (source: string, options: { eval: boolean; workerData: unknown }) => NodeWorker
}
interface NodeOs {
  availableParallelism?: () => number
  cpus(): ReadonlyArray<unknown>
}

/** A Node built-in module, or undefined outside Node (or before 20.16). */
export const builtin = <T>(id: string): T | undefined => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  try {
    return proc?.getBuiltinModule?.(id) as T | undefined
  } catch {
    return undefined
  }
}

/** Most threads a pool starts by default (the calling thread included). */
export const DEFAULT_MAX_THREADS = 8

const defaultThreads = (): number => {
  const os = builtin<NodeOs>('node:os')
  if (os === undefined || builtin<WorkerThreads>('node:worker_threads') === undefined) return 1
  const n = os.availableParallelism?.() ?? os.cpus().length
  return Math.max(1, Math.min(DEFAULT_MAX_THREADS, n))
}

let numThreads: number | undefined

/** Called with the new count by `setNumThreads` (the pools resize their helpers). */
const listeners: Array<(n: number) => void> = []

/** Registers a listener for `setNumThreads`. */
export const onThreadCountChange = (listener: (n: number) => void): void => {
  listeners.push(listener)
}

/**
 * Sets how many threads the large kernels (gemm) use, the calling thread included; 1 runs
 * everything on the calling thread. Default: the machine's available parallelism (at most 8)
 * under Node, 1 elsewhere. Lowering it stops the helpers at once; raising it starts them on the
 * next large kernel call. Results are the same for every count. PyTorch: torch.set_num_threads.
 *
 * @example
 * import { setNumThreads, getNumThreads } from 'wengert'
 * const before = getNumThreads()
 * setNumThreads(1)
 * assert.strictEqual(getNumThreads(), 1)
 * setNumThreads(before)
 * @category ndarray
 * @since 0.1.0
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`setNumThreads: expected a positive integer, got ${n}`)
  numThreads = n
  for (const listener of listeners) listener(n)
}

/**
 * The number of threads the large kernels use (see `setNumThreads`).
 *
 * @example
 * import { getNumThreads } from 'wengert'
 * assert.ok(Number.isInteger(getNumThreads()) && getNumThreads() >= 1)
 * @category ndarray
 * @since 0.1.0
 */
export function getNumThreads(): number {
  if (numThreads === undefined) numThreads = defaultThreads()
  return numThreads
}

/**
 * File access for checkpoints: Node's `fs`, reached through `process.getBuiltinModule` so that
 * nothing here imports a Node module (in a browser, pass and receive bytes instead). Writes go to
 * a temporary file in the same folder, renamed over the target only once complete.
 *
 * @category torch
 * @since 0.2.0
 */
import { RuntimeError } from '../errors'

/** The part of Node's `fs` used here. */
interface Fs {
  readFileSync(path: string): Uint8Array
  writeFileSync(path: string, data: Uint8Array): void
  renameSync(from: string, to: string): void
  rmSync(path: string, opts: { force: boolean }): void
}

const fs = (fn: string): Fs => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  const m = proc?.getBuiltinModule?.('node:fs') as Fs | undefined
  if (m === undefined)
    throw new RuntimeError(
      `${fn}: file paths need Node.js; in a browser, save to bytes (omit the path) and load from bytes`,
    )
  return m
}

/** The bytes of the file at `path`. */
export const readFile = (fn: string, path: string): Uint8Array => fs(fn).readFileSync(path)

/** Writes `data` to `path` atomically (temporary file, then rename). */
export const writeFileAtomic = (fn: string, path: string, data: Uint8Array): void => {
  const f = fs(fn)
  const tmp = `${path}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`
  try {
    f.writeFileSync(tmp, data)
    f.renameSync(tmp, path)
  } catch (e) {
    f.rmSync(tmp, { force: true })
    throw e
  }
}

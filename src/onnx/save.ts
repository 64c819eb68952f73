/**
 * `saveOnnx`: writes an exported model to a file in Node, atomically.
 *
 * @category onnx
 * @since 0.2.0
 */
import { exportOnnx, type ExportOnnxOptions } from './exportOnnx'

/**
 * Exports `f` as {@link exportOnnx} does and writes the model to `path` (Node only): the bytes go
 * to a temporary file beside it that is then renamed over `path`, so a reader never sees a
 * partial model and an existing file is replaced whole. Returns the bytes written.
 *
 * @example
 * import { array, exp, type NdArray } from 'wengert'
 * import { saveOnnx } from 'wengert/onnx'
 * import { mkdtempSync, readFileSync } from 'node:fs'
 * import { tmpdir } from 'node:os'
 * import { join } from 'node:path'
 * const path = join(mkdtempSync(join(tmpdir(), 'onnx-')), 'exp.onnx')
 * const bytes = await saveOnnx((x: NdArray) => exp(x), [array([1, 2])], { path })
 * assert.deepStrictEqual(new Uint8Array(readFileSync(path)), bytes)
 * @category onnx
 * @since 0.2.0
 */
export const saveOnnx = async <A extends readonly unknown[]>(
  f: (...args: A) => unknown,
  exampleArgs: A,
  options: ExportOnnxOptions & { readonly path: string },
): Promise<Uint8Array> => {
  const bytes = exportOnnx(f, exampleArgs, options)
  await writeAtomic(options.path, bytes)
  return bytes
}

/** The part of Node's `fs/promises` that {@link writeAtomic} uses. */
interface FsPromises {
  writeFile(path: string, data: Uint8Array): Promise<void>
  rename(from: string, to: string): Promise<void>
  rm(path: string, options: { readonly force: boolean }): Promise<void>
}

/**
 * NOTE: named through a variable so that neither bundlers nor the declaration build (which has no
 * Node types) resolve it: only Node, at the time of the call, loads it.
 */
const FS_MODULE = 'node:fs/promises'

/** Writes `bytes` to `path` through a temporary file in the same folder and a rename. */
export const writeAtomic = async (path: string, bytes: Uint8Array): Promise<void> => {
  const fs = (await import(FS_MODULE)) as FsPromises
  const tmp = `${path}.${Date.now().toString(36)}${Math.random().toString(36).slice(2)}.tmp`
  try {
    await fs.writeFile(tmp, bytes)
    await fs.rename(tmp, path)
  } catch (e) {
    await fs.rm(tmp, { force: true })
    throw e
  }
}

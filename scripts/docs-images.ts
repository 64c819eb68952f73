/**
 * The pictures in the README and docs/, drawn from real tapes by `toSvg` so they stay true:
 * `npm run docs:images` writes docs/img/*.svg; test/docs-images.test.ts fails when one is out of
 * date.
 */
import { writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { array, grad, makeTape, mul, sin, sum, type NdArray } from '../src/index'
import { toSvg } from '../src/viz/index'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** The README's picture: the tape of `grad(f)` for f(x) = Σ sin(x)·x, as `makeTape` records it. */
const gradTape = async (): Promise<string> => {
  const f = (x: NdArray) => sum(mul(sin(x), x))
  const tape = makeTape(grad(f))(array([0.5, 1, 2]))
  return toSvg(tape, { inputNames: ['x'], outputNames: ['∇f(x)'], rankdir: 'LR' })
}

/** Every picture: its path under the repository and how it is drawn. */
export const IMAGES: ReadonlyArray<{ readonly path: string; readonly draw: () => Promise<string> }> = [
  { path: 'docs/img/grad-tape.svg', draw: gradTape },
]

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const { path, draw } of IMAGES) {
    writeFileSync(join(ROOT, path), await draw())
    console.error(`docs-images: wrote ${path}`)
  }
}

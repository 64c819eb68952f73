/**
 * The published package works outside the sources: the build (tsc + scripts/esm-specifiers.mjs)
 * emits ES modules that plain Node can import through the three package entry points.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '..')
// inside the project, so the emitted files resolve fp-ts from its node_modules (gitignored)
mkdirSync(join(ROOT, 'test', '.dist'), { recursive: true })
const OUT = mkdtempSync(join(ROOT, 'test', '.dist', 'build-'))

afterAll(() => rmSync(OUT, { recursive: true, force: true }))

describe('the built package', () => {
  it('builds and its entry points import in plain Node', () => {
    // Arrange: build into a temporary folder, as `npm run build` does into dist/
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', OUT],
      { cwd: ROOT, stdio: 'pipe' },
    )
    execFileSync(process.execPath, [join(ROOT, 'scripts/esm-specifiers.mjs'), OUT], { cwd: ROOT, stdio: 'pipe' })
    // Act: a separate Node process (no vitest/tsx resolution) imports the three entries
    const url = (p: string): string => pathToFileURL(join(OUT, p)).href
    const script = `
      const w = await import(${JSON.stringify(url('src/index.js'))})
      const torch = await import(${JSON.stringify(url('src/torch/index.js'))})
      const laws = await import(${JSON.stringify(url('laws/index.js'))})
      const g = w.grad((x) => w.sum(w.mul(x, x)))(w.array([1, 2, 3])).toArray()
      const a = torch.tensor([1, 2, 3], { requires_grad: true }); a.pow(2).sum().backward()
      // a product large enough for the helper threads, once they have booted; the process must
      // still exit by itself (the helpers do not keep it alive)
      w.setNumThreads(2)
      const x = w.reshape(w.sin(w.arange(0, 512 * 512, 1, { dtype: 'float32' })), [512, 512])
      let threaded
      for (let i = 0; i < 200 && threaded === undefined; i++) {
        w.matmul(x, x)
        await new Promise((r) => setTimeout(r, 25))
        if (i > 4) threaded = w.matmul(x, x).toArray()
      }
      w.setNumThreads(1)
      const same = JSON.stringify(threaded) === JSON.stringify(w.matmul(x, x).toArray())
      w.setNumThreads(2)
      w.matmul(x, x)
      console.log(JSON.stringify({ g, t: a.grad.tolist(), laws: typeof laws.lawsFor, same }))`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    })
    // Assert: d/dx Σx² = 2x in both APIs; threads change no bit of a product
    expect(JSON.parse(out)).toEqual({ g: [2, 4, 6], t: [2, 4, 6], laws: 'function', same: true })
  }, 120_000)
})

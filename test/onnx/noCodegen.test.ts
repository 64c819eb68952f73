/**
 * The exporter (and its protobuf encoding) runs where code generation from strings is forbidden
 * (a Content-Security-Policy without `unsafe-eval`; Node's --disallow-code-generation-from-strings).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { expect, it } from 'vitest'

const ROOT = resolve(__dirname, '../..')

it('exportOnnx works under --disallow-code-generation-from-strings', () => {
  // inside the repository (gitignored), so the package's "type": "module" applies to the script
  mkdirSync(join(ROOT, 'test/.examples'), { recursive: true })
  const dir = mkdtempSync(join(ROOT, 'test/.examples/onnx-nocodegen-'))
  const script = join(dir, 'run.ts')
  writeFileSync(
    script,
    `import { array, grad, mul, sin, sum, type NdArray } from ${JSON.stringify(join(ROOT, 'src/index.ts'))}
import { exportOnnx } from ${JSON.stringify(join(ROOT, 'src/onnx/index.ts'))}
let blocked = false
try { new Function('return 1')() } catch { blocked = true }
const bytes = exportOnnx(grad((x: NdArray) => sum(mul(sin(x), x))), [array([1, 2, 3])])
console.log(JSON.stringify({ blocked, n: bytes.length }))`,
  )
  const out = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '--import', 'tsx', script], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { blocked: boolean; n: number }
  expect(r.blocked).toBe(true)
  expect(r.n).toBeGreaterThan(100)
})

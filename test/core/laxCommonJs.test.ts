/**
 * The `lax` namespace is complete inside the primitive families under a CommonJS loader too:
 * tsx (esbuild) running a script outside this package turns every module into CommonJS and hands
 * each family, which imports `lax` while `lax` is still loading, a copy of its exports taken then.
 * With `export *` re-exports that copy lacked the primitives, and backward passes raised
 * `lax.broadcastInDim is not a function` / `lax.reshape is not a function` (found by the difftest).
 * Expected gradients are the mathematics: d/dx Σ (scatter_add(x, i, s))² = 2·y at x's places.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

it('backward through reduce_sum and scatter_add works when the modules are loaded as CommonJS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wengert-cjs-'))
  const script = join(dir, 'run.ts')
  writeFileSync(
    script,
    [
      `import * as torch from ${JSON.stringify(join(root, 'src/torch/index.ts'))}`,
      `const x = torch.tensor([[1, 2], [3, 4]], { dtype: torch.float64, requires_grad: true })`,
      `const s = torch.tensor([[5, 6], [7, 8]], { dtype: torch.float64, requires_grad: true })`,
      `const i = torch.tensor([[0, 0], [1, 0]], { dtype: torch.int64 })`,
      `x.scatter_add(0, i, s).pow(2).sum().backward()`,
      `console.log(JSON.stringify([x.grad?.tolist(), s.grad?.tolist()]))`,
    ].join('\n'),
  )
  const r = spawnSync(join(root, 'node_modules/.bin/tsx'), [script], { cwd: dir, encoding: 'utf8' })
  expect(r.stderr).toBe('')
  // y = [[1 + 5, 2 + 6 + 8], [3 + 7, 4]]; x̄ = 2y, s̄ = 2y at the place each s entry was added to
  expect(JSON.parse(r.stdout)).toEqual([
    [
      [12, 32],
      [20, 8],
    ],
    [
      [12, 32],
      [20, 32],
    ],
  ])
}, 60_000)

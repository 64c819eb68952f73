import { defineConfig } from 'vitest/config'
import { fileURLToPath } from 'node:url'
import { availableParallelism } from 'node:os'

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url))

export default defineConfig({
  resolve: {
    alias: [
      { find: /^wengert\/torch$/, replacement: here('./src/torch/index.ts') },
      { find: /^wengert\/laws$/, replacement: here('./laws/index.ts') },
      { find: /^wengert\/viz$/, replacement: here('./src/viz/index.ts') },
      { find: /^wengert\/onnx$/, replacement: here('./src/onnx/index.ts') },
      { find: /^wengert$/, replacement: here('./src/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // packs, installs and type-checks the package (~2 min): `npm run test:package` (vitest.package.config.ts);
    // headless Chromium on the built package: `npm run test:browser` (vitest.browser.config.ts)
    exclude: ['**/node_modules/**', 'test/package.test.ts', 'test/browser/**'],
    // type tests (expectTypeOf) in test/types/*.test-d.ts run through the compiler (STYLE C15)
    typecheck: { enabled: true, include: ['test/types/**/*.test-d.ts'] },
    testTimeout: 60_000,
    // FC_SEED pins fast-check's seed (CI); unset, every run draws new inputs
    setupFiles: ['test/setup/fastCheckSeed.ts'],
    pool: 'threads',
    // every core: vitest's default in run mode is one worker fewer than the cores, i.e. one worker on
    // the 2-core CI machine, which left a core idle (CI 20.6 min quiet, vitest 16.5 of it)
    maxWorkers: Math.max(2, availableParallelism()),
  },
})

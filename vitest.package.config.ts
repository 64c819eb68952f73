import { defineConfig } from 'vitest/config'
import base from './vitest.config'

/** `npm run test:package`: only test/package.test.ts (packs, installs and type-checks the package). */
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['test/package.test.ts'], exclude: [], typecheck: { enabled: false } },
})

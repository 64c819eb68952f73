import { defineConfig } from 'vitest/config'
import base from './vitest.config'

/**
 * `npm run test:browser`: test/browser/*.test.ts (headless Chromium; the package is built first
 * by the global setup, since the pages bundle dist/ as a consumer's bundler would).
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/browser/**/*.test.ts'],
    exclude: [],
    typecheck: { enabled: false },
    globalSetup: ['test/browser/setup.ts'],
    fileParallelism: false,
  },
})

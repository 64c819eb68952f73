/**
 * docs/coverage.md is generated from the code (scripts/coverage/coverage.ts): it must be what the
 * generator writes now. After adding facade names, run `npm run docs:coverage` and commit the page.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { COVERAGE_MD, coverageMarkdown } from '../scripts/coverage/coverage'

describe('docs/coverage.md', () => {
  const page = coverageMarkdown()

  it('is up to date with the facade (run `npm run docs:coverage` to regenerate it)', () => {
    expect(readFileSync(COVERAGE_MD, 'utf8')).toBe(page)
  })

  it('counts names the facade has and lists those it has not', () => {
    const nn = /^\| \[`torch\.nn`\]\(#torchnn\) \| (\d+) \/ (\d+) \|/m.exec(page)
    expect(Number(nn?.[1])).toBeGreaterThan(10)
    expect(page).toMatch(/## torch\.optim\n\n\*\*In wengert \(\d+\):\*\* .*`Adam`.*`SGD`/)
    // a name the facade does not have is listed as missing, one it has is not
    const optimMissing = /## torch\.optim\n[\s\S]*?\*\*Not yet \(\d+\):\*\* (.*)\n/.exec(page)?.[1] ?? ''
    expect(optimMissing).not.toContain('`Adam`')
  })

  it('lists names present only to raise "not supported" apart, uncounted', () => {
    const linalg =
      /## torch\.linalg\n\n\*\*In wengert \(\d+\):\*\* (.*)\n[\s\S]*?\*\*Present but raise "not supported" \(\d+\):\*\* (.*)\n/.exec(
        page,
      )
    expect(linalg?.[1]).not.toContain('`eig`')
    expect(linalg?.[2]).toContain('`eig`')
    expect(linalg?.[1]).toContain('`solve_triangular`')
  })
})

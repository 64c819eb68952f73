/**
 * docs/jax-coverage.md is generated from the code (scripts/coverage/jaxCoverage.ts): it must be what
 * the generator writes now. After adding a JAX name, run `npm run docs:jax-coverage` and commit the page.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { JAX_COVERAGE_MD, camel, jaxCoverageMarkdown, wengertName } from '../scripts/coverage/jaxCoverage'

describe('docs/jax-coverage.md', () => {
  const page = jaxCoverageMarkdown()

  it('is up to date with the exports (run `npm run docs:jax-coverage` to regenerate it)', () => {
    expect(readFileSync(JAX_COVERAGE_MD, 'utf8')).toBe(page)
  })

  it("spells JAX's names as wengert does", () => {
    expect(camel('atleast_1d')).toBe('atleast1d')
    expect(camel('take_along_axis')).toBe('takeAlongAxis')
    expect(camel('ix_')).toBe('ix_')
    expect(camel('PRNGKey')).toBe('PRNGKey')
    expect(wengertName('jax.tree_util', 'tree_map_with_path')).toBe('mapWithPath')
    expect(wengertName('jax.scipy.stats', 'multivariate_normal.logpdf')).toBe('multivariateNormal.logpdf')
  })

  it('counts names wengert has and lists those it has not', () => {
    const nn = /^\| \[`jax\.numpy`\]\(#jaxnumpy\) \| top level \| (\d+) \/ (\d+) \|/m.exec(page)
    expect(Number(nn?.[1])).toBeGreaterThan(300)
    const numpy = /## jax\.numpy\n\n\*\*In wengert \(\d+\):\*\* (.*)\n\n\*\*Not yet \(\d+\):\*\* (.*)\n/.exec(page)
    expect(numpy?.[1]).toContain('`take_along_axis`')
    expect(numpy?.[2]).not.toContain('`take_along_axis`')
    expect(page).toMatch(/\| \[`jax\.numpy\.fft`\]\(#jaxnumpyfft\) \| `fft` \| 0 \/ \d+ \| 0 % \(out of scope/)
  })
})

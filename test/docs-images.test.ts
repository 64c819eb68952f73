/**
 * The pictures under docs/img/ are drawn from real tapes by scripts/docs-images.ts: each must be
 * what the script draws now (run `npm run docs:images` after changing what they show).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { IMAGES } from '../scripts/docs-images'

describe('docs/img', () => {
  for (const { path, draw } of IMAGES) {
    it(`${path} is up to date`, async () => {
      const svg = await draw()
      expect(svg).toContain('<svg')
      expect(readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')).toBe(svg)
    })
  }
})

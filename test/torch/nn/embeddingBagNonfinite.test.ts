/**
 * F.embedding_bag with a NaN or infinite weight row against PyTorch 1.13
 * (fixtures/embedding_bag_nonfinite.json, written by embedding_bag_nonfinite.py): each entry is
 * added into its own bag only, so a non-finite row poisons only the bags that hold it and a padding
 * entry none (issue 10: a membership product spread 0·NaN = NaN into every bag).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

type Num = number | 'nan' | 'inf' | '-inf'
interface Case {
  readonly weight: Num[][]
  readonly idx: number[] | number[][]
  readonly offsets: number[] | null
  readonly kw: { readonly mode: 'sum' | 'mean' | 'max'; readonly padding_idx?: number }
  readonly psw: number[] | null
  readonly out: Num[][]
  readonly grad: Num[][]
}
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/embedding_bag_nonfinite.json', import.meta.url), 'utf8'),
) as { cases: Case[] }

const num = (v: Num): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v)
const nums = (rows: Num[][]): number[][] => rows.map((r) => r.map(num))

/** Equal up to float32 rounding, NaN matching NaN and infinities matching exactly. */
const expectClose = (got: number[][], want: number[][]): void => {
  expect(got.length).toBe(want.length)
  got.forEach((row, i) =>
    row.forEach((v, j) => {
      const w = want[i]?.[j] as number
      if (!Number.isFinite(w)) expect(Object.is(v, w) || (Number.isNaN(v) && Number.isNaN(w))).toBe(true)
      else expect(v).toBeCloseTo(w, 5)
    }),
  )
}

describe('F.embedding_bag with non-finite weight rows (PyTorch fixtures)', () => {
  it.each(fixture.cases.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    // Arrange
    const w = torch.tensor(nums(c.weight), { dtype: torch.float32, requires_grad: true })
    const idx = torch.tensor(c.idx, { dtype: torch.int64 })
    const offsets = c.offsets === null ? null : torch.tensor(c.offsets, { dtype: torch.int64 })
    const psw = c.psw === null ? null : torch.tensor(c.psw, { dtype: torch.float32 })
    // Act
    const y = torch.nn.functional.embedding_bag(idx, w, offsets, { ...c.kw, per_sample_weights: psw })
    y.sum().backward()
    // Assert
    expectClose(y.tolist() as number[][], nums(c.out))
    expectClose(w.grad?.tolist() as number[][], nums(c.grad))
  })
})

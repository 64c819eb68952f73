/**
 * Integer tensors against real PyTorch 1.13 (test/fixtures/torch/int64/expected.json and the
 * checkpoints beside it, from scripts/fixtures/int64.py): int64 holds integers beyond 32 bits
 * exactly (arange around 2**31, arithmetic at 2**40, sums, cumsum, indexing), floor division and
 * remainder follow PyTorch's sign rules over a grid of signed operands, division by zero raises,
 * float → int casts truncate, int32 wraps as PyTorch's, printing matches, and checkpoints with
 * int64 values beyond 32 bits load exactly (beyond 2**53 - 1: refused). Beyond what wengert's
 * int64 holds exactly (±(2**53 - 1)), results raise OverflowError instead of wrapping.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { OverflowError } from '../../src/ndarray/errors'

const DIR = new URL('../fixtures/torch/int64/', import.meta.url)
const file = (name: string): string => new URL(name, DIR).pathname
type Grid = { x: number[][]; y: number[][]; floor_divide: number[][]; remainder: number[][]; trunc: number[][] }
const E = JSON.parse(readFileSync(file('expected.json'), 'utf8')) as {
  arange: number[]
  big: Record<string, number | number[]>
  grid: Grid
  true_div: { dtype: string; values: number[] }
  cast: { input: number[]; long: number[]; int: number[] }
  int32: { plus1: number[]; minus1: number[]; dtype_mix: string }
  str: Record<string, string>
  floor_divide_by_zero: string
  saved_big: number[]
}
const L = { dtype: torch.int64 }
const big = (): torch.Tensor => torch.tensor(2 ** 40, L)

describe('int64 beyond 32 bits (PyTorch values)', () => {
  it('arange around 2**31 does not wrap', () => {
    const t = torch.arange(2 ** 31 - 2, 2 ** 31 + 2)
    expect(t.dtype).toBe(torch.int64)
    expect(t.tolist()).toEqual(E.arange)
  })
  it('arithmetic, reductions, argmax and indexing at 2**40', () => {
    expect(big().item()).toBe(E.big['value'])
    expect(big().add(1).item()).toBe(E.big['plus1'])
    expect(big().mul(3).item()).toBe(E.big['times3'])
    expect(
      big()
        .sub(2 ** 41)
        .item(),
    ).toBe(E.big['minus2p41'])
    expect(
      big()
        .mul(2 ** 12)
        .floor_divide(3)
        .item(),
    ).toBe(E.big['square_div'])
    expect(
      torch
        .tensor([2 ** 40, 2 ** 41, -3], L)
        .sum()
        .item(),
    ).toBe(E.big['sum'])
    expect(
      torch
        .tensor([2 ** 20, 2 ** 20, 2 ** 12], L)
        .prod()
        .item(),
    ).toBe(E.big['prod'])
    expect(
      torch
        .tensor([2 ** 40, 2 ** 40, 2 ** 40], L)
        .cumsum(0)
        .tolist(),
    ).toEqual(E.big['cumsum'])
    const am = torch.tensor([2 ** 40, 2 ** 41, 3], L).argmax()
    expect([am.item(), am.dtype]).toEqual([E.big['argmax'], torch.int64])
    expect(
      torch
        .arange(2 ** 40, 2 ** 40 + 5)
        .index(torch.tensor([4, 0], L))
        .tolist(),
    ).toEqual(E.big['index'])
  })
  it('prints as PyTorch', () => {
    expect(String(big())).toBe(E.str['scalar'])
    expect(String(torch.arange(2 ** 31 - 2, 2 ** 31 + 2))).toBe(E.str['arange'])
    expect(String(torch.tensor([1, 2], { dtype: torch.int32 }))).toBe(E.str['int32'])
    expect(String(torch.tensor([2 ** 40, -3, 7], L))).toBe(E.str['mixed'])
  })
})

describe('integer division (PyTorch sign rules)', () => {
  const X = torch.tensor(E.grid.x, L)
  const Y = torch.tensor(E.grid.y, L)
  it('floor_divide rounds toward -inf over a grid of signed operands, small and beyond 2**32', () => {
    expect(torch.floor_divide(X, Y).tolist()).toEqual(E.grid.floor_divide)
    expect(X.div(Y, { rounding_mode: 'floor' }).tolist()).toEqual(E.grid.floor_divide)
  })
  it('remainder takes the sign of the divisor', () => {
    expect(torch.remainder(X, Y).tolist()).toEqual(E.grid.remainder)
  })
  it("div(rounding_mode='trunc') rounds toward zero", () => {
    expect(X.div(Y, { rounding_mode: 'trunc' }).tolist()).toEqual(E.grid.trunc)
  })
  it('true division gives the default float dtype', () => {
    const q = torch.tensor([-7, -1, 0, 1, 7], L).div(2)
    expect(String(q.dtype)).toBe(E.true_div.dtype)
    expect(q.tolist()).toEqual(E.true_div.values)
  })
  it('division by zero raises PyTorch RuntimeError "ZeroDivisionError"', () => {
    expect(E.floor_divide_by_zero).toBe('ZeroDivisionError')
    expect(() => torch.tensor([1], L).floor_divide(0)).toThrow(new torch.RuntimeError(E.floor_divide_by_zero))
    expect(() => torch.tensor([1], L).remainder(torch.tensor([0], L))).toThrow(torch.RuntimeError)
    expect(() => torch.tensor([1], L).div(0, { rounding_mode: 'trunc' })).toThrow(torch.RuntimeError)
    expect(torch.tensor([1], L).div(0).tolist()).toEqual([Infinity])
  })
})

describe('casts and narrow integers', () => {
  it('float -> int64 truncates toward zero, exactly beyond 32 bits', () => {
    expect(torch.tensor(E.cast.input, { dtype: torch.float64 }).long().tolist()).toEqual(E.cast.long)
    expect(torch.tensor(E.cast.input.slice(0, 4)).int().tolist()).toEqual(E.cast.int)
  })
  it('NaN and infinities have no int64 value: OverflowError (undefined behaviour in PyTorch)', () => {
    for (const v of [NaN, Infinity, -Infinity, 2 ** 60])
      expect(() => torch.tensor([v], { dtype: torch.float64 }).long()).toThrow(OverflowError)
  })
  it('int32 wraps modulo 2**32 as PyTorch; int32 with int64 promotes to int64', () => {
    const i32 = torch.tensor([2 ** 31 - 1, -(2 ** 31)], { dtype: torch.int32 })
    expect(i32.add(1).tolist()).toEqual(E.int32.plus1)
    expect(i32.sub(1).tolist()).toEqual(E.int32.minus1)
    expect(String(i32.add(torch.tensor([1], L)).dtype)).toBe(E.int32.dtype_mix)
  })
})

describe('no silent wrap beyond ±(2**53 - 1)', () => {
  it('results that leave the exact range raise OverflowError', () => {
    expect(() => torch.tensor([2 ** 53 - 1], L).add(1)).toThrow(OverflowError)
    expect(() => big().mul(2 ** 20)).toThrow(OverflowError)
    expect(() => torch.tensor([2 ** 40, 2 ** 40], L).prod()).toThrow(OverflowError)
    expect(() => torch.tensor([2 ** 52, 2 ** 52], L).cumsum(0)).toThrow(OverflowError)
    expect(() => torch.tensor([2 ** 53], L)).toThrow(OverflowError)
  })
  it('sums are exact even when a partial sum leaves the range', () => {
    expect(
      torch
        .tensor([2 ** 53 - 1, 2, -2], L)
        .sum()
        .item(),
    ).toBe(2 ** 53 - 1)
  })
})

describe('checkpoints', () => {
  it('int64 values beyond 32 bits written by PyTorch load exactly; int32 stays int32', () => {
    const d = torch.load(file('big.pt')) as Record<string, torch.Tensor>
    expect(d['big']!.dtype).toBe(torch.int64)
    expect(d['big']!.tolist()).toEqual(E.saved_big)
    expect(d['i32']!.dtype).toBe(torch.int32)
  })
  it('values beyond 2**53 - 1 are refused, not rounded', () => {
    expect(() => torch.load(file('huge.pt'))).toThrow(/1152921504606846976 is beyond/)
  })
  it('round-trips int64 values beyond 32 bits as PyTorch LongStorage', () => {
    const t = torch.tensor(E.saved_big, L)
    const bytes = torch.save({ t }) as Uint8Array
    const back = (torch.load(bytes) as Record<string, torch.Tensor>)['t']!
    expect(back.dtype).toBe(torch.int64)
    expect(back.tolist()).toEqual(E.saved_big)
  })
})

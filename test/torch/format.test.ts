/**
 * Printing as PyTorch prints (torch/_tensor_str.py): float modes, widths, line wrapping,
 * summarisation, suffixes, dtypes, empty tensors, Python rounding.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { pyExp, pyFixed } from '../../src/torch/format'

const s = (x: torch.Tensor) => String(x)

describe('tensor repr', () => {
  it('integer-valued floats, fixed 4 decimals, scientific', () => {
    expect(s(torch.tensor([1, 2]))).toBe('tensor([1., 2.])')
    expect(s(torch.tensor([-0.8415, 0.5]))).toBe('tensor([-0.8415,  0.5000])')
    expect(s(torch.tensor([0.1, 1.0, 0.0001]))).toBe('tensor([1.0000e-01, 1.0000e+00, 1.0000e-04])')
    expect(s(torch.tensor([1, 10000]))).toBe('tensor([1.0000e+00, 1.0000e+04])')
    expect(s(torch.tensor([0, 0]))).toBe('tensor([0., 0.])')
    expect(s(torch.tensor(4.5))).toBe('tensor(4.5000)')
    expect(s(torch.tensor([NaN, Infinity, 1.5]))).toBe('tensor([   nan,    inf, 1.5000])')
  })
  it('dtypes: int64 and bool without suffix, float64 with', () => {
    expect(s(torch.arange(3))).toBe('tensor([0, 1, 2])')
    expect(s(torch.tensor([true, false]))).toBe('tensor([ True, False])')
    expect(s(torch.tensor([1.5], { dtype: torch.float64 }))).toBe('tensor([1.5000], dtype=torch.float64)')
    expect(s(torch.tensor([1.5], { dtype: torch.float64, requires_grad: true }))).toBe(
      'tensor([1.5000], dtype=torch.float64, requires_grad=True)',
    )
  })
  it('empty tensors', () => {
    expect(s(torch.tensor([]))).toBe('tensor([])')
    expect(s(torch.zeros(0, 3))).toBe('tensor([], size=(0, 3))')
    expect(s(torch.zeros([0], { dtype: torch.int64 }))).toBe('tensor([], dtype=torch.int64)')
  })
  it('nested rows, line wrapping at 80 columns, summarisation', () => {
    expect(s(torch.ones(2, 1, 2))).toBe('tensor([[[1., 1.]],\n\n        [[1., 1.]]])')
    expect(s(torch.arange(30).float())).toBe(
      'tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n        28., 29.])',
    )
    expect(s(torch.arange(2000))).toBe('tensor([   0,    1,    2,  ..., 1997, 1998, 1999])')
  })
  it('suffixes wrap onto a new line past the width', () => {
    const x = torch.arange(13, { dtype: torch.float64 }).mul(1.5).requires_grad_()
    expect(s(x.mul(1))).toBe(
      'tensor([ 0.0000,  1.5000,  3.0000,  4.5000,  6.0000,  7.5000,  9.0000, 10.5000,\n        12.0000, 13.5000, 15.0000, 16.5000, 18.0000], dtype=torch.float64,\n       grad_fn=<MulBackward0>)',
    )
  })
  it('Python rounding: exact binary value, ties to even', () => {
    expect(pyFixed(0.03125, 4)).toBe('0.0312')
    expect(pyFixed(0.09375, 4)).toBe('0.0938')
    expect(pyFixed(2.675, 2)).toBe('2.67')
    expect(pyExp(0.0001, 4)).toBe('1.0000e-04')
    expect(pyExp(99999.5, 4)).toBe('1.0000e+05')
    expect(pyFixed(-0.0, 4)).toBe('-0.0000')
  })
})

describe('print', () => {
  it('prints None, True/False, lists and tuples like Python', () => {
    expect(torch.pyStr([null, true, 1.5, 'a', torch.tensor(1)])).toBe("[None, True, 1.5, 'a', tensor(1.)]")
    expect(torch.pyStr(Object.freeze([1]))).toBe('(1,)')
  })
})

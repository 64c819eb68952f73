/**
 * Issue 10: `torch.linalg` and `torch.special` check their arguments as PyTorch's argument parser
 * does. The fixture (fixtures/namespace_signatures.json, written by fixtures/namespace_signatures.py
 * with PyTorch 1.13) holds each function's signatures and PyTorch's error for each malformed probe
 * call of badInputProbe.test.ts; every error PyTorch's parser raises at entry is matched exactly.
 */
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch/index'
import { LINALG_SIGNATURES, SPECIAL_SIGNATURES } from '../../src/torch/namespaceSignatures'
import fixture from './fixtures/namespace_signatures.json'

type Entry = { readonly parser_name: string; readonly signatures: string[]; readonly messages: Record<string, string> }
const FIXTURE = fixture as Record<string, Entry>

const t = (): torch.Tensor => torch.ones(2, 3)
const CALLS: Readonly<Record<string, () => unknown[]>> = {
  '()': () => [],
  "('a')": () => ['a'],
  "(t, 'x')": () => [t(), 'x'],
  '(t, t3d)': () => [t(), torch.ones(4, 5, 6)],
  '(t, 1.5)': () => [t(), 1.5],
  "(t, {dim: '1'})": () => [t(), { dim: '1' }],
  '(null)': () => [null],
  '(t, NaN)': () => [t(), NaN],
  '({})': () => [{}],
}
// the argument parser's own messages (the others come from the kernels, after the arguments bind)
const PARSER_MESSAGE = /\(\): argument|\(\) missing \d|invalid combination|unexpected keyword/

const NAMESPACES = { linalg: [torch.linalg, LINALG_SIGNATURES], special: [torch.special, SPECIAL_SIGNATURES] } as const

const firstLine = (f: () => unknown): string => {
  try {
    f()
  } catch (e) {
    return (e as Error).message.split('\n')[0] ?? ''
  }
  return 'no error'
}

describe('torch.linalg and torch.special signatures (PyTorch 1.13)', () => {
  it.each(Object.keys(NAMESPACES))('torch.%s: the table holds PyTorch’s signatures of every function', (ns) => {
    // Arrange
    const [mod, table] = NAMESPACES[ns as keyof typeof NAMESPACES]
    // Act
    const names = Object.keys(table)
    // Assert
    for (const name of names) {
      const sigs = table[name as keyof typeof table] as string | ReadonlyArray<string>
      expect([name, typeof sigs === 'string' ? [sigs] : sigs]).toEqual([name, FIXTURE[`${ns}.${name}`]?.signatures])
    }
    const functions = Object.keys(mod).filter((k) => typeof (mod as Record<string, unknown>)[k] === 'function')
    expect(functions.filter((k) => /^[a-z]/.test(k)).sort()).toEqual([...names].sort())
  })

  const cases = Object.entries(FIXTURE).flatMap(([key, e]) =>
    Object.entries(e.messages)
      .filter(([, msg]) => PARSER_MESSAGE.test(msg))
      .map(([label, msg]) => [`${key}${label}`, key, label, msg] as const),
  )

  it('covers the parser errors of every probe call', () => {
    expect(cases.length).toBeGreaterThan(400)
  })

  it.each(cases.filter(([, key]) => (key.split('.')[1] as string) in NAMESPACES[key.split('.')[0] as 'linalg'][1]))(
    '%s raises PyTorch’s TypeError',
    (_, key, label, msg) => {
      const [ns, name] = key.split('.') as ['linalg' | 'special', string]
      const f = (NAMESPACES[ns][0] as unknown as Record<string, (...a: unknown[]) => unknown>)[name]
      expect(firstLine(() => f?.(...(CALLS[label]?.() ?? [])))).toBe(msg)
    },
  )
})

describe('torch.special binds keywords as PyTorch does', () => {
  const x = (): torch.Tensor =>
    torch.tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { dtype: torch.float32 },
    )
  const untyped = (f: unknown) => f as (...a: unknown[]) => torch.Tensor

  it('passes positional parameters given as keywords by position', () => {
    // Act
    const y = untyped(torch.special.logsumexp)(x(), { dim: 1, keepdim: true })
    // Assert: log(e¹ + e² + e³) = 3 + log(1 + e⁻¹ + e⁻²)
    expect(y.shape).toEqual([2, 1])
    expect((y.tolist() as number[][])[0]?.[0]).toBeCloseTo(3 + Math.log(1 + Math.exp(-1) + Math.exp(-2)), 5)
  })

  it('computes softmax and log_softmax in the given dtype', () => {
    expect(untyped(torch.special.softmax)(x(), 1, torch.float64).dtype).toBe(torch.float64)
    expect(untyped(torch.special.log_softmax)(x(), 1, { dtype: torch.float64 }).dtype).toBe(torch.float64)
  })

  it('takes a number as the first argument of xlogy (PyTorch’s (Number self, Tensor other) overload)', () => {
    // 2·log(e) = 2
    expect(untyped(torch.special.xlogy)(2, torch.tensor([Math.E], { dtype: torch.float64 })).tolist()).toEqual([2])
  })

  it('refuses what it cannot honour instead of ignoring it', () => {
    expect(() => untyped(torch.special.erf)(x(), { out: x() })).toThrow(
      'special_erf(): the out= argument is not supported',
    )
    expect(untyped(torch.special.round)(x(), { decimals: 0 }).tolist()).toEqual(x().tolist())
    expect(() => untyped(torch.special.erf)(x(), { dim: 1 })).toThrow(
      "special_erf() got an unexpected keyword argument 'dim'",
    )
  })
})

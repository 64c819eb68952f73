import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'
import { errorOf } from '../helpers/keywordProbe'
import { POSITIONAL_ARITY } from '../../src/torch/positionalArity'

// The most positional arguments of each torch.* function with a fixed count, from PyTorch 1.13
// (test/torch/fixtures/positional_arity.py): one more must raise PyTorch's TypeError, where a JS
// function would ignore the extra argument (issue 10: torch.trace(t, 'x') returned the trace).
type Entry = { readonly max: number; readonly label?: string; readonly signatures?: ReadonlyArray<string> }
const fixture = JSON.parse(readFileSync(new URL('./fixtures/positional_arity.json', import.meta.url), 'utf8')) as {
  functions: Record<string, Entry>
  cases: Record<string, string>
}
const T = torch as unknown as Record<string, unknown>

/**
 * torch.* functions that still ignore an extra positional argument (plain JS functions outside the
 * function forms of Tensor methods): the test fails when one starts raising, so the list only shrinks.
 */
const IGNORES_EXTRA: ReadonlyArray<string> = []

describe('torch.* functions take at most PyTorch’s number of positional arguments', () => {
  it('the table the facade reads agrees with the fixture', () => {
    const want = Object.entries(fixture.functions)
      .filter(([k, e]) => e.signatures !== undefined || (e.label ?? k) === k)
      .map(([k, e]) => [k, e.max] as const)
    expect([...POSITIONAL_ARITY].map(([k, a]) => [k, a.max] as const).sort()).toEqual(want.sort())
  })

  it('one positional argument too many raises instead of being ignored', () => {
    // Arrange
    const x = torch.ones(2, 2)
    // functions that set global state are left out: called with a tensor they would change it
    const named = Object.entries(fixture.functions).filter(
      ([k]) => typeof T[k] === 'function' && !/^(set_|use_|manual_seed|seed)/.test(k),
    )
    // Act
    const ignoring = named.flatMap(([k, e]) => {
      const msg = errorOf(() => (T[k] as (...a: unknown[]) => unknown)(...Array<unknown>(e.max + 1).fill(x)))
      return msg === '' ? [k] : []
    })
    // Assert
    expect(named.length).toBeGreaterThan(300)
    expect(ignoring).toEqual(IGNORES_EXTRA)
  })

  it("raises PyTorch's messages", () => {
    const x = torch.ones(2, 2)
    const c = fixture.cases
    const f = (k: string, ...a: unknown[]): string => errorOf(() => (T[k] as (...b: unknown[]) => unknown)(...a))
    expect(f('trace', x, 'x')).toBe(c.trace)
    expect(f('exp', x, x, x)).toBe(c.exp)
    expect(f('sum', x, 0, true, torch.float64, 2)).toBe(c.sum)
    expect(f('zeros_like', x, x)).toBe(c.zeros_like)
    // a trailing keyword object is not a positional argument
    expect(f('exp', x, { out: torch.empty(0) })).toBe('')
  })

  it('a refused keyword is worded as the function, not as its Tensor method (issue 10)', () => {
    const x = torch.ones(2, 2)
    const c = fixture.cases
    const f = (k: string, ...a: unknown[]): string => errorOf(() => (T[k] as (...b: unknown[]) => unknown)(...a))
    expect(f('exp', x, { foo: 1 })).toBe(c.exp_foo)
    expect(f('add', x, x, { foo: 1 })).toBe(c.add_foo)
    expect(f('sum', x, { foo: 1 })).toBe(c.sum_foo)
    expect(f('max', x, { foo: 1 })).toBe(c.max_foo)
    expect(f('pow', x, 2, { foo: 1 })).toBe(c.pow_foo)
    // the function's own keywords still pass
    expect(f('exp', { input: x })).toBe('')
    expect(f('exp', x, { input: x })).toBe(c.exp_input_twice)
    expect(f('sum', x, { dim: 0, keepdim: true })).toBe('')
  })
})

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'
import { errorOf } from '../helpers/keywordProbe'
import { FUNCTION_KEYWORDS } from '../../src/torch/functionKeywords'
import requiredArgs from './fixtures/required_args.json'

// PyTorch's keyword names of every torch.* function (test/torch/fixtures/function_keywords.py on
// PyTorch 1.13): the facade's function refuses any other keyword with Python's TypeError (issue 10),
// where a JS function would ignore an unknown key of its options object. The Tensor methods have the
// same sweep in methodKeywords.test.ts.
type Entry =
  | { readonly kind: 'none'; readonly label: string }
  | { readonly kind: 'names'; readonly names: ReadonlyArray<string> }
  | { readonly kind: 'any' }
const fixture = JSON.parse(readFileSync(new URL('./fixtures/function_keywords.json', import.meta.url), 'utf8')) as {
  functions: Record<string, Entry>
  cases: Record<string, string>
}
const T = torch as unknown as Record<string, unknown>

/**
 * torch.* functions that still ignore an unknown keyword: only `save`, whose saved object may be a
 * plain object and cannot be told from a keyword object. The test fails when one starts refusing
 * it, so that the list only shrinks.
 */
// layer_norm: refuses an unknown keyword once its required arguments are given (PyTorch's order:
// missing arguments first); the bare probe call gets "argument 'input' must be Tensor" instead
const KNOWN_GAPS: ReadonlyArray<string> = `
layer_norm
save
`
  .split(/\s+/)
  .filter((w) => w !== '')
  .sort()

describe('torch.* functions take only the keywords PyTorch accepts', () => {
  it('the table the facade reads agrees with the fixture', () => {
    const want = Object.entries(fixture.functions).map(([k, e]) => [
      k,
      e.kind === 'names' ? { kind: 'names', names: [...e.names].sort() } : e,
    ])
    const got = [...FUNCTION_KEYWORDS].map(([k, r]) => [
      k,
      r.kind === 'names' ? { kind: 'names', names: [...r.names].sort() } : r,
    ])
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want))
  })

  it('every torch.* function that PyTorch has refuses a bogus keyword with Python-style text', () => {
    // Arrange: functions that set global state are left out (called wrongly they could change it)
    const names = Object.keys(fixture.functions).filter(
      (k) =>
        typeof T[k] === 'function' &&
        fixture.functions[k]?.kind !== 'any' &&
        !/^[A-Z]/.test(k) &&
        !/^(set_|use_|manual_seed|seed$)/.test(k),
    )
    // Act
    const ignoring = names.filter((k) => {
      const msg = errorOf(() => (T[k] as (...a: unknown[]) => unknown)({ __bogus__: 1 }))
      // a one-signature C function names its missing required parameters first, as PyTorch's parser does
      // an overloaded one with one signature shown (others hidden) that the count rules out: unrecognized
      return !/unexpected keyword argument '__bogus__'|takes no keyword arguments|invalid combination of arguments - got \(.*__bogus__=|missing \d+ required positional arguments?: "|got unrecognized keyword arguments: __bogus__$/.test(
        msg,
      )
    })
    // Assert
    expect(names.length).toBeGreaterThan(400)
    expect(ignoring).toEqual(KNOWN_GAPS)
  }, 120_000)

  it("raises Python's messages", () => {
    const x = torch.ones(2, 2)
    const c = fixture.cases
    const f = (k: string, ...a: unknown[]): string => errorOf(() => (T[k] as (...b: unknown[]) => unknown)(...a))
    expect(f('zeros_like', x, { foo: 1 })).toBe(c.zeros_like_foo)
    expect(f('tril_indices', 3, 3, { foo: 1 })).toBe(c.tril_indices_foo)
    // an overloaded function lists PyTorch's signatures (a JS array prints as `list`, 1 as `int`)
    expect(f('full', [2], 1, { foo: 1 })).toBe(c.full_foo?.replace('got (tuple, float, ', 'got (list, int, '))
    expect(f('arange', 3, { foo: 1 })).toBe(c.arange_foo)
    expect(f('hann_window', 3, { foo: 1 })).toBe(c.hann_window_foo)
    // re-exported from other modules (./checkedForms.ts): the keyword is read before the arguments
    expect(f('selu', x, { foo: 1 })).toBe(c.selu_foo)
    expect(f('is_grad_enabled', { foo: 1 })).toBe(c.is_grad_enabled_foo)
    expect(f('broadcast_shapes', [1], { foo: 1 })).toBe(c.broadcast_shapes_foo)
    expect(f('dropout', x, 0.5, false, { foo: 1 })).toBe(c.dropout_foo)
  })

  it('accepted keywords still work', () => {
    expect(torch.zeros_like(torch.ones(2), { dtype: torch.float64 }).dtype).toBe(torch.float64)
    expect(torch.full([2], 3, { dtype: torch.float64 }).tolist()).toEqual([3, 3])
    expect(torch.arange(0, 3, { dtype: torch.float32 }).tolist()).toEqual([0, 1, 2])
    expect(torch.dropout(torch.ones(2), { p: 0.5, train: false }).tolist()).toEqual([1, 1])
    expect(torch.histc(torch.tensor([0, 1, 1]), { bins: 2, min: 0, max: 1 }).tolist()).toEqual([1, 2])
    expect(torch.is_grad_enabled()).toBe(true)
    expect(torch.tril_indices(2, 2, 0).tolist()).toEqual([
      [0, 1, 1],
      [0, 0, 1],
    ])
  })
})

describe('a refused keyword and a missing required argument (fixtures/required_args.py, PyTorch 1.13 = 2.x)', () => {
  // Arrange
  const x = torch.ones(2, 3)
  const cases = Object.entries(requiredArgs as Record<string, string>)
  /** Calls PyTorch's form `name(foo=1)` or `name(x, foo=1)`. */
  const call = (key: string): string => {
    const name = key.slice(0, key.indexOf('('))
    const f = T[name] as (...a: unknown[]) => unknown
    return errorOf(() => (key.includes('(x, ') ? f(x, { foo: 1 }) : f({ foo: 1 })))
  }
  // overloaded functions (addmm, baddbmm), whose one plausible signature PyTorch parses, too
  it.each(cases)('%s', (key, want) => {
    // Act / Assert
    expect(call(key)).toBe(want)
  })
})

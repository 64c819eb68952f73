import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'
import { METHOD_KEYWORDS } from '../../src/torch/methodKeywords'

// PyTorch's keyword names of every Tensor method (test/torch/fixtures/method_keywords.py on PyTorch
// 1.13, labels as 2.x names its base class): the facade's methods reject any other keyword with
// PyTorch's TypeError (issue 10), where a JS method would ignore an unknown key of its options object.
type Entry =
  | { readonly kind: 'none'; readonly label: string }
  | { readonly kind: 'single'; readonly label: string; readonly names: ReadonlyArray<string> }
  | { readonly kind: 'overloads'; readonly names: ReadonlyArray<string>; readonly signatures: ReadonlyArray<string> }
  | { readonly kind: 'any' }
const fixture = JSON.parse(readFileSync(new URL('./fixtures/method_keywords.json', import.meta.url), 'utf8')) as {
  methods: Record<string, Entry>
  cases: Record<string, string>
}

const BOGUS = 'zz_keyword_probe'
const BAD = Symbol('keyword-probe')

const errorOf = (f: () => unknown): string => {
  try {
    f()
    return ''
  } catch (e) {
    return e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)
  }
}

/** Every function-valued own property of the prototype (the installed methods and the class's own). */
const facadeMethods = (): string[] =>
  Object.entries(Object.getOwnPropertyDescriptors(torch.Tensor.prototype))
    .filter(([k, d]) => k !== 'constructor' && typeof d.value === 'function')
    .map(([k]) => k)

/**
 * `method:keyword` pairs that PyTorch accepts but the facade's method itself still refuses (its own
 * argument parsing takes these parameters positionally only; the keyword check lets them through):
 * the test fails when one starts being accepted, so that the list only shrinks.
 */
const METHOD_REFUSES: ReadonlyArray<string> = [
  'max:other',
  'min:other',
  'norm:dtype',
  'softmax:dtype',
  'log_softmax:dtype',
  'cumsum:dtype',
  'to:device',
  'to:tensor',
  'gather:sparse_grad',
  'topk:indices',
  'topk:values',
  'cumprod:dtype',
  'new_zeros:device',
  'new_zeros:layout',
  'new_zeros:pin_memory',
  'new_zeros:size',
  'new_ones:device',
  'new_ones:layout',
  'new_ones:pin_memory',
  'new_ones:size',
  'new_empty:device',
  'new_empty:layout',
  'new_empty:pin_memory',
  'new_empty:size',
  'bernoulli:p',
  'random_:from',
  'random_:to',
  'kthvalue:indices',
  'kthvalue:values',
  'cumsum_:dtype',
  'narrow_copy:dimension',
  'cumprod_:dtype',
  'new:data',
  'new:device',
  'new:other',
  'new:size',
  'new:storage',
]

const call = (name: string, ...args: unknown[]): string =>
  errorOf(() => (torch.ones(2, 3) as unknown as Record<string, (...a: unknown[]) => unknown>)[name]?.(...args))

describe('Tensor methods take only the keywords PyTorch accepts', () => {
  it('the table the facade reads agrees with the fixture', () => {
    const expected = Object.fromEntries(
      Object.entries(fixture.methods).map(([k, e]) => [
        k,
        e.kind === 'single' || e.kind === 'overloads' ? { ...e, names: [...e.names].sort() } : e,
      ]),
    )
    const got = Object.fromEntries(
      [...METHOD_KEYWORDS].map(([k, r]) => [
        k,
        r.kind === 'single' || r.kind === 'overloads' ? { ...r, names: [...r.names].sort() } : r,
      ]),
    )
    expect(got).toEqual(expected)
  })

  it('every facade method that PyTorch has rejects a bogus keyword with PyTorch-style text', () => {
    // Arrange
    const methods = facadeMethods().filter(
      (k) => Object.hasOwn(fixture.methods, k) && fixture.methods[k]?.kind !== 'any',
    )
    // Act
    const ignoring = methods.filter((k) => {
      const e = call(k, { [BOGUS]: BAD })
      return !(
        e.includes(`unexpected keyword argument '${BOGUS}'`) ||
        e.includes('takes no keyword arguments') ||
        e.includes(`received an invalid combination of arguments - got (${BOGUS}=`)
      )
    })
    // Assert
    expect(methods.length).toBeGreaterThan(450)
    expect(ignoring).toEqual([])
  })

  it("accepts every keyword name of PyTorch's signature (it reaches the method, which may refuse the value)", () => {
    const rejected = facadeMethods().flatMap((k) => {
      const e = Object.hasOwn(fixture.methods, k) ? fixture.methods[k] : undefined
      if (e === undefined || (e.kind !== 'single' && e.kind !== 'overloads')) return []
      return e.names
        .filter((n) => /unexpected keyword argument|invalid combination/.test(call(k, { [n]: BAD })))
        .map((n) => `${k}:${n}`)
    })
    expect(rejected).toEqual(METHOD_REFUSES)
  })

  it("raises PyTorch's messages", () => {
    const [x, y] = [torch.ones(2, 3), torch.ones(2, 3)]
    const py = (f: () => unknown): string => errorOf(f).replace(/^TorchTypeError: /, '')
    const c = fixture.cases
    const m = x as unknown as Record<string, (...a: unknown[]) => unknown>
    expect(py(() => m.add?.(y, { alpah: 2 }))).toBe(c.add_alpah)
    expect(py(() => m.add?.(y, { out: y }))).toBe(c.add_out)
    expect(py(() => m.sum?.({ dimm: 0 }))).toBe(c.sum_dimm)
    expect(py(() => m.index_select?.(0, torch.tensor([0]), { zz: 1 }))).toBe(c.index_select_zz)
    expect(py(() => m.backward?.({ foo: 1 }))).toBe(c.backward_foo)
    // PyTorch 2.x renamed the C base class _TensorBase to TensorBase
    expect(py(() => m.exp?.({ foo: 1 }))).toBe(c.exp_foo?.replace('_TensorBase', 'TensorBase'))
    // PyTorch's "didn't match because some of the keywords were incorrect" hint is not reproduced
    expect(py(() => m.sum?.(0, { dimm: 1 }))).toBe(c.sum_dim_dimm?.replace(/ {6}didn't match[^\n]*\n/, ''))
    expect(errorOf(() => m.sum?.({ dimm: 0 }))).toMatch(/^TorchTypeError/)
  })

  it('calls without a keyword object, and with accepted keywords, still work', () => {
    const x = torch.tensor([
      [1, 2],
      [3, 4],
    ])
    expect(x.add(x, { alpha: 2 }).tolist()).toEqual([
      [3, 6],
      [9, 12],
    ])
    expect(x.sum(0, { keepdim: true }).tolist()).toEqual([[4, 6]])
    expect((x.exp as (kw: object) => torch.Tensor)({}).shape).toEqual([2, 2])
  })
})

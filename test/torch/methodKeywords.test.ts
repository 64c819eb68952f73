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

// PyTorch's results of a call per keyword that the facade's method takes positionally, with the
// arguments the method requires (test/torch/fixtures/method_keyword_calls.py): the probe below calls
// these instead of passing a lone keyword, so that a refusal is the keyword's and not a missing argument's
type Encoded = unknown
type CallCase = {
  readonly id: string
  readonly method: string
  readonly args: ReadonlyArray<Encoded>
  readonly kw: Readonly<Record<string, Encoded>>
  readonly result:
    | { readonly shape: ReadonlyArray<number>; readonly dtype: string; readonly values: unknown }
    | { readonly error: string }
}
const calls = JSON.parse(readFileSync(new URL('./fixtures/method_keyword_calls.json', import.meta.url), 'utf8')) as {
  x: ReadonlyArray<ReadonlyArray<number>>
  cases: ReadonlyArray<CallCase>
}
const T = torch as unknown as Record<string, unknown>

const decode = (v: Encoded): unknown => {
  if (Array.isArray(v)) return v.map(decode)
  if (v === null || typeof v !== 'object') return v
  const o = v as Record<string, unknown>
  if ('tensor' in o) return torch.tensor(o.tensor as number[][], { dtype: T[o.dtype as string] as torch.dtype })
  if ('dtype' in o) return T[o.dtype as string]
  if ('layout' in o) return T[o.layout as string]
  if ('tuple' in o) return o.tuple
  if ('storage' in o) return (decode(o.storage) as torch.Tensor).untyped_storage()
  throw new Error(`cannot decode ${JSON.stringify(v)}`)
}

/** Runs a fixture call on a fresh `x`: its shape, dtype and values, or its error's message. */
const runCall = (c: CallCase): CallCase['result'] => {
  const x = torch.tensor(calls.x.map((r) => [...r]))
  const kw = Object.fromEntries(Object.entries(c.kw).map(([k, v]) => [k, decode(v)]))
  try {
    const m = (x as unknown as Record<string, (...a: unknown[]) => torch.Tensor>)[c.method]
    const r = m?.apply(x, [...(decode(c.args) as unknown[]), kw])
    if (r === undefined) return { error: `no method ${c.method}` }
    return { shape: [...r.shape], dtype: String(r.dtype).replace('torch.', ''), values: r.tolist() }
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) }
  }
}

/**
 * `method:keyword` pairs that PyTorch accepts but the facade refuses (the keyword check lets them
 * through; the method itself does not take the keyword): the test fails when one starts being
 * accepted, so that the list only shrinks.
 */
const METHOD_REFUSES: ReadonlyArray<string> = []

/** A pair's probe: its fixture call (with the arguments the method requires) when there is one. */
const CALL_OF: ReadonlyMap<string, CallCase> = new Map(calls.cases.map((c) => [c.id, c]))

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
        e.includes(`received an invalid combination of arguments - got (${BOGUS}=`) ||
        // PyTorch's parser names a missing required parameter before an unknown keyword
        /missing \d+ required positional arguments?: "/.test(e)
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
        .filter((n) => {
          const c = CALL_OF.get(`${k}:${n}`)
          const msg =
            c === undefined ? call(k, { [n]: BAD }) : (({ error = '' }) => error)(runCall(c) as { error?: string })
          return /unexpected keyword argument|invalid combination/.test(msg)
        })
        .map((n) => `${k}:${n}`)
    })
    expect(rejected).toEqual(METHOD_REFUSES)
  })

  it('a keyword given with the arguments the method requires gives PyTorch’s result (or its refusal)', () => {
    // Arrange
    const close = (a: unknown, b: unknown): boolean =>
      Array.isArray(a) && Array.isArray(b)
        ? a.length === b.length && a.every((u, i) => close(u, b[i]))
        : typeof a === 'number' && typeof b === 'number'
          ? Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b))
          : a === b
    for (const c of calls.cases) {
      // Act
      const got = runCall(c)
      const want = c.result
      // Assert
      if ('error' in want) expect([c.id, got]).toEqual([c.id, { error: want.error }])
      else if (c.id === 'new:storage')
        // a tensor over a given storage is refused (NotImplementedError) rather than copied
        expect([c.id, got]).toEqual([
          c.id,
          { error: 'new(storage=...): a tensor over a given storage is not supported' },
        ])
      else {
        expect('shape' in got ? [c.id, got.shape, got.dtype] : [c.id, got]).toEqual([c.id, want.shape, want.dtype])
        if (want.values !== null && 'values' in got)
          expect([c.id, close(got.values, want.values)]).toEqual([c.id, true])
      }
    }
    expect(calls.cases.length).toBeGreaterThan(30)
  })

  it('keyword values the facade cannot honour are refused, never ignored', () => {
    const x = torch.ones(2, 3)
    const m = x as unknown as Record<string, (...a: unknown[]) => unknown>
    expect(errorOf(() => m.gather?.(1, torch.tensor([[0], [2]]), { sparse_grad: true }))).toMatch(
      /^NotImplementedError: gather: sparse_grad=True is not supported/,
    )
    expect(errorOf(() => m.new_zeros?.([2], { pin_memory: true }))).toMatch(
      /^NotImplementedError: new_zeros: pin_memory=True/,
    )
    expect(errorOf(() => m.new_ones?.({ size: [2], layout: 'sparse' }))).toBe(
      "TorchTypeError: new_ones(): argument 'layout' must be torch.layout, not str",
    )
    expect(errorOf(() => m.new_empty?.([2], { size: [2] }))).toBe(
      "TorchTypeError: new_empty() got multiple values for argument 'size'",
    )
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
    // with PyTorch's "didn't match because some of the keywords were incorrect" hint
    expect(py(() => m.sum?.(0, { dimm: 1 }))).toBe(c.sum_dim_dimm)
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

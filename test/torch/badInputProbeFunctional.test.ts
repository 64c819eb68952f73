/**
 * Issue 10 for `torch.nn.functional`: every exported function, called with malformed arguments,
 * raises a typed error (a WengertError subclass), never a raw JavaScript TypeError or RangeError
 * from deep inside; a few representative functions raise PyTorch's own text
 * (fixtures/bad_input_functional.py, PyTorch 1.13, whose texts 2.x keeps for these calls).
 */
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch/index'
import { WengertError } from '../../src/ndarray/errors'
import { argSets, expectOnlyKnown, probeRawCalls } from '../helpers/badInputProbe'
import fixture from './fixtures/bad_input_functional.json'

const F = torch.nn.functional
const ARGSETS = argSets(
  () => torch.ones(2, 3),
  () => torch.ones(4, 5, 6),
)

interface Case {
  readonly fn: string
  readonly args: ReadonlyArray<string | number | null>
  readonly error: string | null
  readonly message: string
}

const decode = (a: string | number | null): unknown => {
  if (a === 't') return torch.ones(2, 3)
  if (a === 't3d') return torch.ones(4, 5, 6)
  if (a === 'nan') return NaN
  if (a === 'dict') return {}
  if (typeof a === 'string' && a.startsWith('str:')) return a.slice(4)
  return a
}
/** The call's JS arguments: positionals, then a keyword object for the "kw:name=value" entries. */
const jsArgs = (args: Case['args']): unknown[] => {
  const kw = Object.fromEntries(
    args.flatMap((a) => (typeof a === 'string' && a.startsWith('kw:') ? [a.slice(3).split('=')] : [])),
  ) as Record<string, string>
  const pos = args.filter((a) => !(typeof a === 'string' && a.startsWith('kw:'))).map(decode)
  return Object.keys(kw).length > 0 ? [...pos, kw] : pos
}
const label = (c: Case): string => `${c.fn}(${c.args.map(String).join(', ')})`

/** The first line of the error `f` throws (and that it is typed), or 'no error'. */
const firstLine = (f: () => unknown): string => {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(WengertError)
    return (e as Error).message.split('\n')[0] as string
  }
  return 'no error'
}

// where wengert's text differs from PyTorch 1.13's, and why
const DEVIATIONS: Readonly<Record<string, string>> = {
  // PyTorch's Python function fails on `input.dim()` (AttributeError: 'str' object has no attribute
  // 'dim'); wengert checks the input at entry and names the function and the argument
  'softmax(str:a)': "softmax(): argument 'input' (position 1) must be Tensor, not str",
  'softmax(null)': "softmax(): argument 'input' (position 1) must be Tensor, not NoneType",
  'softmax(dict)': "softmax(): argument 'input' (position 1) must be Tensor, not dict",
  'interpolate(str:a)': "interpolate(): argument 'input' (position 1) must be Tensor, not str",
  'interpolate(null)': "interpolate(): argument 'input' (position 1) must be Tensor, not NoneType",
  'interpolate(dict)': "interpolate(): argument 'input' (position 1) must be Tensor, not dict",
  // PyTorch names the C++ op it hands the target to (cross_entropy_loss()); wengert the function called
  'cross_entropy(t, str:x)': "cross_entropy(): argument 'target' (position 2) must be Tensor, not str",
  'cross_entropy(t, 1.5)': "cross_entropy(): argument 'target' (position 2) must be Tensor, not float",
  'cross_entropy(t, nan)': "cross_entropy(): argument 'target' (position 2) must be Tensor, not float",
  // an unknown keyword with a missing argument: Python reports the keyword, wengert the argument
  'cross_entropy(t, kw:dim=1)': "cross_entropy() missing 1 required positional argument: 'target'",
  'layer_norm(t, kw:dim=1)': "layer_norm() missing 1 required positional argument: 'normalized_shape'",
  'max_pool2d(t, kw:dim=1)': "_max_pool2d() missing 1 required positional argument: 'kernel_size'",
  // softmax's dim: PyTorch's Tensor.softmax overload error (or a named-dimension lookup for a
  // string); wengert checks dim as an int at entry
  'softmax(t, str:x)': "softmax(): argument 'dim' (position 2) must be int, not str",
  'softmax(t, t3d)': "softmax(): argument 'dim' (position 2) must be int, not Tensor",
  'softmax(t, 1.5)': "softmax(): argument 'dim' (position 2) must be int, not float",
  'softmax(t, nan)': "softmax(): argument 'dim' (position 2) must be int, not float",
  'softmax(t, kw:dim=1)': "softmax(): argument 'dim' must be int, not str",
}

describe('bad input to torch.nn.functional', () => {
  it('raises typed errors for every function and malformed argument set', () => {
    expectOnlyKnown(probeRawCalls(F, ARGSETS), [])
  }, 120_000)

  it('exports only PyTorch names (no module helper leaks into F)', () => {
    for (const helper of ['takeAlong', 'plan', 'window', 'maxAxis', 'dropArgs', 'featureDropout', 'alphaDropoutMasked'])
      expect(Object.keys(F)).not.toContain(helper)
  })

  it.each((fixture.cases as ReadonlyArray<Case>).filter((c) => c.error !== null).map((c) => [label(c), c] as const))(
    "%s raises PyTorch 1.13's text",
    (name, c) => {
      const f = (F as unknown as Record<string, (...a: unknown[]) => unknown>)[c.fn] as (...a: unknown[]) => unknown
      expect(firstLine(() => f(...jsArgs(c.args)))).toBe(DEVIATIONS[name] ?? c.message)
    },
  )

  it("reports PyTorch 2.x's text for F.relu and the conv2d overload error in full", () => {
    const untyped = (f: unknown) => f as (...a: unknown[]) => unknown
    // PyTorch 2.x (and 1.13): F.relu('a') hands 'a' to torch.relu
    expect(firstLine(() => untyped(F.relu)('a'))).toBe("relu(): argument 'input' (position 1) must be Tensor, not str")
    expect(firstLine(() => untyped(F.linear)(torch.ones(2, 3), torch.ones(4, 3), 'b'))).toBe(
      "linear(): argument 'bias' (position 3) must be Tensor, not str",
    )
    // PyTorch tests `if inplace:`: a truthy non-bool flag works in place, a 2×3 tensor is ambiguous
    const x = torch.tensor([-1, 2])
    untyped(F.relu)(x, 'x')
    expect(x.tolist()).toEqual([0, 2])
    expect(firstLine(() => untyped(F.relu)(x, torch.ones(2)))).toBe(
      'Boolean value of Tensor with more than one value is ambiguous',
    )
    expect(firstLine(() => untyped(F.pad)(torch.ones(2, 3), { pad: 'x' }))).toBe(
      "pad(): argument 'pad' must be tuple of ints, not str",
    )
  })
})

/**
 * Keyword forms of Tensor-method parameters that the methods themselves take positionally: PyTorch
 * accepts `x.max(other=y)`, `x.random_(from=0, to=1)`, `x.new_zeros(size=(2, 2))`; the facade's
 * keyword check (`./methodKeywords.ts`) rewrites such a call into its positional form before the
 * method runs, and refuses the values it cannot honour (`layout` other than strided, `pin_memory=True`,
 * `sparse_grad=True`) instead of ignoring them (issue 10).
 *
 * @category torch
 * @since 0.3.0
 */
import { NotImplementedError, RuntimeError, TorchTypeError } from './errors'
import { strided } from './methods/tensorMisc'
import { TorchDType } from './dtype'
import { argTypeName } from './pyTypeName'
import { Tensor } from './tensor'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

type Kw = Readonly<Record<string, unknown>>

/**
 * Rewrites `(positional, keywords)` of a call on `self` into the arguments the method takes;
 * `invalid` is PyTorch's TypeError for a call no overload accepts.
 */
type KeywordForm = (self: Tensor, positional: ReadonlyArray<unknown>, kw: Kw, invalid: () => Error) => unknown[]

// ---------------------------------------------------------------------------------------------
// utils
// ---------------------------------------------------------------------------------------------

/** `kw` without `names`, as a trailing keyword object (or nothing when empty). */
const rest = (kw: Kw, names: ReadonlyArray<string>): unknown[] => {
  const r = Object.fromEntries(Object.entries(kw).filter(([k]) => !names.includes(k)))
  return Object.keys(r).length === 0 ? [] : [r]
}

/** Moves keyword `name` into the first positional slot when no positional argument is given. */
const firstPositional =
  (name: string): KeywordForm =>
  (_, positional, kw) =>
    positional.length === 0 && Object.hasOwn(kw, name) ? [kw[name], ...rest(kw, [name])] : [...positional, kw]

/** `layout`/`pin_memory` of a factory: strided (the one layout) and unpinned; others refuse. */
const memoryOptions = (fn: string, kw: Kw): void => {
  const layout = kw.layout
  if (layout !== undefined && layout !== null && layout !== strided)
    throw new TorchTypeError(`${fn}(): argument 'layout' must be torch.layout, not ${argTypeName(layout)}`)
  if (kw.pin_memory === true)
    throw new NotImplementedError(`${fn}: pin_memory=True is not supported (pinned memory needs an accelerator)`)
}

/** `new_zeros(size=…, layout=…, pin_memory=…)`: the size spread, the memory options checked and dropped. */
const newFactory =
  (fn: string): KeywordForm =>
  (_, positional, kw) => {
    memoryOptions(fn, kw)
    const size = Object.hasOwn(kw, 'size') ? [kw.size] : []
    if (size.length > 0 && positional.length > 0)
      throw new TorchTypeError(`${fn}() got multiple values for argument 'size'`)
    return [...positional, ...size, ...rest(kw, ['size', 'layout', 'pin_memory'])]
  }

/** `random_(from=, to=)`: PyTorch's `(int from, int? to)` and `(int to)` overloads by keyword. */
const randomForm: KeywordForm = (_, positional, kw) => {
  if (positional.length > 0 || !Object.hasOwn(kw, 'to')) return [...positional, kw]
  const bounds = Object.hasOwn(kw, 'from') ? [kw.from, kw.to] : [kw.to]
  return [...bounds, ...rest(kw, ['from', 'to'])]
}

/**
 * `exponential_(lambd=2, generator=g)`, `log_normal_(std=0.5)`: an in-place sampler's parameters
 * given by keyword move to their positional slots (the defaults fill the slots before them), and
 * `generator` stays the keyword object; a parameter given both ways raises Python's TypeError.
 */
const samplerForm =
  (fn: string, params: ReadonlyArray<readonly [name: string, dflt: number | undefined]>): KeywordForm =>
  (_, positional, kw) => {
    const names = params.map(([n]) => n)
    const last = params.reduce((k, [n], i) => (Object.hasOwn(kw, n) ? i : k), -1)
    if (last < 0) {
      // only `generator`: the remaining slots take their defaults, when they all have one
      const defaults = params.slice(positional.length).map(([, dflt]) => dflt)
      return defaults.includes(undefined) ? [...positional, kw] : [...positional, ...defaults, kw]
    }
    const slots = params.slice(0, last + 1).map(([n, dflt], i) => {
      if (i >= positional.length) return Object.hasOwn(kw, n) ? kw[n] : dflt
      if (Object.hasOwn(kw, n)) throw new TorchTypeError(`${fn}() got multiple values for argument '${n}'`)
      return positional[i]
    })
    return [...slots, ...positional.slice(slots.length), ...rest(kw, names)]
  }

/**
 * `masked_fill(mask, value=v)`, `index_fill(dim, index, value=v)`: a method whose parameters are
 * all required and that the facade takes positionally gets its keywords moved to their slots.
 */
const slotsForm =
  (names: ReadonlyArray<string>): KeywordForm =>
  (_, positional, kw, invalid) => {
    const given = names.slice(0, positional.length).some((n) => Object.hasOwn(kw, n))
    const slots = names.map((n, i) => (i < positional.length ? positional[i] : kw[n]))
    if (given || slots.includes(undefined)) throw invalid()
    return [...slots, ...positional.slice(names.length), ...rest(kw, names)]
  }

/** The legacy `new(data=|other=|size=|storage=, device=)`: one keyword in place of its positional form. */
const legacyNewForm: KeywordForm = (_, positional, kw) => {
  if (positional.length > 0) return [...positional, kw]
  const others = rest(kw, ['data', 'other', 'size', 'storage', 'device'])
  if (others.length > 0) return [kw]
  const device = kw.device
  if (device !== undefined && device !== null && String(device) !== 'cpu')
    throw new RuntimeError(`new(): expected a CPU device (wengert runs on the CPU), got ${String(device)}`)
  if (Object.hasOwn(kw, 'data') || Object.hasOwn(kw, 'other')) return [kw.data ?? kw.other]
  if (Object.hasOwn(kw, 'size')) return [...(kw.size as ReadonlyArray<number>)]
  if (Object.hasOwn(kw, 'storage'))
    throw new NotImplementedError('new(storage=...): a tensor over a given storage is not supported')
  return []
}

/** `gather(..., sparse_grad=)`: a sparse gradient has no layout here, so only `False` is taken. */
const gatherForm: KeywordForm = (_, positional, kw) => {
  if (kw.sparse_grad === true)
    throw new NotImplementedError('gather: sparse_grad=True is not supported (the facade has no sparse gradients)')
  const r = rest(kw, ['sparse_grad'])
  return [...positional, ...r]
}

/** `norm(..., dtype=)`: the input is cast to `dtype` first, as `linalg.vector_norm` does (PyTorch 2.x). */
const normForm: KeywordForm = (self, positional, kw) => {
  const dtype = kw.dtype
  if (dtype === undefined || dtype === null) return [self, ...positional, ...rest(kw, ['dtype'])]
  if (!(dtype instanceof TorchDType)) return [self, ...positional, kw]
  return [self.to(dtype), ...positional, ...rest(kw, ['dtype'])]
}

/** `cumsum_(dim, dtype=)`: in place, so `dtype` must be the tensor's own (PyTorch's check). */
const inPlaceScan: KeywordForm = (self, positional, kw) => {
  const dtype = kw.dtype
  if (dtype instanceof TorchDType && dtype !== self.dtype)
    throw new RuntimeError(
      `Bad in-place call: input tensor dtype ${self.dtype.cName} and output tensor dtype ${dtype.cName} should match`,
    )
  return [...positional, kw]
}

// ---------------------------------------------------------------------------------------------
// table
// ---------------------------------------------------------------------------------------------

/**
 * The keyword forms by method name. A form returns the method's arguments; `norm`'s first element is
 * the tensor to call the method on instead of `self` (see {@link applyKeywordForm}).
 * @internal
 */
export const KEYWORD_FORMS: ReadonlyMap<string, KeywordForm> = new Map<string, KeywordForm>([
  ['max', firstPositional('other')],
  ['min', firstPositional('other')],
  ['to', firstPositional('tensor')],
  ['bernoulli', firstPositional('p')],
  ['random_', randomForm],
  [
    'normal_',
    samplerForm('normal_', [
      ['mean', 0],
      ['std', 1],
    ]),
  ],
  [
    'uniform_',
    samplerForm('uniform_', [
      ['from', 0],
      ['to', 1],
    ]),
  ],
  ['fill_', slotsForm(['value'])],
  ['exponential_', samplerForm('exponential_', [['lambd', 1]])],
  ['geometric_', samplerForm('geometric_', [['p', undefined]])],
  [
    'log_normal_',
    samplerForm('log_normal_', [
      ['mean', 1],
      ['std', 2],
    ]),
  ],
  [
    'cauchy_',
    samplerForm('cauchy_', [
      ['median', 0],
      ['sigma', 1],
    ]),
  ],
  ['masked_fill', slotsForm(['mask', 'value'])],
  ['masked_fill_', slotsForm(['mask', 'value'])],
  ['masked_scatter', slotsForm(['mask', 'source'])],
  ['masked_scatter_', slotsForm(['mask', 'source'])],
  ['index_fill', slotsForm(['dim', 'index', 'value'])],
  ['index_fill_', slotsForm(['dim', 'index', 'value'])],
  ['new', legacyNewForm],
  ['new_zeros', newFactory('new_zeros')],
  ['new_ones', newFactory('new_ones')],
  ['new_empty', newFactory('new_empty')],
  ['gather', gatherForm],
  ['norm', normForm],
  ['cumsum_', inPlaceScan],
  ['cumprod_', inPlaceScan],
])

/** Names of the methods whose form replaces the receiver (the first element of the rewritten arguments). */
const RECEIVER_FORMS: ReadonlySet<string> = new Set(['norm'])

/**
 * The receiver and arguments of a call to method `name` whose trailing argument is the keyword
 * object `kw`, after its keyword form (unchanged when the method has none).
 * @internal
 */
export const applyKeywordForm = (
  name: string,
  self: unknown,
  args: ArrayLike<unknown>,
  kw: Kw,
  invalid: () => Error,
): [receiver: unknown, args: unknown[]] => {
  const positional = Array.prototype.slice.call(args, 0, -1) as unknown[]
  const form = KEYWORD_FORMS.get(name)
  if (form === undefined || !(self instanceof Tensor)) return [self, [...positional, kw]]
  const out = form(self, positional, kw, invalid)
  if (!RECEIVER_FORMS.has(name)) return [self, out]
  const [receiver, ...rest_] = out
  return [receiver, rest_]
}

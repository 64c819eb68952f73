/**
 * Keyed and list containers: `ModuleDict` (modules by name, readable as attributes —
 * `transformer.wte` — or by key), `ParameterList` and `ParameterDict` (registered parameters).
 * Entries are the container's own properties, so registration, `state_dict` keys and attribute
 * access are those of any Module.
 *
 * @category torch
 * @since 0.2.0
 */
import { IndexError, KeyError, TorchTypeError, TorchValueError } from '../errors'
import { Tensor } from '../tensor'
import { Module, pyTypeName } from './module'
import { Parameter } from './parameter'
import { pyParams } from '../kwargs'
import { pyClass } from './pyclass'

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const own = (m: Module, key: string): boolean => Object.prototype.hasOwnProperty.call(m, key)

/** Python's KeyError for a missing key (its message is the key's repr). */
const missingKey = (key: string): KeyError => new KeyError(`'${key}'`)

/** `(name, value)` pairs of a plain object, a Map or an iterable of pairs. */
const pairsOf = <V>(what: string, src: Record<string, V> | Iterable<readonly [string, V]>): Array<[string, V]> => {
  if (src instanceof Map) return [...(src as Map<string, V>).entries()]
  if (Symbol.iterator in Object(src)) {
    return [...(src as Iterable<readonly [string, V]>)].map((e, i) => {
      if (!Array.isArray(e) || e.length !== 2)
        throw new TorchValueError(
          `${what} update sequence element #${i} has length ${Array.isArray(e) ? e.length : 1}; 2 is required`,
        )
      return [e[0], e[1]]
    })
  }
  return Object.entries(src as Record<string, V>)
}

/** `Parameter containing: [torch.float32 of size 2x3]` (the list/dict entry repr). */
const paramLine = (key: string, p: Tensor, legacyType: boolean): string => {
  const size = p.shape.join('x')
  const kind = p instanceof Parameter ? 'Parameter' : 'Tensor'
  return `  (${key}): ${kind} containing: [${legacyType ? p.dtype.typeName : String(p.dtype)} of size ${size}]`
}

const asParameter = (v: Tensor): Parameter => (v instanceof Parameter ? v : new Parameter(v))

// -------------------------------------------------------------------------------------
// ModuleDict
// -------------------------------------------------------------------------------------

/** See {@link ModuleDict}. */
class ModuleDictImpl extends Module {
  constructor(modules: Record<string, Module> | Iterable<readonly [string, Module]> | null = null) {
    super()
    if (modules !== null) this.update(modules)
  }

  /** The module under `key` (Python's `d[key]`); raises KeyError when absent. */
  get(key: string): Module {
    const m = own(this, key) ? this._attrs()[key] : undefined
    if (!(m instanceof Module)) throw missingKey(key)
    return m
  }

  /** Adds or replaces the module under `key` (Python's `d[key] = m`). */
  set(key: string, module: Module): this {
    this.add_module(key, module)
    return this
  }

  /** True when `key` holds a module (Python's `key in d`). */
  has(key: string): boolean {
    return own(this, key) && this._attrs()[key] instanceof Module
  }

  /** Removes `key` and returns its module. */
  pop(key: string): Module {
    const m = this.get(key)
    delete this._attrs()[key]
    return m
  }

  /** Removes every module. */
  clear(): void {
    for (const k of this.keys()) delete this._attrs()[k]
  }

  /** Number of modules. */
  override get length(): number {
    return this.keys().length
  }

  /** The keys, in insertion order. */
  keys(): string[] {
    return Object.entries(this._attrs())
      .filter((e) => e[1] instanceof Module)
      .map(([k]) => k)
  }

  /** The modules, in insertion order. */
  values(): Module[] {
    return this.keys().map((k) => this.get(k))
  }

  /** `[key, module]` pairs, in insertion order. */
  items(): Array<[string, Module]> {
    return this.keys().map((k) => [k, this.get(k)])
  }

  /** Adds the entries of an object, a Map, a ModuleDict or `[key, module]` pairs. */
  update(modules: Record<string, Module> | Iterable<readonly [string, Module]> | ModuleDictImpl): void {
    const pairs = modules instanceof ModuleDictImpl ? modules.items() : pairsOf('ModuleDict', modules)
    for (const [k, m] of pairs) this.add_module(k, m)
  }

  /** Iterates the keys (as Python's `for k in d`). */
  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]()
  }
}

/** The ModuleDict constructor: its entries become typed attributes. */
interface ModuleDictCtor {
  new <T extends Record<string, Module> = Record<never, never>>(
    modules?: T | Iterable<readonly [string, Module]> | null,
  ): ModuleDict<T>
  <T extends Record<string, Module> = Record<never, never>>(
    modules?: T | Iterable<readonly [string, Module]> | null,
  ): ModuleDict<T>
  readonly prototype: ModuleDictImpl
}

/**
 * Holds submodules by name, registered so their parameters are found. Entries are readable as
 * attributes (typed: `ModuleDict({ wte, h })` has `.wte` and `.h`, as nanoGPT's
 * `self.transformer.wte`) and by key (`get`, `set`, `has`, `pop`, `keys`, `values`, `items`).
 * A key that names an existing attribute (`keys`, `training`, …) raises PyTorch's KeyError.
 * @example
 * import * as torch from 'wengert/torch'
 * const { nn } = torch
 * const t = nn.ModuleDict({ wte: nn.Embedding(10, 4), h: nn.ModuleList([nn.Linear(4, 4)]) })
 * assert.strictEqual(t.wte.embedding_dim, 4)
 * assert.ok(t.get('h') === t.h)
 * assert.deepStrictEqual(t.keys(), ['wte', 'h'])
 * assert.deepStrictEqual(Object.keys(t.state_dict()), ['wte.weight', 'h.0.weight', 'h.0.bias'])
 * @category torch @since 0.2.0
 */
export const ModuleDict = pyClass(ModuleDictImpl, 'ModuleDict') as unknown as ModuleDictCtor
/** An `nn.ModuleDict` instance whose entries `T` are also attributes. @category torch @since 0.2.0 */
export type ModuleDict<T extends Record<string, Module> = Record<never, never>> = ModuleDictImpl & T

// -------------------------------------------------------------------------------------
// ParameterList
// -------------------------------------------------------------------------------------

/** See {@link ParameterList}. */
class ParameterListImpl extends Module {
  /** The i-th parameter. */
  [index: number]: Parameter

  constructor(values: Iterable<Tensor> | null = null) {
    super()
    if (values !== null) this.extend(values)
  }

  /** Number of parameters. */
  override get length(): number {
    return this._own_parameters().length
  }

  /** The parameter at position `i` (negative counts from the end). */
  at(i: number): Parameter {
    const n = this.length
    if (!Number.isInteger(i) || i < -n || i >= n) throw new IndexError(`index ${i} is out of range`)
    return this._attrs()[String(i < 0 ? i + n : i)] as Parameter
  }

  /** Appends a tensor (a plain Tensor is wrapped in a Parameter, as PyTorch ≥ 1.12 does). */
  append(value: Tensor): this {
    if (!(value instanceof Tensor))
      throw new TorchTypeError(`ParameterList.append expects a Tensor, got ${pyTypeName(value)}`)
    this.register_parameter(String(this.length), asParameter(value))
    return this
  }

  /** Appends tensors. */
  extend(values: Iterable<Tensor>): this {
    for (const v of values) this.append(v)
    return this
  }

  /** Iterates the parameters in order. */
  [Symbol.iterator](): Iterator<Parameter> {
    return this._own_parameters()
      .map(([, p]) => p)
      [Symbol.iterator]()
  }

  override extra_repr(): string {
    return this._own_parameters()
      .map(([k, p]) => paramLine(k, p, false))
      .join('\n')
  }
}

/**
 * Holds parameters in a list (registered under `0`, `1`, …); plain tensors are wrapped in
 * Parameters. Indexable (`pl[0]`, `at(-1)`), iterable, with `append`/`extend`.
 * @example
 * import * as torch from 'wengert/torch'
 * const pl = torch.nn.ParameterList([torch.zeros(2, 3), torch.ones(3)])
 * assert.strictEqual(pl.length, 2)
 * assert.ok(pl[1] instanceof torch.nn.Parameter)
 * assert.strictEqual(String(pl), 'ParameterList(\n    (0): Parameter containing: [torch.float32 of size 2x3]\n    (1): Parameter containing: [torch.float32 of size 3]\n)')
 * @category torch @since 0.2.0
 */
export const ParameterList = pyClass(
  ParameterListImpl,
  'ParameterList',
  pyParams('ParameterList.__init__', ['values'], 0, 1),
)
/** An `nn.ParameterList` instance. @category torch @since 0.2.0 */
export type ParameterList = ParameterListImpl

// -------------------------------------------------------------------------------------
// ParameterDict
// -------------------------------------------------------------------------------------

/** See {@link ParameterDict}. */
class ParameterDictImpl extends Module {
  constructor(parameters: Record<string, Tensor> | Iterable<readonly [string, Tensor]> | null = null) {
    super()
    if (parameters !== null) this.update(parameters)
  }

  /** The parameter under `key`; raises KeyError when absent. */
  get(key: string): Parameter {
    const p = own(this, key) ? this._attrs()[key] : undefined
    if (!(p instanceof Parameter)) throw missingKey(key)
    return p
  }

  /** Adds or replaces the parameter under `key` (a plain Tensor is wrapped). */
  set(key: string, value: Tensor): this {
    this.register_parameter(key, asParameter(value))
    return this
  }

  /** True when `key` holds a parameter. */
  has(key: string): boolean {
    return own(this, key) && this._attrs()[key] instanceof Parameter
  }

  /** Removes `key` and returns its parameter. */
  pop(key: string): Parameter {
    const p = this.get(key)
    delete this._attrs()[key]
    return p
  }

  /** Number of parameters. */
  override get length(): number {
    return this._own_parameters().length
  }

  /** The keys, in insertion order. */
  keys(): string[] {
    return this._own_parameters().map(([k]) => k)
  }

  /** The parameters, in insertion order. */
  values(): Parameter[] {
    return this._own_parameters().map(([, p]) => p)
  }

  /** `[key, parameter]` pairs. */
  items(): Array<[string, Parameter]> {
    return this._own_parameters()
  }

  /** Adds the entries of an object, a Map or `[key, tensor]` pairs. */
  update(parameters: Record<string, Tensor> | Iterable<readonly [string, Tensor]>): void {
    for (const [k, v] of pairsOf('ParameterDict', parameters)) this.set(k, v)
  }

  /** Iterates the keys. */
  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]()
  }

  override extra_repr(): string {
    return this._own_parameters()
      .map(([k, p]) => paramLine(k, p, true))
      .join('\n')
  }
}

/**
 * Holds parameters by name (entries are also attributes); plain tensors are wrapped in Parameters.
 * @example
 * import * as torch from 'wengert/torch'
 * const pd = torch.nn.ParameterDict({ a: torch.zeros(2), b: torch.ones(1, 2) })
 * assert.deepStrictEqual(Object.keys(pd.state_dict()), ['a', 'b'])
 * assert.strictEqual(String(pd), 'ParameterDict(\n    (a): Parameter containing: [torch.FloatTensor of size 2]\n    (b): Parameter containing: [torch.FloatTensor of size 1x2]\n)')
 * @category torch @since 0.2.0
 */
export const ParameterDict = pyClass(ParameterDictImpl, 'ParameterDict')
/** An `nn.ParameterDict` instance. @category torch @since 0.2.0 */
export type ParameterDict = ParameterDictImpl

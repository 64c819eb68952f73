/**
 * Containers: `Sequential` (a chain of modules) and `ModuleList` (an indexable list of
 * registered modules). Children are stored under the keys `'0'`, `'1'`, … so `seq[0]` works
 * as in Python, and `state_dict()` keys read `0.weight`, `2.bias`.
 *
 * @category torch
 * @since 0.1.0
 */
import { IndexError, TorchTypeError, TorchValueError as TorchValueErrorSlice } from '../errors'
import type { Tensor } from '../tensor'
import { Module, pyTypeName } from './module'
import { pyClass } from './pyclass'

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** The registered child modules in order, duplicates kept (unlike `children()`). */
const entries = (m: Module): Array<[string, Module]> =>
  Object.entries(m._attrs()).filter((e): e is [string, Module] => e[1] instanceof Module)

const normIndex = (what: string, i: number, n: number): number => {
  if (!Number.isInteger(i) || i < -n || i >= n) throw new IndexError(`index ${i} is out of range`)
  void what
  return i < 0 ? i + n : i
}

/** Re-registers `modules` under the keys `0`, `1`, … in place of the current children. */
const renumber = (m: Module, modules: ReadonlyArray<Module>): void => {
  for (const [k] of entries(m)) delete m._attrs()[k]
  modules.forEach((mod, i) => m.add_module(String(i), mod))
}

/** Python's `list.insert` position check (`-n <= index <= n`), normalised. */
const insertIndex = (index: number, n: number): number => {
  if (!Number.isInteger(index) || index < -n || index > n) throw new IndexError(`Index out of range: ${index}`)
  return index < 0 ? index + n : index
}

/** Python's slice `[start:stop:step]` positions over `n` items. */
const slicePositions = (n: number, start?: number | null, stop?: number | null, step = 1): number[] => {
  if (step === 0) throw new TorchValueErrorSlice('slice step cannot be zero')
  const norm = (v: number | null | undefined, dflt: number): number =>
    v === null || v === undefined
      ? dflt
      : v < 0
        ? Math.max(v + n, step < 0 ? -1 : 0)
        : Math.min(v, step < 0 ? n - 1 : n)
  const a = norm(start, step > 0 ? 0 : n - 1)
  const b = norm(stop, step > 0 ? n : -1)
  const out: number[] = []
  for (let i = a; step > 0 ? i < b : i > b; i += step) out.push(i)
  return out
}

const checkModule = (m: unknown): Module => {
  if (!(m instanceof Module)) throw new TorchTypeError(`${pyTypeName(m)} is not a Module subclass`)
  return m
}

// -------------------------------------------------------------------------------------
// Sequential
// -------------------------------------------------------------------------------------

/** See {@link Sequential}. */
class SequentialImpl extends Module {
  /** The i-th module (when built from a list of modules). */
  [index: number]: Module

  constructor(...args: Module[] | [Record<string, Module> | ReadonlyMap<string, Module>]) {
    super()
    const first = args[0]
    if (args.length === 1 && !(first instanceof Module) && first !== undefined) {
      const named =
        first instanceof Map
          ? [...(first as ReadonlyMap<string, Module>).entries()]
          : Object.entries(first as Record<string, Module>)
      for (const [k, m] of named) this.add_module(k, checkModule(m))
    } else {
      ;(args as ReadonlyArray<Module>).forEach((m, i) => this.add_module(String(i), checkModule(m)))
    }
  }

  /** Number of modules (Python's `len(seq)`). */
  override get length(): number {
    return entries(this).length
  }

  /** The module at position `i` (negative counts from the end). */
  at(i: number): Module {
    const es = entries(this)
    return (es[normIndex('Sequential', i, es.length)] as [string, Module])[1]
  }

  /** Appends a module; returns this. */
  append(module: Module): this {
    this.add_module(String(this.length), checkModule(module))
    return this
  }

  /** Appends modules; returns this. */
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m)
    return this
  }

  /** Inserts `module` before position `index` (Python's `seq.insert`); returns this. */
  insert(index: number, module: Module): this {
    const mods = entries(this).map(([, m]) => m)
    mods.splice(insertIndex(index, mods.length), 0, checkModule(module))
    renumber(this, mods)
    return this
  }

  /** Removes the module at position `index` (default last) and returns it; later ones move down. */
  pop(index = -1): Module {
    const mods = entries(this).map(([, m]) => m)
    const i = normIndex('Sequential', index, mods.length)
    const [out] = mods.splice(i, 1) as [Module]
    renumber(this, mods)
    return out
  }

  /** Python's `seq[start:stop:step]`: a new Sequential of those modules, keeping their names. */
  slice(start?: number | null, stop?: number | null, step = 1): SequentialImpl {
    const es = entries(this)
    return new SequentialImpl(
      new Map(slicePositions(es.length, start, stop, step).map((i) => es[i] as [string, Module])),
    )
  }

  /** Iterates the modules in order. */
  [Symbol.iterator](): Iterator<Module> {
    return entries(this)
      .map(([, m]) => m)
      [Symbol.iterator]()
  }

  /** Feeds `input` through each module in turn (each module's `call`, so hooks run). */
  forward(input: Tensor): Tensor {
    let x: unknown = input
    for (const [, m] of entries(this)) x = m._call_impl([x])
    return x as Tensor
  }
}

/**
 * A chain of modules: `forward(x)` feeds `x` through each in order. Built from modules
 * (`nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))`, children named `0`, `1`, …) or
 * from one object or Map of named modules.
 * @example
 * import * as torch from 'wengert/torch'
 * const { nn } = torch
 * const net = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
 * assert.strictEqual(String(net.call(torch.ones(5, 2)).shape), 'torch.Size([5, 1])')
 * assert.deepStrictEqual(Object.keys(net.state_dict()), ['0.weight', '0.bias', '2.weight', '2.bias'])
 * assert.ok(net[1] instanceof nn.ReLU)
 * @category torch @since 0.1.0
 */
export const Sequential = pyClass(SequentialImpl, 'Sequential')
/** An `nn.Sequential` instance. @category torch @since 0.1.0 */
export type Sequential = SequentialImpl

// -------------------------------------------------------------------------------------
// ModuleList
// -------------------------------------------------------------------------------------

/** See {@link ModuleList}. */
class ModuleListImpl<M extends Module = Module> extends Module {
  /** The i-th module. */
  [index: number]: M

  constructor(modules: Iterable<M> = []) {
    super()
    for (const m of modules) this.append(m)
  }

  /** Number of modules. */
  override get length(): number {
    return entries(this).length
  }

  /** The module at position `i` (negative counts from the end). */
  at(i: number): M {
    const es = entries(this)
    return (es[normIndex('ModuleList', i, es.length)] as [string, Module])[1] as M
  }

  /** Appends a module; returns this. */
  append(module: M): this {
    this.add_module(String(this.length), checkModule(module))
    return this
  }

  /** Appends modules; returns this. */
  extend(modules: Iterable<M>): this {
    for (const m of modules) this.append(m)
    return this
  }

  /** Inserts `module` before position `index` (Python's `list.insert`). */
  insert(index: number, module: M): void {
    const mods = entries(this).map(([, m]) => m)
    mods.splice(insertIndex(index, mods.length), 0, checkModule(module))
    renumber(this, mods)
  }

  /** Removes the module at position `index` and returns it; later ones move down. */
  pop(index: number): M {
    const mods = entries(this).map(([, m]) => m)
    const [out] = mods.splice(normIndex('ModuleList', index, mods.length), 1) as [Module]
    renumber(this, mods)
    return out as M
  }

  /** Python's `lst[start:stop:step]`: a new ModuleList of those modules (renumbered from 0). */
  slice(start?: number | null, stop?: number | null, step = 1): ModuleListImpl<M> {
    const es = entries(this)
    return new ModuleListImpl(slicePositions(es.length, start, stop, step).map((i) => (es[i] as [string, M])[1]))
  }

  /** PyTorch's ModuleList repr: runs of identical modules print once, as `(0-2): 3 x Linear(…)`. */
  override toString(): string {
    const reprs = entries(this).map(([, m]) => String(m))
    if (reprs.length === 0) return `${this._get_name()}()`
    const blocks: Array<[number, number, string]> = []
    reprs.forEach((r, i) => {
      const last = blocks[blocks.length - 1]
      if (last !== undefined && last[2] === r) last[1] = i
      else blocks.push([i, i, r])
    })
    const lines = blocks.map(([a, b, r]) =>
      (a === b ? `(${a}): ${r}` : `(${a}-${b}): ${b - a + 1} x ${r}`).split('\n').join('\n  '),
    )
    return `${this._get_name()}(\n  ${lines.join('\n  ')}\n)`
  }

  /** Iterates the modules in order. */
  [Symbol.iterator](): Iterator<M> {
    return entries(this)
      .map(([, m]) => m as M)
      [Symbol.iterator]()
  }
}

/**
 * Holds submodules in a list, registered so their parameters are found (a plain array
 * property is not scanned, as in PyTorch). It has no `forward`.
 * @example
 * import * as torch from 'wengert/torch'
 * const { nn } = torch
 * class Net extends nn.Module {
 *   layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])
 *   forward(x: torch.Tensor): torch.Tensor {
 *     for (const l of this.layers) x = l.call(x)
 *     return x
 *   }
 * }
 * assert.strictEqual([...new Net().parameters()].length, 4)
 * @category torch @since 0.1.0
 */
export const ModuleList = pyClass(ModuleListImpl, 'ModuleList') as unknown as {
  new <M extends Module = Module>(modules?: Iterable<M>): ModuleListImpl<M>
  <M extends Module = Module>(modules?: Iterable<M>): ModuleListImpl<M>
  readonly prototype: ModuleListImpl
}
/** An `nn.ModuleList` instance. @category torch @since 0.1.0 */
export type ModuleList<M extends Module = Module> = ModuleListImpl<M>

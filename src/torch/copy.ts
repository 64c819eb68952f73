/**
 * `torch.copy`: the facade's spelling of Python's `copy` module for the objects ported code copies —
 * `copy.deepcopy(model)` (target networks, EMA teachers, best-model snapshots), `deepcopy(state_dict)`,
 * `copy.copy(x)`. Tensors follow PyTorch's `__deepcopy__` protocol: only graph leaves can be
 * deep-copied, a copy keeps `requires_grad` and gets a deep copy of `.grad`; a `Parameter`'s copy is
 * a fresh parameter without a gradient; objects reached twice stay shared in the copy (the memo).
 *
 * @category torch
 * @since 0.3.0
 */
import { RuntimeError } from './errors'
import { Module } from './nn/module'
import { Parameter } from './nn/parameter'
import { Tensor } from './tensor'
import { no_grad } from './autograd/grad_mode'

/** The objects already copied in one `deepcopy` call (Python's `memo`). @category torch @since 0.3.0 */
export type Memo = Map<unknown, unknown>

const NON_LEAF =
  'Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment.  If you were attempting to deepcopy a module, this may be because of a torch.nn.utils.weight_norm usage, see https://github.com/pytorch/pytorch/pull/103001'

/** A new, empty callable module instance with `proto` (modules are functions: `model(x)`). */
const blankModule = (proto: object): Module => {
  const self = ((...args: unknown[]): unknown => self._call_impl(args)) as unknown as Module
  delete (self as { length?: number }).length
  delete (self as { name?: string }).name
  Object.setPrototypeOf(self, proto)
  return self
}

/** Copies `src`'s own properties (descriptors kept, values deep-copied) onto `dst`. */
const copyProperties = (src: object, dst: object, memo: Memo): void => {
  for (const key of Reflect.ownKeys(src)) {
    const desc = Object.getOwnPropertyDescriptor(src, key) as PropertyDescriptor
    Object.defineProperty(dst, key, 'value' in desc ? { ...desc, value: deepcopy(desc.value, memo) } : desc)
  }
}

/** PyTorch's `Tensor.__deepcopy__` / `Parameter.__deepcopy__`. */
const copyTensor = (t: Tensor, memo: Memo): Tensor => {
  if (t instanceof Parameter) {
    const p = new Parameter(
      no_grad(() => t.detach().clone()),
      t.requires_grad,
    )
    memo.set(t, p)
    return p
  }
  if (!t.is_leaf) throw new RuntimeError(NON_LEAF)
  const c = no_grad(() => t.detach().clone())
  memo.set(t, c)
  if (t.requires_grad) c.requires_grad_(true)
  const g = t.grad
  if (g !== null) c.grad = copyTensor(g, memo)
  return c
}

/** A deep copy of an array, Map, Set or plain/class object (registered in `memo` before its contents). */
const copyContainer = (v: object, memo: Memo): unknown => {
  if (Array.isArray(v)) {
    const out: unknown[] = []
    memo.set(v, out)
    for (const e of v as unknown[]) out.push(deepcopy(e, memo))
    return out
  }
  if (v instanceof Map) {
    const out = new Map<unknown, unknown>()
    memo.set(v, out)
    for (const [k, e] of v) out.set(deepcopy(k, memo), deepcopy(e, memo))
    return out
  }
  if (v instanceof Set) {
    const out = new Set<unknown>()
    memo.set(v, out)
    for (const e of v) out.add(deepcopy(e, memo))
    return out
  }
  if (ArrayBuffer.isView(v)) {
    const out = (v as unknown as { slice(): unknown }).slice()
    memo.set(v, out)
    return out
  }
  const out = Object.create(Object.getPrototypeOf(v) as object | null) as object
  memo.set(v, out)
  copyProperties(v, out, memo)
  return out
}

/**
 * Python's `copy.deepcopy(x)`: modules (callable copies with copied parameters, buffers, submodules
 * and hooks lists), tensors (PyTorch's leaf-only protocol), arrays, Maps, Sets, typed arrays and
 * objects are copied recursively; numbers, strings, functions and frozen values are returned as they
 * are (frozen objects — dtypes, devices, sizes, wengert's immutable arrays — are values). An object
 * reached twice is copied once.
 * @example
 * import * as torch from 'wengert/torch'
 * const net = torch.nn.Linear(2, 1)
 * const target = torch.copy.deepcopy(net)
 * torch.no_grad(() => net.weight.add_(1))
 * assert.notStrictEqual(target.weight, net.weight)
 * assert.ok(!torch.equal(target.weight, net.weight))
 * assert.strictEqual(target(torch.ones(1, 2)).numel(), 1)
 * @category torch @since 0.3.0
 */
export const deepcopy = <T>(x: T, memo: Memo = new Map()): T => {
  if (x === null || (typeof x !== 'object' && typeof x !== 'function')) return x
  if (memo.has(x)) return memo.get(x) as T
  if (x instanceof Tensor) return copyTensor(x, memo) as T
  if (x instanceof Module) {
    const c = blankModule(Object.getPrototypeOf(x) as object)
    memo.set(x, c)
    copyProperties(x, c, memo)
    return c as T
  }
  if (typeof x === 'function' || Object.isFrozen(x)) return x
  return copyContainer(x, memo) as T
}

/**
 * Python's `copy.copy(x)`: a shallow copy — a new container (array, Map, Set, object, module) whose
 * entries are the same objects. A tensor's shallow copy is a new leaf sharing its memory, with its
 * `requires_grad` and without `.grad` (a `Parameter` stays a `Parameter`), as PyTorch's.
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.ones(2, { requires_grad: true })
 * const b = torch.copy.copy(a)
 * assert.strictEqual(b.data_ptr(), a.data_ptr())
 * assert.strictEqual(b.requires_grad, true)
 * @category torch @since 0.3.0
 */
export const copy = <T>(x: T): T => {
  if (x === null || (typeof x !== 'object' && typeof x !== 'function')) return x
  if (x instanceof Tensor) {
    const d = x.detach()
    if (x instanceof Parameter) return new Parameter(d, x.requires_grad) as T
    if (x.requires_grad) d.requires_grad_(true)
    return d as T
  }
  if (x instanceof Module) {
    const c = blankModule(Object.getPrototypeOf(x) as object)
    for (const key of Reflect.ownKeys(x))
      Object.defineProperty(c, key, Object.getOwnPropertyDescriptor(x, key) as PropertyDescriptor)
    return c as T
  }
  if (typeof x === 'function' || Object.isFrozen(x)) return x
  if (Array.isArray(x)) return [...(x as unknown[])] as T
  if (x instanceof Map) return new Map(x) as T
  if (x instanceof Set) return new Set(x) as T
  const out = Object.create(Object.getPrototypeOf(x) as object | null) as object
  for (const key of Reflect.ownKeys(x))
    Object.defineProperty(out, key, Object.getOwnPropertyDescriptor(x, key) as PropertyDescriptor)
  return out as T
}

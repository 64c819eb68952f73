/**
 * A deep copy of a module, as Python's `copy.deepcopy(module)` (used by the Transformer stacks).
 *
 * @category torch
 * @since 0.2.0
 */
import { Tensor } from '../tensor'
import { Module } from './module'
import { Parameter } from './parameter'

/**
 * A deep copy of a module (PyTorch's `copy.deepcopy` as `_get_clones` uses it): parameters and
 * buffers are cloned, submodules copied recursively, shared objects stay shared.
 * NOTE: private until a shared deep copy exists in the facade.
 */
export const deepCopy = <M extends Module>(m: M, memo: Map<unknown, unknown> = new Map()): M => {
  const seen = memo.get(m)
  if (seen !== undefined) return seen as M
  const c = Object.create(Object.getPrototypeOf(m) as object) as M
  memo.set(m, c)
  const copy = (v: unknown): unknown => {
    if (memo.has(v)) return memo.get(v)
    let r: unknown = v
    if (v instanceof Module) return deepCopy(v, memo)
    if (v instanceof Parameter) r = new Parameter(v.detach().clone(), v.requires_grad)
    else if (v instanceof Tensor) r = v.detach().clone()
    else if (v instanceof Map) r = new Map(v)
    else if (Array.isArray(v)) r = [...(v as unknown[])]
    if (r !== v) memo.set(v, r)
    return r
  }
  for (const key of Reflect.ownKeys(m)) {
    const desc = Object.getOwnPropertyDescriptor(m, key) as PropertyDescriptor
    Object.defineProperty(c, key, 'value' in desc ? { ...desc, value: copy(desc.value) } : desc)
  }
  return c
}

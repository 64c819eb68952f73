/**
 * The closed primitive set. The registry is derived from these family modules' exports, never
 * from a hand-written list.
 *
 * @category primitives
 * @since 0.1.0
 */
import * as compare from './compare'
import * as elementwise from './elementwise'
import * as linalg from './linalg'
import * as misc from './misc'
import * as movement from './movement'
import * as reduce from './reduce'
import type { AnyPrimitive } from '../primitive'

/** Every family module, each a namespace of primitive definitions (and param types). */
export const families = { elementwise, compare, reduce, movement, linalg, misc } as const

type Values<T> = T[keyof T]
type FamilyExports = { [F in keyof typeof families]: Values<(typeof families)[F]> }[keyof typeof families]
/** Union of all primitive definitions. */
export type RegisteredPrimitive = Extract<FamilyExports, AnyPrimitive>
/** Names of all primitives: `'add' | 'mul' | …`. */
export type PrimitiveName = RegisteredPrimitive['name']

const isPrimitive = (u: unknown): u is AnyPrimitive =>
  typeof u === 'object' &&
  u !== null &&
  typeof (u as { impl?: unknown }).impl === 'function' &&
  typeof (u as { name?: unknown }).name === 'string'

/** All registered primitives by name. */
export const registry: ReadonlyMap<string, AnyPrimitive> = new Map(
  Object.values(families)
    .flatMap((ns) => Object.values(ns))
    .filter(isPrimitive)
    .map((p) => [p.name, p] as const),
)

export { compare, elementwise, linalg, misc, movement, reduce }

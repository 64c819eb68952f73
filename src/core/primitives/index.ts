/**
 * The closed primitive set. The registry is derived from these family modules' exports, never
 * from a hand-written list.
 *
 * @category primitives
 * @since 0.1.0
 */
import * as bitwise from './bitwise'
import * as collective from './collective'
import * as branch from './branch'
import * as compare from './compare'
import * as control from './control'
import * as conv from './conv'
import * as decompositions from './decompositions'
import * as elementwise from './elementwise'
import * as floatBits from './floatBits'
import * as hyperbolic from './hyperbolic'
import * as indexing from './indexing'
import * as linalg from './linalg'
import * as misc from './misc'
import * as movement from './movement'
import * as reduce from './reduce'
import * as scatter from './scatter'
import * as sorting from './sorting'
import * as remat from './remat'
import * as spectral from './spectral'
import * as scipyLinalg from './scipyLinalg'
import * as determinant from './determinant'
import * as householder from './householder'
import * as special from './special'
import * as random from './random'
import {
  isBound,
  isBoundMulti,
  type AnyBound,
  type AnyBoundMulti,
  type AnyMultiPrimitive,
  type AnyPrimitive,
} from '../primitive'

/** Every family module, each a namespace of bound primitives (and param types). */
export const families = {
  elementwise,
  floatBits,
  bitwise,
  hyperbolic,
  compare,
  reduce,
  movement,
  indexing,
  linalg,
  misc,
  decompositions,
  spectral,
  conv,
  scatter,
  sorting,
  control,
  branch,
  remat,
  special,
  random,
  collective,
  scipyLinalg,
  determinant,
  householder,
} as const

type Values<T> = T[keyof T]
type FamilyExports = { [F in keyof typeof families]: Values<(typeof families)[F]> }[keyof typeof families]
/** Union of all primitive definitions. */
export type RegisteredPrimitive = Extract<FamilyExports, AnyBound>['primitive']
/** Names of all primitives: `'add' | 'mul' | …`. */
export type PrimitiveName = RegisteredPrimitive['name']
/** Union of all `multipleResults` primitive definitions (`lu`, `qr`, `eigh`, `svd`). */
export type RegisteredMultiPrimitive = Extract<FamilyExports, AnyBoundMulti>['primitive']
/** Names of all `multipleResults` primitives. */
export type MultiPrimitiveName = RegisteredMultiPrimitive['name']

/** All registered primitives by name. */
export const registry: ReadonlyMap<string, AnyPrimitive> = new Map(
  Object.values(families)
    .flatMap((ns) => Object.values(ns))
    .filter(isBound)
    .map(({ primitive: p }): readonly [string, AnyPrimitive] => [p.name, p]),
)

/** All registered `multipleResults` primitives by name (bound with `bindMulti`). */
export const multiRegistry: ReadonlyMap<string, AnyMultiPrimitive> = new Map(
  Object.values(families)
    .flatMap((ns) => Object.values(ns))
    .filter(isBoundMulti)
    .map(({ primitive: p }): readonly [string, AnyMultiPrimitive] => [p.name, p]),
)

export {
  branch,
  compare,
  control,
  conv,
  decompositions,
  elementwise,
  floatBits,
  indexing,
  linalg,
  misc,
  movement,
  reduce,
  remat,
  scatter,
  sorting,
  spectral,
  special,
  random,
  scipyLinalg,
  determinant,
}

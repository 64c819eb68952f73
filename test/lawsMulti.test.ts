/**
 * Every law over every registered `multipleResults` primitive (lu, qr, eigh, svd), in float64:
 * each is checked as the function returning all its results flattened and concatenated (see
 * `LawTarget`). The last test checks the laws ran over exactly the registered ones.
 */
import { describe, expect, it } from 'vitest'
import { multiDomains, multiRegistry, type Domain, type LawName } from 'wengert/laws'
import { lawSuite } from './helpers/lawSuite'

/** Runs per law and primitive (each run is a small decomposition and its rules). */
const RUNS: { readonly [L in LawName]: number } = {
  vjp: 40,
  jvp: 40,
  adjoint: 40,
  cotangentLinearity: 20,
  secondOrder: 20,
  zeroDerivative: 20,
  shapes: 40,
  replay: 20,
  closure: 20,
  batching: 20,
  stopGradient: 20,
  linearity: 20,
}

const domainOf = (name: string): Domain | undefined =>
  Object.hasOwn(multiDomains, name) ? (multiDomains[name as keyof typeof multiDomains] as unknown as Domain) : undefined

const ran = lawSuite([...multiRegistry.values()], domainOf, 'laws/decompositionDomains.ts', RUNS)

describe('coverage', () => {
  it('ran the laws over exactly the registered multipleResults primitives', () => {
    expect([...ran.keys()].sort()).toEqual([...multiRegistry.keys()].sort())
    expect([...multiRegistry.keys()].sort()).toEqual([
      'cond',
      'eigh',
      'hessenberg',
      'lu',
      'qr',
      'remat',
      'scan',
      'schur',
      'sort',
      'svd',
      'top_k',
      'tridiagonal',
      'while',
    ])
  })
})

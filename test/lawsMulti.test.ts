/**
 * Every law over every registered `multipleResults` primitive (lu, qr, eigh, svd), in float64:
 * each is checked as the function returning all its results flattened and concatenated (see
 * `LawTarget`). The last test checks the laws ran over exactly the registered ones.
 */
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { laws, lawsFor, multiDomains, multiRegistry, type LawName, type MultiDomain } from 'wengert/laws'

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

/** `LAWS_RUNS_SCALE=10 npx vitest run test/lawsMulti.test.ts` runs a deeper search (not in CI). */
const SCALE = Number(process.env['LAWS_RUNS_SCALE'] ?? '1')

const ran = new Map<string, Set<LawName>>()

const domainOf = (name: string): MultiDomain | undefined =>
  Object.hasOwn(multiDomains, name)
    ? (multiDomains[name as keyof typeof multiDomains] as unknown as MultiDomain)
    : undefined

describe.each([...multiRegistry.values()].map((p) => [p.name, p] as const))('%s', (name, prim) => {
  it.each(lawsFor(prim).map((l) => [l]))('%s', (law) => {
    // Arrange
    const domain = domainOf(name)
    expect(domain, `${name} has no domain in laws/decompositionDomains.ts`).toBeDefined()
    if (domain === undefined) return
    const seen = ran.get(name) ?? new Set<LawName>()
    seen.add(law)
    ran.set(name, seen)
    // Act + Assert
    fc.assert(laws[law](prim, domain.instances, domain), { numRuns: Math.max(1, Math.round(RUNS[law] * SCALE)) })
  })
})

describe('coverage', () => {
  it('ran the laws over exactly the registered multipleResults primitives', () => {
    expect([...ran.keys()].sort()).toEqual([...multiRegistry.keys()].sort())
    expect([...multiRegistry.keys()].sort()).toEqual(['eigh', 'lu', 'qr', 'svd'])
  })
})

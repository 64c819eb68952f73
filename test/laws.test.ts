/**
 * Every law over every registered primitive (STYLE C12), in float64. The last test checks that
 * the set of primitives the laws ran over is exactly the registry, and that none skipped a law
 * that applies to it.
 */
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { domains, laws, lawsFor, registry, type Domain, type LawName, type PrimitiveName } from 'wengert/laws'

/** Runs per law and primitive: small, so the whole file stays well under ~90 s on 2 cores. */
const RUNS: { readonly [L in LawName]: number } = {
  vjp: 100,
  jvp: 100,
  adjoint: 100,
  cotangentLinearity: 50,
  secondOrder: 60,
  zeroDerivative: 50,
  shapes: 100,
  replay: 50,
  closure: 50,
  batching: 40,
  stopGradient: 30,
  linearity: 100,
}

/** `LAWS_RUNS_SCALE=10 npx vitest run test/laws.test.ts` runs a deeper search (not in CI). */
const SCALE = Number(process.env['LAWS_RUNS_SCALE'] ?? '1')

/** Which laws ran over which primitive. */
const ran = new Map<string, Set<LawName>>()

const domainOf = (name: string): Domain | undefined =>
  Object.hasOwn(domains, name) ? (domains[name as PrimitiveName] as unknown as Domain) : undefined

describe.each([...registry.values()].map((p) => [p.name, p] as const))('%s', (name, prim) => {
  it.each(lawsFor(prim).map((l) => [l]))('%s', (law) => {
    // Arrange
    const domain = domainOf(name)
    expect(domain, `${name} has no domain in laws/domains.ts`).toBeDefined()
    if (domain === undefined) return
    const seen = ran.get(name) ?? new Set<LawName>()
    seen.add(law)
    ran.set(name, seen)
    // Act + Assert
    fc.assert(laws[law](prim, domain.instances, domain), { numRuns: Math.max(1, Math.round(RUNS[law] * SCALE)) })
  })
})

describe('coverage', () => {
  it('ran the laws over exactly the registered primitives, skipping none', () => {
    expect([...ran.keys()].sort()).toEqual([...registry.keys()].sort())
    for (const [name, prim] of registry) {
      expect([...(ran.get(name) ?? [])].sort(), name).toEqual([...lawsFor(prim)].sort())
    }
  })
})

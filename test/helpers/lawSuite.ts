/**
 * The one law-suite runner of test/laws.test.ts (single-result primitives) and
 * test/lawsMulti.test.ts (multipleResults primitives): every law that applies to each primitive,
 * over its domain, in float64; returns which laws ran over which primitive, for the coverage test.
 */
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { laws, lawsFor, withAxisEnv, type Domain, type LawName } from 'wengert/laws'
import type { AnyMultiPrimitive, AnyPrimitive } from '../../src/core/primitive'

/** `LAWS_RUNS_SCALE=10 npx vitest run test/laws.test.ts` runs a deeper search (not in CI). */
const SCALE = Number(process.env['LAWS_RUNS_SCALE'] ?? '1')

/** The laws that need a VJP (not run over a domain marked `forwardOnly`). */
const REVERSE_LAWS: ReadonlyArray<LawName> = [
  'vjp',
  'adjoint',
  'cotangentLinearity',
  'secondOrder',
  'closure',
  'shapes',
  'replay',
  'stopGradient',
]

/** Runs `describe.each` over `prims`; `domainOf` finds each one's domain (named in `domainFile`). */
export const lawSuite = (
  prims: ReadonlyArray<AnyPrimitive | AnyMultiPrimitive>,
  domainOf: (name: string) => Domain | undefined,
  domainFile: string,
  runs: { readonly [L in LawName]: number },
): ReadonlyMap<string, ReadonlySet<LawName>> => {
  const ran = new Map<string, Set<LawName>>()
  describe.each(prims.map((p) => [p.name, p] as const))('%s', (name, prim) => {
    const forwardOnly = (domainOf(name) as { readonly forwardOnly?: string } | undefined)?.forwardOnly !== undefined
    const applicable = lawsFor(prim).filter((l) => !forwardOnly || !REVERSE_LAWS.includes(l))
    it.each(applicable.map((l) => [l]))('%s', (law) => {
      // Arrange
      const domain = domainOf(name)
      expect(domain, `${name} has no domain in ${domainFile}`).toBeDefined()
      if (domain === undefined) return
      const seen = ran.get(name) ?? new Set<LawName>()
      seen.add(law)
      ran.set(name, seen)
      // Act + Assert
      withAxisEnv(domain.axisEnv ?? [], () =>
        fc.assert(laws[law](prim, domain.instances, domain), { numRuns: Math.max(1, Math.round(runs[law] * SCALE)) }),
      )
    })
  })
  return ran
}

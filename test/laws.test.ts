/**
 * Every law over every registered primitive (STYLE C12), in float64. The last test checks that
 * the set of primitives the laws ran over is exactly the registry, and that none skipped a law
 * that applies to it.
 */
import { describe, expect, it } from 'vitest'
import { domains, lawsFor, registry, type Domain, type LawName, type PrimitiveName } from 'wengert/laws'
import { lawSuite } from './helpers/lawSuite'

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

const domainOf = (name: string): Domain | undefined =>
  Object.hasOwn(domains, name) ? (domains[name as PrimitiveName] as unknown as Domain) : undefined

/** Which laws ran over which primitive. */
const ran = lawSuite([...registry.values()], domainOf, 'laws/domains.ts', RUNS)

describe('coverage', () => {
  it('ran the laws over exactly the registered primitives, skipping none', () => {
    expect([...ran.keys()].sort()).toEqual([...registry.keys()].sort())
    for (const [name, prim] of registry) {
      expect([...(ran.get(name) ?? [])].sort(), name).toEqual([...lawsFor(prim)].sort())
    }
  })
})

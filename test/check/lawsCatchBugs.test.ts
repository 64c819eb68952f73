/**
 * The laws must catch wrong rules: each mutant below breaks one thing in an otherwise correct
 * primitive or function, and the law responsible for it must fail (while the correct version
 * passes).
 */
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { definePrimitive, vectorized, type AnyPrimitive } from '../../src/core/primitive'
import { registry, type PrimitiveName } from '../../src/core/primitives'
import { isZero, type Linear } from '../../src/core/zero'
import * as lax from '../../src/core/lax'
import { concrete } from '../../src/core/trace'
import { binary, unary } from '../../src/ndarray/kernels/elementwise'
import type { NdArray } from '../../src/ndarray/NdArray'
import { mul } from 'wengert'
import { domains, laws, LawViolation, ndarray, withAxisEnv, type Law } from 'wengert/laws'

type X = readonly [NdArray]
type XY = readonly [NdArray, NdArray]
type None = Record<string, never>

/** A sine with the given derivative pieces. */
const sine = (
  name: string,
  d: { jvp?: (x: NdArray) => NdArray; vjp?: (x: NdArray) => NdArray; linear?: boolean; impl?: (x: NdArray) => NdArray },
) =>
  definePrimitive<string, X, None>({
    name,
    batch: vectorized,
    impl: ([x]) => (d.impl ?? ((v: NdArray) => unary('sin', v)))(x),
    shape: ([x]) => x,
    ...(d.linear === undefined ? {} : { linear: d.linear }),
    jvp: ({ inputs: [x] }, [xDot]) => lax.mul(xDot as NdArray, (d.jvp ?? lax.cos)(x)),
    vjp: ({ inputs: [x] }, yBar) => [lax.mul(yBar, (d.vjp ?? lax.cos)(x))],
  })

const goodSin = sine('good_sin', {})
const negCos = (x: NdArray): NdArray => lax.neg(lax.cos(x))

const mulLike = (name: string, unbroadcast: boolean) =>
  definePrimitive<string, XY, None>({
    name,
    batch: vectorized,
    impl: ([x, y]) => binary('mul', x, y, x.dtype),
    shape: ([x, y]) => ({ shape: broadcast(x.shape, y.shape), dtype: x.dtype }),
    jvp: ({ inputs: [x, y], output }, [xDot, yDot]) => {
      const t = lax.add(lax.mul(lax.instantiate(xDot, x), y), lax.mul(x, lax.instantiate(yDot, y)))
      return lax.broadcastLike(t, output)
    },
    vjp: ({ inputs: [x, y] }, yBar) =>
      unbroadcast
        ? [lax.unbroadcast(lax.mul(yBar, y), x.shape), lax.unbroadcast(lax.mul(yBar, x), y.shape)]
        : [lax.mul(yBar, y), lax.mul(yBar, x)],
  })

const broadcast = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number[] => {
  const n = Math.max(a.length, b.length)
  return Array.from({ length: n }, (_, i) => {
    const da = a[i - (n - a.length)] ?? 1
    const db = b[i - (n - b.length)] ?? 1
    return da === 1 ? db : da
  })
}

const sinInstances = domains.sin.instances
const mulInstances = domains.mul.instances

/** The law must fail, and with its own violation (not some unrelated crash). */
const fails = (law: Law, target: Parameters<Law>[0], instances: Parameters<Law>[1]): void => {
  let error: unknown
  try {
    fc.assert(law(target, instances), { numRuns: 60, seed: 42 })
  } catch (e) {
    error = e
  }
  expect(error, 'the law passed').toBeInstanceOf(Error)
  expect((error as Error).cause).toBeInstanceOf(LawViolation)
}
const passes = (law: Law, target: Parameters<Law>[0], instances: Parameters<Law>[1]): void => {
  fc.assert(law(target, instances), { numRuns: 30, seed: 42 })
}

describe('the laws catch wrong rules', () => {
  it('a correct sine passes every derivative law', () => {
    for (const law of [
      laws.vjp,
      laws.jvp,
      laws.adjoint,
      laws.cotangentLinearity,
      laws.secondOrder,
      laws.shapes,
      laws.closure,
      laws.replay,
    ]) {
      passes(law, goodSin, sinInstances)
    }
  })

  it('a wrong derivative in both rules fails VJP and JVP against finite differences (adjointness still holds)', () => {
    const bad = sine('bad_sin', { jvp: negCos, vjp: negCos })
    fails(laws.vjp, bad, sinInstances)
    fails(laws.jvp, bad, sinInstances)
    passes(laws.adjoint, bad, sinInstances)
  })

  it('a JVP rule that disagrees with the VJP rule fails adjointness', () => {
    const bad = sine('split_sin', { jvp: negCos })
    fails(laws.adjoint, bad, sinInstances)
    passes(laws.vjp, bad, sinInstances)
  })

  it('a rule that is right at first order but not differentiable fails second order only', () => {
    const bad = sine('frozen_sin', { vjp: (x) => lax.cos(lax.stopGradient(x)) })
    passes(laws.vjp, bad, sinInstances)
    fails(laws.secondOrder, bad, sinInstances)
  })

  it('a rule computed with raw kernels fails closure', () => {
    const bad = sine('raw_sin', { vjp: (x) => unary('cos', concrete(x)) })
    passes(laws.vjp, bad, sinInstances)
    fails(laws.closure, bad, sinInstances)
  })

  it('a broadcasting rule that forgets to unbroadcast fails shapes and dtypes', () => {
    passes(laws.shapes, mulLike('good_mul', true), mulInstances)
    passes(laws.vjp, mulLike('good_mul', true), mulInstances)
    fails(laws.shapes, mulLike('bad_mul', false), mulInstances)
  })

  it('a shape rule that disagrees with impl fails shapes and dtypes', () => {
    const bad = definePrimitive<string, X, None>({
      name: 'bad_shape',
      batch: vectorized,
      impl: ([x]) => unary('sin', x),
      shape: ([x]) => ({ shape: x.shape, dtype: 'float32' }),
      jvp: ({ inputs: [x] }, [xDot]) => lax.mul(xDot as NdArray, lax.cos(x)),
      vjp: ({ inputs: [x] }, yBar) => [lax.mul(yBar, lax.cos(x))],
    })
    fails(laws.shapes, bad, sinInstances)
  })

  it('a primitive flagged linear that is not fails linearity', () => {
    const square = sine('square', {
      impl: (x) => binary('mul', x, x, x.dtype),
      jvp: (x) => lax.mulScalar(x, 2),
      vjp: (x) => lax.mulScalar(x, 2),
      linear: true,
    })
    passes(laws.vjp, square, sinInstances)
    fails(laws.linearity, square, sinInstances)
  })

  it('an impure function fails replay', () => {
    let calls = 0
    const impure = (x: NdArray): NdArray => mul(x, ++calls)
    fails(laws.replay, impure, fc.tuple(ndarray({ shape: [2] })))
  })
})

describe('the laws are sensitive to a 1% error in any registered rule', () => {
  const scale = (t: Linear): Linear => (isZero(t) ? t : lax.mulScalar(t, 1.01))
  // random_gamma's rule is the implicit gradient, not the derivative of the sampler's path, so
  // its domain holds a fixed and the laws cannot see the rule; test/ops/random/samplers.test.ts
  // checks it statistically (E[dx/da] = 1, E[2x·dx/da] = 1 + 2a)
  // nextafter, pmax and pmin have no derivative (their rules raise, as JAX's): their domains hold
  // the inputs fixed; test/ops/floatBits.test.ts and test/transforms/vmapAxisName.test.ts check
  // the refusals; householder_product, symmetric_product and cholesky_update have none either (JAX
  // gives them no rule): test/ops/laxLinalgForms.test.ts checks their refusals
  const unseen = new Set([
    'random_gamma',
    'nextafter',
    'pmax',
    'pmin',
    'householder_product',
    'symmetric_product',
    'cholesky_update',
  ])
  const smooth = [...registry.values()].filter((p) => p.derivative === 'smooth' && !unseen.has(p.name))
  const caught = (law: Law, mutant: AnyPrimitive, name: string): boolean => {
    try {
      const domain = domains[name as PrimitiveName]
      withAxisEnv((domain as { readonly axisEnv?: ReadonlyArray<readonly [string, number]> }).axisEnv ?? [], () =>
        fc.assert(law(mutant, domain.instances as Parameters<Law>[1]), {
          numRuns: 100,
          seed: 7,
          endOnFailure: true,
        }),
      )
      return false
    } catch (e) {
      return (e as Error).cause instanceof LawViolation
    }
  }
  it.each(smooth.map((p) => [p.name, p] as const))('%s', (name, prim) => {
    const wrongVjp: AnyPrimitive = { ...prim, vjp: (ctx, yBar) => prim.vjp(ctx, yBar).map(scale) }
    const wrongJvp: AnyPrimitive = { ...prim, jvp: (ctx, ts) => scale(prim.jvp(ctx, ts)) }
    expect(caught(laws.vjp, wrongVjp, name), 'VJP law misses a scaled VJP').toBe(true)
    expect(caught(laws.adjoint, wrongVjp, name), 'adjointness misses a scaled VJP').toBe(true)
    expect(caught(laws.jvp, wrongJvp, name), 'JVP law misses a scaled JVP').toBe(true)
  })
})

/**
 * A primitive is one definition: the batching rule is part of it (issue 9). Forgetting it is a
 * compile-time error, and a definition that slips past the types (plain JavaScript, a cast) is
 * refused when it is defined, by a typed error naming the primitive and what to add.
 */
import { describe, expect, it } from 'vitest'
import { definePrimitive, isBound, vectorized, type PrimitiveDef } from '../../src/core/primitive'
import { registry } from '../../src/core/primitives'
import * as lax from '../../src/core/lax'
import { unary } from '../../src/ndarray/kernels/elementwise'
import { ValueError } from '../../src/ndarray/errors'
import type { NdArray } from '../../src/ndarray/NdArray'

type X = readonly [NdArray]
type None = Record<string, never>

describe('definePrimitive', () => {
  it('does not compile without a batching rule', () => {
    // Arrange: a complete definition, then the same without `batch`
    const complete: PrimitiveDef<'my_sin', X, None> = {
      name: 'my_sin',
      impl: ([x]) => unary('sin', x),
      shape: ([x]) => x,
      batch: vectorized,
      derivative: 'none',
    }
    const { batch: _, ...withoutBatch } = complete
    // Assert (at compile time)
    // @ts-expect-error a definition without `batch` is not a PrimitiveDef
    const missing: PrimitiveDef<'my_sin', X, None> = withoutBatch
    expect(missing.name).toBe('my_sin')
  })

  it('refuses a definition without a batching rule that slipped past the types, naming it', () => {
    // Arrange
    const def = {
      name: 'my_sin',
      impl: ([x]: X) => unary('sin', x),
      shape: ([x]: readonly [{ shape: ReadonlyArray<number>; dtype: 'float64' }]) => x,
      derivative: 'none',
    } as unknown as PrimitiveDef<'my_sin', X, None>
    // Act / Assert
    expect(() => definePrimitive(def)).toThrow(ValueError)
    expect(() => definePrimitive(def)).toThrow(/'my_sin' has no batching rule.*src\/core\/primitives\/README\.md/)
  })
})

describe('the registry and lax', () => {
  it('every registered primitive has a batching rule and a bound wrapper in lax', () => {
    // Arrange: lax's exports that are bound primitives
    const bound = Object.values(lax as Record<string, unknown>).filter(isBound)
    // Assert: the same primitives, each with its rule
    expect(new Set(bound.map((w) => w.primitive))).toEqual(new Set(registry.values()))
    for (const p of registry.values()) expect(p.batch).toBeDefined()
  })
})

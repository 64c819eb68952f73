/**
 * Bad input to the functional (JAX-style) API, probed against JAX's documented errors (issue 10):
 * every row of `badInputJaxCases` must throw the error class JAX's exception maps to, with JAX's
 * message fragment, and leave no state behind (no open transform level; grad, vmap and jit still
 * work afterwards). Rows in KNOWN throw a typed error whose wording still differs from JAX's:
 * the list may only shrink (a fixed row must leave it).
 */
import { describe, expect, it } from 'vitest'
import { array, grad, jit, mul, sum, vmap, WengertError, type NdArray } from '../src'
import { levelDepth } from '../src/core/trace'
import { jaxBadInputCases, type JaxBadInputCase } from './helpers/badInputJaxCases'

/** Typed, but not yet in JAX's wording (mostly lax's low-level ops and a few NumPy-worded ones). */
const KNOWN = new Set<string>([])

/** The error the call throws, or undefined. */
const thrown = (k: JaxBadInputCase): unknown => {
  try {
    k.call()
  } catch (e) {
    return e
  }
  return undefined
}

/** True when `e` is of the row's class and holds every fragment. */
const matches = (k: JaxBadInputCase, e: unknown): boolean =>
  e instanceof k.cls && k.msg.every((m) => (typeof m === 'string' ? e.message.includes(m) : m.test(e.message)))

const sq = (x: NdArray): NdArray => sum(mul(x, x))

describe('bad input to the JAX-style API raises JAX-mapped typed errors', () => {
  it('has one name per row', () => {
    const names = jaxBadInputCases.map((k) => k.name)
    expect(new Set(names).size).toBe(names.length)
    expect(names.length).toBeGreaterThanOrEqual(150)
    for (const n of KNOWN) expect(names).toContain(n)
  })

  it.each(jaxBadInputCases.filter((k) => !KNOWN.has(k.name)).map((k) => [k.name, k] as const))('%s', (_, k) => {
    // Act
    const e = thrown(k)
    // Assert: JAX's class and text, and no transform level left open
    expect(e).toBeInstanceOf(k.cls)
    for (const m of k.msg) expect((e as Error).message).toMatch(typeof m === 'string' ? new RegExp(escape(m)) : m)
    expect(levelDepth()).toBe(0)
  })

  it.each(jaxBadInputCases.filter((k) => KNOWN.has(k.name)).map((k) => [k.name, k] as const))(
    'known wording gap: %s (typed, not yet JAX text)',
    (_, k) => {
      const e = thrown(k)
      expect(e).toBeInstanceOf(WengertError)
      expect(matches(k, e)).toBe(false)
      expect(levelDepth()).toBe(0)
    },
  )

  it('leaves grad, vmap and jit working after every throw', () => {
    for (const k of jaxBadInputCases) thrown(k)
    expect(levelDepth()).toBe(0)
    expect(grad(sq)(array([1, 2])).toArray()).toEqual([2, 4])
    expect(
      vmap(sq)(
        array([
          [1, 2],
          [3, 4],
        ]),
      ).toArray(),
    ).toEqual([5, 25])
    expect(jit(sq)(array([1, 2])).item()).toBe(5)
  })
})

/** A string as a literal RegExp. */
function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

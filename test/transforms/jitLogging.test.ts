/**
 * jit like JAX (issue 13): `jit(f).lower(...args)` gives the staged program (printTape form),
 * `logCompiles` / `setLogCompiles` warn on each trace naming what changed, and the cache of
 * traced signatures is bounded (64).
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { array, exp, jit, mul, setLogCompiles, sum, type NdArray } from '../../src'

afterEach(() => {
  setLogCompiles(false)
  vi.restoreAllMocks()
})

describe('jit(f).lower(...args)', () => {
  it('returns the staged program without running it', () => {
    const f = (x: NdArray) => sum(exp(mul(x, 2)))
    const lowered = jit(f).lower(array([1, 2, 3]))
    const text = lowered.asText()
    expect(lowered.tape.inputs.length).toBe(1)
    expect(lowered.tape.equations.map((e) => e.primitive.name)).toEqual(['mul', 'exp', 'reduce_sum'])
    expect(text).toMatch(/exp/)
    expect(text).toBe(String(lowered.tape))
  })
})

describe('logCompiles', () => {
  it('warns on the first trace and on each retrace, naming the changed argument', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const f = jit(
      function double(x: NdArray) {
        return mul(x, 2)
      },
      { logCompiles: true },
    )
    f(array([1, 2]))
    f(array([3, 4])) // same signature: no trace
    f(array([1, 2, 3]))
    expect(warn).toHaveBeenCalledTimes(2)
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/^jit: tracing double for the first time/)
    expect(String(warn.mock.calls[1]?.[0])).toMatch(
      /^jit: retracing double .*argument 0 changed from .*float32\[2\] to .*float32\[3\]/,
    )
  })
  it('setLogCompiles turns it on for every jitted function; off by default', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const g = jit((x: NdArray, k: number) => mul(x, k))
    g(array([1]), 2)
    expect(warn).not.toHaveBeenCalled()
    expect(setLogCompiles(true)).toBe(false)
    g(array([1]), 3) // the same kind of number: no retrace
    expect(warn).not.toHaveBeenCalled()
    g(array([1]), 0.5)
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/argument 1 changed from .*weak int.* to .*weak float/)
  })
  it('the cache holds at most 64 signatures: the 65th evicts the least recently used', () => {
    let traces = 0
    const h = jit((x: NdArray) => {
      traces++
      return mul(x, 2)
    })
    for (let n = 1; n <= 65; n++) h(array(new Array<number>(n).fill(1)))
    expect(traces).toBe(65)
    h(array([1, 1])) // still cached
    expect(traces).toBe(65)
    h(array([1])) // evicted: traced again
    expect(traces).toBe(66)
  })
})

/**
 * jit's staticArgnames (keys of a trailing options object), hashable static values, and the
 * refusal of donateArgnums. Trace counts come from a side effect in the jitted function (it runs
 * only while tracing).
 */
import { describe, expect, it } from 'vitest'
import { array, jit, mul, add, ValueError, type NdArray } from '../../src/index'

const f64 = (v: number | number[]): NdArray => array(v, { dtype: 'float64' })

describe('jit staticArgnames', () => {
  const counted = () => {
    const state = { traces: 0 }
    const f = jit(
      (x: NdArray, o: { training: boolean; mode: string; scale: NdArray }) => {
        state.traces++
        const y = o.mode === 'double' ? mul(x, 2) : x
        return o.training ? mul(y, o.scale) : y
      },
      { staticArgnames: ['training', 'mode'] },
    )
    return { f, state }
  }

  it('static keys are JS values inside f (branching works); other keys are traced', () => {
    const { f, state } = counted()
    expect(f(f64([1, 2]), { training: true, mode: 'double', scale: f64(3) }).toArray()).toEqual([6, 12])
    expect(f(f64([1, 2]), { training: true, mode: 'double', scale: f64(5) }).toArray()).toEqual([10, 20])
    expect(state.traces).toBe(1)
    expect(f(f64([1, 2]), { training: false, mode: 'double', scale: f64(5) }).toArray()).toEqual([2, 4])
    expect(f(f64([1, 2]), { training: true, mode: 'same', scale: f64(5) }).toArray()).toEqual([5, 10])
    expect(state.traces).toBe(3)
    expect(f(f64([1, 2]), { training: true, mode: 'double', scale: f64(1) }).toArray()).toEqual([2, 4])
    expect(state.traces).toBe(3)
  })

  it('a single name may be a string; lower() shows only the traced inputs', () => {
    const g = jit((x: NdArray, o: { k: number }) => mul(x, o.k * 2), { staticArgnames: 'k' })
    expect(g(f64([1]), { k: 3 }).toArray()).toEqual([6])
    expect(g.lower(f64([1]), { k: 3 }).tape.inputs.length).toBe(1)
  })

  it('raises for a missing name, a missing options object and an unhashable value', () => {
    const g = jit((x: NdArray, o: { k?: number | undefined }) => add(x, o.k ?? 0), { staticArgnames: ['k'] })
    expect(() => g(f64(1), {})).toThrow(
      new ValueError(
        "jit: staticArgnames lists 'k', not present in the options object (keys: none); pass every static key, undefined for a default",
      ),
    )
    expect(g(f64(1), { k: undefined }).item()).toBe(1)
    expect(() => (g as unknown as (x: NdArray) => NdArray)(f64(1))).toThrow(/names keys of the last argument/)
    const h = jit((x: NdArray, o: { w: NdArray }) => add(x, o.w), { staticArgnames: ['w'] })
    expect(() => h(f64(1), { w: f64(2) })).toThrow(/Non-hashable static arguments are not supported/)
    expect(() => jit((x: NdArray) => x, { staticArgnames: [1] as never })).toThrow(
      'jit: staticArgnames must be a string or an array of strings',
    )
  })

  it('static arguments: JS arrays and plain objects count by value, arrays (NdArray) raise', () => {
    let traces = 0
    const g = jit(
      (x: NdArray, shape: { n: number[] }) => {
        traces++
        return mul(x, shape.n.length)
      },
      { staticArgnums: 1 },
    )
    g(f64(1), { n: [1, 2] })
    g(f64(1), { n: [1, 2] })
    expect(traces).toBe(1)
    g(f64(1), { n: [1, 2, 3] })
    expect(traces).toBe(2)
    expect(() => jit((x: NdArray, y: NdArray) => add(x, y), { staticArgnums: 1 })(f64(1), f64(2))).toThrow(ValueError)
  })

  it('refuses donateArgnums and donateArgnames with the reason', () => {
    expect(() => jit((x: NdArray) => x, { donateArgnums: 0 } as never)).toThrow(
      /jit: donateArgnums is not supported: wengert arrays live in JavaScript memory/,
    )
    expect(() => jit((x: NdArray) => x, { donateArgnames: ['x'] } as never)).toThrow(/donateArgnames is not supported/)
  })
})

describe('jit caches per function, as JAX', () => {
  it('jit(f) applied twice to the same f traces once; other static options trace apart', () => {
    let traces = 0
    const f = (x: NdArray, n: number): NdArray => {
      traces += 1
      return mul(x, n)
    }
    expect(jit(f)(array(2), 3).item()).toBe(6)
    expect(jit(f)(array(5), 3).item()).toBe(15)
    expect(traces).toBe(1)
    expect(jit(f, { staticArgnums: 1 })(array(2), 3).item()).toBe(6)
    expect(traces).toBe(2)
    // a different function (same source) has its own traces
    const g = (x: NdArray, n: number): NdArray => {
      traces += 1
      return mul(x, n)
    }
    jit(g)(array(2), 3)
    expect(traces).toBe(3)
  })
})

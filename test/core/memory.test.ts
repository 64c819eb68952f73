/**
 * What the reverse-mode transforms keep alive: nothing once grad returns; for a kept vjpFn only
 * the equations its output depends on; nothing through a tracer that escaped its transform.
 */
import v8 from 'node:v8'
import vm from 'node:vm'
import { describe, expect, it } from 'vitest'
import { add, customVjp, exp, grad, linearize, mul, type NdArray, sin, sum, vjp } from 'wengert'
import { concrete } from '../../src/core/trace'
import { f64 } from '../transforms/helpers'

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

/** Collects garbage after the current job (WeakRef targets stay alive until the job ends). */
const collect = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 0))
    gc()
  }
}

const big = (n: number): NdArray => f64(Array.from({ length: n }, (_, i) => i / n))
const alive = (refs: ReadonlyArray<WeakRef<object>>): number => refs.filter((r) => r.deref() !== undefined).length

describe('memory', () => {
  it('grad releases the values saved for the backward sweep during the sweep, not only after it', () => {
    // ten 8 MB intermediates; a custom rule at the start of the chain runs last in the sweep and
    // measures what is still reachable then: x, the cotangent frontier, the equations not yet
    // pulled back — not the ten saved values
    const MB = 2 ** 20
    let atEnd = Number.NaN
    const probe = customVjp(
      (x: NdArray) => x,
      (x: NdArray) => [x, null],
      (_: unknown, g: NdArray) => {
        gc()
        gc()
        atEnd = process.memoryUsage().arrayBuffers / MB
        return [g]
      },
    )
    const n = 1_000_000
    const x = big(n)
    gc()
    const before = process.memoryUsage().arrayBuffers / MB
    grad((t: NdArray) => {
      let y = probe(t)
      for (let i = 0; i < 10; i++) y = sin(add(y, 0.1))
      return sum(y)
    })(x)
    // 20 saved 8 MB values (add and sin outputs) would be 160 MB; the frontier is a few of them
    expect(atEnd - before).toBeLessThan(48)
  })

  it('grad releases the tape and every saved value when it returns', async () => {
    const refs: Array<WeakRef<object>> = []
    const g = (() =>
      grad((x: NdArray) => {
        const h = sin(x)
        const k = exp(h)
        for (const v of [h, k]) refs.push(new WeakRef(v), new WeakRef(concrete(v)))
        return sum(mul(k, h))
      })(big(10_000)))()
    expect(g.shape).toEqual([10_000])
    await collect()
    expect(alive(refs)).toBe(0)
  })

  it('vjpFn keeps only the equations its output depends on, and releases them when dropped', async () => {
    const used: Array<WeakRef<object>> = []
    const side: Array<WeakRef<object>> = []
    let vjpFn: ((c: NdArray) => NdArray[]) | undefined = vjp((x: NdArray) => {
      const h = sin(x)
      used.push(new WeakRef(concrete(h)))
      // computed on the side (logging, an unused intermediate): not needed by the sweep
      const unused = exp(mul(x, 3))
      side.push(new WeakRef(concrete(unused)), new WeakRef(unused))
      return mul(h, 2)
    }, big(10_000))[1]
    await collect()
    expect(alive(side)).toBe(0)
    expect(alive(used)).toBe(1)
    expect(vjpFn(f64(Array.from({ length: 10_000 }, () => 1)))[0]!.shape).toEqual([10_000])
    vjpFn = undefined
    await collect()
    expect(alive(used)).toBe(0)
  })

  it('linearize keeps only the equations its output depends on', async () => {
    const side: Array<WeakRef<object>> = []
    const [, jvpFn] = linearize((x: NdArray) => {
      side.push(new WeakRef(concrete(exp(x))))
      return sin(x)
    }, big(1000))
    await collect()
    expect(alive(side)).toBe(0)
    expect(jvpFn(big(1000)).shape).toEqual([1000])
  })

  it('a tracer that escapes its transform does not keep the tape alive', async () => {
    let leaked: NdArray | undefined
    const taped: Array<WeakRef<object>> = []
    grad((x: NdArray) => {
      const h = exp(x)
      taped.push(new WeakRef(concrete(h)))
      leaked = add(h, 1)
      return sum(leaked)
    })(big(1000))
    await collect()
    expect(leaked).toBeDefined()
    expect(alive(taped)).toBe(0)
  })
})

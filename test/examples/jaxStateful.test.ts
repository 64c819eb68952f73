/**
 * JAX's "Stateful computations" tutorial ported to the functional core: the impure Counter whose
 * jitted count() is frozen at its traced value, CounterV2 that threads its state explicitly,
 * and linear regression whose Params (a NamedTuple there, a registered dataclass here) are
 * updated by a jitted step with grad and tree.map. Expected values: the document's numbers, and
 * for the regression the same 1000 gradient steps run in float64 JavaScript with the gradient
 * of the mean squared error written out by hand.
 */
import { describe, expect, it } from 'vitest'
import { add, array, grad, jit, mean, mul, random, square, sub, tree, type NdArray } from 'wengert'

describe('JAX tutorial: Stateful computations', () => {
  it('an impure Counter: correct eagerly, frozen at 1 under jit (its side effect ran once)', () => {
    class Counter {
      n = 0
      count(): number {
        this.n += 1
        return this.n
      }
      reset(): void {
        this.n = 0
      }
    }
    const counter = new Counter()
    expect([counter.count(), counter.count(), counter.count()]).toEqual([1, 2, 3])
    counter.reset()
    const fastCount = jit(() => counter.count())
    const got = [fastCount(), fastCount(), fastCount()].map(Number)
    expect(got).toEqual([1, 1, 1])
  })

  it('CounterV2 threads its state: 1, 2, 3, also under jit', () => {
    type CounterState = NdArray
    const count = (n: CounterState): [NdArray, CounterState] => [add(n, 1), add(n, 1)]
    const reset = (): CounterState => array(0, { dtype: 'int32' })
    for (const step of [count, jit(count)]) {
      let state = reset()
      const values: number[] = []
      for (let i = 0; i < 3; i++) {
        const [value, next] = step(state)
        state = next
        values.push(Number(value.item()))
      }
      expect(values).toEqual([1, 2, 3])
      expect(state.dtype).toBe('int32')
    }
  })

  it('linear regression: Params as a pytree, a jitted grad + tree.map update, 1000 steps', () => {
    class Params {
      constructor(
        readonly weight: NdArray,
        readonly bias: NdArray,
      ) {}
    }
    tree.registerDataclass(Params, ['weight', 'bias'], [])
    const init = (rng: NdArray): Params => {
      const [weightsKey, biasKey] = random.split(rng) as unknown as [NdArray, NdArray]
      return new Params(random.normal(weightsKey, []), random.normal(biasKey, []))
    }
    const loss = (params: Params, x: NdArray, y: NdArray): NdArray =>
      mean(square(sub(add(mul(params.weight, x), params.bias), y)))
    const LEARNING_RATE = 0.005
    const update = jit((params: Params, x: NdArray, y: NdArray): Params => {
      const g = grad(loss)(params, x, y)
      return tree.map((param: NdArray, gr: NdArray) => sub(param, mul(gr, LEARNING_RATE)), params, g)
    })
    const rng = random.key(42)
    const [trueW, trueB] = [2, -1]
    const [xRng, noiseRng] = random.split(rng) as unknown as [NdArray, NdArray]
    const xs = random.normal(xRng, [128, 1])
    const noise = mul(random.normal(noiseRng, [128, 1]), 0.5)
    const ys = add(add(mul(xs, trueW), trueB), noise)
    let params = init(rng)
    expect(params).toBeInstanceOf(Params)
    // the reference: the same descent in float64, d/dw mean(r²) = mean(2 r x), d/db = mean(2 r)
    const xv = Array.from(xs.toTypedArray(), Number)
    const yv = Array.from(ys.toTypedArray(), Number)
    let w = Number(params.weight.item())
    let b = Number(params.bias.item())
    for (let step = 0; step < 1000; step++) {
      params = update(params, xs, ys)
      let gw = 0
      let gb = 0
      xv.forEach((x, i) => {
        const r = w * x + b - (yv[i] as number)
        gw += (2 * r * x) / xv.length
        gb += (2 * r) / xv.length
      })
      w -= LEARNING_RATE * gw
      b -= LEARNING_RATE * gb
    }
    expect(params).toBeInstanceOf(Params)
    expect(Math.abs(Number(params.weight.item()) - w)).toBeLessThan(1e-4)
    expect(Math.abs(Number(params.bias.item()) - b)).toBeLessThan(1e-4)
    // and it found the line the data came from (noise σ = 0.5, 128 points)
    expect(Math.abs(w - trueW)).toBeLessThan(0.2)
    expect(Math.abs(b - trueB)).toBeLessThan(0.2)
  })
})

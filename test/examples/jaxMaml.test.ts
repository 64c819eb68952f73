/**
 * MAML on sinusoid regression in JAX (Eric Jang, "Meta-Learning in 50 Lines of JAX", 2019), ported
 * with exampleLibraries: a stax MLP, the inner SGD step as grad(loss) mapped over the parameter
 * tree (tree_multimap, now tree.map), maml_loss vmapped over the tasks with the parameters bound
 * (partial), grad of that — a second-order gradient through vmap of grad — inside a jitted
 * optimizers.adam step. The tasks come from the program's sample_tasks run by NumPy
 * (fixtures/jaxMaml.py, seed 0); the expected loss and gradient are that script's float64
 * NumPy reference (hand-written backward pass for the inner step, central differences outside).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  array,
  exampleLibraries,
  grad,
  jit,
  lax,
  mean,
  mul,
  random,
  square,
  sub,
  tree,
  vmap,
  type NdArray,
} from 'wengert'

const { optimizers, stax } = exampleLibraries
type P = exampleLibraries.stax.StaxParams
type Batch = [NdArray, NdArray, NdArray, NdArray]

const fx = JSON.parse(readFileSync(new URL('./fixtures/jaxMaml.json', import.meta.url), 'utf8')) as {
  batches: number[][][][][]
  params: [number[][], number[]][]
  maml_loss: number
  task_losses: number[]
  pre_update_loss: number
  grads: [number[][], number[]][]
}

const [net_init, net_apply] = stax.serial(stax.Dense(40), stax.Relu, stax.Dense(40), stax.Relu, stax.Dense(1))
const in_shape = [-1, 1]

const loss = (params: P, inputs: NdArray, targets: NdArray): NdArray => {
  // Computes average loss for the batch
  const predictions = net_apply(params, inputs) as NdArray
  return mean(square(sub(targets, predictions)))
}

const inner_update = (p: P, x1: NdArray, y1: NdArray, alpha = 0.1): P => {
  const grads = grad(loss)(p, x1, y1)
  const inner_sgd_fn = (g: NdArray, state: NdArray): NdArray => sub(state, mul(alpha, g))
  return tree.map(inner_sgd_fn as (g: unknown, state: never) => NdArray, grads, p) as P
}

const maml_loss = (p: P, x1: NdArray, y1: NdArray, x2: NdArray, y2: NdArray): NdArray => {
  const p2 = inner_update(p, x1, y1)
  return loss(p2, x2, y2)
}

// vmapped version of maml loss: returns scalar for all tasks.
const batch_maml_loss = (p: P, x1_b: NdArray, y1_b: NdArray, x2_b: NdArray, y2_b: NdArray): NdArray => {
  const task_losses = vmap((x1: NdArray, y1: NdArray, x2: NdArray, y2: NdArray) => maml_loss(p, x1, y1, x2, y2))(
    x1_b,
    y1_b,
    x2_b,
    y2_b,
  )
  return mean(task_losses)
}

const f64 = (x: number[] | number[][] | number[][][]): NdArray => array(x, { dtype: 'float64' })
const batchOf = (k: number, dtype: 'float32' | 'float64'): Batch =>
  fx.batches[k]!.map((a) => array(a, { dtype })) as Batch
// The stax tree of serial(Dense, Relu, Dense, Relu, Dense): Relu layers have empty parameters.
const fixtureParams = (): P => {
  const dense = fx.params.map(([W, b]) => [f64(W), f64(b)])
  return [dense[0], [], dense[1], [], dense[2]]
}

describe('MAML on sinusoids (vmap of a second-order grad, stax + optimizers.adam)', () => {
  it('batch_maml_loss and its gradient match the float64 NumPy reference', () => {
    const p = fixtureParams()
    const batch = batchOf(0, 'float64')
    expect(Number(batch_maml_loss(p, ...batch).item())).toBeCloseTo(fx.maml_loss, 12)
    const [x1, y1, x2, y2] = batch
    const per_task = vmap((a: NdArray, b: NdArray, c: NdArray, d: NdArray) => maml_loss(p, a, b, c, d))(x1, y1, x2, y2)
    ;(per_task.toArray() as number[]).forEach((v, i) => expect(v).toBeCloseTo(fx.task_losses[i]!, 12))
    const pre = mean(vmap((a: NdArray, b: NdArray) => loss(p, a, b))(x1, y1))
    expect(Number(pre.item())).toBeCloseTo(fx.pre_update_loss, 12)

    // Central differences (h = 1e-6, shrunk where a ReLU input is within h of zero: there the
    // loss jumps, as the inner gradient holds the ReLU's step function — b2[2] in task 1 here)
    // are good to ~1e-9; the gradient is O(0.1–1).
    const g = grad(batch_maml_loss)(p, ...batch) as NdArray[][]
    const dense = [g[0]!, g[2]!, g[4]!]
    dense.forEach(([gW, gb], l) => {
      const [wW, wb] = fx.grads[l]!
      const close = (got: NdArray, want: number[][] | number[]): void => {
        const a = (got.reshape(-1).toArray() as number[]).map(Number)
        const b = want.flat()
        expect(a.length).toBe(b.length)
        a.forEach((v, i) => {
          if (Math.abs(v - b[i]!) > 1e-7 + 1e-6 * Math.abs(b[i]!)) expect.fail(`layer ${l} [${i}]: ${v} vs ${b[i]}`)
        })
      }
      close(gW!, wW)
      close(gb!, wb)
    })
    expect(g[1]).toEqual([])

    // The second-order term matters: first-order MAML (inner gradient behind stop_gradient)
    // gives a gradient that is far from the reference.
    const fo_inner = (q: P, a: NdArray, b: NdArray): P =>
      tree.map(
        ((gg: NdArray, s: NdArray) => sub(s, mul(0.1, lax.stopGradient(gg)))) as (g: unknown, s: never) => NdArray,
        grad(loss)(q, a, b),
        q,
      ) as P
    const fo = grad((q: P) =>
      mean(vmap((a: NdArray, b: NdArray, c: NdArray, d: NdArray) => loss(fo_inner(q, a, b), c, d))(...batch)),
    )(p) as NdArray[][]
    const diff = Math.max(
      ...(sub(fo[0]![0]!, dense[0]![0]!).reshape(-1).toArray() as number[]).map((v) => Math.abs(Number(v))),
    )
    expect(diff).toBeGreaterThan(1e-3)
  })

  it('meta-trains with a jitted adam step (as the post does), eager and jit agreeing', () => {
    const rng = random.PRNGKey(0)
    const [opt_init, opt_update, get_params] = optimizers.adam(1e-3)
    const [out_shape, net_params] = net_init(rng, in_shape)
    expect(out_shape).toEqual([-1, 1])
    type S = exampleLibraries.optimizers.OptimizerState<P>
    const step_fn = (i: NdArray, opt_state: S, x1: NdArray, y1: NdArray, x2: NdArray, y2: NdArray): [S, NdArray] => {
      const p = get_params(opt_state)
      const g = grad(batch_maml_loss)(p, x1, y1, x2, y2)
      const l = batch_maml_loss(p, x1, y1, x2, y2)
      return [opt_update(i, g, opt_state), l]
    }
    const step = jit(step_fn)
    let opt_state = opt_init(net_params)
    let eager_state = opt_state
    const np_maml_loss: number[] = []
    for (let i = 0; i < fx.batches.length; i++) {
      const [x1_b, y1_b, x2_b, y2_b] = batchOf(i, 'float32')
      const it = array(i, { dtype: 'int32' })
      let l: NdArray
      ;[opt_state, l] = step(it, opt_state, x1_b, y1_b, x2_b, y2_b)
      np_maml_loss.push(Number(l.item()))
      if (i < 3) {
        const [next, el] = step_fn(it, eager_state, x1_b, y1_b, x2_b, y2_b)
        eager_state = next
        expect(Number(el.item())).toBeCloseTo(np_maml_loss[i]!, 5)
      }
    }
    // Meta-training lowers the post-adaptation loss on the tasks it has seen.
    const evalLoss = (s: S): number =>
      mean(
        array(
          fx.batches.slice(0, 5).map((_, k) => Number(batch_maml_loss(get_params(s), ...batchOf(k, 'float32')).item())),
        ),
      ).item() as number
    expect(evalLoss(opt_state)).toBeLessThan(evalLoss(opt_init(net_params)))
    expect(np_maml_loss.every(Number.isFinite)).toBe(true)
  })
})

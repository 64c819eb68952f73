/**
 * Whole training steps exported and run in ONNX Runtime against wengert eager: an Adam step of
 * an MLP, an SGD and an Adam step of a CNN (conv, max pool, linear, log-softmax NLL), and 100
 * Adam steps driven by the exported step (its outputs fed back as inputs) reaching wengert's loss.
 */
import * as ort from 'onnxruntime-web'
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  div,
  jit,
  lax,
  logSoftmax,
  matmul,
  mean,
  mul,
  pow,
  relu,
  reshape,
  sqrt,
  sub,
  sum,
  tanh,
  tree,
  valueAndGrad,
  type NdArray,
} from 'wengert'
import { exportOnnx } from 'wengert/onnx'
import { expectClose, flat, toOrt, grid } from '../helpers/ort'

type Params = Readonly<Record<string, NdArray>>
interface Adam {
  readonly p: Params
  readonly m: Params
  readonly v: Params
}

/** One Adam step (lr 0.01, β 0.9/0.999, ε 1e-8) at step `t` (a float scalar array, from 1). */
const adamStep =
  (loss: (p: Params, x: NdArray, y: NdArray) => NdArray) =>
  (s: Adam, t: NdArray, x: NdArray, y: NdArray): { state: Adam; loss: NdArray } => {
    const [l, g] = valueAndGrad(loss)(s.p, x, y)
    const m = tree.map((a, b) => add(mul(a as NdArray, 0.9), mul(b as NdArray, 0.1)), s.m, g) as Params
    const v = tree.map(
      (a, b) => add(mul(a as NdArray, 0.999), mul(mul(b as NdArray, b as NdArray), 0.001)),
      s.v,
      g,
    ) as Params
    const c1 = sub(1, pow(0.9, t))
    const c2 = sub(1, pow(0.999, t))
    const p = tree.map(
      (w, mi, vi) => sub(w as NdArray, mul(div(div(mi as NdArray, c1), add(sqrt(div(vi as NdArray, c2)), 1e-8)), 0.01)),
      s.p,
      m,
      v,
    ) as Params
    return { state: { p, m, v }, loss: l }
  }

const zerosLike = (p: Params): Params => tree.map((a) => mul(a as NdArray, 0), p) as Params

// the MLP
const mlp: Params = {
  w1: grid([4, 16], (i) => 0.5 * Math.sin(3.1 * i + 0.4)),
  b1: grid([16], (i) => 0.1 * Math.cos(i)),
  w2: grid([16, 1], (i) => 0.5 * Math.cos(2.3 * i + 0.2)),
  b2: array([0]),
}
const X = grid([32, 4], (i) => Math.sin(0.7 * i + 1.3))
const Y = grid([32, 1], (i) => Math.cos(0.3 * i))
const mlpLoss = (p: Params, x: NdArray, y: NdArray): NdArray => {
  const h = tanh(add(matmul(x, p.w1 as NdArray), p.b1 as NdArray))
  const d = sub(add(matmul(h, p.w2 as NdArray), p.b2 as NdArray), y)
  return mean(mul(d, d))
}

// the CNN: [B, 1, 8, 8] → conv 3×3 (4) → relu → max pool 2×2 → linear (36 → 3) → log-softmax NLL
const cnn: Params = {
  k: grid([4, 1, 3, 3], (i) => 0.4 * Math.sin(1.7 * i + 0.3)),
  kb: grid([4], (i) => 0.05 * i),
  w: grid([36, 3], (i) => 0.2 * Math.cos(0.9 * i)),
  b: array([0, 0.1, -0.1]),
}
const B = 4
const CX = grid([B, 1, 8, 8], (i) => Math.sin(0.37 * i) + 0.001 * i)
const CY = grid([B, 3], (i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0))
const cnnLoss = (p: Params, x: NdArray, y: NdArray): NdArray => {
  const a = relu(add(lax.conv(x, p.k as NdArray, [1, 1], 'VALID'), reshape(p.kb as NdArray, [1, 4, 1, 1])))
  const pooled = lax.reduceWindow(a, -Infinity, 'max', [1, 1, 2, 2], [1, 1, 2, 2], 'VALID')
  const logits = add(matmul(reshape(pooled, [B, 36]), p.w as NdArray), p.b as NdArray)
  return mul(sum(mul(logSoftmax(logits, { axis: 1 }), y)), -1 / B)
}

/** Feeds of an Adam state, step, inputs and targets by the exporter's default names. */
const feedsOf = (s: Adam, t: NdArray, x: NdArray, y: NdArray): Record<string, ort.Tensor> => {
  const out: Record<string, ort.Tensor> = { arg1: toOrt(t), arg2: toOrt(x), arg3: toOrt(y) }
  for (const part of ['p', 'm', 'v'] as const)
    for (const [k, a] of Object.entries(s[part])) out[`arg0.${part}.${k}`] = toOrt(a)
  return out
}

describe('whole training steps in ONNX Runtime', () => {
  it.each([
    ['MLP', mlpLoss, mlp, X, Y],
    ['CNN', cnnLoss, cnn, CX, CY],
  ] as const)('an Adam step of the %s equals wengert eager', async (_, loss, p0, x, y) => {
    const step = adamStep(loss)
    const s: Adam = { p: p0, m: zerosLike(p0), v: zerosLike(p0) }
    const t = array(3)
    const session = await ort.InferenceSession.create(exportOnnx(jit(step), [s, t, x, y]))
    const out = await session.run(feedsOf(s, t, x, y))
    const want = step(s, t, x, y)
    expectClose(Array.from(out['output.loss']?.data as Float32Array), want.loss)
    for (const part of ['p', 'm', 'v'] as const)
      for (const [k, a] of Object.entries(want.state[part]))
        expectClose(Array.from(out[`output.state.${part}.${k}`]?.data as Float32Array), a, 1e-4)
  })

  it('an SGD step of the CNN equals wengert eager', async () => {
    const step = (p: Params, x: NdArray, y: NdArray): [NdArray, Params] => {
      const [l, g] = valueAndGrad(cnnLoss)(p, x, y)
      return [l, tree.map((a, b) => sub(a as NdArray, mul(b as NdArray, 0.1)), p, g) as Params]
    }
    const session = await ort.InferenceSession.create(exportOnnx(step, [cnn, CX, CY]))
    const feeds: Record<string, ort.Tensor> = { arg1: toOrt(CX), arg2: toOrt(CY) }
    for (const [k, a] of Object.entries(cnn)) feeds[`arg0.${k}`] = toOrt(a)
    const out = await session.run(feeds)
    const [l, p] = step(cnn, CX, CY)
    expectClose(Array.from(out['output.0']?.data as Float32Array), l)
    for (const [k, a] of Object.entries(p)) expectClose(Array.from(out[`output.1.${k}`]?.data as Float32Array), a, 1e-4)
  })

  it('100 Adam steps of the MLP driven by the exported step reach wengert loss', async () => {
    const step = adamStep(mlpLoss)
    let s: Adam = { p: mlp, m: zerosLike(mlp), v: zerosLike(mlp) }
    const session = await ort.InferenceSession.create(exportOnnx(jit(step), [s, array(1), X, Y]))
    let feeds = feedsOf(s, array(1), X, Y)
    const ortLosses: number[] = []
    const losses: number[] = []
    for (let i = 1; i <= 100; i++) {
      feeds.arg1 = toOrt(array(i))
      const out = await session.run(feeds)
      ortLosses.push((out['output.loss']?.data as Float32Array)[0] as number)
      const next: Record<string, ort.Tensor> = { arg1: feeds.arg1, arg2: feeds.arg2!, arg3: feeds.arg3! }
      for (const k of Object.keys(feeds)) if (k.startsWith('arg0.')) next[k] = out[`output.state.${k.slice(5)}`]!
      feeds = next
      const r = step(s, array(i), X, Y)
      losses.push(r.loss.item() as number)
      s = r.state
    }
    expect(losses[99]).toBeLessThan(0.9 * (losses[0] as number))
    ortLosses.forEach((l, i) =>
      expect(Math.abs(l - (losses[i] as number))).toBeLessThan(1e-4 * (1 + (losses[i] as number))),
    )
    expectClose(Array.from(feeds['arg0.p.w1']?.data as Float32Array), s.p.w1 as NdArray, 1e-3)
    expect(flat(s.p.b2 as NdArray)).not.toEqual(flat(mlp.b2 as NdArray))
  })
})

/**
 * `dynamicAxes`: programs whose constants depend on a dynamic dimension (a mean's 1/N, reshape
 * and broadcast targets, slice bounds, arrays of the batch size) are exported at one batch size
 * and run in ONNX Runtime at others, against wengert eager at those sizes: an MLP's forward, its
 * gradient through a mean loss, a whole SGD step, a CNN and its gradient, and a facade Module via
 * torch.onnx.export.
 */
import { describe, expect, it } from 'vitest'
import {
  add,
  arange,
  array,
  broadcastTo,
  concat,
  grad,
  jit,
  lax,
  matmul,
  mean,
  mul,
  relu,
  reshape,
  slice,
  sub,
  sum,
  tanh,
  tree,
  valueAndGrad,
  zeros,
  type NdArray,
} from 'wengert'
import { exportOnnx, OnnxExportError } from 'wengert/onnx'
import * as torch from 'wengert/torch'
import { expectClose, runOrt, grid } from '../helpers/ort'

type Params = Readonly<Record<string, NdArray>>
const params: Params = {
  w1: grid([3, 8], (i) => 0.5 * Math.sin(3.1 * i + 0.4)),
  b1: grid([8], (i) => 0.1 * Math.cos(i)),
  w2: grid([8, 2], (i) => 0.5 * Math.cos(2.3 * i + 0.2)),
  b2: array([0.1, -0.2]),
}
const forward = (p: Params, x: NdArray): NdArray =>
  add(matmul(tanh(add(matmul(x, p.w1 as NdArray), p.b1 as NdArray)), p.w2 as NdArray), p.b2 as NdArray)
const loss = (p: Params, x: NdArray, y: NdArray): NdArray => {
  const d = sub(forward(p, x), y)
  return mean(mul(d, d))
}
const sgd = (p: Params, x: NdArray, y: NdArray): { params: Params; loss: NdArray } => {
  const [l, g] = valueAndGrad(loss)(p, x, y)
  return { params: tree.map((w, gw) => sub(w as NdArray, mul(gw as NdArray, 0.1)), p, g) as Params, loss: l }
}
const xs = (n: number): NdArray => grid([n, 3], (i) => Math.sin(0.7 * i + 1.3))
const ys = (n: number): NdArray => grid([n, 2], (i) => Math.cos(0.3 * i))
const batch = { arg1: { 0: 'batch' }, arg2: { 0: 'batch' } }

/** Feeds by the exporter's default names: parameters `arg0.*`, then `arg1`, `arg2`. */
const feeds = (n: number): Record<string, NdArray> => ({
  ...Object.fromEntries(Object.entries(params).map(([k, v]) => [`arg0.${k}`, v])),
  arg1: xs(n),
  arg2: ys(n),
})

describe('dynamicAxes: exported at batch 4, run at batches 7 and 1', () => {
  it.each([7, 1])('the MLP forward at batch %i', async (n) => {
    const bytes = exportOnnx(forward, [params, xs(4)], { dynamicAxes: { arg1: { 0: 'batch' } } })
    const { arg2: _, ...inputs } = feeds(n)
    const out = await runOrt(bytes, inputs)
    expectClose(out.output, forward(params, xs(n)))
  })

  it.each([7, 1])('the gradient of the mean loss at batch %i', async (n) => {
    const bytes = exportOnnx(grad(loss), [params, xs(4), ys(4)], { dynamicAxes: batch })
    const out = await runOrt(bytes, feeds(n))
    const want = grad(loss)(params, xs(n), ys(n))
    for (const k of Object.keys(params)) expectClose(out[`output.${k}`], want[k] as NdArray)
  })

  it.each([7, 1])('a whole SGD step (jit) at batch %i', async (n) => {
    const bytes = exportOnnx(jit(sgd), [params, xs(4), ys(4)], { dynamicAxes: batch })
    const out = await runOrt(bytes, feeds(n))
    const want = sgd(params, xs(n), ys(n))
    expectClose(out['output.loss'], want.loss)
    for (const k of Object.keys(params)) expectClose(out[`output.params.${k}`], want.params[k] as NdArray)
  })

  it.each([7, 1])('reshape, broadcast, slice, arange and zeros of the batch size at batch %i', async (n) => {
    const f = (x: NdArray): NdArray => {
      const b = x.shape[0] as number
      const flat = reshape(x, [b * 3])
      const rows = reshape(slice(flat, [[3, null]]), [b - 1, 3])
      const idx = reshape(arange(b), [b, 1])
      const z = broadcastTo(mean(x, { axis: 0 }), [b, 3])
      return concat([add(rows, 1), add(add(idx, z), zeros([b, 3]))], 0)
    }
    const bytes = exportOnnx(f, [xs(4)], { dynamicAxes: { arg0: { 0: 'batch' } } })
    const got = (await runOrt(bytes, { arg0: xs(n) })).output
    expectClose(got, f(xs(n)))
  })

  it.each([7, 1])('a CNN (conv, max pool, mean) and its gradient at batch %i', async (n) => {
    const w = grid([3, 2, 3, 3], (i) => 0.3 * Math.cos(0.7 * i))
    const f = (x: NdArray): NdArray => {
      const h = relu(lax.conv(x, w, [1, 1], 'SAME'))
      return mean(lax.reduceWindow(h, -Infinity, 'max', [1, 1, 2, 2], [1, 1, 2, 2], 'VALID'), { axis: [2, 3] })
    }
    const g = grad((x: NdArray) => mean(mul(f(x), f(x))))
    const images = (b: number): NdArray => grid([b, 2, 6, 6], (i) => Math.sin(1.3 * i + 0.2))
    for (const h of [f, g]) {
      const bytes = exportOnnx(h, [images(4)], { dynamicAxes: { arg0: { 0: 'batch' } } })
      expectClose((await runOrt(bytes, { arg0: images(n) })).output, h(images(n)), 1e-4)
    }
  })

  it('torch.onnx.export with dynamic_axes: a Module in eval mode at another batch size', async () => {
    torch.manual_seed(0)
    const model = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 2))
    const bytes = await torch.onnx.export(model, [torch.randn(4, 3)], null, {
      input_names: ['x'],
      output_names: ['y'],
      dynamic_axes: { x: { 0: 'batch' }, y: { 0: 'batch' } },
    })
    const got = (await runOrt(bytes, { x: xs(6) })).y
    const want = torch.no_grad(() => model.call(torch.tensor(xs(6).toArray() as number[][]))) as torch.Tensor
    expect(got?.length).toBe(12)
    ;(want.flatten().tolist() as number[]).forEach((v, i) => expect(got?.[i]).toBeCloseTo(v, 5))
  })
})

describe('dynamicAxes refusals', () => {
  it('a constant that is not affine in the batch size names the primitive and the dimension', () => {
    const f = (x: NdArray): NdArray => add(sum(x), zeros([(x.shape[0] as number) ** 2]))
    expect(() => exportOnnx(f, [xs(4)], { dynamicAxes: { arg0: { 0: 'batch' } } })).toThrow(OnnxExportError)
    expect(() => exportOnnx(f, [xs(4)], { dynamicAxes: { arg0: { 0: 'batch' } } })).toThrow(
      /primitive 'add' depends on the dynamic dimension 'batch' \(axis 0 of input 'arg0'\)/,
    )
  })
})

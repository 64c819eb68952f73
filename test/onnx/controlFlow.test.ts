/**
 * Control flow exported to ONNX (scan and while as Loop, cond/switch as If, checkpoint inline)
 * and run in ONNX Runtime, against wengert's eager results; the loops' trip counts and the
 * branches taken are decided in ONNX Runtime by the values fed, not by the example.
 */
import { fromBinary } from '@bufbuild/protobuf'
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  checkpoint,
  cos,
  grad,
  greater,
  lax,
  less,
  matmul,
  mul,
  sin,
  sum,
  tanh,
  vmap,
  type NdArray,
} from 'wengert'
import { exportOnnx, primitivesWithoutOnnxRule } from 'wengert/onnx'
import { ModelProtoSchema } from '../../src/onnx/proto/onnx_pb'
import { expectClose, runOrt } from '../helpers/ort'

/** The op types of a model's top-level graph. */
const opTypes = (bytes: Uint8Array): string[] =>
  fromBinary(ModelProtoSchema, bytes).graph?.node.map((n) => n.opType) ?? []

const W = array([
  [0.5, -0.25, 0.1],
  [0.3, 0.8, -0.6],
  [-0.2, 0.4, 0.9],
])
const xs = array([
  [0.1, 0.2, 0.3],
  [-1, 0.5, 2],
  [0.7, -0.3, 0.05],
  [1.5, 1, -1],
])
const h0 = array([0.2, -0.1, 0.4])

/** An RNN over the rows of `x`: the final state and every state doubled. */
const rnn =
  (reverse: boolean) =>
  (h: NdArray, x: NdArray): [NdArray, NdArray] =>
    lax.scan(
      (c: NdArray, r: NdArray): [NdArray, NdArray] => {
        const n = tanh(add(matmul(c, W), r))
        return [n, mul(n, 2)]
      },
      h,
      x,
      { reverse },
    )

describe('scan → Loop', () => {
  it.each([false, true])('reverse %s: final carry and stacked outputs', async (reverse) => {
    const f = rnn(reverse)
    const bytes = exportOnnx(f, [h0, xs], { inputNames: ['h', 'x'], outputNames: ['hT', 'ys'] })
    expect(opTypes(bytes)).toContain('Loop')
    const out = await runOrt(bytes, { h: h0, x: xs })
    const [hT, ys] = f(h0, xs)
    expectClose(out.hT, hT)
    expectClose(out.ys, ys)
  })

  it('the gradient (a forward scan saving residuals, then a reverse scan) and vmap of a scan', async () => {
    const loss = (h: NdArray, x: NdArray): NdArray => {
      const [hT, ys] = rnn(false)(h, x)
      return add(sum(mul(ys, ys)), sum(hT))
    }
    const g = grad(loss, { argnums: [0, 1] })
    const out = await runOrt(exportOnnx(g, [h0, xs], { inputNames: ['h', 'x'], outputNames: ['dh', 'dx'] }), {
      h: h0,
      x: xs,
    })
    const [dh, dx] = g(h0, xs)
    expectClose(out.dh, dh, 1e-4)
    expectClose(out.dx, dx, 1e-4)
    const v = vmap((h: NdArray) => rnn(true)(h, xs)[1])
    const hs = array([
      [0.2, -0.1, 0.4],
      [1, 2, 3],
    ])
    expectClose((await runOrt(exportOnnx(v, [hs]), { arg0: hs })).output, v(hs))
  })
})

describe('whileLoop / foriLoop → Loop', () => {
  /** Doubles `x` (plus a sine) until its sum passes 100: the trip count depends on the values. */
  const grow = (x: NdArray): [NdArray, NdArray] =>
    lax.whileLoop(
      ([, y]: [NdArray, NdArray]) => less(sum(y), 100),
      ([i, y]: [NdArray, NdArray]): [NdArray, NdArray] => [add(i, 1), add(mul(y, 2), sin(y))],
      [array(0, { dtype: 'int32' }), x],
    )
  it('runs as many iterations as the values fed need', async () => {
    const bytes = exportOnnx(grow, [array([1, 2])], { inputNames: ['x'], outputNames: ['n', 'y'] })
    for (const x of [array([1, 2]), array([0.01, 0.02]), array([60, 50])]) {
      const out = await runOrt(bytes, { x })
      const [n, y] = grow(x)
      expect(out.n).toEqual([n.item()])
      expectClose(out.y, y)
    }
  })

  it('foriLoop with static bounds', async () => {
    const f = (x: NdArray): NdArray => lax.foriLoop(0, 5, (_: NdArray, y: NdArray) => add(mul(y, 0.5), cos(y)), x)
    expectClose((await runOrt(exportOnnx(f, [xs]), { arg0: xs })).output, f(xs))
  })
})

describe('cond / switch → If', () => {
  const f = (x: NdArray): NdArray =>
    lax.cond(
      greater(sum(x), 0),
      (y: NdArray) => sin(mul(y, W)),
      (y: NdArray) => cos(y),
      x,
    )
  it('cond takes the branch the values fed select', async () => {
    const bytes = exportOnnx(f, [W], { inputNames: ['x'] })
    expect(opTypes(bytes)).toContain('If')
    for (const x of [W, mul(W, -1)]) expectClose((await runOrt(bytes, { x })).output, f(x))
  })

  it('switch over three branches clamps the index as wengert does', async () => {
    const branches = [(y: NdArray) => add(y, 1), (y: NdArray) => mul(y, 10), (y: NdArray) => sin(y)]
    const g = (i: NdArray, y: NdArray): NdArray => lax.switch(i, branches, y)
    const bytes = exportOnnx(g, [array(0, { dtype: 'int32' }), xs], { inputNames: ['i', 'y'] })
    for (const k of [-3, 0, 1, 2, 9]) {
      const i = array(k, { dtype: 'int32' })
      expectClose((await runOrt(bytes, { i, y: xs })).output, g(i, xs))
    }
  })

  it('the gradient of a cond', async () => {
    const g = grad((x: NdArray) => sum(f(x)))
    const bytes = exportOnnx(g, [W], { inputNames: ['x'] })
    for (const x of [W, mul(W, -1)]) expectClose((await runOrt(bytes, { x })).output, g(x), 1e-4)
  })
})

describe('checkpoint → inline', () => {
  it('the gradient of a checkpointed function', async () => {
    const inner = checkpoint((x: NdArray) => sin(sin(matmul(x, W))), { policy: 'nothing_saveable' })
    const g = grad((x: NdArray) => sum(mul(inner(x), x)))
    expect(opTypes(exportOnnx(g, [xs]))).not.toContain('Loop')
    expectClose((await runOrt(exportOnnx(g, [xs]), { arg0: xs })).output, g(xs), 1e-4)
  })

  it('the control-flow primitives have export rules', () => {
    const missing = primitivesWithoutOnnxRule()
    expect(['scan', 'while', 'cond', 'remat'].filter((n) => missing.includes(n))).toEqual([])
  })
})

/**
 * Round trips through ONNX Runtime (onnxruntime-web's WebAssembly backend, under Node): programs
 * exported by exportOnnx — forward passes over every primitive family, gradients, a whole SGD
 * step of an MLP — give wengert's eager numbers (float32 tolerance), and 100 steps driven by the
 * exported step in ONNX Runtime reach wengert's loss.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-web'
import { describe, expect, it } from 'vitest'
import {
  add,
  argmax,
  array,
  astype,
  concat,
  ConcretizationTypeError,
  cumsum,
  exp,
  expm1,
  flip,
  grad,
  greater,
  jit,
  log1p,
  logsumexp,
  matmul,
  max,
  mean,
  mul,
  pad,
  reshape,
  softmax,
  sub,
  sum,
  take,
  tanh,
  transpose,
  tree,
  valueAndGrad,
  vmap,
  where,
  zeros,
  type NdArray,
} from 'wengert'
import { exportOnnx, OnnxExportError, primitivesWithoutOnnxRule, saveOnnx } from 'wengert/onnx'
import * as lax from '../../src/core/lax'
import { definePrimitive, vectorized } from '../../src/core/primitive'
import { bind } from '../../src/core/trace'

ort.env.wasm.numThreads = 1

/** Runs a model in ONNX Runtime on float32 feeds; returns each output's data. */
const runOrt = async (
  bytes: Uint8Array,
  feeds: Readonly<Record<string, NdArray>>,
): Promise<Record<string, Float32Array | Int32Array | Uint8Array>> => {
  const session = await ort.InferenceSession.create(bytes)
  const inputs: Record<string, ort.Tensor> = {}
  for (const [k, v] of Object.entries(feeds))
    inputs[k] = new ort.Tensor(v.dtype === 'int32' ? 'int32' : 'float32', v.toTypedArray(), v.shape.slice())
  const out = await session.run(inputs)
  return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.data as Float32Array | Int32Array | Uint8Array]))
}

const flat = (x: NdArray): number[] => Array.from(x.toTypedArray(), Number)
const close = (got: ArrayLike<number>, want: NdArray, tol = 1e-5): void => {
  const w = flat(want)
  expect(got.length).toBe(w.length)
  Array.from(got).forEach((g, i) =>
    expect(Math.abs(g - (w[i] as number))).toBeLessThanOrEqual(tol * (1 + Math.abs(w[i] as number))),
  )
}

const x34 = array([
  [0.5, -1.25, 2, 0.1],
  [3, -0.2, 0.75, -2.5],
  [1e-6, -1e-7, 40, -30],
])

describe('exportOnnx round trips through ONNX Runtime', () => {
  const cases: ReadonlyArray<readonly [string, (x: NdArray) => NdArray]> = [
    ['element-wise', (x) => add(mul(tanh(x), exp(mul(x, 0.1))), sub(expm1(x), log1p(mul(x, x))))],
    ['reductions and softmax', (x) => add(softmax(x, { axis: 1 }), reshape(logsumexp(x, { axis: 0 }), [1, 4]))],
    [
      'movement',
      (x) =>
        concat(
          [
            flip(transpose(x), 0),
            pad(reshape(x, [4, 3]), [
              [0, 0],
              [0, 2],
            ]),
          ],
          1,
        ),
    ],
    [
      'gather, cumsum, where, max',
      (x) => where(greater(x, 0), cumsum(take(x, [2, 0, 2], 0), { axis: 1 }), max(x, { axis: 0 })),
    ],
  ]
  it.each(cases)('%s', async (_, f) => {
    const bytes = exportOnnx(f, [x34], { inputNames: ['x'], outputNames: ['y'] })
    const out = await runOrt(bytes, { x: x34 })
    close(out.y as Float32Array, f(x34))
  })
})

describe('gradients and rules reached only through transforms', () => {
  it('a strided slice, a gather and a matmul differentiated: pad with interior, scatter_add, transposed products', async () => {
    // Arrange
    const w = array([
      [0.5, -1],
      [2, 0.25],
      [1, 1],
      [-0.5, 3],
    ])
    const f = (x: NdArray): NdArray => {
      const s = lax.slice(x, [0, 1], [3, 4], [2, 2])
      return add(sum(mul(s, s)), add(sum(mul(take(x, [2, 0, 2], 0), x34)), sum(tanh(matmul(x, w)))))
    }
    // Act
    const bytes = exportOnnx(grad(f), [x34], { inputNames: ['x'], outputNames: ['dx'] })
    const out = await runOrt(bytes, { x: x34 })
    // Assert
    close(out.dx as Float32Array, grad(f)(x34))
  })

  it('argmax (int32), reduce_and/reduce_or (bool) and vmap', async () => {
    const f = (x: NdArray): { i: NdArray; all: NdArray; any: NdArray; v: NdArray } => ({
      i: argmax(x, { axis: 1 }),
      all: lax.reduceAnd(greater(x, -5), [1]),
      any: lax.reduceOr(greater(x, 10), [0]),
      v: vmap((r: NdArray) => sum(mul(r, r)))(x),
    })
    const out = await runOrt(exportOnnx(f, [x34]), { arg0: x34 })
    const want = f(x34)
    expect(Array.from(out['output.i'] as Int32Array)).toEqual(flat(want.i))
    expect(Array.from(out['output.all'] as Uint8Array, Number)).toEqual(flat(want.all))
    expect(Array.from(out['output.any'] as Uint8Array, Number)).toEqual(flat(want.any))
    close(out['output.v'] as Float32Array, want.v)
  })

  it('captured integer constants of every width keep their values (raw data per dtype)', async () => {
    const consts = (['int64', 'int32', 'int16', 'int8', 'uint8'] as const).map((dtype) =>
      array(dtype === 'uint8' ? [0, 200, 255, 7] : [-3, 100, -128, 7], { dtype }),
    )
    // each constant meets the traced input in a concatenation, so it is exported as an initializer
    const f = (x: NdArray): NdArray =>
      consts.reduce((acc, c) => add(acc, astype(concat([astype(x, c.dtype), c]), 'float32')), zeros([8]))
    const x = array([1, 2, 3, 4])
    const out = await runOrt(exportOnnx(f, [x]), { arg0: x })
    close(out['output'] as Float32Array, f(x))
  })
})

// -------------------------------------------------------------------------------------
// the MLP's whole training step
// -------------------------------------------------------------------------------------

interface Params {
  readonly w1: NdArray
  readonly b1: NdArray
  readonly w2: NdArray
  readonly b2: NdArray
}

const grid = (r: number, c: number, f: (i: number, j: number) => number): NdArray =>
  array(Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => f(i, j))))
const init: Params = {
  w1: grid(4, 16, (i, j) => 0.5 * Math.sin(3.1 * i + 1.7 * j + 0.4)),
  b1: reshape(
    grid(1, 16, (_, j) => 0.1 * Math.cos(j)),
    [16],
  ),
  w2: grid(16, 1, (i) => 0.5 * Math.cos(2.3 * i + 0.2)),
  b2: array([0]),
}
const X = array(Array.from({ length: 32 }, (_, i) => Array.from({ length: 4 }, (_, j) => Math.sin(0.7 * i + 1.3 * j))))
const Y = reshape(array(Array.from({ length: 32 }, (_, i) => Math.cos(0.3 * i))), [32, 1])

const loss = (p: Params, x: NdArray, y: NdArray): NdArray => {
  const h = tanh(add(matmul(x, p.w1), p.b1))
  const d = sub(add(matmul(h, p.w2), p.b2), y)
  return mean(mul(d, d))
}
/** One SGD step (lr 0.1): the new parameters and the loss before the step. */
const step = (p: Params, x: NdArray, y: NdArray): { params: Params; loss: NdArray } => {
  const [l, g] = valueAndGrad(loss)(p, x, y)
  return { params: tree.map((a, b) => sub(a as NdArray, mul(b as NdArray, 0.1)), p, g) as Params, loss: l }
}
const NAMES = {
  inputNames: ['w1', 'b1', 'w2', 'b2', 'x', 'y'],
  outputNames: ['w1_new', 'b1_new', 'w2_new', 'b2_new', 'loss'],
}

describe('the MLP exported: forward, gradient, SGD step, 100 steps in ONNX Runtime', () => {
  it('forward and gradient equal wengert eager', async () => {
    const feeds = { 'arg0.w1': init.w1, 'arg0.b1': init.b1, 'arg0.w2': init.w2, 'arg0.b2': init.b2, arg1: X, arg2: Y }
    const fwd = await runOrt(exportOnnx(loss, [init, X, Y]), feeds)
    close(fwd.output as Float32Array, loss(init, X, Y))
    const g = await runOrt(exportOnnx(grad(loss), [init, X, Y]), feeds)
    const want = grad(loss)(init, X, Y)
    for (const k of ['w1', 'b1', 'w2', 'b2'] as const) close(g[`output.${k}`] as Float32Array, want[k], 1e-4)
  })

  it('100 steps driven by the exported jit(step) reach wengert loss', async () => {
    // Arrange
    const session = await ort.InferenceSession.create(exportOnnx(jit(step), [init, X, Y], NAMES))
    const t = (a: NdArray): ort.Tensor => new ort.Tensor('float32', a.toTypedArray() as Float32Array, a.shape.slice())
    let feeds: Record<string, ort.Tensor> = {
      w1: t(init.w1),
      b1: t(init.b1),
      w2: t(init.w2),
      b2: t(init.b2),
      x: t(X),
      y: t(Y),
    }
    let p = init
    const ortLosses: number[] = []
    const losses: number[] = []
    // Act
    for (let i = 0; i < 100; i++) {
      const out = await session.run(feeds)
      ortLosses.push((out.loss?.data as Float32Array)[0] as number)
      feeds = { w1: out.w1_new!, b1: out.b1_new!, w2: out.w2_new!, b2: out.b2_new!, x: feeds.x!, y: feeds.y! }
      const r = step(p, X, Y)
      losses.push(r.loss.item() as number)
      p = r.params
    }
    // Assert
    expect(losses[99]).toBeLessThan(0.95 * (losses[0] as number))
    ortLosses.forEach((l, i) => expect(Math.abs(l - (losses[i] as number))).toBeLessThan(1e-4))
    close(feeds.w1!.data as Float32Array, p.w1, 1e-3)
  })
})

// -------------------------------------------------------------------------------------
// bad input
// -------------------------------------------------------------------------------------

describe('exportOnnx refuses what it cannot write', () => {
  it('JavaScript control flow on values: the ConcretizationTypeError jit gives', () => {
    const f = (x: NdArray): NdArray => ((sum(x).item() as number) > 0 ? x : mul(x, 2))
    expect(() => exportOnnx(f, [x34])).toThrow(ConcretizationTypeError)
  })

  it('a primitive without an export rule is named', () => {
    // every registered primitive has a rule: one defined here has none
    const noRule = definePrimitive({
      name: 'sin_without_onnx_rule',
      impl: ([x]: readonly [NdArray]) => lax.sin(x),
      shape: ([x]) => x,
      batch: vectorized,
      derivative: 'none',
    })
    const f = (x: NdArray): NdArray => bind(noRule, [lax.exp(x)], {})
    expect(() => exportOnnx(f, [x34])).toThrow(OnnxExportError)
    expect(() => exportOnnx(f, [x34])).toThrow(/primitive 'sin_without_onnx_rule' has no ONNX export rule/)
  })

  it('opsetVersion below 17, unknown dynamicAxes names, and a graph that embeds a dynamic size', () => {
    expect(() => exportOnnx(exp, [x34], { opsetVersion: 13 })).toThrow(/opsetVersion must be an integer ≥ 17/)
    expect(() => exportOnnx(exp, [x34], { dynamicAxes: { z: [0] } })).toThrow(/dynamicAxes names 'z'/)
    expect(() => exportOnnx((x: NdArray) => reshape(x, [12]), [x34], { dynamicAxes: { arg0: { 0: 'b' } } })).toThrow(
      /fails at another size of its dynamic dimensions \(reshape: cannot reshape/,
    )
    // JavaScript branching on a dynamic size writes another graph at another size
    const g = (x: NdArray): NdArray => ((x.shape[0] as number) > 3 ? sub(x, 1) : exp(x))
    expect(() => exportOnnx(g, [x34], { dynamicAxes: { arg0: { 0: 'b' } } })).toThrow(
      /the graph \(ONNX Exp\) written for primitive 'exp' depends on the dynamic dimension 'b'/,
    )
  })

  it('dynamic batch of an element-wise program runs at another size', async () => {
    const bytes = exportOnnx(exp, [x34], {
      inputNames: ['x'],
      dynamicAxes: { x: { 0: 'batch' }, output: { 0: 'batch' } },
    })
    const x = array([[1, 2, 3, 4]])
    close((await runOrt(bytes, { x })).output as Float32Array, exp(x))
  })

  it('opset 18 writes reductions with axes as inputs', async () => {
    const f = (x: NdArray): NdArray => max(x, { axis: 1 })
    const out = await runOrt(exportOnnx(f, [x34], { opsetVersion: 18 }), { arg0: x34 })
    close(out.output as Float32Array, f(x34))
  })
})

describe('export rules', () => {
  /** Primitives that had an export rule when this list was written: none may lose it. */
  const HAD_RULE = [
    ...[
      'abs',
      'add',
      'and',
      'argmax',
      'argmin',
      'asinh',
      'broadcast_in_dim',
      'ceil',
      'concatenate',
      'convert_element_type',
    ],
    ...[
      'cos',
      'cumsum',
      'div',
      'eq',
      'erf',
      'exp',
      'expm1',
      'flip',
      'floor',
      'gather',
      'ge',
      'gt',
      'is_finite',
      'is_nan',
    ],
    ...['le', 'log', 'log1p', 'logistic', 'lt', 'matmul', 'max', 'mul', 'ne', 'neg', 'not', 'or', 'pad', 'pow'],
    ...[
      'reciprocal',
      'reduce_and',
      'reduce_max',
      'reduce_or',
      'reduce_sum',
      'reshape',
      'round',
      'scatter_add',
      'select',
    ],
    ...['sign', 'sin', 'slice', 'sqrt', 'stop_gradient', 'sub', 'tanh', 'tanh_backward', 'transpose'],
    ...['scan', 'while', 'cond', 'remat', 'sort', 'top_k', 'scatter_max', 'scatter_min'],
    ...['conv_general_dilated', 'reduce_window_max', 'reduce_window_min', 'reduce_window_sum'],
    ...['select_and_scatter_add', 'select_and_gather_add', 'cumprod', 'cummax', 'cummin'],
    ...['cholesky', 'triangular_solve', 'lu', 'lu_pivots_to_permutation', 'qr', 'eigh', 'svd'],
    ...['random_split', 'random_fold_in', 'random_bits', 'random_unit', 'random_randint', 'random_shuffle'],
    ...['random_gamma', 'random_poisson'],
    ...['atan2', 'cumlogsumexp', 'xlogy', 'xlog1py', 'entr', 'logit', 'bessel_i0e', 'bessel_i1e', 'erfc'],
    ...['erf_inv', 'ndtri', 'log_ndtr', 'lgamma', 'digamma', 'polygamma', 'zeta'],
    ...['expm'],
    ...['bitwise_and', 'bitwise_or', 'bitwise_xor', 'bitwise_not', 'shift_left', 'shift_right_arithmetic'],
    ...['shift_right_logical', 'population_count'],
    ...['igamma', 'igammac', 'igamma_grad_a', 'random_gamma_grad', 'regularized_incomplete_beta'],
  ]
  it('lists the primitives without one; none that had one lost it', () => {
    const missing = primitivesWithoutOnnxRule()
    console.info(`primitives without an ONNX export rule: ${missing.join(', ') || '(none)'}`)
    expect(missing.filter((n) => HAD_RULE.includes(n))).toEqual([])
  })
})

describe('saveOnnx', () => {
  it('replaces an existing file whole and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onnx-save-'))
    const path = join(dir, 'model.onnx')
    writeFileSync(path, 'old contents')
    const bytes = await saveOnnx(exp, [x34], { path })
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes)
    expect(readdirSync(dir)).toEqual(['model.onnx'])
  })
})

/**
 * `scan`: the loop primitive that holds a sub-program (JAX: `scan_p`). The body is traced once
 * into the one program type; its inputs are the loop-invariant values (`numConsts`), the carry
 * (`numCarry`) and one row of each scanned array, its outputs the new carry and one row of each
 * stacked output. Eagerly and under `jit` the body's compiled program runs once per step (one
 * loop, whatever the length); the rules transform the body once: JVP is a scan of the body's
 * JVP, VJP a forward scan that saves the body's residuals and a reverse scan of its backward
 * part, batching a scan of the batched body.
 *
 * @category primitives
 * @since 0.2.0
 */
import { allocate, isFloat, type TypedArray } from '../../ndarray/dtype'
import { NdArray } from '../../ndarray/NdArray'
import { sizeOf } from '../../ndarray/shape'
import { avalOf, type Aval, type Tape } from '../equation'
import { savingOf } from './scanResiduals'
import { boundMulti, definePrimitive, type BoundMultiPrimitive } from '../primitive'
import {
  apply,
  example,
  jvpApply,
  materialize,
  programOf,
  rowExample,
  splitVjp,
  traceClosed,
  batchApply,
  zerosOf,
  type Split,
} from '../subprogram'
import { isZero, Zero, type Linear } from '../zero'
import { scalarLoopOf } from '../scalarLoop'
import { bodyRunner } from '../bodyRunner'
import { bufferedScanOf } from '../bufferedScan'
import * as lax from '../lax'
import { scanOnnx } from './onnxControl'

/** Params of `scan`. */
export interface ScanParams {
  /** inputs: consts, carry, one row of each xs; outputs: carry, one row of each ys. */
  readonly body: Tape
  readonly numConsts: number
  readonly numCarry: number
  readonly length: number
  readonly reverse: boolean
  /** JAX's unroll: a speed hint that never changes results (wengert runs one body call per step). */
  readonly unroll: number
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i)

/** A step of the body: its compiled program, or (when that only interprets) a runner without per-step lookups. */
const stepOf = (body: Tape): ((args: ReadonlyArray<NdArray>, outs: NdArray[]) => void) => {
  const program = programOf(body)
  if (program.scalar > 0 || program.fused > 0) {
    return (args, outs) => {
      const ys = program.run(args)
      for (let j = 0; j < ys.length; j++) outs[j] = ys[j] as NdArray
    }
  }
  const runner = bodyRunner(body)
  return (args, outs) => runner.run(args, outs)
}

/** Runs the loop on concrete values: a scalar body as one compiled loop (./scalarLoop), a small-array body over buffers (./bufferedScan), any other body one step at a time. */
const runScan = (inputs: ReadonlyArray<NdArray>, p: ScanParams): NdArray[] => {
  const whole = scalarLoopOf(p.body, p.numConsts, p.numCarry)
  if (whole !== null) return whole(inputs, p.length, p.reverse)
  const buffered = bufferedScanOf(p.body, p.numConsts, p.numCarry)
  if (buffered !== null) return buffered(inputs, p.length, p.reverse)
  const step = stepOf(p.body)
  const nC = p.numConsts
  const nK = p.numCarry
  const nX = inputs.length - nC - nK
  const yAvals = p.body.outputs.slice(nK).map(avalOf)
  const sizes = yAvals.map((a) => sizeOf(a.shape))
  const ys = yAvals.map((a, j) => allocate(a.dtype, p.length * (sizes[j] as number)))
  const xs = inputs.slice(nC + nK).map((x) => ({
    data: x._data,
    shape: x.shape.slice(1),
    n: sizeOf(x.shape) / Math.max(1, x.shape[0] as number),
    dtype: x.dtype,
  }))
  const args = inputs.slice(0, nC + nK + nX)
  const outs = new Array<NdArray>(p.body.outputs.length)
  for (let s = 0; s < p.length; s++) {
    const t = p.reverse ? p.length - 1 - s : s
    for (let j = 0; j < nX; j++) {
      const x = xs[j] as (typeof xs)[number]
      args[nC + nK + j] = new NdArray(x.shape, x.dtype, x.data.subarray(t * x.n, (t + 1) * x.n))
    }
    step(args, outs)
    for (let k = 0; k < nK; k++) args[nC + k] = outs[k] as NdArray
    for (let j = 0; j < ys.length; j++) ys[j]?.set((outs[nK + j] as NdArray)._data, t * (sizes[j] as number))
  }
  const carry = args.slice(nC, nC + nK)
  return [...carry, ...yAvals.map((a, j) => new NdArray([p.length, ...a.shape], a.dtype, ys[j] as TypedArray))]
}

const scanShape = (p: ScanParams): Aval[] => {
  const outs = p.body.outputs.map(avalOf)
  return [
    ...outs.slice(0, p.numCarry),
    ...outs.slice(p.numCarry).map((a) => ({ shape: [p.length, ...a.shape], dtype: a.dtype })),
  ]
}

const formatScan = (p: ScanParams): string =>
  `[length=${p.length} reverse=${p.reverse ? 'True' : 'False'} num_consts=${p.numConsts} num_carry=${p.numCarry} unroll=${p.unroll} jaxpr=${String(p.body).replace(/\n/g, ' ')}]`

/** The scan of `body` over `inputs` with the other params of `p`. */
const rebind = (
  inputs: ReadonlyArray<NdArray>,
  p: ScanParams,
  body: Tape,
  numConsts: number,
  numCarry: number,
  reverse = p.reverse,
): ReadonlyArray<NdArray> => scan(inputs, { ...p, body, numConsts, numCarry, reverse })

/** Examples of the body's inputs (consts, carry, a row of each xs) for tracing a transformed body. */
const bodyExamples = (inputs: ReadonlyArray<NdArray>, p: ScanParams): NdArray[] =>
  inputs.map((x, i) => (i < p.numConsts + p.numCarry ? example(x) : rowExample(x)))

// -------------------------------------------------------------------------------------
// JVP: a scan of the body's JVP
// -------------------------------------------------------------------------------------

const pick = <T>(xs: ReadonlyArray<T>, mask: ReadonlyArray<boolean>): T[] => xs.filter((_, i) => mask[i] === true)

/**
 * The JVP body for tangents on `nz` inputs: inputs [C, Ċ, K, K̇, X, Ẋ] (dots only where nonzero;
 * K̇ where `nzK`), outputs [K', K̇', Y, Ẏ] (K̇' where `nzK`, Ẏ where the trace finds one).
 */
const jvpBody = (p: ScanParams, nz: ReadonlyArray<boolean>, ex: ReadonlyArray<NdArray>) => {
  const nC = p.numConsts
  const nK = p.numCarry
  const n = ex.length
  const groups = [range(0, nC), range(nC, nC + nK), range(nC + nK, n)]
  let outNz: boolean[] = []
  const order = groups.flatMap((g) => [...g, ...g.filter((i) => nz[i]).map((i) => n + i)])
  const tanEx = ex.map((x) => zerosOf(x))
  const tape = traceClosed(
    (xs) => {
      const vals = new Array<NdArray>(n)
      const tans = new Array<NdArray | undefined>(n)
      order.forEach((slot, k) => (slot < n ? (vals[slot] = xs[k] as NdArray) : (tans[slot - n] = xs[k] as NdArray)))
      const [outs, touts] = jvpApply(p.body, vals, tans)
      outNz = touts.map((t) => !isZero(t))
      const tOut = (j: number): NdArray => materialize(touts[j] as Linear, outs[j] as NdArray)
      const ks = range(0, nK)
      const ysIdx = range(nK, outs.length)
      return [
        ...ks.map((k) => outs[k] as NdArray),
        ...ks.filter((k) => nz[nC + k]).map(tOut),
        ...ysIdx.map((j) => outs[j] as NdArray),
        ...ysIdx.filter((j) => outNz[j]).map(tOut),
      ]
    },
    order.map((slot) => (slot < n ? ex[slot] : tanEx[slot - n]) as NdArray),
  ).tape
  return { tape, order, outNz }
}

const scanJvp = (inputs: ReadonlyArray<NdArray>, p: ScanParams, tangents: ReadonlyArray<Linear>): Linear[] => {
  const nC = p.numConsts
  const nK = p.numCarry
  const nz = tangents.map((t) => !isZero(t))
  const ex = bodyExamples(inputs, p)
  let j = jvpBody(p, nz, ex)
  // the carry's tangent is nonzero from the first step where any step makes it nonzero
  while (range(0, nK).some((k) => j.outNz[k] === true && !nz[nC + k])) {
    range(0, nK).forEach((k) => (nz[nC + k] = nz[nC + k] === true || j.outNz[k] === true))
    j = jvpBody(p, nz, ex)
  }
  const all = [...inputs, ...tangents.map((t, i) => materialize(t, inputs[i] as NdArray))]
  const nTC = nz.slice(0, nC).filter(Boolean).length
  const nTK = nz.slice(nC, nC + nK).filter(Boolean).length
  const outs = rebind(
    j.order.map((slot) => all[slot] as NdArray),
    p,
    j.tape,
    nC + nTC,
    nK + nTK,
  )
  const nY = p.body.outputs.length - nK
  const carryT = outs.slice(nK, nK + nTK)
  const ysT = outs.slice(nK + nTK + nY)
  let kc = 0
  let ky = 0
  return [
    ...range(0, nK).map((k) => (nz[nC + k] === true ? (carryT[kc++] as NdArray) : Zero.like(outs[k] as NdArray))),
    ...range(nK, nK + nY).map((o) =>
      j.outNz[o] === true ? (ysT[ky++] as NdArray) : Zero.like(outs[nK + nTK + (o - nK)] as NdArray),
    ),
  ]
}

// -------------------------------------------------------------------------------------
// VJP: save the body's residuals forward, run its backward part in reverse
// -------------------------------------------------------------------------------------

const splits = new WeakMap<ScanParams, Split>()
const splitOf = (p: ScanParams, inputs: ReadonlyArray<NdArray>): Split => {
  let s = splits.get(p)
  if (s === undefined) {
    s = splitVjp(p.body, p.numConsts, () => true, bodyExamples(inputs, p))
    splits.set(p, s)
  }
  return s
}

/**
 * Forward: the scan of the body's forward part; its extra stacked outputs are the residuals. A
 * residual that is a scanned row or a stacked output is not stacked again: the scanned input or
 * that output is passed instead (it holds the same rows).
 */
const scanForward = (inputs: ReadonlyArray<NdArray>, p: ScanParams): readonly [NdArray[], NdArray[]] => {
  const sv = savingOf(p, splitOf(p, inputs))
  const outs = rebind(inputs, p, sv.forward, p.numConsts, p.numCarry)
  const nOut = p.body.outputs.length
  const residuals = sv.from.map((r) => ('x' in r ? inputs[r.x] : 'y' in r ? outs[r.y] : outs[r.own]) as NdArray)
  return [outs.slice(0, nOut), residuals]
}

/**
 * The reverse scan's body: inputs [C, Ā (accumulated cotangents of the wanted consts), K̄,
 * R (a row of residuals), Ȳ]; outputs [Ā + C̄, K̄ of the previous carry, X̄ of the wanted xs].
 */
const backwardBody = (
  p: ScanParams,
  s: Split,
  wantC: ReadonlyArray<boolean>,
  wantX: ReadonlyArray<boolean>,
  ex: ReadonlyArray<NdArray>,
): Tape => {
  const nC = p.numConsts
  const nK = p.numCarry
  const nR = s.residuals.length
  const cIdx = pick(range(0, nC), wantC)
  return traceClosed((xs) => {
    const c = xs.slice(0, nC)
    const acc = xs.slice(nC, nC + cIdx.length)
    const kBar = xs.slice(nC + cIdx.length, nC + cIdx.length + nK)
    const rest = xs.slice(nC + cIdx.length + nK)
    const bars = apply(s.backward, [...c, ...rest.slice(0, nR), ...kBar, ...rest.slice(nR)])
    return [
      ...cIdx.map((i, k) => lax.add(acc[k] as NdArray, bars[i] as NdArray)),
      ...bars.slice(nC, nC + nK),
      ...pick(bars.slice(nC + nK), wantX),
    ]
  }, ex).tape
}

const scanVjp = (
  inputs: ReadonlyArray<NdArray>,
  outputs: ReadonlyArray<NdArray>,
  p: ScanParams,
  needs: ReadonlyArray<boolean>,
  residuals: unknown,
  yBars: ReadonlyArray<Linear>,
): Linear[] => {
  const nC = p.numConsts
  const nK = p.numCarry
  const s = splitOf(p, inputs)
  const stacked = (residuals as NdArray[] | undefined) ?? scanForward(inputs, p)[1]
  const float = inputs.map((x, i) => needs[i] === true && isFloat(x.dtype))
  const wantC = float.slice(0, nC)
  const wantX = float.slice(nC + nK)
  const c = inputs.slice(0, nC)
  const accs = pick(c, wantC).map((x) => zerosOf(x))
  const bars = yBars.map((b, j) => materialize(b, outputs[j] as NdArray))
  const kBars = bars.slice(0, nK)
  const ex = [
    ...c.map(example),
    ...accs,
    ...kBars.map(example),
    ...stacked.map(rowExample),
    ...bars.slice(nK).map(rowExample),
  ]
  const body = backwardBody(p, s, wantC, wantX, ex)
  const outs = rebind(
    [...c, ...accs, ...kBars, ...stacked, ...bars.slice(nK)],
    p,
    body,
    nC,
    accs.length + nK,
    !p.reverse,
  )
  let kc = 0
  let kx = 0
  const cBars = outs.slice(0, accs.length)
  const xBars = outs.slice(accs.length + nK)
  return inputs.map((x, i) => {
    if (i < nC) return wantC[i] === true ? (cBars[kc++] as NdArray) : Zero.like(x)
    if (i < nC + nK) return isFloat(x.dtype) ? (outs[accs.length + i - nC] as NdArray) : Zero.like(x)
    return wantX[i - nC - nK] === true ? (xBars[kx++] as NdArray) : Zero.like(x)
  })
}

// -------------------------------------------------------------------------------------
// batching: a scan of the batched body
// -------------------------------------------------------------------------------------

const scanBatch = (
  vals: ReadonlyArray<NdArray>,
  bdims: ReadonlyArray<number | null>,
  p: ScanParams,
  size: number,
  axisName?: string,
): readonly [ReadonlyArray<NdArray>, ReadonlyArray<number | null>] => {
  const nC = p.numConsts
  const nK = p.numCarry
  const batched = bdims.map((b) => b !== null)
  const nOut = p.body.outputs.length
  for (;;) {
    const moved = vals.map((x, i) => {
      const b = bdims[i] ?? null
      if (!batched[i]) return x
      return i < nC + nK ? lax.batchFirst(x, b, size) : lax.moveBatchAxis(x, b, 1, size)
    })
    const ex = bodyExamples(moved, p)
    let outB: boolean[] = []
    const force = range(0, nOut).map((j) => j < nK && batched[nC + j] === true)
    const body = traceClosed((xs) => {
      const [outs, ob] = batchApply(p.body, xs, batched, size, force, axisName)
      outB = ob
      return outs
    }, ex).tape
    if (range(0, nK).some((k) => outB[k] === true && !batched[nC + k])) {
      range(0, nK).forEach((k) => (batched[nC + k] = batched[nC + k] === true || outB[k] === true))
      continue
    }
    const outs = rebind(moved, p, body, nC, nK)
    return [outs, outs.map((_, j) => (outB[j] === true ? (j < nK ? 0 : 1) : null))]
  }
}

// -------------------------------------------------------------------------------------
// the primitive
// -------------------------------------------------------------------------------------

/**
 * The scan primitive on flat inputs `[...consts, ...init, ...xs]` (see {@link ScanParams}):
 * returns `[...finalCarry, ...stackedYs]`. The user-facing `lax.scan` (src/ops) traces the body.
 * @category primitives @since 0.2.0
 */
export const scan: BoundMultiPrimitive<
  'scan',
  ReadonlyArray<NdArray>,
  ScanParams,
  (inputs: ReadonlyArray<NdArray>, params: ScanParams) => ReadonlyArray<NdArray>
> = boundMulti(
  definePrimitive<'scan', ReadonlyArray<NdArray>, ScanParams>({
    name: 'scan',
    multipleResults: true,
    abstractTrace: true,
    onnx: scanOnnx,
    impl: runScan,
    shape: (_avals, p) => scanShape(p),
    formatParams: formatScan,
    forward: scanForward,
    jvp: ({ inputs, params }, tangents) => scanJvp(inputs, params, tangents),
    vjp: ({ inputs, outputs, params, needs, residuals }, yBars) =>
      scanVjp(inputs, outputs, params, needs, residuals, yBars),
    batch: (_prim, vals, bdims, params, size, axisName) => scanBatch(vals, bdims, params as ScanParams, size, axisName),
  }),
  (bind) => (inputs, params) => bind(inputs, params),
)

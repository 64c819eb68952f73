/**
 * `while` and `cond`: control flow with sub-programs whose trip count or branch is decided by a
 * value (JAX: `while_p`, `cond_p`). Eagerly and under `jit` one compiled program runs per
 * iteration, and only the selected branch runs. `while` is forward-mode differentiable only (as
 * in JAX); `cond`'s VJP runs the selected branch's VJP (recomputing its forward). Under `vmap`
 * a batched predicate runs every branch and merges the results with `select`, and a batched
 * loop condition runs while any element's holds, freezing the finished ones.
 *
 * @category primitives
 * @since 0.2.0
 */
import { NotDifferentiableError } from '../../ndarray/errors'
import { NdArray } from '../../ndarray/NdArray'
import { avalOf, type Tape } from '../equation'
import { boundMulti, definePrimitive, type BoundMultiPrimitive } from '../primitive'
import { apply, batchApply, example, jvpApply, materialize, programOf, traceClosed, vjpApply } from '../subprogram'
import { isZero, Zero, type Linear } from '../zero'
import * as lax from '../lax'
import { condOnnx, whileOnnx } from './onnxControl'

const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i)

// -------------------------------------------------------------------------------------
// while
// -------------------------------------------------------------------------------------

/** Params of `while`: inputs are the cond's consts, the body's consts, then the carry. */
export interface WhileParams {
  /** inputs: cond consts, carry; output: one bool scalar. */
  readonly cond: Tape
  /** inputs: body consts, carry; outputs: the new carry. */
  readonly body: Tape
  readonly condConsts: number
  readonly bodyConsts: number
}

const runWhile = (inputs: ReadonlyArray<NdArray>, p: WhileParams): NdArray[] => {
  const cond = programOf(p.cond)
  const body = programOf(p.body)
  const cc = inputs.slice(0, p.condConsts)
  const bc = inputs.slice(p.condConsts, p.condConsts + p.bodyConsts)
  let carry = inputs.slice(p.condConsts + p.bodyConsts)
  while ((cond.run([...cc, ...carry])[0] as NdArray)._data[0] !== 0) carry = body.run([...bc, ...carry])
  return carry
}

/** JAX's text for reverse-mode differentiation of a loop whose trip count is a value. */
export const WHILE_VJP_MESSAGE =
  'Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with dynamic start/stop values. Try using lax.scan, or using fori_loop with static start/stop.'

/** JVP: a while loop over [carry, carry tangents] whose body is the body's JVP. */
const whileJvp = (inputs: ReadonlyArray<NdArray>, p: WhileParams, tangents: ReadonlyArray<Linear>): Linear[] => {
  const cC = p.condConsts
  const bC = p.bodyConsts
  const nK = inputs.length - cC - bC
  const nz = tangents.map((t) => !isZero(t)).slice(cC)
  const ex = inputs.map(example)
  const tans = tangents.map((t, i) => materialize(t, inputs[i] as NdArray))
  for (;;) {
    const order = [
      ...range(0, bC),
      ...range(0, bC)
        .filter((i) => nz[i])
        .map((i) => -1 - i),
    ]
    const kIdx = range(bC, bC + nK)
    const kT = kIdx.filter((i) => nz[i])
    let outNz: boolean[] = []
    const pick = (i: number): NdArray => (i >= 0 ? (ex[cC + i] as NdArray) : (tans[cC - 1 - i] as NdArray))
    const body = traceClosed(
      (xs) => {
        const vals = xs.slice(0, bC).concat(xs.slice(order.length, order.length + nK))
        const dots = new Array<NdArray | undefined>(bC + nK)
        order.slice(bC).forEach((i, k) => (dots[-1 - i] = xs[bC + k]))
        kT.forEach((i, k) => (dots[i] = xs[order.length + nK + k]))
        const [outs, touts] = jvpApply(p.body, vals, dots)
        outNz = touts.map((t) => !isZero(t))
        return [...outs, ...kT.map((i) => materialize(touts[i - bC] as Linear, outs[i - bC] as NdArray))]
      },
      [...order.map(pick), ...kIdx.map(pick), ...kT.map((i) => tans[cC + i] as NdArray)],
    ).tape
    if (range(0, nK).some((k) => outNz[k] === true && !nz[bC + k])) {
      range(0, nK).forEach((k) => (nz[bC + k] = nz[bC + k] === true || outNz[k] === true))
      continue
    }
    const cond = traceClosed(
      (xs) => apply(p.cond, xs.slice(0, cC + nK)),
      [...ex.slice(0, cC), ...ex.slice(cC + bC), ...kT.map((i) => tans[cC + i] as NdArray)],
    ).tape
    const outs = whileLoop(
      [
        ...inputs.slice(0, cC),
        ...order.map((i) => (i >= 0 ? (inputs[cC + i] as NdArray) : (tans[cC - 1 - i] as NdArray))),
        ...inputs.slice(cC + bC),
        ...kT.map((i) => tans[cC + i] as NdArray),
      ],
      { cond, body, condConsts: cC, bodyConsts: order.length },
    )
    let k = 0
    return range(0, nK).map((j) => (nz[bC + j] === true ? (outs[nK + k++] as NdArray) : Zero.like(outs[j] as NdArray)))
  }
}

/** Batching: the batched body; a batched predicate runs while any holds and freezes the finished elements. */
const whileBatch = (
  vals: ReadonlyArray<NdArray>,
  bdims: ReadonlyArray<number | null>,
  p: WhileParams,
  size: number,
  axisName?: string,
): readonly [ReadonlyArray<NdArray>, ReadonlyArray<number | null>] => {
  const cC = p.condConsts
  const bC = p.bodyConsts
  const nK = vals.length - cC - bC
  const batched = bdims.map((b) => b !== null)
  for (;;) {
    const moved = vals.map((x, i) => (batched[i] === true ? lax.batchFirst(x, bdims[i] ?? null, size) : x))
    const ex = moved.map(example)
    const cIn = [...range(0, cC), ...range(cC + bC, vals.length)]
    const bIn = range(cC, vals.length)
    let predB = false
    let outB: boolean[] = []
    const forceK = range(0, nK).map((k) => batched[cC + bC + k] === true)
    const bodyOf = (xs: NdArray[]): NdArray[] => {
      const [outs, ob] = batchApply(
        p.body,
        xs.slice(cC),
        bIn.map((i) => batched[i] === true),
        size,
        forceK,
        axisName,
      )
      outB = ob
      return outs
    }
    /** The batched predicate of [cond consts, carry]. */
    const condOf = (xs: NdArray[]): NdArray => {
      const [[pred], [pb]] = batchApply(
        p.cond,
        xs,
        cIn.map((i) => batched[i] === true),
        size,
        [false],
        axisName,
      )
      predB = pb === true
      return pred as NdArray
    }
    const condIn = (xs: NdArray[]): NdArray[] => [...xs.slice(0, cC), ...xs.slice(cC + bC)]
    traceClosed((xs) => [...bodyOf(xs), condOf(condIn(xs))], ex)
    const grow = range(0, nK).some((k) => (outB[k] === true || predB) && !batched[cC + bC + k])
    if (grow) {
      range(0, nK).forEach((k) => (batched[cC + bC + k] = batched[cC + bC + k] === true || outB[k] === true || predB))
      continue
    }
    const outs = batchedLoop(moved, p, predB, bodyOf, condOf)
    return [outs, range(0, nK).map((k) => (batched[cC + bC + k] === true ? 0 : null))]
  }
}

/**
 * The batched loop: the batched cond (reduced with "any" when the predicate is batched) and the
 * batched body (which then keeps the carry of elements whose predicate no longer holds).
 */
const batchedLoop = (
  moved: ReadonlyArray<NdArray>,
  p: WhileParams,
  predB: boolean,
  bodyOf: (xs: NdArray[]) => NdArray[],
  condOf: (xs: NdArray[]) => NdArray,
): ReadonlyArray<NdArray> => {
  const cC = p.condConsts
  const bC = p.bodyConsts
  const condIn = (xs: ReadonlyArray<NdArray>): NdArray[] => [...xs.slice(0, cC), ...xs.slice(cC + bC)]
  const ex = moved.map(example)
  const cond = traceClosed((xs) => {
    const pred = condOf(xs)
    return [predB ? lax.reduceOr(pred, [0]) : pred]
  }, condIn(ex)).tape
  const body = traceClosed((xs) => {
    const outs = bodyOf(xs)
    if (!predB) return outs
    const pred = condOf(condIn(xs))
    return outs.map((y, k) => lax.select(lax.broadcastInDim(pred, y.shape, [0]), y, xs[cC + bC + k] as NdArray))
  }, ex).tape
  return whileLoop([...moved.slice(0, cC), ...moved.slice(0, cC), ...moved.slice(cC)], {
    cond,
    body,
    condConsts: cC,
    bodyConsts: cC + bC,
  })
}

/**
 * The while-loop primitive on flat inputs `[...condConsts, ...bodyConsts, ...carry]` (see
 * {@link WhileParams}); returns the final carry. The user-facing `lax.whileLoop` traces cond and body.
 * @category primitives @since 0.2.0
 */
export const whileLoop: BoundMultiPrimitive<
  'while',
  ReadonlyArray<NdArray>,
  WhileParams,
  (inputs: ReadonlyArray<NdArray>, params: WhileParams) => ReadonlyArray<NdArray>
> = boundMulti(
  definePrimitive<'while', ReadonlyArray<NdArray>, WhileParams>({
    name: 'while',
    multipleResults: true,
    abstractTrace: true,
    onnx: whileOnnx,
    impl: runWhile,
    shape: (_avals, p) => p.body.outputs.map(avalOf),
    formatParams: (p) =>
      `[cond_nconsts=${p.condConsts} body_nconsts=${p.bodyConsts} cond_jaxpr=${String(p.cond).replace(/\n/g, ' ')} body_jaxpr=${String(p.body).replace(/\n/g, ' ')}]`,
    jvp: ({ inputs, params }, tangents) => whileJvp(inputs, params, tangents),
    vjp: () => {
      throw new NotDifferentiableError(WHILE_VJP_MESSAGE)
    },
    batch: (_prim, vals, bdims, params, size, axisName) =>
      whileBatch(vals, bdims, params as WhileParams, size, axisName),
  }),
  (bind) => (inputs, params) => bind(inputs, params),
)

// -------------------------------------------------------------------------------------
// cond
// -------------------------------------------------------------------------------------

/** Params of `cond`: inputs are an int32 index and the operands every branch takes. */
export interface CondParams {
  readonly branches: ReadonlyArray<Tape>
}

const clampIndex = (i: number, n: number): number => Math.min(Math.max(Math.trunc(i), 0), n - 1)

const runCond = (inputs: ReadonlyArray<NdArray>, p: CondParams): NdArray[] => {
  const [index, ...ops] = inputs
  const i = clampIndex((index as NdArray)._data[0] as number, p.branches.length)
  return programOf(p.branches[i] as Tape).run(ops)
}

/** JVP: the cond of the branches' JVPs (a tangent output wherever some branch has one). */
const condJvp = (inputs: ReadonlyArray<NdArray>, p: CondParams, tangents: ReadonlyArray<Linear>): Linear[] => {
  const [index, ...ops] = inputs
  const nz = tangents.slice(1).map((t) => !isZero(t))
  const dots = tangents.slice(1).flatMap((t, i) => (nz[i] === true ? [t as NdArray] : []))
  const ex = [...ops.map(example), ...dots.map(example)]
  const trace = (b: Tape, force: ReadonlyArray<boolean>): readonly [Tape, boolean[]] => {
    let outNz: boolean[] = []
    const tape = traceClosed((xs) => {
      const ts = new Array<NdArray | undefined>(ops.length)
      let k = ops.length
      nz.forEach((z, i) => (ts[i] = z ? xs[k++] : undefined))
      const [outs, touts] = jvpApply(b, xs.slice(0, ops.length), ts)
      outNz = touts.map((t, j) => !isZero(t) || force[j] === true)
      const tOut = touts.flatMap((t, j) => (force[j] === true ? [materialize(t, outs[j] as NdArray)] : []))
      return [...outs, ...tOut]
    }, ex).tape
    return [tape, outNz]
  }
  const union = p.branches.map((b) => trace(b, [])[1]).reduce((a, b) => a.map((x, j) => x || b[j] === true))
  const branches = p.branches.map((b) => trace(b, union)[0])
  const nOut = (p.branches[0] as Tape).outputs.length
  const outs = cond([index as NdArray, ...ops, ...dots], { branches })
  let k = nOut
  return range(0, nOut).map((j) => (union[j] === true ? (outs[k++] as NdArray) : Zero.like(outs[j] as NdArray)))
}

/** VJP: the cond of the branches' VJPs (each recomputes its branch's forward). */
const condVjp = (
  inputs: ReadonlyArray<NdArray>,
  outputs: ReadonlyArray<NdArray>,
  p: CondParams,
  yBars: ReadonlyArray<Linear>,
): Linear[] => {
  const [index, ...ops] = inputs
  const bars = yBars.map((b, j) => materialize(b, outputs[j] as NdArray))
  const ex = [...ops.map(example), ...bars.map(example)]
  const branches = p.branches.map(
    (b) => traceClosed((xs) => vjpApply(b, xs.slice(0, ops.length), xs.slice(ops.length)), ex).tape,
  )
  const cts = cond([index as NdArray, ...ops, ...bars], { branches })
  return [Zero.like(index as NdArray), ...cts]
}

/** Batching: an unbatched index selects among batched branches; a batched one runs all and selects. */
const condBatch = (
  vals: ReadonlyArray<NdArray>,
  bdims: ReadonlyArray<number | null>,
  p: CondParams,
  size: number,
  axisName?: string,
): readonly [ReadonlyArray<NdArray>, ReadonlyArray<number | null>] => {
  const [index, ...ops] = vals.map((x, i) => (bdims[i] === null ? x : lax.batchFirst(x, bdims[i] ?? null, size)))
  const batched = bdims.slice(1).map((b) => b !== null)
  const nOut = (p.branches[0] as Tape).outputs.length
  if (bdims[0] === null) {
    const run = (b: Tape, force: ReadonlyArray<boolean>): readonly [Tape, boolean[]] => {
      let ob: boolean[] = []
      const tape = traceClosed((xs) => {
        const [outs, o] = batchApply(b, xs, batched, size, force, axisName)
        ob = o
        return outs
      }, ops.map(example)).tape
      return [tape, ob]
    }
    const union = p.branches.map((b) => run(b, [])[1]).reduce((a, b) => a.map((x, j) => x || b[j] === true))
    const outs = cond([index as NdArray, ...ops], { branches: p.branches.map((b) => run(b, union)[0]) })
    return [outs, union.map((b) => (b ? 0 : null))]
  }
  const all = range(0, nOut).map(() => true)
  const results = p.branches.map((b) => batchApply(b, ops, batched, size, all, axisName)[0])
  const idx = lax.convertElementType(index as NdArray, 'int32')
  const outs = range(0, nOut).map((j) =>
    results.reduce((acc, r, i) => {
      const y = r[j] as NdArray
      // the index is clamped: the last branch takes every index from n − 1 up
      const at = lax.broadcastInDim(idx, y.shape, [0])
      const k = lax.scalar(i, 'int32')
      const hit = i === p.branches.length - 1 ? lax.ge(at, k) : lax.eq(at, k)
      return i === 0 ? y : lax.select(hit, y, acc)
    }, results[0]?.[j] as NdArray),
  )
  return [outs, outs.map(() => 0)]
}

/**
 * The cond primitive on `[index, ...operands]` (see {@link CondParams}): runs branch
 * `clamp(index, 0, n − 1)` on the operands. The user-facing `lax.cond` and `lax.switch` trace the branches.
 * @category primitives @since 0.2.0
 */
export const cond: BoundMultiPrimitive<
  'cond',
  ReadonlyArray<NdArray>,
  CondParams,
  (inputs: ReadonlyArray<NdArray>, params: CondParams) => ReadonlyArray<NdArray>
> = boundMulti(
  definePrimitive<'cond', ReadonlyArray<NdArray>, CondParams>({
    name: 'cond',
    multipleResults: true,
    abstractTrace: true,
    onnx: condOnnx,
    impl: runCond,
    shape: (_avals, p) => (p.branches[0] as Tape).outputs.map(avalOf),
    formatParams: (p) => `[branches=(${p.branches.map((b) => String(b).replace(/\n/g, ' ')).join(', ')})]`,
    jvp: ({ inputs, params }, tangents) => condJvp(inputs, params, tangents),
    vjp: ({ inputs, outputs, params }, yBars) => condVjp(inputs, outputs, params, yBars),
    batch: (_prim, vals, bdims, params, size, axisName) => condBatch(vals, bdims, params as CondParams, size, axisName),
  }),
  (bind) => (inputs, params) => bind(inputs, params),
)

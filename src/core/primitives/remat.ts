/**
 * `remat` (JAX: `checkpoint`/`remat_p`): a traced sub-program whose reverse mode saves only what
 * its policy allows and recomputes the rest inside the backward pass, trading compute for memory.
 *
 * @category primitives
 * @since 0.2.0
 */
import { isFloat } from '../../ndarray/dtype'
import type { NdArray } from '../../ndarray/NdArray'
import { avalOf, type Equation, type Tape } from '../equation'
import { boundMulti, definePrimitive, type BoundMultiPrimitive } from '../primitive'
import { batchApply, example, jvpApply, materialize, programOf, splitVjp, traceClosed, type Split } from '../subprogram'
import * as lax from '../lax'
import { rematOnnx } from './onnxControl'
import { isZero, Zero, type Linear } from '../zero'

/** Which equations' outputs reverse mode may save (JAX: a `jax.checkpoint_policies` entry). */
export type SavePolicy = (eq: Equation) => boolean

/** Params of `remat`. */
export interface RematParams {
  readonly body: Tape
  /** The policy's name, for printing. */
  readonly policyName: string
  readonly policy: SavePolicy
}

const splits = new WeakMap<RematParams, Split>()
const splitOf = (p: RematParams, inputs: ReadonlyArray<NdArray>): Split => {
  let s = splits.get(p)
  if (s === undefined) {
    s = splitVjp(p.body, inputs.length, p.policy, inputs.map(example), false)
    splits.set(p, s)
  }
  return s
}

/** Forward: the body's forward part, which also returns the values the policy saves. */
const rematForward = (inputs: ReadonlyArray<NdArray>, p: RematParams): readonly [NdArray[], NdArray[]] => {
  const s = splitOf(p, inputs)
  const outs = remat(inputs, { ...p, body: s.forward, policy: () => true })
  const n = p.body.outputs.length
  return [outs.slice(0, n), outs.slice(n)]
}

const rematVjp = (
  inputs: ReadonlyArray<NdArray>,
  outputs: ReadonlyArray<NdArray>,
  p: RematParams,
  needs: ReadonlyArray<boolean>,
  residuals: unknown,
  yBars: ReadonlyArray<Linear>,
): Linear[] => {
  const s = splitOf(p, inputs)
  const saved = (residuals as NdArray[] | undefined) ?? rematForward(inputs, p)[1]
  const bars = yBars.map((b, j) => materialize(b, outputs[j] as NdArray))
  const cts = remat([...inputs, ...saved, ...bars], { ...p, body: s.backward, policy: () => true })
  return inputs.map((x, i) => (needs[i] === true && isFloat(x.dtype) ? (cts[i] as NdArray) : Zero.like(x)))
}

/** JVP: the remat of the body's JVP (tangents where any flows). */
const rematJvp = (inputs: ReadonlyArray<NdArray>, p: RematParams, tangents: ReadonlyArray<Linear>): Linear[] => {
  const nz = tangents.map((t) => !isZero(t))
  const dots = tangents.flatMap((t) => (isZero(t) ? [] : [t as NdArray]))
  let outNz: boolean[] = []
  const body = traceClosed(
    (xs) => {
      let k = inputs.length
      const ts = nz.map((z) => (z ? xs[k++] : undefined))
      const [outs, touts] = jvpApply(p.body, xs.slice(0, inputs.length), ts)
      outNz = touts.map((t) => !isZero(t))
      return [...outs, ...touts.flatMap((t) => (isZero(t) ? [] : [t as NdArray]))]
    },
    [...inputs.map(example), ...dots.map(example)],
  ).tape
  const outs = remat([...inputs, ...dots], { ...p, body })
  const n = p.body.outputs.length
  let k = n
  return outNz.map((z, j) => (z ? (outs[k++] as NdArray) : Zero.like(outs[j] as NdArray)))
}

/**
 * The checkpoint primitive: runs its body; reverse mode saves only what `policy` allows and
 * recomputes the rest in the backward pass. The user-facing `checkpoint` traces the body.
 * @category primitives @since 0.2.0
 */
export const remat: BoundMultiPrimitive<
  'remat',
  ReadonlyArray<NdArray>,
  RematParams,
  (inputs: ReadonlyArray<NdArray>, params: RematParams) => ReadonlyArray<NdArray>
> = boundMulti(
  definePrimitive<'remat', ReadonlyArray<NdArray>, RematParams>({
    name: 'remat',
    multipleResults: true,
    abstractTrace: true,
    onnx: rematOnnx,
    impl: (inputs, p) => programOf(p.body).run(inputs),
    shape: (_avals, p) => p.body.outputs.map(avalOf),
    formatParams: (p) => `[policy=${p.policyName} jaxpr=${String(p.body).replace(/\n/g, ' ')}]`,
    forward: rematForward,
    jvp: ({ inputs, params }, tangents) => rematJvp(inputs, params, tangents),
    vjp: ({ inputs, outputs, params, needs, residuals }, yBars) =>
      rematVjp(inputs, outputs, params, needs, residuals, yBars),
    // the batched body, checkpointed with the same policy
    batch: (_prim, vals, bdims, params, size, axisName) =>
      rematBatch(vals, bdims, params as RematParams, size, axisName),
  }),
  (bind) => (inputs, params) => bind(inputs, params),
)

const rematBatch = (
  vals: ReadonlyArray<NdArray>,
  bdims: ReadonlyArray<number | null>,
  p: RematParams,
  size: number,
  axisName?: string,
): readonly [ReadonlyArray<NdArray>, ReadonlyArray<number | null>] => {
  const moved = vals.map((x, i) => (bdims[i] === null ? x : lax.batchFirst(x, bdims[i] ?? null, size)))
  let outB: boolean[] = []
  const body = traceClosed((xs) => {
    const [outs, ob] = batchApply(
      p.body,
      xs,
      bdims.map((b) => b !== null),
      size,
      [],
      axisName,
    )
    outB = ob
    return outs
  }, moved.map(example)).tape
  const outs = remat(moved, { ...p, body })
  return [outs, outB.map((b) => (b ? 0 : null))]
}

/**
 * ONNX export rules of the sub-program primitives: `scan` and `while` as ONNX `Loop` (the body a
 * sub-graph), `cond` as nested `If`s, `remat` written inline (checkpointing only changes what
 * reverse mode saves; the exported program computes the same values).
 *
 * @category primitives
 * @since 0.2.0
 */
import type { Aval, Tape } from '../equation'
import { avalOf } from '../equation'
import type { OnnxEmitter, OnnxMultiRule } from '../onnxRule'
import type { CondParams, WhileParams } from './branch'
import type { ScanParams } from './control'
import type { RematParams } from './remat'

const INDEX: Aval = { shape: [], dtype: 'int64' }
const FLAG: Aval = { shape: [], dtype: 'bool' }

/** Reverses axis 0 of `x` (length `n`): a Slice with step −1. */
export const reverse0 = (emit: OnnxEmitter, x: string, n: number): string =>
  emit.op('Slice', [x, emit.ints([n - 1]), emit.ints([-n - 1]), emit.ints([0]), emit.ints([-1])])

/**
 * `scan` as `Loop` with trip count `length`: the body graph reads the consts from the enclosing
 * graph, takes row `t` of each scanned array (`t = length − 1 − i` in reverse) with `Gather`,
 * carries the carry, and stacks the rows of the outputs (reversed back after a reverse scan).
 */
export const scanOnnx: OnnxMultiRule<ScanParams> = ({ inputs, avals, outs, params: p, emit }) => {
  const nC = p.numConsts
  const nK = p.numCarry
  const consts = inputs.slice(0, nC)
  const init = inputs.slice(nC, nC + nK)
  const xs = inputs.slice(nC + nK)
  const carryAvals = avals.slice(nC, nC + nK)
  const rowAvals = p.body.outputs.slice(nK).map(avalOf)
  if (p.length === 0)
    return [
      ...init.map((k) => emit.op('Identity', [k])),
      ...outs.slice(nK).map((a) => emit.op('ConstantOfShape', [emit.ints(a.shape)], {})),
    ].map((y, j) => (j < nK ? y : emit.cast(y, (outs[j] as Aval).dtype)))
  const body = emit.graph([INDEX, FLAG, ...carryAvals], [FLAG, ...carryAvals, ...rowAvals], (sub, [i, c, ...k]) => {
    const t = p.reverse ? sub.op('Sub', [sub.scalar(p.length - 1, 'int64'), i as string]) : (i as string)
    const rows = xs.map((x) => sub.op('Gather', [x, t], { axis: { int: 0 } }))
    return [sub.op('Identity', [c as string]), ...sub.inline(p.body, [...consts, ...k, ...rows])]
  })
  const results = emit.node(
    'Loop',
    [emit.scalar(p.length, 'int64'), '', ...init],
    { body: { graph: body } },
    outs.length,
  )
  return results.map((y, j) => (j >= nK && p.reverse ? reverse0(emit, y, p.length) : y))
}

/**
 * `while` as `Loop` without a trip count: the condition on the initial carry, then a body graph
 * that runs the body and the condition on the new carry (its continue flag).
 */
export const whileOnnx: OnnxMultiRule<WhileParams> = ({ inputs, avals, outs, params: p, emit }) => {
  const cc = inputs.slice(0, p.condConsts)
  const bc = inputs.slice(p.condConsts, p.condConsts + p.bodyConsts)
  const init = inputs.slice(p.condConsts + p.bodyConsts)
  const carryAvals = avals.slice(p.condConsts + p.bodyConsts)
  const first = emit.inline(p.cond, [...cc, ...init])[0] as string
  const body = emit.graph([INDEX, FLAG, ...carryAvals], [FLAG, ...carryAvals], (sub, [, , ...k]) => {
    const next = sub.inline(p.body, [...bc, ...(k as string[])])
    return [sub.inline(p.cond, [...cc, ...next])[0] as string, ...next]
  })
  return emit.node('Loop', ['', first, ...init], { body: { graph: body } }, outs.length)
}

/**
 * `cond` as nested `If`s: branch `i` runs when the (clamped) index is at most `i`, tested in
 * order, so indices below 0 take the first branch and those from n − 1 up the last.
 */
export const condOnnx: OnnxMultiRule<CondParams> = ({ inputs: [index, ...ops], outs, params: p, emit }) =>
  condFrom(emit, index as string, ops, p.branches, 0, outs)

const condFrom = (
  emit: OnnxEmitter,
  index: string,
  ops: ReadonlyArray<string>,
  branches: ReadonlyArray<Tape>,
  i: number,
  outs: ReadonlyArray<Aval>,
): string[] => {
  if (i === branches.length - 1) return emit.inline(branches[i] as Tape, ops)
  const pred = emit.op('LessOrEqual', [index, emit.scalar(i, 'int32')])
  const thenBranch = emit.graph([], outs, (sub) => sub.inline(branches[i] as Tape, ops))
  const elseBranch = emit.graph([], outs, (sub) => condFrom(sub, index, ops, branches, i + 1, outs))
  return emit.node(
    'If',
    [pred],
    { then_branch: { graph: thenBranch }, else_branch: { graph: elseBranch } },
    outs.length,
  )
}

/** `remat` written inline: the same values, computed once. */
export const rematOnnx: OnnxMultiRule<RematParams> = ({ inputs, params: p, emit }) => emit.inline(p.body, inputs)

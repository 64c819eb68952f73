/**
 * Facade ops with several outputs (PyTorch's `linalg.eigh`, `linalg.svd`, `linalg.qr`,
 * `linalg.slogdet`, `linalg.lu_factor`): one node for the whole op, each output tensor an output
 * of it (`U.grad_fn === S.grad_fn`, and a consumer's edge is `[node, k]`). The backward receives
 * one gradient per output (zeros where none arrived) and runs the VJP of the op's function once,
 * as PyTorch's `linalg_svd_backward` does; under create_graph the VJP rules run over a
 * {@link TensorLevel} so the gradient is in the graph. Integer outputs (pivots) get no grad_fn.
 *
 * @category torch
 * @since 0.2.0
 */
import { cast, zerosLike } from '../../core/lax'
import { withLevel } from '../../core/trace'
import { isFloat } from '../../ndarray/dtype'
import type { NdArray } from '../../ndarray/NdArray'
import { vjp } from '../../transforms/vjp'
import { RuntimeError } from '../errors'
import { Tensor } from '../tensor'
import { requireTensors } from '../pyTypeName'
import { is_grad_enabled, no_grad } from './grad_mode'
import type { TensorLevel } from './level'
import { Node } from './node'

/** A function over NdArrays with several results: the forward computation of a multi-output op. */
export type MultiOpFn = (...xs: NdArray[]) => ReadonlyArray<NdArray>

/** Options of a multi-output op. */
export interface MultiOpOptions {
  /** PyTorch refuses this op's backward with this message (`linalg.qr` in mode 'r'). */
  readonly backwardError?: string
  /**
   * PyTorch's derivative formula written with facade ops, used instead of the VJP of the op's
   * function: it receives each output's incoming gradient, null where none arrived (so a missing
   * gradient is told from a zero one, as `var_mean_backward` does), the inputs (graph-connected
   * under create_graph) and the outputs, and returns each input's gradient (null: none).
   */
  readonly formula?: MultiFormula
  /** Inputs PyTorch's node saves (checked against later in-place changes); default none. */
  readonly savesInputs?: ReadonlyArray<number>
  /** The outputs PyTorch's node saves; default every float output (decompositions save them all). */
  readonly savesOutputs?: ReadonlyArray<number>
}

/** A multi-output op's derivative formula (see {@link MultiOpOptions.formula}). */
export type MultiFormula = (
  gOuts: ReadonlyArray<Tensor | null>,
  inputs: ReadonlyArray<Tensor>,
  outputs: () => ReadonlyArray<Tensor>,
) => ReadonlyArray<Tensor | null>

/** What a recorded multi-output op keeps for its backward. */
interface RecordedMulti {
  readonly inputs: ReadonlyArray<Tensor>
  readonly values: ReadonlyArray<NdArray>
  readonly fn: MultiOpFn
  readonly diffIdx: ReadonlyArray<number>
  readonly slot: ReadonlyArray<number>
  readonly outs: ReadonlyArray<NdArray>
  readonly vjpFn: (cts: NdArray[]) => ReadonlyArray<NdArray>
}

/**
 * Tensors standing for a node's differentiable inputs in its create_graph backward: the saved
 * values, attached to the node's input edges (so gradients of the gradient reach them).
 */
export const inputAliases = (
  edges: ReadonlyArray<readonly [Node | null, number]>,
  values: ReadonlyArray<NdArray>,
  diffIdx: ReadonlyArray<number>,
): Tensor[] =>
  diffIdx.map((i) => {
    const a = Tensor._fromValue(values[i] as NdArray)
    a._gradFn = edges[i]?.[0] ?? null
    a._outputNr = edges[i]?.[1] ?? 0
    return a
  })

/**
 * Runs `fn` over the inputs' values; when recording (grad mode on, an input requiring grad, a
 * float output), also returns the node with `_numOutputs` outputs holding its VJP.
 * `edges[i]` is input i's graph edge; `makeLevel` makes the TensorLevel of a create_graph backward.
 */
export const recordMulti = (
  name: string,
  inputs: ReadonlyArray<Tensor>,
  fn: MultiOpFn,
  edges: ReadonlyArray<readonly [Node | null, number]>,
  makeLevel: () => TensorLevel,
  opts: MultiOpOptions = {},
): [ReadonlyArray<NdArray>, Node | null] => {
  requireTensors(name, inputs)
  const values = inputs.map((t) => t._value())
  const needs = inputs.map((t) => t.requires_grad)
  if (!is_grad_enabled() || !needs.some(Boolean)) return [fn(...values), null]
  const diffIdx: number[] = []
  needs.forEach((n, i) => {
    if (n) diffIdx.push(i)
  })
  const slot = values.map((_, i) => diffIdx.indexOf(i))
  const g = (...d: NdArray[]): NdArray[] => [
    ...fn(...values.map((v, i) => ((slot[i] as number) >= 0 ? (d[slot[i] as number] as NdArray) : v))),
  ]
  const [outs, vjpFn] = vjp(g, ...diffIdx.map((i) => values[i] as NdArray))
  if (!outs.some((o) => isFloat(o.dtype))) return [outs, null]
  const node = new Node(
    name,
    edges.map((e, i) => (needs[i] ? e : ([null, 0] as const))),
  )
  node._numOutputs = outs.length
  const rec: RecordedMulti = { inputs, values, fn, diffIdx, slot, outs, vjpFn: (cts) => vjpFn(cts) }
  const refused = opts.backwardError
  const formula = opts.formula
  node._backwardAll = (gOuts, createGraph) => {
    if (refused !== undefined) throw new RuntimeError(refused)
    if (formula !== undefined) return backwardFormula(rec, node, gOuts, formula, createGraph)
    return createGraph ? backwardRecorded(rec, node, gOuts, makeLevel()) : backwardValues(rec, gOuts)
  }
  return [outs, node]
}

/**
 * The backward through the op's {@link MultiFormula}: under create_graph over tensors standing for
 * the saved inputs and outputs, attached to the graph; otherwise over plain tensors, in no_grad.
 */
const backwardFormula = (
  rec: RecordedMulti,
  node: Node,
  gOuts: ReadonlyArray<Tensor | null>,
  formula: MultiFormula,
  createGraph: boolean,
): Array<Tensor | null> => {
  const { values, slot } = rec
  const aliases = createGraph ? inputAliases(node.next_functions, values, rec.diffIdx) : []
  const inputs = values.map((v, i) => aliases[slot[i] as number] ?? Tensor._fromValue(v))
  const outputs = (): Tensor[] =>
    rec.outs.map((o, k) => {
      const t = Tensor._fromValue(o)
      if (createGraph && isFloat(o.dtype)) {
        t._gradFn = node
        t._outputNr = k
      }
      return t
    })
  const r = createGraph ? formula(gOuts, inputs, outputs) : no_grad(() => formula(gOuts, inputs, outputs))
  return values.map((_, i) => ((slot[i] as number) >= 0 ? (r[i] ?? null) : null))
}

/** The cotangent of output k: the gradient that arrived (cast to its dtype), else zeros. */
const cotangent = (out: NdArray, g: NdArray | null): NdArray => (g === null ? zerosLike(out) : cast(g, out.dtype))

/** The backward without create_graph: the VJP over values, outside the graph. */
const backwardValues = (rec: RecordedMulti, gOuts: ReadonlyArray<Tensor | null>): Array<Tensor | null> => {
  const result: Array<Tensor | null> = rec.inputs.map(() => null)
  const cts = no_grad(() => rec.vjpFn(rec.outs.map((o, k) => cotangent(o, gOuts[k]?._value() ?? null))))
  rec.diffIdx.forEach((i, k) => {
    result[i] = Tensor._fromValue(cts[k] as NdArray)
  })
  return result
}

/** The backward under create_graph: the op's VJP rules over a TensorLevel, so the gradients are in the graph. */
const backwardRecorded = (
  rec: RecordedMulti,
  node: Node,
  gOuts: ReadonlyArray<Tensor | null>,
  level: TensorLevel,
): Array<Tensor | null> => {
  const { values, slot } = rec
  const result: Array<Tensor | null> = rec.inputs.map(() => null)
  const aliases = inputAliases(node.next_functions, values, rec.diffIdx)
  return withLevel(level, (lv) => {
    const consts = values.map((v, i) =>
      (slot[i] as number) >= 0 || !isFloat(v.dtype) ? v : lv.wrap(Tensor._fromValue(v)),
    )
    const h = (...d: NdArray[]): NdArray[] => [
      ...rec.fn(...consts.map((v, i) => ((slot[i] as number) >= 0 ? (d[slot[i] as number] as NdArray) : v))),
    ]
    const cts = rec.outs.map((o, k) => {
      const gk = gOuts[k] ?? null
      return gk === null ? zerosLike(o) : cast(lv.wrap(gk), o.dtype)
    })
    const grads = vjp(h, ...aliases.map((a) => lv.wrap(a)))[1](cts)
    rec.diffIdx.forEach((i, k) => {
      result[i] = lv.unwrap(grads[k] as NdArray)
    })
    return result
  })
}

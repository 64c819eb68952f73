/**
 * The backward engine: from the roots' grad_fns, find the reachable nodes, count their
 * dependencies, and run them newest first (PyTorch's order: a ready queue by sequence number),
 * accumulating each node's incoming gradients. Tensor hooks run on a gradient before it is
 * used; `retain_grad` tensors receive it; `AccumulateGrad` adds it into a leaf's `.grad`.
 * Saved values are freed after the pass unless `retain_graph`.
 *
 * @category torch
 * @since 0.1.0
 */
import { add, cast } from '../../core/lax'
import { array, full } from '../../ndarray/create'
import { NdArray, type NestedArray } from '../../ndarray/NdArray'
import { RuntimeError } from '../errors'
import { Tensor, makeSize, plainData, type TensorData } from '../tensor'
import { enable_grad, no_grad } from './grad_mode'
import { AccumulateGrad, type Node } from './node'
import { applyNode, op } from './op'

/** Options of `backward`. */
export interface BackwardOptions {
  /** Keep saved values for another backward through the same graph. Default: `create_graph`. */
  readonly retain_graph?: boolean
  /** Record the backward pass itself so higher-order derivatives work. Default false. */
  readonly create_graph?: boolean
  /** Accumulate only into these tensors' `.grad` (default: all leaves). */
  readonly inputs?: Tensor | ReadonlyArray<Tensor>
}

/** Converts a user gradient to a tensor with the output's dtype. */
const asGradTensor = (g: TensorData, like: Tensor): Tensor => {
  if (g instanceof Tensor) return g
  const v = g instanceof NdArray ? g : array(plainData(g) as NestedArray, { dtype: like._value().dtype })
  return Tensor._fromValue(v)
}

/** PyTorch's `_make_grads`: checks given gradients, creates ones for scalar outputs. */
export const makeGrads = (
  outputs: ReadonlyArray<Tensor>,
  grads: ReadonlyArray<TensorData | null | undefined>,
): Array<Tensor | null> =>
  outputs.map((out, i) => {
    const g = grads[i]
    if (g === null || g === undefined) {
      if (!out.requires_grad) return null
      if (out.numel() !== 1) throw new RuntimeError('grad can be implicitly created only for scalar outputs')
      const v = out._value()
      return Tensor._fromValue(full(v.shape, 1, { dtype: v.dtype }))
    }
    const gt = asGradTensor(g, out)
    const a = gt._value().shape
    const b = out._value().shape
    if (a.length !== b.length || a.some((d, j) => d !== b[j])) {
      throw new RuntimeError(
        `Mismatch in shape: grad_output[${i}] has a shape of ${makeSize(a)} and output[${i}] has a shape of ${makeSize(b)}.`,
      )
    }
    // PyTorch casts a gradient of another dtype to the output's (validate_outputs)
    const od = out._value().dtype
    return gt._value().dtype === od ? gt : Tensor._fromValue(cast(gt._value(), od))
  })

/** Adds two gradient tensors (recording the sum under create_graph). */
const addGrads = (a: Tensor, b: Tensor, createGraph: boolean): Tensor =>
  createGraph ? op('AddBackward0', [a, b], (x, y) => add(x, y)) : Tensor._fromValue(add(a._value(), b._value()))

/** What a backward pass does at its targets. */
interface RunSpec {
  readonly roots: ReadonlyArray<Tensor>
  readonly grads: ReadonlyArray<Tensor | null>
  readonly retainGraph: boolean
  readonly createGraph: boolean
  /** autograd.grad: capture these tensors' gradients instead of accumulating into leaves. */
  readonly capture?: ReadonlyArray<Tensor>
  /** backward(inputs=…): accumulate only into these. */
  readonly only?: ReadonlyArray<Tensor>
}

/** Runs one backward pass; returns the captured gradients (autograd.grad), else []. */
export const run = (spec: RunSpec): Array<Tensor | null> => {
  const { createGraph } = spec
  const buffers = new Map<Node, Tensor>()
  const rootNodes: Node[] = []
  spec.roots.forEach((r, i) => {
    const e = r._gradEdge()
    if (e === null) throw new RuntimeError(`element ${i} of tensors does not require grad and does not have a grad_fn`)
    const g = spec.grads[i]
    if (g === null || g === undefined) return
    rootNodes.push(e)
    const prev = buffers.get(e)
    buffers.set(e, prev === undefined ? g : addGrads(prev, g, createGraph))
  })
  // targets (autograd.grad / backward inputs=): the edge node of each tensor
  const targets = spec.capture ?? spec.only
  const targetNodes = new Map<Node, Tensor[]>()
  for (const t of targets ?? []) {
    const e = t._gradEdge()
    if (e === null) {
      if (spec.capture !== undefined) throw new RuntimeError('One of the differentiated Tensors does not require grad')
      continue
    }
    targetNodes.set(e, [...(targetNodes.get(e) ?? []), t])
  }
  // discover the graph (iteratively) in discovery order
  const seen = new Set<Node>()
  const order: Node[] = []
  const stack = [...rootNodes]
  while (stack.length > 0) {
    const n = stack.pop() as Node
    if (seen.has(n)) continue
    seen.add(n)
    order.push(n)
    for (const [c] of n.next_functions) if (c !== null && !seen.has(c)) stack.push(c)
  }
  // with targets: keep only nodes from which a target is reachable
  let needed: Set<Node> = seen
  if (targets !== undefined) {
    needed = new Set<Node>()
    let changed = true
    for (const n of order) if (targetNodes.has(n)) needed.add(n)
    while (changed) {
      changed = false
      for (const n of order) {
        if (needed.has(n)) continue
        if (n.next_functions.some(([c]) => c !== null && needed.has(c))) {
          needed.add(n)
          changed = true
        }
      }
    }
  }
  const deps = new Map<Node, number>()
  for (const n of needed)
    for (const [c] of n.next_functions) if (c !== null && needed.has(c)) deps.set(c, (deps.get(c) ?? 0) + 1)
  // ready queue, newest (highest sequence number) first
  const ready: Node[] = rootNodes.filter((n, i, a) => needed.has(n) && (deps.get(n) ?? 0) === 0 && a.indexOf(n) === i)
  const captured = new Map<Tensor, Tensor | null>()
  const executed: Node[] = []
  const body = (): void => {
    while (ready.length > 0) {
      let best = 0
      for (let i = 1; i < ready.length; i++) if ((ready[i] as Node)._seq > (ready[best] as Node)._seq) best = i
      const node = ready.splice(best, 1)[0] as Node
      let g: Tensor | null = buffers.get(node) ?? null
      buffers.delete(node)
      if (g !== null) {
        let cur: Tensor = g
        for (const h of node._tensorHooks) {
          const r = h(cur)
          if (r instanceof Tensor) cur = r
        }
        for (const ph of node._preHooks) {
          const r = ph([cur])
          if (r !== undefined && r[0] !== undefined && r[0] !== null) cur = r[0]
        }
        for (const t of node._retained) {
          t._grad = t._grad === null ? detachUnless(cur, createGraph) : addGrads(t._grad, cur, createGraph)
        }
        g = cur
      }
      const tgs = targetNodes.get(node)
      if (tgs !== undefined) {
        for (const t of tgs) {
          if (spec.capture !== undefined) captured.set(t, g)
          else if (g !== null && !(node instanceof AccumulateGrad))
            t._grad = t._grad === null ? detachUnless(g, createGraph) : addGrads(t._grad, g, createGraph)
        }
      }
      if (node instanceof AccumulateGrad) {
        if (g !== null && spec.capture === undefined && (targets === undefined || targetNodes.has(node)))
          accumulate(node.variable, g, createGraph)
        continue
      }
      const children = node.next_functions
      let inGrads: ReadonlyArray<Tensor | null> = children.map(() => null)
      if (g !== null && children.some(([c]) => c !== null && needed.has(c))) {
        inGrads = applyNode(node, g, createGraph)
        for (const h of node._postHooks) {
          const r = h(inGrads, [g])
          if (r !== undefined) inGrads = r
        }
        executed.push(node)
      }
      children.forEach(([c], i) => {
        if (c === null || !needed.has(c)) return
        const gi = inGrads[i] ?? null
        if (gi !== null) {
          const prev = buffers.get(c)
          buffers.set(c, prev === undefined ? gi : addGrads(prev, gi, createGraph))
        }
        const d = (deps.get(c) ?? 0) - 1
        deps.set(c, d)
        if (d === 0) ready.push(c)
      })
    }
  }
  if (createGraph) enable_grad(body)
  else no_grad(body)
  if (!spec.retainGraph) for (const n of executed) n._release()
  return (spec.capture ?? []).map((t) => captured.get(t) ?? null)
}

const detachUnless = (g: Tensor, createGraph: boolean): Tensor => (createGraph ? g : Tensor._fromValue(g._value()))

/** AccumulateGrad: `.grad` is set, or summed (in place without create_graph, as PyTorch). */
const accumulate = (leaf: Tensor, g: Tensor, createGraph: boolean): void => {
  const cur = leaf._grad
  if (cur === null) {
    leaf._grad = detachUnless(g, createGraph)
    return
  }
  if (createGraph || cur.requires_grad) {
    leaf._grad = addGrads(cur, g, true)
    return
  }
  cur._write(add(cur._value(), g._value()))
  cur._bump()
}

const asList = <T>(x: T | ReadonlyArray<T>): ReadonlyArray<T> => (Array.isArray(x) ? (x as ReadonlyArray<T>) : [x as T])

/**
 * PyTorch's `torch.autograd.backward(tensors, grad_tensors, retain_graph, create_graph, inputs)`.
 * @category torch @since 0.1.0
 */
export const backward = (
  tensors: ReadonlyArray<Tensor>,
  gradTensors: ReadonlyArray<TensorData | null | undefined>,
  opts: BackwardOptions = {},
): void => {
  const createGraph = opts.create_graph ?? false
  const grads = makeGrads(tensors, gradTensors)
  const inputs = opts.inputs === undefined ? undefined : asList(opts.inputs)
  if (inputs !== undefined && inputs.length === 0)
    throw new RuntimeError("'inputs' argument to backward() cannot be empty.")
  run({
    roots: tensors,
    grads,
    retainGraph: opts.retain_graph ?? createGraph,
    createGraph,
    ...(inputs === undefined ? {} : { only: inputs }),
  })
}

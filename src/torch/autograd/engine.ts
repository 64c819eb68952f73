/**
 * The backward engine, in named steps: seed the roots' gradients; discover the reachable nodes
 * (one iterative post-order walk); with targets (autograd.grad, `inputs=`), prune to the nodes a
 * target is reachable from (one pass over that order); count dependencies; execute newest first
 * (PyTorch's order: a ready queue by sequence number), summing each node's incoming gradients.
 * Every step is linear in the graph. Tensor hooks run on a gradient before it is used;
 * `retain_grad` tensors and leaves (`AccumulateGrad`) receive theirs only once the whole sweep
 * succeeded, so a backward that raises leaves every `.grad` as it was. Saved values are freed
 * after the pass unless `retain_graph`.
 *
 * @category torch
 * @since 0.1.0
 */
import { isMeta, metaArray } from '../meta'
import { add, cast } from '../../core/lax'
import { array, full } from '../../ndarray/create'
import { NdArray, type NestedArray } from '../../ndarray/NdArray'
import { RuntimeError } from '../errors'
import { Tensor, makeSize, plainData, type TensorData } from '../tensor'
import { enable_grad, no_grad } from './grad_mode'
import { createGraphVersions, layOutGrads, obeysLayout } from './gradLayout'
import { withIterLayout } from './iterLayout'
import { GradRecycler } from './gradRecycle'
import { mayFuse, runBlock, type BlockPass } from './fusedBlocks'
import { AccumulateGrad, nullSlots, type Node } from './node'
import { applyNode, consumesGrad, isOpNode, numericStep, op, scalarOutOf } from './op'
import { isZeroGrad } from './zeroGrad'
import { scalarOut, scalarSum } from './scalarGrads'
import { numAdd, scalarArray } from '../../core/smallEwise'
import { shapesEqual } from '../../ndarray/shape'

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
      return Tensor._fromValue(isMeta(v) ? metaArray(v.shape, v.dtype) : full(v.shape, 1, { dtype: v.dtype }))
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

/**
 * A gradient in a pass's buffers: a tensor, or (passes without targets or create_graph) the number
 * of a one-element gradient a facade op's numeric rule made fresh for a bare facade-op node whose
 * output has its dtype and shape ({@link sendsNumber}): no tensor or array per edge of a chain of
 * scalar ops. Its tensor is made only where a tensor is needed ({@link gradTensor}); a gradient
 * passed on as it is or a zero one stays a tensor, so what hooks and `.grad` see (identity,
 * versions) is as before.
 */
type Grad = Tensor | number

/** The tensor of gradient `g` of output 0 of `node` (a number: of its one-element output's dtype and shape). */
const gradTensor = (node: Node, g: Grad): Tensor => {
  if (typeof g !== 'number') return g
  const y = scalarOutOf(node) as NdArray
  return Tensor._fromValue(scalarArray(g, y.shape, y.dtype === 'float64'))
}

/** The tensors of a taken buffer's gradients (in place: numbers become tensors). */
const gradTensors = (node: Node, b: Array<Grad | null>): Array<Tensor | null> => {
  for (let i = 0; i < b.length; i++) {
    const g = b[i]
    if (typeof g === 'number') b[i] = gradTensor(node, g)
  }
  return b as Array<Tensor | null>
}

/**
 * Whether a fresh numeric gradient of dtype/shape of `y` goes to `c` as a number: `c` is a bare
 * facade-op node (run by the plain step) with a one-element output of that dtype and shape.
 */
const sendsNumber = (c: Node | null, y: NdArray): boolean => {
  if (c === null || !c._bare) return false
  const o = scalarOutOf(c)
  return o !== undefined && o.dtype === y.dtype && (o.shape === y.shape || shapesEqual(o.shape, y.shape))
}

/** Adds two gradient tensors (recording the sum under create_graph). */
// NOTE: laid out as TensorIterator lays out `a + b` (two transposed gradients sum to a transposed one)
// (two 0-d gradients without create_graph: summed on numbers, ./scalarGrads)
const addGrads = (a: Tensor, b: Tensor, createGraph: boolean): Tensor =>
  (createGraph ? undefined : scalarSum(a, b)) ??
  withIterLayout(
    createGraph ? op('AddBackward0', [a, b], (x, y) => add(x, y)) : Tensor._fromValue(add(a._value(), b._value())),
    [a, b],
  )

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

/** The ids of the backward passes running now (a node's backward or hook may run a nested pass). */
const livePasses: number[] = []
let lastPassId = 0

/**
 * One pass's state of each node it reaches: its dependency count and gradient buffer (one slot per
 * output). They live on the node itself (`_passId`, `_passDeps`, `_passBuf`); only the nodes an
 * enclosing pass still running owns (a backward inside a backward over the same graph) keep
 * theirs in this object's maps.
 */
class PassState {
  readonly id = ++lastPassId
  /** Reuse of the large gradients' buffers (passes without create_graph: ./gradRecycle). */
  constructor(readonly rec: GradRecycler | null) {}
  // NOTE: made on first use (only nodes an enclosing pass owns need them): autograd.grad on a small
  // graph runs many passes, each of which would otherwise make two empty maps
  private depsMap: Map<Node, number> | undefined = undefined
  private bufsMap: Map<Node, Array<Grad | null>> | undefined = undefined
  private get deps(): Map<Node, number> {
    return (this.depsMap ??= new Map())
  }
  private get bufs(): Map<Node, Array<Grad | null>> {
    return (this.bufsMap ??= new Map())
  }
  /** The nodes that got a buffer on themselves (cleared after the pass). */
  private readonly buffered: Node[] = []
  /** How many of them still hold their buffer (not yet taken). */
  private pending = 0
  /**
   * An empty one-slot buffer to reuse: a facade op's node, once run, hands its buffer back (its
   * backward read the gradient and kept no reference to the list), so a chain makes none per node.
   */
  private spare: Array<Grad | null> | null = null
  /** Hands back the emptied one-slot buffer of a node that ran (see {@link PassState.spare}). */
  giveBack(b: Array<Grad | null>): void {
    b[0] = null
    this.spare = b
  }
  /** Takes a node into the pass (dependency count 0, no buffer); false when it is in already. */
  claim(n: Node): boolean {
    const p = n._passId
    if (p === this.id) return false
    if (p !== 0 && livePasses.includes(p)) {
      if (this.deps.has(n)) return false
      this.deps.set(n, 0)
      return true
    }
    n._passId = this.id
    n._passDeps = 0
    n._passBuf = null
    return true
  }
  getDeps(n: Node): number {
    return n._passId === this.id ? n._passDeps : (this.deps.get(n) ?? 0)
  }
  setDeps(n: Node, d: number): void {
    if (n._passId === this.id) n._passDeps = d
    else this.deps.set(n, d)
  }
  /** The node's buffer, made empty if it has none. */
  slots(n: Node): Array<Grad | null> {
    const own = n._passId === this.id
    let b = own ? n._passBuf : this.bufs.get(n)
    if (b === null || b === undefined) {
      const k = n._numOutputs
      if (k === 1 && this.spare !== null) {
        b = this.spare
        this.spare = null
      } else b = nullSlots(k)
      if (own) {
        n._passBuf = b
        this.buffered.push(n)
        this.pending++
      } else this.bufs.set(n, b)
    }
    return b
  }
  /** The node's buffer, left in place (null: no gradient arrived yet). */
  peek(n: Node): Array<Grad | null> | null {
    return n._passId === this.id ? n._passBuf : (this.bufsMap?.get(n) ?? null)
  }
  /** Removes and returns the node's buffer (null: no gradient arrived). */
  take(n: Node): Array<Grad | null> | null {
    if (n._passId === this.id) {
      const b = n._passBuf
      if (b !== null) this.pending--
      n._passBuf = null
      return b
    }
    const b = this.bufs.get(n) ?? null
    this.bufs.delete(n)
    return b
  }
  /** How many pending buffer slots hold `g`. */
  holders(g: Tensor): number {
    let k = 0
    // NOTE: drops the nodes whose buffer was taken (each once), so this stays linear overall;
    // with none pending (a chain's leaf: every buffer was taken), no node is read at all
    let j = 0
    if (this.pending === 0) this.buffered.length = 0
    for (const n of this.buffered) {
      const b = n._passId === this.id ? n._passBuf : null
      if (b === null) continue
      this.buffered[j++] = n
      for (const x of b) if (x === g) k++
    }
    this.buffered.length = j
    if (this.bufsMap !== undefined) for (const b of this.bufsMap.values()) for (const x of b) if (x === g) k++
    return k
  }
  /** Drops the buffers left (nodes not run), so no node holds a gradient after the pass. */
  clear(): void {
    if (this.pending > 0) for (const n of this.buffered) if (n._passId === this.id) n._passBuf = null
    this.buffered.length = 0
    this.pending = 0
    this.spare = null
    this.bufsMap?.clear()
  }
}

/** A graph node with the gradients flowing into it during one pass. */
interface Pass {
  readonly spec: RunSpec
  /** Each node's dependency count and summed incoming gradients. */
  readonly state: PassState
  /** Target edge node -> its tensors (autograd.grad inputs, or backward's `inputs=`). */
  readonly targets: ReadonlyMap<Node, ReadonlyArray<Tensor>> | undefined
  /** The nodes that run (all reachable ones, or those from which a target is reachable). */
  readonly needed: Needed
  /** Gradients captured for autograd.grad. */
  readonly captured: Map<Tensor, Tensor | null>
  /** `.grad` writes, committed only once the whole sweep succeeded. */
  readonly writes: GradWrite[]
  /** Nodes whose backward ran (their saved values are freed after the pass unless retain_graph). */
  readonly executed: Node[]
  /** The root gradients: the caller holds them (PyTorch's `grad_tensors`), so a leaf copies them. */
  readonly held: ReadonlySet<Tensor>
}

/** One deferred `.grad` update: a leaf's AccumulateGrad, or a retain_grad / `inputs=` tensor. */
interface GradWrite {
  readonly tensor: Tensor
  readonly grad: Tensor
  readonly leaf: boolean
  /** For a leaf: whether PyTorch's AccumulateGrad would take `grad` itself as a first `.grad`. */
  readonly steal?: boolean
}

/** Adds `g` into output `nr`'s slot of `node`'s buffer (recording the sum under create_graph). */
const addToBuffer = (state: PassState, node: Node, nr: number, g: Grad, createGraph: boolean): void => {
  const slots = state.slots(node)
  const prev = slots[nr] ?? null
  if (typeof g === 'number' || typeof prev === 'number') {
    addNumber(state, node, slots, prev, g)
    return
  }
  const rec = state.rec
  // a zero gradient (sgn's) adds nothing, as ATen's add of an efficient zero tensor (./zeroGrad)
  if (prev !== null && isZeroGrad(g)) return
  const first = prev === null || isZeroGrad(prev)
  if (rec === null) slots[nr] = first ? g : addGrads(prev, g, createGraph)
  else if (first) {
    if (prev !== null) rec.taken(prev, false)
    slots[nr] = g
    rec.placed(g)
  } else {
    const inPlace = rec.addInto(prev, g)
    slots[nr] =
      inPlace === undefined ? rec.summed(prev, g, addGrads(prev, g, false)) : withIterLayout(inPlace, [prev, g])
  }
}

/**
 * {@link addToBuffer} where a gradient is a number (output 0 of a node with a one-element output,
 * no create_graph): a 0-d sum on numbers (the add kernel's expression: the bits of the sum of
 * tensors), another sum of tensors; a zero gradient is skipped or replaced as there.
 */
const addNumber = (state: PassState, node: Node, slots: Array<Grad | null>, prev: Grad | null, g: Grad): void => {
  if (prev === null) {
    slots[0] = g
    return
  }
  if (typeof g !== 'number' && isZeroGrad(g)) return
  if (typeof prev !== 'number' && isZeroGrad(prev)) {
    state.rec?.taken(prev, false)
    slots[0] = g
    return
  }
  const y = scalarOutOf(node) as NdArray
  slots[0] =
    y.shape.length === 0
      ? numAdd(numberOf(prev), numberOf(g), y.dtype === 'float64')
      : addGrads(gradTensor(node, prev), gradTensor(node, g), false)
}

const numberOf = (g: Grad): number => (typeof g === 'number' ? g : (g._value()._data[0] as number))

/** The output of its edge node a root or target tensor is (0 for leaves). */
const outputNr = (t: Tensor): number => (t.grad_fn === null ? 0 : t._outputNr)

/** Step 1: the roots' edge nodes (in order, without repeats). */
const rootNodesOf = (spec: RunSpec): Node[] => {
  const rootNodes: Node[] = []
  spec.roots.forEach((r, i) => {
    const e = r._gradEdge()
    if (e === null) throw new RuntimeError(`element ${i} of tensors does not require grad and does not have a grad_fn`)
    const g = spec.grads[i]
    if (g === null || g === undefined) return
    if (!rootNodes.includes(e)) rootNodes.push(e)
  })
  return rootNodes
}

/** Step 1b (once the pass took the nodes in): the roots' gradients summed into their buffers. */
const seedRoots = (spec: RunSpec, state: PassState): void => {
  spec.roots.forEach((r, i) => {
    const g = spec.grads[i]
    if (g !== null && g !== undefined) addToBuffer(state, r._gradEdge() as Node, outputNr(r), g, spec.createGraph)
  })
}

/** The edge node of each target tensor (autograd.grad raises on one that has none). */
const targetNodesOf = (spec: RunSpec): Map<Node, Tensor[]> | undefined => {
  const targets = spec.capture ?? spec.only
  if (targets === undefined) return undefined
  const out = new Map<Node, Tensor[]>()
  for (const t of targets) {
    const e = t._gradEdge()
    if (e === null) {
      if (spec.capture !== undefined) throw new RuntimeError('One of the differentiated Tensors does not require grad')
      // backward(inputs=) retains each input's grad first, as PyTorch's engine does
      if (!t.requires_grad) throw new RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
      continue
    }
    // (for good: a later backward fills its .grad too; its retain_grad write is then the only one)
    if (spec.capture === undefined) t.retain_grad()
    out.set(e, [...(out.get(e) ?? []), t])
  }
  return out
}

/**
 * Step 2, discover: every node reachable from the roots, children before parents (a post-order
 * walk with an explicit stack, so deep graphs cannot overflow the call stack), and how many
 * edges of reached nodes lead to each node (its dependencies when every reached node runs).
 * Reads each node's edges once. The post-order is returned only when `keepOrder` (else empty).
 */
const discover = (roots: ReadonlyArray<Node>, state: PassState, keepOrder: boolean): Node[] => {
  // NOTE: the pass's dependency counts are the edge counts (a node is seen once claimed); the
  // order is kept only for a pass with targets (pruneToTargets reads it)
  const order: Node[] = []
  // NOTE: the stack as parallel arrays (node, its edges, the next edge to visit): no object per
  // node, and the same arrays each pass (the walk runs no user code, so never re-enters itself)
  const { nodes, edgesOf, next } = walkStack
  for (const r of roots) {
    if (state.claim(r)) {
      nodes.push(r)
      edgesOf.push(r._edges)
      next.push(0)
    }
    while (nodes.length > 0) {
      const top = nodes.length - 1
      const edges = edgesOf[top] as Node['_edges']
      const i = next[top] as number
      if (i >= edges.length) {
        const done = nodes.pop() as Node
        if (keepOrder) order.push(done)
        edgesOf.pop()
        next.pop()
        continue
      }
      next[top] = i + 1
      const c = (edges[i] as readonly [Node | null, number])[0]
      if (c === null) continue
      const fresh = state.claim(c)
      state.setDeps(c, state.getDeps(c) + 1)
      if (fresh) {
        nodes.push(c)
        edgesOf.push(c._edges)
        next.push(0)
      }
    }
  }
  return order
}

/** {@link discover}'s stack (empty between walks). */
const walkStack = { nodes: [] as Node[], edgesOf: [] as Array<Node['_edges']>, next: [] as number[] }

/**
 * Step 3, prune to targets: the nodes from which a target is reachable, in one pass over the
 * post-order (each node's children are decided before it).
 */
const pruneToTargets = (postOrder: ReadonlyArray<Node>, targets: ReadonlyMap<Node, unknown>): Set<Node> => {
  const needed = new Set<Node>()
  for (const n of postOrder) if (targets.has(n) || leadsTo(n, needed)) needed.add(n)
  return needed
}

/** True when an edge of `n` leads to a node of `set`. */
const leadsTo = (n: Node, set: ReadonlySet<Node>): boolean => {
  const edges = n._edges
  for (let i = 0; i < edges.length; i++) {
    const c = (edges[i] as readonly [Node | null, number])[0]
    if (c !== null && set.has(c)) return true
  }
  return false
}

/**
 * The nodes that run: those from which a target is reachable, or null for every node the roots
 * reach (no targets: then every edge of a reached node leads to a reached node, and no set is made).
 */
type Needed = ReadonlySet<Node> | null

const isNeeded = (needed: Needed, c: Node | null): c is Node => c !== null && (needed === null || needed.has(c))

/**
 * Step 4, count dependencies: how many needed parents send a gradient to each needed node (every
 * reached node is needed without targets: then the counts of discover).
 */
const countDependencies = (needed: Needed, state: PassState): void => {
  if (needed === null) return
  for (const n of needed) state.setDeps(n, 0)
  for (const n of needed) {
    const edges = n._edges
    for (let i = 0; i < edges.length; i++) {
      const c = (edges[i] as readonly [Node | null, number])[0]
      if (isNeeded(needed, c)) state.setDeps(c, state.getDeps(c) + 1)
    }
  }
}

/** The specs of the backward passes running now (a node's backward may run a nested pass). */
const runningSpecs: RunSpec[] = []

/**
 * False inside a pass that only reaches some tensors (autograd.grad, backward's `inputs=`):
 * PyTorch's `_is_checkpoint_valid`, which reentrant checkpointing needs.
 */
export const isCheckpointValid = (): boolean => {
  const top = runningSpecs[runningSpecs.length - 1]
  return top === undefined || (top.capture === undefined && top.only === undefined)
}

/** Runs one backward pass; returns the captured gradients (autograd.grad), else []. */
export const run = (spec: RunSpec): Array<Tensor | null> => {
  const state = new PassState(spec.createGraph ? null : new GradRecycler())
  runningSpecs.push(spec)
  livePasses.push(state.id)
  try {
    return runPass(spec, state)
  } finally {
    state.rec?.end()
    state.clear()
    livePasses.pop()
    runningSpecs.pop()
  }
}

const runPass = (spec: RunSpec, state: PassState): Array<Tensor | null> => {
  const rootNodes = rootNodesOf(spec)
  const targets = targetNodesOf(spec)
  const postOrder = discover(rootNodes, state, targets !== undefined)
  seedRoots(spec, state)
  const needed = targets === undefined ? null : pruneToTargets(postOrder, targets)
  countDependencies(needed, state)
  const held = new Set(spec.grads.filter((g): g is Tensor => g !== null))
  const pass: Pass = { spec, state, targets, needed, captured: new Map(), writes: [], executed: [], held }
  const ready = new ReadyQueue(rootNodes.filter((n) => isNeeded(needed, n) && state.getDeps(n) === 0))
  // a pass over all reached nodes without create_graph: bare facade-op nodes take the plain step
  const plain = needed === null && targets === undefined && !spec.createGraph
  let blocks: BlockPass | undefined
  const sweep = (): void => {
    for (let node = ready.pop(); node !== undefined; node = ready.pop()) {
      // large element-wise nodes with deferred values: as one fused step where they can (./fusedBlocks)
      if (plain && mayFuse(node) && runBlock((blocks ??= blockPass(pass, ready)), node)) continue
      const inGrads: ReadonlyArray<Grad | null> =
        plain && node._bare && isOpNode(node) ? executePlain(pass, node) : execute(pass, node)
      // each needed child gets its gradient (if any) and is ready once all its parents ran
      const edges = node._edges
      for (let i = 0; i < edges.length; i++) {
        const e = edges[i] as readonly [Node | null, number]
        const c = e[0]
        if (!isNeeded(needed, c)) continue
        const gi = inGrads[i] ?? null
        if (gi !== null) addToBuffer(state, c, e[1], gi, spec.createGraph)
        const d = state.getDeps(c) - 1
        state.setDeps(c, d)
        if (d === 0) ready.push(c)
      }
    }
    // every node ran: only now are leaves (and retained tensors) given their gradients
    for (const w of pass.writes) commitWrite(w, spec.createGraph)
  }
  if (spec.createGraph) enable_grad(sweep)
  else no_grad(sweep)
  if (!spec.retainGraph) for (const n of pass.executed) n._release()
  return (spec.capture ?? []).map((t) => pass.captured.get(t) ?? null)
}

/** The engine's side of a fused block (./fusedBlocks) in a pass without targets or create_graph. */
const blockPass = (pass: Pass, ready: ReadyQueue): BlockPass => {
  const state = pass.state
  return {
    rec: state.rec,
    deps: (n) => state.getDeps(n),
    held: (n) => {
      const g = state.peek(n)?.[0] ?? null
      return g === null ? null : gradTensor(n, g)
    },
    take: (n) => void state.take(n),
    send: (c, nr, g) => {
      if (g !== null) addToBuffer(state, c, nr, g, false)
      const d = state.getDeps(c) - 1
      state.setDeps(c, d)
      if (d === 0) ready.push(c)
    },
    ran: (n) => void pass.executed.push(n),
  }
}

/** Runs the tensor hooks of output `nr` of a node on its gradient, and queues its retain_grad writes. */
const hookedGrad = (pass: Pass, node: Node, nr: number, g: Tensor): Tensor => {
  if (!node._hooked) return g
  let cur = g
  for (const h of node._tensorHooks) {
    if ((node._hookOutput.get(h) ?? 0) !== nr) continue
    const r = h(cur)
    if (r instanceof Tensor) cur = r
  }
  for (const t of node._retained) if (t._outputNr === nr) pass.writes.push({ tensor: t, grad: cur, leaf: false })
  return cur
}

/** A node's incoming gradients after its tensor hooks and prehooks (null where none arrived). */
const incoming = (pass: Pass, node: Node): Array<Tensor | null> => {
  const taken = pass.state.take(node)
  const buffered = taken === null ? nullSlots(node._numOutputs) : gradTensors(node, taken)
  const rec = pass.state.rec
  if (rec !== null && rec.tracking) {
    // hooks, a target or a leaf see these gradients: they are never summed into or reused
    const seen = node._hooked || node instanceof AccumulateGrad || (pass.targets?.has(node) ?? false)
    for (let i = 0; i < buffered.length; i++) {
      const g = buffered[i]
      if (g !== null && g !== undefined) rec.taken(g, seen)
    }
  }
  // NOTE: without hooks (the common case) the buffer itself, which nothing else holds now
  if (!node._hooked) return buffered
  let grads = buffered.map((g, nr) => (g === null ? null : hookedGrad(pass, node, nr, g)))
  if (grads.every((g) => g === null)) return grads
  for (const ph of node._preHooks) {
    const r = ph(grads)
    if (r !== undefined) grads = grads.map((g, k) => r[k] ?? g)
  }
  return grads
}

/**
 * Step 5, execute one node: its gradients (after hooks) go to its targets, or into its leaf, or
 * through its backward. Returns the gradient of each input edge (read as null where missing).
 */
const execute = (pass: Pass, node: Node): ReadonlyArray<Tensor | null> => {
  const { spec, targets, needed } = pass
  const grads = incoming(pass, node)
  if (targets !== undefined)
    for (const t of targets.get(node) ?? []) {
      const g = grads[outputNr(t)] ?? null
      if (spec.capture !== undefined) pass.captured.set(t, g)
      else if (g !== null && !(node instanceof AccumulateGrad) && !t._retains)
        pass.writes.push({ tensor: t, grad: g, leaf: false })
    }
  const g0 = grads[0] ?? null
  if (node instanceof AccumulateGrad) {
    // a leaf whose requires_grad was turned off after the graph was recorded takes no gradient
    // (PyTorch's AccumulateGrad returns without accumulating)
    const wanted = g0 !== null && spec.capture === undefined && node.variable.requires_grad
    if (wanted && (targets === undefined || targets.has(node)))
      pass.writes.push({ tensor: node.variable, grad: g0, leaf: true, steal: canSteal(pass, node, g0) })
    return NO_GRADS
  }
  const children = node._edges
  let inGrads: ReadonlyArray<Tensor | null> = NO_GRADS
  if (anyGrad(grads) && anyNeeded(children, needed)) {
    inGrads = applyNode(node, grads, spec.createGraph)
    // a facade op's backward keeps no reference to the list of its incoming gradients
    if (grads.length === 1 && !node._hooked && isOpNode(node)) pass.state.giveBack(grads)
    if (node._hooked)
      for (const h of node._postHooks) {
        const r = h(inGrads, grads)
        if (r !== undefined) inGrads = r
      }
    inGrads = (spec.createGraph ? createGraphVersions : layOutGrads)(node, node._numOutputs === 1 ? g0 : null, inGrads)
    const rec = pass.state.rec
    if (rec !== null) {
      builtinNode = node
      try {
        rec.ran(node._numOutputs === 1 ? g0 : null, inGrads, isBuiltinNode)
      } finally {
        builtinNode = null
      }
    }
    pass.executed.push(node)
  }
  return inGrads
}

/**
 * {@link execute} of a bare facade-op node (no hooks or retain_grad, one output, no layout facts:
 * `Node._bare`) in a pass without targets or create_graph: the same steps, without the branches
 * that cannot apply (hooks, targets, leaves, several outputs).
 */
const executePlain = (pass: Pass, node: Node): ReadonlyArray<Grad | null> => {
  const state = pass.state
  const taken = state.take(node)
  const gIn = taken === null ? null : (taken[0] ?? null)
  if (gIn === null) return NO_GRADS
  const rec = state.rec
  if (rec !== null && rec.tracking && typeof gIn !== 'number') rec.taken(gIn, false)
  if (!anyNeeded(node._edges, null)) return NO_GRADS
  if (numericStep(node, gIn)) {
    state.giveBack(taken as Array<Grad | null>)
    ranPlain(pass, node)
    return scalarOut.passOn ? passedOnGrads(node, gIn) : numericGrads(node)
  }
  const grads = gradTensors(node, taken as Array<Grad | null>)
  const g0 = grads[0] as Tensor
  const inGrads = layOutGrads(node, g0, applyNode(node, grads, false))
  // a facade op's backward keeps no reference to the list of its incoming gradients
  state.giveBack(grads)
  if (rec !== null) rec.ran(g0, inGrads, isBuiltin)
  ranPlain(pass, node)
  return inGrads
}
const isBuiltin = (): boolean => true

/**
 * Notes a bare facade-op node that ran for release after the pass: only one that saved something
 * (a bare node is never released otherwise: OpNode._release, W3's adds are a quarter of its nodes).
 */
const ranPlain = (pass: Pass, node: Node): void => {
  if (node._saved.length > 0) pass.executed.push(node)
}

/**
 * The input gradients {@link numericStep} left in `scalarOut` (a one-element op with one or two
 * inputs, each with its edge): a number for an edge whose node takes one ({@link sendsNumber}),
 * else a new tensor, as the array rule's fresh gradient. NOTE: in one of two shared lists, which
 * the sweep reads at once (no list per step).
 */
const numericGrads = (node: Node): ReadonlyArray<Grad | null> => {
  const { b0, b1, diffIdx } = scalarOut
  const y = scalarOutOf(node) as NdArray
  const edges = node._edges
  const out = edges.length === 1 ? numOut1 : numOut2
  out[0] = null
  if (edges.length === 2) out[1] = null
  const i0 = diffIdx[0] as number
  out[i0] = numericGrad(b0, y, (edges[i0] as Edge)[0])
  if (diffIdx.length === 2) {
    const i1 = diffIdx[1] as number
    out[i1] = numericGrad(b1, y, (edges[i1] as Edge)[0])
  }
  return out
}

/**
 * The input gradients of a node whose rule passes its incoming gradient on ({@link numericStep}):
 * that tensor; a number (no tensor made) when it is one and every edge it goes to is a node that
 * takes numbers and consumes the gradient (op.ts consumesGrad): the tensor's identity, which
 * decides `.grad`'s version and what a hook sees, could then never be observed.
 */
const passedOnGrads = (node: Node, gIn: Grad): ReadonlyArray<Grad | null> => {
  const diffIdx = scalarOut.diffIdx
  const g = typeof gIn === 'number' && allConsume(node, diffIdx) ? gIn : gradTensor(node, gIn)
  const out = node._edges.length === 1 ? numOut1 : numOut2
  out[0] = null
  if (out.length === 2) out[1] = null
  for (let k = 0; k < diffIdx.length; k++) out[diffIdx[k] as number] = g
  return out
}

/** True when the edges `diffIdx` of `node` lead to nodes that take a number of its output and consume it. */
const allConsume = (node: Node, diffIdx: ReadonlyArray<number>): boolean => {
  const y = scalarOutOf(node) as NdArray
  for (let k = 0; k < diffIdx.length; k++) {
    const c = (node._edges[diffIdx[k] as number] as Edge)[0]
    if (c === null || !sendsNumber(c, y) || !consumesGrad(c)) return false
  }
  return true
}
type Edge = readonly [Node | null, number]
const numOut1: Array<Grad | null> = [null]
const numOut2: Array<Grad | null> = [null, null]

/** A fresh numeric gradient of `y`'s dtype and shape for edge node `c`: the number, or its tensor. */
const numericGrad = (b: number, y: NdArray, c: Node | null): Grad =>
  sendsNumber(c, y) ? b : Tensor._fromValue(scalarArray(b, y.shape, y.dtype === 'float64'))

/** The node whose results the recycler is looking at (null outside that call: it would keep its graph alive). */
let builtinNode: Node | null = null
/** Whether a built-in rule (a facade op's, no hook) made {@link builtinNode}'s results (asked of large results only). */
const isBuiltinNode = (): boolean => builtinNode !== null && isOpNode(builtinNode) && !builtinNode._hooked

/** The input gradients of a node that did not run (none: read as null at every index). */
const NO_GRADS: ReadonlyArray<Tensor | null> = Object.freeze([])

const anyGrad = (grads: ReadonlyArray<Tensor | null>): boolean => {
  for (let i = 0; i < grads.length; i++) if (grads[i] !== null && grads[i] !== undefined) return true
  return false
}

/** True when some edge leads to a node of this pass. */
const anyNeeded = (edges: Node['_edges'], needed: Needed): boolean => {
  for (let i = 0; i < edges.length; i++) {
    const c = (edges[i] as readonly [Node | null, number])[0]
    if (isNeeded(needed, c)) return true
  }
  return false
}

/**
 * PyTorch's AccumulateGrad: `grad` becomes a leaf's first `.grad` itself (no copy) when grad mode
 * is off, nothing else holds it (no pending buffer, not a root gradient the caller passed; one
 * more holder is allowed when the node has post hooks) and its layout is the leaf's.
 */
const canSteal = (pass: Pass, node: AccumulateGrad, g: Tensor): boolean => {
  if (pass.spec.createGraph || !obeysLayout(g, node.variable)) return false
  let others = pass.held.has(g) ? 1 : 0
  others += pass.state.holders(g)
  return others <= (node._postHooks.length > 0 ? 1 : 0)
}

/** A node's place in the ready queue: AccumulateGrad first (PyTorch gives it the largest sequence number). */
const priority = (n: Node): number => (n instanceof AccumulateGrad ? Infinity : n._seq)

/** The ready nodes, newest (highest sequence number) first, as PyTorch's ready queue: a binary heap. */
class ReadyQueue {
  private readonly heap: Node[] = []
  constructor(nodes: ReadonlyArray<Node>) {
    for (const n of nodes) this.push(n)
  }
  push(n: Node): void {
    const h = this.heap
    let i = h.push(n) - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (priority(h[p] as Node) >= priority(n)) break
      h[i] = h[p] as Node
      i = p
    }
    h[i] = n
  }
  pop(): Node | undefined {
    const h = this.heap
    const top = h[0]
    const last = h.pop()
    if (top === undefined || last === undefined || h.length === 0) return top
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= h.length) break
      const c = l + 1 < h.length && priority(h[l + 1] as Node) > priority(h[l] as Node) ? l + 1 : l
      if (priority(h[c] as Node) <= priority(last)) break
      h[i] = h[c] as Node
      i = c
    }
    h[i] = last
    return top
  }
}

/** Applies one deferred `.grad` write. */
const commitWrite = (w: GradWrite, createGraph: boolean): void => {
  if (w.leaf) accumulate(w.tensor, w.grad, createGraph, w.steal ?? false)
  else
    w.tensor._grad =
      w.tensor._grad === null ? detachUnless(w.grad, createGraph) : addGrads(w.tensor._grad, w.grad, createGraph)
}

const detachUnless = (g: Tensor, createGraph: boolean): Tensor => (createGraph ? g : Tensor._fromValue(g._value()))

/**
 * PyTorch's `copy_` of a first gradient into a new `.grad` (version 1); under create_graph a
 * `CopyBackwards` node over it when it requires grad (its first edge, the new tensor's, is none).
 */
const copyGrad = (g: Tensor, createGraph: boolean): Tensor => {
  const t = createGraph
    ? op('CopyBackwards', [Tensor._fromValue(g._value()), g], (_, v) => v)
    : Tensor._fromValue(g._value())
  t._counter.v = 1
  return t
}

/** A stolen first gradient: `.grad` is the gradient itself (sharing its version counter), detached. */
const stolen = (g: Tensor): Tensor => {
  const t = Tensor._fromValue(g._value())
  t._counter = g._counter
  return t
}

/**
 * AccumulateGrad: the first `.grad` is the gradient itself or a copy of it (see canSteal); later
 * ones are summed in place (version + 1) without create_graph, out of place with it, as PyTorch.
 */
const accumulate = (leaf: Tensor, g: Tensor, createGraph: boolean, steal: boolean): void => {
  const cur = leaf._grad
  if (cur === null) {
    leaf._grad = steal ? stolen(g) : copyGrad(g, createGraph)
    return
  }
  if (createGraph) {
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

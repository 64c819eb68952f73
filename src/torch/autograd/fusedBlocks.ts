/**
 * Fused backward steps for the facade's large element-wise ops: in a backward pass without
 * targets or create_graph, the nodes of ops whose values were deferred (./lazyValues: a tanh, the
 * products around it, a sum over all of them) that only feed each other run as one block — their
 * VJP rules staged and compiled once per block signature into one WebAssembly loop by the core's
 * fused sweep (src/core/backwardFusion.ts `pullBlock`), which recomputes deferred values in
 * registers instead of reading them. `torch.tanh(x).mul(x).sum().backward()` then reads x and
 * writes only x's gradient, as `grad` of the same function does in the core.
 *
 * A block grows from the ready node the engine takes next (the newest) through its children whose
 * remaining parents are all in the block. Each node must be a built-in op's with a deferred value,
 * no hooks or retain_grad, saved tensors at their saved versions and not packed by saved-tensor
 * hooks (else it runs as before and raises as before), contiguous layouts (the gradients it sends
 * out are then contiguous, as TensorIterator lays them out), and a plain layout name; a sum's
 * input and the inputs of add and sub (whose rules pass the gradient on: its identity would show)
 * are in the block. What leaves the block is a fresh float32 gradient per edge node, each sent once
 * every contribution is summed, in the order the engine would have summed them: an edge node all
 * of whose remaining parents are in the block has what it already holds summed first (the
 * program's seed), another may take one edge, from the block's first node only. So values, `.grad`
 * identities, versions and strides are those of the node-by-node pass; tests compare both.
 *
 * @category torch
 * @since 0.2.0
 */
import { fusionAvailable, pullBlock } from '../../core/backwardFusion'
import { LazyArray } from '../../core/deferred'
import { Var, type Atom } from '../../core/equation'
import { add } from '../../core/lax'
import type { RecordedEquation } from '../../core/reverse'
import type { NdArray } from '../../ndarray/NdArray'
import { shapesEqual } from '../../ndarray/shape'
import { Tensor } from '../tensor'
import { isPlain } from './gradLayout'
import type { GradRecycler } from './gradRecycle'
import { isContiguous } from './iterLayout'
import { deferredBy } from './lazyValues'
import { onUnpack, type Node } from './node'
import { opNodeParts, type OpNodeParts } from './op'
import { swappedOf } from './swapped'
import { isZeroGrad } from './zeroGrad'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What a block needs of the engine's backward pass (engine.ts). */
export interface BlockPass {
  /** How many parents of `n` are yet to send it a gradient. */
  deps(n: Node): number
  /** The gradient held for output 0 of `n` (null: none yet), left where it is. */
  held(n: Node): Tensor | null
  /** Empties `n`'s gradient buffer (its gradient went into a block). */
  take(n: Node): void
  /** One edge of a node that ran sends `g` (null: none) to output `nr` of `c`: summed in, `c` ready after its last parent. */
  send(c: Node, nr: number, g: Tensor | null): void
  /** `n` ran (its saved values are freed after the pass unless retain_graph). */
  ran(n: Node): void
  readonly rec: GradRecycler | null
}

/** A node of a block: its op's parts and deferred value. */
interface Member {
  readonly node: Node
  readonly parts: OpNodeParts
  readonly out: LazyArray
}

/** An input of the block from outside it: the edge's node and output, and the input's value. */
interface External {
  readonly node: Node
  readonly nr: number
  readonly value: NdArray
  /** How many block edges lead to it, and whether only the block's first node's. */
  edges: number
  fromTop: boolean
  /** Every remaining parent of its node is in the block: what the node holds is summed first. */
  seeded: boolean
}

let enabled = true
/** Turns the fused blocks on or off (tests compare both passes); returns the previous setting. */
export const setFusedBlocks = (on: boolean): boolean => {
  const prev = enabled
  enabled = on
  return prev
}

/** True when `n` may begin a block (a facade op's node whose value was deferred). */
export const mayFuse = (n: Node): boolean => {
  if (!enabled) return false
  const p = opNodeParts(n)
  return p !== undefined && p._out instanceof LazyArray
}

// -------------------------------------------------------------------------------------
// the block
// -------------------------------------------------------------------------------------

/** Whether a deferred value is a sum (the others are element-wise). */
const isSum = (m: Member): boolean => m.out.prim.name === 'reduce_sum'

/** The shape a member runs over: a sum's input's, an element-wise op's output's. */
const shapeOf = (m: Member): ReadonlyArray<number> => (isSum(m) ? (m.parts._values[0] as NdArray).shape : m.out.shape)

/** `n` as a block member, or undefined when it must run alone (see the module note). */
const memberOf = (n: Node): Member | undefined => {
  const parts = opNodeParts(n)
  const out = parts?._out
  if (parts === undefined || !(out instanceof LazyArray) || !deferredBy(n) || n._hooked || n._numOutputs !== 1)
    return undefined
  if (parts._edgeInputs !== null || parts._opts.backwardCheck !== undefined || !plainLayout(n)) return undefined
  const m = { node: n, parts, out }
  if (!isSum(m) && !isPlain(n._name)) return undefined
  return savedIntact(n) ? m : undefined
}

/** No layout facts but contiguous element-wise layouts. */
const plainLayout = (n: Node): boolean =>
  n._perm === null &&
  n._colMajor === null &&
  n._joined === null &&
  n._freshStrides === null &&
  n._rot90 === null &&
  n._gradVersions === null &&
  (n._iter === null || n._iter.every(isContiguous))

/** Saved tensors at their saved versions and packed by no saved-tensor hook (whose unpack would run). */
const savedIntact = (n: Node): boolean => {
  const saved = n._saved
  if (saved.length > 0 && onUnpack !== null) return false
  for (let k = 0; k < saved.length; k++) {
    const s = saved[k] as (typeof saved)[number]
    if (s.tensor._versionNow() !== s.version) return false
  }
  return true
}

/** The members of the block beginning at `top`: it and the nodes whose remaining parents are all members. */
const grow = (pass: BlockPass, top: Member): [Member[], Map<Node, number>] => {
  const shape = shapeOf(top)
  const members = [top]
  const inBlock = new Set<Node>([top.node])
  const counts = new Map<Node, number>()
  for (let k = 0; k < members.length; k++)
    for (const [c] of (members[k] as Member).node._edges) {
      if (c === null || inBlock.has(c)) continue
      const n = (counts.get(c) ?? 0) + 1
      counts.set(c, n)
      if (n !== pass.deps(c)) continue
      const m = memberOf(c)
      if (m === undefined || !shapesEqual(shapeOf(m), shape)) continue
      members.push(m)
      inBlock.add(c)
    }
  return [members, counts]
}

/**
 * The block's inputs from outside it, or undefined when the block cannot run as one (see the
 * module note). Members are in creation order, `top` last.
 */
const externalsOf = (
  pass: BlockPass,
  members: ReadonlyArray<Member>,
  counts: ReadonlyMap<Node, number>,
): External[] | undefined => {
  const index = new Map<Node, Member>(members.map((m) => [m.node, m]))
  const top = members[members.length - 1] as Member
  const shape = shapeOf(top)
  const out: External[] = []
  for (const m of members) {
    const { _values: values, _needs: needs } = m.parts
    const passes = m.out.prim.name === 'add' || m.out.prim.name === 'sub'
    for (let i = 0; i < values.length; i++) {
      if (!(needs.needs[i] as boolean)) continue
      const [c, nr] = m.node._edges[i] as readonly [Node | null, number]
      if (c === null) return undefined
      const p = index.get(c)
      if (p !== undefined) {
        if (nr !== 0 || values[i] !== p.out) return undefined
        continue
      }
      if (isSum(m) || passes || !shapesEqual((values[i] as NdArray).shape, shape)) return undefined
      let e = out.find((x) => x.node === c && x.nr === nr)
      if (e === undefined) {
        e = { node: c, nr, value: values[i] as NdArray, edges: 0, fromTop: true, seeded: false }
        out.push(e)
      } else if (e.value !== values[i]) return undefined
      e.edges++
      if (m !== top) e.fromTop = false
    }
  }
  for (const e of out) {
    e.seeded = counts.get(e.node) === pass.deps(e.node) && e.nr === 0 && e.node._numOutputs === 1
    if (!e.seeded && !(e.edges === 1 && e.fromTop)) return undefined
  }
  return out
}

/** A held gradient the block may take in as a seed: a float32 dense row-major tensor of `shape`. */
const seedable = (g: Tensor, shape: ReadonlyArray<number>): boolean => {
  const v = g._value()
  return (
    !isZeroGrad(g) &&
    swappedOf(g) === undefined &&
    v.dtype === 'float32' &&
    shapesEqual(v.shape, shape) &&
    isContiguous({ shape: v.shape, strides: g._strides })
  )
}

/**
 * Runs the block beginning at `top` (the ready node the engine took) as one fused step, sending
 * its gradients on; false, having changed nothing, when `top` begins no block (the engine then
 * runs it alone).
 */
export const runBlock = (pass: BlockPass, top: Node): boolean => {
  const first = memberOf(top)
  if (first === undefined || !fusionAvailable()) return false
  const [grown, counts] = grow(pass, first)
  if (grown.length < 2 || grown.every(isSum)) return false
  const members = grown.sort((a, b) => a.node._seq - b.node._seq)
  const exts = externalsOf(pass, members, counts)
  if (exts === undefined) return false
  // the gradients held: the first node's (it is ready), other members', seeded edge nodes'
  const seeds: Array<Tensor | null> = [
    ...members.map((m) => pass.held(m.node)),
    ...exts.map((e) => (e.seeded ? pass.held(e.node) : null)),
  ]
  if (seeds[members.length - 1] === null) return false
  for (let k = 0; k < seeds.length; k++) {
    const g = seeds[k]
    const shape =
      k < members.length ? (members[k] as Member).out.shape : (exts[k - members.length] as External).value.shape
    if (g !== null && g !== undefined && !seedable(g, shape)) return false
  }
  const results = pullMembers(members, exts, seeds)
  finish(pass, members, exts, seeds, results)
  return true
}

/** The block's program over the members' equations: each external's summed gradient (undefined: none). */
const pullMembers = (
  members: ReadonlyArray<Member>,
  exts: ReadonlyArray<External>,
  seeds: ReadonlyArray<Tensor | null>,
): Array<NdArray | undefined> => {
  const n = members.length
  const vars = members.map((m, k) => new Var(k, m.out))
  const extVars = exts.map((e, j) => new Var(n + j, e.value))
  const index = new Map<Node, number>(members.map((m, k) => [m.node, k]))
  const eqs = members.map((m, k): RecordedEquation => {
    const { _values: values, _needs: needs } = m.parts
    const invars = values.map((v, i): Atom => {
      if (!(needs.needs[i] as boolean)) return v
      const [c, nr] = m.node._edges[i] as readonly [Node, number]
      const p = index.get(c)
      if (p !== undefined) return vars[p] as Var
      return extVars[exts.findIndex((e) => e.node === c && e.nr === nr)] as Var
    })
    const { prim, params } = m.out
    const outvars = [vars[k] as Var]
    return {
      primitive: prim,
      params,
      invars,
      outvars,
      inputs: values,
      output: m.out,
      needs: needs.needs,
      residuals: undefined,
    }
  })
  const cts = seeds.map((g) => (g === null ? undefined : g._value()))
  pullBlock(eqs, 0, n - 1, cts, add, NOOP, NOOP)
  return exts.map((_, j) => cts[n + j])
}
const NOOP = (): void => {}

/**
 * The engine's bookkeeping of a block that ran: held gradients taken (the pass's buffer reuse
 * told), members marked run, each edge node sent its gradient (a seed passed through as the same
 * tensor) once, and every block edge counted down.
 */
const finish = (
  pass: BlockPass,
  members: ReadonlyArray<Member>,
  exts: ReadonlyArray<External>,
  seeds: ReadonlyArray<Tensor | null>,
  results: ReadonlyArray<NdArray | undefined>,
): void => {
  const rec = pass.rec
  const n = members.length
  const taken = seeds.filter((g): g is Tensor => g !== null)
  members.forEach((m, k) => {
    if (seeds[k] !== null) pass.take(m.node)
    pass.ran(m.node)
  })
  exts.forEach((e, j) => {
    if (seeds[n + j] !== null) pass.take(e.node)
  })
  if (rec !== null && rec.tracking) for (const g of taken) rec.taken(g, false)
  const tensors = new Map<NdArray, Tensor>(taken.map((g) => [g._value(), g]))
  const grads = results.map((r) => {
    if (r === undefined) return null
    let t = tensors.get(r)
    if (t === undefined) tensors.set(r, (t = Tensor._fromValue(r)))
    return t
  })
  if (rec !== null) {
    // held gradients no result is are dead once the block ran; the results are the pass's own
    for (const g of taken) if (!grads.includes(g)) rec.ran(g, NO_RESULTS, BUILTIN)
    rec.ran(
      null,
      grads.filter((g) => g === null || !taken.includes(g)),
      BUILTIN,
    )
  }
  const sent = new Set<External>()
  for (let k = n - 1; k >= 0; k--) {
    const m = members[k] as Member
    const needs = m.parts._needs.needs
    m.node._edges.forEach(([c, nr], i) => {
      if (c === null || !(needs[i] as boolean)) return
      const j = exts.findIndex((e) => e.node === c && e.nr === nr)
      if (j < 0) return
      const e = exts[j] as External
      pass.send(c, nr, sent.has(e) ? null : (grads[j] ?? null))
      sent.add(e)
    })
  }
}
const NO_RESULTS: ReadonlyArray<Tensor | null> = Object.freeze([])
const BUILTIN = (): boolean => true

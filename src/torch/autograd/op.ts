/**
 * Facade ops: the one place the facade records the graph. An op is `(name, inputs, fn)`: with
 * grad mode on and an input requiring grad it records `fn` (as its one equation when `fn` is a
 * bound primitive, else traced by `traceArrays` from `src/transforms`) and keeps that on a `Node`
 * named as PyTorch names it; otherwise it just runs `fn`. Under
 * `create_graph` a node's backward runs the same VJP rules over a `TensorLevel` (./level.ts),
 * so each primitive they bind is a facade op with PyTorch's name. View ops share
 * storage; in-place ops replace the storage's array, bump the version counter and rebase
 * `grad_fn` (`CopySlices` on the base for views), as PyTorch does.
 *
 * @category torch
 * @since 0.1.0
 */
import * as lax from '../../core/lax'
import { cast, zerosLike } from '../../core/lax'
import { isFloat, isInteger, type DType } from '../../ndarray/dtype'
import { NdArray } from '../../ndarray/NdArray'
import { Tracer, withLevel } from '../../core/trace'
import { directPrimitive, NO_PARAMS, type AnyPrimitive, type VjpContext } from '../../core/primitive'
import { isZero } from '../../core/zero'
import { vjp } from '../../transforms/vjp'
import { pullArrays, traceArrays, type ArrayTape } from '../../transforms/vjpArrays'
import { ERR_BACKWARD_TWICE, RuntimeError } from '../errors'
import { checkOutputShape, savedAsOperand } from '../ops/convert'
import { fromStorage } from '../dtype'
import { Tensor, type ViewStep } from '../tensor'
import { requireTensors } from '../pyTypeName'
import { forwardInplace, forwardOp, forwardView, fwdState } from './forwardAdState'
import { enable_grad, is_grad_enabled, no_grad } from './grad_mode'
import { TensorLevel, type ApplyOp } from './level'
import { inputAliases, recordMulti, type MultiOpFn, type MultiOpOptions } from './multiOutput'
import { Node, nullSlots, onSaved, onUnpack, type BackwardAllFn, type BackwardFn, type SavedRef } from './node'
import { passesOn } from './gradLayout'
import { lazyValue, noteDeferred } from './lazyValues'
import { operandNumbers, scalarGrads, scalarLike, scalarOut } from './scalarGrads'
import { heldMatrixOf, swappedOf, type swappedTensor } from './swapped'
import { metaInUse } from '../meta'
import { checkSameDevice, inplaceValue } from '../metaOps'

/** Options of a facade op. */
export interface OpOptions {
  /**
   * Inputs PyTorch's node saves (checked against later in-place changes): indices, or a
   * function of which inputs require grad.
   */
  readonly saves?: ReadonlyArray<number> | ((needs: ReadonlyArray<boolean>) => ReadonlyArray<number>)
  /**
   * Tensors PyTorch's node saves that are not inputs of this op (gather's index, an indexing
   * list or mask): checked against later in-place changes and freed after a backward, like
   * saved inputs.
   */
  readonly savesTensors?: ReadonlyArray<Tensor>
  /** PyTorch's node saves its output (exp, sqrt, sigmoid, tanh, …). */
  readonly savesOutput?: boolean
  /** False for ops whose output never requires grad (comparisons, argmax, integer results). */
  readonly differentiable?: boolean
  /**
   * PyTorch's node for this op's gradient when its derivative formula is one ATen backward op
   * (`tanh_backward(grad, result)` → `TanhBackwardBackward0`): under create_graph, the last node
   * of each input's gradient takes this name instead of the name of the rule's last primitive.
   */
  readonly gradName?: string
  /**
   * Inputs that are C++ `Scalar`s in PyTorch's overload (a number exponent of `pow`, a number
   * bound of `clamp`): under create_graph their rules see them as plain 0-d constants, which name
   * the nodes `MulBackward1`, `PowBackward0`, …. Other inputs that need no gradient are tensors
   * there (Python numbers of `x * 3` are wrapped into tensors: `grad * other` is MulBackward0).
   */
  readonly scalars?: ReadonlyArray<number>
  /**
   * PyTorch's backward formula reads this saved tensor (an input index, or the output) as a
   * tensor (`threshold_backward(grad, result)`, `grad * self.sgn()`), so its create_graph
   * gradient is in the graph even where the rule's gradient is piecewise constant (a gradient
   * penalty through relu or abs then reaches the leaf, with gradient 0 there). `name` is the
   * gradient's node; `via` the node the saved tensor passes first (`SgnBackward0`).
   */
  readonly gradLink?: { readonly of: number | 'output'; readonly name: string; readonly via?: string }
  /**
   * Inputs that are no arguments PyTorch's node collects edges for: non-differentiable tensors of
   * its signature (`where`'s condition, a mask, an index). They are left out of `next_functions`,
   * as are the {@link OpOptions.scalars} (C++ `Scalar`s have no edge either).
   */
  readonly nonDiff?: ReadonlyArray<number>
  /**
   * PyTorch's derivative formula written with facade ops, used by a create_graph backward instead of
   * running the rule over a TensorLevel: from the incoming gradient, the op's inputs (in the graph)
   * and its output (whose grad_fn is this node), each input's gradient (null: none). The gradient
   * graph then has PyTorch's nodes where its formula is not the rule's composition (cumsum's
   * `flip(cumsum(flip(grad)))`, softmax's one `SoftmaxBackwardDataBackward0`, `grad * cosh(x)` for
   * sinh). Backward passes without create_graph still run the rule.
   */
  readonly formula?: (grad: Tensor, inputs: ReadonlyArray<Tensor>, output: () => Tensor) => ReadonlyArray<Tensor | null>
  /**
   * The op's gradients without create_graph, computed directly (the values the recorded rule
   * gives, laid out as PyTorch's formula lays them out: addmm's column-major operands get
   * {@link swappedTensor}s): from the incoming gradient (cast to the output's dtype), the inputs'
   * values, which inputs need a gradient and the op's output value (the engine always passes it;
   * a rule calling another rule may not); null where none.
   */
  readonly grads?: (
    grad: NdArray,
    values: ReadonlyArray<NdArray>,
    needs: ReadonlyArray<boolean>,
    out?: NdArray,
  ) => Array<Tensor | null>
  /**
   * Raises the error PyTorch's backward formula raises for this node (a formula that fails for these
   * shapes), from which inputs need a gradient; runs before any gradient is computed, with or
   * without create_graph.
   */
  readonly backwardCheck?: (needs: ReadonlyArray<boolean>) => void
  /**
   * Inputs (bit i: input i) that are held `t()` views (./swapped.ts `heldMatrixOf`): the op reads
   * the matrix each transposes, not the view's value (which is then never computed), so `fn` and
   * `grads` receive that matrix, stored transposed; a create_graph formula still sees the view.
   */
  readonly held?: number
  /**
   * The op as one primitive applied to its inputs' values (`[prim, params]`), where `fn` is not a
   * bare primitive (those are found by `directPrimitive`): its result may then be deferred
   * (./lazyValues; `sum()`'s `reduce_sum` over all axes); undefined where it is not that.
   */
  readonly lazy?: (values: ReadonlyArray<NdArray>) => readonly [AnyPrimitive, unknown] | undefined
}

/**
 * The options of an op whose backward formula returns an undefined tensor (the 0-norm's
 * `norm_backward`, PyTorch 1.13 and 2.x): no gradient flows, so a leaf reached only through it
 * keeps `.grad` None (difftest seeds 322313, 322645).
 */
export const NO_GRADIENT: OpOptions = Object.freeze({ grads: () => [null, null], formula: () => [null, null] })

/** The options of an op given none (shared: an op reads its options, never writes them). */
const NO_OPTS: OpOptions = Object.freeze({})

/** A function over NdArrays: the forward computation of an op. */
export type OpFn = (...xs: NdArray[]) => NdArray

/** The graph edge gradients of `t` flow into: its grad_fn and which output of it `t` is, or its AccumulateGrad. */
export const edgeOf = (t: Tensor): readonly [Node | null, number] => {
  // NOTE: a recorded result that is no view (a chain's intermediates) has its grad_fn as it is:
  // `_gradEdge`'s grad_fn getter only differs for views it regenerates (issue 18, W3)
  const fn = t._gradFn
  if (fn !== null && t._regenerate === null) return t._outputNr === 0 ? fn._edge0() : ([fn, t._outputNr] as const)
  const e = t._gradEdge()
  if (e === null) return NO_EDGE
  return t._gradFn === null || t._outputNr === 0 ? e._edge0() : ([e, t._outputNr] as const)
}

/** The edge of an input that needs no gradient (shared: edges never change). */
const NO_EDGE: readonly [Node | null, number] = Object.freeze([null, 0] as const)

const saveRef = (t: Tensor): SavedRef => ({ tensor: t, version: t._versionNow() })

/** A saved input of a facade op (one literal: an object spread here made the forward ~20 % slower). */
// NOTE: the version is read without making the tensor's counter (most saved tensors never get one)
const savedInput = (t: Tensor, input: number): SavedRef => ({ tensor: t, version: t._versionNow(), input })

/** The saved inputs `saves` of an op (a literal for one or two: no closure and no grown list per op). */
const savedInputs = (inputs: ReadonlyArray<Tensor>, saves: ReadonlyArray<number>): ReadonlyArray<SavedRef> => {
  const i = saves[0] as number
  // NOTE: a Python number's shared constant has one shared list (W3: half of its ops save one)
  if (saves.length === 1)
    return (i === 1 ? savedAsOperand(inputs[1] as Tensor) : undefined) ?? [savedInput(inputs[i] as Tensor, i)]
  const j = saves[1] as number
  if (saves.length === 2) return [savedInput(inputs[i] as Tensor, i), savedInput(inputs[j] as Tensor, j)]
  return saves.map((k) => savedInput(inputs[k] as Tensor, k))
}

/** The matrix a held `t()` view input transposes (see {@link OpOptions.held}). */
const heldValue = (t: Tensor): NdArray => heldMatrixOf(t) ?? t._value()

/** Node values as the op's inputs' values: a held input's matrix transposed back (its view's value). */
const logicalValues = (node: OpNode): ReadonlyArray<NdArray> => {
  const held = node._opts.held
  if (held === undefined) return node._values
  return node._values.map((v, i) => ((held & (1 << i)) !== 0 ? lax.transpose(v, HELD_PERM) : v))
}
const HELD_PERM: ReadonlyArray<number> = Object.freeze([1, 0])

/** The inputs that need a gradient (bit i: input i), for ops of up to 31 inputs; else −1 (use the tensors). */
const needMask = (inputs: ReadonlyArray<Tensor>): number => {
  if (inputs.length > 31) return inputs.some((t) => t.requires_grad) ? -1 : 0
  let mask = 0
  for (let i = 0; i < inputs.length; i++) if ((inputs[i] as Tensor).requires_grad) mask |= 1 << i
  return mask
}

/**
 * The node of a recorded facade op: what its backward needs is kept on the node itself (one
 * object per op besides its tape), and its backward is one shared function.
 */
class OpNode extends Node {
  constructor(
    name: string,
    public _values: ReadonlyArray<NdArray>,
    readonly _fn: OpFn,
    readonly _opts: OpOptions,
    /** Which inputs need a gradient (one shared object for ops of up to 4 inputs). */
    readonly _needs: NeedsOf,
    /**
     * The recorded tape, or for a direct op (one primitive, see {@link recordDirect}) the primitive:
     * its equation is the primitive over `_values` giving `_out` (no object of its own per op).
     */
    public _tape: ArrayTape | AnyPrimitive | null,
    public _out: NdArray,
    /** The edges of `next_functions` (for this class: each input's edge). */
    edges: ReadonlyArray<Edge>,
  ) {
    super(name, edges, true)
    this._backward = opBackward
  }
  /**
   * What the backward's numeric step may do with this node, decided when it was recorded (its
   * values, output and options never change but on release, which also drops `_backward`): see
   * {@link leanOf}. NOTE: kept in the shared {@link NeedsOf} (no field per node).
   */
  get _lean(): number {
    return this._needs.lean
  }
  // NOTE: most ops give every input an edge: `_edges` is then each input's edge, kept once (the
  // others are a subclass, so this node, one per recorded op, has no field for them)
  /** Each input's edge (`next_functions` leaves out the inputs PyTorch collects no edge for). */
  get _inputEdges(): ReadonlyArray<Edge> {
    return this._edges
  }
  /** The inputs that have an edge, in order; null when all have one. */
  get _edgeInputs(): ReadonlyArray<number> | null {
    return null
  }
  /**
   * Once released (a backward without retain_graph through a node that saves tensors: a second
   * one raises), the node drops the values it held, as PyTorch's frees its saved variables.
   */
  // NOTE: released is `_saved` being the shared RELEASED list, not Node's flag (which it keeps in
  // the object of fields few nodes set: a backward over a long chain then made one per node)
  override _release(): void {
    if (this._saved.length === 0 && !this._releaseAlways) return
    this._backward = null
    this._backwardAll = null
    this._values = NO_VALUES
    this._out = releasedOut ??= lax.scalar(0, 'float32')
    this._tape = null
    this._saved = RELEASED
  }
  override get _released(): boolean {
    return this._saved === RELEASED
  }
  override set _released(b: boolean) {
    if (b) this._release()
  }
  /** The inputs that need a gradient. */
  get _diffIdx(): ReadonlyArray<number> {
    return this._needs.diffIdx
  }
  /** Each input's position among the inputs that need a gradient (−1: none). */
  get _slot(): ReadonlyArray<number> {
    return this._needs.slot
  }
}

type Edge = readonly [Node | null, number]

/** The node of a facade op some of whose inputs have no edge (its `nonDiff` and `scalars` inputs). */
class OpNodeSomeEdges extends OpNode {
  constructor(
    name: string,
    values: ReadonlyArray<NdArray>,
    fn: OpFn,
    opts: OpOptions,
    needs: NeedsOf,
    tape: ArrayTape | AnyPrimitive | null,
    out: NdArray,
    private readonly _allEdges: ReadonlyArray<Edge>,
    private readonly _someInputs: ReadonlyArray<number>,
  ) {
    super(
      name,
      values,
      fn,
      opts,
      needs,
      tape,
      out,
      _someInputs.map((i) => _allEdges[i] as Edge),
    )
  }
  override get _inputEdges(): ReadonlyArray<Edge> {
    return this._allEdges
  }
  override get _edgeInputs(): ReadonlyArray<number> | null {
    return this._someInputs
  }
}

/** What a released {@link OpNode} holds instead of its values (shared). */
const NO_VALUES: ReadonlyArray<NdArray> = Object.freeze([])
/** What a released {@link OpNode} saved (shared; its identity marks the node released). */
const RELEASED: ReadonlyArray<SavedRef> = Object.freeze([])
let releasedOut: NdArray | undefined

/** True for the node of a facade op (its backward runs built-in rules only, no user code). */
export const isOpNode = (n: Node): boolean => n instanceof OpNode

/** The inputs of an op that have an edge: all but its `nonDiff` and `scalars` ones (null: all of them). */
// NOTE: the list is made only when an input is dropped (square's scalar 2 of a tensor that requires
// grad drops none: no closure and no index list per recorded op)
const edgeInputs = (n: number, opts: OpOptions, needs: ReadonlyArray<boolean>): number[] | null => {
  if (opts.nonDiff === undefined && opts.scalars === undefined) return null
  let keep: number[] | null = null
  for (let i = 0; i < n; i++) {
    const dropped =
      !(needs[i] as boolean) && ((opts.nonDiff?.includes(i) ?? false) || (opts.scalars?.includes(i) ?? false))
    if (dropped && keep === null) {
      keep = []
      for (let j = 0; j < i; j++) keep.push(j)
    } else if (!dropped && keep !== null) keep.push(i)
  }
  return keep
}

/** The backward of every {@link OpNode}. */
function opBackward(this: Node, gOut: Tensor, createGraph: boolean): ReadonlyArray<Tensor | null> {
  const node = this as OpNode
  node._opts.backwardCheck?.(node._slot.map((k) => k >= 0))
  const r = !createGraph
    ? (swapBack(node, gOut) ??
      (node._opts.grads !== undefined
        ? node._opts.grads(
            cast(gOut._value(), node._out.dtype),
            node._values,
            node._slot.map((k) => k >= 0),
            node._out,
          )
        : backwardValues(node, gOut)))
    : node._opts.formula !== undefined
      ? backwardFormula(node, gOut, node._opts.formula)
      : backwardRecorded(node, gOut)
  return node._edgeInputs === null ? r : node._edgeInputs.map((i) => r[i] ?? null)
}

/**
 * The gradient of a 2-D transpose (`t()`, `transpose(0, 1)`) whose incoming gradient is a
 * {@link swappedTensor}: the matrix it holds, taken as it is; undefined otherwise.
 */
const swapBack = (node: OpNode, gOut: Tensor): Array<Tensor | null> | undefined => {
  const p = node._perm
  if (p === null || p.length !== 2 || p[0] !== 1) return undefined
  const m = swappedOf(gOut)
  return m === undefined || m.dtype !== node._out.dtype ? undefined : [Tensor._fromValue(m)]
}

/** True for the tape of a direct op: its primitive. */
const isDirect = (t: ArrayTape | AnyPrimitive): t is AnyPrimitive =>
  typeof (t as { impl?: unknown }).impl === 'function'

/**
 * `[output, tape]` of `fn` over `values`. When `fn` is a bound primitive taking its inputs as
 * they are (`lax.mul`, `lax.exp`: most element-wise facade ops) over concrete values, the call
 * is recorded directly as its one equation — what tracing it on a reverse level would record,
 * without the level, its tracers and variables; otherwise `fn` is traced (`traceArrays`) over
 * the inputs that need a gradient.
 */
const recordDirect = (fn: OpFn, values: ReadonlyArray<NdArray>): AnyPrimitive | undefined => {
  const prim = directPrimitive(fn)
  if (prim === undefined || prim.forward !== undefined) return undefined
  // NOTE: a plain array is no tracer (its class read first: no prototype walk per operand)
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as NdArray
    if (v.constructor !== NdArray && v instanceof Tracer) return undefined
  }
  return prim
}

/** Which inputs need a gradient, the indices of those, and each input's position among them (−1: none). */
interface NeedsOf {
  readonly needs: ReadonlyArray<boolean>
  readonly diffIdx: ReadonlyArray<number>
  readonly slot: ReadonlyArray<number>
  /** The node's {@link OpNode._lean} (ops of one or two inputs; else 0). */
  readonly lean: number
}

const needsOfMask = (n: number, mask: number, lean = 0): NeedsOf => {
  const needs = Array.from({ length: n }, (_, i) => (mask & (1 << i)) !== 0)
  const diffIdx: number[] = []
  needs.forEach((b, i) => {
    if (b) diffIdx.push(i)
  })
  return Object.freeze({
    needs: Object.freeze(needs),
    diffIdx: Object.freeze(diffIdx),
    slot: Object.freeze(needs.map((_, i) => diffIdx.indexOf(i))),
    lean,
  })
}

/** NOTE: shared (frozen) for ops of up to 4 inputs, so recording one allocates none of these lists. */
const SHARED_NEEDS: ReadonlyArray<ReadonlyArray<NeedsOf>> = Array.from({ length: 5 }, (_, n) =>
  Array.from({ length: 1 << n }, (_, mask) => needsOfMask(n, mask)),
)

/** The {@link NeedsOf} of `inputs` given their {@link needMask}. */
const needsOf = (inputs: ReadonlyArray<Tensor>, mask: number): NeedsOf => {
  const n = inputs.length
  if (mask !== -1 && n < SHARED_NEEDS.length) return (SHARED_NEEDS[n] as ReadonlyArray<NeedsOf>)[mask] as NeedsOf
  const needs = inputs.map((t) => t.requires_grad)
  const diffIdx: number[] = []
  needs.forEach((b, i) => {
    if (b) diffIdx.push(i)
  })
  return { needs, diffIdx, slot: needs.map((_, i) => diffIdx.indexOf(i)), lean: 0 }
}

/** The shared {@link NeedsOf} of a two-input op (its lean ops have one or two: mask 1–3) of this lean kind. */
const LEAN_NEEDS: ReadonlyArray<ReadonlyArray<NeedsOf>> = [0, 1, 2, 3].map((lean) =>
  [0, 1, 2, 3].map((mask) => needsOfMask(2, mask, lean)),
)
/** The shared {@link NeedsOf} of a one-input op of this lean kind (mask 1). */
const LEAN_NEEDS1: ReadonlyArray<NeedsOf> = [0, 1, 2, 3].map((lean) => needsOfMask(1, 1, lean))

/** {@link NeedsOf} of a lean op of one or two inputs (`mask`: {@link needMask}, of its inputs' count). */
const leanNeeds = (lean: number, mask: number, n: number): NeedsOf =>
  n === 1 ? (LEAN_NEEDS1[lean] as NeedsOf) : ((LEAN_NEEDS[lean] as ReadonlyArray<NeedsOf>)[mask] as NeedsOf)

/**
 * Runs `fn` over the inputs' values; when recording, returns the node holding its VJP. The node
 * is not yet attached to any tensor.
 */
export const record = (
  name: string,
  inputs: ReadonlyArray<Tensor>,
  fn: OpFn,
  opts: OpOptions = NO_OPTS,
): [NdArray, Node | null] => {
  const value = recordValue(name, inputs, fn, opts)
  return [value, takeRecorded()]
}

/** The node of the last {@link recordValue} (null: none recorded), until {@link takeRecorded} takes it. */
let recordedNode: Node | null = null

/** The node of the last {@link recordValue}, no longer held here (it would keep its graph alive). */
const takeRecorded = (): Node | null => {
  const n = recordedNode
  recordedNode = null
  return n
}

/** A node the numeric step does not take (see {@link leanOf}). */
const LEAN_NONE = 0
/** A direct op's node with a numeric rule, other than add's and sub's: its rule makes every gradient fresh. */
const LEAN_FRESH = 1
/** add's node: its numeric rule passes the incoming gradient on. */
const LEAN_ADD = 2
/** sub's node: numeric, but its first gradient may be the incoming one. */
const LEAN_SUB = 3

/**
 * The {@link OpNode._lean} of a direct op of `prim` (every input has an edge, its value computed at
 * once): numeric when the primitive has a numeric rule, the op no backward check, and its one or
 * two inputs and its output are plain one-element float arrays of one dtype and shape.
 */
const leanOf = (prim: AnyPrimitive, opts: OpOptions, values: ReadonlyArray<NdArray>, out: NdArray): number => {
  if (prim.scalarVjp === undefined || opts.backwardCheck !== undefined || values.length > 2) return LEAN_NONE
  if (out.constructor !== NdArray || out.size !== 1 || (out.dtype !== 'float32' && out.dtype !== 'float64'))
    return LEAN_NONE
  for (let i = 0; i < values.length; i++) if (!scalarLike(values[i], out)) return LEAN_NONE
  return prim === (addPrim ??= directPrimitive(lax.add))
    ? LEAN_ADD
    : prim === (subPrim ??= directPrimitive(lax.sub))
      ? LEAN_SUB
      : LEAN_FRESH
}

/** Each input's edge (none where it needs no gradient). */
const inputEdges = (inputs: ReadonlyArray<Tensor>, needs: ReadonlyArray<boolean>): Edge[] => {
  const edges = new Array<Edge>(inputs.length)
  for (let i = 0; i < inputs.length; i++) edges[i] = needs[i] ? edgeOf(inputs[i] as Tensor) : NO_EDGE
  return edges
}

/** The {@link NeedsOf} of a new node with every input's edge, of its {@link leanOf} class. */
const withLean = (
  needs: NeedsOf,
  mask: number,
  direct: AnyPrimitive | undefined,
  opts: OpOptions,
  values: ReadonlyArray<NdArray>,
  out: NdArray,
): NeedsOf => {
  const lean = direct === undefined ? LEAN_NONE : leanOf(direct, opts, values, out)
  return lean === LEAN_NONE ? needs : leanNeeds(lean, mask, values.length)
}

/** Whether every value of the last {@link inputValues} has one element (read at once by its caller). */
let oneElement = true

/**
 * The values an op's `fn` receives (a held input's matrix), raising PyTorch's TypeError naming the
 * op for a non-tensor input (bad user input, an untyped caller). NOTE: notes in {@link oneElement}
 * whether all have one element: nothing to defer then (./lazyValues takes large arrays), so its
 * checks are skipped (issue 18, W3).
 */
const inputValues = (name: string, inputs: ReadonlyArray<Tensor>, opts: OpOptions): NdArray[] => {
  const values = new Array<NdArray>(inputs.length)
  let small = true
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i]
    if (!(x instanceof Tensor)) requireTensors(name, inputs)
    const v = opts.held !== undefined && (opts.held & (1 << i)) !== 0 ? heldValue(x as Tensor) : (x as Tensor)._value()
    values[i] = v
    if (v.size !== 1) small = false
  }
  oneElement = small
  return values
}

/** {@link record}'s value; its node is left in `recordedNode` (no pair per op: op() reads it at once). */
const recordValue = (name: string, inputs: ReadonlyArray<Tensor>, fn: OpFn, opts: OpOptions): NdArray => {
  const values = inputValues(name, inputs, opts)
  const small = oneElement
  const mask = is_grad_enabled() && opts.differentiable !== false ? needMask(inputs) : 0
  if (mask === 0) {
    // NOTE: set after `fn`, which may record ops of its own (a create_graph backward's rules)
    const v = fn(...values)
    recordedNode = null
    return v
  }
  const needsOfInputs = needsOf(inputs, mask)
  const { needs, diffIdx, slot } = needsOfInputs
  const all = diffIdx.length === inputs.length
  // NOTE: an op with `grads` never reads its tape (only backwardValues does), so it is not traced;
  // out and tape are assigned, not destructured from a pair (one array fewer per recorded op)
  let out: NdArray
  let tape: ArrayTape | AnyPrimitive | null = null
  const direct = opts.grads !== undefined ? undefined : recordDirect(fn, values)
  const lazy = small ? undefined : lazyOf(direct, opts, values)
  if (lazy !== undefined) {
    out = lazy
    tape = direct ?? null
  } else if (opts.grads !== undefined) out = fn(...values)
  else if (direct !== undefined) {
    out = direct.impl(values, NO_PARAMS) as NdArray
    tape = direct
  } else {
    const traced = traceArrays(
      all
        ? fn
        : (...d: NdArray[]): NdArray =>
            fn(...values.map((v, i) => ((slot[i] as number) >= 0 ? (d[slot[i] as number] as NdArray) : v))),
      all ? values : diffIdx.map((i) => values[i] as NdArray),
    )
    out = traced[0]
    tape = traced[1]
  }
  if (!isFloat(out.dtype)) {
    recordedNode = null
    return out
  }
  const edges = inputEdges(inputs, needs)
  const keep = edgeInputs(inputs.length, opts, needs)
  const kind =
    keep === null && lazy === undefined ? withLean(needsOfInputs, mask, direct, opts, values, out) : needsOfInputs
  const node =
    keep === null
      ? new OpNode(name, values, fn, opts, kind, tape, out, edges)
      : new OpNodeSomeEdges(name, values, fn, opts, kind, tape, out, edges, keep)
  saveOn(node, inputs, opts, needs)
  if (lazy !== undefined) noteDeferred(node)
  recordedNode = node
  return out
}

/** Saves on a new op's node the tensors PyTorch's node saves (`saves`, `savesTensors`). */
const saveOn = (node: OpNode, inputs: ReadonlyArray<Tensor>, opts: OpOptions, needs: ReadonlyArray<boolean>): void => {
  const saves = typeof opts.saves === 'function' ? opts.saves(needs) : opts.saves
  if (saves !== undefined && saves.length > 0) {
    node._saved = savedInputs(inputs, saves)
    if (onSaved !== null) onSaved(node._saved)
  }
  if (opts.savesTensors !== undefined && opts.savesTensors.length > 0) node._save(...opts.savesTensors.map(saveRef))
}

/** The deferred value of a recorded op (./lazyValues), or undefined: computed at once. */
const lazyOf = (
  direct: AnyPrimitive | undefined,
  opts: OpOptions,
  values: ReadonlyArray<NdArray>,
): NdArray | undefined => {
  if (direct !== undefined) return lazyValue(direct, NO_PARAMS, values)
  const call = opts.lazy?.(values)
  return call === undefined ? undefined : lazyValue(call[0], call[1], values)
}

/** What the fused backward (./fusedBlocks) reads of a facade op's node. */
export interface OpNodeParts {
  readonly _values: ReadonlyArray<NdArray>
  readonly _out: NdArray
  readonly _needs: { readonly needs: ReadonlyArray<boolean> }
  readonly _opts: OpOptions
  readonly _edgeInputs: ReadonlyArray<number> | null
}

/** The parts of `n` when it is a facade op's node still able to run its backward; else undefined. */
export const opNodeParts = (n: Node): OpNodeParts | undefined =>
  n instanceof OpNode && n._backward === opBackward ? n : undefined

/**
 * The context the rule of a direct op's equation receives (one, refilled per call: a rule reads it
 * and returns, and runs no facade backward of its own, so calls never overlap).
 */
const directCtx: {
  -readonly [K in keyof VjpContext<ReadonlyArray<NdArray>, unknown>]: VjpContext<ReadonlyArray<NdArray>, unknown>[K]
} = { inputs: NO_VALUES, output: lax.scalar(0, 'float32'), params: NO_PARAMS, needs: [], residuals: undefined }
const NO_OUTPUT = directCtx.output

/** A node's backward without create_graph: the VJP over values, outside the graph. */
const backwardValues = (node: OpNode, gOut: Tensor): Array<Tensor | null> => {
  const tape = node._tape
  if (tape !== null && isDirect(tape)) {
    // the rule of the one equation (the engine runs backward passes in no_grad)
    const { needs, diffIdx } = node._needs
    const ctx = directCtx
    ctx.inputs = node._values
    ctx.output = node._out
    ctx.needs = needs
    let xBars: ReturnType<typeof tape.vjp>
    try {
      // one-element operands: the rule on numbers (./scalarGrads; hooked nodes: as before)
      const lean = node._hooked ? undefined : scalarGrads(node, tape, gOut._value(), ctx)
      if (lean !== undefined) return lean
      xBars = tape.vjp(ctx, cast(gOut._value(), node._out.dtype))
    } finally {
      // the context holds no node's values between backward steps
      ctx.inputs = NO_VALUES
      ctx.output = NO_OUTPUT
    }
    const result = nullSlots(node._values.length)
    // NOTE: a gradient that is the incoming one's value (add's, sub's) is the incoming tensor, as
    // layOutGrads would make it, without a tensor made for it first (hooked nodes: as before)
    const gv = gOut._value()
    const same = !node._hooked && passesOn(node)
    for (let k = 0; k < diffIdx.length; k++) {
      const i = diffIdx[k] as number
      const x = xBars[i]
      result[i] =
        same && x === gv
          ? gOut
          : Tensor._fromValue(x === undefined || isZero(x) ? zerosLike(node._values[i] as NdArray) : x)
    }
    return result
  }
  const result = nullSlots(node._values.length)
  const primals = node._diffIdx.map((i) => node._values[i] as NdArray)
  const cts = no_grad(() => pullArrays(tape, primals, cast(gOut._value(), node._out.dtype)))
  node._diffIdx.forEach((i, k) => {
    result[i] = Tensor._fromValue(cts[k] as NdArray)
  })
  return result
}

/** A node's backward under create_graph through its op's {@link OpOptions.formula}. */
const backwardFormula = (
  node: OpNode,
  gOut: Tensor,
  formula: NonNullable<OpOptions['formula']>,
): Array<Tensor | null> => {
  const values = logicalValues(node)
  const aliases = inputAliases(node._inputEdges, values, node._diffIdx)
  const inputs = values.map((v, i) => {
    const k = node._slot[i] as number
    return k >= 0 ? (aliases[k] as Tensor) : Tensor._fromValue(v)
  })
  const output = (): Tensor => {
    const s = Tensor._fromValue(node._out)
    s._gradFn = node
    return s
  }
  const r = formula(gOut, inputs, output)
  return node._values.map((_, i) => ((node._slot[i] as number) >= 0 ? (r[i] ?? null) : null))
}

/**
 * A node's backward under create_graph: the primitives' VJP rules run on this node's saved
 * inputs and gOut wrapped as tracers of a TensorLevel, so each primitive they bind is a facade op
 * (named as PyTorch's formulas name theirs) and the gradients are in the graph.
 */
const backwardRecorded = (node: OpNode, gOut: Tensor): Array<Tensor | null> => {
  const { _slot: slot, _opts: opts } = node
  const values = logicalValues(node)
  const result = nullSlots(values.length)
  const aliases = inputAliases(node._inputEdges, values, node._diffIdx)
  const made = new Set<Node>()
  const apply: typeof op = (n, xs, f) => {
    const r = op(n, xs, f)
    if (r._gradFn !== null) made.add(r._gradFn)
    return r
  }
  const scalars = opts.scalars ?? []
  return withLevel(backwardLevel(apply), (level) => {
    const consts = values.map((v, i) =>
      (slot[i] as number) >= 0 || scalars.includes(i) || !isFloat(v.dtype) ? v : level.wrap(Tensor._fromValue(v)),
    )
    const h = (...d: NdArray[]): NdArray =>
      node._fn(...consts.map((v, i) => ((slot[i] as number) >= 0 ? (d[slot[i] as number] as NdArray) : v)))
    const yBar = cast(level.wrap(gOut), node._out.dtype)
    const cts = vjp(h, ...aliases.map((a) => level.wrap(a)))[1](yBar)
    node._diffIdx.forEach((i, k) => {
      const r = level.unwrap(cts[k] as NdArray)
      if (opts.gradName !== undefined && r._gradFn !== null && made.has(r._gradFn)) r._gradFn._name = opts.gradName
      result[i] = r
    })
    return result
  }).map((r) => (r === null ? null : linkGrad(node, aliases, r)))
}

/**
 * The gradient `g` of a node with `gradLink`, connected to the saved tensor PyTorch's formula
 * reads (value unchanged; its derivative with respect to that tensor is 0), when `g` is not
 * already in the graph.
 */
const linkGrad = (node: OpNode, aliases: ReadonlyArray<Tensor>, g: Tensor): Tensor => {
  const link = node._opts.gradLink
  if (link === undefined || g.requires_grad) return g
  let s: Tensor
  if (link.of === 'output') {
    s = Tensor._fromValue(node._out)
    s._gradFn = node
  } else {
    const k = node._slot[link.of] as number
    if (k < 0) return g
    s = aliases[k] as Tensor
  }
  if (!s.requires_grad) return g
  if (link.via !== undefined) s = op(link.via, [s], (v) => lax.sign(v))
  const keep = (v: NdArray, w: NdArray): NdArray =>
    lax.select(lax.broadcastTo(lax.scalar(1, 'bool'), v.shape), v, lax.broadcastTo(lax.cast(w, v.dtype), v.shape))
  return op(link.name, [g, s], keep)
}

/** Attaches `node` as `t`'s grad_fn (moving a retain_grad registration along). */
const setGradFn = (t: Tensor, node: Node | null): void => {
  const old = t._gradFn
  if (t._retains && old !== null && node !== null && old !== node) {
    const i = old._retained.indexOf(t)
    if (i >= 0) old._retained.splice(i, 1)
    node._retained.push(t)
  }
  t._gradFn = node
  t._outputNr = 0
}

/**
 * An out-of-place facade op: runs `fn` on the inputs' values and, when recording, gives the
 * result a grad_fn called `name` (PyTorch's node name, e.g. `MulBackward0`).
 * @category torch @since 0.1.0
 */
export const op = (name: string, inputs: ReadonlyArray<Tensor>, fn: OpFn, opts: OpOptions = NO_OPTS): Tensor => {
  if (metaInUse()) checkSameDevice(inputs)
  const value = recordValue(name, inputs, fn, opts)
  const node = takeRecorded()
  const t = Tensor._fromValue(value)
  if (node !== null) {
    t._gradFn = node
    if (opts.savesOutput) node._save({ tensor: t, version: 0, output: name })
  }
  if (fwdState.level >= 0) forwardOp(name, inputs, fn, [t])
  return t
}

/** The TensorLevel of a create_graph backward: the rules' primitives run as facade ops (`apply`, {@link opMulti}). */
const backwardLevel = (apply: ApplyOp): TensorLevel => new TensorLevel(apply, Tensor._fromValue, opMulti)

/**
 * An out-of-place facade op with several outputs (see ./multiOutput.ts): when recording, one
 * node called `name` (`LinalgSvdBackward0`) is the grad_fn of every float output, each output
 * tensor knowing which output of it it is.
 * @category torch @since 0.2.0
 */
export const opMulti = (
  name: string,
  inputs: ReadonlyArray<Tensor>,
  fn: MultiOpFn,
  opts: MultiOpOptions = {},
): Tensor[] => {
  if (metaInUse()) checkSameDevice(inputs)
  const [values, node] = recordMulti(name, inputs, fn, inputs.map(edgeOf), () => backwardLevel(op), opts)
  const outs = values.map((v, k) => {
    const t = Tensor._fromValue(v)
    if (node !== null && isFloat(v.dtype)) {
      t._gradFn = node
      t._outputNr = k
      // PyTorch's decomposition nodes save their results (U, S, Vh; eigenvalues, eigenvectors; …)
      if (opts.savesOutputs?.includes(k) ?? true) node._save({ tensor: t, version: 0, output: name, outputNr: k })
    }
    return t
  })
  if (node !== null && opts.savesInputs !== undefined) node._save(...savedInputs(inputs, opts.savesInputs))
  if (fwdState.level >= 0) forwardOp(name, inputs, fn, outs)
  return outs
}

/** Views whose PyTorch gradient is one backward op (`select_backward`, `slice_backward`). */
const VIEW_GRAD_NAMES: Readonly<Record<string, string>> = {
  SelectBackward0: 'SelectBackwardBackward0',
  SliceBackward0: 'SliceBackwardBackward0',
  DiagonalBackward0: 'DiagonalBackwardBackward0',
  UnfoldBackward0: 'UnfoldBackwardBackward0',
}

/**
 * The formula of a view whose PyTorch gradient is one backward op over the incoming gradient
 * (`select_backward(grad, sizes, dim, index)`): one node `name` whose only edge is the gradient's,
 * computing the view's pullback.
 */
const viewGradFormula =
  (name: string, step: ViewStep): NonNullable<OpOptions['formula']> =>
  (g, [x]) => {
    const xv = (x as Tensor)._value()
    return [op(name, [g], (gv) => vjp(step.fwd, xv)[1](lax.cast(gv, xv.dtype))[0] as NdArray)]
  }

/**
 * The options of a view op's node: PyTorch's formula for create_graph, and the view's gradient
 * computed directly by its {@link ViewStep.pull} where it has one (so recording the view traces
 * nothing: a select or narrow recorded through a trace allocated ~5 KB).
 */
const viewOptions = (step: ViewStep, withFormula = true): OpOptions => {
  const formula = !withFormula
    ? undefined
    : (step.formula ??
      (VIEW_GRAD_NAMES[step.name] === undefined
        ? undefined
        : viewGradFormula(VIEW_GRAD_NAMES[step.name] as string, step)))
  const pull = step.pull
  if (pull === undefined) return formula === undefined ? NO_OPTS : { formula }
  const grads: OpOptions['grads'] = (g, [x]) => [Tensor._fromValue(pull(g, x as NdArray))]
  return formula === undefined ? { grads } : { formula, grads }
}

/**
 * A view op: the result shares `x`'s storage and version counter and reads through `step`;
 * in-place ops on it write back into `x` (PyTorch's differentiable views).
 * @category torch @since 0.1.0
 */
export const viewOp = (x: Tensor, step: ViewStep, strides: ReadonlyArray<number>, held = false): Tensor => {
  // NOTE: a held view (see heldMatrixOf) computes no value here: its node keeps x's value as its
  // output, which its backward reads for the dtype only (its gradient is its `pull`, its create_graph
  // gradient its formula)
  const [value, node] = record(step.name, [x], held ? sameValue : step.fwd, viewOptions(step))
  const out = new Tensor(x)
  out._path = [...x._path, step]
  out._strides = strides
  out._base = x._base ?? x
  out._baseLen = x._base === null ? x._path.length : x._baseLen
  out._gradFn = node
  // `value` is step.fwd of x's value, which is x's path applied to the storage's current array
  if (!held) out._seedValue(value)
  out._noGradView = !is_grad_enabled() || x._noGradView
  out._regenerate = out._noGradView ? noGradViewRebased : is_grad_enabled() ? regenerateViewGradFn : null
  out._viewVersion = out._counter.v
  if (x._multiOutput !== null && node !== null) {
    out._multiOutput = 0
    if (customFunctionViews.has(x)) customFunctionViews.add(out)
  }
  if (node === null && is_grad_enabled() && untrackedMultiOutput.has(x)) untrackedMultiOutput.add(out)
  if (fwdState.level >= 0) forwardView(x, step, out)
  return out
}

const sameValue = (v: NdArray): NdArray => v

/**
 * Outputs of a multi-output view op made in grad mode of a base that did not require grad (and
 * views of them): PyTorch marks them `MULTI_OUTPUT_NODE` anyway, so an in-place op that makes
 * one require grad is refused (checked by commitInplace).
 */
const untrackedMultiOutput = new WeakSet<Tensor>()

/** Marks the outputs of a multi-output view op (split, chunk, unbind) that autograd recorded. */
export const markMultiOutput = (views: ReadonlyArray<Tensor>): Tensor[] =>
  views.map((v, i) => {
    if (v._gradFn !== null) v._multiOutput = i
    else if (is_grad_enabled()) untrackedMultiOutput.add(v)
    return v
  })

const MULTI_OUTPUT_TAIL =
  'This view is the output of a function that returns multiple views. Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one.'

const CUSTOM_FUNCTION_TAIL =
  'This view was created inside a custom Function (or because an input was returned as-is) and the autograd logic to handle view+inplace would override the custom backward associated with the custom Function, leading to incorrect gradients. This behavior is forbidden. You can fix this by cloning the output of the custom Function.'

/**
 * Views made by a custom Function returning its input as-is, its only differentiable output
 * (PyTorch's `CreationMeta::IN_CUSTOM_FUNCTION`; with several such outputs they are multi-output
 * views): `_multiOutput` is set on them too, and in-place ops refuse them with this tail.
 */
const customFunctionViews = new WeakSet<Tensor>()

/** Marks `t` (a view with `_multiOutput` set) as made inside a custom Function. */
export const markCustomFunctionView = (t: Tensor): void => {
  customFunctionViews.add(t)
}

/** The second sentence of the refusal of an in-place op on a multi-output or custom-Function view. */
const viewTail = (t: Tensor): string => (customFunctionViews.has(t) ? CUSTOM_FUNCTION_TAIL : MULTI_OUTPUT_TAIL)

/**
 * The view steps from a view's base's current value to the view's value. In-place view ops
 * (`t_`, `squeeze_`, …) on the base since the view was made appended bijective steps to the
 * base's path; they are undone first.
 */
export const relSteps = (t: Tensor): ViewStep[] => {
  const base = t._base as Tensor
  const own = t._path.slice(t._baseLen)
  const extra = base._path.slice(t._baseLen)
  // NOTE: a base whose path was replaced (`base.data = …`) has no steps to undo: as before
  if (base._path.length < t._baseLen || extra.some((s) => s.back === undefined)) return t._path.slice(base._path.length)
  return [...extra.reverse().map((s) => s.back as ViewStep), ...own]
}

/**
 * Recomputes a view's grad_fn after its base changed in place: one node over the base, named
 * `AsStridedBackward0` as PyTorch's regenerated view nodes are.
 */
export const regenerateViewGradFn = (t: Tensor): void => {
  const base = t._base as Tensor
  if (t._multiOutput !== null && base.requires_grad && t._gradFn !== null) {
    throw new RuntimeError(
      `Output ${t._multiOutput} of ${t._gradFn.name()} is a view and its base or another view of its base has been modified inplace. ${viewTail(t)}`,
    )
  }
  t._viewVersion = t._counter.v
  if (!base.requires_grad) {
    t._gradFn = null
    return
  }
  const rel = relSteps(t)
  enable_grad(() => {
    const [, node] = record('AsStridedBackward0', [base], (x) => rel.reduce((v, s) => s.fwd(v), x))
    setGradFn(t, node)
  })
}

const NO_GRAD_VIEW_INPLACE =
  "A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked)."

const NO_GRAD_VIEW_REBASED =
  "A view was created in no_grad mode and its base or another view of its base has been modified inplace with grad mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked)."

/**
 * The grad_fn of a view made in no_grad mode once its storage was modified in place (in any grad
 * mode): PyTorch refuses to rebuild it when the base requires grad (its grad_fn, is_leaf, and any
 * op taking the view raise).
 */
const noGradViewRebased = (t: Tensor): void => {
  if ((t._base as Tensor).requires_grad) throw new RuntimeError(NO_GRAD_VIEW_REBASED)
}

const OVERLAP_ERROR =
  'unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.'

/** True when a tensor repeats a memory location (a stride-0 dimension of size > 1: PyTorch's `MemOverlap::Yes`). */
export const hasInternalOverlap = (t: Tensor): boolean =>
  t._strides.some((s, i) => s === 0 && (t._value().shape[i] as number) > 1)

/**
 * PyTorch's checks before an in-place op (overlap; leaf and view-of-leaf under grad mode).
 * `overlapOk`: the op writes one value everywhere (`fill_`, `zero_`), so its kernel skips the
 * overlap check, as PyTorch's fill does.
 */
export const checkInplace = (t: Tensor, overlapOk = false): void => {
  if (is_grad_enabled() && t._multiOutput !== null && t._gradFn !== null) {
    throw new RuntimeError(
      `Output ${t._multiOutput} of ${t._gradFn.name()} is a view and is being modified inplace. ${viewTail(t)}`,
    )
  }
  // PyTorch's autograd checks the leaf before the kernel checks for overlap (seed 30565)
  checkInplaceLeaf(t)
  if (!overlapOk && hasInternalOverlap(t)) throw new RuntimeError(OVERLAP_ERROR)
}

/**
 * PyTorch's `handle_view_on_rebase` for an in-place op whose result requires grad on a view
 * without a gradient edge: a no_grad view, or a multi-output view of a base that needs no grad.
 */
const checkInplaceGrowsGrad = (t: Tensor): void => {
  if (!is_grad_enabled() || t._gradFn !== null) return
  if (untrackedMultiOutput.has(t))
    throw new RuntimeError(
      `A view was created in no_grad mode and is being modified inplace with grad mode enabled. ${MULTI_OUTPUT_TAIL}`,
    )
  if (t._noGradView) throw new RuntimeError(NO_GRAD_VIEW_INPLACE)
}

/** PyTorch's `check_inplace`: leaf and view-of-leaf errors under grad mode. */
const checkInplaceLeaf = (t: Tensor): void => {
  if (!is_grad_enabled()) return
  if (t._noGradView && t.requires_grad) throw new RuntimeError(NO_GRAD_VIEW_INPLACE)
  // a view's node field as it stands, before the grad_fn getter rebuilds it (checked first)
  const stale = t._base !== null && t._gradFn === null
  if (t._base === null && t.is_leaf && t._flag)
    throw new RuntimeError('a leaf Variable that requires grad is being used in an in-place operation.')
  const b = t._base
  if (b !== null && b.is_leaf && b._flag)
    throw new RuntimeError('a view of a leaf Variable that requires grad is being used in an in-place operation.')
  // PyTorch's is_leaf reads the view's grad_fn field without rebuilding it: a view made while its
  // base needed no grad still has none after an in-place op made the base require grad (until its
  // grad_fn is read), so check_inplace takes it for a leaf (VariableTypeUtils.h, 1.13 and 2.x)
  if (stale && b !== null && t._multiOutput === null && b.requires_grad)
    throw new RuntimeError('a leaf Variable that requires grad is being used in an in-place operation.')
}

/**
 * An in-place view op (`t_`, `transpose_`, `squeeze_`, `unsqueeze_`): `t` itself now reads its
 * storage through one more step (which must carry its inverse in `back`), its version is bumped
 * and its grad_fn is the op's node over its previous one, as PyTorch's. A tensor that was not a
 * view stays none; writes to views made from `t` before keep reaching the right elements.
 * @category torch @since 0.1.0
 */
export const inplaceViewOp = (t: Tensor, step: ViewStep, strides: ReadonlyArray<number>): Tensor => {
  checkInplaceLeaf(t)
  // NOTE: no formula here (create_graph runs the rule over the view's primitives, as before)
  const [, node] = record(step.name, [t], step.fwd, viewOptions(step, false))
  t._setView([...t._path, step], strides)
  t._bump()
  if (node !== null) {
    setGradFn(t, node)
    if (t._base !== null) t._viewVersion = t._counter.v
  }
  return t
}

const category = (d: DType): number => (d === 'bool' ? 0 : isInteger(d) ? 1 : 2)

/**
 * Commits an in-place op: `r` is the op computed out of place from `t`'s current value (its
 * node, if any, has `t`'s old grad_fn as input edge), of `t`'s shape (PyTorch's error otherwise:
 * a broadcasting operand never grows `t`). The value is written into `t`'s storage
 * (through views), the version counter bumped, and `t`'s grad_fn rebased on r's node — or, for
 * a view, its base's grad_fn on a `CopySlices` node — as PyTorch's in-place ops do.
 * @category torch @since 0.1.0
 */
export const commitInplace = (t: Tensor, r: Tensor): Tensor => {
  const tv = t._value()
  const rv = inplaceValue(tv, r._value())
  checkOutputShape(tv.shape, rv.shape)
  if (category(rv.dtype) > category(tv.dtype)) {
    throw new RuntimeError(
      `result type ${fromStorage(rv.dtype).word} can't be cast to the desired output type ${fromStorage(tv.dtype).word}`,
    )
  }
  const node = r._gradFn
  if (node !== null) checkInplaceGrowsGrad(t)
  if (fwdState.level >= 0) forwardInplace(t, r, t._base, t._base === null ? [] : relSteps(t))
  // PyTorch keeps a copy of the original self where its backward needs it (no version check on
  // it); a saved output becomes `t` at its new version
  const fixSaved = (): void => {
    if (node === null) return
    // the copy still counts as saved: freed by a backward, so a second one raises
    if (node._saved.some((s) => s.tensor === t)) node._releaseAlways = true
    // only `self` is copied: `t` saved as another operand too (`x.div_(x)`) is `t` itself, whose
    // version the in-place op moves on, so its backward raises as PyTorch's does
    const self = Math.min(...node._saved.map((s) => (s.tensor === t ? (s.input ?? -1) : Infinity)))
    node._saved = node._saved
      .filter((s) => s.tensor !== t || (s.input ?? -1) !== self)
      .map((s) => (s.tensor === r ? { ...s, tensor: t, version: t._counter.v } : s))
  }
  const base = t._base
  if (node === null || base === null) {
    t._write(cast(rv, tv.dtype))
    t._bump()
    if (node !== null) setGradFn(t, node)
    fixSaved()
    return t
  }
  const rel = relSteps(t)
  /** `bv` with the view's region replaced by `nv`. */
  const h = (bv: NdArray, nv: NdArray): NdArray => {
    const xs: NdArray[] = [bv]
    for (const s of rel) xs.push(s.fwd(xs[xs.length - 1] as NdArray))
    let y = cast(nv, tv.dtype)
    for (let k = rel.length - 1; k >= 0; k--) y = (rel[k] as ViewStep).inv(xs[k] as NdArray, y)
    return y
  }
  const cs = copySlices(base, rel, node, h, hasInternalOverlap(t))
  base._write(h(base._value(), rv))
  base._bump()
  setGradFn(base, cs)
  fixSaved()
  cs._saved = node._saved
  return t
}

/**
 * @internal Rebases the history of a view `t`, already changed in place (its new values written
 * through to its base), onto `node`: its base's grad_fn becomes a `CopySlices` over `node`, as
 * PyTorch does for a custom Function's input marked dirty (`ctx.mark_dirty`) that is a view.
 */
export const rebaseView = (t: Tensor, node: Node): void => {
  const base = t._base as Tensor
  const dtype = t._value().dtype
  const rel = relSteps(t)
  const h = (bv: NdArray, nv: NdArray): NdArray => {
    const xs: NdArray[] = [bv]
    for (const s of rel) xs.push(s.fwd(xs[xs.length - 1] as NdArray))
    let y = cast(nv, dtype)
    for (let k = rel.length - 1; k >= 0; k--) y = (rel[k] as ViewStep).inv(xs[k] as NdArray, y)
    return y
  }
  const cs = copySlices(base, rel, node, h, hasInternalOverlap(t))
  setGradFn(base, cs)
  cs._saved = node._saved
  regenerateViewGradFn(t)
}

/**
 * PyTorch's `CopySlices`: the base's node after an in-place op `fn` on one of its views (an
 * `overlapping` view's backward raises, as PyTorch's copy into it does). Its
 * inputs are the base's previous gradient edge and `fn`'s other inputs (fn's first input, the
 * view's old node, is replaced by the base). Backward runs `fn` on the view's region of the
 * gradient and writes fn's first result back into that region. Like PyTorch's, it drops `fn`
 * after a backward without retain_graph, so a second one raises.
 */
const copySlices = (
  base: Tensor,
  rel: ReadonlyArray<ViewStep>,
  fn: Node,
  h: (bv: NdArray, nv: NdArray) => NdArray,
  overlapping: boolean,
): Node => {
  const cs = new Node('CopySlices', [edgeOf(base), ...fn.next_functions.slice(1)])
  cs._releaseAlways = true
  cs._backward = (gOut, createGraph) => {
    if (fn._backward === null) throw new RuntimeError(ERR_BACKWARD_TWICE)
    // PyTorch copies the op's gradient into the view's geometry of the base's gradient: refused
    // (the kernel's overlap check) when the view repeats a location (`fill_` of an expand)
    if (overlapping) throw new RuntimeError(OVERLAP_ERROR)
    const slice = op('AsStridedBackward0', [gOut], (g) => rel.reduce((v, s) => s.fwd(v), g))
    const res = fn._backward(slice, createGraph)
    const r0 = res[0] ?? null
    const gBase =
      cs.next_functions[0]?.[0] === null
        ? null
        : r0 === null
          ? op('CopySlices', [gOut], (g) => h(g, lax.zerosLike(slice._value())))
          : op('CopySlices', [gOut, r0], h)
    return [gBase, ...res.slice(1)]
  }
  return cs
}

/** Runs a node's backward, checking saved versions first (PyTorch's SavedVariable::unpack). */
export const applyNode = (
  node: Node,
  gradOuts: ReadonlyArray<Tensor | null>,
  createGraph: boolean,
): ReadonlyArray<Tensor | null> => {
  // a multi-output op (opMulti) may have one output: it still has only _backwardAll
  const multi = node._numOutputs > 1 || (node._backward === null && node._backwardAll !== null)
  if (node._released || (multi ? node._backwardAll : node._backward) === null)
    throw new RuntimeError(ERR_BACKWARD_TWICE)
  checkSaved(node)
  if (multi) return (node._backwardAll as BackwardAllFn)(gradOuts, createGraph)
  return (node._backward as BackwardFn).call(node, gradOuts[0] as Tensor, createGraph)
}

/** Unpacks a node's saved tensors (saved-tensor hooks) and checks their versions, before its backward runs. */
const checkSaved = (node: Node): void => {
  const saved = node._saved
  if (onUnpack !== null && saved.length > 0) onUnpack(saved)
  for (let k = 0; k < saved.length; k++) {
    const s = saved[k] as SavedRef
    const cur = s.tensor._versionNow()
    if (cur !== s.version) {
      const shape = s.tensor._value().shape
      // a saved output names its node and its place among the outputs; a saved input names its
      // current grad_fn with output number 0 (PyTorch records the number for outputs only)
      const fnName = s.output ?? s.tensor.grad_fn?.name() ?? null
      throw new RuntimeError(
        `one of the variables needed for gradient computation has been modified by an inplace operation: [${s.tensor.dtype.typeName} [${shape.join(', ')}]]${fnName !== null ? `, which is output ${s.outputNr ?? 0} of ${fnName},` : ''} is at version ${cur}; expected version ${s.version} instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).`,
      )
    }
  }
}

/**
 * The backward step of a bare facade-op node (no hooks: the engine's plain step) recorded as one
 * primitive with a numeric rule, on one-element operands, from its incoming gradient `g` (a tensor,
 * or the number of a gradient of the output's dtype and shape): the numbers of its input
 * gradients, left in `scalarOut` (./scalarGrads), after applyNode's checks (saved-tensor hooks,
 * versions). False, having run nothing, where the numeric path does not apply or a gradient would
 * be the incoming one or zero (their identity matters: the caller runs applyNode).
 */
export const numericStep = (n: Node, g: Tensor | number): boolean => {
  if (!(n instanceof OpNode)) return false
  const lean = n._lean
  if (lean === LEAN_NONE || n._backward !== opBackward) return false
  let yBar: number
  if (typeof g === 'number') yBar = g
  else {
    const gv = g._value()
    if (!scalarLike(gv, n._out)) return false
    yBar = gv._data[0] as number
  }
  // NOTE: add's numeric rule passes the incoming gradient on (never a fresh number): not run for it
  const ok = lean === LEAN_ADD ? passesAddOn(n) : numbersOf(n, n._tape as AnyPrimitive, yBar)
  if (ok) checkSaved(n)
  return ok
}

/** {@link operandNumbers} of a numeric node `n` of primitive `prim` from its incoming gradient's number. */
const numbersOf = (n: OpNode, prim: AnyPrimitive, yBar: number): boolean => {
  const ctx = directCtx
  ctx.inputs = n._values
  ctx.output = n._out
  ctx.needs = n._needs.needs
  try {
    return operandNumbers(n, prim.scalarVjp as NonNullable<AnyPrimitive['scalarVjp']>, yBar, ctx)
  } finally {
    ctx.inputs = NO_VALUES
    ctx.output = NO_OUTPUT
  }
}

/**
 * True (`scalarOut.passOn` set) for a plain `AddBackward0` of one-element operands: its array rule
 * gives each input the incoming gradient's array itself, which the layout makes the incoming
 * tensor (backwardValues, passedOn): the engine passes that tensor on without running the rule.
 */
const passesAddOn = (n: OpNode): boolean => {
  if (!passesOn(n)) return false
  scalarOut.diffIdx = n._needs.diffIdx
  scalarOut.passOn = true
  return true
}
let addPrim: AnyPrimitive | undefined
let subPrim: AnyPrimitive | undefined

/**
 * True for a facade op's node that consumes a gradient passed on to it: its backward is one direct
 * primitive's numeric rule on one-element operands, other than add's and sub's, whose array rule
 * computes every input gradient fresh (never the incoming array itself), so no tensor identity flows
 * past it (a number may stand for the tensor an AddBackward0 would pass it: ./engine.ts passedOnGrads).
 */
export const consumesGrad = (n: Node): boolean =>
  n instanceof OpNode && n._lean === LEAN_FRESH && n._backward === opBackward

/**
 * The one-element output value of a facade op's node (undefined for other nodes): a gradient of
 * its dtype and shape may be kept as a number in its buffer (./engine.ts).
 */
export const scalarOutOf = (n: Node): NdArray | undefined =>
  n instanceof OpNode && n._out.size === 1 ? n._out : undefined

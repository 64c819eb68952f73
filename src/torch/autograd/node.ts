/**
 * Graph nodes (`grad_fn`): one per recorded facade op, with PyTorch's name, its input edges
 * (`next_functions`), the (tensor, version) pairs PyTorch's node would save, and a backward
 * closure holding the primitive VJP rules. `AccumulateGrad` nodes end the edges of leaves.
 *
 * @category torch
 * @since 0.1.0
 */
import type { Tensor } from '../tensor'
import type { Layout } from './iterLayout'

/** A saved tensor and the version it had when saved (for the in-place check). */
export interface SavedRef {
  readonly tensor: Tensor
  readonly version: number
  /** For a saved output: the name of the node that produced it (inputs print their current grad_fn). */
  readonly output?: string
  /** For a saved output: which output of that node it is (0 where absent). */
  readonly outputNr?: number
  /** For a saved input of a facade op: its position among the op's inputs. */
  readonly input?: number
}

/** @internal Called with the refs a node saves while saved-tensor hooks are active (set by savedHooks.ts). */
export let onSaved: ((refs: ReadonlyArray<SavedRef>) => void) | null = null
/** @internal Called with a node's saved refs before its backward once any were packed (set by savedHooks.ts). */
export let onUnpack: ((refs: ReadonlyArray<SavedRef>) => void) | null = null
/** @internal Installs the saved-tensor hooks' callbacks. */
export const setSavedCallbacks = (saved: typeof onSaved, unpack: typeof onUnpack): void => {
  onSaved = saved
  onUnpack = unpack
}

/** A gradient hook on a tensor or node: may return a replacement gradient. */
export type GradHook = (grad: Tensor) => Tensor | void | undefined | null

/**
 * The handle `register_hook` / `register_prehook` of a tensor or node return (also
 * `torch.utils.hooks.RemovableHandle`). @category torch @since 0.1.0
 */
export class RemovableHandle {
  /** @internal The id the next handle gets. */
  static next_id = 0
  /** This registration's id (unique among handles, increasing, as PyTorch's). */
  readonly id: number
  /** @internal True once `remove` ran. */
  private removed = false
  /** @internal */
  constructor(
    private readonly list: unknown[],
    private readonly hook: unknown,
  ) {
    this.id = RemovableHandle.next_id++
  }
  /** Unregisters the hook; a second call does nothing (even when the same function was registered twice). */
  remove(): void {
    if (this.removed) return
    this.removed = true
    const i = this.list.indexOf(this.hook)
    if (i >= 0) this.list.splice(i, 1)
  }
  /** Python's `with handle:` entry: returns the handle. */
  __enter__(): this {
    return this
  }
  /** Python's `with` exit: removes the hook (exception arguments are accepted and ignored). */
  __exit__(..._excInfo: unknown[]): void {
    this.remove()
  }
}

let nextSeq = 0

/**
 * @internal `n` nulls in a new packed array (`new Array(n).fill(null)` makes a holey one first: it
 * cost a tenth of a long chain's backward, where n is 1 or 2).
 */
export const nullSlots = (n: number): Array<Tensor | null> =>
  n === 1 ? [null] : n === 2 ? [null, null] : new Array<Tensor | null>(n).fill(null)

/** The saved list of a node that saved nothing (shared). */
const NO_SAVED: ReadonlyArray<SavedRef> = Object.freeze([])

/** What a node makes on first use: its hook lists, retain_grad list and metadata. */
interface NodeExtras {
  hookOutput?: Map<GradHook, number>
  tensorHooks?: GradHook[]
  retained?: Tensor[]
  preHooks?: PreHook[]
  postHooks?: PostHook[]
  metadata?: Record<string, unknown>
  numOutputs?: number
  backwardAll?: BackwardAllFn | null
  perm?: ReadonlyArray<number> | null
  colMajor?: ReadonlyArray<boolean> | null
  releaseAlways?: boolean
  iter?: ReadonlyArray<Layout> | null
  released?: boolean
  joined?: Joined | null
  freshStrides?: ReadonlyArray<number> | null
  rot90?: Rot90 | null
  gradVersions?: ReadonlyArray<number | undefined> | null
}

/** A `rot90` node's gradient: `grad.rot90(k)` in the plane of dims (a, b), as [k, a, b] (gradLayout.ts). */
export type Rot90 = readonly [number, number, number]

/** How `cat`/`stack` joined their inputs: along `dim`, a new dimension for `stack` (gradLayout.ts). */
export interface Joined {
  readonly dim: number
  readonly stack: boolean
}

/** A node pre-hook: may replace the gradients the node receives. */
export type PreHook = (gradOutputs: ReadonlyArray<Tensor | null>) => ReadonlyArray<Tensor | null> | void
/** A node post-hook: may replace the gradients the node computes for its inputs. */
export type PostHook = (
  gradInputs: ReadonlyArray<Tensor | null>,
  gradOutputs: ReadonlyArray<Tensor | null>,
) => ReadonlyArray<Tensor | null> | void

/** The backward function of a node: input gradients (or null) for an output gradient. */
export type BackwardFn = (this: Node, gradOutput: Tensor, createGraph: boolean) => ReadonlyArray<Tensor | null>

/**
 * The backward function of a node with several outputs (PyTorch's `LinalgSvdBackward0`, …): input
 * gradients for one gradient per output (null where no gradient reached that output).
 */
export type BackwardAllFn = (
  gradOutputs: ReadonlyArray<Tensor | null>,
  createGraph: boolean,
) => ReadonlyArray<Tensor | null>

/**
 * The node classes PyTorch defines by hand in C++ (not generated from its derivative table): their
 * `name()` is the demangled C++ name, namespace included.
 */
const QUALIFIED: ReadonlySet<string> = new Set([
  'AccumulateGrad',
  'CopySlices',
  'CopyBackwards',
  'NotImplemented',
  'Error',
])

/**
 * A node of the backward graph (PyTorch's `torch.autograd.graph.Node`): `name()`,
 * `next_functions`, `register_hook`, `register_prehook`, `metadata`.
 * @category torch @since 0.1.0
 */
export class Node {
  /** Creation order: the engine runs ready nodes newest first, as PyTorch does. */
  readonly _seq = nextSeq++
  /** @internal */ _backward: BackwardFn | null = null
  /** @internal What the node saved (a shared empty list until {@link Node._save} adds to it). */
  _saved: ReadonlyArray<SavedRef> = NO_SAVED
  /** @internal Adds saved tensors. */
  _save(...refs: SavedRef[]): void {
    this._saved = this._saved === NO_SAVED ? refs : [...this._saved, ...refs]
    if (onSaved !== null) onSaved(refs)
  }
  // NOTE: a backward pass keeps its state of a node here (not in maps: the walk over a long chain
  // then touches only the nodes), unless an enclosing pass still running owns them (engine.ts)
  /** @internal The backward pass these fields belong to (0: none). */ _passId = 0
  /** @internal That pass's count of parents yet to send this node a gradient. */ _passDeps = 0
  /**
   * @internal That pass's summed incoming gradients, one slot per output (null: none yet; a number:
   * a one-element gradient of a facade op's output dtype and shape, engine.ts).
   */
  _passBuf: Array<Tensor | number | null> | null = null
  // NOTE: the hook lists, retain_grad list, metadata and the fields few nodes set (several
  // outputs, layout facts, release rule, released flag) are made on first use, in one object: a
  // long chain of ops (10⁵ nodes) then keeps one field per node for them instead of thirteen
  private _lazy: NodeExtras | undefined = undefined
  private _lazyEdge0: readonly [Node, number] | undefined = undefined
  private get _extras(): NodeExtras {
    return (this._lazy ??= {})
  }
  /**
   * @internal For an element-wise op with a result of one or more dimensions: its inputs' layouts
   * at the forward; PyTorch's formulas lay their results out by TensorIterator's rule over the
   * incoming gradient and these (iterLayout.ts).
   */
  get _iter(): ReadonlyArray<Layout> | null {
    return this._lazy?.iter ?? null
  }
  /** @internal */
  set _iter(l: ReadonlyArray<Layout> | null) {
    if (l !== null || this._lazy !== undefined) this._extras.iter = l
  }
  /** @internal Freed by a backward without retain_graph (a second backward through it raises). */
  get _released(): boolean {
    return this._lazy?.released ?? false
  }
  /** @internal */
  set _released(b: boolean) {
    if (b || this._lazy !== undefined) this._extras.released = b
  }
  /** @internal How many outputs the node's op has (several: `_backwardAll` runs instead of `_backward`). */
  get _numOutputs(): number {
    return this._lazy?.numOutputs ?? 1
  }
  /** @internal */
  set _numOutputs(n: number) {
    if (n !== 1 || this._lazy !== undefined) this._extras.numOutputs = n
  }
  /** @internal The backward of a node with several outputs. */
  get _backwardAll(): BackwardAllFn | null {
    return this._lazy?.backwardAll ?? null
  }
  /** @internal */
  set _backwardAll(f: BackwardAllFn | null) {
    if (f !== null || this._lazy !== undefined) this._extras.backwardAll = f
  }
  /** @internal For a permuting view node (`t`, `transpose`, `permute`): the forward permutation (gradLayout.ts). */
  get _perm(): ReadonlyArray<number> | null {
    return this._lazy?.perm ?? null
  }
  /** @internal */
  set _perm(p: ReadonlyArray<number> | null) {
    if (p !== null || this._lazy !== undefined) this._extras.perm = p
  }
  /**
   * @internal Which inputs get a column-major gradient (per matrix): for `mm`/`addmm` those that
   * were column-major at the forward (PyTorch computes their gradients as transposed products),
   * for linear-algebra nodes those whose formula ends in a LAPACK solve (solverLayout.ts).
   */
  get _colMajor(): ReadonlyArray<boolean> | null {
    return this._lazy?.colMajor ?? null
  }
  /** @internal */
  set _colMajor(c: ReadonlyArray<boolean> | null) {
    if (c !== null || this._lazy !== undefined) this._extras.colMajor = c
  }
  /**
   * @internal For `cat`/`stack`: the joining dimension; PyTorch's formula gives each input a slice
   * (`narrow`/`select`) of the incoming gradient, a view with its strides and version (gradLayout.ts).
   */
  get _joined(): Joined | null {
    return this._lazy?.joined ?? null
  }
  /** @internal */
  set _joined(j: Joined | null) {
    if (j !== null || this._lazy !== undefined) this._extras.joined = j
  }
  /** @internal For a `rot90` node: the turns and dims of its gradient's rot90, laid out from the incoming one. */
  get _rot90(): Rot90 | null {
    return this._lazy?.rot90 ?? null
  }
  /** @internal */
  set _rot90(r: Rot90 | null) {
    if (r !== null || this._lazy !== undefined) this._extras.rot90 = r
  }
  /**
   * @internal For a one-input node whose formula makes a fresh tensor of a layout known at the
   * forward (`matrix_exp`: narrow views of a 2n×2n block): the strides of that gradient.
   */
  get _freshStrides(): ReadonlyArray<number> | null {
    return this._lazy?.freshStrides ?? null
  }
  /** @internal */
  set _freshStrides(s: ReadonlyArray<number> | null) {
    if (s !== null || this._lazy !== undefined) this._extras.freshStrides = s
  }
  /**
   * @internal Per input, the version PyTorch's formula leaves on the fresh gradient it makes, where
   * it depends on options known at the forward (`binary_cross_entropy_with_logits`: one in-place
   * step per option); gradLayout.ts applies it without create_graph.
   */
  get _gradVersions(): ReadonlyArray<number | undefined> | null {
    return this._lazy?.gradVersions ?? null
  }
  /** @internal */
  set _gradVersions(v: ReadonlyArray<number | undefined> | null) {
    if (v !== null || this._lazy !== undefined) this._extras.gradVersions = v
  }
  /** @internal Release after a backward even with nothing saved (CopySlices drops its fn). */
  get _releaseAlways(): boolean {
    return this._lazy?.releaseAlways ?? false
  }
  /** @internal */
  set _releaseAlways(b: boolean) {
    if (b || this._lazy !== undefined) this._extras.releaseAlways = b
  }
  /**
   * @internal The edge `[this, 0]` (one pair per node, shared by its consumers; frozen when a
   * consumer's `next_functions` is first read).
   */
  _edge0(): readonly [Node, number] {
    return (this._lazyEdge0 ??= [this, 0] as const)
  }
  /** @internal The output a tensor hook in `_tensorHooks` belongs to, where it is not output 0. */
  get _hookOutput(): Map<GradHook, number> {
    return (this._extras.hookOutput ??= new Map())
  }
  /** @internal Tensor hooks registered on the tensor this node produced (or on a leaf's AccumulateGrad). */
  get _tensorHooks(): GradHook[] {
    return (this._extras.tensorHooks ??= [])
  }
  /** @internal Non-leaf tensors that asked for `retain_grad()`. */
  get _retained(): Tensor[] {
    return (this._extras.retained ??= [])
  }
  /** @internal */
  get _preHooks(): PreHook[] {
    return (this._extras.preHooks ??= [])
  }
  /** @internal */
  get _postHooks(): PostHook[] {
    return (this._extras.postHooks ??= [])
  }
  /**
   * @internal True while none of the fields few nodes set was ever made (no hook, retain_grad or
   * metadata; one output; no layout facts; not released by flag): the engine's plain step.
   */
  get _bare(): boolean {
    return this._lazy === undefined
  }
  /** @internal True when some hook or retain_grad is registered (the engine's fast path skips the lists otherwise). */
  get _hooked(): boolean {
    const x = this._lazy
    if (x === undefined) return false
    return (
      (x.tensorHooks?.length ?? 0) +
        (x.retained?.length ?? 0) +
        (x.preHooks?.length ?? 0) +
        (x.postHooks?.length ?? 0) >
      0
    )
  }
  /** Free-form storage, as PyTorch's `node.metadata`. */
  get metadata(): Record<string, unknown> {
    return (this._extras.metadata ??= {})
  }

  /** @internal */
  constructor(
    /** @internal PyTorch's class name (renamed only by op.ts, for a gradient's last node). */
    public _name: string,
    /** One `[node, 0]` pair per forward input; `[null, 0]` where the input needs no gradient. */
    next_functions: ReadonlyArray<readonly [Node | null, number]>,
    /**
     * The caller hands `next_functions` over: neither it nor its edges change afterwards (the
     * facade's ops), so the list is kept as given instead of copied.
     */
    owned = false,
  ) {
    this._edges = owned ? next_functions : next_functions.map((e) => (Object.isFrozen(e) ? e : ([e[0], e[1]] as const)))
  }
  /**
   * @internal The input edges as the engine reads them: `next_functions` before it is frozen
   * (freezing a list per recorded op cost a third of the forward's recording; it happens on
   * first read instead, in place).
   */
  readonly _edges: ReadonlyArray<readonly [Node | null, number]>
  /** One `[node, output number]` pair per forward input (`[null, 0]` where no gradient flows). */
  get next_functions(): ReadonlyArray<readonly [Node | null, number]> {
    // frozen: printed as Python tuples by `print`; frozen in place, so each edge keeps its identity
    if (!Object.isFrozen(this._edges)) {
      for (let i = 0; i < this._edges.length; i++) Object.freeze(this._edges[i])
      Object.freeze(this._edges)
    }
    return this._edges
  }

  /**
   * PyTorch's `name()` of this node, e.g. `MulBackward0`: the class name, which the nodes PyTorch
   * writes by hand in C++ carry with their namespace (`torch::autograd::AccumulateGrad`; printing
   * the node or its tensor still shows the bare class name).
   */
  name(): string {
    return QUALIFIED.has(this._name) ? `torch::autograd::${this._name}` : this._name
  }

  /** Hook on the gradients this node computes for its inputs: `(grad_inputs, grad_outputs) => new grad_inputs | void`. */
  register_hook(
    hook: (
      gradInputs: ReadonlyArray<Tensor | null>,
      gradOutputs: ReadonlyArray<Tensor | null>,
    ) => ReadonlyArray<Tensor | null> | void,
  ): RemovableHandle {
    this._postHooks.push(hook)
    return new RemovableHandle(this._postHooks, hook)
  }

  /** Hook on the gradient this node receives: `(grad_outputs) => new grad_outputs | void`. */
  register_prehook(
    hook: (gradOutputs: ReadonlyArray<Tensor | null>) => ReadonlyArray<Tensor | null> | void,
  ): RemovableHandle {
    this._preHooks.push(hook)
    return new RemovableHandle(this._preHooks, hook)
  }

  /** Frees saved values (after a backward without retain_graph). */
  _release(): void {
    if (this._saved.length > 0 || this._releaseAlways) {
      this._released = true
      this._backward = null
      this._backwardAll = null
    }
  }

  toString(): string {
    return `<${this._name} object at 0x7f${(0x3a5c0000 + this._seq * 0x30).toString(16).padStart(10, '0')}>`
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString()
  }
}

/** The node that accumulates a leaf's gradient into its `.grad`. @category torch @since 0.1.0 */
export class AccumulateGrad extends Node {
  /** @internal */
  constructor(
    /** The leaf tensor. */
    readonly variable: Tensor,
  ) {
    super('AccumulateGrad', [])
  }
}

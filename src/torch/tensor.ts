/**
 * The facade's tensor core: a storage (an immutable NdArray that in-place ops replace, plus a
 * version counter shared by views), view machinery and autograd state (`requires_grad`, `grad`,
 * `grad_fn`, `retain_grad`, hooks). It imports no op: the math, shape, indexing and in-place
 * methods (`./methods/*`, which import this core) and `backward` are attached by
 * `./install.ts`, which `wengert/torch` loads, and typed there by declaration merging.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([1, 2, 3], { requires_grad: true })
 * const y = x.mul(2)
 * assert.strictEqual(String(y), 'tensor([2., 4., 6.], grad_fn=<MulBackward0>)')
 * y.sum().backward()
 * assert.deepStrictEqual(x.grad?.tolist(), [2, 2, 2])
 * @category torch
 * @since 0.1.0
 */
import { array, zeros, type AnyTypedArray } from '../ndarray/create'
import { NdArray, type NestedArray } from '../ndarray/NdArray'
import { AccumulateGrad, RemovableHandle, type GradHook, type Node } from './autograd/node'
import { is_grad_enabled } from './autograd/grad_mode'
import { CPU, META, type device } from './device'
import { fromStorage, get_default_dtype, type TorchDType } from './dtype'
import { IndexError, RuntimeError, TorchTypeError } from './errors'
import { addSuffixes, pyTuple, tensorBody } from './format'
import { warn } from './warnings'
import { pyClass } from './nn/pyclass'
import { isMeta } from './meta'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The array a tensor's data lives in; in-place ops replace `value`. */
export interface Storage {
  value: NdArray
}

/** Version counter, shared by a tensor and its views (PyTorch's `_version`). */
export interface VersionCounter {
  v: number
}

/** One view step: the view's value from its parent's, and the parent's value after writing the view. */
export interface ViewStep {
  readonly name: string
  readonly fwd: (x: NdArray) => NdArray
  readonly inv: (x: NdArray, y: NdArray) => NdArray
  /** For the steps of in-place view ops (bijective): the step that undoes this one. */
  readonly back?: ViewStep
  /**
   * The view's pullback over values: the cotangent of `x` for the cotangent `g` of `fwd(x)` (the
   * VJP rules of the primitives `fwd` binds, applied directly). A view op with one records no
   * trace of `fwd`.
   */
  readonly pull?: (g: NdArray, x: NdArray) => NdArray
  /** PyTorch's derivative formula of the view, for create_graph backward passes (see `OpOptions.formula`). */
  readonly formula?: (grad: Tensor, inputs: ReadonlyArray<Tensor>, output: () => Tensor) => ReadonlyArray<Tensor | null>
}

/** See {@link Size}. */
class SizeImpl extends Array<number> {
  /**
   * From an iterable of sizes (Python's `torch.Size([2, 3])`), frozen as Python's tuple. A number
   * is an array length: Array's own methods (`slice`, `map`, …) construct their results that way.
   */
  constructor(sizes?: number | Iterable<number>) {
    if (typeof sizes === 'number') {
      super(sizes)
      return
    }
    super()
    if (sizes === undefined) return
    if (sizes === null || typeof (sizes as Partial<Iterable<number>>)[Symbol.iterator] !== 'function')
      throw new TorchTypeError(`'${sizes === null ? 'NoneType' : typeof sizes}' object is not iterable`)
    for (const v of sizes) {
      if (typeof v !== 'number' || !Number.isInteger(v))
        throw new TorchTypeError(
          `'${typeof v === 'number' ? 'float' : typeof v}' object cannot be interpreted as an integer`,
        )
      this.push(v)
    }
    Object.freeze(this)
  }
  /** Product of the sizes. */
  numel(): number {
    return this.reduce((a, b) => a * b, 1)
  }
  override toString(): string {
    return `torch.Size([${this.join(', ')}])`
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString()
  }
}
/**
 * PyTorch's `torch.Size`: a frozen array of sizes printed as `torch.Size([2, 3])`;
 * `torch.Size([2, 3])` or `new torch.Size([2, 3])` builds one.
 * @example
 * import * as torch from 'wengert/torch'
 * const s = torch.Size([2, 3])
 * assert.strictEqual(s.length, 2)
 * assert.strictEqual(s.numel(), 6)
 * assert.deepStrictEqual([...torch.zeros(s).shape], [2, 3])
 * @category torch @since 0.1.0
 */
export const Size = pyClass(SizeImpl, 'Size')
/** A `torch.Size`. @category torch @since 0.1.0 */
export type Size = SizeImpl

/** Makes a frozen `torch.Size`. */
export const makeSize = (shape: ReadonlyArray<number>): Size => {
  const s = new SizeImpl(0)
  s.push(...shape)
  return Object.freeze(s)
}

/** Nested data accepted by tensor constructors. */
export type TensorData = number | bigint | boolean | NdArray | Tensor | AnyTypedArray | ReadonlyArray<TensorData>

/** A tensor's view state (see `Tensor._base` and the accessors beside it), made on first use. */
interface ViewState {
  base: Tensor | null
  baseLen: number
  regenerate: ((view: Tensor) => void) | null
  viewVersion: number
  multiOutput: number | null
  /** The storage value `cacheVal` was read from (a view's value is recomputed when it changes). */
  cacheRoot: NdArray | undefined
  cacheVal: NdArray | undefined
}

/** One literal, so every view state has the same shape. */
const newViewState = (): ViewState => ({
  base: null,
  baseLen: 0,
  regenerate: null,
  viewVersion: 0,
  multiOutput: null,
  cacheRoot: undefined,
  cacheVal: undefined,
})

/** A tensor's autograd state that most tensors never set (see `Tensor._grad` and the accessors beside it), made on first use. */
interface AutogradState {
  noGradView: boolean
  outputNr: number
  grad: Tensor | null
  retains: boolean
  acc: AccumulateGrad | null
}

/** One literal, so every autograd state has the same shape. */
const newAutogradState = (): AutogradState => ({
  noGradView: false,
  outputNr: 0,
  grad: null,
  retains: false,
  acc: null,
})

/** The view path of a tensor that is not a view (shared: paths are never mutated in place). */
const NO_PATH: ReadonlyArray<ViewStep> = Object.freeze([])

/** The strides of a 0-d tensor (shared: strides are never mutated in place). */
const NO_STRIDES: ReadonlyArray<number> = Object.freeze([])

const contiguousStrides = (shape: ReadonlyArray<number>): ReadonlyArray<number> => {
  if (shape.length === 0) return NO_STRIDES
  const s = new Array<number>(shape.length).fill(1)
  for (let i = shape.length - 2; i >= 0; i--) s[i] = (s[i + 1] as number) * Math.max(1, shape[i + 1] as number)
  return s
}

/** The value of PyTorch's legacy constructor `torch.Tensor(data)` / `torch.Tensor(*sizes)` (default float dtype). */
const legacyValue = (
  data: Exclude<TensorData, NdArray | Tensor> | undefined,
  sizes: ReadonlyArray<number>,
): NdArray => {
  const dt = get_default_dtype().storage
  if (data === undefined) return array([], { dtype: dt })
  if (typeof data === 'number') return zeros([data, ...sizes], { dtype: dt })
  return array(plainData(data) as NestedArray, { dtype: dt })
}

/** Converts nested data (numbers, booleans, arrays, tensors) into nested JS values for `array`. */
export const plainData = (d: TensorData): NestedArray | NdArray => {
  if (d instanceof Tensor) return d._value()
  if (Array.isArray(d)) return (d as ReadonlyArray<TensorData>).map((e) => plainData(e) as NestedArray)
  return d as NestedArray | NdArray
}

// -------------------------------------------------------------------------------------
// the class
// -------------------------------------------------------------------------------------

/**
 * A PyTorch-compatible tensor. Construct with `torch.tensor(data, { requires_grad, dtype })`;
 * `new torch.Tensor(data)` is PyTorch's legacy constructor (default float dtype), and
 * `new Tensor(ndarray)` wraps a wengert array.
 * @category torch @since 0.1.0
 */
export class Tensor {
  // NOTE: a tensor holds its value itself until something shares it (a view, `detach`, `.data`,
  // the storage facts): only then is a storage object made, which the sharers hold. Most tensors
  // (a graph's intermediates, a backward pass's gradients) never get one: one object fewer each
  /** The value of a tensor without a storage object (undefined once it has one). */
  private _own: NdArray | undefined = undefined
  /** The storage object, made on first use (see `_storage`). */
  private _shared: Storage | undefined = undefined
  /** @internal The storage: the array this tensor's data lives in (made, and then shared, on first use). */
  get _storage(): Storage {
    let s = this._shared
    if (s === undefined) {
      s = this._shared = { value: this._own as NdArray }
      this._own = undefined
    }
    return s
  }
  set _storage(s: Storage) {
    this._shared = s
    this._own = undefined
  }
  /** @internal The storage's array (this tensor's value when it is no view), without making a storage object. */
  _root(): NdArray {
    const s = this._shared
    return s === undefined ? (this._own as NdArray) : s.value
  }
  /** The version counter; undefined until first read (most tensors of a graph never are). */
  private _lazyCounter: VersionCounter | undefined = undefined
  /** @internal */
  get _counter(): VersionCounter {
    return (this._lazyCounter ??= { v: 0 })
  }
  /** @internal */
  set _counter(c: VersionCounter) {
    this._lazyCounter = c
  }
  /** @internal The version now, without making the counter (a tensor without one is at version 0). */
  _versionNow(): number {
    const c = this._lazyCounter
    return c === undefined ? 0 : c.v
  }
  /** @internal View steps from the storage's array to this tensor's value. */ _path: ReadonlyArray<ViewStep>
  /** Strides set by a view op; undefined: contiguous strides of the storage's shape, made on first use. */
  private _lazyStrides: ReadonlyArray<number> | undefined = undefined
  /** @internal Strides in elements (metadata for is_contiguous and view). */
  get _strides(): ReadonlyArray<number> {
    return (this._lazyStrides ??= contiguousStrides(this._root().shape))
  }
  set _strides(s: ReadonlyArray<number>) {
    this._lazyStrides = s
  }
  // NOTE: the view state is made on first use, in one object: most tensors (a graph's
  // intermediates) are no views, and seven fields fewer per tensor is less for the GC to scan
  private _lazyView: ViewState | undefined = undefined
  private get _view(): ViewState {
    return (this._lazyView ??= newViewState())
  }
  /** @internal The differentiable-view base (a non-view tensor), or null. */
  get _base(): Tensor | null {
    return this._lazyView === undefined ? null : this._lazyView.base
  }
  set _base(b: Tensor | null) {
    if (b !== null || this._lazyView !== undefined) this._view.base = b
  }
  /** @internal For a view: the length of its base's path when the view chain began (see relSteps). */
  get _baseLen(): number {
    return this._lazyView === undefined ? 0 : this._lazyView.baseLen
  }
  set _baseLen(n: number) {
    if (n !== 0 || this._lazyView !== undefined) this._view.baseLen = n
  }
  /**
   * @internal How a view recomputes its grad_fn after its base changed in place (set by the view
   * op, so this core needs no import of it); null for non-views and views made under no_grad.
   */
  get _regenerate(): ((view: Tensor) => void) | null {
    return this._lazyView === undefined ? null : this._lazyView.regenerate
  }
  set _regenerate(f: ((view: Tensor) => void) | null) {
    if (f !== null || this._lazyView !== undefined) this._view.regenerate = f
  }
  /** @internal Counter value when a view's grad_fn was last computed. */
  get _viewVersion(): number {
    return this._lazyView === undefined ? 0 : this._lazyView.viewVersion
  }
  set _viewVersion(v: number) {
    if (v !== 0 || this._lazyView !== undefined) this._view.viewVersion = v
  }
  /**
   * @internal For an output of a multi-output view op (split, chunk, unbind) recorded by
   * autograd, and views of one: its output number (0 for views of it), which in-place ops refuse.
   */
  get _multiOutput(): number | null {
    return this._lazyView === undefined ? null : this._lazyView.multiOutput
  }
  set _multiOutput(k: number | null) {
    if (k !== null || this._lazyView !== undefined) this._view.multiOutput = k
  }
  /** @internal requires_grad flag of a leaf. */ _flag = false
  /**
   * @internal A view made under no_grad (or a view of one): it requires grad when its base does,
   * with no grad_fn and no gradient edge, and may not be modified in place in grad mode.
   */
  get _noGradView(): boolean {
    return this._lazyAg === undefined ? false : this._lazyAg.noGradView
  }
  set _noGradView(b: boolean) {
    if (b || this._lazyAg !== undefined) this._ag.noGradView = b
  }
  /** @internal */ _gradFn: Node | null = null
  // NOTE: the autograd state most tensors never set is made on first use, in one object: a
  // graph's intermediates and a backward pass's gradients then carry one field for it, not five
  private _lazyAg: AutogradState | undefined = undefined
  private get _ag(): AutogradState {
    return (this._lazyAg ??= newAutogradState())
  }
  /** @internal Which output of its grad_fn this tensor is (non-zero for outputs of multi-output ops: svd's S is 1). */
  get _outputNr(): number {
    return this._lazyAg === undefined ? 0 : this._lazyAg.outputNr
  }
  set _outputNr(k: number) {
    if (k !== 0 || this._lazyAg !== undefined) this._ag.outputNr = k
  }
  /** @internal */
  get _grad(): Tensor | null {
    return this._lazyAg === undefined ? null : this._lazyAg.grad
  }
  set _grad(g: Tensor | null) {
    if (g !== null || this._lazyAg !== undefined) this._ag.grad = g
  }
  /** @internal */
  get _retains(): boolean {
    return this._lazyAg === undefined ? false : this._lazyAg.retains
  }
  set _retains(b: boolean) {
    if (b || this._lazyAg !== undefined) this._ag.retains = b
  }
  /** @internal */
  get _acc(): AccumulateGrad | null {
    return this._lazyAg === undefined ? null : this._lazyAg.acc
  }
  set _acc(n: AccumulateGrad | null) {
    if (n !== null || this._lazyAg !== undefined) this._ag.acc = n
  }

  constructor(data?: TensorData, ...sizes: number[])
  // NOTE: the sizes are read from `arguments` (legacy constructor only): a rest list was made for
  // every tensor, `_fromValue`'s included (issue 18, W3: two tensors per recorded op)
  constructor(data?: TensorData) {
    if (data instanceof NdArray) {
      this._own = data
      this._path = NO_PATH
      return
    }
    if (data instanceof Tensor) {
      this._storage = data._storage
      this._counter = data._counter
      this._path = data._path
      this._lazyStrides = data._lazyStrides
      return
    }
    // eslint-disable-next-line prefer-rest-params -- see the NOTE above
    this._own = legacyValue(data, Array.prototype.slice.call(arguments, 1) as number[])
    this._path = NO_PATH
  }

  /** @internal Wraps a value as a fresh tensor (no autograd state). */
  static _fromValue(v: NdArray): Tensor {
    return new Tensor(v)
  }

  // -----------------------------------------------------------------------------------
  // data
  // -----------------------------------------------------------------------------------

  /** @internal The current value (reads through views). */
  _value(): NdArray {
    const s = this._shared
    if (s === undefined) return this._own as NdArray
    if (this._path.length === 0) return s.value
    const root = s.value
    const vs = this._view
    if (vs.cacheRoot !== root || vs.cacheVal === undefined) {
      let v = root
      for (const s of this._path) v = s.fwd(v)
      vs.cacheRoot = root
      vs.cacheVal = v
    }
    return vs.cacheVal
  }

  /**
   * @internal Seeds a view's value (its path applied to the storage's current array, computed by
   * the view op that made it), so its first read does not compute it again.
   */
  _seedValue(v: NdArray): void {
    if (this._path.length === 0) return
    const vs = this._view
    vs.cacheRoot = this._storage.value
    vs.cacheVal = v
  }

  /** @internal Changes how this tensor reads its storage (in-place view ops: `t_`, `squeeze_`, …). */
  _setView(path: ReadonlyArray<ViewStep>, strides: ReadonlyArray<number>): void {
    // a tensor read through view steps reads a storage object (see `_own`)
    if (path.length > 0) void this._storage
    this._path = path
    this._strides = strides
    if (this._lazyView !== undefined) this._lazyView.cacheVal = undefined
  }

  /** @internal Replaces this tensor's value in its storage (writing through views); no version bump. */
  _write(v: NdArray): void {
    if (this._path.length === 0) {
      if (this._shared === undefined) this._own = v
      else this._shared.value = v
      return
    }
    const xs: NdArray[] = [this._storage.value]
    for (const s of this._path) xs.push(s.fwd(xs[xs.length - 1] as NdArray))
    let y = v
    for (let k = this._path.length - 1; k >= 0; k--) y = (this._path[k] as ViewStep).inv(xs[k] as NdArray, y)
    this._storage.value = y
  }

  /** @internal Bumps the shared version counter. */
  _bump(): void {
    this._counter.v += 1
  }

  /** Size of each dimension, as `torch.Size`. */
  get shape(): Size {
    return makeSize(this._value().shape)
  }
  /** `size()` is the shape; `size(d)` one dimension (negative counts from the end). */
  size(): Size
  size(dim: number): number
  size(dim?: number): Size | number {
    const s = this._value().shape
    if (dim === undefined) return makeSize(s)
    const d = dim < 0 ? dim + s.length : dim
    if (d < 0 || d >= s.length) {
      throw new IndexError(
        `Dimension out of range (expected to be in range of [${-Math.max(1, s.length)}, ${Math.max(1, s.length) - 1}], but got ${dim})`,
      )
    }
    return s[d] as number
  }
  /** Number of dimensions. */
  dim(): number {
    return this._value().ndim
  }
  /** Number of dimensions. */
  get ndim(): number {
    return this._value().ndim
  }
  /** Number of elements. */
  numel(): number {
    return this._value().size
  }
  /** Number of elements. */
  nelement(): number {
    return this._value().size
  }
  /** Element type (`torch.float32`, `torch.float64`, `torch.int64`, `torch.bool`). */
  get dtype(): TorchDType {
    return fromStorage(this._value().dtype)
  }
  /** The device holding the data: `torch.device('cpu')` (prints as `cpu`), or `meta` for a tensor without data. */
  get device(): device {
    return isMeta(this._value()) ? META : CPU
  }
  /** True for a tensor of the meta device (shape, dtype and strides, no data). */
  get is_meta(): boolean {
    return isMeta(this._value())
  }
  /** Always false. */
  get is_cuda(): boolean {
    return false
  }
  /** True for float dtypes. */
  is_floating_point(): boolean {
    return this.dtype.is_floating_point
  }
  /** Bytes per element. */
  element_size(): number {
    return this.dtype.itemsize
  }
  /** Strides in elements. */
  stride(): number[]
  stride(dim: number): number
  stride(dim?: number): number[] | number {
    if (dim === undefined) return [...this._strides]
    return this._strides[dim < 0 ? dim + this._strides.length : dim] as number
  }
  /** True when the elements are laid out row-major without gaps (always for an empty tensor, as PyTorch). */
  is_contiguous(): boolean {
    const v = this._value()
    if (v.size === 0) return true
    const shape = v.shape
    let expected = 1
    for (let i = shape.length - 1; i >= 0; i--) {
      const n = shape[i] as number
      if (n === 1) continue
      if (this._strides[i] !== expected) return false
      expected *= n
    }
    return true
  }
  /** The version counter: bumped by every in-place op on this tensor or a view sharing its storage. */
  get _version(): number {
    return this._counter.v
  }
  /**
   * The single value as a JS number; a bool tensor gives a boolean (PyTorch's Python bool): ask
   * for it with `item<boolean>()`. The type argument only narrows the result's type. A complex
   * tensor's `item()`/`tolist()` give `torch.Complex` values (./complex/value.ts).
   */
  item<R extends number | boolean = number>(): R {
    const v = this._value()
    if (v.size !== 1) throw new RuntimeError(`a Tensor with ${v.size} elements cannot be converted to Scalar`)
    if (isMeta(v)) throw new RuntimeError('Tensor.item() cannot be called on meta tensors')
    return v.item() as R
  }
  /** Nested JS arrays (a scalar for 0-d tensors). */
  tolist(): NestedArray {
    return this._value().toArray()
  }
  /** The value as a wengert NdArray (PyTorch's `.numpy()`). */
  numpy(): NdArray {
    if (this.requires_grad)
      throw new RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
    if (this.is_meta)
      throw new TorchTypeError(
        "can't convert meta device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.",
      )
    return this._value()
  }

  /** A tensor sharing this one's data, outside autograd (its own version counter, as PyTorch's `.data`). */
  get data(): Tensor {
    const t = new Tensor(this)
    t._counter = { v: 0 }
    return t
  }
  set data(src: Tensor) {
    this._storage = src._storage
    this._path = src._path
    this._strides = src._strides
    if (this._lazyView !== undefined) this._lazyView.cacheRoot = undefined
  }

  // -----------------------------------------------------------------------------------
  // autograd state
  // -----------------------------------------------------------------------------------

  /** Whether gradients are computed for this tensor. Settable on leaves only. */
  get requires_grad(): boolean {
    // PyTorch reads a view's grad_fn field without rebuilding it (which could raise, or make a
    // stale view stop looking like a leaf to in-place checks): a view requires grad with its base
    return this._flag || this._gradFn !== null || (this._base !== null && this._base.requires_grad)
  }
  set requires_grad(v: boolean) {
    if (!this.is_leaf) throw new RuntimeError(requiresGradLeafError(v))
    if (v && !this.dtype.is_floating_point)
      throw new RuntimeError('only Tensors of floating point and complex dtype can require gradients')
    this._flag = v
  }

  /** Sets `requires_grad` in place and returns this tensor. */
  requires_grad_(requires_grad = true): this {
    if (!this.is_leaf && !requires_grad) throw new RuntimeError(requiresGradLeafError(false))
    if (requires_grad && !this.dtype.is_floating_point)
      throw new RuntimeError('only Tensors of floating point dtype can require gradients')
    if (this.is_leaf) this._flag = requires_grad
    return this
  }

  /** The node that produced this tensor, or null for leaves. */
  get grad_fn(): Node | null {
    if (this._regenerate !== null && this._viewVersion !== this._counter.v) this._regenerate(this)
    return this._gradFn
  }

  /** True for tensors not produced by a recorded op (all tensors that do not require grad, and user-created ones that do). */
  get is_leaf(): boolean {
    return this.grad_fn === null
  }

  /** Whether `retain_grad()` was called on this non-leaf. */
  get retains_grad(): boolean {
    return this._retains
  }

  /** The accumulated gradient (null until a backward reaches this leaf). */
  get grad(): Tensor | null {
    if (this._grad === null && !this._retains && !this.is_leaf) warn(NON_LEAF_GRAD_WARNING)
    return this._grad
  }
  set grad(g: Tensor | null) {
    if (g !== null && g !== undefined) {
      if (!(g instanceof Tensor))
        throw new TorchTypeError(`assigned grad expected to be a Tensor or None but got grad of type ${typeof g}`)
      if (g.dtype !== this.dtype) throw new RuntimeError('assigned grad has data of a different type')
      const a = g._value().shape
      const b = this._value().shape
      if (a.length !== b.length || a.some((d, i) => d !== b[i]))
        throw new RuntimeError('assigned grad has data of a different size')
    }
    this._grad = g ?? null
  }

  /** @internal The edge gradients flow into: grad_fn, or the leaf's AccumulateGrad. */
  _gradEdge(): Node | null {
    const fn = this.grad_fn
    if (fn !== null) return fn
    return this._flag ? this._accumulator() : null
  }

  /** @internal The leaf's AccumulateGrad node (one per leaf). */
  _accumulator(): AccumulateGrad {
    if (this._acc === null) this._acc = new AccumulateGrad(this)
    return this._acc
  }

  /** Makes this non-leaf keep its gradient in `.grad` during backward. */
  retain_grad(): void {
    if (!this.requires_grad) throw new RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    if (this.is_leaf || this._retains) return
    this._retains = true
    ;(this.grad_fn as Node)._retained.push(this)
  }

  /** Registers `hook(grad)` to run when this tensor's gradient is computed; it may return a replacement. */
  register_hook(hook: GradHook): RemovableHandle {
    if (!this.requires_grad) throw new RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    const node = this._gradEdge() as Node
    node._tensorHooks.push(hook)
    if (this._gradFn !== null && this._outputNr !== 0) node._hookOutput.set(hook, this._outputNr)
    return new RemovableHandle(node._tensorHooks, hook)
  }

  /** A tensor sharing this one's data and version counter, outside the graph. */
  detach(): Tensor {
    return new Tensor(this)
  }

  /** Detaches this tensor from the graph in place (not allowed on views). */
  detach_(): this {
    if (this._base !== null) throw new RuntimeError("Can't detach views in-place. Use detach() instead.")
    this._gradFn = null
    this._flag = false
    return this
  }

  // -----------------------------------------------------------------------------------
  // printing
  // -----------------------------------------------------------------------------------

  /** PyTorch's repr: `tensor([1., 2.], requires_grad=True)`. */
  toString(): string {
    const v = this._value()
    const indent = 'tensor('.length
    const suffixes: string[] = []
    let body: string
    const dt = this.dtype
    if (isMeta(v)) {
      // PyTorch prints no data for a meta tensor: `tensor(..., device='meta', size=(3, 4))`
      suffixes.push("device='meta'", `size=${pyTuple(v.shape)}`)
      if (dt !== get_default_dtype()) suffixes.push(`dtype=${dt}`)
      body = '...'
    } else if (v.size === 0) {
      if (v.ndim !== 1) suffixes.push(`size=${pyTuple(v.shape)}`)
      if (dt !== get_default_dtype()) suffixes.push(`dtype=${dt}`)
      body = '[]'
    } else {
      if (dt !== get_default_dtype() && dt.name !== 'int64' && dt.name !== 'bool') suffixes.push(`dtype=${dt}`)
      body = tensorBody(v, indent)
    }
    const fn = this.grad_fn
    // the class name, as Python's repr prints it (name() qualifies PyTorch's hand-written C++ nodes)
    if (fn !== null) suffixes.push(`grad_fn=<${fn._name}>`)
    else if (this.requires_grad) suffixes.push('requires_grad=True')
    return addSuffixes(`tensor(${body}`, suffixes, indent)
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString()
  }

  /** @internal Whether ops should record this tensor (grad mode on and it requires grad). */
  _recording(): boolean {
    return is_grad_enabled() && this.requires_grad
  }
}

/** PyTorch's `requires_grad_leaf_error`. */
export const requiresGradLeafError = (requiresGrad: boolean): string =>
  `you can only change requires_grad flags of leaf variables.${requiresGrad ? '' : " If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."}`

/** The UserWarning of `.grad` on a non-leaf (current PyTorch text, TensorBody.h: "information", no longer "informations"). */
export const NON_LEAF_GRAD_WARNING =
  "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more information. (Triggered internally at aten/src/ATen/core/TensorBody.h:489.)"

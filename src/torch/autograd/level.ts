/**
 * The facade's interpreter level, used when a node's backward runs with `create_graph`. The
 * node's saved inputs and its incoming gradient are wrapped as this level's tracers and the
 * primitives' own VJP rules run on them (no derivative is written twice): every primitive a rule
 * binds becomes one facade op, so the gradient's graph is made of nodes named as PyTorch's
 * derivative formulas name theirs (`MulBackward0`, `ExpandBackward0`, `DivBackward1`, …; see
 * {@link nodeName}).
 *
 * Which inputs become edges of such a node follows PyTorch: a tensor (a tracer of this level, or
 * a constant float array with dimensions) is an edge, `[null, 0]` when it needs no gradient; a
 * 0-d constant is a C++ `Scalar` in PyTorch's formulas, so it is no edge and the op takes the
 * Scalar overload's node name (`MulBackward1`); bool and integer arrays (masks, indices) are
 * not differentiable and are no edges either.
 *
 * @category torch
 * @since 0.1.0
 */
import type { AnyMultiPrimitive, AnyPrimitive } from '../../core/primitive'
import { not, reduceSum, reshape } from '../../core/lax'
import { bind, bindMulti, newLevelId, Tracer, type Level } from '../../core/trace'
import { isFloat } from '../../ndarray/dtype'
import { InternalError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import type { Shape } from '../../ndarray/shape'
import type { Tensor } from '../tensor'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Runs a facade op (`op` of ./op.ts): its node name, its input tensors (edges), its function. */
export type ApplyOp = (name: string, inputs: ReadonlyArray<Tensor>, fn: (...xs: NdArray[]) => NdArray) => Tensor

/** Runs a facade op with several outputs (`opMulti` of ./op.ts): one node, one tensor per output. */
export type ApplyMultiOp = (
  name: string,
  inputs: ReadonlyArray<Tensor>,
  fn: (...xs: NdArray[]) => ReadonlyArray<NdArray>,
) => Tensor[]

/** A value of a {@link TensorLevel}: stands for a facade tensor (whose value is its primal). */
export class TensorTracer extends Tracer {
  constructor(
    level: TensorLevel,
    readonly primal: NdArray,
    /** The facade tensor this tracer stands for. */
    readonly tensor: Tensor,
  ) {
    super(level, primal)
  }
}

// -------------------------------------------------------------------------------------
// node names
// -------------------------------------------------------------------------------------

/**
 * PyTorch's node name for the primitives that need no context and whose name is not the
 * default `${Pascal(name)}Backward0` (`sin` → `SinBackward0`); the others are decided in
 * {@link nodeName}. Exported for the docs and tests.
 */
export const PRIMITIVE_NODE_NAMES: Readonly<Record<string, string>> = {
  expm: 'LinalgMatrixExpBackward0',
  det: 'LinalgDetBackward0',
  log1p: 'Log1PBackward0',
  logistic: 'SigmoidBackward0',
  max: 'MaximumBackward0',
  select: 'WhereBackward0',
  convert_element_type: 'ToCopyBackward0',
  // PyTorch's formulas reduce with sum(dims, keepdim) (sum_to, sum_backward's adjoints)
  reduce_sum: 'SumBackward1',
  reduce_max: 'AmaxBackward0',
  broadcast_in_dim: 'ExpandBackward0',
  pad: 'ConstantPadNdBackward0',
  concatenate: 'CatBackward0',
  gather: 'IndexSelectBackward0',
  scatter_add: 'IndexAddBackward0',
  // linear algebra (multiple-results primitives are one node with several outputs)
  eigh: 'LinalgEighBackward0',
  qr: 'LinalgQrBackward0',
  svd: 'LinalgSvdBackward0',
  lu: 'LinalgLuFactorExBackward0',
}

/** True when `small` is `big` with some size-1 dims left out. */
const dropsOnlyOnes = (big: ReadonlyArray<number>, small: ReadonlyArray<number>): boolean => {
  let j = 0
  for (const d of big) {
    if (j < small.length && d === small[j]) j++
    else if (d !== 1) return false
  }
  return j === small.length
}

/** reshape: PyTorch's formulas unsqueeze or squeeze where only size-1 dims change, else view. */
const reshapeName = (from: ReadonlyArray<number>, to: ReadonlyArray<number>): string => {
  if (to.length > from.length && dropsOnlyOnes(to, from)) return 'UnsqueezeBackward0'
  if (to.length < from.length && dropsOnlyOnes(from, to))
    return to.length === from.length - 1 ? 'SqueezeBackward1' : 'SqueezeBackward2'
  return 'ViewBackward0'
}

/** transpose: `t()` of a matrix, a swap of two dims, or a general permute. */
const transposeName = (perm: ReadonlyArray<number>): string => {
  if (perm.length === 2) return 'TBackward0'
  const moved = perm.filter((p, i) => p !== i).length
  return moved === 2 ? 'TransposeBackward0' : 'PermuteBackward0'
}

const pascal = (s: string): string => s.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase())

/**
 * The PyTorch node name of a primitive bound by a derivative rule under `create_graph`.
 * `scalar[i]` says input i is a 0-d constant (a C++ `Scalar` in PyTorch's formulas), which picks
 * the Scalar overload's name: `mul`/`add` with a Scalar are `MulBackward1`/`AddBackward1`,
 * `x − s` is `SubBackward1`, `s − x` `RsubBackward1`, `x / s` `DivBackward1`; `pow` is
 * `PowBackward0` (Scalar exponent), `PowBackward1` (tensor exponent) or `PowBackward2` (Scalar
 * base). `matmul` is `MmBackward0` on matrices and `BmmBackward0` batched; `reshape` is
 * `UnsqueezeBackward0`/`SqueezeBackward1`/`SqueezeBackward2` where it only adds or drops size-1
 * dims, else `ViewBackward0`; `transpose` is `TBackward0` on matrices, `TransposeBackward0` for a
 * swap of two dims, else `PermuteBackward0`. Other primitives come from
 * {@link PRIMITIVE_NODE_NAMES}; an unknown one is named after itself (`custom_vjp_call` →
 * `CustomVjpCallBackward0`).
 */
export const nodeName = (
  prim: { readonly name: string },
  params: unknown,
  inputs: ReadonlyArray<NdArray>,
  scalar: ReadonlyArray<boolean>,
): string => {
  switch (prim.name) {
    case 'mul':
      return scalar[0] || scalar[1] ? 'MulBackward1' : 'MulBackward0'
    case 'add':
      return scalar[0] || scalar[1] ? 'AddBackward1' : 'AddBackward0'
    case 'sub':
      return scalar[1] ? 'SubBackward1' : scalar[0] ? 'RsubBackward1' : 'SubBackward0'
    case 'div':
      return scalar[1] ? 'DivBackward1' : 'DivBackward0'
    case 'pow':
      return scalar[1] ? 'PowBackward0' : scalar[0] ? 'PowBackward2' : 'PowBackward1'
    case 'matmul':
      return (inputs[0] as NdArray).ndim === 2 ? 'MmBackward0' : 'BmmBackward0'
    case 'reshape':
      return reshapeName((inputs[0] as NdArray).shape, (params as { readonly shape: ReadonlyArray<number> }).shape)
    case 'transpose':
      return transposeName((params as { readonly perm: ReadonlyArray<number> }).perm)
    case 'reduce_sum':
      // sum_to a 0-d shape is `grad.sum()` (SumBackward0); other reductions `sum(dims, keepdim)`
      return (params as { readonly axes: ReadonlyArray<number> }).axes.length === (inputs[0] as NdArray).ndim &&
        (inputs[0] as NdArray).ndim > 0
        ? 'SumBackward0'
        : 'SumBackward1'
    default:
      return PRIMITIVE_NODE_NAMES[prim.name] ?? `${pascal(prim.name)}Backward0`
  }
}

/**
 * `select(c, x, y)` with a constant condition that is all true (or all false) is `x` (or `y`)
 * when that branch already has the output's shape and dtype: the rules' guards (pow's `x = y =
 * 0` case, say) then add no `WhereBackward0` node that PyTorch's formulas do not have. Values
 * and derivatives are unchanged (the other branch's derivative is zero everywhere).
 */
const constantBranch = (prim: AnyPrimitive, inputs: ReadonlyArray<NdArray>, params: unknown): NdArray | undefined => {
  const [c, x, y] = inputs as readonly [NdArray, NdArray, NdArray]
  if (c instanceof Tracer || c.dtype !== 'bool' || c.size === 0) return undefined
  const data = c._data
  const first = data[0] !== 0
  for (let i = 1; i < data.length; i++) if ((data[i] !== 0) !== first) return undefined
  const taken = first ? x : y
  // the branch not taken is in the graph: PyTorch's formula has its `where` node (clamp's
  // gradient at a clamped point is a WhereBackward0 that requires grad, not a constant zero)
  if ((first ? y : x) instanceof Tracer && !(taken instanceof Tracer)) return undefined
  const out = prim.shape(inputs, params)
  return taken.dtype === out.dtype &&
    taken.shape.length === out.shape.length &&
    taken.shape.every((d, i) => d === out.shape[i])
    ? taken
    : undefined
}

// -------------------------------------------------------------------------------------
// the level
// -------------------------------------------------------------------------------------

/**
 * One `create_graph` backward of one node: primitives applied to its tracers run as facade ops
 * (recorded when an input requires grad), so the rules' results are tensors in the graph.
 */
export class TensorLevel implements Level {
  readonly id = newLevelId()
  active = true

  constructor(
    private readonly apply: ApplyOp,
    private readonly constant: (v: NdArray) => Tensor,
    private readonly applyMulti?: ApplyMultiOp,
  ) {}

  /** This level's tracer for a tensor. */
  wrap(t: Tensor): TensorTracer {
    return new TensorTracer(this, t._value(), t)
  }

  /** The tensor a value of this level stands for (a constant tensor for an untraced value). */
  unwrap(x: NdArray): Tensor {
    return x instanceof TensorTracer && x._level === this ? x.tensor : this.constant(x)
  }

  private own(x: NdArray): x is TensorTracer {
    return x instanceof TensorTracer && x._level === this
  }

  process(prim: AnyPrimitive, inputs: ReadonlyArray<NdArray>, params: unknown): NdArray {
    if (prim.derivative === 'none') return bind(prim, this.primals(inputs), params)
    if (prim.name === 'select') {
      const taken = constantBranch(prim, inputs, params)
      if (taken !== undefined) return taken
      // PyTorch's formulas put the gradient first (`where(mask, grad, 0)`): so do its edges
      const [c, x, y] = inputs as readonly [NdArray, NdArray, NdArray]
      if (!this.own(x) && this.own(y) && !(c instanceof Tracer) && x.dtype === y.dtype)
        return this.process(prim, [not(c), y, x], params)
    }
    // PyTorch's formulas pass `where` a zero tensor (`at::scalar_tensor(0.)`), never a Scalar
    const { edges, fill, scalar } = this.edges(inputs, prim.name === 'select')
    const out = this.apply(nodeName(prim, params, inputs, scalar), edges, (...vs) => bind(prim, fill(vs), params))
    return new TensorTracer(this, out._value(), out)
  }

  /**
   * A multiple-results primitive is one facade op with several outputs (one node, as PyTorch's
   * `LinalgEighBackward0` or `LinalgSvdBackward0`); each result is this level's tracer of one of
   * its output tensors.
   */
  processMulti(prim: AnyMultiPrimitive, inputs: ReadonlyArray<NdArray>, params: unknown): ReadonlyArray<NdArray> {
    if (prim.derivative === 'none') return bindMulti(prim, this.primals(inputs), params)
    if (this.applyMulti === undefined)
      throw new InternalError(`${prim.name}: this TensorLevel was made without a multi-output op`)
    const { edges, fill, scalar } = this.edges(inputs)
    const outs = this.applyMulti(nodeName(prim, params, inputs, scalar), edges, (...vs) =>
      bindMulti(prim, fill(vs), params),
    )
    return outs.map((o) => new TensorTracer(this, o._value(), o))
  }

  /**
   * A broadcast gradient summed back to an input's shape as PyTorch's `at::sum_to` does it: one
   * keepdim sum over the reduced axes (SumBackward1; `grad.sum()`, SumBackward0, for a 0-d
   * shape), then a view dropping the leading axes (ViewBackward0), not a sum and a reshape.
   */
  sumTo(x: NdArray, shape: Shape, axes: ReadonlyArray<number>): NdArray {
    if (!this.own(x)) return reshape(reduceSum(x, axes), shape)
    if (shape.length === 0) {
      const all = this.apply('SumBackward0', [x.tensor], (v) => reshape(reduceSum(v, axes), []))
      return new TensorTracer(this, all._value(), all)
    }
    const keep = x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
    const summed = this.apply('SumBackward1', [x.tensor], (v) => reshape(reduceSum(v, axes), keep))
    const out = keep.length === shape.length ? summed : this.apply('ViewBackward0', [summed], (v) => reshape(v, shape))
    return new TensorTracer(this, out._value(), out)
  }

  private primals(inputs: ReadonlyArray<NdArray>): NdArray[] {
    return inputs.map((x) => (this.own(x) ? x.primal : x))
  }

  /**
   * The op's edges (this level's tracers, and constant float arrays with dimensions, or of any
   * rank with `zeroDimEdges`), how to put their values back among the other inputs, and which
   * inputs are 0-d constants (Scalars).
   */
  private edges(
    inputs: ReadonlyArray<NdArray>,
    zeroDimEdges = false,
  ): {
    readonly edges: Tensor[]
    readonly fill: (vs: ReadonlyArray<NdArray>) => NdArray[]
    readonly scalar: boolean[]
  } {
    const edges: Tensor[] = []
    const slots: Array<number | NdArray> = []
    const scalar: boolean[] = []
    for (const x of inputs) {
      const traced = this.own(x)
      scalar.push(!traced && x.ndim === 0)
      if (traced || (isFloat(x.dtype) && (x.ndim > 0 || zeroDimEdges))) {
        slots.push(edges.length)
        edges.push(traced ? x.tensor : this.constant(x))
      } else slots.push(x)
    }
    return { edges, fill: (vs) => slots.map((s) => (typeof s === 'number' ? (vs[s] as NdArray) : s)), scalar }
  }
}

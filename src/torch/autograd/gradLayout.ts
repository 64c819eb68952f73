/**
 * What PyTorch's gradient tensors look like to `AccumulateGrad`, so `.grad`'s `_version` and
 * identity match PyTorch's. A leaf's first gradient is *stolen* (`.grad` is the incoming tensor,
 * keeping its version counter) when nothing else holds that tensor and its strides obey the
 * gradient layout contract (those of the leaf); otherwise it is copied into a new tensor with
 * `copy_` (version 1). Which gradients can be stolen depends on PyTorch's backward formulas,
 * modelled here per node:
 * - a formula returning its incoming gradient unchanged (`AddBackward0`, `CloneBackward0`, …)
 *   passes the same tensor on (the facade's VJP returns the same array: the engine then passes the
 *   same Tensor), so a gradient shared by two leaves is copied for the first one;
 * - `sum` returns an expanded view (stride 0): never stolen;
 * - view nodes return a view of their incoming gradient, so its layout carries over, permuted by
 *   `t`/`transpose`/`permute`;
 * - formulas that write into a fresh zero tensor (`index`, `gather`, `max(dim)`, `sort`, …)
 *   return a tensor whose version is already 1 or 2 (checked against PyTorch 1.13 in
 *   test/torch/gradVersion.test.ts; fixture script test/fixtures/grad_version.py).
 *
 * @category torch
 * @since 0.2.0
 */
import { shapesEqual } from '../../ndarray/shape'
import type { Tensor } from '../tensor'
import { viewStrides } from '../ops/views'
import { iterGradStrides, preservedStrides, rot90Strides } from './iterLayout'
import { dimsOf, heldArray, swappedOf } from './swapped'
import { columnMajorStrides } from './solverLayout'
import type { Node } from './node'

/** Nodes whose input gradient is an expanded (stride-0) view of the incoming one. */
const EXPANDS: ReadonlySet<string> = new Set(['SumBackward0', 'SumBackward1'])

/** View nodes: the input gradient is a view of the incoming one (its layout carries over). */
const VIEWS: ReadonlySet<string> = new Set([
  'ViewBackward0',
  'UnsafeViewBackward0',
  'ReshapeAliasBackward0',
  'UnsqueezeBackward0',
  'UnsqueezeBackward1',
  'SqueezeBackward0',
  'SqueezeBackward1',
  'SqueezeBackward2',
  'SqueezeBackward3',
  'SqueezeBackward4',
  'AliasBackward0',
  'TBackward0',
  'TBackward1',
  'PermuteBackward0',
  'TransposeBackward0',
  'TransposeBackward1',
])

/** The version PyTorch's fresh input gradient already has (its formula writes into it in place). */
const VERSIONS: Readonly<Record<string, number>> = {
  IndexBackward0: 1,
  GatherBackward0: 1,
  IndexSelectBackward0: 1,
  TakeBackward0: 1,
  MaskedSelectBackward0: 1,
  MaximumBackward0: 1,
  MinimumBackward0: 1,
  MaxBackward1: 1,
  MinBackward1: 1,
  MedianBackward0: 1,
  NanmedianBackward0: 1,
  MaxBackward0: 2,
  MinBackward0: 2,
  // value_selecting_reduction_backward / cummaxmin_backward: at::zeros, then scatter_(_add_)
  MedianBackward1: 2,
  NanmedianBackward1: 2,
  KthvalueBackward0: 2,
  ModeBackward0: 2,
  CummaxBackward0: 2,
  CumminBackward0: 2,
  SortBackward0: 2,
  TopkBackward0: 2,
  CopySlices: 2,
  AsStridedBackward0: 2,
  // roll's kernel writes into a new tensor, even for shifts that leave every element in place
  RollBackward0: 0,
  // layer_norm_backward's kernel writes dbeta into a new tensor, even where no dimension is summed
  NativeLayerNormBackward0: 0,
}

/**
 * Versions per input where only some inputs' formulas write in place: `copysign.Tensor`'s
 * `other: zeros_like(other)` (`empty_like`, then `zero_()`: version 1; its `self` gradient is a
 * new tensor). Checked against PyTorch 1.13 in test/torch/gradVersion.test.ts.
 */
const INPUT_VERSIONS: Readonly<Record<string, ReadonlyArray<number | undefined>>> = {
  CopysignBackward0: [undefined, 1],
}

/**
 * Formulas returning the incoming gradient itself where the input has the output's shape:
 * `repeat_backward` reshapes and sums only over repeats other than 1 (all ones: `grad` as is).
 */
const SAME_SHAPE_PASSES: ReadonlySet<string> = new Set(['RepeatBackward0'])

/** Formulas whose input gradient is `zeros_like(grad)` (laid out as grad in preserve_format). */
const ZEROS_LIKE: ReadonlySet<string> = new Set(['FillBackward2', 'FillBackward3', 'ZeroBackward0'])

/**
 * Formulas whose result is `empty_like(grad)` filled by a kernel (`log_sigmoid_backward`): grad's
 * layout, a size-1 dimension's stride 0 of an expanded grad included (then copied by AccumulateGrad).
 */
const EMPTY_LIKE: ReadonlySet<string> = new Set(['LogSigmoidBackward0'])

/** Element-wise formulas among VERSIONS: the engine sums their result to a broadcast input's shape. */
const ELEMENTWISE: ReadonlySet<string> = new Set(['MaximumBackward0', 'MinimumBackward0'])

const contiguous = (shape: ReadonlyArray<number>): number[] => {
  const s = new Array<number>(shape.length).fill(1)
  for (let i = shape.length - 2; i >= 0; i--) s[i] = (s[i + 1] as number) * Math.max(1, shape[i + 1] as number)
  return s
}

/** True when a tensor is an expanded view (a stride-0 dimension of size > 1). */
const expanded = (t: Tensor): boolean => t._strides.some((s, i) => s === 0 && (t._value().shape[i] as number) > 1)

/** The strides of `unsqueeze(…).expand`: 0 where a size-1 dimension grew, non-zero elsewhere. */
const expandedStrides = (shape: ReadonlyArray<number>): number[] => shape.map((n) => (n > 1 ? 0 : 1))

/**
 * Gives a node's input gradients PyTorch's layout, version and identity (without create_graph):
 * `gIns` as computed by the node's VJP from `gOut`, the node's incoming gradient (null for
 * nodes with several outputs). A view's gradient is a new tensor sharing gOut's version counter.
 */
export const layOutGrads = (
  node: Node,
  gOut: Tensor | null,
  gIns: ReadonlyArray<Tensor | null>,
): ReadonlyArray<Tensor | null> =>
  functionNodes.has(node) ? gIns : passesOn(node) ? passedOn(gOut, gIns) : laidOut(node, gOut, gIns)

/**
 * The nodes of `autograd.Function`s: their backward returns the user's own tensors, which reach
 * AccumulateGrad as they are (a copy sharing the incoming gradient's values — a reentrant
 * checkpoint's inputs' `.grad` — is not the incoming gradient; difftest 430103 430918 431600 431889).
 */
const functionNodes = new WeakSet<Node>()

/** Marks `node` as an `autograd.Function`'s node (see {@link layOutGrads}). */
export const markFunctionNode = (node: Node): void => void functionNodes.add(node)

/**
 * True when {@link layOutGrads} gives `node`'s input gradients as computed, but for those over its
 * incoming gradient's own value, which become the incoming gradient itself (a plain node without
 * permutation, column-major or iterator layouts).
 */
export const passesOn = (node: Node): boolean =>
  node._perm === null &&
  node._colMajor === null &&
  node._iter === null &&
  node._joined === null &&
  node._freshStrides === null &&
  node._rot90 === null &&
  node._gradVersions === null &&
  isPlain(node._name)

/** Names of nodes whose results {@link laidOut} leaves as they are (but for gradients passed on), cached. */
const PLAIN = new Map<string, boolean>()

/** True for a node name none of the layout tables lists. */
export const isPlain = (name: string): boolean => {
  // NOTE: a backward step asks twice for its node's name (its rule, then the layout): the second is
  // answered without hashing the name again
  if (name === lastName) return lastPlain
  let p = PLAIN.get(name)
  if (p === undefined) {
    p =
      !EXPANDS.has(name) &&
      !VIEWS.has(name) &&
      !ZEROS_LIKE.has(name) &&
      VERSIONS[name] === undefined &&
      INPUT_VERSIONS[name] === undefined &&
      !SAME_SHAPE_PASSES.has(name) &&
      !EMPTY_LIKE.has(name) &&
      name !== 'CopySlices'
    PLAIN.set(name, p)
  }
  lastName = name
  lastPlain = p
  return p
}
let lastName = ''
let lastPlain = false

/**
 * {@link laidOut} of a plain node without permutation, column-major or iterator layouts: a result
 * over the incoming gradient's own value is the incoming tensor (the list is copied only then).
 */
const passedOn = (gOut: Tensor | null, gIns: ReadonlyArray<Tensor | null>): ReadonlyArray<Tensor | null> => {
  if (gOut === null) return gIns
  const v = gOut._value()
  let out: Array<Tensor | null> | undefined
  for (let i = 0; i < gIns.length; i++) {
    const g = gIns[i]
    if (g === null || g === undefined || g === gOut || swappedOf(g) !== undefined || g._value() !== v) continue
    out ??= gIns.slice()
    out[i] = gOut
  }
  return out ?? gIns
}

/**
 * Lays out `g` when its node's formula makes a fresh tensor of a layout known at the forward
 * (`_freshStrides`) or computed from the incoming gradient's (`rot90`); false for other nodes.
 */
const freshLayout = (node: Node, gOut: Tensor | null, g: Tensor): boolean => {
  if (g === gOut) return false
  const fresh = node._freshStrides
  if (fresh !== null && fresh.length === dimsOf(g).length) {
    g._strides = [...fresh]
    return true
  }
  const rot = node._rot90
  if (rot === null || gOut === null) return false
  const st = rot90Strides({ shape: gOut._value().shape, strides: gOut._strides }, ...rot)
  if (st !== null) g._strides = st
  return true
}

const laidOut = (node: Node, gOut: Tensor | null, gIns: ReadonlyArray<Tensor | null>): Array<Tensor | null> =>
  gIns.map((g, i) => {
    if (g === null) return g
    if (freshLayout(node, gOut, g)) return g
    const joined = node._joined
    if (joined !== null && gOut !== null) return sliceOf(g, gOut, joined)
    const name = node._name
    // (a facade node named as a view that stands for a composite, e.g. N-D matmul's UnsafeViewBackward0, is not one)
    const isView =
      node._edges.length === 1 &&
      (EXPANDS.has(name) || (VIEWS.has(name) && gOut !== null && heldArray(g).size === heldArray(gOut).size))
    // a formula returning its incoming gradient: the same tensor (shared by every edge it reaches);
    // formulas that write into a fresh tensor (VERSIONS: an as_strided of the same geometry too) never do
    if (
      gOut !== null &&
      !isView &&
      swappedOf(g) === undefined &&
      g._value() === gOut._value() &&
      VERSIONS[name] === undefined
    )
      return gOut
    const shape = dimsOf(g)
    if (gOut !== null && SAME_SHAPE_PASSES.has(name) && swappedOf(g) === undefined && shapesEqual(shape, dimsOf(gOut)))
      return gOut
    if (gOut !== null && isView) {
      // the full sum expands a 0-d gradient: every dimension gets stride 0, size 1 or not
      if (name === 'SumBackward0') g._strides = shape.map(() => 0)
      else if (expanded(gOut) || (EXPANDS.has(name) && g._value().size !== gOut._value().size))
        g._strides = expandedStrides(shape)
      else if (node._perm !== null) g._strides = permuted(node._perm, gOut._strides)
      else if (!reshapedView(g, gOut)) return g
      g._counter = gOut._counter
      return g
    }
    if (gOut !== null && i === 0 && ZEROS_LIKE.has(name) && shapesEqual(shape, gOut._value().shape)) {
      const st = preservedStrides({ shape, strides: gOut._strides })
      if (st !== null) g._strides = st
    }
    if (node._colMajor?.[i] === true) g._strides = columnMajorStrides(shape) ?? g._strides
    else if (node._iter !== null && gOut !== null) {
      const st = iterGradStrides(name, node._iter, i, gOut, shape)
      if (st !== undefined && st !== null) g._strides = st
    }
    if (gOut !== null && EMPTY_LIKE.has(name) && shapesEqual(shape, gOut._value().shape))
      g._strides = preservedStrides({ shape, strides: gOut._strides }) ?? contiguous(shape)
    // CopySlices' other inputs get the gradients of the in-place op it stands for (fresh tensors)
    const v =
      name === 'CopySlices' && i > 0
        ? undefined
        : (VERSIONS[name] ?? INPUT_VERSIONS[name]?.[i] ?? node._gradVersions?.[i])
    // an element-wise formula's result summed to a broadcast input's shape is a new tensor (version 0)
    if (v !== undefined && !(ELEMENTWISE.has(name) && gOut !== null && !shapesEqual(shape, gOut._value().shape)))
      g._counter.v = v
    return g
  })

/**
 * View nodes whose formula returns a view of the incoming gradient whatever its layout (no
 * reshape that may copy): `squeeze`/`unsqueeze`/`t`/`transpose`/`permute`/`alias`, and `sum`'s
 * `expand`.
 */
const ALWAYS_VIEWS: ReadonlySet<string> = new Set(
  [...VIEWS, ...EXPANDS].filter((n) => !['ViewBackward0', 'UnsafeViewBackward0', 'ReshapeAliasBackward0'].includes(n)),
)

/**
 * Under create_graph a view node's input gradient is still a view of its incoming gradient, so it
 * shares that tensor's version counter (a view of `maximum`'s fresh, masked-filled gradient is at
 * version 1: difftest seed 322892). A facade node named as a view that stands for a composite
 * (its gradient not of the incoming one's size) is left alone.
 */
const viewCounters = (
  gOut: Tensor,
  gIns: ReadonlyArray<Tensor | null>,
  expands: boolean,
): ReadonlyArray<Tensor | null> => {
  for (const g of gIns) {
    if (g === null || g === gOut || swappedOf(g) !== undefined || swappedOf(gOut) !== undefined) continue
    if (expands || g._value().size === gOut._value().size) g._counter = gOut._counter
  }
  return gIns
}

/** Nodes of {@link VERSIONS} whose create_graph gradient is not their formula's fresh tensor as such. */
const NOT_FRESH_UNDER_CREATE_GRAPH: ReadonlySet<string> = new Set(['CopySlices', 'AsStridedBackward0'])

/**
 * The versions of a node's input gradients under create_graph: PyTorch's formulas write into a
 * fresh zero tensor in place there too (`index`: `zeros.index_put_(indices, grad, true)`, an
 * IndexPutImplBackward0 node when grad requires grad), so the gradient is at version 1 or 2
 * whether or not it requires grad (difftest seed 322479); layouts are not modelled there.
 */
export const createGraphVersions = (
  node: Node,
  gOut: Tensor | null,
  gIns: ReadonlyArray<Tensor | null>,
): ReadonlyArray<Tensor | null> => {
  const name = node._name
  if (gOut !== null && node._edges.length === 1 && ALWAYS_VIEWS.has(name))
    return viewCounters(gOut, gIns, EXPANDS.has(name))
  const v = VERSIONS[name]
  if (v === undefined || NOT_FRESH_UNDER_CREATE_GRAPH.has(name)) return gIns
  for (const g of gIns) {
    if (g === null || g === gOut || g._base !== null) continue
    // an element-wise formula's result summed to a broadcast input's shape is a new tensor (version 0)
    if (ELEMENTWISE.has(name) && gOut !== null && !shapesEqual(g._value().shape, gOut._value().shape)) continue
    g._counter.v = v
  }
  return gIns
}

/**
 * `cat`/`stack`'s gradient of one input: `grad.narrow(dim, …)` / `grad.select(dim, …)`, a view of
 * the incoming gradient `gOut` with its strides (less the selected dimension) and version counter;
 * AccumulateGrad then takes it as `.grad` only where those strides are the leaf's.
 */
const sliceOf = (g: Tensor, gOut: Tensor, joined: Node['_joined'] & object): Tensor => {
  if (g === gOut || swappedOf(g) !== undefined || swappedOf(gOut) !== undefined) return g
  const st = gOut._strides
  const rank = dimsOf(g).length
  if (joined.stack) {
    if (rank !== st.length - 1) return g
    g._strides = st.filter((_, k) => k !== joined.dim)
  } else {
    // a legacy 1-D empty input of cat gets a gradient of its own: `at::zeros({0})` (version 1)
    if (rank === 1 && dimsOf(g)[0] === 0) {
      g._counter.v = 1
      return g
    }
    if (rank !== st.length) return g
    g._strides = [...st]
  }
  g._counter = gOut._counter
  return g
}

/**
 * Lays out the gradient `g` of a view node that reshapes (view, squeeze, unsqueeze) from its
 * incoming gradient `gOut`: PyTorch's formula reshapes gOut, a view with computeStride's strides
 * when they exist (true: it shares gOut's version counter), else a contiguous copy (false).
 */
const reshapedView = (g: Tensor, gOut: Tensor): boolean => {
  const st = viewStrides(gOut._value().shape, gOut._strides, g._value().shape)
  if (st === undefined) return false
  g._strides = st
  return true
}

/**
 * Marks which matrix inputs of an `mm`/`addmm` node are column-major (PyTorch's test in
 * `mm_mat1_backward`/`mm_mat2_backward`: stride 1 down the rows, the row count across); their
 * gradients are then laid out column-major, so a `t()` view before the product gives its leaf a
 * gradient in the leaf's own layout (taken as `.grad`, version 0).
 */
export const markColumnMajor = (node: Node | null, inputs: ReadonlyArray<Tensor | null>): void => {
  if (node === null) return
  const col = inputs.map((t) => t !== null && isColumnMajor(t))
  if (col.some(Boolean)) node._colMajor = col
}

/** PyTorch's column-major test of a matrix operand of `mm`/`addmm` (see {@link markColumnMajor}). */
export const isColumnMajor = (t: Tensor): boolean => {
  const shape = dimsOf(t)
  if (shape.length !== 2) return false
  const st = t._strides
  return st[0] === 1 && st[1] === shape[0]
}

/** The strides of `grad.permute(inverse of p)`: dimension p[i] of the result is dimension i of grad. */
const permuted = (p: ReadonlyArray<number>, strides: ReadonlyArray<number>): number[] => {
  const st = new Array<number>(p.length).fill(1)
  p.forEach((d, i) => {
    st[d] = strides[i] as number
  })
  return st
}

/**
 * PyTorch's `obeys_layout_contract`: a gradient can become `.grad` as is when its strides are the
 * leaf's (where a dimension's size is not 1; size-1 dimensions only need a non-zero stride).
 */
export const obeysLayout = (g: Tensor, leaf: Tensor): boolean => {
  const shape = g._value().shape
  // a leaf without stride-0 dimensions is taken as non-overlapping and dense: its own strides
  const want = leaf._strides.some((x) => x === 0) ? contiguous(shape) : leaf._strides
  return shape.every((n, i) => (n === 1 ? g._strides[i] !== 0 : g._strides[i] === want[i]))
}

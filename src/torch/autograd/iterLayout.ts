/**
 * The strides PyTorch's TensorIterator gives the result of an element-wise op (issue 10, difftest
 * class D1): the facade's values are always stored densely, but `stride()`, `is_contiguous()`,
 * `view()`'s refusal and which gradients `AccumulateGrad` may take as `.grad` depend on them.
 *
 * The rule (aten/src/ATen/TensorIterator.cpp): when every operand has the result's shape and all
 * are contiguous, the result is contiguous; when all are non-overlapping and dense with the same
 * strides, it has those strides. Otherwise the dimensions are ordered by the operands' strides
 * (the first operand that tells two dimensions apart decides; broadcast dimensions, stride 0, tell
 * nothing; equal strides put the smaller dimension first), and the result is dense in that order.
 * The same rule lays out the gradients element-wise backward formulas compute from the incoming
 * gradient and the saved inputs (see ./gradLayout.ts).
 *
 * @category torch
 * @since 0.2.0
 */
import type { Tensor } from '../tensor'

/** An operand's shape and strides (in elements). */
export interface Layout {
  readonly shape: ReadonlyArray<number>
  readonly strides: ReadonlyArray<number>
}

const contiguous = (shape: ReadonlyArray<number>): number[] => {
  const s = new Array<number>(shape.length).fill(1)
  for (let i = shape.length - 2; i >= 0; i--) s[i] = (s[i + 1] as number) * Math.max(1, shape[i + 1] as number)
  return s
}

const sameList = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i])

/** PyTorch's `is_contiguous` (size-1 dimensions may have any stride). */
export const isContiguous = (l: Layout): boolean => {
  let want = 1
  for (let i = l.shape.length - 1; i >= 0; i--) {
    const n = l.shape[i] as number
    if (n === 0) return true
    if (n === 1) continue
    if (l.strides[i] !== want) return false
    want *= n
  }
  return true
}

/** PyTorch's `is_non_overlapping_and_dense`: some permutation of the dimensions is contiguous. */
const isDense = (l: Layout): boolean => {
  const dims = l.shape.map((_, i) => i).filter((i) => (l.shape[i] as number) >= 2)
  dims.sort((a, b) => (l.strides[a] as number) - (l.strides[b] as number))
  let want = 1
  for (const d of dims) {
    if (l.strides[d] !== want) return false
    want *= l.shape[d] as number
  }
  return true
}

/** An operand's strides over the result's dimensions: 0 where it is broadcast (TensorIterator's compute_strides). */
const broadcastStrides = (l: Layout, shape: ReadonlyArray<number>): number[] => {
  const off = shape.length - l.shape.length
  return shape.map((n, i) => {
    if (i < off) return 0
    const m = l.shape[i - off] as number
    return m === 1 && n !== 1 ? 0 : (l.strides[i - off] as number)
  })
}

/** TensorIterator's reorder_dimensions: the result's dimensions, fastest first. */
const iterationOrder = (shape: ReadonlyArray<number>, strides: ReadonlyArray<ReadonlyArray<number>>): number[] => {
  const nd = shape.length
  const perm = Array.from({ length: nd }, (_, i) => nd - 1 - i)
  const shouldSwap = (d0: number, d1: number): number => {
    for (const st of strides) {
      const s0 = st[d0] as number
      const s1 = st[d1] as number
      if (s0 === 0 || s1 === 0) continue
      if (s0 < s1) return -1
      if (s0 > s1) return 1
      if ((shape[d0] as number) > (shape[d1] as number)) return 1
    }
    return 0
  }
  for (let i = 1; i < nd; i++) {
    let d1 = i
    for (let d0 = i - 1; d0 >= 0; d0--) {
      const c = shouldSwap(perm[d0] as number, perm[d1] as number)
      if (c > 0) {
        ;[perm[d0], perm[d1]] = [perm[d1] as number, perm[d0] as number]
        d1 = d0
      } else if (c < 0) break
    }
  }
  return perm
}

/**
 * The strides of an element-wise result of `shape` computed from `operands` (in PyTorch's operand
 * order), or null when they are the contiguous ones.
 */
export const iterStrides = (shape: ReadonlyArray<number>, operands: ReadonlyArray<Layout>): number[] | null => {
  if (shape.length < 2 || shape.includes(0)) return null
  const same = operands.every((o) => sameList(o.shape, shape))
  if (same && operands.every(isContiguous)) return null
  if (same && operands.every(isDense) && operands.every((o) => sameList(o.strides, (operands[0] as Layout).strides))) {
    const st = (operands[0] as Layout).strides
    return sameList(st, contiguous(shape)) ? null : [...st]
  }
  const perm = iterationOrder(
    shape,
    operands.map((o) => broadcastStrides(o, shape)),
  )
  if (perm.every((d, i) => d === shape.length - 1 - i)) return null
  const st = new Array<number>(shape.length).fill(0)
  let next = 1
  for (const d of perm) {
    st[d] = next
    next *= shape[d] as number
  }
  return st
}

/**
 * The strides of `empty_like(t)`/`clone(t)` in `preserve_format` for a tensor of layout `l`: its own
 * where it is non-overlapping and dense (size-1 dimensions keep any stride, 0 included), else
 * dense in its dimension order (PyTorch's `infer_dense_strides`); null for the row-major ones.
 */
export const preservedStrides = (l: Layout): number[] | null => {
  if (l.shape.includes(0)) return null
  if (!isDense(l)) return iterStrides(l.shape, [l])
  return sameList(l.strides, contiguous(l.shape)) ? null : [...l.strides]
}

const layoutOf = (t: Tensor): Layout => ({ shape: t._value().shape, strides: t._strides })

/**
 * Gives `t`, the result of an element-wise op over `inputs` (PyTorch's operand order), the strides
 * TensorIterator gives it, and records the inputs' layouts on its node for the gradients' layouts.
 */
export const withIterLayout = (t: Tensor, inputs: ReadonlyArray<Tensor>): Tensor => {
  // NOTE: a 0-d result (its inputs are 0-d: the op is element-wise) and its gradients have no strides to lay out
  if (t._value().shape.length === 0) return t
  const layouts = inputs.map(layoutOf)
  const st = iterStrides(t._value().shape, layouts)
  if (st !== null) t._strides = st
  if (t._gradFn !== null) t._gradFn._iter = layouts
  return t
}

/**
 * Reductions whose input gradient is an element-wise product of the (keepdim) incoming gradient and
 * the input: their node's `_iter` is [self, the keepdim layout] ({@link withReductionLayout}). True:
 * the gradient operand comes first (var_backward's `c * grad * (self - self.mean(dim, true))`,
 * prod_backward's `grad * result / self`); false: self does (the norms' `self * (grad / norm)`).
 */
const REDUCTIONS: Readonly<Record<string, boolean>> = {
  VarBackward0: true,
  StdBackward0: true,
  ProdBackward0: true,
  ProdBackward1: true,
  LinalgVectorNormBackward0: false,
  NormBackward1: false,
}

/**
 * Records on `t`'s node, a reduction of `self` over `axes` (see REDUCTIONS), the layouts its
 * gradient formula reads: self's and the contiguous keepdim shape's (1 at `axes`). Returns `t`.
 */
export const withReductionLayout = (t: Tensor, self: Tensor, axes: ReadonlyArray<number>): Tensor => {
  if (t._gradFn === null) return t
  const shape = self._value().shape
  const kd = shape.map((n, d) => (axes.includes(d) ? 1 : n))
  t._gradFn._iter = [layoutOf(self), { shape: kd, strides: contiguous(kd) }]
  return t
}

/** The strides of a reduction's input gradient (REDUCTIONS): self then the keepdim operand, or the product `grad * d` of d so laid out. */
const reductionGradStrides = (
  shape: ReadonlyArray<number>,
  [self, kd]: ReadonlyArray<Layout>,
  gradFirst: boolean,
): number[] | null => {
  const d = iterStrides(shape, [self as Layout, kd as Layout])
  return gradFirst ? iterStrides(shape, [kd as Layout, { shape, strides: d ?? contiguous(shape) }]) : d
}

/** The layout of an element-wise result of `shape` over `operands`. */
const laid = (shape: ReadonlyArray<number>, operands: ReadonlyArray<Layout>): Layout => ({
  shape,
  strides: iterStrides(shape, operands) ?? contiguous(shape),
})

/** A 0-d operand (`at::zeros({})`): broadcast everywhere, it orders no dimension but rules out the same-shape fast path. */
const SCALAR: Layout = { shape: [], strides: [] }

/**
 * The strides of a tensor exponent's pow gradients (PowBackward1), step by step as PyTorch's
 * formulas compute them, each intermediate laid out by TensorIterator:
 * - self: `where(exponent == 0, zeros({}), grad * (exponent * self.pow(exponent - 1)))`;
 * - exponent: `grad * where(self == 0 & exponent >= 0, zeros({}), result * self.log())`, where
 *   `result` is the forward's output (laid out over [self, exponent]).
 */
const powGradStrides = (
  shape: ReadonlyArray<number>,
  [self, exponent]: ReadonlyArray<Layout>,
  i: number,
  g: Layout,
): number[] | null => {
  const x = self as Layout
  const e = exponent as Layout
  if (i === 0) {
    const power = laid(shape, [x, laid(e.shape, [e, SCALAR])])
    const term = laid(shape, [g, laid(shape, [e, power])])
    return iterStrides(shape, [laid(e.shape, [e, SCALAR]), SCALAR, term])
  }
  const result = laid(shape, [x, e])
  const cond = laid(shape, [laid(x.shape, [x, SCALAR]), laid(e.shape, [e, SCALAR])])
  const chosen = laid(shape, [cond, SCALAR, laid(shape, [result, laid(x.shape, [x])])])
  return iterStrides(shape, [g, chosen])
}

/** clamp with scalar bounds: the formula's mask (from self) is where's first operand. */
const SCALAR_CLAMPS: ReadonlySet<string> = new Set(['ClampBackward1', 'ClampMinBackward0', 'ClampMaxBackward0'])

/** Formulas of the incoming gradient alone (`grad`, `-grad`, `grad * alpha`): no saved input decides the layout. */
const GRAD_ONLY: ReadonlySet<string> = new Set(['AddBackward0', 'SubBackward0', 'RsubBackward0', 'RsubBackward1'])

/**
 * The strides of input `i`'s gradient `g` computed by node `name`'s element-wise formula from the
 * incoming gradient `gOut` and the saved inputs it reads (a unary formula its input or result, a
 * binary one the other input: `grad * other`), or null for contiguous ones; undefined when `g` is
 * not laid out by the formula (a broadcast input's gradient is summed to its shape, a new
 * contiguous tensor).
 */
export const iterGradStrides = (
  name: string,
  iter: ReadonlyArray<Layout>,
  i: number,
  gOut: Tensor,
  shape: ReadonlyArray<number>,
): number[] | null | undefined => {
  const own = iter[i]
  const gradFirst = REDUCTIONS[name]
  if (gradFirst !== undefined)
    return own === undefined || iter.length !== 2 ? undefined : reductionGradStrides(shape, iter, gradFirst)
  if (own === undefined || !sameList(own.shape, shape) || !sameList(gOut._value().shape, shape)) return undefined
  const g = layoutOf(gOut)
  // pow's formula for a scalar exponent reads self (grad·e·x^(e−1))
  if (name === 'PowBackward0') return iterStrides(shape, [g, own])
  // where's formulas: `where(condition, grad, 0)` and `where(condition, 0, grad)`
  if (name === 'WhereBackward0' && iter.length === 3) return iterStrides(shape, [iter[0] as Layout, g])
  if (name === 'PowBackward1' && iter.length === 2) return powGradStrides(shape, iter, i, g)
  // clamp_backward with scalar bounds: `where((self >= min).logical_and_(self <= max), grad, zeros({}))`
  if (i === 0 && SCALAR_CLAMPS.has(name)) return iterStrides(shape, [laid(shape, [own, SCALAR]), g, SCALAR])
  // maximum's and minimum's formulas: `where(self == other, grad / 2, grad).masked_fill_(…)`
  if ((name === 'MaximumBackward0' || name === 'MinimumBackward0') && iter.length === 2)
    return iterStrides(shape, [laid(shape, iter), laid(shape, [g, SCALAR]), g])
  const reads = iter.length === 1 ? [own] : GRAD_ONLY.has(name) ? [] : iter.filter((_, k) => k !== i)
  return iterStrides(shape, [g, ...reads])
}

/**
 * The strides of `rot90` by `k` turns (0–3) in the plane of dims (a, b) of a tensor of layout `l`
 * (and of its gradient, `grad.rot90(-k)`, of the incoming gradient's layout): a `flip`, laid out
 * like its input as TensorIterator lays out an element-wise result, then for an odd number of
 * turns transposed in place (dims a and b swapped); no turn is a row-major clone. Null: row-major.
 */
export const rot90Strides = (l: Layout, k: number, a: number, b: number): number[] | null => {
  if (k === 0 || l.shape.length < 2) return null
  const st = iterStrides(l.shape, [l]) ?? contiguous(l.shape)
  if (k % 2 === 0) return sameList(st, contiguous(l.shape)) ? null : st
  const out = [...st]
  const shape = [...l.shape]
  ;[out[a], out[b]] = [st[b] as number, st[a] as number]
  ;[shape[a], shape[b]] = [l.shape[b] as number, l.shape[a] as number]
  return sameList(out, contiguous(shape)) ? null : out
}

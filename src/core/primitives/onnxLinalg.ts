/**
 * ONNX export rules of the matrix decompositions (ONNX has none of them, only `Det`): each is
 * the kernel's algorithm written as an ONNX `Loop` over the columns (or rows) of the matrices,
 * batched over the leading axes by broadcasting. As the kernels (`src/ndarray/kernels/linalg`),
 * the graphs compute in float64 and round once when the result is float32, so an exported
 * decomposition differs from wengert's by the summation order only.
 *
 * @category primitives
 * @since 0.2.0
 */
import type { DType } from '../../ndarray/dtype'
import type { Aval } from '../equation'
import type { OnnxEmitter, OnnxMultiRule, OnnxRule } from '../onnxRule'
import type { NoParams } from '../primitive'
import type { TriangularSolveParams } from './decompositions'

const INDEX: Aval = { shape: [], dtype: 'int64' }
const FLAG: Aval = { shape: [], dtype: 'bool' }

// -------------------------------------------------------------------------------------
// helpers shared by the rules
// -------------------------------------------------------------------------------------

/** `x` in float64 (the kernels' working precision). */
export const widen = (emit: OnnxEmitter, x: string, dtype: DType): string =>
  dtype === 'float64' ? x : emit.cast(x, 'float64')

/** A float64 result rounded once to `dtype`. */
export const narrow = (emit: OnnxEmitter, x: string, dtype: DType): string =>
  dtype === 'float64' ? emit.op('Identity', [x]) : emit.cast(x, dtype)

/** The transpose of the last two axes of a rank-`rank` value. */
export const swapLast = (emit: OnnxEmitter, x: string, rank: number): string => {
  const perm = Array.from({ length: rank }, (_, i) => i)
  perm[rank - 2] = rank - 1
  perm[rank - 1] = rank - 2
  return emit.op('Transpose', [x], { perm: { ints: perm } })
}

/** The int64 constant `[0, 1, …, n − 1]` shaped `shape` (a column `[n, 1]` or a row `[1, n]`). */
export const arange = (emit: OnnxEmitter, n: number, shape: ReadonlyArray<number>): string =>
  emit.op('Reshape', [emit.ints(Array.from({ length: n }, (_, i) => i)), emit.ints(shape)], { allowzero: { int: 1 } })

/** float64 zeros of the runtime shape of `like` (dynamic batch axes stay dynamic). */
export const zerosLike = (emit: OnnxEmitter, like: string): string =>
  emit.cast(emit.op('ConstantOfShape', [emit.op('Shape', [like])]), 'float64')

/** Slice `i` (a 1-element int64 index) of `x` along `axis`, the axis kept (length 1). */
export const take = (emit: OnnxEmitter, x: string, idx: string, axis: number): string =>
  emit.op('Gather', [x, idx], { axis: { int: axis } })

/**
 * An ONNX `Loop` of `n` iterations over float64 carries: `body(sub, i, carries)` returns the new
 * carries followed by per-iteration outputs (stacked along a new leading axis).
 */
export const loop = (
  emit: OnnxEmitter,
  n: number,
  carries: ReadonlyArray<{ readonly name: string; readonly aval: Aval }>,
  scans: ReadonlyArray<Aval>,
  body: (sub: OnnxEmitter, i: string, carries: ReadonlyArray<string>) => ReadonlyArray<string>,
): string[] => {
  const avals = carries.map((c) => c.aval)
  const graph = emit.graph([INDEX, FLAG, ...avals], [FLAG, ...avals, ...scans], (sub, [i, c, ...k]) => [
    sub.op('Identity', [c as string]),
    ...body(sub, i as string, k),
  ])
  const inits = carries.map((c) => c.name)
  return emit.node('Loop', [emit.scalar(n, 'int64'), '', ...inits], { body: { graph } }, carries.length + scans.length)
}

const f64 = (shape: ReadonlyArray<number>): Aval => ({ shape, dtype: 'float64' })

/** (A + Aᵀ)/2 in float64, rounded to `dtype` first as the primitives' `symmetrized` input is. */
export const symmetricPart = (emit: OnnxEmitter, x: string, dtype: DType, rank: number): string => {
  const w = widen(emit, x, dtype)
  const sym = emit.op('Mul', [emit.op('Add', [w, swapLast(emit, w, rank)]), emit.scalar(0.5, 'float64')])
  return dtype === 'float64' ? sym : widen(emit, emit.cast(sym, dtype), dtype)
}

// -------------------------------------------------------------------------------------
// cholesky
// -------------------------------------------------------------------------------------

/**
 * `cholesky` (of the symmetric part, as the primitive): left-looking, one column per iteration,
 * v = a_j − L·l_jᵀ (L holds the columns done, zeros elsewhere), L_jj = √v_j, L_ij = v_i / L_jj
 * below. As the kernel, a factor with a pivot that is not positive (or NaN) is all NaN: the
 * loop also emits every L_jj, and the factor is replaced by NaN unless all are > 0.
 */
export const choleskyOnnx: OnnxRule<NoParams> = ({ inputs: [x], avals: [a], emit }) => {
  const { shape, dtype } = a as Aval
  const r = shape.length
  const n = shape[r - 1] as number
  if (n === 0) return emit.op('Identity', [x as string])
  const sym = symmetricPart(emit, x as string, dtype, r)
  const rows = arange(emit, n, [n, 1])
  const cols = arange(emit, n, [1, n])
  const batch = shape.slice(0, -2)
  const [l, diags] = loop(emit, n, [{ name: zerosLike(emit, sym), aval: f64(shape) }], [f64(batch)], (sub, i, [lk]) => {
    const idx = sub.op('Unsqueeze', [i, sub.ints([0])])
    const lj = swapLast(sub, take(sub, lk as string, idx, r - 2), r) // [..., n, 1]: row j of L as a column
    const v = sub.op('Sub', [take(sub, sym, idx, r - 1), sub.op('MatMul', [lk as string, lj])])
    const d = sub.op('Sqrt', [take(sub, v, idx, r - 2)]) // [..., 1, 1]
    const below = sub.op('Where', [sub.op('Greater', [rows, i]), sub.op('Div', [v, d]), sub.scalar(0, 'float64')])
    const col = sub.op('Where', [sub.op('Equal', [rows, i]), d, below])
    const next = sub.op('Where', [sub.op('Equal', [cols, i]), col, lk as string])
    return [next, sub.op('Squeeze', [d, sub.ints([r - 2, r - 1])])]
  })
  const positive = emit.cast(emit.op('Greater', [diags as string, emit.scalar(0, 'float64')]), 'float64')
  const ok = emit.op('Unsqueeze', [emit.reduce('ReduceMin', positive, [0]), emit.ints([r - 2, r - 1])])
  const failed = emit.op('Less', [ok, emit.scalar(0.5, 'float64')])
  return narrow(emit, emit.op('Where', [failed, emit.scalar(NaN, 'float64'), l as string]), dtype)
}

// -------------------------------------------------------------------------------------
// triangular_solve
// -------------------------------------------------------------------------------------

/**
 * `triangular_solve`: the right-side system X·op(A) = B is solved as op(A)ᵀ·Xᵀ = Bᵀ; then T =
 * op(triangle of A) (diagonal ones when `unitDiagonal`; the other triangle is never read) and a
 * substitution loop over the rows of X, forward when T is lower, backward when upper:
 * X_i = (B_i − T_i,≠i·X) / T_ii, with X's unsolved rows still zero.
 */
export const triangularSolveOnnx: OnnxRule<TriangularSolveParams> = ({ inputs: [xa, xb], avals, params: p, emit }) => {
  const [a, b] = avals as [Aval, Aval]
  const r = a.shape.length
  const m = a.shape[r - 1] as number
  if (m === 0 || (b.shape as number[]).includes(0)) return emit.op('Identity', [xb as string])
  const rows = arange(emit, m, [m, 1])
  const cols = arange(emit, m, [1, m])
  const keep = emit.op(p.lower ? 'GreaterOrEqual' : 'LessOrEqual', [rows, cols])
  let t = emit.op('Where', [keep, widen(emit, xa as string, a.dtype), emit.scalar(0, 'float64')])
  if (p.unitDiagonal) t = emit.op('Where', [emit.op('Equal', [rows, cols]), emit.scalar(1, 'float64'), t])
  const transposed = p.leftSide ? p.transposeA : !p.transposeA
  if (transposed) t = swapLast(emit, t, r)
  const wb = widen(emit, xb as string, b.dtype)
  const rhs = p.leftSide ? wb : swapLast(emit, wb, r)
  const forward = p.lower !== transposed
  const [x] = loop(emit, m, [{ name: zerosLike(emit, rhs), aval: f64(shapeOf(b, p.leftSide)) }], [], (sub, i, [xk]) => {
    const row = forward ? i : sub.op('Sub', [sub.scalar(m - 1, 'int64'), i])
    const idx = sub.op('Unsqueeze', [row, sub.ints([0])])
    const ti = take(sub, t, idx, r - 2) // [..., 1, m]
    const off = sub.op('Where', [sub.op('Equal', [cols, row]), sub.scalar(0, 'float64'), ti])
    const s = sub.op('Sub', [take(sub, rhs, idx, r - 2), sub.op('MatMul', [off, xk as string])])
    const xi = p.unitDiagonal ? s : sub.op('Div', [s, take(sub, ti, idx, r - 1)])
    return [sub.op('Where', [sub.op('Equal', [rows, row]), xi, xk as string])]
  })
  return narrow(emit, p.leftSide ? (x as string) : swapLast(emit, x as string, r), b.dtype)
}

/** The shape of the left-side right-hand side: B's, or Bᵀ's for a right-side solve. */
const shapeOf = (b: Aval, leftSide: boolean): number[] => {
  const s = b.shape.slice()
  const r = s.length
  if (!leftSide) [s[r - 2], s[r - 1]] = [s[r - 1] as number, s[r - 2] as number]
  return s
}

// -------------------------------------------------------------------------------------
// lu and lu_pivots_to_permutation
// -------------------------------------------------------------------------------------

/**
 * The permutation of `0..m−1` that the pivots `[..., k]` (int64) produce (row i swapped with row
 * pivots[i], in order), int64 `[..., m]`: a Loop over the pivots swapping two entries.
 */
const permutationOfPivots = (
  emit: OnnxEmitter,
  pivots: string,
  batch: ReadonlyArray<number>,
  k: number,
  m: number,
): string => {
  const rank = batch.length + 1
  const idx = arange(emit, m, [m])
  const shape = emit.op('Concat', [emit.op('Shape', [pivots], { end: { int: -1 } }), emit.ints([m])], {
    axis: { int: 0 },
  })
  const init = emit.op('Expand', [idx, shape])
  if (k === 0) return init
  const perm: Aval = { shape: [...batch, m], dtype: 'int64' }
  const graph = emit.graph([INDEX, FLAG, perm], [FLAG, perm], (sub, [i, c, pk]) => {
    const p = sub.op('Gather', [pivots, sub.op('Unsqueeze', [i as string, sub.ints([0])])], { axis: { int: rank - 1 } })
    const sw = swapIndex(sub, idx, i as string, p)
    return [
      sub.op('Identity', [c as string]),
      sub.op('GatherElements', [pk as string, sw], { axis: { int: rank - 1 } }),
    ]
  })
  return emit.node('Loop', [emit.scalar(k, 'int64'), '', init], { body: { graph } })[0] as string
}

/** The index vector that swaps positions `i` and `p` (broadcast over `idx`, `0..m−1`). */
const swapIndex = (emit: OnnxEmitter, idx: string, i: string, p: string): string =>
  emit.op('Where', [emit.op('Equal', [idx, i]), p, emit.op('Where', [emit.op('Equal', [idx, p]), i, idx])])

/**
 * `lu_pivots_to_permutation`: the swaps applied in order to `0..m−1`. Pivots outside `[0, m)`
 * (wengert raises ValueError) make ONNX Runtime's `GatherElements` fail.
 */
export const pivotsToPermutationOnnx: OnnxRule<{ readonly permutationSize: number }> = ({
  inputs: [x],
  avals: [a],
  params: { permutationSize: m },
  emit,
}) => {
  const { shape } = a as Aval
  const pivots = emit.cast(x as string, 'int64')
  const k = shape[shape.length - 1] as number
  return emit.cast(permutationOfPivots(emit, pivots, shape.slice(0, -1), k, m), 'int32')
}

/**
 * `lu` (partial pivoting, any m×n), right-looking, one column k per iteration as the kernel's
 * panel: the pivot is the first row at or below k of largest magnitude (NaN entries never win;
 * a NaN diagonal keeps row k, as BLAS idamax from it), rows k and p are swapped, and unless the
 * pivot is zero the multipliers L_ik = W_ik / W_kk replace column k below the diagonal and the
 * trailing block takes W_ij − L_ik·W_kj. The pivots are the loop's per-iteration outputs; the
 * permutation is {@link permutationOfPivots} of them.
 */
export const luOnnx: OnnxMultiRule<NoParams> = ({ inputs: [x], avals: [a], emit }) => {
  const { shape, dtype } = a as Aval
  const r = shape.length
  const [m, n] = [shape[r - 2] as number, shape[r - 1] as number]
  const k = Math.min(m, n)
  const batch = shape.slice(0, -2)
  const w = widen(emit, x as string, dtype)
  if (k === 0) {
    const none = emit.op('Expand', [emit.ints([]), emit.ints([...batch, 0])])
    return [
      narrow(emit, w, dtype),
      emit.cast(none, 'int32'),
      emit.cast(permutationOfPivots(emit, none, batch, 0, m), 'int32'),
    ]
  }
  const rows = arange(emit, m, [m, 1])
  const cols = arange(emit, n, [1, n])
  const [packed, ps] = loop(
    emit,
    k,
    [{ name: w, aval: f64(shape) }],
    [{ shape: batch, dtype: 'int64' }],
    (sub, i, [wk]) => {
      const idx = sub.op('Unsqueeze', [i, sub.ints([0])])
      const mag = sub.op('Abs', [take(sub, wk as string, idx, r - 1)]) // [..., m, 1]
      const skip = sub.op('Or', [sub.op('Less', [rows, i]), sub.op('IsNaN', [mag])])
      const best = sub.op('ArgMax', [sub.op('Where', [skip, sub.scalar(-1, 'float64'), mag])], {
        axis: { int: r - 2 },
        keepdims: { int: 1 },
      })
      const p = sub.op('Where', [sub.op('IsNaN', [take(sub, mag, idx, r - 2)]), i, best]) // [..., 1, 1]
      const sw = sub.op('Expand', [swapIndex(sub, rows, i, p), sub.op('Shape', [wk as string])])
      const ws = sub.op('GatherElements', [wk as string, sw], { axis: { int: r - 2 } })
      const col = take(sub, ws, idx, r - 1)
      const d = take(sub, col, idx, r - 2)
      const below = sub.op('And', [
        sub.op('Greater', [rows, i]),
        sub.op('Not', [sub.op('Equal', [d, sub.scalar(0, 'float64')])]),
      ])
      const l = sub.op('Div', [col, d])
      const update = sub.op('Sub', [ws, sub.op('Mul', [l, take(sub, ws, idx, r - 2)])])
      const trailing = sub.op('And', [below, sub.op('Greater', [cols, i])])
      const next = sub.op('Where', [trailing, update, ws])
      const withL = sub.op('Where', [sub.op('And', [below, sub.op('Equal', [cols, i])]), l, next])
      return [withL, sub.op('Squeeze', [p, sub.ints([r - 2, r - 1])])]
    },
  )
  const perm = Array.from({ length: r - 1 }, (_, j) => (j + 1) % (r - 1))
  const pivots = emit.op('Transpose', [ps as string], { perm: { ints: perm } })
  return [
    narrow(emit, packed as string, dtype),
    emit.cast(pivots, 'int32'),
    emit.cast(permutationOfPivots(emit, pivots, batch, k, m), 'int32'),
  ]
}

// -------------------------------------------------------------------------------------
// qr
// -------------------------------------------------------------------------------------

/** The float64 identity `[m, m]`, as a constant computation. */
export const identity = (emit: OnnxEmitter, m: number): string =>
  emit.cast(emit.op('Equal', [arange(emit, m, [m, 1]), arange(emit, m, [1, m])]), 'float64')

/** Rows `[0, rows)` and columns `[0, cols)` of the last two axes. */
const topLeft = (emit: OnnxEmitter, x: string, rank: number, rows: number, cols: number): string =>
  emit.op('Slice', [x, emit.ints([0, 0]), emit.ints([rows, cols]), emit.ints([rank - 2, rank - 1])])

/**
 * `qr` by Householder reflections as the kernel (LAPACK larfg: v₀ = 1, β = −sign(α)·‖x‖ with
 * sign(0) = +, τ = (β − α)/β, no reflection when the column below the diagonal is zero), one
 * column j per iteration: W ← H_j·W on the columns right of j, R's column j is β over zeros, and
 * Q ← Q·H_j accumulates H₀·H₁·… from the identity (the kernel applies the same reflectors to
 * the identity in reverse order).
 */
export const qrOnnx: OnnxMultiRule<{ readonly fullMatrices: boolean }> = ({
  inputs: [x],
  avals: [a],
  params,
  emit,
}) => {
  const { shape, dtype } = a as Aval
  const r = shape.length
  const [m, n] = [shape[r - 2] as number, shape[r - 1] as number]
  const k = Math.min(m, n)
  const [qCols, rRows] = params.fullMatrices ? [m, m] : [k, k]
  const w = widen(emit, x as string, dtype)
  const eye = emit.op('Expand', [identity(emit, m), emit.ints([...shape.slice(0, -2), m, m])])
  const rows = arange(emit, m, [m, 1])
  const cols = arange(emit, n, [1, n])
  const zero = emit.scalar(0, 'float64')
  const [wk, qk] =
    k === 0
      ? [w, eye]
      : loop(
          emit,
          k,
          [
            { name: w, aval: f64(shape) },
            { name: eye, aval: f64([...shape.slice(0, -2), m, m]) },
          ],
          [],
          (sub, j, [wj, qj]) => {
            const h = reflector(sub, wj as string, j, rows, r)
            const vt = swapLast(sub, h.v, r)
            const apply = sub.op('Mul', [h.tau, sub.op('MatMul', [h.v, sub.op('MatMul', [vt, wj as string])])])
            const reflected = sub.op('Where', [
              sub.op('Greater', [cols, j]),
              sub.op('Sub', [wj as string, apply]),
              wj as string,
            ])
            const below = sub.op('Where', [
              sub.op('Greater', [rows, j]),
              zero,
              sub.op('Where', [sub.op('Equal', [rows, j]), h.beta, reflected]),
            ])
            const reduced = sub.op('Where', [sub.op('And', [sub.op('Equal', [cols, j]), h.reflects]), below, reflected])
            const qh = sub.op('Mul', [h.tau, sub.op('MatMul', [sub.op('MatMul', [qj as string, h.v]), vt])])
            return [reduced, sub.op('Sub', [qj as string, qh])]
          },
        )
  const upper = emit.op('Where', [emit.op('LessOrEqual', [rows, cols]), wk as string, zero])
  return [
    narrow(emit, topLeft(emit, qk as string, r, m, qCols), dtype),
    narrow(emit, topLeft(emit, upper, r, rRows, n), dtype),
  ]
}

/** LAPACK larfg on column j of `w` below row j: v ([..., m, 1], zero above j, v_j = 1), τ, β, and whether it reflects. */
const reflector = (
  emit: OnnxEmitter,
  w: string,
  j: string,
  rows: string,
  r: number,
): { v: string; tau: string; beta: string; reflects: string } => {
  const zero = emit.scalar(0, 'float64')
  const col = take(emit, w, emit.op('Unsqueeze', [j, emit.ints([0])]), r - 1) // [..., m, 1]
  const alpha = take(emit, col, emit.op('Unsqueeze', [j, emit.ints([0])]), r - 2)
  const tail = emit.op('Where', [emit.op('Greater', [rows, j]), col, zero])
  const scale = reduceKeep(emit, 'ReduceMax', emit.op('Abs', [tail]), r - 2)
  const reflects = emit.op('Not', [emit.op('Equal', [scale, zero])])
  const safe = emit.op('Where', [reflects, scale, emit.scalar(1, 'float64')])
  const scaled = emit.op('Div', [tail, safe])
  const xnorm = emit.op('Mul', [
    safe,
    emit.op('Sqrt', [reduceKeep(emit, 'ReduceSum', emit.op('Mul', [scaled, scaled]), r - 2)]),
  ])
  const norm = emit.op('Sqrt', [emit.op('Add', [emit.op('Mul', [alpha, alpha]), emit.op('Mul', [xnorm, xnorm])])])
  const sign = emit.op('Where', [
    emit.op('GreaterOrEqual', [alpha, zero]),
    emit.scalar(-1, 'float64'),
    emit.scalar(1, 'float64'),
  ])
  const beta = emit.op('Mul', [sign, norm])
  const v = emit.op('Where', [
    emit.op('Equal', [rows, j]),
    emit.scalar(1, 'float64'),
    emit.op('Div', [tail, emit.op('Sub', [alpha, beta])]),
  ])
  const tau = emit.op('Where', [reflects, emit.op('Div', [emit.op('Sub', [beta, alpha]), beta]), zero])
  return { v: emit.op('Where', [reflects, v, zero]), tau, beta, reflects }
}

/** A reduction over one axis keeping it (length 1). */
export const reduceKeep = (
  emit: OnnxEmitter,
  op: 'ReduceMax' | 'ReduceMin' | 'ReduceSum',
  x: string,
  axis: number,
): string => emit.op('Unsqueeze', [emit.reduce(op, x, [axis]), emit.ints([axis])])

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
import type { OnnxEmitter, OnnxRule } from '../onnxRule'
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
  emit.op('Reshape', [emit.ints(Array.from({ length: n }, (_, i) => i)), emit.ints(shape)])

/** float64 zeros of the runtime shape of `like` (dynamic batch axes stay dynamic). */
export const zerosLike = (emit: OnnxEmitter, like: string): string =>
  emit.cast(emit.op('ConstantOfShape', [emit.op('Shape', [like])]), 'float64')

/** Slice `i` (a 1-element int64 index) of `x` along `axis`, the axis kept (length 1). */
const take = (emit: OnnxEmitter, x: string, idx: string, axis: number): string =>
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
  const w = widen(emit, x as string, dtype)
  let sym = emit.op('Mul', [emit.op('Add', [w, swapLast(emit, w, r)]), emit.scalar(0.5, 'float64')])
  // the kernel factors the symmetric part rounded to the input's dtype
  if (dtype !== 'float64') sym = widen(emit, emit.cast(sym, dtype), dtype)
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

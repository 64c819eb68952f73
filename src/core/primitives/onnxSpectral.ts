/**
 * ONNX export rule of `eigh`: cyclic Jacobi rotations (ONNX has no eigensolver), in float64 as
 * the kernel computes, then the kernel's conventions — eigenvalues ascending, each eigenvector's
 * entry of largest magnitude (the first on ties) positive, all NaN for a matrix holding NaN or
 * ±∞ — so the exported results equal wengert's to rounding wherever the eigenvalues are
 * separated (the kernel's tridiagonal QL and Jacobi converge to the same decomposition).
 *
 * @category primitives
 * @since 0.2.0
 */
import type { Aval } from '../equation'
import type { OnnxEmitter, OnnxMultiRule } from '../onnxRule'
import type { NoParams } from '../primitive'
import { arange, loop, narrow, reduceKeep, symmetricPart, take } from './onnxLinalg'

/** Sweeps at most (Jacobi converges quadratically: a handful suffice for float64). */
const MAX_SWEEPS = 30

/**
 * One Jacobi rotation in the (p, q) plane (Golub & Van Loan, Alg. 8.5.2 sym.schur2): with
 * τ = (a_qq − a_pp)/(2a_pq), t = sign(τ)/(|τ| + √(1 + τ²)), c = 1/√(1 + t²), s = t·c,
 * A ← JᵀAJ zeroes a_pq, V ← V·J. `p`, `q` are 1-element int64 indices.
 */
const rotate = (
  emit: OnnxEmitter,
  a: string,
  v: string,
  p: string,
  q: string,
  r: number,
  lines: { readonly rows: string; readonly cols: string },
): [string, string] => {
  const f = (x: number): string => emit.scalar(x, 'float64')
  const ap = take(emit, a, p, r - 2)
  const aq = take(emit, a, q, r - 2)
  const [app, apq, aqq] = [take(emit, ap, p, r - 1), take(emit, ap, q, r - 1), take(emit, aq, q, r - 1)]
  const zero = emit.op('Equal', [apq, f(0)])
  const tau = emit.op('Div', [emit.op('Sub', [aqq, app]), emit.op('Mul', [f(2), emit.op('Where', [zero, f(1), apq])])])
  const sign = emit.op('Where', [emit.op('Less', [tau, f(0)]), f(-1), f(1)])
  const root = emit.op('Sqrt', [emit.op('Add', [f(1), emit.op('Mul', [tau, tau])])])
  const t = emit.op('Where', [zero, f(0), emit.op('Div', [sign, emit.op('Add', [emit.op('Abs', [tau]), root])])])
  const c = emit.op('Div', [f(1), emit.op('Sqrt', [emit.op('Add', [f(1), emit.op('Mul', [t, t])])])])
  const s = emit.op('Mul', [t, c])
  const turn = (y: string, axis: number, line: string): string => planeRotation(emit, y, axis, line, p, q, c, s)
  return [turn(turn(a, r - 2, lines.rows), r - 1, lines.cols), turn(v, r - 1, lines.cols)]
}

/**
 * (x_p, x_q) ← (c·x_p − s·x_q, s·x_p + c·x_q) for lines p, q of `x` along `axis` (rows at
 * rank − 2, columns at rank − 1); `line` numbers the lines (`[n, 1]` or `[1, n]`).
 */
export const planeRotation = (
  emit: OnnxEmitter,
  x: string,
  axis: number,
  line: string,
  p: string,
  q: string,
  c: string,
  s: string,
): string => {
  const xp = take(emit, x, p, axis)
  const xq = take(emit, x, q, axis)
  const np = emit.op('Sub', [emit.op('Mul', [c, xp]), emit.op('Mul', [s, xq])])
  const nq = emit.op('Add', [emit.op('Mul', [s, xp]), emit.op('Mul', [c, xq])])
  const atQ = emit.op('Where', [emit.op('Equal', [line, q]), nq, x])
  return emit.op('Where', [emit.op('Equal', [line, p]), np, atQ])
}

/** `eigh` of the symmetric part: Jacobi sweeps until the off-diagonal part is below ε·‖A‖ everywhere. */
export const eighOnnx: OnnxMultiRule<NoParams> = ({ inputs: [x], avals: [a], emit }) => {
  const { shape, dtype } = a as Aval
  const r = shape.length
  const n = shape[r - 1] as number
  const sym = symmetricPart(emit, x as string, dtype, r)
  const rows = arange(emit, n, [n, 1])
  const cols = arange(emit, n, [1, n])
  const offDiag = emit.op('Not', [emit.op('Equal', [rows, cols])])
  const eye = emit.cast(emit.op('Not', [offDiag]), 'float64')
  const vInit = emit.op('Expand', [eye, emit.op('Shape', [sym])])
  const pairs: Array<[number, number]> = []
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push([i, j])
  // ‖A‖²_F per matrix, times ε² (2⁻¹⁰⁴): sweeps stop when every off-diagonal part is below it
  const bound = emit.op('Mul', [
    reduceKeep(emit, 'ReduceSum', reduceKeep(emit, 'ReduceSum', squares(emit, sym), r - 1), r - 2),
    emit.scalar(2 ** -104, 'float64'),
  ])
  const [d, v] =
    pairs.length === 0 ? [sym, vInit] : sweeps(emit, sym, vInit, pairs, { shape, offDiag, bound, rows, cols })
  return finish(emit, d, v, sym, shape, dtype)
}

/** `m ⊙ m`. */
const squares = (e: OnnxEmitter, m: string): string => e.op('Mul', [m, m])

/** What {@link sweeps} needs of the matrices: shape, off-diagonal mask, stopping bound, index grids. */
interface SweepContext {
  readonly shape: ReadonlyArray<number>
  readonly offDiag: string
  readonly bound: string
  readonly rows: string
  readonly cols: string
}

/**
 * Cyclic Jacobi sweeps over `pairs` as an ONNX `Loop` (at most MAX_SWEEPS), stopping once every
 * matrix's off-diagonal part is below its bound: the diagonalised matrices and the rotations.
 */
const sweeps = (
  emit: OnnxEmitter,
  sym: string,
  vInit: string,
  pairs: ReadonlyArray<readonly [number, number]>,
  { shape, offDiag, bound, rows, cols }: SweepContext,
): [string, string] => {
  const r = shape.length
  const all = shape.map((_, i) => i)
  const mat: Aval = { shape, dtype: 'float64' }
  const ps = emit.ints(pairs.map(([i]) => i))
  const qs = emit.ints(pairs.map(([, j]) => j))
  const body = emit.graph(
    [{ shape: [], dtype: 'int64' }, { shape: [], dtype: 'bool' }, mat, mat],
    [{ shape: [], dtype: 'bool' }, mat, mat],
    (sub, [, , ak, vk]) => {
      const [an, vn] = loop(
        sub,
        pairs.length,
        [
          { name: ak as string, aval: mat },
          { name: vk as string, aval: mat },
        ],
        [],
        (inner, t, [ai, vi]) => {
          const idx = inner.op('Unsqueeze', [t, inner.ints([0])])
          const p = inner.op('Gather', [ps, idx])
          const q = inner.op('Gather', [qs, idx])
          return rotate(inner, ai as string, vi as string, p, q, r, { rows, cols })
        },
      )
      const off = sub.op('Where', [offDiag, squares(sub, an as string), sub.scalar(0, 'float64')])
      const excess = sub.op('Sub', [
        reduceKeep(sub, 'ReduceSum', reduceKeep(sub, 'ReduceSum', off, r - 1), r - 2),
        bound,
      ])
      const more = sub.op('Greater', [sub.reduce('ReduceMax', excess, all), sub.scalar(0, 'float64')])
      return [more, an as string, vn as string]
    },
  )
  return emit.node(
    'Loop',
    [emit.scalar(MAX_SWEEPS, 'int64'), emit.scalar(1, 'bool'), sym, vInit],
    { body: { graph: body } },
    2,
  ) as [string, string]
}

/**
 * The kernel's conventions on the converged diagonal `d` and rotations `v`: eigenvalues sorted
 * ascending (TopK, the lower index first on ties) with their columns, each column's first entry
 * of largest magnitude made positive, NaN for matrices holding NaN or ±∞.
 */
const finish = (
  emit: OnnxEmitter,
  d: string,
  v: string,
  sym: string,
  shape: ReadonlyArray<number>,
  dtype: Aval['dtype'],
): string[] => {
  const r = shape.length
  const n = shape[r - 1] as number
  const nan = emit.scalar(NaN, 'float64')
  const diagonal = emit.op('Equal', [arange(emit, n, [n, 1]), arange(emit, n, [1, n])])
  const w = emit.reduce('ReduceSum', emit.op('Where', [diagonal, d, emit.scalar(0, 'float64')]), [r - 1])
  const [sorted, order] = emit.node(
    'TopK',
    [w, emit.ints([n])],
    { axis: { int: r - 2 }, largest: { int: 0 }, sorted: { int: 1 } },
    2,
  ) as [string, string]
  const byColumn = emit.op('Expand', [emit.op('Unsqueeze', [order, emit.ints([r - 2])]), emit.op('Shape', [v])])
  const vs = emit.op('GatherElements', [v, byColumn], { axis: { int: r - 1 } })
  const largest = emit.op('ArgMax', [emit.op('Abs', [vs])], { axis: { int: r - 2 }, keepdims: { int: 1 } })
  const lead = emit.op('GatherElements', [vs, largest], { axis: { int: r - 2 } })
  const signed = emit.op('Where', [emit.op('Less', [lead, emit.scalar(0, 'float64')]), emit.op('Neg', [vs]), vs])
  const finite = emit.cast(
    emit.op('Not', [emit.op('Or', [emit.op('IsNaN', [sym]), emit.op('IsInf', [sym])])]),
    'float64',
  )
  const ok = reduceKeep(emit, 'ReduceMin', reduceKeep(emit, 'ReduceMin', finite, r - 1), r - 2) // [..., 1, 1]
  const bad = emit.op('Less', [ok, emit.scalar(0.5, 'float64')])
  const badRow = emit.op('Squeeze', [bad, emit.ints([r - 1])])
  return [
    narrow(emit, emit.op('Where', [badRow, nan, sorted]), dtype),
    narrow(emit, emit.op('Where', [bad, nan, signed]), dtype),
  ]
}

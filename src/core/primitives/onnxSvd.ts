/**
 * ONNX export rule of `svd` without singular vectors: the kernel's one-sided Jacobi (Hestenes)
 * on the columns of the tall orientation of A, in float64, its singular values the column norms,
 * sorted descending; NaN for a matrix holding NaN or ±∞, as the kernel.
 *
 * @category primitives
 * @since 0.2.0
 */
import { ValueError } from '../../ndarray/errors'
import type { Aval } from '../equation'
import type { OnnxEmitter, OnnxMultiRule } from '../onnxRule'
import { arange, loop, narrow, reduceKeep, swapLast, take, widen } from './onnxLinalg'
import { planeRotation } from './onnxSpectral'
import type { SvdParams } from './spectral'

/** Sweeps at most, as the kernel. */
const MAX_SWEEPS = 80

/**
 * One rotation of columns i and j of `x` ([..., p, k]) as the kernel's: none when γ = xᵢ·xⱼ is 0
 * or below `tol`·‖xᵢ‖‖xⱼ‖; otherwise ζ = (β − α)/(2γ), t = sign(ζ)/(|ζ| + √(1 + ζ²)),
 * c = 1/√(1 + t²), s = c·t (sign(0) = +).
 */
const rotateColumns = (
  emit: OnnxEmitter,
  x: string,
  i: string,
  j: string,
  tol: string,
  cols: string,
  r: number,
): string => {
  const f = (v: number): string => emit.scalar(v, 'float64')
  const xi = take(emit, x, i, r - 1)
  const xj = take(emit, x, j, r - 1)
  const dot = (u: string, v: string): string => reduceKeep(emit, 'ReduceSum', emit.op('Mul', [u, v]), r - 2)
  const [alpha, beta, gamma] = [dot(xi, xi), dot(xj, xj), dot(xi, xj)]
  const small = emit.op('LessOrEqual', [
    emit.op('Abs', [gamma]),
    emit.op('Mul', [tol, emit.op('Sqrt', [emit.op('Mul', [alpha, beta])])]),
  ])
  const skip = emit.op('Or', [emit.op('Equal', [gamma, f(0)]), small])
  const zeta = emit.op('Div', [
    emit.op('Sub', [beta, alpha]),
    emit.op('Mul', [f(2), emit.op('Where', [skip, f(1), gamma])]),
  ])
  const sign = emit.op('Where', [emit.op('GreaterOrEqual', [zeta, f(0)]), f(1), f(-1)])
  const root = emit.op('Sqrt', [emit.op('Add', [f(1), emit.op('Mul', [zeta, zeta])])])
  const t = emit.op('Where', [skip, f(0), emit.op('Div', [sign, emit.op('Add', [emit.op('Abs', [zeta]), root])])])
  const c = emit.op('Div', [f(1), emit.op('Sqrt', [emit.op('Add', [f(1), emit.op('Mul', [t, t])])])])
  return planeRotation(emit, x, r - 1, cols, i, j, c, emit.op('Mul', [c, t]))
}

/** Whether any pair of columns of some matrix of `x` is still not orthogonal to `tol` (a bool scalar). */
const anyPairLeft = (emit: OnnxEmitter, x: string, tol: string, k: number, r: number): string => {
  const g = emit.op('MatMul', [swapLast(emit, x, r), x]) // [..., k, k]
  const rows = arange(emit, k, [k, 1])
  const cols = arange(emit, k, [1, k])
  const d = emit.reduce('ReduceSum', emit.op('Where', [emit.op('Equal', [rows, cols]), g, emit.scalar(0, 'float64')]), [
    r - 1,
  ])
  const norms = emit.op('Mul', [
    emit.op('Unsqueeze', [d, emit.ints([r - 1])]),
    emit.op('Unsqueeze', [d, emit.ints([r - 2])]),
  ])
  const big = emit.op('Greater', [emit.op('Abs', [g]), emit.op('Mul', [tol, emit.op('Sqrt', [norms])])])
  const left = emit.cast(emit.op('And', [emit.op('Not', [emit.op('Equal', [rows, cols])]), big]), 'float64')
  return emit.op('Greater', [
    emit.reduce(
      'ReduceMax',
      left,
      Array.from({ length: r }, (_, i) => i),
    ),
    emit.scalar(0.5, 'float64'),
  ])
}

/**
 * `svd` with `computeUv: false`. With singular vectors it is refused: the kernel completes the
 * left vectors of zero singular values (and a full U or Vᴴ) from the standard basis, which is
 * not written as a graph yet.
 */
export const svdOnnx: OnnxMultiRule<SvdParams> = ({ inputs: [x], avals: [a], params, emit }) => {
  if (params.computeUv)
    throw new ValueError(
      'exportOnnx: svd with singular vectors (computeUv) has no export rule yet; singular values alone (computeUv: false, e.g. svdvals) export',
    )
  const { shape, dtype } = a as Aval
  const r = shape.length
  const [m, n] = [shape[r - 2] as number, shape[r - 1] as number]
  const [p, k] = [Math.max(m, n), Math.min(m, n)]
  const w = widen(emit, x as string, dtype)
  if (k === 0) return [emit.cast(emit.op('ConstantOfShape', [emit.ints([...shape.slice(0, -2), 0])]), dtype)]
  const tall = m < n ? swapLast(emit, w, r) : w // [..., p, k]
  const tol = emit.scalar(Math.max(p, 1) * Number.EPSILON, 'float64')
  const cols = arange(emit, k, [1, k])
  const mat: Aval = { shape: [...shape.slice(0, -2), p, k], dtype: 'float64' }
  const pairs: Array<[number, number]> = []
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) pairs.push([i, j])
  let done = tall
  if (pairs.length > 0) {
    const is = emit.ints(pairs.map(([i]) => i))
    const js = emit.ints(pairs.map(([, j]) => j))
    const body = emit.graph(
      [{ shape: [], dtype: 'int64' }, { shape: [], dtype: 'bool' }, mat],
      [{ shape: [], dtype: 'bool' }, mat],
      (sub, [, , xk]) => {
        const [swept] = loop(sub, pairs.length, [{ name: xk as string, aval: mat }], [], (inner, t, [xt]) => {
          const idx = inner.op('Unsqueeze', [t, inner.ints([0])])
          return [
            rotateColumns(
              inner,
              xt as string,
              inner.op('Gather', [is, idx]),
              inner.op('Gather', [js, idx]),
              tol,
              cols,
              r,
            ),
          ]
        })
        return [anyPairLeft(sub, swept as string, tol, k, r), swept as string]
      },
    )
    done = emit.node('Loop', [emit.scalar(MAX_SWEEPS, 'int64'), emit.scalar(1, 'bool'), tall], {
      body: { graph: body },
    })[0] as string
  }
  const s = emit.op('Sqrt', [emit.reduce('ReduceSum', emit.op('Mul', [done, done]), [r - 2])]) // [..., k]
  const sorted = emit.node(
    'TopK',
    [s, emit.ints([k])],
    { axis: { int: r - 2 }, largest: { int: 1 }, sorted: { int: 1 } },
    2,
  )[0] as string
  const finite = emit.cast(emit.op('Not', [emit.op('Or', [emit.op('IsNaN', [w]), emit.op('IsInf', [w])])]), 'float64')
  const ok = reduceKeep(emit, 'ReduceMin', emit.reduce('ReduceMin', finite, [r - 1]), r - 2) // [..., 1]
  return [
    narrow(
      emit,
      emit.op('Where', [emit.op('Less', [ok, emit.scalar(0.5, 'float64')]), emit.scalar(NaN, 'float64'), sorted]),
      dtype,
    ),
  ]
}

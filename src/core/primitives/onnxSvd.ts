/**
 * ONNX export rule of `svd`: the kernel's one-sided Jacobi (Hestenes) on the columns of the tall
 * orientation of A, in float64 (onnxSvdJacobi.ts); the singular values are the column norms,
 * sorted descending by the kernel's selection sort; with `computeUv`, the accumulated rotations
 * give the right vectors, the normalised columns the left ones, completed and sign-normalised as
 * the kernel (onnxSvdVectors.ts), reduced or full. NaN for a matrix holding NaN or ±∞, as the
 * kernel.
 *
 * @category primitives
 * @since 0.2.0
 */
import type { DType } from '../../ndarray/dtype'
import type { Aval } from '../equation'
import type { OnnxEmitter, OnnxMultiRule } from '../onnxRule'
import { identity, narrow, reduceKeep, swapLast, widen } from './onnxLinalg'
import { jacobiSweeps } from './onnxSvdJacobi'
import { columnSigns, completeColumns, permuteColumns, selectionOrder } from './onnxSvdVectors'
import type { SvdParams } from './spectral'

/** [..., 1, 1] bool: whether each matrix of `w` holds NaN or ±∞. */
const nonFinite = (emit: OnnxEmitter, w: string, r: number): string => {
  const bad = emit.cast(emit.op('Or', [emit.op('IsNaN', [w]), emit.op('IsInf', [w])]), 'float64')
  const any = reduceKeep(emit, 'ReduceMax', reduceKeep(emit, 'ReduceMax', bad, r - 1), r - 2)
  return emit.op('Greater', [any, emit.scalar(0.5, 'float64')])
}

/** `x` with the matrices flagged by `bad` made NaN, rounded to `dtype`. */
const finish = (emit: OnnxEmitter, x: string, bad: string, dtype: DType): string =>
  narrow(emit, emit.op('Where', [bad, emit.scalar(NaN, 'float64'), x]), dtype)

/** The results of an SVD with k = min(m, n) = 0: the empty factors and, full, identities. */
const emptySvd = (emit: OnnxEmitter, a: Aval, params: SvdParams): string[] => {
  const { shape, dtype } = a
  const batch = shape.slice(0, -2)
  const [m, n] = [shape[shape.length - 2] as number, shape[shape.length - 1] as number]
  const empty = (dims: ReadonlyArray<number>): string =>
    emit.cast(emit.op('ConstantOfShape', [emit.ints([...batch, ...dims])]), dtype)
  const eye = (d: number): string =>
    narrow(emit, emit.op('Expand', [identity(emit, d), emit.ints([...batch, d, d])]), dtype)
  const s = empty([0])
  if (!params.computeUv) return [s]
  const u = params.fullMatrices ? eye(m) : empty([m, 0])
  const vh = params.fullMatrices ? eye(n) : empty([0, n])
  return [s, u, vh]
}

/** `svd`: singular values descending and, with `computeUv`, U and Vᴴ (reduced or full) as the kernel's. */
export const svdOnnx: OnnxMultiRule<SvdParams> = ({ inputs: [x], avals: [a], params, emit }) => {
  const { shape, dtype } = a as Aval
  const r = shape.length
  const batch = shape.slice(0, -2)
  const [m, n] = [shape[r - 2] as number, shape[r - 1] as number]
  const [p, k] = [Math.max(m, n), Math.min(m, n)]
  if (k === 0) return emptySvd(emit, a as Aval, params)
  const w = widen(emit, x as string, dtype)
  const wide = m < n
  const tall = wide ? swapLast(emit, w, r) : w // [..., p, k]
  const { done, rot } = jacobiSweeps(emit, tall, batch, p, k, params.computeUv)
  const norms = emit.op('Sqrt', [emit.reduce('ReduceSum', emit.op('Mul', [done, done]), [r - 2])]) // [..., k]
  const perm = selectionOrder(emit, norms, k, r)
  const s = emit.op('GatherElements', [norms, perm], { axis: { int: r - 2 } })
  const bad = nonFinite(emit, w, r)
  const sOut = finish(emit, s, emit.op('Squeeze', [bad, emit.ints([r - 1])]), dtype)
  if (!params.computeUv || rot === undefined) return [sOut]
  const total = params.fullMatrices ? p : k
  const zero = emit.scalar(0, 'float64')
  const sRow = emit.op('Unsqueeze', [s, emit.ints([r - 2])]) // [..., 1, k]
  const positive = emit.op('Greater', [sRow, zero])
  const scaled = emit.op('Div', [
    permuteColumns(emit, done, perm, r),
    emit.op('Where', [positive, sRow, emit.scalar(1, 'float64')]),
  ])
  const normalised = emit.op('Where', [positive, scaled, zero])
  const pads = new Array<number>(2 * r).fill(0)
  pads[2 * r - 1] = total - k
  const padded = total > k ? emit.op('Pad', [normalised, emit.ints(pads)]) : normalised
  const valid = reduceKeep(emit, 'ReduceSum', emit.cast(positive, 'int64'), r - 1) // [..., 1, 1]
  const q = completeColumns(emit, padded, valid, batch, p, total) // [..., p, total]
  const sorted = permuteColumns(emit, rot, perm, r) // [..., k, k], columns the rows of the kernel's rot
  // The right vectors are sorted's columns (tall) or q's first k (wide); the partner flips too.
  const qSigns = columnSigns(emit, q, r) // [..., 1, total]
  const rSigns = wide
    ? emit.op('Slice', [qSigns, emit.ints([0]), emit.ints([k]), emit.ints([r - 1])])
    : columnSigns(emit, sorted, r)
  const leftSigns =
    wide || total === k
      ? wide
        ? qSigns
        : rSigns
      : emit.op(
          'Concat',
          [rSigns, emit.op('Slice', [qSigns, emit.ints([k]), emit.ints([total]), emit.ints([r - 1])])],
          {
            axis: { int: r - 1 },
          },
        )
  const qFixed = emit.op('Mul', [q, leftSigns])
  const rFixed = emit.op('Mul', [sorted, rSigns])
  const [u, vh] = wide ? [rFixed, swapLast(emit, qFixed, r)] : [qFixed, swapLast(emit, rFixed, r)]
  return [sOut, finish(emit, u, bad, dtype), finish(emit, vh, bad, dtype)]
}

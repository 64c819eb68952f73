/**
 * The sweeps of the SVD kernel's one-sided Jacobi (Hestenes) as an ONNX `Loop`, shared by the
 * `svd` rules with and without singular vectors: the columns of the tall orientation ([..., p, k])
 * are rotated pair by pair, in the kernel's order, until every pair of every matrix is orthogonal
 * to working accuracy; the rotations are accumulated (as columns) when vectors are wanted.
 *
 * @category primitives
 * @since 0.2.0
 */
import type { Aval } from '../equation'
import type { OnnxEmitter } from '../onnxRule'
import { arange, identity, loop, reduceKeep, swapLast, take } from './onnxLinalg'
import { planeRotation } from './onnxSpectral'

/** Sweeps at most, as the kernel. */
const MAX_SWEEPS = 80

/**
 * The kernel's rotation of columns i and j of `x` ([..., p, k]): none when γ = xᵢ·xⱼ is 0 or
 * below `tol`·‖xᵢ‖‖xⱼ‖; otherwise ζ = (β − α)/(2γ), t = sign(ζ)/(|ζ| + √(1 + ζ²)),
 * c = 1/√(1 + t²), s = c·t (sign(0) = +). Returns its cosine and sine ([..., 1, 1]).
 */
const rotation = (emit: OnnxEmitter, x: string, i: string, j: string, tol: string, r: number): [string, string] => {
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
  return [c, emit.op('Mul', [c, t])]
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
  const all = Array.from({ length: r }, (_, i) => i)
  return emit.op('Greater', [emit.reduce('ReduceMax', left, all), emit.scalar(0.5, 'float64')])
}

/**
 * Jacobi sweeps on `tall` ([..., p, k] float64, `batch` its leading shape): the orthogonalised
 * columns and, with `withRotations`, the accumulated rotations R ([..., k, k], columns rotated as
 * the kernel rotates the rows of its `rot`, so R = rotᵀ; the identity when there is no pair).
 */
export const jacobiSweeps = (
  emit: OnnxEmitter,
  tall: string,
  batch: ReadonlyArray<number>,
  p: number,
  k: number,
  withRotations: boolean,
): { done: string; rot?: string } => {
  const r = batch.length + 2
  const tol = emit.scalar(Math.max(p, 1) * Number.EPSILON, 'float64')
  const cols = arange(emit, k, [1, k])
  const mat: Aval = { shape: [...batch, p, k], dtype: 'float64' }
  const sq: Aval = { shape: [...batch, k, k], dtype: 'float64' }
  const eye = withRotations
    ? emit.op('Expand', [
        identity(emit, k),
        emit.op(
          'Concat',
          [emit.op('Slice', [emit.op('Shape', [tall]), emit.ints([0]), emit.ints([r - 2])]), emit.ints([k, k])],
          { axis: { int: 0 } },
        ),
      ])
    : undefined
  const pairs: Array<[number, number]> = []
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) pairs.push([i, j])
  if (pairs.length === 0) return { done: tall, ...(eye === undefined ? {} : { rot: eye }) }
  const is = emit.ints(pairs.map(([i]) => i))
  const js = emit.ints(pairs.map(([, j]) => j))
  const avals = eye === undefined ? [mat] : [mat, sq]
  const body = emit.graph(
    [{ shape: [], dtype: 'int64' }, { shape: [], dtype: 'bool' }, ...avals],
    [{ shape: [], dtype: 'bool' }, ...avals],
    (sub, [, , ...state]) => {
      const carries = state.map((name, q) => ({ name: name as string, aval: avals[q] as Aval }))
      const swept = loop(sub, pairs.length, carries, [], (inner, t, [xt, rt]) => {
        const idx = inner.op('Unsqueeze', [t, inner.ints([0])])
        const [i, j] = [inner.op('Gather', [is, idx]), inner.op('Gather', [js, idx])]
        const [c, s] = rotation(inner, xt as string, i, j, tol, r)
        const turn = (y: string): string => planeRotation(inner, y, r - 1, cols, i, j, c, s)
        return rt === undefined ? [turn(xt as string)] : [turn(xt as string), turn(rt)]
      })
      return [anyPairLeft(sub, swept[0] as string, tol, k, r), ...swept]
    },
  )
  const inits = eye === undefined ? [tall] : [tall, eye]
  const out = emit.node(
    'Loop',
    [emit.scalar(MAX_SWEEPS, 'int64'), emit.scalar(1, 'bool'), ...inits],
    { body: { graph: body } },
    inits.length,
  )
  return { done: out[0] as string, ...(out[1] === undefined ? {} : { rot: out[1] }) }
}

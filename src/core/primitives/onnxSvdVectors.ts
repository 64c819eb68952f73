/**
 * The SVD kernel's conventions on its singular vectors, as ONNX: the selection sort of the
 * singular values carrying their columns, the left vectors of zero singular values and the extra
 * columns of a full U (or rows of a full Vᴴ) completed from the standard basis (Gram–Schmidt
 * twice), and the sign rule (each right singular vector's first entry of largest magnitude
 * positive, its left partner flipped with it).
 *
 * @category primitives
 * @since 0.2.0
 */
import type { Aval } from '../equation'
import type { OnnxEmitter } from '../onnxRule'
import { arange, loop, reduceKeep, swapLast } from './onnxLinalg'

/**
 * The kernel's selection sort of `s` ([..., k]), descending, as a permutation ([..., k] int64):
 * step i swaps position i with the first largest value after it when that one is strictly larger.
 */
export const selectionOrder = (emit: OnnxEmitter, s: string, k: number, r: number): string => {
  const axis = { axis: { int: r - 2 } }
  const idx = arange(emit, k, [k])
  let vals = s
  let perm = emit.op('Expand', [idx, emit.op('Shape', [s])])
  for (let i = 0; i < k - 1; i++) {
    const at = emit.ints([i])
    const rest = emit.op('Where', [
      emit.op('Greater', [idx, emit.scalar(i, 'int64')]),
      vals,
      emit.scalar(-Infinity, 'float64'),
    ])
    const best = emit.op('ArgMax', [rest], { ...axis, keepdims: { int: 1 }, select_last_index: { int: 0 } })
    const here = emit.op('Gather', [vals, at], axis)
    const swap = emit.op('Greater', [emit.op('GatherElements', [vals, best], axis), here])
    const j = emit.op('Where', [swap, best, emit.op('Expand', [at, emit.op('Shape', [best])])])
    const exchange = (x: string): string => {
      const xi = emit.op('Gather', [x, at], axis)
      const xj = emit.op('GatherElements', [x, j], axis)
      return emit.op('Where', [emit.op('Equal', [idx, at]), xj, emit.op('Where', [emit.op('Equal', [idx, j]), xi, x])])
    }
    vals = exchange(vals)
    perm = exchange(perm)
  }
  return perm
}

/** Columns of `x` ([..., rows, k]) in the order `perm` ([..., k]). */
export const permuteColumns = (emit: OnnxEmitter, x: string, perm: string, r: number): string => {
  const index = emit.op('Expand', [emit.op('Unsqueeze', [perm, emit.ints([r - 2])]), emit.op('Shape', [x])])
  return emit.op('GatherElements', [x, index], { axis: { int: r - 1 } })
}

/**
 * The kernel's completion: `q` ([..., p, total]) holds orthonormal columns before column `valid`
 * ([..., 1, 1] int64, per matrix) and zeros after; column c ≥ valid becomes the standard basis
 * vector with the largest component outside the span of columns < c (the first on ties),
 * orthogonalised twice against them and normalised.
 */
export const completeColumns = (
  emit: OnnxEmitter,
  q: string,
  valid: string,
  batch: ReadonlyArray<number>,
  p: number,
  total: number,
): string => {
  const r = batch.length + 2
  const aval: Aval = { shape: [...batch, p, total], dtype: 'float64' }
  const rows = arange(emit, p, [p, 1])
  const cols = arange(emit, total, [1, total])
  const [done] = loop(emit, total, [{ name: q, aval }], [], (sub, c, [qc]) => {
    const known = sub.op('Where', [sub.op('Less', [cols, c]), qc as string, sub.scalar(0, 'float64')])
    const proj = reduceKeep(sub, 'ReduceSum', sub.op('Mul', [known, known]), r - 1) // [..., p, 1]
    const residual = sub.op('Sub', [sub.scalar(1, 'float64'), proj])
    const best = sub.op('ArgMax', [residual], {
      axis: { int: r - 2 },
      keepdims: { int: 1 },
      select_last_index: { int: 0 },
    })
    let v = sub.cast(sub.op('Equal', [rows, best]), 'float64')
    const knownT = swapLast(sub, known, r)
    for (let pass = 0; pass < 2; pass++)
      v = sub.op('Sub', [v, sub.op('MatMul', [known, sub.op('MatMul', [knownT, v])])])
    const norm = sub.op('Sqrt', [reduceKeep(sub, 'ReduceSum', sub.op('Mul', [v, v]), r - 2)])
    const fill = sub.op('And', [sub.op('Equal', [cols, c]), sub.op('GreaterOrEqual', [c, valid])])
    return [sub.op('Where', [fill, sub.op('Div', [v, norm]), qc as string])]
  })
  return done as string
}

/**
 * ±1 per column of `x` ([..., len, cols]): −1 where the column's first entry of largest
 * magnitude is negative (the kernel's `normalizeSign`), as [..., 1, cols].
 */
export const columnSigns = (emit: OnnxEmitter, x: string, r: number): string => {
  const axis = { axis: { int: r - 2 } }
  const at = emit.op('ArgMax', [emit.op('Abs', [x])], { ...axis, keepdims: { int: 1 }, select_last_index: { int: 0 } })
  const lead = emit.op('GatherElements', [x, at], axis)
  return emit.op('Where', [
    emit.op('Less', [lead, emit.scalar(0, 'float64')]),
    emit.scalar(-1, 'float64'),
    emit.scalar(1, 'float64'),
  ])
}

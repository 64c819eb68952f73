/**
 * Linear algebra: matmul with NumPy's rules, dot, outer, transpose and two-operand einsum.
 *
 * @category ops
 * @since 0.1.0
 */
import * as lax from '../core/lax'
import * as _ from '../internal/dual'
import { ShapeError, ValueError, fmtShape, fmtTuple } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { pipe } from 'fp-ts/function'
import * as O from 'fp-ts/Option'
import { tryBroadcastShapes, normalizeAxis, requireIntList } from '../ndarray/shape'
import { requireString } from '../internal/args'
import { coerce2, asArray, type ArrayLike } from './convert'
import { diagonalOf } from './linalg/diagonalOffset'

/**
 * Matrix product with NumPy's rules: 1-D operands are promoted (and the added axis removed),
 * leading batch axes broadcast. A batched left operand times a matrix folds the batch into rows
 * (one large product, no copies).
 * @example
 * import { matmul, array } from 'wengert'
 * assert.deepStrictEqual(matmul(array([[1, 2], [3, 4]]), array([1, 1])).toArray(), [3, 7])
 * @category ops @since 0.1.0
 */
export const matmul = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a0, b0] = coerce2('matmul', x, y)
  // NumPy: a bool product is "any of the ands"; count in int32 (bytes would wrap at 256)
  if (a0.dtype === 'bool') return lax.ne(matmul(lax.cast(a0, 'int32'), lax.cast(b0, 'int32')), lax.scalar(0, 'int32'))
  let [a, b] = [a0, b0]
  const shapeA = a.shape
  const shapeB = b.shape
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(
      `matmul: matmul input operand ${a.ndim === 0 ? 0 : 1} must have ndim at least 1, but it has ndim 0 (shapes ${fmtTuple(a.shape)} and ${fmtTuple(b.shape)})`,
    )
  }
  const aVec = a.ndim === 1
  const bVec = b.ndim === 1
  if (aVec) a = lax.reshape(a, [1, a.shape[0] as number])
  if (bVec) b = lax.reshape(b, [b.shape[0] as number, 1])
  const k = a.shape[a.ndim - 1] as number
  if (b.shape[b.ndim - 2] !== k) {
    throw new ShapeError(
      `matmul: dot_general requires contracting dimensions to have the same shape, got ${fmtTuple([k])} and ${fmtTuple([b.shape[b.ndim - 2] as number])}: shapes ${fmtShape(shapeA)} and ${fmtShape(shapeB)} are not aligned (last axis of the first against the second-to-last axis of the second)`,
    )
  }
  let out: NdArray
  if (b.ndim === 2) {
    // fold batch axes of a into its rows
    const lead = a.shape.slice(0, -1)
    const rows = lead.reduce((p, d) => p * d, 1)
    const flat = lax.reshape(a, [rows, k])
    out = lax.reshape(lax.matmul(flat, b), [...lead, b.shape[1] as number])
  } else {
    const batchA = a.shape.slice(0, -2)
    const batchB = b.shape.slice(0, -2)
    const batch = pipe(
      tryBroadcastShapes(batchA, batchB),
      O.getOrElse((): number[] => {
        throw new ShapeError(
          `matmul: Incompatible shapes for broadcasting: shapes=[${fmtTuple(batchA)}, ${fmtTuple(batchB)}] (the batch shapes of ${fmtShape(a.shape)} and ${fmtShape(b.shape)})`,
        )
      }),
    )
    const aFull = lax.broadcastTo(a, [...batch, ...a.shape.slice(-2)])
    const bFull = lax.broadcastTo(b, [...batch, ...b.shape.slice(-2)])
    out = lax.matmul(aFull, bFull)
  }
  if (aVec) out = lax.reshape(out, [...out.shape.slice(0, -2), out.shape[out.ndim - 1] as number])
  if (bVec) out = lax.reshape(out, out.shape.slice(0, -1))
  return out
}

/**
 * NumPy's dot: for 1-D and 2-D operands the inner/matrix product; with a 0-d operand a
 * multiplication; for N-D operands the sum product over the last axis of `x` and the
 * second-to-last of `y` (`out[i…, j…, m] = Σₖ x[i…, k] y[j…, k, m]`).
 * @example
 * import { dot, array } from 'wengert'
 * assert.strictEqual(dot(array([1, 2, 3]), array([4, 5, 6])).item(), 32)
 * assert.deepStrictEqual(dot(array([[[1, 2]], [[3, 4]]]), array([1, 1])).toArray(), [[3], [7]])
 * @category ops @since 0.1.0
 */
export const dot = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = coerce2('dot', x, y)
  if (a.ndim === 0 || b.ndim === 0) return lax.mul(a, b)
  if (a.ndim <= 2 && b.ndim <= 2) return matmul(a, b)
  // N-D (NumPy's rule): the last axis of a against the second-to-last of b (the only one of a 1-D b)
  const kB = b.ndim === 1 ? 0 : b.ndim - 2
  if (a.shape[a.ndim - 1] !== b.shape[kB])
    throw new ShapeError(
      `dot: dot_general requires contracting dimensions to have the same shape, got ${fmtTuple([a.shape[a.ndim - 1] as number])} and ${fmtTuple([b.shape[kB] as number])}: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} are not aligned (last axis of the first against axis ${kB} of the second)`,
    )
  // b's contracted axis moved to the front: one [rows of a, k] × [k, rest of b] product
  const perm = [kB, ...b.shape.map((_, i) => i).filter((i) => i !== kB)]
  const bRest = perm.slice(1).map((i) => b.shape[i] as number)
  const k = b.shape[kB] as number
  const aLead = a.shape.slice(0, -1)
  const flatA = lax.reshape(a, [aLead.reduce((p, d) => p * d, 1), k])
  const flatB = lax.reshape(lax.transpose(b, perm), [k, bRest.reduce((p, d) => p * d, 1)])
  return lax.reshape(lax.matmul(flatA, flatB), [...aLead, ...bRest])
}

/**
 * Outer product of the flattened operands.
 * @example
 * import { outer, array } from 'wengert'
 * assert.deepStrictEqual(outer(array([1, 2]), array([3, 4])).toArray(), [[3, 4], [6, 8]])
 * @category ops @since 0.1.0
 */
export const outer = (x: ArrayLike, y: ArrayLike): NdArray => {
  const [a, b] = coerce2('outer', x, y)
  return lax.mul(lax.reshape(a, [a.size, 1]), lax.reshape(b, [1, b.size]))
}

/**
 * Permutes axes (default: reverses them).
 * @example
 * import { transpose, array, zeros } from 'wengert'
 * assert.deepStrictEqual(transpose(array([[1, 2, 3]])).toArray(), [[1], [2], [3]])
 * assert.deepStrictEqual(transpose(zeros([2, 3, 4]), [1, 0, -1]).shape, [3, 2, 4])
 * @category ops @since 0.1.0
 */
export const transpose = _.dual('transpose', (x: ArrayLike, perm?: ReadonlyArray<number>): NdArray => {
  const a = asArray('transpose', x)
  const p =
    perm === undefined
      ? a.shape.map((_, i) => a.ndim - 1 - i)
      : requireIntList('transpose', 'perm', perm).map((q) => normalizeAxis('transpose', q, a.ndim))
  if (p.length !== a.ndim || new Set(p).size !== p.length) {
    throw new ValueError(
      `transpose: ${p.length !== a.ndim ? "axes don't match array" : 'repeated axis in transpose'}: perm [${(perm ?? []).join(',')}] is not a permutation of the ${a.ndim} axes of an array of shape ${fmtShape(a.shape)}`,
    )
  }
  return lax.transpose(a, p)
})

/**
 * The operand with each index repeated within its term reduced to the diagonal of those axes
 * (appended last, as `diagonal`), and the term without the repeats; sizes of a repeated index
 * must agree.
 */
const diagonals = (a: NdArray, term: string): [NdArray, string] => {
  let [x, t] = [a, term]
  for (let j = 0; j < t.length; j++) {
    const i = t.indexOf(t[j] as string)
    if (i === j) continue
    if (x.shape[i] !== x.shape[j])
      throw new ShapeError(
        `einsum: index '${t[j]}' repeated in '${term}' has sizes ${x.shape[i]} and ${x.shape[j]}; a diagonal needs equal sizes`,
      )
    x = diagonalOf(x, 0, i, j)
    t = t.slice(0, i) + t.slice(i + 1, j) + t.slice(j + 1) + (t[j] as string)
    j = -1
  }
  return [x, t]
}

/**
 * Einstein summation over one or two operands, e.g. `'ij,jk->ik'`, `'bij,bjk->bik'`,
 * `'i,i->'`, `'ij->ji'`; an index repeated within one operand takes that diagonal (`'ii->i'`,
 * `'ii->'` the trace). The contraction is lowered to transpose, reshape and one batched matmul.
 * @example
 * import { einsum, array } from 'wengert'
 * const a = array([[1, 2], [3, 4]])
 * assert.deepStrictEqual(einsum('ij,jk->ik', a, a).toArray(), [[7, 10], [15, 22]])
 * assert.strictEqual(einsum('ij,ij->', a, a).item(), 30)
 * assert.deepStrictEqual(einsum('ii->i', a).toArray(), [1, 4])
 * assert.strictEqual(einsum('ii', a).item(), 5)
 * @category ops @since 0.1.0
 */
export const einsum = (spec: string, ...operands: ReadonlyArray<ArrayLike>): NdArray => {
  const s = requireString('einsum', 'the spec', spec).replace(/\s+/g, '')
  const arrow = s.indexOf('->')
  const lhs = arrow >= 0 ? s.slice(0, arrow) : s
  const inputs = lhs.split(',')
  if (s.includes('.')) throw new ValueError(`einsum: '${spec}': ellipsis (...) is not supported; name every axis`)
  if (!/^[A-Za-z,]*(->[A-Za-z]*)?$/.test(s))
    throw new ValueError(`einsum: '${spec}' is not a valid spec; expected letters, ',' and one '->'`)
  if (operands.length < 1 || operands.length > 2)
    throw new ValueError(`einsum: one or two operands are supported, got ${operands.length}`)
  if (inputs.length !== operands.length) {
    throw new ValueError(`einsum: '${spec}' names ${inputs.length} operands but ${operands.length} were given`)
  }
  const counts = new Map<string, number>()
  for (const t of inputs) for (const c of t) counts.set(c, (counts.get(c) ?? 0) + 1)
  const out =
    arrow >= 0
      ? s.slice(arrow + 2)
      : [...counts.keys()]
          .filter((c) => counts.get(c) === 1)
          .sort()
          .join('')
  const arrays = operands.map((o) => asArray('einsum', o))
  const sizes = new Map<string, number>()
  inputs.forEach((t, i) => {
    const a = arrays[i] as NdArray
    if (t.length !== a.ndim)
      throw new ShapeError(`einsum: operand ${i} has rank ${a.ndim} but '${t}' names ${t.length} axes`)
    ;[...t].forEach((c, j) => {
      const d = a.shape[j] as number
      const prev = sizes.get(c)
      if (prev !== undefined && prev !== d && prev !== 1 && d !== 1) {
        throw new ShapeError(`einsum: index '${c}' has size ${prev} in one operand and ${d} in another`)
      }
      sizes.set(c, Math.max(prev ?? 1, d))
    })
  })
  for (const c of out)
    if (!sizes.has(c)) throw new ValueError(`einsum: output index '${c}' does not appear in the inputs`)
  // a repeated index within an operand ('ii->i', 'nmaa->nm') takes that diagonal first (NumPy's rule)
  inputs.forEach((t, i) => {
    const [d, term] = diagonals(arrays[i] as NdArray, t)
    arrays[i] = d
    inputs[i] = term
  })
  if (inputs.length === 1) {
    const t = inputs[0] as string
    const a = arrays[0] as NdArray
    const summed = [...t].map((c, i) => (out.includes(c) ? -1 : i)).filter((i) => i >= 0)
    const r = lax.reduceSum(a, summed)
    const rest = [...t].filter((c) => out.includes(c))
    return lax.transpose(
      r,
      [...out].map((c) => rest.indexOf(c)),
    )
  }
  const [ta, tb] = inputs as [string, string]
  let [a, b] = coerce2('einsum', arrays[0] as NdArray, arrays[1] as NdArray)
  // sum out indices that appear in one operand only and not in the output
  const only = (t: string, other: string): number[] =>
    [...t].map((c, i) => (!other.includes(c) && !out.includes(c) ? i : -1)).filter((i) => i >= 0)
  const sa = only(ta, tb)
  const sb = only(tb, ta)
  a = lax.reduceSum(a, sa)
  b = lax.reduceSum(b, sb)
  const la = [...ta].filter((_, i) => !sa.includes(i))
  const lb = [...tb].filter((_, i) => !sb.includes(i))
  const batch = la.filter((c) => lb.includes(c) && out.includes(c))
  const contract = la.filter((c) => lb.includes(c) && !out.includes(c))
  const freeA = la.filter((c) => !lb.includes(c))
  const freeB = lb.filter((c) => !la.includes(c))
  const size = (cs: ReadonlyArray<string>): number => cs.reduce((p, c) => p * (sizes.get(c) as number), 1)
  const permA = [...batch, ...freeA, ...contract].map((c) => la.indexOf(c))
  const permB = [...batch, ...contract, ...freeB].map((c) => lb.indexOf(c))
  const bshape = batch.map((c) => sizes.get(c) as number)
  const at = lax.broadcastTo(lax.transpose(a, permA), [
    ...bshape,
    ...freeA.map((c) => sizes.get(c) as number),
    ...contract.map((c) => sizes.get(c) as number),
  ])
  const bt = lax.broadcastTo(lax.transpose(b, permB), [
    ...bshape,
    ...contract.map((c) => sizes.get(c) as number),
    ...freeB.map((c) => sizes.get(c) as number),
  ])
  const nb = size(batch)
  const prod = lax.matmul(
    lax.reshape(at, [nb, size(freeA), size(contract)]),
    lax.reshape(bt, [nb, size(contract), size(freeB)]),
  )
  const result = [...batch, ...freeA, ...freeB]
  const r = lax.reshape(
    prod,
    result.map((c) => sizes.get(c) as number),
  )
  return lax.transpose(
    r,
    [...out].map((c) => result.indexOf(c)),
  )
}

/**
 * Dense Jacobians and Hessians. The result for an output leaf `y` and an input leaf `x` has shape
 * `y.shape ++ x.shape`; pytrees nest as JAX does (output structure outside, input inside).
 *
 * @category transforms
 * @since 0.1.0
 */
import { concatenate, reshape, scalar, transpose, zerosLike } from '../core/lax'
import type { Aval } from '../core/zero'
import { allocate, isFloat } from '../ndarray/dtype'
import { DTypeError, ValueError } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { sizeOf } from '../ndarray/shape'
import { unflatten, type TreeDef } from '../tree'
import { checkOptions } from '../internal/options'
import { checkFn, normalizeArgnums, record, type Argnums, type Selected, erase } from './common'
import { keepForPushforward, pushforward } from './linearize'
import { keepForPullback, pullback } from './vjp'

/** Options of the Jacobian transforms. */
export interface JacOptions<N extends Argnums = Argnums> {
  /** Argument(s) to differentiate; a list gives a tuple of Jacobians. Default 0. */
  readonly argnums?: N
}

/**
 * The type of a Jacobian: the output's structure with every leaf replaced by `S` (the selected
 * arguments' structure, or a tuple of them).
 */
export type Jacobian<R, S> = R extends NdArray | number
  ? S
  : R extends readonly unknown[]
    ? { -readonly [K in keyof R]: Jacobian<R[K], S> }
    : R extends object
      ? { -readonly [K in keyof R]: Jacobian<R[K], S> }
      : R

/** A one-hot array of `like`'s shape and dtype with a 1 at flat index `i`. */
const basis = (like: Aval, i: number): NdArray => {
  const d = allocate(like.dtype, sizeOf(like.shape))
  d[i] = 1
  return new NdArray(like.shape, like.dtype, d)
}

/** Stacks rows (each of shape `rowShape`) into `lead ++ rowShape` with differentiable ops. */
const stackRows = (
  rows: ReadonlyArray<NdArray>,
  lead: ReadonlyArray<number>,
  rowShape: ReadonlyArray<number>,
  like: Aval,
): NdArray => {
  if (rows.length === 0) return new NdArray([...lead, ...rowShape], like.dtype, allocate(like.dtype, 0))
  const flat = rows.map((r) => reshape(r, [1, ...rowShape]))
  const joined = flat.length === 1 ? (flat[0] as NdArray) : concatenate(flat, 0)
  return reshape(joined, [...lead, ...rowShape])
}

/** An output leaf as an array: numbers are float32 scalars; anything else is an error. */
const outputArray = (op: string, o: unknown): NdArray => {
  if (o instanceof NdArray) {
    // as JAX: a Jacobian of an integer or bool output is refused, not silently zero
    if (!isFloat(o.dtype)) {
      throw new DTypeError(
        `${op} requires float outputs (float32 or float64), but an output has dtype ${o.dtype}; cast it with astype, or leave it out of the function's result`,
      )
    }
    return o
  }
  if (typeof o === 'number') return scalar(o, 'float32')
  throw new ValueError(`${op}: the function's outputs must be arrays or numbers, got ${o === null ? 'null' : typeof o}`)
}

/** Builds the nested result: output tree of (argument tuple of) input trees of arrays. */
const assemble = (
  outDef: TreeDef,
  perOut: ReadonlyArray<ReadonlyArray<ReadonlyArray<NdArray>>>,
  inputDefs: ReadonlyArray<TreeDef>,
  single: boolean,
): unknown =>
  unflatten(
    outDef,
    perOut.map((perArg) => {
      const trees = perArg.map((leaves, a) => unflatten(inputDefs[a] as TreeDef, leaves))
      return single ? trees[0] : trees
    }),
  )

/**
 * Jacobian by reverse mode: one backward sweep per output element over a single recording.
 *
 * @example
 * import { jacrev, array, mul, sin } from 'wengert'
 * const J = jacrev(sin)(array([0, 1], { dtype: 'float64' }))
 * assert.deepStrictEqual(J.shape, [2, 2])
 * assert.ok(Math.abs((J.toArray() as number[][])[1][1] - Math.cos(1)) < 1e-12)
 * @category transforms
 * @since 0.1.0
 */
export const jacrev = <A extends readonly unknown[], R, const N extends Argnums = 0>(
  f: (...args: A) => R,
  opts: JacOptions<N> = {},
): ((...args: A) => Jacobian<R, Selected<A, N>>) => {
  checkFn('jacrev', f)
  checkOptions('jacrev', opts, ['argnums'])
  return (...args: A): Jacobian<R, Selected<A, N>> => {
    const argnums: Argnums = opts.argnums ?? 0
    const selected = normalizeArgnums('jacrev', argnums, args.length)
    const rec = record('jacrev', erase(f), args, selected)
    const src = keepForPullback(rec)
    const perOut = rec.outLeaves.map((o, oi) => {
      const out = outputArray('jacrev', o)
      const perArgRows: NdArray[][][] = rec.inputAvals.map((leaves) => leaves.map(() => []))
      for (let i = 0; i < out.size; i++) {
        const cts = rec.outAtoms.map((_, k) => (k === oi ? basis(out, i) : undefined))
        const g = pullback(src, cts)
        g.forEach((leaves, a) => leaves.forEach((x, j) => ((perArgRows[a] as NdArray[][])[j] as NdArray[]).push(x)))
      }
      return perArgRows.map((leaves, a) =>
        leaves.map((rs, j) => {
          const x = (rec.inputAvals[a] as ReadonlyArray<Aval>)[j] as Aval
          return stackRows(rs, out.shape, x.shape, x)
        }),
      )
    })
    return assemble(rec.outDef, perOut, rec.inputDefs, typeof argnums === 'number') as Jacobian<R, Selected<A, N>>
  }
}

/** Moves the input axes of a column stack [inSize, ...outShape] to the back: outShape ++ inShape. */
const columnsToJacobian = (
  cols: ReadonlyArray<NdArray>,
  outShape: ReadonlyArray<number>,
  inShape: ReadonlyArray<number>,
  like: Aval,
): NdArray => {
  const stacked = stackRows(cols, [cols.length], outShape, like) // [n, ...out]
  const nOut = outShape.length
  const perm = [...Array.from({ length: nOut }, (_, i) => i + 1), 0]
  const moved = transpose(reshape(stacked, [cols.length, ...outShape]), perm)
  return reshape(moved, [...outShape, ...inShape])
}

/**
 * Jacobian by forward mode: one forward sweep per input element over a single recording.
 *
 * @example
 * import { jacfwd, array, exp } from 'wengert'
 * const J = jacfwd(exp)(array([0, 1], { dtype: 'float64' }))
 * assert.ok(Math.abs((J.toArray() as number[][])[1][1] - Math.E) < 1e-12)
 * assert.strictEqual((J.toArray() as number[][])[0][1], 0)
 * @category transforms
 * @since 0.1.0
 */
export const jacfwd = <A extends readonly unknown[], R, const N extends Argnums = 0>(
  f: (...args: A) => R,
  opts: JacOptions<N> = {},
): ((...args: A) => Jacobian<R, Selected<A, N>>) => {
  checkFn('jacfwd', f)
  checkOptions('jacfwd', opts, ['argnums'])
  return (...args: A): Jacobian<R, Selected<A, N>> => {
    const argnums: Argnums = opts.argnums ?? 0
    const selected = normalizeArgnums('jacfwd', argnums, args.length)
    const rec = record('jacfwd', erase(f), args, selected)
    const src = keepForPushforward(rec)
    const zeroTangents = rec.inputAvals.map((leaves) => leaves.map((x) => zerosLike(x)))
    // columns[a][j][i][o]: the tangent of output leaf o for basis element i of input leaf (a, j)
    const columns = rec.inputAvals.map((leaves, a) =>
      leaves.map((x, j) => {
        const cols: unknown[][] = []
        for (let i = 0; i < sizeOf(x.shape); i++) {
          const ts = zeroTangents.map((ls, b) => ls.map((z, k) => (b === a && k === j ? basis(x, i) : z)))
          cols.push(pushforward(src, ts))
        }
        return cols
      }),
    )
    const perOut = rec.outLeaves.map((o, oi) => {
      const out = outputArray('jacfwd', o)
      return rec.inputAvals.map((leaves, a) =>
        leaves.map((x, j) => {
          const cols = ((columns[a] as unknown[][][])[j] as unknown[][]).map((c) => c[oi] as NdArray)
          return columnsToJacobian(cols, out.shape, x.shape, out)
        }),
      )
    })
    return assemble(rec.outDef, perOut, rec.inputDefs, typeof argnums === 'number') as Jacobian<R, Selected<A, N>>
  }
}

/**
 * The Hessian: `jacfwd(jacrev(f))` (forward over reverse), shape `in.shape ++ in.shape` for a
 * scalar function.
 *
 * @example
 * import { hessian, array, sum, mul } from 'wengert'
 * const H = hessian((x: import('wengert').NdArray) => sum(mul(mul(x, x), x)))(array([1, 2], { dtype: 'float64' }))
 * assert.deepStrictEqual(H.toArray(), [[6, 0], [0, 12]])
 * @category transforms
 * @since 0.1.0
 */
export const hessian = <A extends readonly unknown[], R, const N extends Argnums = 0>(
  f: (...args: A) => R,
  opts: JacOptions<N> = {},
): ((...args: A) => Jacobian<Jacobian<R, Selected<A, N>>, Selected<A, N>>) => jacfwd(jacrev(f, opts), opts)

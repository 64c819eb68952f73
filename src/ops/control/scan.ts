/**
 * `lax.scan`: a loop over the leading axis of pytrees of arrays, staged as one `scan` primitive
 * whose body is traced once (`lax.map` is in ./map).
 *
 * @category ops
 * @since 0.2.0
 */
import { array } from '../../ndarray/create'
import { DTypeError, ShapeError, TreeMismatchError, ValueError, fmtShape } from '../../ndarray/errors'
import { NdArray } from '../../ndarray/NdArray'
import { shapesEqual } from '../../ndarray/shape'
import { scalar } from '../../core/lax'
import { scan as scanPrimitive } from '../../core/primitives/control'
import { rowExample, traceClosed } from '../../core/subprogram'
import { describe, flatten, unflatten, type TreeDef } from '../../tree'
import { checkOptions, describeValue } from '../../internal/options'
import { checkFn } from '../../transforms/common'

/** Options of {@link scan}. */
export interface ScanOptions {
  /** Number of steps; required when `xs` has no leaves, otherwise it must equal their leading axis. */
  readonly length?: number
  /** Scan from the last row to the first (outputs are still stacked in the order of `xs`). */
  readonly reverse?: boolean
  /**
   * JAX's loop-unrolling hint (a positive integer, or a boolean). It never changes results; wengert
   * runs one body call per step whatever its value (accepted so JAX code ports unchanged).
   */
  readonly unroll?: number | boolean
}

/** A leaf as an array: numbers become 0-d arrays (of `dtype` when given, as JAX's weak types do). */
export const leafArray = (op: string, leaf: unknown, where: string, dtype?: NdArray['dtype']): NdArray => {
  if (leaf instanceof NdArray) return leaf
  if (typeof leaf === 'number') return dtype === undefined ? array(leaf) : scalar(leaf, dtype)
  if (typeof leaf === 'boolean') return array(leaf)
  throw new ValueError(`${op}: ${where} must be an array or a number, got ${describeValue(leaf)}`)
}

const typeStr = (x: NdArray): string => `${x.dtype}${fmtShape(x.shape)}`

/** Checks that a body's output carry has the structure, dtypes and shapes of its input carry. */
export const checkCarry = (
  op: string,
  inDef: TreeDef,
  outDef: TreeDef,
  ins: ReadonlyArray<NdArray>,
  outs: ReadonlyArray<NdArray>,
): void => {
  if (describe(inDef) !== describe(outDef))
    throw new TreeMismatchError(
      `${op} body function carry input and carry output must have the same pytree structure, but they differ: the input carry is ${describe(inDef)} and the output carry is ${describe(outDef)}`,
    )
  ins.forEach((x, i) => {
    const y = outs[i] as NdArray
    if (x.dtype === y.dtype && shapesEqual(x.shape, y.shape)) return
    const what = x.dtype === y.dtype ? 'shapes' : 'dtypes'
    const msg = `${op} body function carry input and carry output must have equal types (e.g. shapes and dtypes of arrays), but they differ: the input carry component carry[${i}] has type ${typeStr(x)} but the corresponding output carry component has type ${typeStr(y)}, so the ${what} do not match`
    throw x.dtype === y.dtype ? new ShapeError(msg) : new DTypeError(msg)
  })
}

/** The number of steps: the common leading axis of the scanned leaves, or `length`. */
const scanLength = (xs: ReadonlyArray<NdArray>, length: number | undefined): number => {
  for (const x of xs)
    if (x.ndim === 0) throw new ShapeError(`scan: got a value with no leading axis to scan over: ${typeStr(x)}`)
  const sizes = [...new Set(xs.map((x) => x.shape[0] as number))]
  if (sizes.length > 1)
    throw new ShapeError(`scan got values with different leading axis sizes: ${xs.map((x) => x.shape[0]).join(', ')}`)
  if (length !== undefined && (!Number.isInteger(length) || length < 0))
    throw new ValueError(`scan: length must be a non-negative integer, got ${describeValue(length)}`)
  const [n] = sizes
  if (n === undefined) {
    if (length === undefined) throw new ValueError('scan got no values to scan over and `length` not provided')
    return length
  }
  if (length !== undefined && length !== n)
    throw new ValueError(`scan got \`length\` argument of ${length} which disagrees with leading axis sizes [${n}]`)
  return n
}

const unrollOf = (u: number | boolean | undefined, length: number): number => {
  if (u === undefined || u === false) return 1
  if (u === true) return Math.max(1, length)
  if (!Number.isInteger(u) || u < 0)
    throw new ValueError(`scan: unroll must be a non-negative integer or a boolean, got ${u}`)
  return u
}

/**
 * Loops `f` over the leading axis of `xs`, threading a carry (JAX: `lax.scan`): returns the final
 * carry and the per-step outputs stacked along a new leading axis. `init`, `xs` and the outputs
 * are pytrees of arrays; `xs` may be `null` with `options.length`. The body is traced once (its
 * JavaScript runs once, on abstract values) into a `scan` primitive: `jit` compiles it to one
 * loop, `grad` runs a reverse scan over saved residuals, `vmap` batches the body. Eagerly the
 * results are bit for bit those of the equivalent JavaScript loop.
 *
 * @example
 * import { lax, array, add, mul, type NdArray } from 'wengert'
 * const [total, partial] = lax.scan((c: NdArray, x: NdArray) => { const s = add(c, x); return [s, mul(s, 2)] }, array(0), array([1, 2, 3]))
 * assert.strictEqual(total.item(), 6)
 * assert.deepStrictEqual(partial.toArray(), [2, 6, 12])
 * @category ops
 * @since 0.2.0
 */
export const scan = <C, X, Y>(
  f: (carry: C, x: X) => readonly [C, Y],
  init: C,
  xs: X,
  options: ScanOptions = {},
): [C, Y] => {
  checkFn('scan', f)
  const opts = checkOptions('scan', options, ['length', 'reverse', 'unroll'])
  const [initLeaves, carryDef] = flatten(init)
  const carry = initLeaves.map((l, i) => leafArray('scan', l, `init leaf ${i}`))
  const [xLeaves, xDef] = flatten(xs)
  const xArrs = xLeaves.map((l, i) => leafArray('scan', l, `xs leaf ${i}`))
  const length = scanLength(xArrs, opts.length)
  let yDef: TreeDef = { kind: 'none', value: null }
  const nK = carry.length
  const closed = traceClosed(
    (ins) => {
      const out = f(unflatten(carryDef, ins.slice(0, nK)) as C, unflatten(xDef, ins.slice(nK)) as X)
      if (!Array.isArray(out) || out.length !== 2)
        throw new ValueError(`scan: the body function must return a pair [carry, y], got ${describeValue(out)}`)
      const [kLeaves, kDef] = flatten(out[0])
      const ks = kLeaves.map((l, i) => leafArray('scan', l, `output carry leaf ${i}`, carry[i]?.dtype))
      checkCarry('scan', carryDef, kDef, carry, ks)
      const [yLeaves, yd] = flatten(out[1])
      yDef = yd
      return [...ks, ...yLeaves.map((l, i) => leafArray('scan', l, `output y leaf ${i}`))]
    },
    [...carry, ...xArrs.map(rowExample)],
  )
  const outs = scanPrimitive([...closed.consts, ...carry, ...xArrs], {
    body: closed.tape,
    numConsts: closed.consts.length,
    numCarry: nK,
    length,
    reverse: opts.reverse ?? false,
    unroll: unrollOf(opts.unroll, length),
  })
  return [unflatten(carryDef, outs.slice(0, nK)) as C, unflatten(yDef, outs.slice(nK)) as Y]
}

/**
 * `lax.cond` and `lax.switch`: one of several traced branches, chosen by a value, as one `cond`
 * primitive (only the chosen branch runs; under `vmap` with a batched predicate all run and
 * `select` merges their results).
 *
 * @category ops
 * @since 0.2.0
 */
import { DTypeError, ShapeError, TreeMismatchError, ValueError, fmtShape, fmtTuple } from '../../ndarray/errors'
import { isFloat } from '../../ndarray/dtype'
import { NdArray } from '../../ndarray/NdArray'
import { shapesEqual } from '../../ndarray/shape'
import { convertElementType, ne, scalar } from '../../core/lax'
import { avalOf, type Atom } from '../../core/equation'
import { cond as condPrimitive } from '../../core/primitives/branch'
import { apply, traceClosed, type Closed } from '../../core/subprogram'
import { describe, flatten, unflatten, type TreeDef } from '../../tree'
import { describeValue } from '../../internal/options'
import { checkFn } from '../../transforms/common'
import { leafArray } from './scan'

/** Traces every branch on the operands' leaves; checks they agree; binds one `cond`. */
const branchOut = (
  op: string,
  index: NdArray,
  branches: ReadonlyArray<(...operands: unknown[]) => unknown>,
  operands: ReadonlyArray<unknown>,
): unknown => {
  const [leaves, def] = flatten([...operands])
  const ops = leaves.map((l, i) => leafArray(op, l, `operand leaf ${i}`))
  const outDefs: TreeDef[] = []
  const closed: Closed[] = branches.map((b) =>
    traceClosed((xs) => {
      const [outLeaves, outDef] = flatten(b(...(unflatten(def, xs) as unknown[])))
      outDefs.push(outDef)
      return outLeaves.map((l, i) => leafArray(op, l, `branch output leaf ${i}`))
    }, ops),
  )
  const first = closed[0] as Closed
  closed.forEach((c, k) => {
    if (describe(outDefs[k] as TreeDef) !== describe(outDefs[0] as TreeDef))
      throw new TreeMismatchError(
        `${op}: ${op === 'cond' ? 'true_fun and false_fun output' : `branch 0 and ${k} outputs`} must have same type structure, got ${describe(outDefs[0] as TreeDef)} and ${describe(outDefs[k] as TreeDef)}`,
      )
    c.tape.outputs.forEach((a, j) => {
      const b = first.tape.outputs[j]
      const x = avalOf(a)
      const y = avalOf(b as Atom)
      if (x.dtype !== y.dtype || !shapesEqual(x.shape, y.shape))
        throw new (x.dtype !== y.dtype ? DTypeError : ShapeError)(
          `${op}: ${op === 'cond' ? 'true_fun and false_fun output' : `branch 0 and ${k} outputs`} must have identical types: branches 0 and ${k} must have equal types, but output ${j} is ${y.dtype}${fmtShape(y.shape)} in branch 0 and ${x.dtype}${fmtShape(x.shape)} in branch ${k}`,
        )
    })
  })
  // every branch takes the outer values all of them close over, then the operands
  const consts = [...new Set(closed.flatMap((c) => c.consts))]
  const tapes = closed.map(
    (c) =>
      traceClosed(
        (xs) => apply(c.tape, [...c.consts.map((v) => xs[consts.indexOf(v)] as NdArray), ...xs.slice(consts.length)]),
        [...consts, ...ops],
      ).tape,
  )
  const outs = condPrimitive([convertElementType(index, 'int32'), ...consts, ...ops], { branches: tapes })
  return unflatten(outDefs[0] as TreeDef, outs)
}

/**
 * Calls `trueFn(...operands)` when `pred` holds, else `falseFn(...operands)` (JAX: `lax.cond`).
 * `pred` is a scalar (bool, or a number: nonzero is true). Both branches are traced and must
 * return the same structure, dtypes and shapes; only the chosen one runs. Under `vmap` with a
 * batched `pred` both run and `select` merges them, as in JAX. Differentiable in both modes.
 *
 * @example
 * import { lax, array, greater, sin, cos, type NdArray } from 'wengert'
 * const f = (x: NdArray) => lax.cond(greater(x, 0), (y: NdArray) => sin(y), (y: NdArray) => cos(y), x)
 * assert.strictEqual(f(array(1)).item(), Math.fround(Math.sin(1)))
 * assert.strictEqual(f(array(-1)).item(), Math.fround(Math.cos(-1)))
 * @category ops
 * @since 0.2.0
 */
export const cond = <R>(
  pred: NdArray | boolean | number,
  trueFn: (...operands: never[]) => R,
  falseFn: (...operands: never[]) => R,
  ...operands: unknown[]
): R => {
  checkFn('cond', trueFn)
  checkFn('cond', falseFn)
  const p = typeof pred === 'boolean' || typeof pred === 'number' ? leafArray('cond', pred, 'pred') : pred
  if (!(p instanceof NdArray))
    throw new ValueError(`cond: Pred type must be either boolean or number, got ${describeValue(pred)}`)
  if (p.ndim !== 0)
    throw new ShapeError(
      `cond: Pred must be a scalar, got ${p.dtype}${fmtShape(p.shape)} of shape ${fmtTuple(p.shape)}`,
    )
  const index = p.dtype === 'bool' ? p : ne(p, scalar(0, p.dtype))
  return branchOut(
    'cond',
    index,
    [falseFn, trueFn] as unknown as ReadonlyArray<(...o: unknown[]) => unknown>,
    operands,
  ) as R
}

/**
 * Calls `branches[index](...operands)` (JAX: `lax.switch`): `index` is an integer scalar,
 * clamped to the valid range as JAX does. Every branch is traced and must return the same
 * structure, dtypes and shapes; only the chosen one runs (under `vmap` with a batched index all
 * run and `select` merges them).
 *
 * @example
 * import { lax, array, mul, add, type NdArray } from 'wengert'
 * const branches = [(x: NdArray) => add(x, 1), (x: NdArray) => mul(x, 10)]
 * assert.strictEqual(lax.switch(array(1, { dtype: 'int32' }), branches, array(2)).item(), 20)
 * assert.strictEqual(lax.switch(7, branches, array(2)).item(), 20) // clamped to the last branch
 * @category ops
 * @since 0.2.0
 */
export const switch_ = <R>(
  index: NdArray | number,
  branches: ReadonlyArray<(...operands: never[]) => R>,
  ...operands: unknown[]
): R => {
  if (!Array.isArray(branches) || branches.length === 0)
    throw new ValueError('switch: Empty branch sequence: branches must be a non-empty list of functions')
  branches.forEach((b) => checkFn('switch', b))
  const i = typeof index === 'number' ? scalar(index, 'int32') : index
  if (i.ndim !== 0)
    throw new ShapeError(
      `switch: Branch index must be scalar, got ${i.dtype}${fmtShape(i.shape)} of shape ${fmtTuple(i.shape)}`,
    )
  if (isFloat(i.dtype) || i.dtype === 'bool')
    throw new DTypeError(`switch: Index type must be an integer, got ${i.dtype}`)
  return branchOut('switch', i, branches as unknown as ReadonlyArray<(...o: unknown[]) => unknown>, operands) as R
}

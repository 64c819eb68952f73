/**
 * `vmap(f)`: `f` written for one example, applied to a batch at once.
 *
 * @category transforms
 * @since 0.1.0
 */
import { ValueError, fmtShape } from '../ndarray/errors'
import { array } from '../ndarray/create'
import { NdArray } from '../ndarray/NdArray'
import { BatchLevel, BatchTracer, moveBatchAxis } from '../core/batching'
import { withAxisName } from '../core/axisEnv'
import { live, withLevel } from '../core/trace'
import { flatten, unflatten, type TreeDef } from '../tree'
import { describeLeaf } from '../tree/registry'
import { checkOptions, describeValue, isPlainObject } from '../internal/options'
import { checkFn, pyShape } from './common'

/**
 * Which axis of each leaf is the batch: a number (negative counts from the end), `null` for
 * not mapped, or a pytree of them matching a prefix of the argument's structure.
 */
export type AxisSpec = number | null | ReadonlyArray<AxisSpec> | { readonly [key: string]: AxisSpec }

/** Options of `vmap`. JAX: in_axes, out_axes, axis_size. */
export interface VmapOptions {
  /**
   * Batch axes of the arguments: one spec for all (default 0), or an array with one spec per
   * positional argument.
   */
  readonly inAxes?: AxisSpec
  /** Where the batch axis goes in the outputs (default 0); `null` for outputs that are not batched. */
  readonly outAxes?: AxisSpec
  /** The batch size, needed only when no argument is mapped. */
  readonly axisSize?: number
  /**
   * A name for the batch axis, which collectives inside `f` reduce over (`lax.psum(x, name)`,
   * `lax.pmean`, `lax.pmax`, `lax.pmin`, `lax.axisIndex`). JAX: axis_name.
   */
  readonly axisName?: string
}

/** The axis of every leaf of `tree` under `spec` (a prefix of its structure). */
const leafAxes = (what: string, spec: AxisSpec | undefined, def: TreeDef, op = 'vmap'): Array<number | null> => {
  // JAX: "vmap in_axes specification must be a tree prefix of the corresponding value"
  const lead = `${op} ${what === 'the output' ? 'out_axes' : 'in_axes'} specification must be a tree prefix of the corresponding value`
  const out: Array<number | null> = []
  const walk = (s: AxisSpec | undefined, d: TreeDef): void => {
    if (d.kind === 'none') return
    if (s === undefined || s === null || typeof s === 'number') {
      const n = countLeaves(d)
      for (let i = 0; i < n; i++) out.push(s ?? null)
      return
    }
    if (d.kind === 'leaf') throw new ValueError(`${lead}: ${what} has a leaf where its axis spec has a structure`)
    if (d.kind === 'array') {
      if (!Array.isArray(s) || s.length !== d.children.length) {
        throw new ValueError(
          `${lead}: the axis spec of ${what} does not match its structure (an array of ${d.children.length})`,
        )
      }
      d.children.forEach((c, i) => walk((s as ReadonlyArray<AxisSpec>)[i], c))
      return
    }
    if (d.kind === 'node') {
      // a registered class's spec is an instance of it whose children are the children's specs
      if ((Object.getPrototypeOf(s) as { constructor?: unknown } | null)?.constructor !== d.type.cls)
        throw new ValueError(`${lead}: the axis spec of ${what} must be a number, null, or a ${d.type.name} of them`)
      const children = d.type.flatten(s).children as ReadonlyArray<AxisSpec>
      d.children.forEach((c, i) => walk(children[i], c))
      return
    }
    if (Array.isArray(s))
      throw new ValueError(`${lead}: the axis spec of ${what} is an array where the value is an object`)
    const o = s as { readonly [key: string]: AxisSpec }
    const keys = Object.keys(o)
    if (keys.length !== d.keys.length || keys.some((k) => !d.keys.includes(k)))
      throw new ValueError(
        `${lead}, got specification with keys {${keys.join(', ')}} for ${what}, an object with keys {${d.keys.join(', ')}}`,
      )
    d.keys.forEach((k, i) => walk(o[k], d.children[i] as TreeDef))
  }
  walk(spec, def)
  return out
}

/** Every leaf of an axis spec is an integer or null, every node an array or a plain object. */
const checkSpec = (what: string, spec: unknown): void => {
  if (spec === undefined || spec === null) return
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec))
      throw new ValueError(`vmap: ${what} entries must be integers or null, got ${describeValue(spec)}`)
    return
  }
  if (Array.isArray(spec)) return spec.forEach((s: unknown) => checkSpec(what, s))
  if (isPlainObject(spec)) return Object.values(spec).forEach((s) => checkSpec(what, s))
  // an instance of a registered class (a spec for arguments of that class): its leaves are the specs
  const leaves = typeof spec === 'object' ? flatten(spec)[0] : [spec]
  if (leaves[0] !== spec) return leaves.forEach((s) => checkSpec(what, s))
  throw new ValueError(
    `vmap: ${what} must be an integer, null, or an array or object of them, got ${describeValue(spec)}`,
  )
}

const countLeaves = (d: TreeDef): number =>
  d.kind === 'leaf' ? 1 : d.kind === 'none' ? 0 : d.children.reduce((n, c) => n + countLeaves(c), 0)

const normalizeAxis = (axis: number, rank: number, what: string, shape: ReadonlyArray<number>, op = 'vmap'): number => {
  const a = axis < 0 ? axis + rank : axis
  if (!Number.isInteger(axis) || a < 0 || a >= rank) {
    throw new ValueError(
      `${op} was requested to map ${what} along axis ${axis}, which implies that its rank should be at least ${axis < 0 ? -axis : axis + 1}, but is only ${shape.length} (its shape is ${pyShape(shape)})`,
    )
  }
  return a
}

/**
 * JAX's positional form `vmap(f, in_axes, out_axes)` — a number, `null` or an array as the second
 * argument — as options; an object second argument is the options themselves (an object in_axes
 * is written `{ inAxes: {...} }`).
 */
const vmapOptions = (
  axesOrOptions: VmapOptions | number | null | ReadonlyArray<AxisSpec>,
  outAxes: AxisSpec | undefined,
): VmapOptions => {
  const positional = axesOrOptions === null || typeof axesOrOptions === 'number' || Array.isArray(axesOrOptions)
  if (positional) return outAxes === undefined ? { inAxes: axesOrOptions } : { inAxes: axesOrOptions, outAxes }
  if (outAxes !== undefined)
    throw new ValueError('vmap: out_axes given positionally after an options object: pass { inAxes, outAxes } instead')
  return axesOrOptions as VmapOptions
}

/**
 * Vectorizes `f` over a batch axis: `vmap(f)(xs)` is `f` applied to every slice of `xs` along
 * axis 0, the results stacked along axis 0 — computed in one pass, each primitive applied to
 * the whole batch (matrix products become batched products, reductions shift their axes).
 * `inAxes` says which axis of each argument is mapped (`null`: the same value for every
 * element), `outAxes` where the batch axis goes in the result; both may also be given
 * positionally as in JAX (`vmap(f, [null, 0], 0)`). Nests with itself and with every
 * other transform: `vmap(grad(f))` gives per-example gradients.
 *
 * Inside `f`, mapped arrays have the per-example shape; their values are one per element, so
 * `item()`, `toArray()` and JavaScript branches on them throw a ConcretizationTypeError, as in
 * JAX.
 *
 * @example
 * import { vmap, grad, array, sum, mul, matmul, type NdArray } from 'wengert'
 * const xs = array([[1, 2], [3, 4], [5, 6]])
 * assert.deepStrictEqual(vmap((x: NdArray) => sum(mul(x, x)))(xs).toArray(), [5, 25, 61])
 * // per-example gradients of a shared weight vector
 * const w = array([0.5, -1])
 * const loss = (w: NdArray, x: NdArray) => sum(mul(matmul(x, w), matmul(x, w)))
 * const g = vmap(grad(loss), { inAxes: [null, 0] })(w, xs)
 * assert.deepStrictEqual(g.shape, [3, 2])
 * // JAX's positional form vmap(f, in_axes, out_axes) is accepted too
 * assert.deepStrictEqual(vmap(grad(loss), [null, 0])(w, xs).shape, [3, 2])
 * @category transforms
 * @since 0.1.0
 */
export const vmap = <A extends readonly unknown[], R>(
  f: (...args: A) => R,
  axesOrOptions: VmapOptions | number | null | ReadonlyArray<AxisSpec> = {},
  outAxes?: AxisSpec,
): ((...args: A) => R) => {
  checkFn('vmap', f)
  const options = vmapOptions(axesOrOptions, outAxes)
  checkOptions('vmap', options, ['inAxes', 'outAxes', 'axisSize', 'axisName'])
  const { axisSize, axisName } = options
  if (axisName !== undefined && typeof axisName !== 'string')
    throw new ValueError(`vmap: axisName must be a string, got ${describeValue(axisName)}`)
  if (axisSize !== undefined && !(typeof axisSize === 'number' && Number.isInteger(axisSize) && axisSize >= 0))
    throw new ValueError(`vmap: axisSize must be a non-negative integer, got ${describeValue(axisSize)}`)
  checkSpec('inAxes', options.inAxes)
  checkSpec('outAxes', options.outAxes)
  return (...args: A): R => {
    const flat = mappedLeaves(args, options.inAxes === undefined ? 0 : options.inAxes)
    const n = batchSize(flat, options.axisSize)
    const level = new BatchLevel(n, axisName)
    const run = (): R => {
      const callArgs = flat.map(({ leaves, def, axes }) =>
        unflatten(
          def,
          leaves.map((l, j) => {
            const axis = axes[j]
            return axis === null || axis === undefined || !(l instanceof NdArray) ? l : level.tracer(live(l), axis)
          }),
        ),
      ) as unknown as A
      const [outLeaves, outDef] = flatten(f(...callArgs))
      const outAxes = leafAxes('the output', options.outAxes === undefined ? 0 : options.outAxes, outDef)
      return unflatten(
        outDef,
        outLeaves.map((l, k) => unbatchOutput(level, l, k, outAxes[k] ?? null)),
      ) as R
    }
    return withLevel(level, () => (axisName === undefined ? run() : withAxisName(axisName, n, level, run)))
  }
}

/** The arguments' leaves with the batch axis of each (from `inAxes`). */
interface MappedArg {
  readonly leaves: ReadonlyArray<unknown>
  readonly def: TreeDef
  readonly axes: Array<number | null>
}

const mappedLeaves = (args: ReadonlyArray<unknown>, inAxes: AxisSpec, op = 'vmap'): MappedArg[] => {
  if (Array.isArray(inAxes) && inAxes.length !== args.length) {
    throw new ValueError(
      `${op} in_axes must be an int, None, or a tuple of entries corresponding to the positional arguments passed to the function, but got len(in_axes)=${inAxes.length}, len(args)=${args.length} (inAxes: a number, null, or an array with one entry per argument)`,
    )
  }
  return args.map((a, i) => {
    const [leaves, def] = flatten(a)
    const spec = Array.isArray(inAxes) ? (inAxes as ReadonlyArray<AxisSpec>)[i] : inAxes
    return { leaves, def, axes: leafAxes(`argument ${i}`, spec, def, op) }
  })
}

/** The batch size the mapped leaves agree on (their axes normalised in place), or `axisSize`. */
const batchSize = (flat: ReadonlyArray<MappedArg>, axisSize: number | undefined, op = 'vmap'): number => {
  let size = axisSize
  const sizes: string[] = axisSize === undefined ? [] : [`axisSize was given as ${axisSize}`]
  flat.forEach(({ leaves, axes }, i) =>
    leaves.forEach((l, j) => {
      const axis = axes[j]
      if (axis === null || axis === undefined) return
      const what = `argument ${i}${leaves.length > 1 ? ` (leaf ${j})` : ''}`
      if (!(l instanceof NdArray)) {
        throw new ValueError(
          `${op} was requested to map ${what} along axis ${axis}, which implies that its rank should be at least ${axis < 0 ? -axis : axis + 1}, but it is a ${describeLeaf(l)}`,
        )
      }
      const a = normalizeAxis(axis, l.ndim, what, l.shape, op)
      axes[j] = a
      const n = l.shape[a] as number
      sizes.push(`one axis had size ${n}: axis ${a} of ${what} of type ${l.dtype}${fmtShape(l.shape)}`)
      if (size === undefined) size = n
      else if (n !== size)
        throw new ValueError(`${op} got inconsistent sizes for array axes to be mapped: * ${sizes.join('; * ')}`)
    }),
  )
  if (size === undefined)
    throw new ValueError(
      flat.every((m) => m.leaves.length === 0)
        ? `${op} wrapped function must be passed at least one argument containing an array, got empty *args=${flat.length === 0 ? '()' : 'of no arrays'} (or give axisSize)`
        : `${op} must have at least one non-None value in in_axes: at least one non-null value in inAxes (or give axisSize)`,
    )
  return size
}

/**
 * The size of the mapped axis of a call: what `vmap(f, { inAxes, axisSize })(...args)` would map
 * over, with `op`'s name in the errors (pmap checks it against the devices before tracing).
 * @internal
 */
export const mappedSize = (
  op: string,
  args: ReadonlyArray<unknown>,
  inAxes: AxisSpec | undefined,
  axisSize: number | undefined,
): number => batchSize(mappedLeaves(args, inAxes === undefined ? 0 : inAxes, op), axisSize, op)

/** An output leaf with its batch axis moved to `axis` (null: it must not be batched). */
const unbatchOutput = (level: BatchLevel, l: unknown, k: number, axis: number | null): unknown => {
  const x = l instanceof NdArray ? live(l) : typeof l === 'number' ? array(l) : l
  const batched = x instanceof BatchTracer && x._level === level
  if (axis === null) {
    if (batched)
      throw new ValueError(`vmap has mapped output but out_axes is None: outAxes is null for output leaf ${k}`)
    return x
  }
  if (!(x instanceof NdArray))
    throw new ValueError(`vmap: output leaf ${k} is a ${typeof x}; a batched output must be an array or a number`)
  const value = batched ? x.primal : x
  const from = batched ? x.bdim : null
  const to = normalizeAxis(axis, value.ndim + (batched ? 0 : 1), `output leaf ${k}`, value.shape)
  return moveBatchAxis(value, from, to, level.size)
}

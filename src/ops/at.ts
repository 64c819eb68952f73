/**
 * Functional indexed updates, JAX's `x.at[idx].set(v)` spelled `at(x, ...idx).set(v)`.
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { fmtTuple, ShapeError, ValueError } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { tryBroadcastShapes } from '../ndarray/shape'
import * as O from 'fp-ts/Option'
import { checkOptions } from '../internal/options'
import { asArray, type ArrayLike } from './convert'
import { indexPlan, type IndexItem, type IndexMode, type IndexPlan } from './indexPlan'
import { defaultFill } from './takeGather'

export type { IndexItem, IndexMode, IndexArrayList } from './indexPlan'

/** Options of `at(...).set/add/multiply/min/max` (JAX's names). */
export interface AtUpdateOptions {
  /** Out-of-bounds indices: dropped by default ('drop', 'fill', 'promise_in_bounds'), or clamped ('clip'). */
  readonly mode?: IndexMode
  /** Accepted as in JAX (a promise that lets XLA pick a faster scatter); wengert's kernels do not need it. */
  readonly indicesAreSorted?: boolean
  /** A promise that no position is indexed twice: `multiply` needs it to be differentiable in the values. */
  readonly uniqueIndices?: boolean
}

/** Options of `at(...).get()`. */
export interface AtGetOptions extends AtUpdateOptions {
  /** With mode 'fill': the value of out-of-bounds elements (default NaN, the dtype's minimum for ints, true for bool). */
  readonly fillValue?: number | boolean
}

const MODES: ReadonlyArray<IndexMode> = ['promise_in_bounds', 'clip', 'drop', 'fill']
const UPDATE_KEYS = ['mode', 'indicesAreSorted', 'uniqueIndices'] as const

const checkMode = (op: string, mode: IndexMode | undefined, dflt: IndexMode): IndexMode => {
  if (mode === undefined) return dflt
  if (!MODES.includes(mode))
    throw new ValueError(
      `${op}: Unknown gather mode "${String(mode)}": mode must be one of ${MODES.map((m) => `'${m}'`).join(', ')}`,
    )
  return mode
}

type Combine = 'set' | 'add' | 'multiply' | 'min' | 'max'

/** The pending indexed update of `at(x, ...idx)`; every method returns a new array. */
export class AtRef {
  /** @internal */
  constructor(
    private readonly x: NdArray,
    private readonly items: ReadonlyArray<IndexItem>,
  ) {}

  /** `x[idx]` (out-of-bounds indices are clamped by default, as JAX's gathers do). */
  get(options?: AtGetOptions): NdArray {
    const o = checkOptions('at().get', options, [...UPDATE_KEYS, 'fillValue'])
    const mode = checkMode('at().get', o.mode, 'clip')
    const p = indexPlan(
      this.x.shape,
      this.items,
      mode === 'promise_in_bounds' ? 'clip' : mode === 'drop' ? 'fill' : mode,
    )
    const g = lax.gather(lax.reshape(this.x, [p.size]), p.flat, 0)
    if (p.valid === undefined) return g
    const fill = o.fillValue === undefined ? defaultFill(g.dtype) : Number(o.fillValue)
    return lax.select(p.valid, g, lax.scalar(fill, g.dtype))
  }
  /** `x[idx] = v`; with repeated indices the last one (in row-major order of the index) wins. */
  set(v: ArrayLike, options?: AtUpdateOptions): NdArray {
    return this.update('set', v, options)
  }
  /** `x[idx] += v`; repeated indices all add (unlike NumPy's buffered `+=`, like `np.add.at`). */
  add(v: ArrayLike, options?: AtUpdateOptions): NdArray {
    return this.update('add', v, options)
  }
  /** `x[idx] -= v`. */
  subtract(v: ArrayLike, options?: AtUpdateOptions): NdArray {
    return this.update('add', lax.neg(asArray('at().subtract', v, this.x.dtype)), options)
  }
  /** `x[idx] *= v`; repeated indices all multiply. */
  multiply(v: ArrayLike, options?: AtUpdateOptions): NdArray {
    return this.update('multiply', v, options)
  }
  /** Alias of {@link AtRef.multiply}. */
  mul(v: ArrayLike, options?: AtUpdateOptions): NdArray {
    return this.update('multiply', v, options)
  }
  /** `x[idx] /= v`. */
  divide(v: ArrayLike, options?: AtUpdateOptions): NdArray {
    return this.update('multiply', lax.reciprocal(asArray('at().divide', v, this.x.dtype)), options)
  }
  /** `x[idx] = minimum(x[idx], v)`. */
  min(v: ArrayLike, options?: AtUpdateOptions): NdArray {
    return this.update('min', v, options)
  }
  /** `x[idx] = maximum(x[idx], v)`. */
  max(v: ArrayLike, options?: AtUpdateOptions): NdArray {
    return this.update('max', v, options)
  }

  private update(kind: Combine, v: ArrayLike, options: AtUpdateOptions | undefined): NdArray {
    const op = `at().${kind}`
    const o = checkOptions(op, options, UPDATE_KEYS)
    const mode = checkMode(op, o.mode, 'drop')
    const p = indexPlan(this.x.shape, this.items, mode === 'clip' ? 'clip' : 'drop')
    const vals = broadcastValues(op, asArray(op, v, this.x.dtype), p)
    return scatterFlat(kind, this.x, p, vals, o.uniqueIndices === true)
  }
}

const broadcastValues = (op: string, v: NdArray, p: IndexPlan): NdArray => {
  const b = tryBroadcastShapes(v.shape, p.shape)
  if (O.isNone(b) || b.value.join() !== p.shape.join())
    throw new ShapeError(
      `${op}: Incompatible shapes for broadcasting: ${fmtTuple(v.shape)} and requested shape ${fmtTuple(p.shape)} (the value array could not be broadcast to the indexing result)`,
    )
  return lax.broadcastTo(v, p.shape)
}

/**
 * Scatters `vals` (shape of the plan) into `x` flattened. Invalid positions go to one extra
 * trailing slot, which is cut off afterwards: the primitives only ever see in-range indices.
 */
const scatterFlat = (kind: Combine, x: NdArray, p: IndexPlan, vals: NdArray, unique: boolean): NdArray => {
  let xf = lax.reshape(x, [p.size])
  let idx = p.flat
  if (p.valid !== undefined) {
    xf = lax.concatenate([xf, lax.zerosLike({ shape: [1], dtype: x.dtype })], 0)
    idx = lax.select(p.valid, idx, lax.scalar(p.size, 'int32'))
  }
  const out =
    kind === 'set'
      ? lax.scatter(xf, idx, vals, unique)
      : kind === 'add'
        ? lax.add(xf, lax.scatterAdd(vals, idx, 0, xf.shape))
        : kind === 'multiply'
          ? lax.scatterMul(xf, idx, vals, unique)
          : kind === 'min'
            ? lax.scatterMin(xf, idx, vals, unique)
            : lax.scatterMax(xf, idx, vals, unique)
  const kept = p.valid === undefined ? out : lax.slice(out, [0], [p.size], [1])
  return lax.reshape(kept, x.shape)
}

/**
 * Indexed access and functional updates: JAX's `x.at[idx]`. The index is written as the
 * remaining arguments, one per Python index item: an integer (negative counts from the end), a
 * slice string (`':'`, `'1:3'`, `'::2'`, `'::-1'`), `'...'` (Ellipsis), `null` (newaxis), an
 * integer array or a boolean mask (NdArray or nested JS lists; a mask needs concrete values).
 * Index arrays may be traced (`jit`, `vmap`, `grad`). `.get()` is `x[idx]`; `.set/add/subtract/
 * multiply/divide/min/max(v)` return a copy of `x` updated there (`v` broadcast to `x[idx]`'s
 * shape, cast to `x`'s dtype). Repeated indices: `add`/`multiply`/`min`/`max` apply every
 * update (like `np.add.at`); for `set` wengert's last writer (row-major order of the broadcast
 * index) wins — JAX leaves that order unspecified. Out-of-bounds indices: `get` clamps and
 * updates drop them, as JAX does; `mode` ('promise_in_bounds', 'clip', 'drop', 'fill' with
 * `fillValue` for `get`) chooses otherwise.
 *
 * @example
 * import { at, array, arange, reshape } from 'wengert'
 * const x = array([1, 2, 3, 4])
 * assert.deepStrictEqual(at(x, 1).set(10).toArray(), [1, 10, 3, 4])
 * assert.deepStrictEqual(at(x, [0, 0, 3]).add(1).toArray(), [3, 2, 3, 5])
 * assert.deepStrictEqual(at(x, '::2').multiply(2).toArray(), [2, 2, 6, 4])
 * assert.deepStrictEqual(at(x, 7).add(1).toArray(), [1, 2, 3, 4])
 * assert.deepStrictEqual(at(x, 7).get().toArray(), 4)
 * assert.ok(Number.isNaN(at(x, 7).get({ mode: 'fill' }).toArray() as number))
 * const m = reshape(arange(6), [2, 3])
 * assert.deepStrictEqual(at(m, '...', -1).get().toArray(), [2, 5])
 * assert.deepStrictEqual(at(m, null, 1).get().shape, [1, 3])
 * @category ops
 * @since 0.2.0
 */
export const at = (x: ArrayLike, ...index: IndexItem[]): AtRef => new AtRef(asArray('at', x), index)

/**
 * `jnp.vectorize`: a function written for scalars (or, with a generalized-ufunc signature, for
 * arrays of fixed core shapes) made to broadcast over any leading dimensions. It is a stack of
 * `vmap`s, one per broadcast dimension, so the result differentiates, stages and batches like
 * the function itself; broadcast dimensions of size 1 are squeezed and mapped with a `null` axis
 * rather than materialised.
 *
 * @category ops
 * @since 0.5.0
 */
import { requireFunction } from '../../internal/args'
import { checkOptions } from '../../internal/options'
import { ValueError, fmtTuple } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { broadcastShapes } from '../../ndarray/shape'
import { vmap } from '../../transforms/vmap'
import { asArray } from '../convert'
import { expandDims, squeeze } from '../laxShape'

/** Options of {@link vectorize}. */
export interface VectorizeOptions {
  /** Positions of arguments passed to the function unchanged (not mapped). */
  readonly excluded?: ReadonlyArray<number>
  /**
   * A generalized-ufunc signature such as `'(m,n),(n)->(m)'`: the trailing core dimensions of
   * each argument and output. Without one, the function maps scalars to scalars.
   */
  readonly signature?: string
}

type CoreDims = ReadonlyArray<string>

const NAME = String.raw`\w+`
const DIMS = `(?:${NAME}(?:,${NAME})*)?`
const ARG = String.raw`\(${DIMS}\)`
const ARGS = `${ARG}(?:,${ARG})*`
const SIGNATURE = new RegExp(`^${ARGS}->${ARGS}$`)

/** The core dimensions of the inputs and of the outputs of a signature. */
const parseSignature = (signature: string): [CoreDims[], CoreDims[]] => {
  const s = signature.replace(/\s+/g, '')
  if (!SIGNATURE.test(s)) throw new ValueError(`vectorize: not a valid gufunc signature: ${signature}`)
  const side = (list: string): CoreDims[] =>
    [...list.matchAll(new RegExp(ARG, 'g'))].map((m) => m[0].match(new RegExp(NAME, 'g')) ?? [])
  const [ins = '', outs = ''] = s.split('->')
  return [side(ins), side(outs)]
}

const pyStr = (s: string): string => `'${s}'`
const fmtDims = (dims: CoreDims): string => fmtTuple(dims.map(pyStr) as unknown as number[])

/** Checks one argument's (or output's) core dimensions and records their sizes. */
const updateSizes = (
  sizes: Map<string, number>,
  shape: ReadonlyArray<number>,
  dims: CoreDims,
  context: string,
  isInput: boolean,
): void => {
  if (isInput ? shape.length < dims.length : shape.length !== dims.length)
    throw new ValueError(
      isInput
        ? `vectorize: input with shape ${fmtTuple(shape)} does not have enough dimensions for all core dimensions ${fmtDims(dims)} ${context}`
        : `vectorize: output shape ${fmtTuple(shape)} does not match core dimensions ${fmtDims(dims)} ${context}`,
    )
  const core = shape.slice(shape.length - dims.length)
  dims.forEach((d, k) => {
    const n = core[k] as number
    const seen = sizes.get(d)
    if (seen === undefined) sizes.set(d, n)
    else if (seen !== n)
      throw new ValueError(`vectorize: inconsistent size for core dimension ${pyStr(d)}: ${n} vs ${seen} ${context}`)
  })
}

/** The function's outputs checked against the output core dimensions (scalars without a signature). */
const checkedOutputs =
  (
    f: (...args: unknown[]) => unknown,
    sizes: ReadonlyMap<string, number>,
    outDims: CoreDims[] | undefined,
    context: string,
  ) =>
  (...args: unknown[]): unknown => {
    const out = f(...args)
    const many = Array.isArray(out)
    if (outDims !== undefined && outDims.length > 1 && !many)
      throw new TypeError(`vectorize: output must be an array (a tuple) when multiple outputs are expected ${context}`)
    const outs = (many ? out : [out]).map((o) => asArray('vectorize', o as number))
    const dims = outDims ?? outs.map(() => [])
    if (outs.length !== dims.length)
      throw new TypeError(
        `vectorize: wrong number of output arguments: expected ${dims.length}, got ${outs.length} ${context}`,
      )
    const seen = new Map(sizes)
    outs.forEach((o, k) => updateSizes(seen, o.shape, dims[k] as CoreDims, context, false))
    return many ? outs : outs[0]
  }

const pyExcluded = (excluded: ReadonlyArray<number>): string =>
  excluded.length === 0 ? 'frozenset()' : `frozenset({${[...excluded].sort((a, b) => a - b).join(', ')}})`

const checkExcluded = (excluded: unknown): ReadonlyArray<number> => {
  const list = excluded ?? []
  if (!Array.isArray(list) || list.some((e) => typeof e !== 'number' || !Number.isInteger(e)))
    throw new TypeError(`vectorize can only exclude integer arguments, but excluded=${String(excluded)}`)
  if ((list as number[]).some((e) => e < 0))
    throw new ValueError(`vectorize: excluded=${pyExcluded(list as number[])} contains negative numbers`)
  return list as number[]
}

/**
 * A function that broadcasts `f` over leading dimensions (JAX's
 * `jnp.vectorize(pyfunc, excluded=, signature=)`). Without a signature `f` takes and returns
 * scalars; with one, such as `'(m,n),(n)->(m)'`, each argument's trailing dimensions are its core
 * dimensions (sizes of equally named ones must agree), the leading ones broadcast, and `f` must
 * return arrays of the output core shapes (an array of them for several outputs). Arguments at
 * the `excluded` positions, and `null`/`undefined` ones, are passed through unmapped.
 * @example
 * import { vectorize, array, ones, matmul, sum, type NdArray } from 'wengert'
 * const mv = vectorize((m: NdArray, v: NdArray) => matmul(m, v), { signature: '(n,m),(m)->(n)' })
 * assert.deepStrictEqual(mv(ones([2, 3]), ones([4, 3])).shape, [4, 2])
 * const total = vectorize((v: NdArray) => sum(v), { signature: '(k)->()' })
 * assert.deepStrictEqual(total(array([[1, 2], [3, 4]])).toArray(), [3, 7])
 * @category ops
 * @since 0.5.0
 */
export const vectorize = <R = NdArray>(
  f: (...args: never[]) => R,
  options: VectorizeOptions = {},
): ((...args: unknown[]) => R) => {
  requireFunction('vectorize', 'pyfunc', f)
  checkOptions('vectorize', options, ['excluded', 'signature'])
  const excluded = checkExcluded(options.excluded)
  const { signature } = options
  if (signature !== undefined && typeof signature !== 'string')
    throw new TypeError(`vectorize: signature must be a string, got ${typeof signature}`)
  const parsed = signature === undefined ? undefined : parseSignature(signature)
  const context = `on vectorized function with excluded=${pyExcluded(excluded)} and signature=${signature === undefined ? 'None' : pyStr(signature)}`
  return (...all: unknown[]): R => {
    const isStatic = (a: unknown, i: number): boolean => excluded.includes(i) || a === null || a === undefined
    const dynamicAt = all.flatMap((a, i) => (isStatic(a, i) ? [] : [i]))
    const inDims = parsed?.[0] ?? all.map(() => [])
    const given = all.filter((_, i) => !excluded.includes(i)).length
    if (parsed !== undefined && given !== inDims.length)
      throw new TypeError(
        `vectorize: wrong number of positional arguments: expected ${inDims.length}, got ${given} ${context}`,
      )
    // core dimensions of the mapped arguments, in the order of the non-excluded arguments
    const coreOf = new Map<number, CoreDims>()
    let j = 0
    all.forEach((a, i) => {
      if (excluded.includes(i)) return
      const dims = inDims[j++] ?? []
      if ((a === null || a === undefined) && dims.length > 0)
        throw new ValueError(`vectorize: cannot pass null at position ${i} with signature=${pyStr(signature ?? '')}`)
      coreOf.set(i, dims)
    })
    const arrays = dynamicAt.map((i) => asArray('vectorize', all[i] as number))
    const sizes = new Map<string, number>()
    const loops = arrays.map((a, k) => {
      const dims = coreOf.get(dynamicAt[k] as number) ?? []
      updateSizes(sizes, a.shape, dims, context, true)
      return a.shape.slice(0, a.ndim - dims.length)
    })
    const loop = loops.reduce<number[]>((s, l) => broadcastShapes('vectorize', s, l), [])
    const call = (...dyn: unknown[]): unknown => {
      const args = [...all]
      dynamicAt.forEach((i, k) => (args[i] = dyn[k]))
      return (f as (...a: unknown[]) => unknown)(...args)
    }
    let mapped = checkedOutputs(call, sizes, parsed?.[1], context)
    const filled = loops.map((l) => [...Array<number>(loop.length - l.length).fill(1), ...l])
    const squeezed = arrays.map((a, k) =>
      squeeze(
        a,
        (loops[k] as number[]).flatMap((n, d) => (n === 1 ? [d] : [])),
      ),
    )
    const expand: number[] = []
    for (let d = loop.length - 1; d >= 0; d--) {
      const inAxes = filled.map((s) => (s[d] === 1 ? null : 0))
      if (inAxes.every((a) => a === null)) expand.unshift(d)
      else mapped = vmap(mapped, { inAxes })
    }
    const out = mapped(...squeezed)
    if (expand.length === 0) return out as R
    const grow = (o: unknown): NdArray => expandDims(o as NdArray, expand)
    return (Array.isArray(out) ? out.map(grow) : grow(out)) as R
  }
}

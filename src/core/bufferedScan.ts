/**
 * A scan whose body works on small arrays, run as one generated step function over buffers
 * allocated once per call: each matrix product writes into its own buffer through the gemm
 * kernel the primitive calls (same kernel, same arguments, same bits) — or, where gemm would run
 * its plain TypeScript loops, as those sums written out (`gemmIsPlainSum`) —, each element-wise
 * equation is a loop of the kernels' own expression (`scalarExpr`, stored in the dtype as the
 * kernel stores it) over its operands with NumPy broadcasting of leading axes, and every other
 * equation calls its impl as the interpreter would. The carry lives in buffers copied forward
 * at the end of a step, the scanned rows are copied into input buffers and the stacked outputs
 * written into one array each: a step allocates nothing but what impl-called equations return.
 * Bodies with no equation of the first two kinds, bodies on large arrays (the fused wasm loops
 * of `jit` serve those), and every body where code generation is not allowed return null.
 *
 * NOTE (security): the generated source holds only fixed text, the kernels' expression
 * templates, integers checked by `isSize` (slots, sizes) and booleans; arrays and impls reach it
 * through tables passed at run time (see ./codegen).
 *
 * @category core
 * @since 0.2.0
 */
import { scalarHelpers } from '../ndarray/kernels/expressions'
import { gemm, gemmIsPlainSum } from '../ndarray/kernels/gemm'
import { allocate, type TypedArray } from '../ndarray/dtype'
import { NdArray } from '../ndarray/NdArray'
import { sizeOf, type Shape } from '../ndarray/shape'
import { ewiseExpr, isSize, outAval, substitute } from './codegen'
import { avalOf, countVars, Var, type Atom, type Aval, type Equation, type Tape } from './equation'
import { compiles } from './program'

/** Runs a scan on concrete inputs (consts, carry, xs): final carry and stacked outputs out. */
export type BufferedScan = (inputs: ReadonlyArray<NdArray>, length: number, reverse: boolean) => NdArray[]

type Impl = (inputs: ReadonlyArray<NdArray>, params: unknown) => NdArray | ReadonlyArray<NdArray>
type StepFn = (
  V: NdArray[],
  S: ReadonlyArray<boolean>,
  F: ReadonlyArray<(args: NdArray[]) => NdArray | ReadonlyArray<NdArray>>,
  G: typeof gemm,
  H: typeof scalarHelpers,
) => void

/** Bodies whose every value has at most this many elements (larger ones gain nothing from it). */
const MAX_SIZE = 4096

const isFloatAval = (a: Aval): boolean => a.dtype === 'float32' || a.dtype === 'float64'
const dropOnes = (s: Shape): Shape => s.slice(s.findIndex((d) => d !== 1) < 0 ? s.length : s.findIndex((d) => d !== 1))

/** The index of an operand of shape `s` at output element `i` of shape `out`, or null when not a broadcast of trailing axes. */
const indexText = (s: Shape, out: Shape): string | null => {
  const a = dropOnes(s)
  const o = dropOnes(out)
  const n = sizeOf(a)
  if (!isSize(n)) return null
  if (n === 1) return '0'
  if (a.length > o.length || a.some((d, k) => d !== o[o.length - a.length + k])) return null
  return a.length === o.length ? 'i' : `i % ${n}`
}

/** The source of one equation over slot numbers, or null when it calls its impl. */
const equationSource = (
  eq: Equation,
  slot: (a: Atom) => number,
  plain: (mnk: readonly [number, number, number, boolean]) => number,
): string | null => {
  if (eq.outvars.length !== 1) return null
  const out = outAval(eq)
  if (!isFloatAval(out) || !eq.invars.every((a) => avalOf(a).dtype === out.dtype)) return null
  const c = slot(eq.outvars[0] as Var)
  const [x, y] = eq.invars
  if (eq.primitive.name === 'matmul' && out.shape.length === 2 && x !== undefined && y !== undefined) {
    const { transA, transB } = eq.params as { transA: boolean; transB: boolean }
    const k = avalOf(x).shape[transA ? 0 : 1]
    const [m, n] = out.shape
    if (![m, n, k].every(isSize) || typeof transA !== 'boolean' || typeof transB !== 'boolean') return null
    const call = `G(${transA}, ${transB}, ${m}, ${n}, ${k}, V[${slot(x)}]._data, 0, V[${slot(y)}]._data, 0, V[${c}]._data, 0, 0);`
    // when gemm would run its plain loops (decided per call: S), the same sums written out
    const ai = transA ? `p * ${m} + i` : `i * ${k} + p`
    const bj = transB ? `j * ${k} + p` : `p * ${n} + j`
    const loops = `const A = V[${slot(x)}]._data, B = V[${slot(y)}]._data, C = V[${c}]._data; for (let i = 0; i < ${m}; i++) for (let j = 0; j < ${n}; j++) { let s = 0; for (let p = 0; p < ${k}; p++) s += A[${ai}] * B[${bj}]; C[i * ${n} + j] = s; }`
    return `if (S[${plain([m as number, n as number, k as number, out.dtype === 'float64'])}]) { ${loops} } else ${call}`
  }
  const form = ewiseExpr(eq, out.dtype)
  const size = sizeOf(out.shape)
  if (form === null || !isSize(size)) return null
  const idx = eq.invars.map((a) => indexText(avalOf(a).shape, out.shape))
  if (idx.some((t) => t === null)) return null
  const names = eq.invars.map((_, j) => `A${j}[${idx[j] as string}]`)
  const reads = eq.invars.map((a, j) => `const A${j} = V[${slot(a)}]._data;`)
  return `{ ${reads.join(' ')} const C = V[${c}]._data; for (let i = 0; i < ${size}; i++) C[i] = ${substitute(form, names)}; }`
}

interface Plan {
  readonly step: StepFn
  readonly impls: ReadonlyArray<(args: NdArray[]) => NdArray | ReadonlyArray<NdArray>>
  /** Per variable slot: whether it gets a buffer of its own (inputs but consts, generated equations' outputs). */
  readonly buffered: ReadonlyArray<Aval | undefined>
  /** Constant operands: slot and value. */
  readonly constants: ReadonlyArray<readonly [number, NdArray]>
  readonly inSlots: ReadonlyArray<number>
  readonly outSlots: ReadonlyArray<number>
  /** The matrix products' m, n, k and dtype, for the per-call choice between gemm and written-out sums. */
  readonly products: ReadonlyArray<readonly [number, number, number, boolean]>
}

/** The plan of a body: its step source (generated and impl-called equations) and buffer layout; null when nothing is generated. */
const planOf = (body: Tape, numConsts: number): Plan | null => {
  const all = [...body.inputs.map((v) => v.aval), ...body.equations.flatMap((eq) => eq.outvars.map((v) => v.aval))]
  if (all.some((a) => sizeOf(a.shape) > MAX_SIZE)) return null
  const nVars = countVars(body)
  const constants: Array<readonly [number, NdArray]> = []
  const slotOfConst = new Map<NdArray, number>()
  const slot = (a: Atom): number => {
    if (a instanceof Var) return a.id
    let s = slotOfConst.get(a)
    if (s === undefined) {
      s = nVars + constants.length
      slotOfConst.set(a, s)
      constants.push([s, a])
    }
    return s
  }
  const buffered = new Array<Aval | undefined>(nVars)
  body.inputs.forEach((v, i) => (buffered[v.id] = i < numConsts ? undefined : v.aval))
  const impls: Array<(args: NdArray[]) => NdArray | ReadonlyArray<NdArray>> = []
  const lines: string[] = []
  const products: Array<readonly [number, number, number, boolean]> = []
  let generated = 0
  for (const eq of body.equations) {
    const src = equationSource(eq, slot, (q) => products.push(q) - 1)
    if (src !== null) {
      generated++
      buffered[(eq.outvars[0] as Var).id] = outAval(eq)
      lines.push(src)
      continue
    }
    const impl = eq.primitive.impl as Impl
    const params = eq.params
    const f = impls.push((args) => impl(args, params)) - 1
    const call = `F[${f}]([${eq.invars.map((a) => `V[${slot(a)}]`).join(', ')}])`
    if (eq.primitive.multipleResults === true)
      lines.push(`{ const r = ${call}; ${eq.outvars.map((v, j) => `V[${v.id}] = r[${j}];`).join(' ')} }`)
    else lines.push(`V[${(eq.outvars[0] as Var).id}] = ${call};`)
  }
  if (generated === 0) return null
  const step = new Function('V', 'S', 'F', 'G', 'H', lines.join('\n')) as StepFn
  const inSlots = body.inputs.map((v) => v.id)
  const outSlots = body.outputs.map(slot)
  return { step, impls, buffered, constants, inSlots, outSlots, products }
}

const plans = new WeakMap<Tape, Plan | null>()
let enabled = true

/** Turns buffered scans on or off (off: bodies run step by step; tests compare the two); returns the previous setting. */
export const setBufferedScans = (on: boolean): boolean => {
  const prev = enabled
  enabled = on
  return prev
}

/** The buffered loop of a scan body (planned once, kept with it), or null. */
export const bufferedScanOf = (body: Tape, numConsts: number, numCarry: number): BufferedScan | null => {
  if (!enabled) return null
  let plan = plans.get(body)
  if (plan === undefined) {
    plan = compiles() ? planOf(body, numConsts) : null
    plans.set(body, plan)
  }
  if (plan === null) return null
  const p = plan
  return (inputs, length, reverse) => runBuffered(p, body, numConsts, numCarry, inputs, length, reverse)
}

const fresh = (a: Aval): NdArray => new NdArray(a.shape, a.dtype, allocate(a.dtype, sizeOf(a.shape)))

const runBuffered = (
  p: Plan,
  body: Tape,
  nC: number,
  nK: number,
  inputs: ReadonlyArray<NdArray>,
  length: number,
  reverse: boolean,
): NdArray[] => {
  const plain = p.products.map(([m, n, k, f64]) => gemmIsPlainSum(m, n, k, f64))
  const V: NdArray[] = p.buffered.map((a) => (a === undefined ? (undefined as unknown as NdArray) : fresh(a)))
  for (const [s, c] of p.constants) V[s] = c
  p.inSlots.forEach((s, i) => {
    if (i < nC) V[s] = inputs[i] as NdArray
    else if (i < nC + nK) (V[s] as NdArray)._data.set((inputs[i] as NdArray)._data)
  })
  const rows = p.inSlots.slice(nC + nK).map((s, j) => {
    const x = inputs[nC + nK + j] as NdArray
    return { from: x._data, to: (V[s] as NdArray)._data, n: sizeOf(x.shape.slice(1)) }
  })
  const yAvals = body.outputs.slice(nK).map(avalOf)
  const ys = yAvals.map((a) => allocate(a.dtype, length * sizeOf(a.shape)))
  const carryIn = p.inSlots.slice(nC, nC + nK)
  const carryOut = p.outSlots.slice(0, nK)
  // a carry output that is an input of the body is read before any carry buffer is overwritten
  const isIn = carryOut.map((s) => p.inSlots.includes(s))
  const early = isIn.some(Boolean) ? isIn : null
  for (let s = 0; s < length; s++) {
    const t = reverse ? length - 1 - s : s
    for (const r of rows) copyRow(r.from, t * r.n, r.to, r.n)
    p.step(V, plain, p.impls, gemm, scalarHelpers)
    for (let j = 0; j < ys.length; j++) {
      const y = (V[p.outSlots[nK + j] as number] as NdArray)._data
      ;(ys[j] as TypedArray).set(y, t * y.length)
    }
    copyCarry(V, carryIn, carryOut, early)
  }
  return [
    ...carryIn.map((s) => V[s] as NdArray),
    ...yAvals.map((a, j) => new NdArray([length, ...a.shape], a.dtype, ys[j] as TypedArray)),
  ]
}

const copyRow = (from: TypedArray, off: number, to: TypedArray, n: number): void => {
  for (let i = 0; i < n; i++) to[i] = from[off + i] as number
}

/** The new carry into the carry buffers (snapshotting outputs that are themselves inputs first, when there are any). */
const copyCarry = (
  V: NdArray[],
  carryIn: ReadonlyArray<number>,
  carryOut: ReadonlyArray<number>,
  early: ReadonlyArray<boolean> | null,
): void => {
  const snaps =
    early === null ? null : carryOut.map((s, k) => (early[k] === true ? (V[s] as NdArray)._data.slice() : null))
  for (let k = 0; k < carryIn.length; k++) {
    const from = snaps?.[k] ?? (V[carryOut[k] as number] as NdArray)._data
    ;(V[carryIn[k] as number] as NdArray)._data.set(from)
  }
}

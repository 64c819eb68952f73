/**
 * A scan whose body works on small arrays, run as one generated function for the whole loop
 * (./bufferedScanSource) over buffers allocated once per call: each matrix product writes into
 * its own buffer through the gemm kernel the primitive calls (same kernel, same arguments, same
 * bits) — or, where gemm would run its plain TypeScript loops, as those sums written out
 * (`gemmIsPlainSum`) —, each element-wise equation is a loop of the kernels' own expression
 * (`scalarExpr`, stored in the dtype as the kernel stores it) over its operands with NumPy
 * broadcasting of leading axes, a float sum over a block of axes is `reduce`'s JS loops where
 * that kernel would run them, and every other equation calls its impl as the interpreter would.
 * The carry lives in buffers copied forward at the end of a step (or updated in place), the
 * scanned rows are copied into input buffers and the stacked outputs written into one array
 * each: a step allocates nothing but what impl-called equations return. Bodies with no
 * generated equation, bodies on large arrays (the fused wasm loops of `jit` serve those), and
 * every body where code generation is not allowed return null.
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
import { sizeOf } from '../ndarray/shape'
import { isSize } from './codegen'
import { avalOf, countVars, Var, type Atom, type Aval, type Equation, type Tape } from './equation'
import { compiles } from './program'
import { equationSource, fusions, readsInPlace, type Choice, type DataOf } from './bufferedScanSource'
import { reduce } from '../ndarray/kernels/reduce'
import { useWasm } from '../ndarray/kernels/elementwise'

/** Runs a scan on concrete inputs (consts, carry, xs): final carry and stacked outputs out. */
export type BufferedScan = (inputs: ReadonlyArray<NdArray>, length: number, reverse: boolean) => NdArray[]

type Impl = (inputs: ReadonlyArray<NdArray>, params: unknown) => NdArray | ReadonlyArray<NdArray>
type Call = (args: NdArray[]) => NdArray | ReadonlyArray<NdArray>
type LoopFn = (
  V: NdArray[],
  S: ReadonlyArray<boolean>,
  F: ReadonlyArray<Call>,
  G: typeof gemm,
  H: typeof scalarHelpers,
  R: typeof sumRows,
  X: ReadonlyArray<TypedArray>,
  Y: ReadonlyArray<TypedArray>,
  length: number,
  reverse: boolean,
) => void

/** `reduce`'s sum over the middle axis of [outer, red, inner] (the loop's call where it would not run JS loops). */
const sumRows = (a: TypedArray, outer: number, red: number, inner: number): TypedArray =>
  reduce('sum', new NdArray([outer, red, inner], a instanceof Float32Array ? 'float32' : 'float64', a), [1])._data

/** Bodies whose every value has at most this many elements (larger ones gain nothing from it). */
const MAX_SIZE = 4096

interface Plan {
  readonly loop: LoopFn
  readonly impls: ReadonlyArray<Call>
  /** Per variable slot: whether it gets a buffer of its own (inputs but consts, generated equations' outputs). */
  readonly buffered: ReadonlyArray<Aval | undefined>
  /** Slots that share another slot's buffer (a carry updated in place): [slot, owner]. */
  readonly aliases: ReadonlyArray<readonly [number, number]>
  /** Constant operands: slot and value. */
  readonly constants: ReadonlyArray<readonly [number, NdArray]>
  readonly inSlots: ReadonlyArray<number>
  /** The choices the loop makes per call: products' gemm or written-out sums, reductions' JS loops or not. */
  readonly choices: ReadonlyArray<Choice>
}

/** Slot numbers: a variable's id, then one slot per distinct constant operand. */
const slotsOf = (body: Tape) => {
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
  return { nVars, constants, slot }
}

/** The position an equation's reads happen at: an absorbed product reads where its add runs. */
const readPositions = (body: Tape, fused: ReadonlyMap<number, number>): number[] => {
  const pos = body.equations.map((_, e) => e)
  for (const [u, e] of fused) pos[e] = u
  return pos
}

/**
 * Carries updated in place: carry k's new value, computed by a generated element-wise equation
 * that reads the old value only at its own element, when no later equation (nor an impl, which
 * might return a view of it) reads the old value and neither value is read as an output
 * elsewhere. Returns [new value's slot, old value's slot] pairs.
 */
const inPlaceCarries = (
  body: Tape,
  nC: number,
  nK: number,
  gen: ReadonlyArray<boolean>,
  fused: ReadonlyMap<number, number>,
): Array<readonly [number, number]> => {
  const pos = readPositions(body, fused)
  const producer = new Map<number, number>()
  body.equations.forEach((eq, e) => eq.outvars.forEach((v) => producer.set(v.id, e)))
  const outs = body.outputs.map((a) => (a instanceof Var ? a.id : -1))
  const out: Array<readonly [number, number]> = []
  for (let k = 0; k < nK; k++) {
    const d = body.inputs[nC + k] as Var
    const r = outs[k] as number
    const E = producer.get(r)
    if (E === undefined || !gen[E] || outs.includes(d.id) || outs.slice(0, nK).filter((o) => o === r).length !== 1)
      continue
    const eq = body.equations[E] as Equation
    const f = fused.get(E)
    if (eq.primitive.name === 'matmul' || !readsInPlace(eq, d)) continue
    if (f !== undefined && (body.equations[f] as Equation).invars.includes(d)) continue
    const safe = body.equations.every((q, e) => !q.invars.includes(d) || (gen[e] === true && (pos[e] as number) <= E))
    if (safe) out.push([r, d.id])
  }
  return out
}

/** The source of the loop's equations, and the impls it calls; null when nothing is generated. */
const bodySource = (
  body: Tape,
  slot: (a: Atom) => number,
  data: DataOf,
  gen: ReadonlyArray<boolean>,
  fused: ReadonlyMap<number, number>,
) => {
  const impls: Call[] = []
  const lines: string[] = []
  const choices: Choice[] = []
  const choose = (c: Choice): number => choices.push(c) - 1
  const absorbed = new Set(fused.values())
  body.equations.forEach((eq, e) => {
    if (absorbed.has(e)) return
    const f = fused.get(e)
    const src =
      gen[e] === true ? equationSource(eq, data, choose, f === undefined ? undefined : body.equations[f]) : null
    if (src !== null) return void lines.push(src)
    const impl = eq.primitive.impl as Impl
    const params = eq.params
    const i = impls.push((args) => impl(args, params)) - 1
    const call = `F[${i}]([${eq.invars.map((a) => `V[${slot(a)}]`).join(', ')}])`
    if (eq.primitive.multipleResults === true)
      lines.push(`{ const r = ${call}; ${eq.outvars.map((v, j) => `V[${v.id}] = r[${j}];`).join(' ')} }`)
    else lines.push(`V[${(eq.outvars[0] as Var).id}] = ${call};`)
  })
  return { lines, impls, choices }
}

/** `for (i < n) to[i] = from[i]`, with offsets. */
const copyLoop = (n: number, to: string, from: string): string => `for (let i = 0; i < ${n}; i++) ${to} = ${from};`

/** The per-step copies: scanned rows in; stacked outputs and (but for in-place carries) the carry out. */
const copySource = (body: Tape, nC: number, nK: number, data: DataOf, inPlace: ReadonlySet<number>) => {
  const size = (a: Atom): number => sizeOf(avalOf(a).shape)
  const rows = body.inputs
    .slice(nC + nK)
    .map((v, j) => `{ const o = t * ${size(v)}, to = ${data(v)}; ${copyLoop(size(v), 'to[i]', `X${j}[o + i]`)} }`)
  const ys = body.outputs
    .slice(nK)
    .map((a, j) => `{ const o = t * ${size(a)}, from = ${data(a)}; ${copyLoop(size(a), `Y${j}[o + i]`, 'from[i]')} }`)
  const carryIn = body.inputs.slice(nC, nC + nK)
  const ins = new Set(body.inputs.map((v) => v.id))
  const carryOut = body.outputs.slice(0, nK)
  // an output that is itself a carry input is read before any carry buffer is overwritten
  const early = carryOut.some((a) => a instanceof Var && ins.has(a.id))
  const snaps = carryOut.map((a, k) => (early && a instanceof Var && ins.has(a.id) ? `T${k}` : data(a)))
  const copies = carryOut.flatMap((a, k) => {
    if (a instanceof Var && inPlace.has(a.id)) return []
    const to = data(carryIn[k] as Var)
    return [`{ const from = ${snaps[k] as string}, to = ${to}; ${copyLoop(size(a), 'to[i]', 'from[i]')} }`]
  })
  const snapLines = carryOut.flatMap((a, k) => (snaps[k] === `T${k}` ? [`const T${k} = ${data(a)}.slice();`] : []))
  return { rows, after: [...ys, ...snapLines, ...copies] }
}

/** The plan of a body: its whole-loop source and buffer layout; null when nothing is generated. */
const planOf = (body: Tape, nC: number, nK: number): Plan | null => {
  const all = [...body.inputs.map((v) => v.aval), ...body.equations.flatMap((eq) => eq.outvars.map((v) => v.aval))]
  if (all.some((a) => !isSize(sizeOf(a.shape)) || sizeOf(a.shape) > MAX_SIZE)) return null
  const { nVars, constants, slot } = slotsOf(body)
  const gen = body.equations.map(
    (eq) =>
      equationSource(
        eq,
        () => '',
        () => 0,
      ) !== null,
  )
  if (!gen.some(Boolean)) return null
  const fused = fusions(body, (e) => gen[e] === true)
  const aliases = inPlaceCarries(body, nC, nK, gen, fused)
  const unstable = new Set(body.equations.flatMap((eq, e) => (gen[e] === true ? [] : eq.outvars.map((v) => v.id))))
  const hoisted = new Set<number>()
  const data: DataOf = (a) => {
    const s = slot(a)
    if (unstable.has(s)) return `V[${s}]._data`
    hoisted.add(s)
    return `B${s}`
  }
  const { lines, impls, choices } = bodySource(body, slot, data, gen, fused)
  const copies = copySource(body, nC, nK, data, new Set(aliases.map(([r]) => r)))
  const tables = (name: string, n: number): string[] =>
    Array.from({ length: n }, (_, j) => `const ${name}${j} = ${name}[${j}];`)
  const source = [
    ...[...hoisted].map((s) => `const B${s} = V[${s}]._data;`),
    ...tables('X', body.inputs.length - nC - nK),
    ...tables('Y', body.outputs.length - nK),
    'for (let step = 0; step < length; step++) {',
    'const t = reverse ? length - 1 - step : step;',
    ...copies.rows,
    ...lines,
    ...copies.after,
    '}',
  ].join('\n')
  const loop = new Function('V', 'S', 'F', 'G', 'H', 'R', 'X', 'Y', 'length', 'reverse', source) as LoopFn
  const buffered = new Array<Aval | undefined>(nVars)
  body.inputs.forEach((v, i) => (buffered[v.id] = i < nC ? undefined : v.aval))
  body.equations.forEach((eq, e) => gen[e] === true && (buffered[(eq.outvars[0] as Var).id] = eq.outvars[0]?.aval))
  for (const [r] of aliases) buffered[r] = undefined
  return { loop, impls, buffered, aliases, constants, inSlots: body.inputs.map((v) => v.id), choices }
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
    plan = compiles() ? planOf(body, numConsts, numCarry) : null
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
  const plain = p.choices.map((c) => (c.kind === 'product' ? gemmIsPlainSum(c.m, c.n, c.k, c.f64) : !useWasm(c.size)))
  const V: NdArray[] = p.buffered.map((a) => (a === undefined ? (undefined as unknown as NdArray) : fresh(a)))
  for (const [s, c] of p.constants) V[s] = c
  p.inSlots.forEach((s, i) => {
    if (i < nC) V[s] = inputs[i] as NdArray
    else if (i < nC + nK) (V[s] as NdArray)._data.set((inputs[i] as NdArray)._data)
  })
  for (const [r, d] of p.aliases) V[r] = V[d] as NdArray
  const yAvals = body.outputs.slice(nK).map(avalOf)
  const ys = yAvals.map((a) => allocate(a.dtype, length * sizeOf(a.shape)))
  const xs = inputs.slice(nC + nK).map((x) => x._data)
  p.loop(V, plain, p.impls, gemm, scalarHelpers, sumRows, xs, ys, length, reverse)
  return [
    ...p.inSlots.slice(nC, nC + nK).map((s) => V[s] as NdArray),
    ...yAvals.map((a, j) => new NdArray([length, ...a.shape], a.dtype, ys[j] as TypedArray)),
  ]
}

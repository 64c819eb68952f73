/**
 * The source of a buffered scan's whole loop (./bufferedScan): one generated function runs every
 * step — scanned rows copied in, the body's equations, stacked outputs and the carry copied out —
 * so V8 optimises one function (on-stack, early in a long first call) instead of warming a step
 * function called once per step. Two rewrites keep the bits and save work:
 * - a matrix product whose only reader is an element-wise add (a gradient accumulated per step,
 *   `acc + hᵀ·ḡ`) is summed straight into the add's loop where gemm would run its plain sums: the
 *   product rounded as gemm stores it, then the add's own expression;
 * - a carry whose new value is computed element by element from the old one, which nothing reads
 *   afterwards, is updated in place in its carry buffer (no second buffer, no copy per step).
 *
 * NOTE (security): as in ./codegen, the source holds only fixed text, the kernels' expression
 * templates, slot numbers and sizes checked by `isSize`, and booleans.
 *
 * @category core
 * @since 0.2.0
 */
import { sizeOf, type Shape } from '../ndarray/shape'
import { ewiseExpr, isSize, outAval, rounded, substitute } from './codegen'
import { avalOf, Var, type Atom, type Aval, type Equation, type Tape } from './equation'

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

/** How the loop's source reads a slot: the data of a variable or constant, by slot number. */
export type DataOf = (a: Atom) => string

/**
 * A choice the loop makes per call (read as `S[n]`): whether gemm runs its plain sums for a
 * product, whether `reduce` runs its JS loops (not WebAssembly) for a reduction of `size`.
 */
export type Choice =
  | { readonly kind: 'product'; readonly m: number; readonly n: number; readonly k: number; readonly f64: boolean }
  | { readonly kind: 'reduce'; readonly size: number }

/** A matrix product's sizes and operands, when the loop can compute it. */
export interface Product {
  readonly m: number
  readonly n: number
  readonly k: number
  readonly transA: boolean
  readonly transB: boolean
  readonly f64: boolean
  readonly x: Atom
  readonly y: Atom
}

const productOf = (eq: Equation): Product | null => {
  if (eq.primitive.name !== 'matmul' || eq.outvars.length !== 1) return null
  const out = outAval(eq)
  const [x, y] = eq.invars
  if (out.shape.length !== 2 || x === undefined || y === undefined || !isFloatAval(out)) return null
  if (!eq.invars.every((a) => avalOf(a).dtype === out.dtype)) return null
  const { transA, transB } = eq.params as { transA: unknown; transB: unknown }
  if (typeof transA !== 'boolean' || typeof transB !== 'boolean') return null
  const k = avalOf(x).shape[transA ? 0 : 1]
  const [m, n] = out.shape
  if (!isSize(m) || !isSize(n) || !isSize(k)) return null
  return { m, n, k, transA, transB, f64: out.dtype === 'float64', x, y }
}

/** The gemm call of a product into `c`. */
const gemmCall = (p: Product, data: DataOf, c: string): string =>
  `G(${p.transA}, ${p.transB}, ${p.m}, ${p.n}, ${p.k}, ${data(p.x)}, 0, ${data(p.y)}, 0, ${c}, 0, 0);`

/** gemm's plain sums written out: `store(sum)` at each element `i` (row r, column c). */
const plainSums = (p: Product, data: DataOf, store: (sum: string) => string): string => {
  // an outer product (k = 1): element (r, c) is 0 + a[r]·b[c], a[r] read once per row
  if (p.k === 1)
    return `{ const PA = ${data(p.x)}, PB = ${data(p.y)}; for (let r = 0; r < ${p.m}; r++) { const ar = PA[r]; for (let c = 0; c < ${p.n}; c++) { const i = r * ${p.n} + c; const sum = 0 + ar * PB[c]; ${store('sum')} } } }`
  const ai = p.transA ? `q * ${p.m} + r` : `r * ${p.k} + q`
  const bj = p.transB ? `c * ${p.k} + q` : `q * ${p.n} + c`
  return `{ const PA = ${data(p.x)}, PB = ${data(p.y)}; for (let r = 0; r < ${p.m}; r++) for (let c = 0; c < ${p.n}; c++) { const i = r * ${p.n} + c; let sum = 0; for (let q = 0; q < ${p.k}; q++) sum += PA[${ai}] * PB[${bj}]; ${store('sum')} } }`
}

/** An element-wise equation's loop body at element `i` (operand `swap` read as `swapText`), or null. */
const ewiseStore = (eq: Equation, data: DataOf, swap?: Atom, swapText?: string): string | null => {
  if (eq.outvars.length !== 1) return null
  const out = outAval(eq)
  if (!isFloatAval(out) || !eq.invars.every((a) => avalOf(a).dtype === out.dtype)) return null
  const form = ewiseExpr(eq, out.dtype)
  if (form === null || !isSize(sizeOf(out.shape))) return null
  const idx = eq.invars.map((a) => indexText(avalOf(a).shape, out.shape))
  if (idx.some((t) => t === null)) return null
  const names = eq.invars.map((a, j) =>
    a === swap && swapText !== undefined ? swapText : `${data(a)}[${idx[j] as string}]`,
  )
  return `${data(eq.outvars[0] as Var)}[i] = ${substitute(form, names)};`
}

const ewiseLoop = (eq: Equation, store: string): string =>
  `for (let i = 0; i < ${sizeOf(outAval(eq).shape)}; i++) ${store}`

/**
 * The source of one equation, or null when it calls its impl. `choose` numbers a choice made
 * per call (see {@link Choice}); `fused` is the product an add absorbs.
 */
export const equationSource = (
  eq: Equation,
  data: DataOf,
  choose: (c: Choice) => number,
  fused?: Equation,
): string | null => {
  const plain = (p: Product): number => choose({ kind: 'product', m: p.m, n: p.n, k: p.k, f64: p.f64 })
  if (eq.primitive.name === 'reduce_sum') return reduceSource(eq, data, choose)
  const p = productOf(eq)
  if (p !== null) {
    const c = data(eq.outvars[0] as Var)
    return `if (S[${plain(p)}]) ${plainSums(p, data, (s) => `${c}[i] = ${s};`)} else ${gemmCall(p, data, c)}`
  }
  if (fused === undefined) {
    const store = ewiseStore(eq, data)
    return store === null ? null : ewiseLoop(eq, store)
  }
  const fp = productOf(fused) as Product
  const q = fused.outvars[0] as Var
  const inLoop = ewiseStore(eq, data, q, rounded(avalOf(q).dtype, 'sum'))
  const apart = ewiseStore(eq, data)
  if (inLoop === null || apart === null) return null
  const call = `${gemmCall(fp, data, data(q))} ${ewiseLoop(eq, apart)}`
  return `if (S[${plain(fp)}]) ${plainSums(fp, data, () => inLoop)} else { ${call} }`
}

/**
 * A float sum over a contiguous block of axes as `reduce`'s JS loops compute it — each output the
 * float64 sum, in order, from 0, stored in the dtype — when it runs them (else its impl, copied).
 */
const reduceSource = (eq: Equation, data: DataOf, choose: (c: Choice) => number): string | null => {
  const [x] = eq.invars
  const axes = (eq.params as { axes?: unknown }).axes
  if (x === undefined || !Array.isArray(axes) || axes.length === 0 || eq.outvars.length !== 1) return null
  const xa = avalOf(x)
  if (!isFloatAval(xa) || outAval(eq).dtype !== xa.dtype) return null
  const first = axes[0] as unknown
  const last = axes[axes.length - 1] as unknown
  if (!isSize(first) || !isSize(last) || last - first !== axes.length - 1 || last >= xa.shape.length) return null
  const outer = sizeOf(xa.shape.slice(0, first))
  const red = sizeOf(xa.shape.slice(first, last + 1))
  const inner = sizeOf(xa.shape.slice(last + 1))
  if (!isSize(outer) || !isSize(red) || !isSize(inner)) return null
  const A = data(x)
  const C = data(eq.outvars[0] as Var)
  const loops = `for (let o = 0; o < ${outer}; o++) for (let c = 0; c < ${inner}; c++) { let sum = 0; for (let r = 0; r < ${red}; r++) sum += ${A}[(o * ${red} + r) * ${inner} + c]; ${C}[o * ${inner} + c] = sum; }`
  return `if (S[${choose({ kind: 'reduce', size: sizeOf(xa.shape) })}]) { ${loops} } else ${C}.set(R(${A}, ${outer}, ${red}, ${inner}));`
}

/** Whether `eq` reads `a` only at its own element (same shape), so its output may overwrite `a` in place. */
export const readsInPlace = (eq: Equation, a: Atom): boolean => {
  const out = outAval(eq).shape
  return eq.invars.every((b) => b !== a || indexText(avalOf(b).shape, out) === 'i')
}

/** Products absorbed by the add that is their only reader: add index → product index. */
export const fusions = (body: Tape, generated: (e: number) => boolean): Map<number, number> => {
  const readers = new Map<number, number[]>()
  body.equations.forEach((eq, e) =>
    eq.invars.forEach((a) => a instanceof Var && readers.set(a.id, [...(readers.get(a.id) ?? []), e])),
  )
  const outputs = new Set(body.outputs.filter((a): a is Var => a instanceof Var).map((v) => v.id))
  const out = new Map<number, number>()
  body.equations.forEach((eq, e) => {
    const v = eq.outvars[0]
    if (productOf(eq) === null || v === undefined || outputs.has(v.id)) return
    const r = readers.get(v.id) ?? []
    const u = r[0]
    if (r.length !== 1 || u === undefined || !generated(u)) return
    const add = body.equations[u] as Equation
    const idx = indexText(v.aval.shape, outAval(add).shape)
    if (add.primitive.name === 'add' && idx === 'i' && add.invars[0] !== add.invars[1]) out.set(u, e)
  })
  return out
}

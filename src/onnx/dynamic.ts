/**
 * Dynamic dimensions (`dynamicAxes`): a program is traced at fixed shapes, so the graph written
 * at the example's sizes embeds them (a mean's 1/N, Reshape/Expand targets, Slice bounds). The
 * export traces again with each symbolic dimension one and two larger; every constant that
 * changes must be an affine function `c + k·N` of the dimensions (or, for a floating-point
 * scalar, `1 / (c + k·N)` rounded as wengert rounds it), checked on the three traces, and is
 * then computed in the graph from the inputs' runtime shapes (`Shape`, `Mul`, `Add`, `Concat`,
 * `Cast`, `Div`, `Expand`). Anything else that changes (a node's attribute, the graph's
 * structure, a constant array's values) is refused naming the primitive and the dimension.
 *
 * @category onnx
 * @since 0.2.0
 */
import type { NdArray } from '../ndarray/NdArray'
import type { DType } from '../ndarray/dtype'
import { array } from '../ndarray/create'
import { scalar } from '../core/lax'
import type { OnnxAttr, OnnxGraph, OnnxNode, OnnxValueInfo } from '../core/onnxRule'
import { OnnxExportError } from './errors'
import { ONNX_TYPE, type Graph, type GraphNode, type Initializer } from './graph'

/** A symbolic dimension: its name, where its runtime size is read, and its size in the example. */
export interface SymbolicDim {
  readonly name: string
  readonly input: string
  readonly axis: number
  readonly size: number
}

/** The graph traced at the example's sizes, and for each symbol the graphs traced at +1 and +2. */
export interface Traces {
  readonly base: Graph
  readonly varied: ReadonlyArray<readonly [SymbolicDim, Graph, Graph]>
}

/** `c + Σ k[s]·N[s]` over the symbols (in `Traces.varied` order). */
interface Affine {
  readonly c: number
  readonly k: ReadonlyArray<number>
}

const refuse = (what: string, primitive: string, sym: SymbolicDim): never => {
  throw new OnnxExportError(
    `exportOnnx: dynamicAxes: ${what} written for primitive '${primitive}' depends on the dynamic dimension ` +
      `'${sym.name}' (axis ${sym.axis} of input '${sym.input}') in a way that cannot be computed from the ` +
      `input's shape; export with a fixed size for '${sym.name}'`,
  )
}

/** The base graph with every size-dependent constant computed from the inputs' shapes. */
export const dynamicGraph = (t: Traces): Graph => {
  const nodes = t.base.nodes.map((n, i) =>
    mergeNode(
      n,
      t.varied.map(([s, g1, g2]) => [s, g1.nodes[i], g2.nodes[i]] as const),
    ),
  )
  for (const [s, g1, g2] of t.varied)
    if ([g1, g2].some((g) => g.nodes.length !== nodes.length || g.initializers.length !== t.base.initializers.length))
      refuse(
        'the graph',
        (t.base.nodes[Math.min(g1.nodes.length, nodes.length) - 1] ?? { primitive: '?' }).primitive,
        s,
      )
  const w = new Writer(t)
  const initializers: Initializer[] = []
  t.base.initializers.forEach((c, i) => {
    const others = t.varied.map(([s, g1, g2]) => [s, g1.initializers[i], g2.initializers[i]] as const)
    if (others.every(([, a, b]) => sameInit(c, a) && sameInit(c, b))) initializers.push(c)
    else w.replace(c, others, user(t.base.nodes, c.name))
  })
  return {
    ...t.base,
    outputs: t.base.outputs.map((v, i) => ({ ...v, shape: v.shape.map((d, j) => outputDim(t, d, i, j)) })),
    nodes: [...w.nodes, ...nodes],
    initializers: [...initializers, ...w.initializers],
  }
}

/**
 * An output dimension: as named, or as traced when it does not change; a symbol's name when it
 * is that symbol; else a name of its own (PyTorch names such dimensions too).
 */
const outputDim = (t: Traces, d: number | string, i: number, j: number): number | string => {
  if (typeof d === 'string') return d
  const moves = t.varied.filter(([, g1, g2]) => g1.outputs[i]?.shape[j] !== d || g2.outputs[i]?.shape[j] !== d)
  if (moves.length === 0) return d
  const [s, g1, g2] = moves[0] as readonly [SymbolicDim, Graph, Graph]
  const own =
    moves.length === 1 && d === s.size && g1.outputs[i]?.shape[j] === d + 1 && g2.outputs[i]?.shape[j] === d + 2
  return own ? s.name : `${(t.base.outputs[i] as OnnxValueInfo).name}_dim${j}`
}

/** The primitive of the first node reading `name`. */
const user = (nodes: ReadonlyArray<OnnxNode>, name: string): string => {
  for (const n of nodes) {
    if (n.inputs.includes(name)) return n.primitive
    for (const a of Object.values(n.attrs)) if ('graph' in a && usesName(a.graph, name)) return n.primitive
  }
  return 'unknown'
}
const usesName = (g: OnnxGraph, name: string): boolean => user(g.nodes, name) !== 'unknown'

// -------------------------------------------------------------------------------------
// nodes: identical but for the shapes of sub-graph inputs and outputs
// -------------------------------------------------------------------------------------

type Variants<T> = ReadonlyArray<readonly [SymbolicDim, T | undefined, T | undefined]>

const mergeNode = (n: GraphNode, others: Variants<GraphNode>): GraphNode => {
  const attrs: Record<string, OnnxAttr> = {}
  for (const [s, a, b] of others) {
    const same = (m: OnnxNode | undefined): boolean =>
      m !== undefined &&
      m.op === n.op &&
      String(m.inputs) === String(n.inputs) &&
      String(m.outputs) === String(n.outputs)
    if (!same(a) || !same(b)) refuse(`the graph (ONNX ${n.op})`, n.primitive, s)
  }
  for (const [key, v] of Object.entries(n.attrs)) {
    const vs = others.map(([s, a, b]) => [s, a?.attrs[key], b?.attrs[key]] as const)
    if ('graph' in v) {
      attrs[key] = { graph: mergeGraph(v.graph, vs as Variants<{ graph: OnnxGraph }>) }
      continue
    }
    for (const [s, a, b] of vs)
      if (JSON.stringify(a) !== JSON.stringify(v) || JSON.stringify(b) !== JSON.stringify(v))
        refuse(`the attribute '${key}' of ONNX ${n.op}`, n.primitive, s)
    attrs[key] = v
  }
  return { ...n, attrs }
}

const mergeGraph = (g: OnnxGraph, others: Variants<{ graph: OnnxGraph }>): OnnxGraph => {
  const infos = (pick: (h: OnnxGraph) => ReadonlyArray<OnnxValueInfo>): OnnxValueInfo[] =>
    pick(g).map((v, i) => ({
      ...v,
      shape: v.shape.map((d, j) => {
        const changes = others.filter(([, a, b]) =>
          [a, b].some((h) => h === undefined || pick(h.graph)[i]?.shape[j] !== d),
        )
        return changes.length === 0 ? d : `${v.name}_dim${j}`
      }),
    }))
  const nodes = g.nodes.map((n, i) =>
    mergeNode(
      n,
      others.map(([s, a, b]) => [s, a?.graph.nodes[i], b?.graph.nodes[i]] as const),
    ),
  )
  return { inputs: infos((h) => h.inputs), outputs: infos((h) => h.outputs), nodes }
}

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

const sameInit = (a: Initializer, b: Initializer | undefined): boolean => {
  if (b === undefined || a.kind !== b.kind || a.name !== b.name) return false
  if (a.kind === 'int64') return String(a.value) === String(b.value)
  const x = a.value
  const y = b.value as NdArray
  if (x === y) return true
  if (x.dtype !== y.dtype || String(x.shape) !== String(y.shape)) return false
  const p = x.toTypedArray()
  const q = y.toTypedArray()
  for (let i = 0; i < p.length; i++) if (!Object.is(p[i], q[i])) return false
  return true
}

/** The affine function of the symbols taking values `v0` (example), `v1[s]`, `v2[s]` (s one, two larger). */
const affine = (
  v0: number,
  vs: ReadonlyArray<readonly [number, number]>,
  syms: ReadonlyArray<SymbolicDim>,
): Affine | null => {
  const k = vs.map(([v1]) => v1 - v0)
  if (vs.some(([v1, v2], i) => v2 - v1 !== k[i] || !Number.isInteger(k[i]))) return null
  return { c: v0 - k.reduce((acc, ki, i) => acc + ki * (syms[i] as SymbolicDim).size, 0), k }
}

/** The values of a constant as numbers, and its shape. */
type Values = readonly [number[], number[]]

const valuesOf = (c: Initializer | undefined): Values | null => {
  if (c === undefined) return null
  if (c.kind === 'int64') return [c.value.slice(), [c.value.length]]
  return [Array.from(c.value.toTypedArray(), Number), c.value.shape.slice()]
}

/** The values of `x` at index 0 of the marked axes, in order. */
const blockOf = (x: Values, axes: ReadonlyArray<boolean>): number[] => {
  const out: number[] = []
  x[0].forEach((v, i) => {
    if (blockIndex(x[1], axes, i).atZero) out.push(v)
  })
  return out
}

/** Where flat index `i` of `shape` falls in the block (the marked axes dropped), and whether it is at index 0 of them. */
const blockIndex = (
  shape: ReadonlyArray<number>,
  axes: ReadonlyArray<boolean>,
  i: number,
): { k: number; atZero: boolean } => {
  let rest = i
  let k = 0
  let stride = 1
  let atZero = true
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d] as number
    const j = rest % n
    rest = (rest - j) / n
    if (axes[d] === true) atZero &&= j === 0
    else {
      k += j * stride
      stride *= n
    }
  }
  return { k, atZero }
}

/** Whether `x` repeats `block` along the marked axes. */
const repeats = (x: Values, axes: ReadonlyArray<boolean>, block: ReadonlyArray<number>): boolean =>
  x[0].every((v, i) => Object.is(v, block[blockIndex(x[1], axes, i).k]))

/** Adds the nodes that compute size-dependent constants. */
class Writer {
  readonly nodes: GraphNode[] = []
  readonly initializers: Initializer[] = []
  private readonly dims = new Map<string, string>()
  private n = 0

  constructor(private readonly t: Traces) {}

  private fresh(): string {
    return `dynamicAxes_${this.n++}`
  }

  private op(op: string, inputs: ReadonlyArray<string>, attrs: Record<string, OnnxAttr> = {}): string {
    const out = this.fresh()
    this.nodes.push({ op, inputs, outputs: [out], attrs, primitive: 'dynamicAxes' })
    return out
  }

  private ints(values: ReadonlyArray<number>): string {
    const name = this.fresh()
    this.initializers.push({ name, kind: 'int64', value: values.slice() })
    return name
  }

  private scalar(value: number, dtype: DType): string {
    const name = this.fresh()
    this.initializers.push({ name, kind: 'array', value: scalar(value, dtype) })
    return name
  }

  /** The runtime size of a symbol, as int64 `[1]`. */
  private dim(s: SymbolicDim): string {
    const known = this.dims.get(s.name)
    if (known !== undefined) return known
    const d = this.op('Shape', [s.input], { start: { int: s.axis }, end: { int: s.axis + 1 } })
    this.dims.set(s.name, d)
    return d
  }

  /** `c + Σ k·N` as int64 `[1]`. */
  private affineValue(f: Affine): string {
    const syms = this.t.varied.map(([s]) => s)
    let acc: string | null = null
    f.k.forEach((k, i) => {
      if (k === 0) return
      const d = this.dim(syms[i] as SymbolicDim)
      const term = k === 1 ? d : this.op('Mul', [d, this.ints([k])])
      acc = acc === null ? term : this.op('Add', [acc, term])
    })
    if (acc === null) return this.ints([f.c])
    return f.c === 0 ? acc : this.op('Add', [acc, this.ints([f.c])])
  }

  /** Replaces the initializer `c` by nodes computing it under the same name. */
  replace(c: Initializer, others: Variants<Initializer>, primitive: string): void {
    const base = valuesOf(c) as Values
    const vs = others.map(([s, a, b]) => [s, valuesOf(a) ?? undefined, valuesOf(b) ?? undefined] as const)
    const culprit = others.find(([, a, b]) => !sameInit(c, a) || !sameInit(c, b))?.[0] as SymbolicDim
    const why = (what: string): never => {
      return refuse(what, primitive, culprit)
    }
    const all = (p: (x: Values) => boolean): boolean =>
      p(base) && vs.every(([, a, b]) => [a, b].every((x) => x !== undefined && p(x)))
    const shapeChanges = !all((x) => String(x[1]) === String(base[1]))
    if (c.kind === 'int64') {
      if (shapeChanges) why('a constant list')
      return this.named(c.name, 'Identity', [
        this.shape(
          base[0],
          vs,
          (w) => why(`a constant list (${w})`),
          (x) => x[0],
        ),
      ])
    }
    const dtype = c.value.dtype
    const first = (): string => this.scalarValue(dtype, base, vs) ?? why('a constant scalar')
    if (!shapeChanges) {
      if (base[0].length !== 1) why('a constant array')
      return this.named(c.name, 'Reshape', [first(), this.ints(base[1])])
    }
    const shape = this.shape(
      base[1],
      vs,
      (w) => why(`the shape of a constant array (${w})`),
      (x) => x[1],
    )
    // a filled array of a size-dependent shape: Expand of its (maybe size-dependent) value
    if (all((x) => x[0].length > 0 && x[0].every((v) => Object.is(v, x[0][0]))))
      return this.named(c.name, 'Expand', [first(), shape])
    // an array repeated along the size-dependent axes (a bias broadcast to the batch): Expand of one block
    const axes = base[1].map((d, i) => vs.some(([, a, b]) => a?.[1][i] !== d || b?.[1][i] !== d))
    const block = blockOf(base, axes)
    if (all((x) => repeats(x, axes, block))) {
      const shape1 = base[1].map((d, i) => (axes[i] === true ? 1 : d))
      const name = this.fresh()
      this.initializers.push({ name, kind: 'array', value: array(block, { dtype, shape: shape1 }) })
      return this.named(c.name, 'Expand', [name, shape])
    }
    // an iota: Range over its size, reshaped
    if (!all((x) => x[0].every((v, i) => v === i))) return why('a constant array')
    const n = this.op('ReduceProd', [shape], { keepdims: { int: 0 } })
    const r = this.op('Range', [this.scalar(0, 'int64'), n, this.scalar(1, 'int64')])
    return this.named(c.name, 'Reshape', [this.op('Cast', [r], { to: { int: ONNX_TYPE[dtype] } }), shape])
  }

  /** A scalar `c + k·N`, or `1 / (c + k·N)` rounded to `dtype` as wengert rounds it, as `[1]`; null if neither. */
  private scalarValue(dtype: DType, base: Values, vs: Variants<Values>): string | null {
    const syms = this.t.varied.map(([s]) => s)
    const at =
      (g: (v: number) => number) =>
      (x: Values | undefined): number =>
        x === undefined ? NaN : g(x[0][0] as number)
    const fit = (g: (v: number) => number): Affine | null => {
      const f = affine(
        at(g)(base),
        vs.map(([, a, b]) => [at(g)(a), at(g)(b)] as const),
        syms,
      )
      return f !== null && Number.isInteger(f.c) ? f : null
    }
    const roundTo = (v: number): number => scalar(v, dtype).item() as number
    const direct = fit((v) => v)
    if (direct !== null && this.checks(direct, base, vs, roundTo))
      return this.op('Cast', [this.affineValue(direct)], { to: { int: ONNX_TYPE[dtype] } })
    const recip = fit((v) => Math.round(1 / v))
    if (recip === null || !this.checks(recip, base, vs, (m) => roundTo(1 / m))) return null
    // NOTE: wengert computes 1/n in float64 and rounds it to the dtype: the same here
    const m = this.op('Cast', [this.affineValue(recip)], { to: { int: ONNX_TYPE.float64 } })
    const r = this.op('Div', [this.scalar(1, 'float64'), m])
    return dtype === 'float64' ? r : this.op('Cast', [r], { to: { int: ONNX_TYPE[dtype] } })
  }

  /** Whether `value(f(sizes))` gives the traced values exactly. */
  private checks(f: Affine, base: Values, vs: Variants<Values>, value: (m: number) => number): boolean {
    const syms = this.t.varied.map(([s]) => s)
    const at = (sizes: number[]): number => value(f.k.reduce((acc, k, i) => acc + k * (sizes[i] as number), f.c))
    const sizes = syms.map((s) => s.size)
    if (!Object.is(at(sizes), base[0][0])) return false
    return vs.every(([, a, b], i) =>
      [a, b].every((x, j) => Object.is(at(sizes.map((z, q) => (q === i ? z + j + 1 : z))), x?.[0][0])),
    )
  }

  /** An int64 list whose elements are affine in the sizes, as nodes (constant runs stay constants). */
  private shape(
    base: ReadonlyArray<number>,
    vs: Variants<Values>,
    why: (what: string) => never,
    list: (x: Values) => ReadonlyArray<number>,
  ): string {
    const syms = this.t.varied.map(([s]) => s)
    const pieces: string[] = []
    let run: number[] = []
    base.forEach((v0, i) => {
      const f = affine(
        v0,
        vs.map(([, a, b]) => [list(a as Values)[i] as number, list(b as Values)[i] as number]),
        syms,
      )
      if (f === null) return why(`element ${i}`)
      if (f.k.every((k) => k === 0)) {
        run.push(v0)
        return
      }
      if (run.length > 0) pieces.push(this.ints(run))
      run = []
      pieces.push(this.affineValue(f))
    })
    if (run.length > 0 || pieces.length === 0) pieces.push(this.ints(run))
    return pieces.length === 1 ? (pieces[0] as string) : this.op('Concat', pieces, { axis: { int: 0 } })
  }

  private named(name: string, op: string, inputs: ReadonlyArray<string>): void {
    this.nodes.push({ op, inputs, outputs: [name], attrs: {}, primitive: 'dynamicAxes' })
  }
}

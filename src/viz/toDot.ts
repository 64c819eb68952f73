/**
 * `toDot(tape)`: a recorded program (a tape from `makeTape`, the jaxpr of JAX) as a Graphviz
 * graph: one node per input, equation, constant and output, edges along the data flow. Labels
 * use the names and types `printTape` prints, so the picture and the printed tape agree.
 *
 * @category viz
 * @since 0.2.0
 */
import { Var, type Atom, type Tape } from '../core/equation'
import { avalStr, literalStr, requireTape, varName } from '../core/tape'
import { ValueError } from '../ndarray/errors'
import { DictKey, FlattenedIndexKey, keyPaths, SequenceKey, structure } from '../tree'
import { Digraph } from './dot'

/** Options of `toDot`. */
export interface ToDotOptions {
  /** Names of the tape's inputs, in order (e.g. `leafNames({ params, x })`); default: the printed tape's names. */
  readonly inputNames?: ReadonlyArray<string>
  /** Names of the tape's outputs, in order (e.g. `leafNames(result)`); default `out`, or `out[k]` for several. */
  readonly outputNames?: ReadonlyArray<string>
  /** Layout direction: `TB` (top to bottom, the default), `LR`, `BT` or `RL`. */
  readonly rankdir?: 'TB' | 'LR' | 'BT' | 'RL'
  /** Longest printed params of an equation before they are cut with `…` (default 50, torchviz's `max_attr_chars`). */
  readonly maxParamChars?: number
}

const COLORS = { input: 'lightblue', equation: 'white', constant: 'lightgrey', output: 'darkolivegreen1' } as const

/**
 * The path of every leaf of a pytree, in the order `tree.flatten` (and so every transform and
 * `makeTape`) lists them: object keys as `.key`, array positions as `[i]`, below `root`.
 *
 * @example
 * import { leafNames, array } from 'wengert'
 * const params = { w: array([[1, 2]]), b: array([0]) }
 * assert.deepStrictEqual(leafNames({ params, x: array([3, 4]) }), ['params.w', 'params.b', 'x'])
 * assert.deepStrictEqual(leafNames([1, [2, 3]], 'args'), ['args[0]', 'args[1][0]', 'args[1][1]'])
 * @category viz
 * @since 0.2.0
 */
export const leafNames = (t: unknown, root = ''): string[] =>
  keyPaths(structure(t)).map((path) =>
    path.reduce<string>((name, k) => {
      if (k instanceof SequenceKey || k instanceof FlattenedIndexKey)
        return `${name}[${k instanceof SequenceKey ? k.idx : k.key}]`
      const field = k instanceof DictKey ? k.key : k.name
      return name === '' ? field : `${name}.${field}`
    }, root),
  )

const clip = (s: string, max: number): string => (s.length > max ? `${s.slice(0, Math.max(0, max - 1))}…` : s)

const checkNames = (what: string, names: ReadonlyArray<string> | undefined, n: number): void => {
  if (names !== undefined && names.length !== n)
    throw new ValueError(`toDot: the tape has ${n} ${what}s but ${names.length} ${what} names were given`)
}

/**
 * The graph of a tape in Graphviz's DOT language: inputs (blue boxes, named and typed), one
 * node per equation (the primitive with its params, and the variables it defines with their
 * types, as `printTape` prints them), constants (grey) and outputs (green), with edges along the
 * data flow. Render it with `toSvg` from `wengert/viz`, or with Graphviz's `dot -Tsvg`.
 *
 * @example
 * import { makeTape, toDot, leafNames, array, mul, sin, sum, type NdArray } from 'wengert'
 * const f = (p: { w: NdArray }, x: NdArray) => sum(sin(mul(p.w, x)))
 * const p = { w: array([1, 2]) }
 * const x = array([3, 4])
 * const dot = toDot(makeTape(f)(p, x), { inputNames: leafNames({ p, x }), outputNames: ['loss'] })
 * assert.ok(dot.startsWith('digraph "tape" {'))
 * assert.ok(dot.includes('"in0" [label="p.w\\nf32[2]"'))
 * assert.ok(dot.includes('label="sin\\nd:f32[2]"'))
 * assert.ok(dot.includes('"in0" -> "eq0"') && dot.includes('"in1" -> "eq0"'))
 * assert.ok(dot.includes('"out0" [label="loss\\nf32[]"'))
 * @category viz
 * @since 0.2.0
 */
export const toDot = (tape: Tape, options: ToDotOptions = {}): string => {
  requireTape('toDot', tape)
  checkNames('input', options.inputNames, tape.inputs.length)
  checkNames('output', options.outputNames, tape.outputs.length)
  const maxParams = options.maxParamChars ?? 50
  const g = new Digraph(
    'tape',
    { rankdir: options.rankdir ?? 'TB', ranksep: '0.25' },
    { shape: 'box', style: 'filled,rounded', fontname: 'monospace', fontsize: '10', height: '0.2' },
  )
  // printed names, dense in order of definition (as printTape names them); producer node per variable
  const names = new Map<number, string>()
  const producer = new Map<number, { readonly node: string; readonly multi: boolean }>()
  const nameOf = (v: Var): string => {
    const known = names.get(v.id)
    if (known !== undefined) return known
    const s = varName(names.size)
    names.set(v.id, s)
    return s
  }
  tape.inputs.forEach((v, i) => {
    const printed = nameOf(v)
    const label = options.inputNames?.[i] ?? printed
    g.node(`in${i}`, { label: `${label}\n${avalStr(v.aval)}`, fillcolor: COLORS.input })
    producer.set(v.id, { node: `in${i}`, multi: false })
  })
  let nConst = 0
  const source = (a: Atom): { readonly node: string; readonly label?: string } => {
    if (a instanceof Var) {
      const p = producer.get(a.id)
      if (p === undefined) throw new ValueError(`toDot: variable ${a.id} is used before it is defined`)
      return p.multi ? { node: p.node, label: nameOf(a) } : { node: p.node }
    }
    const node = `const${nConst++}`
    g.node(node, { label: literalStr(a), shape: 'plaintext', style: 'filled', fillcolor: COLORS.constant })
    return { node }
  }
  tape.equations.forEach((eq, e) => {
    const node = `eq${e}`
    const params = clip(eq.primitive.formatParams(eq.params), maxParams)
    const ins = eq.invars.map(source)
    const outs = eq.outvars.map((v) => `${nameOf(v)}:${avalStr(v.aval)}`).join(' ')
    g.node(node, { label: `${eq.primitive.name}${params}\n${outs}`, fillcolor: COLORS.equation })
    for (const s of ins) g.edge(s.node, node, s.label === undefined ? {} : { label: s.label })
    for (const v of eq.outvars) producer.set(v.id, { node, multi: eq.outvars.length > 1 })
  })
  tape.outputs.forEach((a, k) => {
    const s = source(a)
    const name = options.outputNames?.[k] ?? (tape.outputs.length === 1 ? 'out' : `out[${k}]`)
    const aval = a instanceof Var ? a.aval : a
    g.node(`out${k}`, { label: `${name}\n${avalStr(aval)}`, fillcolor: COLORS.output })
    g.edge(s.node, `out${k}`, s.label === undefined ? {} : { label: s.label })
  })
  return g.source
}

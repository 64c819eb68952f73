/**
 * A small builder of Graphviz DOT text: nodes and edges with attributes, quoted and escaped, in
 * the order they were added. What `toDot` and the facade's `make_dot` return (torchviz's
 * `make_dot` returns a `graphviz.Digraph` whose `.source` is the DOT text; so does this one).
 *
 * @category viz
 * @since 0.2.0
 */

/** Graphviz attributes of a node, an edge or the graph: name → value (values are quoted on output). */
export type DotAttrs = Readonly<Record<string, string>>

/** A DOT identifier or label, quoted: backslashes and quotes escaped, line breaks as `\n`. */
export const quote = (s: string): string =>
  `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`

const attrList = (attrs: DotAttrs): string => {
  const entries = Object.entries(attrs)
  return entries.length === 0 ? '' : ` [${entries.map(([k, v]) => `${k}=${quote(v)}`).join(' ')}]`
}

/**
 * A directed graph in Graphviz's DOT language, built node by node (python-graphviz's
 * `Digraph`): `source` is the DOT text, `String(graph)` too.
 *
 * @example
 * import { Digraph } from 'wengert'
 * const g = new Digraph('g', { rankdir: 'LR' }, { shape: 'box' })
 * g.node('x', { label: 'x "in"' })
 * g.edge('x', 'y')
 * assert.ok(g.source.includes('"x" [label="x \\"in\\""]'))
 * assert.ok(g.source.includes('"x" -> "y"'))
 * assert.ok(g.source.startsWith('digraph "g" {'))
 * @category viz
 * @since 0.2.0
 */
export class Digraph {
  private readonly lines: string[] = []
  private readonly nodes = new Set<string>()

  constructor(
    /** The graph's name (DOT's graph id). */
    readonly name: string = 'G',
    /** Graph attributes (`rankdir`, `size`, …). */
    readonly graphAttrs: DotAttrs = {},
    /** Default attributes of every node (`shape`, `style`, `fontname`, …). */
    readonly nodeAttrs: DotAttrs = {},
  ) {}

  /** Adds a node (as in DOT, a node stated again gets the later attributes on top of the earlier ones). */
  node(id: string, attrs: DotAttrs = {}): this {
    this.nodes.add(id)
    this.lines.push(`  ${quote(id)}${attrList(attrs)}`)
    return this
  }

  /** Whether a node of this id was added. */
  has(id: string): boolean {
    return this.nodes.has(id)
  }

  /** Adds an edge `from -> to`. */
  edge(from: string, to: string, attrs: DotAttrs = {}): this {
    this.lines.push(`  ${quote(from)} -> ${quote(to)}${attrList(attrs)}`)
    return this
  }

  /** The DOT text. */
  get source(): string {
    const head: string[] = []
    if (Object.keys(this.graphAttrs).length > 0) head.push(`  graph${attrList(this.graphAttrs)}`)
    if (Object.keys(this.nodeAttrs).length > 0) head.push(`  node${attrList(this.nodeAttrs)}`)
    return [`digraph ${quote(this.name)} {`, ...head, ...this.lines, '}', ''].join('\n')
  }

  toString(): string {
    return this.source
  }
}

/**
 * DOT text for the playground's two graphs: a tape (the jaxpr as a graph: inputs, one box per
 * equation, constants, outputs) and a facade tensor's `grad_fn` graph (like torchviz's
 * `make_dot`: backward nodes, leaves as their AccumulateGrad with the leaf's name and shape).
 * Graphviz (WebAssembly, @viz-js/viz) turns the text into SVG. When the library exports
 * `toDot` (the docs work of issue 16), the tape graph is its DOT instead of this one.
 */
import * as w from 'wengert'
import type { Aval, Atom, NdArray, Tape } from 'wengert'
import type { Tensor } from 'wengert/torch'

type Attrs = Readonly<Record<string, string>>
const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
const attrs = (a: Attrs): string =>
  ` [${Object.entries(a)
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(' ')}]`
const digraph = (lines: ReadonlyArray<string>): string =>
  `digraph G {\n  rankdir=TB\n  node [fontname="Helvetica" fontsize=11]\n${lines.map((l) => `  ${l}`).join('\n')}\n}\n`

/** The names printTape gives variables: a, b, …, z, ba, … */
const varName = (id: number): string => {
  let s = ''
  let n = id
  do {
    s = String.fromCharCode(97 + (n % 26)) + s
    n = Math.floor(n / 26)
  } while (n > 0)
  return s
}
const avalText = (a: Aval): string => `${a.dtype}[${a.shape.join(',')}]`
const constText = (x: NdArray): string => (x.size === 1 ? String(x.toArray()) : `const ${avalText(x)}`)

/** The DOT text of a tape: ellipses for inputs and constants, boxes for equations, a double circle per output. */
export const tapeDot = (tape: Tape): string => {
  const lib = w as unknown as { toDot?: (t: Tape) => unknown }
  if (typeof lib.toDot === 'function') return String(lib.toDot(tape))
  const lines: string[] = []
  const producer = new Map<number, string>()
  tape.inputs.forEach((v) => {
    producer.set(v.id, `v${v.id}`)
    lines.push(
      `v${v.id}${attrs({ label: `${varName(v.id)}: ${avalText(v.aval)}`, shape: 'ellipse', style: 'filled', fillcolor: '#dbeafe' })}`,
    )
  })
  let consts = 0
  const source = (a: Atom): string => {
    if (a instanceof w.Var) return producer.get(a.id) ?? `v${a.id}`
    const id = `c${consts++}`
    lines.push(`${id}${attrs({ label: constText(a), shape: 'plaintext' })}`)
    return id
  }
  tape.equations.forEach((eq, i) => {
    const outs = eq.outvars.map((v) => `${varName(v.id)}: ${avalText(v.aval)}`).join('\n')
    lines.push(
      `e${i}${attrs({ label: `${eq.primitive.name}\n${outs}`, shape: 'box', style: 'rounded,filled', fillcolor: '#fef3c7' })}`,
    )
    eq.invars.forEach((a) => lines.push(`${source(a)} -> e${i}`))
    eq.outvars.forEach((v) => producer.set(v.id, `e${i}`))
  })
  tape.outputs.forEach((a, i) => {
    lines.push(`out${i}${attrs({ label: `out ${i}`, shape: 'doublecircle', style: 'filled', fillcolor: '#dcfce7' })}`)
    lines.push(`${source(a)} -> out${i}`)
  })
  return digraph(lines)
}

/** A backward node as far as the graph needs it (PyTorch's Node; AccumulateGrad has `variable`). */
interface GradNode {
  name(): string
  readonly next_functions: ReadonlyArray<readonly [GradNode | null, number]>
  readonly variable?: Tensor
}

/** The leaves reached from `root.grad_fn`, in the order the walk meets them. */
export const gradFnLeaves = (root: Tensor): Tensor[] => {
  const leaves: Tensor[] = []
  walk(root, (n) => {
    if (n.variable !== undefined) leaves.push(n.variable)
  })
  return leaves
}

const walk = (root: Tensor, visit: (n: GradNode, id: number) => void): Map<GradNode, number> => {
  const ids = new Map<GradNode, number>()
  const stack = [root.grad_fn as GradNode | null]
  while (stack.length > 0) {
    const n = stack.pop()
    if (n === null || n === undefined || ids.has(n)) continue
    ids.set(n, ids.size)
    visit(n, ids.get(n) as number)
    for (const [c] of n.next_functions) stack.push(c)
  }
  return ids
}

/** The DOT text of `root`'s grad_fn graph; `names` labels leaves (and the root) by the snippet's variable names. */
export const gradFnDot = (root: Tensor, names: ReadonlyMap<Tensor, string>): string => {
  const lines: string[] = []
  const shape = (t: Tensor): string => `(${t.shape.join(', ')})`
  lines.push(
    `root${attrs({ label: `${names.get(root) ?? 'output'}\n${shape(root)}`, shape: 'box', style: 'filled', fillcolor: '#dcfce7' })}`,
  )
  const ids = walk(root, (n, id) => {
    const leaf = n.variable
    const label = leaf === undefined ? n.name() : `${names.get(leaf) ?? 'leaf'}\n${shape(leaf)}`
    const fill = leaf === undefined ? '#e5e7eb' : '#dbeafe'
    lines.push(`n${id}${attrs({ label, shape: 'box', style: 'filled', fillcolor: fill })}`)
  })
  if (root.grad_fn !== null) lines.push(`n${ids.get(root.grad_fn as GradNode)} -> root`)
  for (const [n, id] of ids) for (const [c] of n.next_functions) if (c !== null) lines.push(`n${ids.get(c)} -> n${id}`)
  return digraph(lines)
}

/**
 * The model checker run before a graph is written: every value is defined once (graph input,
 * initializer or node output), every node reads only values defined before it (topological
 * order; a sub-graph reads its own inputs and values and those its node may read), every output
 * is defined, every opset-17 attribute and constant is well formed, and the declared output
 * types are those of the program.
 *
 * @category onnx
 * @since 0.2.0
 */
import { sizeOf } from '../ndarray/shape'
import { OnnxExportError } from './errors'
import type { OnnxGraph, OnnxNode } from '../core/onnxRule'
import type { Graph } from './graph'

const fail = (msg: string): never => {
  throw new OnnxExportError(`exportOnnx: model check: ${msg}`)
}

/** Throws an OnnxExportError naming the first problem found in `g`. */
export const checkGraph = (g: Graph): void => {
  if (!Number.isInteger(g.opset) || g.opset < 17) fail(`opset ${g.opset} is below 17`)
  const defined = new Set<string>()
  const define = (name: string, what: string): void => {
    if (name === '') fail(`${what} has an empty name`)
    if (defined.has(name)) fail(`'${name}' (${what}) is defined more than once`)
    defined.add(name)
  }
  for (const v of g.inputs) {
    define(v.name, 'graph input')
    for (const d of v.shape)
      if (typeof d === 'number' && !(Number.isInteger(d) && d >= 0)) fail(`input '${v.name}' has dimension ${d}`)
  }
  for (const c of g.initializers) {
    define(c.name, 'initializer')
    if (c.kind === 'array' && c.value.toTypedArray().length !== sizeOf(c.value.shape))
      fail(`initializer '${c.name}' holds a number of values that is not the size of its shape`)
    if (c.kind === 'int64' && c.value.some((v) => !Number.isSafeInteger(v)))
      fail(`initializer '${c.name}' holds a value that is not an integer`)
  }
  checkNodes(g.nodes, defined, '')
  for (const v of g.outputs) if (!defined.has(v.name)) fail(`graph output '${v.name}' is never defined`)
}

/**
 * Checks nodes in order against the names `defined` before them (adding their outputs); a
 * sub-graph sees its enclosing graphs' names defined before its node, and its own inputs.
 */
const checkNodes = (nodes: ReadonlyArray<OnnxNode>, defined: Set<string>, where: string): void => {
  nodes.forEach((n, i) => {
    const at = `${where}node ${i} (${n.op}, from ${n.primitive})`
    for (const x of n.inputs) if (x !== '' && !defined.has(x)) fail(`${at} reads '${x}' before it is defined`)
    for (const [k, a] of Object.entries(n.attrs)) {
      const bad = ('int' in a && !Number.isSafeInteger(a.int)) || ('ints' in a && !a.ints.every(Number.isSafeInteger))
      if (bad) fail(`${at} attribute '${k}' is not an integer`)
      if ('graph' in a) checkSubgraph(a.graph, defined, `${at} attribute '${k}': `)
    }
    for (const y of n.outputs) {
      if (y === '' || defined.has(y)) fail(`'${y}' (output of ${at}) is empty or defined more than once`)
      defined.add(y)
    }
  })
}

const checkSubgraph = (g: OnnxGraph, outer: ReadonlySet<string>, where: string): void => {
  const defined = new Set(outer)
  for (const v of g.inputs) {
    if (defined.has(v.name)) fail(`${where}sub-graph input '${v.name}' shadows a name`)
    defined.add(v.name)
  }
  checkNodes(g.nodes, defined, where)
  for (const v of g.outputs) if (!defined.has(v.name)) fail(`${where}sub-graph output '${v.name}' is never defined`)
}

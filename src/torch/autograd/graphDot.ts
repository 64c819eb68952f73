/**
 * Pictures of the backward graph, as torchviz's `make_dot` draws them: the output tensor(s)
 * (green), one box per `grad_fn` node named as PyTorch names it, leaves (blue) with their names
 * from `named_parameters()`, and optionally the tensors each node saved (orange) with their
 * shapes. DOT text; render it with `toSvg` from `wengert/viz`.
 *
 * @category torch
 * @since 0.2.0
 */
import { Digraph } from '../../viz/dot'
import { TorchTypeError } from '../errors'
import { parseArgs } from '../kwargs'
import { Tensor } from '../tensor'
import { AccumulateGrad, type Node } from './node'

/** Keyword arguments of `make_dot` / `to_dot` (torchviz's names and defaults). */
export interface MakeDotOptions {
  /** Names of leaves: `Object.fromEntries(model.named_parameters())`, a Map, or `model.named_parameters()` itself. */
  readonly params?: Readonly<Record<string, Tensor>> | Iterable<readonly [string, Tensor]> | null
  /** Show what each node saved for backward (as `[saved tensor]` entries) under its name. Default false. */
  readonly show_attrs?: boolean
  /** Draw each tensor a node saved for backward (orange, with its shape). Default false. */
  readonly show_saved?: boolean
  /** Longest attribute text in a node label before it is cut with `...` (default 50). */
  readonly max_attr_chars?: number
}

/** Tensor ids for DOT: stable per tensor object for the life of the process. */
const ids = new WeakMap<object, number>()
let nextId = 0
const idOf = (o: object): string => {
  let id = ids.get(o)
  if (id === undefined) {
    id = nextId++
    ids.set(o, id)
  }
  return `t${id}`
}
const nodeId = (n: Node): string => `fn${n._seq}`

/** torchviz's size text: `(2, 3)`, `()` for a scalar. */
const sizeStr = (t: Tensor): string => `(${t.shape.join(', ')})`

const paramNames = (params: MakeDotOptions['params']): Map<Tensor, string> => {
  const out = new Map<Tensor, string>()
  if (params === undefined || params === null) return out
  const entries: Iterable<readonly [string, unknown]> =
    Symbol.iterator in params ? params : Object.entries(params as Record<string, unknown>)
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor))
      throw new TorchTypeError(`make_dot(): params must map names to tensors, but '${name}' is a ${typeof t}`)
    out.set(t, name)
  }
  return out
}

/** What a node saved for backward, named: `result` for a saved output, `saved_k` otherwise. */
const savedOf = (fn: Node): Array<readonly [string, Tensor]> =>
  fn._saved.map((s, k) => [s.output !== undefined ? 'result' : `saved_${k}`, s.tensor] as const)

/** A node's label: its name, and with `show_attrs` a two-column table of what it saved (torchviz's layout). */
const fnLabel = (fn: Node, showAttrs: boolean, maxAttrChars: number): string => {
  // torchviz labels a node with its class name, bare where name() qualifies it
  const name = fn._name
  const saved = showAttrs ? savedOf(fn).map(([k]) => k) : []
  if (saved.length === 0) return name
  const value = '[saved tensor]'
  const col1 = Math.max(...saved.map((k) => k.length))
  const col2 = Math.min(value.length, Math.max(maxAttrChars, 3))
  const shown = value.length > col2 ? `${value.slice(0, col2 - 3)}...` : value
  const rows = saved.map((k) => `${k.padEnd(col1)}: ${shown.padStart(col2)}`)
  return `${name}\n${'-'.repeat(Math.max(col1 + col2 + 2, name.length))}\n${rows.join('\n')}`
}

/**
 * The backward graph of `var` (a tensor or a list of tensors) as a `Digraph` (DOT text in
 * `.source`), as torchviz's `make_dot(var, params=None, show_attrs=False, show_saved=False,
 * max_attr_chars=50)` draws it. Keyword arguments go in the last object.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const model = new torch.nn.Linear(3, 1)
 * const y = model.forward(torch.ones(2, 3)).tanh().mean()
 * const dot = torch.autograd.graph.make_dot(y, { params: model.named_parameters() }).source
 * for (const name of ['MeanBackward0', 'TanhBackward0', 'AddmmBackward0', 'AccumulateGrad'])
 *   assert.ok(dot.includes(`label="${name}"`), name)
 * assert.ok(dot.includes('label="weight\\n (1, 3)"') && dot.includes('label="bias\\n (1)"'))
 * assert.ok(dot.includes('label="\\n ()" fillcolor="darkolivegreen1"'))
 * @category torch
 * @since 0.2.0
 */
export function make_dot(var_: Tensor | ReadonlyArray<Tensor>, options: MakeDotOptions = {}): Digraph {
  const o = parseArgs('make_dot', [options], ['params', 'show_attrs', 'show_saved', 'max_attr_chars']) as MakeDotOptions
  const dot = new Digraph(
    'G',
    { size: '12,12' },
    {
      style: 'filled',
      shape: 'box',
      align: 'left',
      fontsize: '10',
      ranksep: '0.1',
      height: '0.2',
      fontname: 'monospace',
    },
  )
  const names = paramNames(o.params)
  const draw: Drawing = {
    dot,
    seen: new Set<object>(),
    showAttrs: o.show_attrs ?? false,
    showSaved: o.show_saved ?? false,
    maxChars: o.max_attr_chars ?? 50,
    varLabel: (t, name) => `${name ?? names.get(t) ?? ''}\n ${sizeStr(t)}`,
  }
  for (const t of var_ instanceof Tensor ? [var_] : var_) addBase(draw, t, 'darkolivegreen1')
  return dot
}

/** What the steps of {@link make_dot} share: the graph drawn so far and the options. */
interface Drawing {
  readonly dot: Digraph
  readonly seen: Set<object>
  readonly showAttrs: boolean
  readonly showSaved: boolean
  readonly maxChars: number
  readonly varLabel: (t: Tensor, name?: string) => string
}

/** Draws one backward node: its saved tensors (if shown), its leaf (AccumulateGrad) and its label. */
const drawNode = (d: Drawing, fn: Node): void => {
  if (d.showSaved) {
    for (const [attr, t] of savedOf(fn)) {
      d.seen.add(t)
      d.dot.edge(nodeId(fn), idOf(t), { dir: 'none' })
      d.dot.node(idOf(t), { label: d.varLabel(t, attr), fillcolor: 'orange' })
    }
  }
  if (fn instanceof AccumulateGrad) {
    const leaf = fn.variable
    d.seen.add(leaf)
    d.dot.node(idOf(leaf), { label: d.varLabel(leaf), fillcolor: 'lightblue' })
    d.dot.edge(idOf(leaf), nodeId(fn))
  }
  d.dot.node(nodeId(fn), { label: fnLabel(fn, d.showAttrs, d.maxChars) })
}

/** Every node reachable from `root` (iteratively: deep graphs do not overflow the stack), with its edges. */
const addNodes = (d: Drawing, root: Node): void => {
  const stack = [root]
  while (stack.length > 0) {
    const fn = stack.pop() as Node
    if (d.seen.has(fn)) continue
    d.seen.add(fn)
    drawNode(d, fn)
    for (const [next] of fn.next_functions) {
      if (next === null) continue
      d.dot.edge(nodeId(next), nodeId(fn))
      stack.push(next)
    }
  }
}

/** An output tensor (and, for a view, its base, dotted), with the graph behind it. */
const addBase = (d: Drawing, t: Tensor, color: string): void => {
  if (d.seen.has(t)) return
  d.seen.add(t)
  d.dot.node(idOf(t), { label: d.varLabel(t), fillcolor: color })
  const fn = t.grad_fn
  if (fn !== null) {
    addNodes(d, fn)
    d.dot.edge(nodeId(fn), idOf(t))
  }
  if (t._base !== null) {
    addBase(d, t._base, 'darkolivegreen3')
    d.dot.edge(idOf(t._base), idOf(t), { style: 'dotted' })
  }
}

/**
 * The DOT text of `make_dot(var, options)`: the backward graph of a tensor with its leaves named
 * from `params`. Render it with `toSvg` from `wengert/viz`.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.tensor([1, 2], { requires_grad: true })
 * const y = w.mul(w).sum()
 * const dot = torch.autograd.graph.to_dot(y, { params: { w }, show_saved: true })
 * assert.ok(dot.includes('label="MulBackward0"') && dot.includes('label="w\\n (2)"'))
 * assert.ok(dot.includes('label="saved_0\\n (2)" fillcolor="orange"'))
 * @category torch
 * @since 0.2.0
 */
export const to_dot = (var_: Tensor | ReadonlyArray<Tensor>, options: MakeDotOptions = {}): string =>
  make_dot(var_, options).source

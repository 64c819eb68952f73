/**
 * make_dot against the graph real PyTorch builds (test/fixtures/graph/make_dot_reference.py):
 * the same nodes, edges and saved-tensor shapes for a small MLP, leaves named from
 * named_parameters as torchviz names them.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { toSvg } from 'wengert/viz'

const reference = JSON.parse(
  readFileSync(new URL('../../fixtures/graph/make_dot_reference.json', import.meta.url), 'utf8'),
) as { edges: Array<[string, string]>; saved: Record<string, number[][]> }

interface Parsed {
  readonly labels: Map<string, string>
  readonly fills: Map<string, string>
  readonly edges: Array<[string, string, string]>
}
/** Nodes (id → label with real line breaks, fill colour) and edges (with their attribute text) of a DOT text. */
const parse = (dot: string): Parsed => {
  const labels = new Map<string, string>()
  const fills = new Map<string, string>()
  const edges: Array<[string, string, string]> = []
  for (const line of dot.split('\n')) {
    const e = /^ {2}"([^"]+)" -> "([^"]+)"(.*)$/.exec(line)
    if (e !== null) edges.push([e[1] as string, e[2] as string, e[3] as string])
    const n = /^ {2}"([^"]+)" \[label="((?:[^"\\]|\\.)*)"(?: fillcolor="([^"]+)")?/.exec(line)
    if (n !== null) {
      labels.set(n[1] as string, (n[2] as string).replace(/\\n/g, '\n'))
      if (n[3] !== undefined) fills.set(n[1] as string, n[3])
    }
  }
  return { labels, fills, edges }
}

/** The reference's names: each function node by its type and the parameters below it. */
const canonical = (g: Parsed): { edges: Array<[string, string]>; saved: Record<string, number[][]> } => {
  const isFn = (id: string): boolean => id.startsWith('fn')
  const preds = new Map<string, string[]>()
  for (const [a, b] of g.edges) preds.set(b, [...(preds.get(b) ?? []), a])
  const leaves = (id: string): Set<string> => {
    const out = new Set<string>()
    for (const p of preds.get(id) ?? []) {
      if (g.fills.get(p) === 'lightblue') out.add((g.labels.get(p) as string).split('\n')[0] as string)
      else if (isFn(p)) for (const l of leaves(p)) out.add(l)
    }
    return out
  }
  const name = (id: string): string => `${g.labels.get(id)?.split('\n')[0]}{${[...leaves(id)].sort().join(',')}}`
  const edges = g.edges
    .filter(([a, b, attrs]) => isFn(a) && isFn(b) && !attrs.includes('dir'))
    .map(([a, b]): [string, string] => [name(a), name(b)])
    .sort()
  const saved: Record<string, number[][]> = {}
  for (const id of g.labels.keys()) if (isFn(id)) saved[name(id)] = []
  for (const [a, b, attrs] of g.edges) {
    if (!attrs.includes('dir="none"')) continue
    const shape = (g.labels.get(b) as string).split('\n ')[1] as string
    ;(saved[name(a)] as number[][]).push(JSON.parse(`[${shape.slice(1, -1)}]`) as number[])
  }
  for (const k of Object.keys(saved)) (saved[k] as number[][]).sort()
  return { edges, saved }
}

describe('torch.autograd.graph.make_dot', () => {
  torch.manual_seed(0)
  const model = new torch.nn.Sequential(new torch.nn.Linear(3, 4), new torch.nn.Tanh(), new torch.nn.Linear(4, 1))
  const y = model.forward(torch.randn(2, 3)).mean()

  it("draws PyTorch's graph: node names, edges, leaves named from params, saved shapes", () => {
    torch.manual_seed(0)
    const params = {
      w1: torch.randn(3, 4, { requires_grad: true }),
      b1: torch.randn(4, { requires_grad: true }),
      w2: torch.randn(4, 1, { requires_grad: true }),
    }
    const x = torch.randn(2, 3)
    const out = x.matmul(params.w1).add(params.b1).tanh().matmul(params.w2).mul(2).mean()
    const dot = torch.autograd.graph.make_dot(out, { params, show_saved: true })
    expect(canonical(parse(dot.source))).toEqual(reference)
  })

  it('marks the output green with its size and the leaves blue with name and size, as torchviz', () => {
    const g = parse(torch.autograd.graph.to_dot(y, { params: model.named_parameters() }))
    const byFill = (c: string): string[] =>
      [...g.fills].filter(([, f]) => f === c).map(([id]) => g.labels.get(id) as string)
    expect(byFill('darkolivegreen1')).toEqual(['\n ()'])
    expect(byFill('lightblue').sort()).toEqual([
      '0.bias\n (4)',
      '0.weight\n (4, 3)',
      '2.bias\n (1)',
      '2.weight\n (1, 4)',
    ])
    expect(byFill('orange')).toEqual([])
  })

  it('shows saved attributes in the node labels with show_attrs, cut at max_attr_chars', () => {
    const w = torch.tensor([1, 2], { requires_grad: true })
    const z = w.exp()
    const labels = [...parse(torch.autograd.graph.to_dot(z, { show_attrs: true })).labels.values()]
    expect(labels).toContain('ExpBackward0\n----------------------\nresult: [saved tensor]')
    const cut = [...parse(torch.autograd.graph.to_dot(z, { show_attrs: true, max_attr_chars: 6 })).labels.values()]
    expect(cut).toContain('ExpBackward0\n--------------\nresult: [sa...')
  })

  it('draws several outputs and a view with its base (dotted)', () => {
    const a = torch.ones(2, 3, { requires_grad: true }).mul(2)
    const v = a.view(6)
    const g = parse(torch.autograd.graph.to_dot([v, a.sum()]))
    expect([...g.fills.values()].filter((c) => c === 'darkolivegreen1')).toHaveLength(2)
    expect(g.edges.filter(([, , attrs]) => attrs.includes('dotted'))).toHaveLength(1)
  })

  it("refuses unknown keywords and params that are not tensors with Python's TypeError", () => {
    expect(() => torch.autograd.graph.make_dot(y, { colour: true } as never)).toThrow(
      "make_dot() got an unexpected keyword argument 'colour'",
    )
    expect(() => torch.autograd.graph.make_dot(y, { params: { w: 1 } as never })).toThrow(torch.TorchTypeError)
  })

  it('renders to SVG through wengert/viz', async () => {
    const svg = await toSvg(torch.autograd.graph.make_dot(y, { params: model.named_parameters() }))
    expect(svg).toContain('AddmmBackward0')
    expect(svg).toContain('0.weight')
  })
})

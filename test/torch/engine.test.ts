/**
 * The backward engine's walk: linear in the graph (each node's edges are read a bounded number
 * of times, also with `inputs=` / autograd.grad targets), iterative (deep chains do not overflow
 * the stack), and all-or-nothing (a backward that raises part-way leaves every `.grad` as it
 * was). Expected values are from math.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

/** A chain of `n` multiplications by `c` from a fresh leaf; `y = x·cⁿ`. */
const chain = (n: number, c = 1.0001) => {
  const x = torch.tensor([1], { dtype: torch.float64, requires_grad: true })
  let y = x
  for (let k = 0; k < n; k++) y = y.mul(c)
  return { x, y: y.sum() }
}

/** Every node reachable from `root`, with a counter of the engine's reads of its edges (`_edges`, what `next_functions` shows). */
const countEdgeReads = (root: torch.autograd.graph.Node): { nodes: number; reads: () => number } => {
  let reads = 0
  const seen = new Set<torch.autograd.graph.Node>()
  const stack = [root]
  while (stack.length > 0) {
    const n = stack.pop() as torch.autograd.graph.Node
    if (seen.has(n)) continue
    seen.add(n)
    const edges = n.next_functions
    for (const [c] of edges) if (c !== null) stack.push(c)
    Object.defineProperty(n, '_edges', {
      get: () => {
        reads++
        return edges
      },
    })
  }
  return { nodes: seen.size, reads: () => reads }
}

describe('the backward walk', () => {
  it.each([
    ['autograd.grad', (x: torch.Tensor, y: torch.Tensor) => void torch.autograd.grad(y, x)],
    ['backward(inputs=…)', (x: torch.Tensor, y: torch.Tensor) => y.backward(null, { inputs: [x] })],
    ['backward()', (_: torch.Tensor, y: torch.Tensor) => y.backward()],
  ])('%s reads each node’s edges a bounded number of times (linear, not one pass per node)', (_, run) => {
    // Arrange: a 1,000-node chain whose nodes count reads of their edges
    const { x, y } = chain(1000)
    const counter = countEdgeReads(y.grad_fn as torch.autograd.graph.Node)
    // Act
    run(x, y)
    // Assert: a fixed-point pass per node would read ~n²/2 = 500,000 times
    expect(counter.nodes).toBe(1002)
    expect(counter.reads()).toBeLessThanOrEqual(6 * counter.nodes)
  })

  it('differentiates a 20,000-op chain with targets, without overflowing the stack', () => {
    const { x, y } = chain(20000, 1.00001)
    const [g] = torch.autograd.grad(y, x, { retain_graph: true })
    // d/dx x·cⁿ = cⁿ
    expect(g?.item()).toBeCloseTo(1.00001 ** 20000, 9)
    y.backward(null, { inputs: [x] })
    expect(x.grad?.item()).toBeCloseTo(1.00001 ** 20000, 9)
  }, 60_000)
})

describe('a backward that raises part-way', () => {
  it('touches no leaf’s .grad, though nodes that ran before the error would have reached them', () => {
    // Arrange: exp saves its output, which add_ then changes; x's branch is newer, so its
    // AccumulateGrad runs before ExpBackward0 raises
    const a = torch.ones(3, { requires_grad: true })
    const x = torch.ones(3, { requires_grad: true })
    x.grad = torch.tensor([1, 1, 1])
    const b = a.exp()
    b.add_(1)
    const r = x.mul(3)
    r.retain_grad()
    const loss = b.sum().add(r.sum())
    // Act / Assert
    expect(() => loss.backward()).toThrow(
      'one of the variables needed for gradient computation has been modified by an inplace operation',
    )
    expect(x.grad?.tolist()).toEqual([1, 1, 1])
    expect(x.grad?._version).toBe(0)
    expect(a.grad).toBeNull()
    expect(r.grad).toBeNull()
  })

  it('leaves the graph usable: saved values are not freed by the failed pass', () => {
    const x = torch.tensor([1, 2], { requires_grad: true })
    const y = x.exp().sum()
    expect(() => y.backward(torch.ones(2))).toThrow(torch.RuntimeError)
    y.backward()
    expect(x.grad?.tolist()).toEqual([Math.exp(1), Math.exp(2)].map(Math.fround))
  })
})

describe('saved non-input tensors', () => {
  it('an index modified in place after gather raises at backward, as PyTorch', () => {
    const x = torch.ones(3, 4, { requires_grad: true })
    const g = torch.tensor(
      [
        [0, 3],
        [1, 1],
        [2, 0],
      ],
      { dtype: torch.int64 },
    )
    const y = x.gather(1, g)
    g.zero_()
    expect(() => y.sum().backward()).toThrow(
      'one of the variables needed for gradient computation has been modified by an inplace operation: [torch.LongTensor [3, 2]] is at version 1; expected version 0 instead.',
    )
  })
})

describe('a backward inside a backward over the same graph', () => {
  it('a tensor hook running autograd.grad through nodes the outer pass holds leaves both passes right', () => {
    const x = torch.tensor([2], { dtype: torch.float64, requires_grad: true })
    const y = x.mul(x)
    const z = y.exp()
    const inner: number[] = []
    z.register_hook((g) => {
      // the outer pass has taken y's node and x's AccumulateGrad in already
      const [d] = torch.autograd.grad(y, x, torch.ones(1, { dtype: torch.float64 }), { retain_graph: true })
      inner.push((d as torch.Tensor).item())
      return g
    })
    z.backward(torch.ones(1, { dtype: torch.float64 }))
    expect(inner).toEqual([4])
    // d(e^(x²))/dx = 2x·e^(x²) at x = 2
    expect(x.grad?.item()).toBeCloseTo(4 * Math.exp(4), 9)
  })
})

/**
 * Shared by the tests that compare a composed op's graph against PyTorch 2.x's composition
 * (test/torch/linearNd.test.ts, test/torch/matmulNd.test.ts; fixtures linear_nd.py,
 * matmul_nd.py): operands from the fixture, the graph written as the scripts write it, the
 * described result and the comparison to rounding.
 */
import * as torch from 'wengert/torch'
import { sinWeights } from './sinWeights'
import { typeName } from './nodeNames'

/** An operand as the fixture gives it: a sin-weights leaf, maybe permuted, maybe copied (`mul(1)`). */
export interface Operand {
  readonly shape: ReadonlyArray<number>
  readonly rg: boolean
  readonly perm?: ReadonlyArray<number>
  readonly copy?: boolean
}

/** The graph below a node, written as the fixture scripts write it. */
export const chain = (fn: torch.autograd.Node | null): string => {
  if (fn === null) return 'None'
  const name = typeName(fn)
  if (name === 'AccumulateGrad') return 'Acc'
  return `${name}(${fn.next_functions.map(([n]) => chain(n)).join(', ')})`
}

/** [the leaf, the operand made from it] for `o`, the leaf's values scaled by `scale`. */
export const operand = (o: Operand, scale: number): [torch.Tensor, torch.Tensor] => {
  const leaf = sinWeights(o.shape).mul(scale).requires_grad_(o.rg)
  const t = o.perm === undefined ? leaf : leaf.permute([...o.perm])
  return [leaf, o.copy === true ? t.mul(1) : t]
}

/** An error as the fixtures record it: its name and the first line of its message. */
export const errorOf = (e: unknown): { error: string; message: string | undefined } => ({
  error: (e as Error).name,
  message: (e as Error).message.split('\n')[0],
})

/** The result's graph, shape, values, contiguity and version, as the fixtures record them. */
export const describeResult = (out: torch.Tensor): Record<string, unknown> => ({
  graph: chain(out.grad_fn),
  shape: [...out.shape],
  values: out.detach().tolist(),
  contiguous: out.is_contiguous(),
  version: out._version,
})

/** Backward of sum(out · W), W the sin weights of out's shape. */
export const backwardWeighted = (out: torch.Tensor): void =>
  out
    .mul(sinWeights([...out.shape]))
    .sum()
    .backward()

/** Float results agree with PyTorch's to rounding (1e-12 relative); everything else exactly. */
export const close = (x: unknown, y: unknown): boolean => {
  if (typeof x === 'number' && typeof y === 'number') return Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(y))
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => close(v, y[i]))
  if (x !== null && y !== null && typeof x === 'object' && typeof y === 'object') {
    const kx = Object.keys(x).sort()
    const ky = Object.keys(y).sort()
    return close(kx, ky) && kx.every((k) => close(x[k as keyof typeof x], y[k as keyof typeof y]))
  }
  return x === y
}

/**
 * The runner of the facade's PyTorch-fixture programs (graphEdges, noGradViews): runs a
 * program's statements (test-only: they are this repository's fixtures) and describes each
 * returned tensor as the fixture scripts describe PyTorch's — requires_grad, is_leaf, grad_fn
 * name, next_functions names, version and values — or the error it raised.
 */
import * as torch from 'wengert/torch'

const runProgram = (src: string): ReadonlyArray<torch.Tensor | null> =>
  new Function('torch', src)(torch) as ReadonlyArray<torch.Tensor | null>

const info = (t: torch.Tensor | null): unknown => {
  if (t === null) return null
  const fn = t.grad_fn
  return {
    requires_grad: t.requires_grad,
    is_leaf: t.is_leaf,
    grad_fn: fn === null ? null : fn.name(),
    edges: fn === null ? null : fn.next_functions.map(([n]) => (n === null ? null : n.name())),
    version: t._version,
    values: t.detach().tolist(),
  }
}

/** What the program at `src` gives: each result described, or `{ error, message }`. */
export const outcome = (src: string): unknown => {
  try {
    return runProgram(src).map(info)
  } catch (e) {
    return { error: (e as Error).name, message: (e as Error).message }
  }
}

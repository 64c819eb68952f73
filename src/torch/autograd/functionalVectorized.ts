/**
 * The vectorized Jacobians of `torch.autograd.functional` (`vectorize=True`), evaluated row by row
 * but over the same one big basis PyTorch batches: reverse mode differentiates all outputs at once
 * against a standard-basis row spanning every output's elements (so an output that a row does not
 * select still contributes its zero cotangent — the sign of a zero follows PyTorch's), forward
 * mode (`strategy='forward-mode'`) pushes a basis row spanning every input's elements through
 * dual tensors. The rows are stacked, split by output (or input) and viewed into the blocks.
 */
import { zeros_like } from '../creation'
import { stack } from '../ops/functions'
import type { Tensor } from '../tensor'
import { dual_level, make_dual, unpack_dual } from './forwardAd'
import * as C from './functionalCore'

/** Row `r` of the standard basis over the elements of all `ts`, as one tensor per `t` (shaped as `t`). */
const basisRow = (ts: ReadonlyArray<Tensor>, r: number): Tensor[] => {
  let offset = 0
  return ts.map((t) => {
    const z = zeros_like(t).reshape(-1)
    if (r >= offset && r < offset + t.numel()) z.select(0, r - offset).fill_(1)
    offset += t.numel()
    return z.view_as(t)
  })
}

const total = (ts: ReadonlyArray<Tensor>): number => ts.reduce((a, t) => a + t.numel(), 0)

/**
 * The reverse-mode vectorized Jacobian (by output, then input): one gradient tensor per input over
 * the elements of all outputs together (zeros expanded where no output reaches the input), split by
 * output and viewed as `[*out.shape, *in.shape]` — each block a view of the one tensor (grad_fn
 * ViewBackward0 under create_graph, even for an output that does not depend on the input).
 */
export const reverseJacobian = (outs: Tensor[], ins: Tensor[], createGraph: boolean): Tensor[][] => {
  const flats = outs.map((o) => o.reshape(-1))
  const n = total(outs)
  const rows: Array<Array<Tensor | null>> = []
  for (let r = 0; r < n; r++) rows.push(C.autogradGrad(flats, ins, basisRow(flats, r), createGraph, true))
  const numels = outs.map((o) => o.numel())
  const byInput = ins.map((inp, k) => {
    const col = rows.map((row) => row[k] ?? null)
    const big = col.every((g) => g === null)
      ? zeros_like(inp).expand([n, ...inp.shape])
      : stack(
          col.map((g) => g ?? zeros_like(inp)),
          0,
        )
    return big.split(numels, 0).map((b, i) => b.view([...outs[i]!.shape, ...inp.shape]))
  })
  return outs.map((_, i) => byInput.map((blocks) => blocks[i]!))
}

/**
 * The forward-mode vectorized Jacobian (`strategy='forward-mode'`): each row a basis tangent over
 * all inputs' elements pushed through `func` on dual tensors (a missing output tangent is zeros);
 * per output the rows `[N, *out.shape]` are split by input, the batch dimension moved last and
 * reshaped to `[*out.shape, *in.shape]`. Inputs are used as given and nothing is detached, as
 * PyTorch's forward-mode path (results keep the inputs' graph).
 * Returns `[outputs were a tuple, blocks by output then input]`.
 */
export const forwardJacobian = (
  call: (args: ReadonlyArray<Tensor>) => unknown,
  ins: Tensor[],
): [boolean, Tensor[][]] => {
  let outTuple = false
  let primals: Tensor[] = []
  const rows: Tensor[][] = []
  for (let r = 0; r < total(ins); r++) {
    const tangents = basisRow(ins, r)
    dual_level(() => {
      const duals = ins.map((t, k) => make_dual(t, tangents[k]!))
      const [isTuple, outs] = C.asTuple(call(duals), 'outputs of the user-provided function', 'jacobian')
      outTuple = isTuple
      const unpacked = outs.map((o) => unpack_dual(o))
      primals = unpacked.map((u) => u.primal)
      rows.push(unpacked.map((u) => u.tangent ?? zeros_like(u.primal)))
    })
  }
  const numels = ins.map((t) => t.numel())
  const blocks = primals.map((p, i) => {
    const big = stack(
      rows.map((row) => row[i]!),
      0,
    )
    return big.split(numels, 0).map((jac, k) => {
      const order = [...Array(jac.dim()).keys()].slice(1)
      return jac.permute([...order, 0]).reshape([...p.shape, ...ins[k]!.shape])
    })
  })
  return [outTuple, blocks]
}

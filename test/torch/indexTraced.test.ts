/**
 * The facade's indexing by index tensors under torch.func.vmap and torch.func.grad: the index is
 * an operand of the gather (not read while tracing); every batch element equals the eager call,
 * and out-of-range indices still raise PyTorch's errors (checked on the batch's values).
 */
import * as ort from 'onnxruntime-web'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

ort.env.wasm.numThreads = 1

const long = (v: ReadonlyArray<unknown>): torch.Tensor => torch.tensor(v as number[], { dtype: torch.int64 })
const x = torch.tensor(
  [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ],
  { dtype: torch.float64 },
)
const vm = (f: (i: torch.Tensor) => torch.Tensor, ib: torch.Tensor): unknown =>
  (torch.func.vmap(f)(ib) as torch.Tensor).tolist()
const loop = (f: (i: torch.Tensor) => torch.Tensor, rows: ReadonlyArray<ReadonlyArray<unknown>>): unknown =>
  rows.map((r) => f(long(r)).tolist())

describe('index tensors under torch.func.vmap equal the eager calls', () => {
  const rows = [
    [0, 2],
    [2, 2],
    [1, 0],
  ]
  it('index_select, take (negative indices), x[index], x[index, index]', () => {
    const fs: ReadonlyArray<(i: torch.Tensor) => torch.Tensor> = [
      (i) => x.index_select(0, i),
      (i) => x.index_select(1, i),
      (i) => x.take(torch.sub(i, 4)),
      (i) => x.index(i),
      (i) => x.index(':', i),
      (i) => x.index(i, i.flip([0])),
    ]
    for (const f of fs) expect(vm(f, long(rows))).toEqual(loop(f, rows))
  })

  it('gather along either dim, with an index smaller than self', () => {
    const g1 = (i: torch.Tensor): torch.Tensor => x.gather(1, i.reshape([2, 1]))
    const g0 = (i: torch.Tensor): torch.Tensor => torch.gather(x, 0, i.reshape([1, 2]))
    for (const f of [g1, g0]) expect(vm(f, long(rows))).toEqual(loop(f, rows))
  })

  it('out-of-range indices in any batch element raise the eager error', () => {
    const bad = long([
      [0, 1],
      [3, 0],
    ])
    expect(() => vm((i) => x.index_select(0, i), bad)).toThrow('index out of range in self')
    expect(() => vm((i) => x.take(i), long([[9], [-10]]))).toThrow(
      'out of range: tried to access index 9 on a tensor of 9 elements.',
    )
    expect(() => vm((i) => x.index(i), bad)).toThrow('index 3 is out of bounds for dimension 0 with size 3')
    expect(() => vm((i) => x.gather(1, i.reshape([2, 1])), bad)).toThrow(
      'index 3 is out of bounds for dimension 1 with size 3',
    )
  })

  it('per-example gradients through the gathers equal the eager gradients', () => {
    const w = torch.tensor([0.5, -2], { dtype: torch.float64 })
    const loss = (a: torch.Tensor, i: torch.Tensor): torch.Tensor =>
      torch
        .mul(a.index_select(0, i).sum(1), w)
        .sum()
        .add(torch.mul(a.take(i), w).sum())
    const grads = torch.func.vmap(torch.func.grad(loss), { in_dims: [null, 0] })(x, long(rows)) as torch.Tensor
    const eager = rows.map((r) => (torch.func.grad(loss)(x, long(r)) as torch.Tensor).tolist())
    expect(grads.tolist()).toEqual(eager)
  })
})

describe('index tensors as inputs of torch.onnx.export', () => {
  it('index_select, take, gather and x[index] of an input index run in ONNX Runtime with the eager result', async () => {
    class Pick extends torch.nn.Module {
      forward(a: torch.Tensor, i: torch.Tensor): torch.Tensor {
        const g = a.gather(1, i.reshape([2, 1]).expand([2, 1]))
        return torch.cat([a.index_select(0, i).flatten(), a.take(i), a.index(i, i).flatten(), g.flatten()])
      }
    }
    const model = new Pick()
    const xf = torch.tensor([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ])
    const idx = long([2, 0])
    const bytes = await torch.onnx.export(model, [xf, idx], null, { input_names: ['x', 'i'], output_names: ['y'] })
    const session = await ort.InferenceSession.create(bytes)
    for (const r of [
      [2, 0],
      [1, 1],
    ]) {
      const out = await session.run({
        x: new ort.Tensor('float32', Float32Array.from(xf.flatten().tolist() as number[]), [3, 3]),
        i: new ort.Tensor('int64', BigInt64Array.from(r.map(BigInt)), [2]),
      })
      expect(Array.from(out.y?.data as Float32Array)).toEqual(model.call(xf, long(r)).tolist())
    }
  })
})

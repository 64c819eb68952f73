/**
 * torch.embedding_bag (ATen form) against PyTorch 1.13 (fixtures/embedding_bag_aten.json, written by
 * embedding_bag_aten.py): its four outputs per mode, padding_idx, include_last_offset and
 * per_sample_weights, the weight and per_sample_weights gradients, and its argument errors; and
 * sparse=True refused by F.embedding, F.embedding_bag and nn.Embedding.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

interface Case {
  readonly dtype: 'float64' | 'float32'
  readonly mode: number
  readonly include_last_offset: boolean
  readonly offsets: number[]
  readonly padding_idx: number | null
  readonly per_sample_weights: number[] | null
  readonly output: number[][]
  readonly offset2bag: number[]
  readonly bag_size: number[]
  readonly max_indices: number[] | number[][]
  readonly grad_fn: string
  readonly upstream: number[][]
  readonly weight_grad: number[][]
  readonly psw_grad: number[] | null
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/embedding_bag_aten.json', import.meta.url), 'utf8')) as {
  weight: number[][]
  indices: number[]
  cases: Case[]
  errors: Record<string, string>
}
const long = (v: number[]) => torch.tensor(v, { dtype: torch.int64 })

describe('torch.embedding_bag', () => {
  it.each(
    fx.cases.map(
      (c) =>
        [
          `${c.dtype} mode ${c.mode} ilo ${c.include_last_offset} pad ${c.padding_idx} psw ${c.per_sample_weights !== null}`,
          c,
        ] as const,
    ),
  )('%s', (_, c) => {
    // Arrange
    const dt = c.dtype === 'float64' ? torch.float64 : torch.float32
    const w = torch.tensor(fx.weight, { dtype: dt, requires_grad: true })
    const p =
      c.per_sample_weights === null ? null : torch.tensor(c.per_sample_weights, { dtype: dt, requires_grad: true })
    // Act
    const [out, o2b, size, arg] = torch.embedding_bag(
      w,
      long(fx.indices),
      long(c.offsets),
      false,
      c.mode,
      false,
      p,
      c.include_last_offset,
      c.padding_idx,
    )
    out.backward(torch.tensor(c.upstream, { dtype: dt }))
    // Assert
    const tol = c.dtype === 'float64' ? 12 : 5
    const near = (a: number[][], b: number[][]) =>
      a.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(b[i]![j]!, tol)))
    near(out.tolist() as number[][], c.output)
    expect(out.grad_fn?.name()).toBe(c.grad_fn)
    expect([o2b.tolist(), size.tolist(), arg.tolist()]).toEqual([c.offset2bag, c.bag_size, c.max_indices])
    expect([o2b.dtype, size.dtype, arg.dtype]).toEqual([torch.int64, torch.int64, torch.int64])
    near(w.grad?.tolist() as number[][], c.weight_grad)
    if (c.psw_grad !== null) near([p?.grad?.tolist() as number[]], [c.psw_grad])
  })

  it('raises PyTorch’s argument errors', () => {
    const w = torch.tensor(fx.weight)
    const idx = long(fx.indices)
    const e = fx.errors
    expect(() => torch.embedding_bag(w, idx, long([0, 2]), false, 1, false, torch.ones(8))).toThrow(e.psw_mode!)
    expect(() => torch.embedding_bag(w, idx.float(), long([0, 2]))).toThrow(e.indices_dtype!)
    expect(() => torch.embedding_bag(w, idx, long([1, 2]))).toThrow(e.offsets0!.split('\n')[0]!)
    expect(() => torch.embedding_bag(w, idx, long([0, 2]), false, 0, false, torch.ones(3))).toThrow(e.psw_numel!)
    expect(() => torch.embedding_bag(w, idx, long([0, 2]), false, 0, false, null, false, 6)).toThrow(e.padding_range!)
    expect(() => torch.embedding_bag(w, idx, long([0, 2]), false, 3)).toThrow(
      /mode has to be 0 \(sum\), 1 \(mean\) or 2 \(max\)/,
    )
  })

  it('shares F.embedding_bag’s kernel: same output and gradient as the functional form', () => {
    const w = torch.tensor(fx.weight, { dtype: torch.float64, requires_grad: true })
    const idx = long(fx.indices)
    const off = long([0, 2, 2, 5])
    const a = torch.embedding_bag(w, idx, off, false, 1)[0]
    const b = torch.nn.functional.embedding_bag(idx, w, off, { mode: 'mean' })
    expect(a.tolist()).toEqual(b.tolist())
    expect(b.grad_fn?.name()).toBe('EmbeddingBagBackward0')
  })
})

describe('sparse=True', () => {
  it('is refused, not ignored: the facade has no sparse gradients', () => {
    const w = torch.randn(4, 2)
    const idx = long([0, 1])
    expect(() => torch.nn.functional.embedding(idx, w, { sparse: true })).toThrow(
      /embedding: sparse=True \(sparse gradients\) is not supported/,
    )
    expect(() => torch.nn.functional.embedding_bag(idx, w, long([0]), { sparse: true })).toThrow(
      /embedding_bag: sparse=True/,
    )
    expect(() => torch.embedding_bag(w, idx, long([0]), false, 0, true)).toThrow(torch.NotImplementedError)
    expect(() => new torch.nn.Embedding(4, 2, { sparse: true })(idx)).toThrow(/sparse=True/)
    expect(new torch.nn.Embedding(4, 2, { sparse: false })(idx).shape).toEqual(torch.Size([2, 2]))
  })
})

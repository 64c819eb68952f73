/**
 * The facade's sort/argsort/msort/topk/cumprod/cummax/cummin/logcumsumexp/diff/searchsorted
 * against PyTorch 1.13 (test/ops/fixtures/sorting.py → sorting.json): values, int64 indices
 * (ties, NaN first when descending), gradients and node names, error texts.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

type Nested = number | string | boolean | null | ReadonlyArray<Nested> | { readonly [k: string]: Nested }
const ref = JSON.parse(readFileSync(new URL('../ops/fixtures/sorting.json', import.meta.url), 'utf8')) as Record<
  string,
  Nested
>
const num = (v: Nested): Nested =>
  Array.isArray(v) ? v.map(num) : typeof v === 'string' && /^-?(NaN|Infinity)$/.test(v) ? Number(v) : (v as Nested)
const R = (key: string, field?: string): unknown => {
  const v = ref[key] as Nested
  return num(field === undefined ? v : ((v as Record<string, Nested>)[field] as Nested))
}
const close = (a: unknown, b: unknown): void => {
  if (Array.isArray(a)) {
    expect((a as unknown[]).length).toBe((b as unknown[]).length)
    ;(a as unknown[]).forEach((u, i) => close(u, (b as unknown[])[i]))
  } else if (Number.isNaN(b)) expect(a).toBeNaN()
  else expect(a as number).toBeCloseTo(b as number, 10)
}
const X = [
  [3, -1, NaN, 2, -0, 0, 2],
  [1, 1, -5, NaN, 7, 1, -2],
]
const G = torch.tensor(
  [
    [0.5, -1, 2, 3, 1.5, -2, 0.25],
    [1, 2, 3, 4, 5, 6, 7],
  ],
  { dtype: torch.float64 },
)
const slice = (t: torch.Tensor, n: number): torch.Tensor => t.narrow(1, 0, n)

describe('torch sorting', () => {
  it('sort and argsort: values, int64 indices, stable ties, NaN, descending', () => {
    const x = torch.tensor(X, { dtype: torch.float64 })
    const s = torch.sort(x, 1, { stable: true })
    close(s.values.tolist(), R('t_sort_dim1', 'values'))
    expect(s.indices.tolist()).toEqual(R('t_sort_dim1', 'indices'))
    expect(s.indices.dtype).toBe(torch.int64)
    const [v, i] = x.sort({ dim: 1, descending: true, stable: true })
    close(v.tolist(), R('t_sort_dim1_desc', 'values'))
    expect(i.tolist()).toEqual(R('t_sort_dim1_desc', 'indices'))
    const ties = torch.tensor([2, 1, 2, 1, 3, 2], { dtype: torch.float64 })
    expect(torch.argsort(ties, { descending: true, stable: true }).tolist()).toEqual(R('t_argsort_ties_desc'))
    close(
      torch
        .msort(
          torch.tensor([
            [3, 1],
            [1, 2],
            [2, 0],
          ]),
        )
        .tolist(),
      R('t_msort'),
    )
  })

  it('sort and topk gradients flow back through the indices (SortBackward0, TopkBackward0)', () => {
    const data = [
      [3, -1, 4, 2, 0.5, 6, 2.5],
      [1, 8, -5, 3, 7, 1.5, -2],
    ]
    const t = torch.tensor(data, { dtype: torch.float64, requires_grad: true })
    const s = torch.sort(t, { dim: 1, descending: true })
    s.values.mul(G).sum().backward()
    close(s.values.tolist(), R('t_sort_grad', 'values'))
    close(t.grad?.tolist(), R('t_sort_grad', 'grad'))
    expect(s.values.grad_fn?.name()).toBe(R('t_sort_grad', 'node'))
    expect(s.indices.requires_grad).toBe(false)
    const u = torch.tensor(data, { dtype: torch.float64, requires_grad: true })
    const k = torch.topk(u, 3, 1)
    k.values.mul(slice(G, 3)).sum().backward()
    close(k.values.tolist(), R('t_topk', 'values'))
    expect(k.indices.tolist()).toEqual(R('t_topk', 'indices'))
    close(u.grad?.tolist(), R('t_topk', 'grad'))
    expect(k.values.grad_fn?.name()).toBe(R('t_topk', 'node'))
    const small = u.topk(2, { dim: 0, largest: false })
    close(small.values.tolist(), R('t_topk_smallest_dim0', 'values'))
    expect(small.indices.tolist()).toEqual(R('t_topk_smallest_dim0', 'indices'))
  })

  it('cumprod (zeros), cummax/cummin (latest index on ties, NaN), logcumsumexp: values, grads, nodes', () => {
    const cp = torch.tensor(
      [
        [2, 0, 3, 0, 1.5],
        [1, -2, 0.5, 4, 0],
      ],
      { dtype: torch.float64, requires_grad: true },
    )
    const y = torch.cumprod(cp, 1)
    y.mul(slice(G, 5)).sum().backward()
    close(y.tolist(), R('t_cumprod', 'values'))
    close(cp.grad?.tolist(), R('t_cumprod', 'grad'))
    expect(y.grad_fn?.name()).toBe(R('t_cumprod', 'node'))
    for (const name of ['cummax', 'cummin'] as const) {
      const cm = torch.tensor(
        [
          [1, 3, 3, 2, 5, 5],
          [4, 2, 4, 1, 0, 1],
        ],
        { dtype: torch.float64, requires_grad: true },
      )
      const r = cm[name](1)
      r.values.mul(slice(G, 6)).sum().backward()
      close(r.values.tolist(), R(`t_${name}`, 'values'))
      expect(r.indices.tolist()).toEqual(R(`t_${name}`, 'indices'))
      close(cm.grad?.tolist(), R(`t_${name}`, 'grad'))
      expect(r.values.grad_fn?.name()).toBe(R(`t_${name}`, 'node'))
    }
    const nan = torch.cummax(torch.tensor([1, NaN, 3, NaN, 0], { dtype: torch.float64 }), 0)
    close(nan.values.tolist(), R('t_cummax_nan', 'values'))
    expect(nan.indices.tolist()).toEqual(R('t_cummax_nan', 'indices'))
    const ls = torch.tensor(
      [
        [0, 1000, -3, 2],
        [-1, -2, 5, 5],
      ],
      { dtype: torch.float64, requires_grad: true },
    )
    const z = torch.logcumsumexp(ls, 1)
    z.mul(slice(G, 4)).sum().backward()
    close(z.tolist(), R('t_logcumsumexp', 'values'))
    close(ls.grad?.tolist(), R('t_logcumsumexp', 'grad'))
    expect(z.grad_fn?.name()).toBe(R('t_logcumsumexp', 'node'))
  })

  it('searchsorted (batched, right) and diff', () => {
    const bs = torch.tensor([
      [1, 3, 5, 7],
      [2, 4, 6, 8],
    ])
    const q = torch.tensor([
      [3, 6, 9],
      [1, 4, 8],
    ])
    expect(torch.searchsorted(bs, q).tolist()).toEqual(R('t_searchsorted'))
    expect(torch.searchsorted(bs, q, { side: 'right' }).tolist()).toEqual(R('t_searchsorted_right'))
    const d = torch.diff(
      torch.tensor(
        [
          [1, 4, 9],
          [2, 0, 1],
        ],
        { dtype: torch.float64 },
      ),
      {
        dim: 1,
        prepend: torch.tensor([[0], [0]], { dtype: torch.float64 }),
      },
    )
    close(d.tolist(), R('t_diff'))
  })

  it('unique and unique_consecutive: values, inverse, counts', () => {
    const [v, inv, cnt] = torch.unique(torch.tensor([3, 1, 3, 2, 1], { dtype: torch.float64 }), {
      return_inverse: true,
      return_counts: true,
    }) as [torch.Tensor, torch.Tensor, torch.Tensor]
    close(v.tolist(), R('t_unique', 'values'))
    expect(inv.tolist()).toEqual(R('t_unique', 'inverse'))
    expect(cnt.tolist()).toEqual(R('t_unique', 'counts'))
    expect(inv.dtype).toBe(torch.int64)
    const t = torch.tensor([1, 1, 2, 2, 3, 1, 1], { dtype: torch.float64 })
    const [cv, cinv, ccnt] = t.unique_consecutive({ return_inverse: true, return_counts: true }) as [
      torch.Tensor,
      torch.Tensor,
      torch.Tensor,
    ]
    close(cv.tolist(), R('t_unique_consecutive', 'values'))
    expect(cinv.tolist()).toEqual(R('t_unique_consecutive', 'inverse'))
    expect(ccnt.tolist()).toEqual(R('t_unique_consecutive', 'counts'))
    close((torch.unique(torch.tensor([2, 1, 2])) as torch.Tensor).tolist(), [1, 2])
  })

  it('bad inputs raise PyTorch texts', () => {
    const errs = R('errors') as Record<string, string>
    expect(() => torch.topk(torch.zeros(3), 4)).toThrow(errs['topk_k'])
    expect(() => torch.sort(torch.zeros(3), 2)).toThrow(errs['sort_dim'])
    expect(() => torch.searchsorted(torch.zeros(3), torch.zeros(2), { side: 'left', right: true })).toThrow(
      /side and right can't be set to opposites/,
    )
  })
})

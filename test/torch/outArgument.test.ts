import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

type Case = {
  ok: boolean
  value?: unknown
  shape?: number[]
  dtype?: string
  warnings?: string[]
  error?: [string, string]
}
/** PyTorch 1.13's out= behaviour and the names that take it, from test/torch/fixtures/out_names.py. */
const ref = JSON.parse(readFileSync(new URL('./fixtures/out_names.json', import.meta.url), 'utf8')) as {
  names: string[]
  cases: Record<string, Case>
}
const T = torch as unknown as Record<string, (...a: unknown[]) => unknown>
const a = torch.tensor([1, 2, 3])
const b = torch.tensor([[1], [2]])

const run = (f: () => unknown): Case => {
  try {
    const [r, ws] = torch.warnings.catch_warnings(f)
    const t = (Array.isArray(r) ? r[1] : r) as torch.Tensor
    return {
      ok: true,
      value: t.tolist(),
      shape: [...t.shape],
      dtype: String(t.dtype),
      warnings: ws.map((w) => w.message),
    }
  } catch (e) {
    return { ok: false, error: [(e as Error).name, (e as Error).message] }
  }
}
const cases: Record<string, () => unknown> = {
  add_resize: () => T.add?.(a, b, { out: torch.zeros(3) }),
  add_empty: () => T.add?.(a, b, { out: torch.empty(0) }),
  add_same_object: () => {
    const o = torch.zeros(3)
    const r = T.add?.(a, a, { out: o })
    expect(r).toBe(o)
    return o
  },
  add_cast_error: () => T.add?.(a, a, { out: torch.zeros(3, { dtype: torch.long }) }),
  add_to_double: () => T.add?.(a, a, { out: torch.zeros(3, { dtype: torch.float64 }) }),
  add_requires_grad: () => T.add?.(a.clone().requires_grad_(), a, { out: torch.zeros(3) }),
  exp: () => T.exp?.(a, { out: torch.zeros(3) }),
  matmul: () => T.matmul?.(b, a.index(null, '0:2'), { out: torch.zeros(2, 2) }),
  cat: () => T.cat?.([a, a], { out: torch.zeros(6) }),
  sum_dim: () => T.sum?.(b, 0, { out: torch.zeros(1) }),
  rsub_no_out: () => T.rsub?.(a, a, { out: torch.zeros(3) }),
}

describe('torch.* out= (reference: PyTorch 1.13)', () => {
  for (const [name, f] of Object.entries(cases))
    it(name, () => {
      const want = ref.cases[name] as Case
      const got = run(f)
      if (name === 'rsub_no_out') {
        // rsub never takes out=: refused with a TypeError (PyTorch's text is its overload list)
        expect(got.ok).toBe(false)
        expect(got.error?.[0]).toBe('TypeError')
        expect(got.error?.[1]).toMatch(/got an unexpected keyword argument 'out'/)
        return
      }
      expect(got.ok).toBe(want.ok)
      if (!want.ok) return expect(got.error).toEqual(want.error)
      expect(got.value).toEqual(want.value)
      expect(got.shape).toEqual(want.shape)
      expect(got.dtype).toBe(want.dtype)
      // PyTorch's C++ warning ends with the source location, which the facade has not
      expect(got.warnings).toEqual(want.warnings?.map((w) => w.replace(/ \(Triggered internally at .*\)$/, '')))
    })

  it('no function with an out parameter ignores it (each either writes and returns out, or raises)', () => {
    const ignored: string[] = []
    for (const n of ref.names) {
      const f = T[n]
      if (typeof f !== 'function') continue
      for (const args of [
        [torch.rand(3, 3)],
        [torch.rand(3, 3), torch.rand(3, 3)],
        [[torch.rand(3), torch.rand(3)]],
        [3],
      ]) {
        const o = torch.full([2], Number.NaN)
        let r: unknown
        try {
          torch.warnings.catch_warnings(() => (r = f(...args, { out: o })))
        } catch {
          continue
        }
        if (r !== o && !Array.isArray(r)) ignored.push(n)
        break
      }
    }
    expect(ignored).toEqual([])
  })

  it('factories fill out in its own dtype; tuple results fill each out tensor', () => {
    const o = torch.zeros(2, { dtype: torch.long })
    expect(T.ones?.(3, { out: o })).toBe(o)
    expect([o.tolist(), o.dtype]).toEqual([[1, 1, 1], torch.long])
    const [v, i] = [torch.empty(0), torch.empty(0, { dtype: torch.long })]
    const r = T.max?.(
      torch.tensor([
        [1, 5],
        [7, 2],
      ]),
      1,
      { out: [v, i] },
    ) as torch.Tensor[]
    expect(r[0]).toBe(v)
    expect([v.tolist(), i.tolist()]).toEqual([
      [5, 7],
      [1, 0],
    ])
  })
})

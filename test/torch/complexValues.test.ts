/**
 * Complex values against real PyTorch 1.13 (test/torch/fixtures/complexValues.py →
 * complexValues.json): item()/tolist() as `torch.Complex` (parts and Python's repr), the complex
 * randn/rand/randn_like/normal_ streams after manual_seed, sgn and abs of complex tensors
 * (values, nodes, gradients, including z = 0).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

type Num = number | string
type Nested = Num | Nested[]
type Cx = [Num, Num, string]
const fx = JSON.parse(readFileSync(new URL('./fixtures/complexValues.json', import.meta.url), 'utf8')) as {
  readonly values: Record<string, { parts: Num[][]; tolist: Cx[]; item0: Cx; nested: Cx[][]; scalar_tolist: Cx }>
  readonly samples: Array<Record<string, Nested> & { dtype: string; n: number }>
  readonly fns: Array<{
    fn: string
    dtype: string
    z: number[][]
    out: Nested
    grad: Nested
    grad_fn: string
    out_dtype: string
  }>
  readonly sgn_real: number[]
}

const num = (x: Num): number => (typeof x === 'number' ? x : x === 'nan' ? NaN : x === 'inf' ? Infinity : -Infinity)
const dtypeOf = (name: string): torch.dtype =>
  name.endsWith('complex128') || name.endsWith('float64') ? torch.float64 : torch.float32
const cdtype = (name: string): torch.dtype => (name === 'complex128' ? torch.complex128 : torch.complex64)
const flat = (x: Nested): number[] => (Array.isArray(x) ? x.flatMap(flat) : [num(x)])

/** Exact equality of numbers (NaN equal to NaN, −0 distinct from +0). */
const same = (got: number[], want: number[]): void => {
  expect(got.length).toBe(want.length)
  got.forEach((g, i) => expect(Object.is(g, want[i]), `${i}: ${g} vs ${want[i]}`).toBe(true))
}
const close = (got: number[], want: number[], tol: number): void => {
  expect(got.length).toBe(want.length)
  got.forEach((g, i) => {
    const w = want[i] as number
    if (Number.isNaN(w)) expect(g).toBeNaN()
    else expect(Math.abs(g - w), `${i}: ${g} vs ${w}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w)))
  })
}
const realOf = (t: torch.Tensor): number[] => flat((t.is_complex() ? torch.view_as_real(t) : t).tolist() as Nested)
const checkCx = (c: unknown, [re, im, repr]: Cx): void => {
  expect(c).toBeInstanceOf(torch.Complex)
  const z = c as torch.Complex
  same([z.re, z.im], [num(re), num(im)])
  expect(String(z)).toBe(repr)
}

const cx = (re: number, im: number): torch.Tensor => torch.complex(torch.tensor(re), torch.tensor(im))

describe('complex item() and tolist()', () => {
  for (const [dt, v] of Object.entries(fx.values)) {
    const z = torch
      .view_as_complex(
        torch.tensor(
          v.parts.map((p) => p.map(num)),
          { dtype: torch.float64 },
        ),
      )
      .to(cdtype(dt))
    it(`${dt}: tolist gives torch.Complex values with Python's repr`, () => {
      const list = z.tolist() as unknown[]
      list.forEach((c, i) => checkCx(c, v.tolist[i] as Cx))
    })
    it(`${dt}: item of one element, nested tolist, tolist of a 0-d tensor`, () => {
      checkCx(z.get(0).item(), v.item0)
      checkCx(z.get(5).tolist(), v.scalar_tolist)
      const nested = z.index(torch.slice(0, 4)).reshape(2, 2).tolist() as unknown[][]
      nested.forEach((row, i) => row.forEach((c, j) => checkCx(c, (v.nested[i] as Cx[])[j] as Cx)))
      expect(() => z.item()).toThrow('a Tensor with 10 elements cannot be converted to Scalar')
    })
  }
})

it('torch.complex of 0-d parts (broadcast_tensors of 0-d tensors expands to no dims)', () => {
  expect(String(cx(5, -6).item())).toBe('(5-6j)')
  expect([...(torch.broadcast_tensors(torch.tensor(1), torch.tensor(2))[0] as torch.Tensor).shape]).toEqual([])
})

describe('complex random streams', () => {
  for (const s of fx.samples) {
    it(`${s.dtype} n=${s.n}: randn, rand, randn_like, normal_, randn(2, 3) after manual_seed(7)`, () => {
      const dtype = cdtype(s.dtype)
      torch.manual_seed(7)
      const a = torch.randn(s.n, { dtype })
      const b = torch.rand(s.n, { dtype })
      const c = torch.randn_like(a)
      const d = torch.empty(s.n, { dtype }).normal_(0.5, 2.0)
      const e = torch.randn([2, 3], { dtype })
      expect(a.dtype).toBe(dtype)
      expect(c.dtype).toBe(dtype)
      expect(e.shape).toEqual([2, 3])
      for (const [t, k] of [
        [a, 'randn'],
        [b, 'rand'],
        [c, 'randn_like'],
        [d, 'normal_'],
        [e, 'randn23'],
      ] as const)
        // complex64 exactly; complex128 within 1 ulp: the real float64 kernel's Math.log/cos/sin
        // are not the C library's (the same holds for real float64 randn of 16 or more values)
        if (s.dtype === 'complex64') same(realOf(t), flat(s[k] as Nested))
        else close(realOf(t), flat(s[k] as Nested), 5e-16)
    })
  }
  it('normal_ of a complex tensor refuses a negative std', () => {
    expect(() => torch.zeros(2, { dtype: torch.complex64 }).normal_(0, -1)).toThrow(
      'normal expects std >= 0.0, but found std -1',
    )
  })
})

describe('sgn and abs of complex tensors', () => {
  for (const c of fx.fns) {
    it(`${c.fn} ${c.dtype}: values, node, gradient (0 at z = 0)`, () => {
      const dt = dtypeOf(c.dtype)
      // float32: PyTorch's complex division underflows |z|² for z = 1e-30·(1−i) (NaN); left out
      const rows = dt === torch.float32 ? [0, 1, 2, 3, 5] : [0, 1, 2, 3, 4, 5]
      const keep = (x: Nested): Nested => (Array.isArray(x) ? rows.map((r) => x[r] as Nested) : x)
      const z = torch
        .view_as_complex(
          torch.tensor(
            rows.map((r) => c.z[r] as number[]),
            { dtype: dt },
          ),
        )
        .requires_grad_()
      const y = (c.fn === 'sgn' ? torch.sgn(z) : torch.abs(z)) as torch.Tensor
      expect(String(y.dtype)).toBe(c.out_dtype)
      expect(y.grad_fn?.name()).toBe(c.grad_fn)
      const w = torch.tensor(
        Array.from({ length: 12 }, (_, i) => Math.cos(0.7 * i)),
        { dtype: torch.float64 },
      )
      const wr =
        c.fn === 'sgn'
          ? w.reshape(6, 2).index(torch.tensor(rows, { dtype: torch.int64 }))
          : w.index(torch.slice(0, 6)).index(torch.tensor(rows, { dtype: torch.int64 }))
      const yr = c.fn === 'sgn' ? torch.view_as_real(y) : y
      yr.mul(wr.to(dt)).sum().backward()
      const tol = dt === torch.float32 ? 1e-6 : 1e-15
      close(realOf(y), flat(keep(c.out)), tol)
      close(realOf(z.grad as torch.Tensor), flat(keep(c.grad)), tol)
    })
  }
  it('sgn of a real tensor is its sign', () => {
    expect(torch.sgn(torch.tensor([-2, 0, 3])).tolist()).toEqual(fx.sgn_real)
  })
})

describe('conj() as a lazy conjugate view', () => {
  const c = (fx as unknown as { conj: Record<string, unknown> }).conj as {
    is_conj: boolean[]
    after_write_z: number[][]
    after_write_c: number[][]
    names: Record<string, string | boolean>
    repr: string
    view_as_real_error: string
  }
  const make = (dtype: torch.dtype): torch.Tensor =>
    torch.view_as_complex(
      torch.tensor(
        [
          [1, 2],
          [3, -4],
        ],
        { dtype },
      ),
    )
  it("is_conj as PyTorch's (view, resolved, conj_physical, conj of the view)", () => {
    const z = make(torch.float32)
    const v = z.conj()
    expect([
      z.is_conj(),
      v.is_conj(),
      v.resolve_conj().is_conj(),
      z.conj_physical().is_conj(),
      v.conj().is_conj(),
    ]).toEqual(c.is_conj)
    expect(torch.is_conj(v)).toBe(true)
    expect(torch.tensor([1]).conj().is_conj()).toBe(c.names['conj_of_real'])
  })
  it('shares storage both ways: a write through the view reaches the base conjugated, and back', () => {
    const z = make(torch.float32)
    const v = z.conj()
    v.set(0, cx(5, 6))
    expect(torch.view_as_real(z).tolist()).toEqual(c.after_write_z)
    expect(torch.view_as_real(v.resolve_conj()).tolist()).toEqual(c.after_write_c)
    z.set(1, cx(7, 8))
    expect(String(v.get(1).item())).toBe('(7-8j)')
    const r = v.resolve_conj()
    z.set(1, cx(0, 0))
    expect(String(r.get(1).item())).toBe('(7-8j)')
    const p = z.conj_physical()
    z.set(0, cx(1, 1))
    expect(String(p.get(0).item())).toBe('(5+6j)')
    // conj of the view is a view of the base again
    const w = v.conj()
    z.set(0, cx(2, 3))
    expect(String(w.get(0).item())).toBe('(2+3j)')
  })
  it('node names, repr and the view_as_real refusal as PyTorch', () => {
    const z = make(torch.float64).requires_grad_()
    expect(z.conj().grad_fn?.name()).toBe(c.names['conj'])
    expect(z.conj_physical().grad_fn?.name()).toBe(c.names['conj_physical'])
    expect(z.conj().resolve_conj().grad_fn?.name()).toBe(c.names['resolve_conj'])
    expect(String(z.conj())).toBe(c.repr)
    expect(() => torch.view_as_real(z.conj())).toThrow(c.view_as_real_error)
  })
  it('gradients through the view and through resolve_conj are conjugated', () => {
    const z = make(torch.float64).requires_grad_()
    const w = torch.view_as_complex(
      torch.tensor(
        [
          [0.5, -1],
          [2, 0.25],
        ],
        { dtype: torch.float64 },
      ),
    )
    torch.view_as_real(z.conj().resolve_conj().mul(w)).sum().backward()
    const g1 = torch.view_as_real(z.grad as torch.Tensor).tolist()
    // d/dz of Re+Im of conj(z)·w: computed by hand from w = a + ib, conj(z) = x − iy:
    // Re = ax + by, Im = bx − ay → ∂/∂x = a + b, ∂/∂y = b − a
    expect(g1).toEqual([
      [-0.5, -1.5],
      [2.25, -1.75],
    ])
  })
})

describe('optimizer state of a complex parameter', () => {
  const cases = (
    fx as unknown as {
      optim: Array<{
        name: string
        kw: Record<string, unknown>
        state: Record<string, { dtype: string; shape: number[]; value: Nested }>
      }>
    }
  ).optim
  type Opt = torch.optim.Optimizer
  const make = (name: string, p: torch.Tensor, kw: Record<string, unknown>): Opt =>
    new (torch.optim as unknown as Record<string, new (params: torch.Tensor[], kw: Record<string, unknown>) => Opt>)[
      name
    ]!([p], kw)
  const param = (): torch.nn.Parameter =>
    new torch.nn.Parameter(torch.complex(torch.tensor([1, -0.5]), torch.tensor([2, 0.25])))
  const stepOn = (o: Opt, p: torch.Tensor): void => {
    o.zero_grad()
    ;(torch.abs(p) as torch.Tensor).pow(2).sum().backward()
    o.step()
  }
  const stateOf = (o: Opt): Record<string, unknown> => {
    const st = (o.state_dict() as unknown as { state: Record<number, Record<string, unknown>> }).state
    return st[0] as Record<string, unknown>
  }
  for (const c of cases) {
    it(`${c.name}: state_dict() holds complex tensors of the parameter's shape (PyTorch's), load_state_dict round trips`, () => {
      const p = param()
      const o = make(c.name, p, c.kw)
      stepOn(o, p)
      const st = stateOf(o)
      for (const [k, want] of Object.entries(c.state)) {
        const t = st[k] as torch.Tensor
        expect(String(t.dtype), k).toBe(want.dtype)
        expect([...t.shape], k).toEqual(want.shape)
        close(realOf(t), flat(want.value), 2e-6)
      }
      // a copy of the parameter and the loaded state continue exactly as the original
      const q = new torch.nn.Parameter(p.detach().clone())
      const o2 = make(c.name, q, c.kw)
      o2.load_state_dict(o.state_dict())
      stepOn(o, p)
      stepOn(o2, q)
      same(realOf(q.detach()), realOf(p.detach()))
      for (const k of Object.keys(c.state)) {
        const [a, b] = [stateOf(o)[k] as torch.Tensor, stateOf(o2)[k] as torch.Tensor]
        expect(String(b.dtype)).toBe(String(a.dtype))
        same(realOf(b), realOf(a))
      }
    })
  }
})

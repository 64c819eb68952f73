/**
 * The facade's numeric backward of one-element direct ops (src/torch/autograd/scalarGrads.ts,
 * issue 18 W3): a leaf's `.grad` through scalar chains has the bits the core's per-rule sweep gives
 * (its lean numeric path off), special values included, for float32 and float64; gradients the
 * array rule passes on (add's) keep their identity and `.grad` versions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import * as lax from '../../src/core/lax'
import { setScalarSweep } from '../../src/core/scalarSweep'
import { vjp } from '../../src/index'
import type { NdArray } from '../../src/ndarray/NdArray'

type T = torch.Tensor
type A = NdArray

/** Each op as a facade method and as the core's primitive. */
const UNARY: ReadonlyArray<[string, (x: T) => T, (x: A) => A]> = [
  ['exp', (x) => x.exp(), lax.exp],
  ['sin', (x) => x.sin(), lax.sin],
  ['cos', (x) => x.cos(), lax.cos],
  ['tanh', (x) => x.tanh(), lax.tanh],
  ['log', (x) => x.log(), lax.log],
  ['sqrt', (x) => x.sqrt(), lax.sqrt],
  ['neg', (x) => x.neg(), lax.neg],
  ['expm1', (x) => x.expm1(), lax.expm1],
  ['log1p', (x) => x.log1p(), lax.log1p],
  ['reciprocal', (x) => x.reciprocal(), lax.reciprocal],
]
const BINARY: ReadonlyArray<[string, (x: T, y: T) => T, (x: A, y: A) => A]> = [
  ['mul', (x, y) => x.mul(y), lax.mul],
  ['div', (x, y) => x.div(y), lax.div],
  ['add', (x, y) => x.add(y), lax.add],
  ['sub', (x, y) => x.sub(y), lax.sub],
  ['atan2', (x, y) => torch.atan2(x, y), lax.atan2],
]
const VALUES = [0.3, -1.7, 2.5, 0, -0, 1e-30, 88.5, -104, Infinity, NaN]
const Y = -0.6180339887
const BAR = -0.75

let lean = true
beforeAll(() => {
  lean = setScalarSweep(false)
})
afterAll(() => {
  setScalarSweep(lean)
})

/** The bits of a one-element result (NaN: any NaN). */
const num = (v: A): number => v._data[0] as number
const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))

describe('facade backward of one-element direct ops on numbers', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const tdt = dtype === 'float32' ? torch.float32 : torch.float64
    it(`unary ops: u(x) + x·c, x fanned out (${dtype})`, () => {
      const bad: string[] = []
      for (const [name, ft, fc] of UNARY)
        for (const v of VALUES) {
          const x = torch.tensor(v, { dtype: tdt, requires_grad: true })
          ft(x)
            .add(x.mul(Y))
            .backward(torch.tensor(BAR, { dtype: tdt }))
          const ref = vjp((a: A) => lax.add(fc(a), lax.mul(a, lax.scalar(Y, dtype))), lax.scalar(v, dtype))[1](
            lax.scalar(BAR, dtype),
          )[0] as A
          const got = (x.grad as T).item()
          if (!same(got, num(ref))) bad.push(`${name}(${v}): ${got} vs ${num(ref)}`)
        }
      expect(bad).toEqual([])
    })
    it(`binary ops, both operands needing a gradient (${dtype})`, () => {
      const bad: string[] = []
      for (const [name, ft, fc] of BINARY)
        for (const v of VALUES) {
          const x = torch.tensor(v, { dtype: tdt, requires_grad: true })
          const y = torch.tensor(Y, { dtype: tdt, requires_grad: true })
          ft(x.exp(), y).backward(torch.tensor(BAR, { dtype: tdt }))
          const cts = vjp((a: A, b: A) => fc(lax.exp(a), b), lax.scalar(v, dtype), lax.scalar(Y, dtype))[1](
            lax.scalar(BAR, dtype),
          ) as A[]
          const gx = (x.grad as T).item()
          const gy = (y.grad as T).item()
          if (!same(gx, num(cts[0] as A)) || !same(gy, num(cts[1] as A)))
            bad.push(`${name}(${v}): ${gx}, ${gy} vs ${num(cts[0] as A)}, ${num(cts[1] as A)}`)
        }
      expect(bad).toEqual([])
    })
  }

  it('a 100-op chain gives the core sweep’s gradient', () => {
    const x = torch.tensor(0.3, { requires_grad: true })
    let t: T = x
    for (let s = 0; s < 25; s++) t = t.mul(0.99).add(t.mul(-0.5).exp())
    t.backward()
    const f = (a: A): A => {
      let u = a
      for (let s = 0; s < 25; s++)
        u = lax.add(lax.mul(u, lax.scalar(0.99, 'float32')), lax.exp(lax.mul(u, lax.scalar(-0.5, 'float32'))))
      return u
    }
    const ref = vjp(f, lax.scalar(0.3, 'float32'))[1](lax.scalar(1, 'float32'))[0] as A
    expect(Object.is((x.grad as T).item(), num(ref))).toBe(true)
  })

  it('a gradient a rule passes on stays the incoming tensor (versions as PyTorch 1.13 gives them)', () => {
    // PyTorch: the root gradient passed on by add to two leaves is copied into each (.grad version 1
    // after copy_); a product's fresh gradient is stolen (version 0); x·1's too
    const a = torch.tensor(0.5, { requires_grad: true })
    const b = torch.tensor(2, { requires_grad: true })
    a.add(b).backward()
    expect([(a.grad as T)._version, (b.grad as T)._version]).toEqual([1, 1])
    const c = torch.tensor(0.5, { requires_grad: true })
    c.mul(3).backward()
    expect([(c.grad as T).item(), (c.grad as T)._version]).toEqual([3, 0])
    const d = torch.tensor(0.5, { requires_grad: true })
    d.mul(1).backward()
    expect([(d.grad as T).item(), (d.grad as T)._version]).toEqual([1, 0])
  })

  it('an add that receives a number passes it on only to nodes that consume it (values, versions: PyTorch 1.13)', () => {
    // (script: the same three programs in PyTorch 1.13, printing (grad.item(), grad._version))
    const leaves = (): T[] => [0.5, 0.25, -1.5].map((v) => torch.tensor(v, { requires_grad: true }))
    const got = (ts: T[]): Array<[number, number]> => ts.map((t) => [(t.grad as T).item(), (t.grad as T)._version])
    // sub passes the tensor on to both leaves: the first copies it (version 1), the second steals it
    const [a, b, c] = leaves() as [T, T, T]
    const d = torch.tensor(2, { requires_grad: true })
    a.sub(b).add(c.sub(d)).mul(3).backward()
    expect(got([a, b, c, d])).toEqual([
      [3, 0],
      [-3, 0],
      [3, 1],
      [-3, 0],
    ])
    // mul and exp consume it: every gradient fresh
    const [e, f, g] = leaves() as [T, T, T]
    e.mul(f).add(g.exp()).mul(3).backward()
    expect(got([e, f, g])).toEqual([
      [0.75, 0],
      [1.5, 0],
      [0.6693904995918274, 0],
    ])
    const [h, k] = leaves() as [T, T]
    const u = h.mul(2)
    u.mul(k).add(u.exp()).mul(3).backward()
    expect(got([h, k])).toEqual([
      [17.809690475463867, 0],
      [3, 0],
    ])
  })

  it('hooks on a scalar chain see the numeric gradients', () => {
    const x = torch.tensor(0.25, { requires_grad: true })
    const u = x.exp()
    const seen: number[] = []
    u.register_hook((g: T) => {
      seen.push(g.item())
    })
    u.mul(-2).backward()
    expect(seen).toEqual([-2])
    expect((x.grad as T).item()).toBe(Math.fround(-2 * Math.fround(Math.exp(0.25))))
  })

  it('a node hooked during the pass after a number reached its buffer: the hook sees the summed gradient', () => {
    // u's gradient arrives from b's exp branch (a number, u then un-hooked) and from a's; a's hook
    // (run between the two) registers a hook on u; the reference registers it before backward
    const run = (late: boolean): [number[], number] => {
      const x = torch.tensor(0.4, { requires_grad: true })
      const u = x.mul(3)
      const a = u.mul(2)
      const c = u.exp().mul(5)
      const seen: number[] = []
      const onU = (g: T): void => {
        seen.push(g.item())
      }
      if (late)
        a.register_hook(() => {
          u.register_hook(onU)
        })
      else u.register_hook(onU)
      a.add(c).backward()
      return [seen, (x.grad as T).item()]
    }
    const ref = run(false)
    expect(ref[0]).toHaveLength(1)
    expect(run(true)).toEqual(ref)
  })

  it('a saved input changed in place is refused by the numeric step (PyTorch 1.13 message)', () => {
    const x = torch.tensor(0.4, { requires_grad: true })
    const u = x.mul(2)
    const v = u.mul(u).mul(3)
    u.add_(1)
    expect(() => v.backward()).toThrow(
      'one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor []], which is output 0 of AddBackward0, is at version 1; expected version 0 instead.',
    )
  })

  it('a fan-out node sums numeric gradients with the add kernel’s rounding (float32)', () => {
    const x = torch.tensor(0.7, { requires_grad: true })
    const u = x.mul(1.3)
    u.mul(0.1).add(u.exp().mul(0.2)).add(u.sin().mul(0.3)).backward()
    const f = (a: A): A => {
      const w = lax.mul(a, lax.scalar(1.3, 'float32'))
      const s = (v: number): A => lax.scalar(v, 'float32')
      return lax.add(lax.add(lax.mul(w, s(0.1)), lax.mul(lax.exp(w), s(0.2))), lax.mul(lax.sin(w), s(0.3)))
    }
    const ref = vjp(f, lax.scalar(0.7, 'float32'))[1](lax.scalar(1, 'float32'))[0] as A
    expect(Object.is((x.grad as T).item(), num(ref))).toBe(true)
  })

  it('nodes that save the same Python number free their saved values each on its own (retain_graph, second backward)', () => {
    const x = torch.tensor(0.4, { requires_grad: true })
    const a = x.mul(0.99)
    const b = x.mul(0.99)
    a.backward({ retain_graph: true })
    a.backward()
    expect(() => a.backward()).toThrow('Trying to backward through the graph a second time')
    // b's node saved the same constant: a's release leaves it able to run
    b.backward()
    const g = Math.fround(0.99)
    expect((x.grad as T).item()).toBe(Math.fround(Math.fround(g + g) + g))
    expect(() => b.backward()).toThrow('Trying to backward through the graph a second time')
  })
})

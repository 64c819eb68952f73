/**
 * relu computed directly (src/torch/methods/selecting.ts `reluValue`, `reluGrad`) against the
 * rule it replaces: the nested selection `reluFn` and its VJP, traced by the core (`vjp`). Values
 * and gradients bit for bit (signed zeros, ±inf, NaN, denormals) in float32 and float64, through
 * `relu()` / `F.relu` with `backward()`, at a size the WebAssembly kernels take and a small one.
 */
import { describe, expect, it } from 'vitest'
import { array } from '../../src/ndarray/create'
import type { NdArray } from '../../src/ndarray/NdArray'
import { vjp } from '../../src/transforms/vjp'
import { reluFn, reluGrad, reluValue } from '../../src/torch/methods/selecting'
import * as torch from '../../src/torch/index'

const SPECIAL = [0, -0, Infinity, -Infinity, NaN, 1e-40, -1e-40, 1e-310, -1e-310, 3, -3, 0.5, -0.5]

/** `n` values over [-4, 4) from a seeded generator, the special ones first. */
const values = (n: number, seed: number): number[] => {
  let s = seed >>> 0
  return Array.from({ length: n }, (_, i) => {
    if (i < SPECIAL.length) return SPECIAL[i] as number
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return -4 + (8 * s) / 2 ** 32
  })
}

/** Bits of each element (NaN as one pattern, −0 apart from +0). */
const bits = (a: ArrayLike<number>): string[] =>
  Array.from(a, (v) => (Number.isNaN(v) ? 'nan' : Object.is(v, -0) ? '-0' : String(v)))

describe('relu without a trace of its rule', () => {
  for (const dtype of ['float32', 'float64'] as const)
    for (const n of [SPECIAL.length, 5000]) {
      it(`${dtype}, ${n} elements: value and gradient are reluFn's`, () => {
        const xs = values(n, 7 + n)
        const gs = values(n, 11 + n).map((v, i) => (i % 5 === 0 ? -v : v))
        const x = array(xs, { dtype })
        const g = array(gs, { dtype })
        const [yRef, pull] = vjp((v: NdArray) => reluFn(v), x)
        const [gRef] = pull(g)
        expect(bits(reluValue(x).toTypedArray())).toEqual(bits(yRef.toTypedArray()))
        expect(bits(reluGrad(g, x).toTypedArray())).toEqual(bits((gRef as NdArray).toTypedArray()))
        // through the facade: relu()'s value, and the leaf's gradient of Σ relu(x)·w
        const dt = dtype === 'float32' ? torch.float32 : torch.float64
        const t = torch.tensor(xs, { dtype: dt, requires_grad: true })
        const w = torch.tensor(gs, { dtype: dt })
        const y = torch.nn.functional.relu(t)
        expect(bits(y.detach().numpy().toTypedArray())).toEqual(bits(yRef.toTypedArray()))
        y.mul(w).sum().backward()
        expect(bits((t.grad as torch.Tensor).numpy().toTypedArray())).toEqual(bits((gRef as NdArray).toTypedArray()))
        expect(y.grad_fn?.name()).toBe('ReluBackward0')
      })
    }
})

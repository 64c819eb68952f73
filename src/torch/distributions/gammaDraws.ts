/**
 * Gamma and Dirichlet draws of `torch.distributions`, reparameterised as PyTorch does: the draw
 * is a constant of the concentrations, and backward multiplies by PyTorch's approximate pathwise
 * derivative (`_standard_gamma_grad`, `_dirichlet_grad`; Jankowiak and Obermeyer 2018,
 * "Pathwise derivatives beyond the reparameterization trick"), computed with the draw. Like
 * PyTorch's, these backward formulas are not themselves differentiable in the concentrations.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { dirichletGrad } from '../../ndarray/kernels/special/dirichletReparam'
import { standardGammaGrad } from '../../ndarray/kernels/special/gammaReparam'
import { customVjp } from '../../transforms/custom'
import { op } from '../autograd/op'
import { sampleDirichlet, sampleGamma } from '../sampling'
import type { Tensor } from '../tensor'

type T = Tensor

const valuesOf = (a: NdArray): Float64Array => Float64Array.from(a.toTypedArray() as ArrayLike<number>)
const arrayLike = (a: NdArray, v: Float64Array): NdArray =>
  new NdArray([...a.shape], a.dtype, a.dtype === 'float32' ? Float32Array.from(v) : v)

/** A draw `sample` of `alpha`'s shape whose vector-Jacobian product is g · `factor`, elementwise. */
const drawWithFactor = (sample: NdArray, factor: NdArray) =>
  customVjp(
    (_a: NdArray) => sample,
    (_a: NdArray) => [sample, null] as const,
    (_r: unknown, g: NdArray) => [lax.mul(g, lax.cast(factor, g.dtype))],
  )

/**
 * Gamma(α, 1) draws of α's shape (PyTorch's `_standard_gamma`: its CPU sampler on the global
 * stream), node `StandardGammaBackward0`: dx/dα is PyTorch's `_standard_gamma_grad(α, x)`.
 */
export const standardGamma = (alpha: T): T => {
  const a = alpha.detach().contiguous()._value()
  const sample = sampleGamma(null, a)
  const [av, xv] = [valuesOf(a), valuesOf(sample)]
  const round = a.dtype === 'float32' ? Math.fround : (v: number): number => v
  const factor = arrayLike(
    a,
    av.map((al, i) => round(standardGammaGrad(al, xv[i] as number))),
  )
  return op('StandardGammaBackward0', [alpha], (x) => drawWithFactor(sample, factor)(x), {
    savesOutput: true,
    saves: [0],
  })
}

/** Row sums over the last axis in the storage precision (PyTorch's `concentration.sum(-1)`). */
const rowTotals = (v: Float64Array, k: number, f32: boolean): Float64Array => {
  const out = new Float64Array(v.length)
  for (let row = 0; row < v.length; row += k) {
    let s = 0
    for (let j = 0; j < k; j++) s = f32 ? Math.fround(s + (v[row + j] as number)) : s + (v[row + j] as number)
    out.fill(s, row, row + k)
  }
  return out
}

/**
 * Dirichlet draws over the last axis of `concentration` (PyTorch's `_sample_dirichlet`, taken by
 * its `_Dirichlet` autograd function, node `_DirichletBackward` in 1.13 and 2.x alike): for an
 * upstream gradient g, the concentrations get G·(g − Σ x·g) with G = `_dirichlet_grad(x, α, Σα)`.
 */
export const dirichletDraw = (concentration: T): T => {
  const a = concentration.detach().contiguous()._value()
  const x = sampleDirichlet(null, a)
  const f32 = a.dtype === 'float32'
  const k = a.shape[a.shape.length - 1] ?? 1
  const [av, xv] = [valuesOf(a), valuesOf(x)]
  const tot = rowTotals(av, k, f32)
  const factor = arrayLike(
    a,
    av.map((al, i) => dirichletGrad(xv[i] as number, al, tot[i] as number, f32)),
  )
  const last = a.shape.length - 1
  const draw = customVjp(
    (_c: NdArray) => x,
    (_c: NdArray) => [x, null] as const,
    (_r: unknown, g: NdArray) => {
      const xs = lax.cast(x, g.dtype)
      const dot = lax.broadcastTo(
        lax.reshape(lax.reduceSum(lax.mul(xs, g), [last]), [...a.shape.slice(0, -1), 1]),
        a.shape,
      )
      return [lax.mul(lax.cast(factor, g.dtype), lax.sub(g, dot))]
    },
  )
  return op('_DirichletBackward', [concentration], (c) => draw(c), { savesOutput: true, saves: [0] })
}

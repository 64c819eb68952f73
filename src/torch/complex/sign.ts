/**
 * `abs`, `sgn` and `angle` of complex tensors as PyTorch records them (`AbsBackward0`,
 * `SgnBackward0`, `AngleBackward0`),
 * each one op on the (…, 2) values with its own derivative (the real chain rule on (Re, Im)
 * gives a 0/0 at z = 0 that PyTorch defines as 0):
 * - `|z|` (hypot of the parts); gradient `g·sgn(z)`, 0 at z = 0;
 * - `sgn(z) = z/|z|` (0 at z = 0); gradient `(g − Re(g·conj(s))·s)/|z|` with `s = sgn(z)`, 0 at
 *   z = 0 (the derivative of z/|z| by the Wirtinger calculus: Kreutz-Delgado, "The complex
 *   gradient operator and the CR-calculus", arXiv:0906.4835, §4).
 * - `angle(z) = atan2(Im, Re)`; gradient `g·i·z/|z|²` (∂/∂Re + i·∂/∂Im of the argument), 0 at z = 0.
 * Float32 values are computed in float64 and rounded once.
 *
 * @category torch
 * @since 0.7.0
 */
import { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { stack } from '../ops/functions'
import { Tensor } from '../tensor'
import { ComplexTensor } from './tensor'

type Floats = Float32Array | Float64Array

const like = (v: NdArray, n: number): Floats => (v.dtype === 'float32' ? new Float32Array(n) : new Float64Array(n))

/** `|z|` of (…, 2) values. */
const absValues = (v: NdArray): NdArray => {
  const d = v._values('abs')
  const out = like(v, d.length / 2)
  for (let k = 0; k < out.length; k++) out[k] = Math.hypot(d[2 * k] as number, d[2 * k + 1] as number)
  return new NdArray(v.shape.slice(0, -1), v.dtype, out)
}

/** `z/|z|` (0 at 0) of (…, 2) values. */
const sgnValues = (v: NdArray): NdArray => {
  const d = v._values('sgn')
  const out = like(v, d.length)
  for (let k = 0; k < d.length; k += 2) {
    const a = Math.hypot(d[k] as number, d[k + 1] as number)
    out[k] = a === 0 ? 0 : (d[k] as number) / a
    out[k + 1] = a === 0 ? 0 : (d[k + 1] as number) / a
  }
  return new NdArray([...v.shape], v.dtype, out)
}

/** `g·sgn(z)` for a real gradient `g` of `|z|`: the (…, 2) gradient of the values. */
const absGrad = (g: NdArray, v: NdArray): NdArray => {
  const s = sgnValues(v)._values('abs')
  const gd = g._values('abs')
  const out = like(v, s.length)
  for (let k = 0; k < s.length; k++) out[k] = (gd[k >> 1] as number) * (s[k] as number)
  return new NdArray([...v.shape], v.dtype, out)
}

/** `(g − Re(g·conj(s))·s)/|z|` (0 at z = 0) for a (…, 2) gradient `g` of `sgn(z)`. */
const sgnGrad = (g: NdArray, v: NdArray): NdArray => {
  const d = v._values('sgn')
  const gd = g._values('sgn')
  const out = like(v, d.length)
  for (let k = 0; k < d.length; k += 2) {
    const a = Math.hypot(d[k] as number, d[k + 1] as number)
    if (a === 0) continue
    const [sr, si] = [(d[k] as number) / a, (d[k + 1] as number) / a]
    const [gr, gi] = [gd[k] as number, gd[k + 1] as number]
    const re = gr * sr + gi * si
    out[k] = (gr - re * sr) / a
    out[k + 1] = (gi - re * si) / a
  }
  return new NdArray([...v.shape], v.dtype, out)
}

/** The (…, 2) values of `sgn(z)` as the op `SgnBackward0`. */
const sgnOf = (ri: Tensor): Tensor =>
  op('SgnBackward0', [ri], sgnValues, {
    grads: (g, [v]) => [Tensor._fromValue(sgnGrad(g, v as NdArray))],
    formula: (g, [x]) => {
      const s = sgnOf((x as Tensor).detach())
      const a = absOf((x as Tensor).detach()).unsqueeze(-1)
      const re = g.mul(s).sum(-1, true)
      const safe = a.masked_fill(a.eq(0), 1)
      return [g.sub(re.mul(s)).div(safe).masked_fill(a.eq(0), 0)]
    },
  })

/** `|z|` of (…, 2) values as the op `AbsBackward0`. */
const absOf = (ri: Tensor): Tensor =>
  op('AbsBackward0', [ri], absValues, {
    grads: (g, [v]) => [Tensor._fromValue(absGrad(g, v as NdArray))],
    formula: (g, [x]) => [g.unsqueeze(-1).mul(sgnOf(x as Tensor))],
  })

/** `|z|` (real; gradient 0 at z = 0, as PyTorch's). */
export const abs = (z: ComplexTensor): Tensor => absOf(z._ri)

/** `sgn(z) = z/|z|`, 0 at z = 0. */
export const sgn = (z: ComplexTensor): ComplexTensor => new ComplexTensor(sgnOf(z._ri))

/** `atan2(Im, Re)` of (…, 2) values. */
const angleValues = (v: NdArray): NdArray => {
  const d = v._values('angle')
  const out = like(v, d.length / 2)
  for (let k = 0; k < out.length; k++) out[k] = Math.atan2(d[2 * k + 1] as number, d[2 * k] as number)
  return new NdArray(v.shape.slice(0, -1), v.dtype, out)
}

/** `g·(−Im, Re)/|z|²` (0 at z = 0) for a real gradient `g` of the angle: the (…, 2) gradient. */
const angleGrad = (g: NdArray, v: NdArray): NdArray => {
  const d = v._values('angle')
  const gd = g._values('angle')
  const out = like(v, d.length)
  for (let k = 0; k < d.length; k += 2) {
    const [x, y] = [d[k] as number, d[k + 1] as number]
    const a2 = x * x + y * y
    if (a2 === 0) continue
    const q = (gd[k >> 1] as number) / a2
    out[k] = -y * q
    out[k + 1] = x * q
  }
  return new NdArray([...v.shape], v.dtype, out)
}

/** The angle of (…, 2) values as the op `AngleBackward0`. */
const angleOf = (ri: Tensor): Tensor =>
  op('AngleBackward0', [ri], angleValues, {
    grads: (g, [v]) => [Tensor._fromValue(angleGrad(g, v as NdArray))],
    formula: (g, [x]) => {
      const xt = x as Tensor
      const [re, im] = [xt.select(-1, 0), xt.select(-1, 1)]
      const a2 = re.square().add(im.square())
      const zero = a2.eq(0)
      const q = g.div(a2.masked_fill(zero, 1))
      return [stack([im.neg().mul(q), re.mul(q)], -1).masked_fill(zero.unsqueeze(-1), 0)]
    },
  })

/** The argument `atan2(Im, Re)` (real; gradient 0 at z = 0, as PyTorch's). */
export const angle = (z: ComplexTensor): Tensor => angleOf(z._ri)

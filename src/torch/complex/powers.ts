/**
 * Powers and logarithms of complex tensors (principal branches, as PyTorch): `square`, `sqrt`,
 * `log` and `pow` with a real number exponent, written with differentiable real ops on the parts
 * (see ./tensor.ts), so gradients follow by the chain rule.
 *
 * @category torch
 * @since 0.7.0
 */
import { NotImplementedError } from '../errors'
import { ComplexTensor, fromParts, unsupportedText } from './tensor'
import { abs, angle, mul, reciprocal } from './ops'

/** `z·z`. */
export const square = (z: ComplexTensor): ComplexTensor => mul(z, z)

/** The principal logarithm `log|z| + i·arg z`. */
export const log = (z: ComplexTensor): ComplexTensor => fromParts(abs(z).log(), angle(z))

/** `|z|^a·(cos aθ + i·sin aθ)` with θ = arg z (the principal power). */
const polarPow = (z: ComplexTensor, a: number): ComplexTensor => {
  const m = abs(z).pow(a)
  const t = angle(z).mul(a)
  return fromParts(m.mul(t.cos()), m.mul(t.sin()))
}

/** The principal square root. */
export const sqrt = (z: ComplexTensor): ComplexTensor => polarPow(z, 0.5)

/** `z^n` for a positive integer n by repeated squaring (exact products, as a real power). */
const intPow = (z: ComplexTensor, n: number): ComplexTensor => {
  let result: ComplexTensor | null = null
  let base = z
  for (let k = n; k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) result = result === null ? base : mul(result, base)
    if (k > 1) base = mul(base, base)
  }
  return result as ComplexTensor
}

/** `z ** a` for a real number `a` (integers by products; others through the principal branch). */
export const pow = (z: ComplexTensor, a: unknown): ComplexTensor => {
  if (typeof a !== 'number') throw new NotImplementedError(unsupportedText('pow with a tensor or complex exponent'))
  if (a === 0) return fromParts(z._ri.select(-1, 0).mul(0).add(1), z._ri.select(-1, 1).mul(0))
  if (Number.isInteger(a) && Math.abs(a) <= 64) return a > 0 ? intPow(z, a) : reciprocal(intPow(z, -a))
  return polarPow(z, a)
}

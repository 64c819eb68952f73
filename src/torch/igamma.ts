/**
 * `torch.igamma` / `torch.igammac` (the regularised lower and upper incomplete gamma functions,
 * `torch.special.gammainc`/`gammaincc`) with their Tensor methods and in-place forms. As in
 * PyTorch, they are differentiable in `other` (x) only: a backward through them with `input` (a)
 * requiring grad raises PyTorch's NotImplementedError. NOTE: PyTorch raises only when a's gradient
 * is asked for (`autograd.grad(y, [x])` alone passes there); here any backward through the node
 * raises when `a` requires grad — detach `a` to differentiate in x only.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import type { NdArray } from '../ndarray/NdArray'
import { customVjp } from '../transforms/custom'
import { NotImplementedError } from './errors'
import { inplaceForm } from './methods/aliases'
import { binary } from './methods/math'
import type { TensorOrScalar } from './ops/convert'
import type { Tensor } from './tensor'
import { requireTensorArgs } from './pyTypeName'

/** A zero whose backward raises: added to the result where `a` requires grad. */
const noDerivative = (name: string): ((a: NdArray) => NdArray) =>
  customVjp(
    (a: NdArray) => lax.zerosLike(a),
    (a: NdArray) => [lax.zerosLike(a), null] as const,
    (): never => {
      throw new NotImplementedError(`the derivative for '${name}: input' is not implemented.`)
    },
  )

const incomplete = (name: 'igamma' | 'igammac', f: (a: NdArray, x: NdArray) => NdArray) => {
  const raise = noDerivative(name)
  const withRaise = (a: NdArray, x: NdArray): NdArray => lax.add(f(lax.stopGradient(a), x), raise(a))
  const node = name === 'igamma' ? 'IgammaBackward0' : 'IgammacBackward0'
  return (input: Tensor, other: TensorOrScalar): Tensor => {
    requireTensorArgs(name, ['input', 'other'], [input, other])
    return binary(node, input, other, input.requires_grad ? withRaise : f, { saves: [0, 1] }, true)
  }
}

/**
 * `torch.igamma(input, other)`: the regularised lower incomplete gamma function P(a, x)
 * (`IgammaBackward0`; differentiable in `other` only, as PyTorch).
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([1.0], { dtype: torch.float64, requires_grad: true })
 * const p = torch.igamma(torch.tensor([1.0], { dtype: torch.float64 }), x)
 * assert.ok(Math.abs(Number(p.item()) - (1 - Math.exp(-1))) < 1e-12)
 * assert.strictEqual(p.grad_fn?.name(), 'IgammaBackward0')
 * @category torch @since 0.2.0
 */
export const igamma: (input: Tensor, other: TensorOrScalar) => Tensor = incomplete('igamma', lax.igamma)

/**
 * `torch.igammac(input, other)`: the regularised upper incomplete gamma function Q(a, x) = 1 − P(a, x)
 * (`IgammacBackward0`; differentiable in `other` only, as PyTorch).
 * @example
 * import * as torch from 'wengert/torch'
 * const q = torch.igammac(torch.tensor([1.0], { dtype: torch.float64 }), torch.tensor([1.0], { dtype: torch.float64 }))
 * assert.ok(Math.abs(Number(q.item()) - Math.exp(-1)) < 1e-12)
 * @category torch @since 0.2.0
 */
export const igammac: (input: Tensor, other: TensorOrScalar) => Tensor = incomplete('igammac', lax.igammac)

/** The incomplete gamma Tensor methods. @category torch @since 0.2.0 */
export const igammaMethods = {
  /** `torch.igamma(self, other)`. */
  igamma(this: Tensor, other: TensorOrScalar): Tensor {
    return igamma(this, other)
  },
  /** `torch.igammac(self, other)`. */
  igammac(this: Tensor, other: TensorOrScalar): Tensor {
    return igammac(this, other)
  },
  /** In-place {@link igamma}. */
  igamma_: inplaceForm(function (this: Tensor, other: TensorOrScalar): Tensor {
    return igamma(this, other)
  }),
  /** In-place {@link igammac}. */
  igammac_: inplaceForm(function (this: Tensor, other: TensorOrScalar): Tensor {
    return igammac(this, other)
  }),
}

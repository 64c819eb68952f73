/**
 * `torch.nn.utils.parametrizations`: `orthogonal`, `spectral_norm` and `weight_norm` as
 * parametrizations (PyTorch 2.x forms), registered with `parametrize.register_parametrization`.
 * Their state is PyTorch's: `parametrizations.weight.original` (and `.0._u`/`._v` for spectral
 * norm, `.0.base` for orthogonal), `original0`/`original1` (g and v) for weight norm.
 *
 * @category torch
 * @since 0.2.0
 */
import { no_grad } from '../autograd/grad_mode'
import { eye, randn } from '../creation'
import { IndexError, NotImplementedError, TorchValueError } from '../errors'
import { keywordForms, parseArgs, type PyArgs } from '../kwargs'
import { solve } from '../linalg'
import { matrix_exp } from '../linalgExpm'
import { cat } from '../ops/functions'
import { Tensor } from '../tensor'
import { ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from './convTransposeLayers'
import { Module } from './module'
import { normalize } from './norm_functional'
import { parseKwOnly, register_parametrization } from './parametrize'
import { householderProduct, makeOrthogonal, isOrthogonal } from './orthogonalMaps'
import { norm_except_dim, spectralNormArgs, weightNormValue, type SpectralNormArgs } from './weightNormCore'

const getTensor = (module: Module, name: string): Tensor => {
  const w = (module as unknown as Record<string, unknown>)[name]
  if (!(w instanceof Tensor))
    throw new TorchValueError(`Module '${String(module)}' has no parameter or buffer with name '${name}'`)
  return w
}

// -------------------------------------------------------------------------------------
// orthogonal
// -------------------------------------------------------------------------------------

type OrthMap = 'matrix_exp' | 'cayley' | 'householder'

/** PyTorch's `_Orthogonal` parametrization. */
class _Orthogonal extends Module {
  /** The parametrized tensor's shape. */
  readonly shape: readonly number[]
  /** Which map from the Lie algebra (or Householder reflectors) to the orthogonal group. */
  readonly orthogonal_map: OrthMap

  constructor(weight: Tensor, orthogonal_map: OrthMap, use_trivialization = true) {
    super()
    this.shape = weight.shape
    this.orthogonal_map = orthogonal_map
    if (use_trivialization) this.register_buffer('base', null)
  }

  /** @internal Whether `base` is a buffer (use_trivialization). */
  get _trivial(): boolean {
    return this._buffer_names.has('base')
  }

  forward(x: Tensor): Tensor {
    let n = x.size(-2)
    let k = x.size(-1)
    const transposed = n < k
    if (transposed) {
      x = x.mT
      ;[n, k] = [k, n]
    }
    let q: Tensor
    if (this.orthogonal_map === 'householder') {
      const a = x.tril(-1)
      const tau = a.mul(a).sum(-2).add(1).reciprocal().mul(2)
      q = householderProduct(a, tau).mul(x.diagonal(0, -2, -1).int().unsqueeze(-2))
    } else {
      q = this._lieMap(x.tril(), n, k)
    }
    const base = this._attrs()['base']
    if (this._trivial) q = (base as Tensor).matmul(q)
    return transposed ? q.mT : q
  }

  /** @internal matrix_exp or cayley of the skew-symmetric completion of `x` (n×k, n ≥ k). */
  _lieMap(x: Tensor, n: number, k: number): Tensor {
    if (n !== k) x = cat([x, x.new_zeros(n, n - k).expand(...x.shape.slice(0, -2), -1, -1)], -1)
    const a = x.sub(x.mT)
    let q: Tensor
    if (this.orthogonal_map === 'matrix_exp') q = matrix_exp(a)
    else {
      const id = eye(n, { dtype: a.dtype })
      q = solve(id.add(a, { alpha: -0.5 }), id.add(a, { alpha: 0.5 }))
    }
    return n !== k ? q.narrow(-1, 0, k) : q
  }

  /** The `original` whose image is `q` (with a trivialization: sets `base` and returns −I). */
  right_inverse(q: Tensor): Tensor {
    return no_grad(() => {
      if (String(q.shape) !== String(this.shape))
        throw new TorchValueError(
          `Expected a matrix or batch of matrices of shape ${String(this.shape)}. Got a tensor of shape ${q.shape}.`,
        )
      const qInit = q
      let n = q.size(-2)
      let k = q.size(-1)
      if (n < k) {
        q = q.mT
        ;[n, k] = [k, n]
      }
      if (!this._trivial) {
        if (this.orthogonal_map !== 'householder')
          throw new NotImplementedError(
            'It is not possible to assign to the matrix exponential or the Cayley parametrizations when use_trivialization=False.',
          )
        throw new TorchValueError(
          'orthogonal: orthogonal_map="householder" with use_trivialization=False is not supported by wengert (it needs torch.geqrf)',
        )
      }
      if (n === k) q = isOrthogonal(q) ? q.clone() : makeOrthogonal(q)
      else {
        const noise = randn([...q.shape.slice(0, -2), n, n - k], { dtype: q.dtype })
        q = makeOrthogonal(cat([q, noise], -1))
      }
      this._attrs()['base'] = q
      const negId = eye(qInit.size(-2), qInit.size(-1), { dtype: qInit.dtype }).neg()
      return negId.expand(...qInit.shape).clone()
    })
  }
}

/**
 * PyTorch's `parametrizations.orthogonal(module, name='weight', orthogonal_map=None, *,
 * use_trivialization=True)`: `module[name]` (a matrix or batch of matrices) becomes orthogonal
 * (orthonormal columns or rows). The map is `"matrix_exp"` for square matrices and
 * `"householder"` otherwise unless given (`"cayley"` also). Registered with `unsafe=True`.
 * @example
 * import * as torch from 'wengert/torch'
 * const lin = torch.nn.utils.parametrizations.orthogonal(torch.nn.Linear(3, 5))
 * const w = lin.weight
 * assert.ok(w.mT.matmul(w).allclose(torch.eye(3), { atol: 1e-5 }))
 * assert.deepStrictEqual(Object.keys(lin.state_dict()), ['bias', 'parametrizations.weight.original', 'parametrizations.weight.0.base'])
 * @category torch @since 0.2.0
 */
export const orthogonal = <M extends Module>(
  module: M,
  ...args: PyArgs<
    [name: string, orthogonal_map: OrthMap | null],
    { readonly name?: string; readonly orthogonal_map?: OrthMap | null; readonly use_trivialization?: boolean }
  >
): M => {
  const a = parseKwOnly('orthogonal', [module, ...args], ['module', 'name', 'orthogonal_map'], ['use_trivialization'])
  const name = (a.name as string | undefined) ?? 'weight'
  const weight = getTensor(module, name)
  if (weight.ndim < 2)
    throw new TorchValueError(`Expected a matrix or batch of matrices. Got a tensor of ${weight.ndim} dimensions.`)
  const map =
    (a.orthogonal_map as string | null | undefined) ??
    (weight.size(-2) === weight.size(-1) ? 'matrix_exp' : 'householder')
  if (map !== 'matrix_exp' && map !== 'cayley' && map !== 'householder')
    throw new TorchValueError(`orthogonal_map has to be one of "matrix_exp", "cayley", "householder". Got: ${map}`)
  const orth = new _Orthogonal(weight, map, (a.use_trivialization as boolean | undefined) ?? true)
  return register_parametrization(module, name, orth, { unsafe: true })
}

// -------------------------------------------------------------------------------------
// spectral_norm
// -------------------------------------------------------------------------------------

/** The weight as a matrix with `dim` first (PyTorch's `_reshape_weight_to_matrix`). */
export const weightToMatrix = (weight: Tensor, dim: number): Tensor => {
  const w = dim !== 0 ? weight.permute(dim, ...weight.shape.map((_, d) => d).filter((d) => d !== dim)) : weight
  return w.reshape(w.size(0), -1)
}

/** PyTorch's `_SpectralNorm` parametrization: `weight / σ`, σ estimated by power iteration. */
class _SpectralNorm extends Module {
  /** The dimension of the output channels. */
  readonly dim: number
  /** Added to norms in the normalisation. */
  readonly eps: number
  /** Power iterations per forward in training mode. */
  readonly n_power_iterations: number = 1
  declare _u: Tensor
  declare _v: Tensor

  constructor(weight: Tensor, n_power_iterations = 1, dim = 0, eps = 1e-12) {
    super()
    const ndim = weight.ndim
    if (dim >= ndim || dim < -ndim)
      throw new IndexError(`Dimension out of range (expected to be in range of [-${ndim}, ${ndim - 1}] but got ${dim})`)
    if (n_power_iterations <= 0)
      throw new TorchValueError(
        `Expected n_power_iterations to be positive, but got n_power_iterations=${n_power_iterations}`,
      )
    this.dim = dim >= 0 ? dim : dim + ndim
    this.eps = eps
    if (ndim > 1) {
      this.n_power_iterations = n_power_iterations
      const w = weightToMatrix(weight, this.dim)
      no_grad(() => {
        const u = w.new_empty(w.size(0)).normal_(0, 1)
        const v = w.new_empty(w.size(1)).normal_(0, 1)
        this.register_buffer('_u', normalize(u, { dim: 0, eps }))
        this.register_buffer('_v', normalize(v, { dim: 0, eps }))
      })
      this._power_method(w, 15)
    }
  }

  /** @internal u ← normalize(W v), v ← normalize(Wᵀ u), in place, `n` times. */
  _power_method(w: Tensor, n: number): void {
    no_grad(() => {
      for (let i = 0; i < n; i++) {
        this._u.copy_(normalize(w.mv(this._v), { dim: 0, eps: this.eps }))
        this._v.copy_(normalize(w.t().mv(this._u), { dim: 0, eps: this.eps }))
      }
    })
  }

  forward(weight: Tensor): Tensor {
    if (weight.ndim === 1) return normalize(weight, { dim: 0, eps: this.eps })
    const w = weightToMatrix(weight, this.dim)
    if (this.training) this._power_method(w, this.n_power_iterations)
    const sigma = this._u.clone().dot(w.mv(this._v.clone()))
    return weight.div(sigma)
  }

  /** The identity (the original is the weight itself). */
  right_inverse(value: Tensor): Tensor {
    return value
  }
}

/** The spectral-norm dim default: 1 for transposed convolutions, else 0. */
export const spectralDim = (module: Module, dim: number | null | undefined): number =>
  dim ??
  (module instanceof ConvTranspose1d || module instanceof ConvTranspose2d || module instanceof ConvTranspose3d ? 1 : 0)

/**
 * PyTorch's `parametrizations.spectral_norm(module, name='weight', n_power_iterations=1,
 * eps=1e-12, dim=None)`: `module[name]` becomes `W / σ(W)`, with σ the largest singular value of
 * W as a matrix (`dim` first; 1 for transposed convolutions), estimated by power iteration:
 * `n_power_iterations` steps on each access in training mode (15 at registration), from the
 * buffers `parametrizations.<name>.0._u` / `._v`.
 * @example
 * import * as torch from 'wengert/torch'
 * torch.manual_seed(0) // the layer's weights, hence how fast the power iteration converges
 * const lin = torch.nn.utils.parametrizations.spectral_norm(torch.nn.Linear(4, 3))
 * for (let i = 0; i < 20; i++) lin.weight
 * const s = torch.linalg.svdvals(lin.weight.detach())
 * assert.ok(Math.abs(s.max().item() - 1) < 1e-4)
 * @category torch @since 0.2.0
 */
export const spectral_norm = keywordForms(
  'spectral_norm',
  ['module'],
  <M extends Module>(module: M, ...args: SpectralNormArgs): M => {
    const a = spectralNormArgs(args)
    const weight = getTensor(module, a.name)
    const dim = spectralDim(module, a.dim)
    const sn = new _SpectralNorm(weight, a.n_power_iterations, dim, a.eps)
    return register_parametrization(module, a.name, sn)
  },
)

// -------------------------------------------------------------------------------------
// weight_norm
// -------------------------------------------------------------------------------------

/** PyTorch 2.x's `_WeightNorm` parametrization: `v · g / ‖v‖` (norm over all dims but `dim`). */
class _WeightNorm extends Module {
  /** The dimension kept by the norm (−1: the norm of the whole tensor). */
  readonly dim: number

  constructor(dim: number | null = 0) {
    super()
    this.dim = dim ?? -1
  }

  forward(weight_g: Tensor, weight_v: Tensor): Tensor {
    return weightNormValue(weight_v, weight_g, this.dim)
  }

  /** `[g, v]`: the norms of `weight` over all dims but `dim`, and `weight`. */
  right_inverse(weight: Tensor): Tensor[] {
    return [norm_except_dim(weight, 2, this.dim), weight]
  }
}

/**
 * PyTorch 2.x's `parametrizations.weight_norm(module, name='weight', dim=0)`: `module[name]`
 * becomes `g · v / ‖v‖`, with magnitude `g` at `parametrizations.<name>.original0` and direction
 * `v` at `original1` (the norm is over every dim but `dim`; `null` means the whole tensor).
 * @example
 * import * as torch from 'wengert/torch'
 * const lin = torch.nn.Linear(3, 2)
 * const w = lin.weight.detach().clone()
 * torch.nn.utils.parametrizations.weight_norm(lin)
 * assert.ok(lin.weight.allclose(w))
 * assert.deepStrictEqual(Object.keys(lin.state_dict()), ['bias', 'parametrizations.weight.original0', 'parametrizations.weight.original1'])
 * @category torch @since 0.2.0
 */
export const weight_norm = keywordForms(
  'weight_norm',
  ['module'],
  <M extends Module>(
    module: M,
    ...args: PyArgs<[name: string, dim: number | null], { readonly name?: string; readonly dim?: number | null }>
  ): M => {
    const a = parseArgs('weight_norm', args, ['name', 'dim'])
    const name = (a.name as string | undefined) ?? 'weight'
    const dim = a.dim === undefined ? 0 : (a.dim as number | null)
    return register_parametrization(module, name, new _WeightNorm(dim), { unsafe: true })
  },
)

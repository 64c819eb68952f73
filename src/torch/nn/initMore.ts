/**
 * The rest of `torch.nn.init` (re-exported from `./init`): `eye_`, `dirac_`, `trunc_normal_`,
 * `orthogonal_` and `sparse_`, with PyTorch's algorithms, defaults and messages. Like PyTorch's,
 * they run under `no_grad` and return the tensor they fill; samples come from the facade's global
 * generator (`torch.manual_seed`), or from the `torch.Generator` given as `generator` (PyTorch
 * 2.1's keyword; PyTorch 1.13 has none).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.nn.init.orthogonal_(torch.empty(4, 3))
 * assert.ok(w.t().mm(w).sub(torch.eye(3)).abs().max().item() < 1e-5)
 * @category torch
 * @since 0.2.0
 */
import { qr } from '../../ndarray/kernels/linalg/qr'
import { erf, erfinv } from '../../ndarray/kernels/special/erf'
import { NdArray } from '../../ndarray/NdArray'
import { no_grad } from '../autograd/grad_mode'
import { eye, randn, randperm } from '../creation'
import { float32 } from '../dtype'
import { erfinv32 } from '../erfinv32'
import { TorchValueError } from '../errors'
import { exactKeywords, keywordForms, parseArgs, required, type PyArgs } from '../kwargs'
import type { Generator } from '../generator'
import { Tensor } from '../tensor'
import { warn } from '../warnings'

/** The `generator` argument of the samplers (a `torch.Generator`, or None for the global one). */
/** The sampler keywords for a parsed `generator` argument. */
const genOf = (o: Readonly<Record<string, unknown>>): { generator: Generator | null } => ({
  generator: (o['generator'] as Generator | null | undefined) ?? null,
})

const need2d = (t: Tensor): void => {
  if (t.dim() !== 2) throw new TorchValueError('Only tensors with 2 dimensions are supported')
}

/** Copies `values` (row-major, `t`'s shape) into `t` under no_grad. */
const fillWith = (t: Tensor, values: Float64Array): Tensor =>
  no_grad(() => t.copy_(Tensor._fromValue(new NdArray([...t.shape], 'float64', values))))

/**
 * Fills a 2-D tensor with the identity matrix (ones on the main diagonal).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.nn.init.eye_(torch.empty(2, 3)).tolist(), [[1, 0, 0], [0, 1, 0]])
 * @category torch @since 0.2.0
 */
export const eye_ = exactKeywords('eye_', ['tensor'], (tensor: Tensor): Tensor => {
  need2d(tensor)
  return no_grad(() => tensor.copy_(eye(tensor.shape[0] as number, tensor.shape[1] as number)))
})

/**
 * Fills a 3-, 4- or 5-D convolution weight with the Dirac delta: each group's output channel `d`
 * passes input channel `d` through unchanged (identity convolution).
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.nn.init.dirac_(torch.empty(2, 2, 3))
 * assert.deepStrictEqual(w.tolist(), [[[0, 1, 0], [0, 0, 0]], [[0, 0, 0], [0, 1, 0]]])
 * @category torch @since 0.2.0
 */
export const dirac_ = keywordForms(
  'dirac_',
  ['tensor'],
  (tensor: Tensor, ...rest: PyArgs<[groups: number], { readonly groups?: number }>): Tensor => {
    const groups = (parseArgs('dirac_', rest, ['groups']).groups as number | undefined) ?? 1
    const s = [...tensor.shape]
    if (s.length < 3 || s.length > 5) throw new TorchValueError('Only tensors with 3, 4, or 5 dimensions are supported')
    if ((s[0] as number) % groups !== 0) throw new TorchValueError('dim 0 must be divisible by groups')
    const perGroup = (s[0] as number) / groups
    const minDim = Math.min(perGroup, s[1] as number)
    const spatial = s.slice(2)
    const inner = spatial.reduce((a, b) => a * b, 1)
    const centre = spatial.reduce((acc, d) => acc * d + Math.floor(d / 2), 0)
    const out = new Float64Array(tensor.numel())
    for (let g = 0; g < groups; g++)
      for (let d = 0; d < minDim; d++) out[((g * perGroup + d) * (s[1] as number) + d) * inner + centre] = 1
    return fillWith(tensor, out)
  },
)

/** The standard normal CDF as PyTorch's Python computes it: (1 + erf(x/√2)) / 2. */
const normCdf = (x: number): number => (1 + erf(x / Math.SQRT2)) / 2

/**
 * Fills with samples of N(mean, std²) truncated to [a, b] (defaults 0, 1, −2, 2) by PyTorch's
 * steps: `uniform_(2·Φ(α) − 1, 2·Φ(β) − 1)`, `erfinv_`, `mul_(std·√2)`, `add_(mean)`,
 * `clamp_(a, b)`, each in the tensor's dtype (float32 values are PyTorch's for the same seed);
 * warns when `mean` is more than 2 std outside [a, b].
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.nn.init.trunc_normal_(torch.empty(1000), 0, 1, -0.5, 0.5)
 * assert.ok(w.abs().max().item() <= 0.5)
 * @category torch @since 0.2.0
 */
export const trunc_normal_ = keywordForms(
  'trunc_normal_',
  ['tensor'],
  (
    tensor: Tensor,
    ...rest: PyArgs<
      [mean: number, std: number, a: number, b: number, generator: Generator | null],
      {
        readonly mean?: number
        readonly std?: number
        readonly a?: number
        readonly b?: number
        readonly generator?: Generator | null
      }
    >
  ): Tensor => {
    const parsed = parseArgs('trunc_normal_', rest, ['mean', 'std', 'a', 'b', 'generator'])
    const o = parsed as Partial<Record<string, number>>
    const [mean, std, a, b] = [o['mean'] ?? 0, o['std'] ?? 1, o['a'] ?? -2, o['b'] ?? 2]
    if (mean < a - 2 * std || mean > b + 2 * std)
      warn('mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect.')
    const lo = normCdf((a - mean) / std)
    const hi = normCdf((b - mean) / std)
    const u = no_grad(() => tensor.uniform_(2 * lo - 1, 2 * hi - 1, genOf(parsed)))
    const scale = std * Math.SQRT2
    const single = tensor.dtype === float32
    const r = single ? Math.fround : (x: number): number => x
    const [s, m, lower, upper] = [scale, mean, a, b].map(r) as [number, number, number, number]
    const inv = single ? erfinv32 : erfinv
    const vals = (u.reshape(-1).tolist() as number[]).map((v) => Math.min(upper, Math.max(lower, r(r(inv(v) * s) + m))))
    return fillWith(tensor, Float64Array.from(vals))
  },
)

/**
 * Fills with a (semi-)orthogonal matrix (the trailing dimensions flattened), scaled by `gain`:
 * the Q of a QR decomposition of a standard normal matrix, with signs fixed by R's diagonal.
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.nn.init.orthogonal_(torch.empty(2, 5), 2)
 * assert.ok(w.mm(w.t()).sub(torch.eye(2).mul(4)).abs().max().item() < 1e-5)
 * @category torch @since 0.2.0
 */
export const orthogonal_ = keywordForms(
  'orthogonal_',
  ['tensor'],
  (
    tensor: Tensor,
    ...rest: PyArgs<
      [gain: number, generator: Generator | null],
      { readonly gain?: number; readonly generator?: Generator | null }
    >
  ): Tensor => {
    const o = parseArgs('orthogonal_', rest, ['gain', 'generator'])
    const gain = (o.gain as number | undefined) ?? 1
    if (tensor.dim() < 2) throw new TorchValueError('Only tensors with 2 or more dimensions are supported')
    if (tensor.numel() === 0) return tensor
    const rows = tensor.shape[0] as number
    const cols = tensor.numel() / rows
    let flat = randn(rows, cols, genOf(o))._value()
    if (rows < cols) flat = Tensor._fromValue(flat).t()._value()
    const { q, r } = qr(Tensor._fromValue(flat).double()._value(), 'reduced')
    const [m, n] = q!.shape as [number, number]
    const qv = q!.toTypedArray()
    const rv = r.toTypedArray()
    const out = new Float64Array(m * n)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        const d = rv[j * (r.shape[1] as number) + j] as number
        const v = (qv[i * n + j] as number) * (d < 0 ? -1 : 1) * gain
        if (rows < cols) out[j * m + i] = v
        else out[i * n + j] = v
      }
    return fillWith(tensor, out)
  },
)

/**
 * Fills a 2-D tensor with N(0, std²) samples (std default 0.01), then zeroes `ceil(sparsity·rows)`
 * randomly chosen rows in each column. As in PyTorch 2.x, `generator` drives the normal samples
 * only: the rows come from `torch.randperm` on the global generator.
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.nn.init.sparse_(torch.empty(10, 4), 0.3)
 * assert.strictEqual(w.eq(0).sum().item(), 12)
 * @category torch @since 0.2.0
 */
export const sparse_ = keywordForms(
  'sparse_',
  ['tensor'],
  (
    tensor: Tensor,
    ...args: PyArgs<
      [sparsity: number, std: number, generator: Generator | null],
      { readonly sparsity?: number; readonly std?: number; readonly generator?: Generator | null }
    >
  ): Tensor => {
    const o = parseArgs('sparse_', args, ['sparsity', 'std', 'generator'])
    const sparsity = required('sparse_', 'sparsity', o['sparsity'] as number | undefined)
    const std = (o['std'] as number | undefined) ?? 0.01
    need2d(tensor)
    const [rows, cols] = tensor.shape as unknown as [number, number]
    const zeros = Math.ceil(sparsity * rows)
    const vals = Float64Array.from(
      (
        no_grad(() => tensor.normal_(0, std, genOf(o)))
          .reshape(-1)
          .tolist() as number[]
      ).map(Number),
    )
    for (let c = 0; c < cols; c++) {
      const perm = randperm(rows).tolist() as number[]
      for (const r of perm.slice(0, zeros)) vals[r * cols + c] = 0
    }
    return fillWith(tensor, vals)
  },
)

/**
 * The `torch.fft` namespace. Every name PyTorch 1.13 has is here: the real-valued helpers
 * `fftfreq`, `rfftfreq`, `fftshift` and `ifftshift` work as in PyTorch (values, dtypes,
 * `RollBackward0` nodes); the transforms (`fft`, `rfft`, `irfft`, `hfft`, …, ./fftTransforms.ts)
 * produce or consume complex tensors (./complex), the Hermitian 2-D and N-D ones included. Checked against PyTorch 1.13 in
 * test/torch/fft.test.ts and test/torch/complex.test.ts.
 *
 * @category torch
 * @since 0.2.0
 */
import { checkOptions } from '../internal/options'
import { tensor } from './creation'
import { get_default_dtype, type TorchDType } from './dtype'
import { RuntimeError } from './errors'
import type { Tensor } from './install'
import { noOut } from './linalg'
import { requireInput } from './pyTypeName'

// -------------------------------------------------------------------------------------
// fftfreq, rfftfreq
// -------------------------------------------------------------------------------------

/** Keyword arguments of {@link fftfreq} and {@link rfftfreq}. @category torch @since 0.2.0 */
export interface FftFreqKw {
  /** The sample spacing (the inverse of the sampling rate). @defaultValue 1.0 */
  readonly d?: number
  /** A floating dtype. @defaultValue torch.get_default_dtype() */
  readonly dtype?: TorchDType
  /** Record operations on the result. @defaultValue false */
  readonly requires_grad?: boolean
  /** Only 'cpu'. */
  readonly device?: string
  /** Not supported. */
  readonly out?: unknown
}

/** `k · (1 / (n·d))` for each k, the factor rounded to the dtype first, as PyTorch's `mul_` does. */
const frequencies = (
  name: string,
  ks: ReadonlyArray<number>,
  n: number,
  d: number | FftFreqKw | undefined,
  kw?: FftFreqKw,
): Tensor => {
  const o = checkOptions(`fft.${name}`, typeof d === 'object' ? d : kw, [
    'd',
    'dtype',
    'requires_grad',
    'device',
    'out',
  ])
  noOut(`fft.${name}`, o)
  const dtype = o.dtype ?? get_default_dtype()
  if (!dtype.is_floating_point) throw new RuntimeError(`${name} requires a floating point or complex dtype`)
  const spacing = typeof d === 'number' ? d : (o.d ?? 1)
  const f = 1 / (n * spacing)
  const factor = dtype.name === 'float32' ? Math.fround(f) : f
  return tensor(
    ks.map((k) => k * factor),
    { dtype, requires_grad: o.requires_grad ?? false, ...(o.device === undefined ? {} : { device: o.device }) },
  )
}

const checkLength = (len: number): void => {
  if (len < 0) throw new RuntimeError(`Trying to create tensor with negative dimension ${len}: [${len}]`)
}

/**
 * The sample frequencies of a length-`n` {@link fft}: `[0, 1, …, ⌈n/2⌉−1, −⌊n/2⌋, …, −1] / (d·n)`
 * (a new leaf; `d` positional or a keyword).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.fft.fftfreq(4, { dtype: torch.float64 }).tolist(), [0, 0.25, -0.5, -0.25])
 * assert.deepStrictEqual(torch.fft.fftfreq(5, 0.1, { dtype: torch.float64 }).tolist(), [0, 2, 4, -4, -2])
 * @category torch @since 0.2.0
 */
export const fftfreq = (n: number, d?: number | FftFreqKw, kw?: FftFreqKw): Tensor => {
  checkLength(n)
  const half = Math.trunc((n + 1) / 2)
  return frequencies(
    'fftfreq',
    Array.from({ length: n }, (_, k) => (k < half ? k : k - n)),
    n,
    d,
    kw,
  )
}

/**
 * The sample frequencies of a length-`n` {@link rfft}: `[0, 1, …, ⌊n/2⌋] / (d·n)` (a new leaf).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.fft.rfftfreq(4, { dtype: torch.float64 }).tolist(), [0, 0.25, 0.5])
 * @category torch @since 0.2.0
 */
export const rfftfreq = (n: number, d?: number | FftFreqKw, kw?: FftFreqKw): Tensor => {
  const len = Math.trunc(n / 2) + 1
  checkLength(len)
  return frequencies(
    'rfftfreq',
    Array.from({ length: len }, (_, k) => k),
    n,
    d,
    kw,
  )
}

// -------------------------------------------------------------------------------------
// fftshift, ifftshift
// -------------------------------------------------------------------------------------

/** The `dim` of {@link fftshift}/{@link ifftshift}: positional, or the keyword. @category torch @since 0.2.0 */
export type ShiftDim = number | ReadonlyArray<number> | { readonly dim?: number | ReadonlyArray<number> }

const isDims = (d: ShiftDim): d is number | ReadonlyArray<number> => typeof d === 'number' || Array.isArray(d)

const shift = (name: string, x: Tensor, arg: ShiftDim | undefined, by: (size: number) => number): Tensor => {
  requireInput(`fft_${name}`, x)
  const dim = arg === undefined || isDims(arg) ? arg : checkOptions(`fft.${name}`, arg, ['dim']).dim
  const dims = dim === undefined ? x.shape.map((_, i) => i) : typeof dim === 'number' ? [dim] : [...dim]
  const sizes = dims.map((d) => x.size(d))
  return x.roll(
    sizes.map((s) => by(s)),
    dims,
  )
}

/**
 * Moves the zero frequency to the centre: rolls each of `dim` (default all) by ⌊size/2⌋
 * (`RollBackward0`).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.fft.fftshift(torch.fft.fftfreq(5, { dtype: torch.float64 })).mul(5).tolist(), [-2, -1, 0, 1, 2])
 * @category torch @since 0.2.0
 */
export const fftshift = (input: Tensor, dim?: ShiftDim): Tensor =>
  shift('fftshift', input, dim, (s) => Math.floor(s / 2))

/**
 * The inverse of {@link fftshift}: rolls each of `dim` (default all) by ⌊(size+1)/2⌋
 * (`RollBackward0`).
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.arange(5)
 * assert.deepStrictEqual(torch.fft.ifftshift(torch.fft.fftshift(x)).tolist(), [0, 1, 2, 3, 4])
 * @category torch @since 0.2.0
 */
export const ifftshift = (input: Tensor, dim?: ShiftDim): Tensor =>
  shift('ifftshift', input, dim, (s) => Math.floor((s + 1) / 2))

// -------------------------------------------------------------------------------------
// the transforms (./fftTransforms.ts)
// -------------------------------------------------------------------------------------

export {
  fft,
  ifft,
  fft2,
  ifft2,
  fftn,
  ifftn,
  rfft,
  irfft,
  rfft2,
  irfft2,
  rfftn,
  irfftn,
  hfft,
  ihfft,
  hfft2,
  ihfft2,
  hfftn,
  ihfftn,
  type FftArg,
  type FftKw,
  type FftnKw,
} from './fftTransforms'

/**
 * The transforms of `torch.fft`: `fft`, `ifft`, `rfft`, `irfft`, `hfft`, `ihfft` and their 2-D
 * and N-D forms (the Hermitian N-D ones as PyTorch composes them: `hfftn` transforms all but the
 * last dimension, conjugates and takes the real transform of the last; `ihfftn` the reverse), as PyTorch defines them: `n`/`s` zero-pad or trim each transformed dimension
 * first (an `s` entry of −1 keeps the size; `s` without `dim` transforms the last len(s)
 * dimensions), `norm` is "backward" (default: the inverse transforms divide by the signal size),
 * "ortho" (both by its square root) or "forward" (the forward transforms divide), and the real
 * transforms halve (or restore from half) the last transformed dimension. Integer and bool input
 * is promoted to the default float dtype. Computed by ./fftOps.ts.
 *
 * @category torch
 * @since 0.7.0
 */
import { Tensor } from './tensor'
import { float64, get_default_dtype } from './dtype'
import { IndexError, RuntimeError, TorchTypeError } from './errors'
import { argTypeName, requireInput } from './pyTypeName'
import { ComplexTensor, isComplex, partsOf } from './complex/tensor'
import { asComplex } from './complex/shape'
import { conj } from './complex/ops'
import { conjView } from './complex/conjView'
import { constantPad } from './nn/padding'
import { c2c, c2r, padTo, r2c } from './fftOps'

/** Keyword arguments of the one-dimensional transforms. @category torch @since 0.7.0 */
export interface FftKw {
  /** The signal length (zero-padded or trimmed to it). */
  readonly n?: number | null
  /** The dimension transformed. @defaultValue -1 */
  readonly dim?: number
  /** "backward", "ortho" or "forward". @defaultValue "backward" */
  readonly norm?: string | null
}

/** Keyword arguments of the 2-D and N-D transforms. @category torch @since 0.7.0 */
export interface FftnKw {
  /** The signal size of each transformed dimension (−1: unchanged). */
  readonly s?: ReadonlyArray<number> | null
  /** The dimensions transformed. */
  readonly dim?: number | ReadonlyArray<number> | null
  /** "backward", "ortho" or "forward". @defaultValue "backward" */
  readonly norm?: string | null
}

/** One argument of a `torch.fft` transform after the input: `n`/`s`, `dim`, `norm` by position, or the keyword object. @category torch @since 0.7.0 */
export type FftArg = number | string | ReadonlyArray<number> | null | undefined | FftKw | FftnKw
type Arg = FftArg

const isKw = (a: unknown): a is Record<string, unknown> =>
  a !== null && typeof a === 'object' && !Array.isArray(a) && !(a instanceof Tensor)

/** Positional arguments then a keyword object, as one record of the given names. */
const argsOf = (name: string, args: ReadonlyArray<Arg>, names: ReadonlyArray<string>): Record<string, unknown> => {
  const pos = args.length > 0 && isKw(args[args.length - 1]) ? args.slice(0, -1) : args
  const kw = pos.length < args.length ? (args[args.length - 1] as Record<string, unknown>) : {}
  if (pos.length > names.length)
    throw new TorchTypeError(`fft_${name}() takes at most ${names.length + 1} arguments (${pos.length + 1} given)`)
  const out: Record<string, unknown> = {}
  pos.forEach((v, i) => (out[names[i] as string] = v))
  for (const [k, v] of Object.entries(kw)) {
    if (!names.includes(k)) throw new TorchTypeError(`fft_${name}() got an unexpected keyword argument '${k}'`)
    out[k] = v
  }
  checkTypes(name, out)
  return out
}

const isInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v)
const isInts = (v: unknown): boolean => isInt(v) || (Array.isArray(v) && v.every(isInt))

/** PyTorch's argument-parser TypeErrors for n, s, dim and norm. */
const checkTypes = (name: string, a: Record<string, unknown>): void => {
  const want: Record<string, [(v: unknown) => boolean, string]> = {
    n: [isInt, 'int'],
    s: [(v) => Array.isArray(v) && v.every(isInt), 'tuple of ints'],
    dim: [
      name.endsWith('2') || name.endsWith('n') ? isInts : isInt,
      name.endsWith('2') || name.endsWith('n') ? 'tuple of ints' : 'int',
    ],
    norm: [(v) => typeof v === 'string', 'str'],
  }
  for (const [k, v] of Object.entries(a)) {
    const w = want[k]
    if (v === null || v === undefined || w === undefined || w[0](v)) continue
    throw new TorchTypeError(`fft_${name}(): argument '${k}' must be ${w[1]}, not ${argTypeName(v)}`)
  }
}

const normDim = (d: number, n: number): number => {
  if (d < -n || d >= n)
    throw new IndexError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${d})`)
  return d < 0 ? d + n : d
}

/** The dims and sizes transformed (PyTorch's canonicalize_fft_shape_and_dim_args). */
const plan = (
  x: Tensor,
  s: ReadonlyArray<number> | null | undefined,
  dim: number | ReadonlyArray<number> | null | undefined,
  fixed?: ReadonlyArray<number>,
): { dims: number[]; sizes: Array<number | null> } => {
  const n = x.dim()
  const given = dim === null || dim === undefined ? fixed : typeof dim === 'number' ? [dim] : dim
  let dims: number[]
  if (given !== undefined) dims = given.map((d) => normDim(d, n))
  else if (s !== null && s !== undefined) {
    if (s.length > n)
      throw new RuntimeError(`Got shape with ${s.length} values but input tensor only has ${n} dimensions.`)
    dims = s.map((_, i) => n - s.length + i)
  } else dims = [...Array(n).keys()]
  if (new Set(dims).size !== dims.length) throw new RuntimeError('FFT dims must be unique')
  if (s !== null && s !== undefined && s.length !== dims.length)
    throw new RuntimeError(`When given, dim and shape arguments must have the same length`)
  const sizes = dims.map((_, i) => {
    const v = s?.[i]
    if (v === undefined || v === -1) return null
    if (v < 1) throw new RuntimeError(`Invalid number of data points (${v}) specified`)
    return v
  })
  return { dims, sizes }
}

/** The scale of a transform of signal size `size` under `norm`. */
const scaleOf = (norm: unknown, size: number, forward: boolean): number => {
  const mode = norm === null || norm === undefined ? 'backward' : norm
  if (mode === 'ortho') return 1 / Math.sqrt(size)
  if (mode === 'backward') return forward ? 1 : 1 / size
  if (mode === 'forward') return forward ? 1 / size : 1
  throw new RuntimeError(`Invalid normalization mode: "${String(mode)}"`)
}

const floatInput = (x: Tensor): Tensor => (isComplex(x) || x.is_floating_point() ? x : x.to(get_default_dtype()))

const complexInput = (x: Tensor): ComplexTensor => {
  const f = floatInput(x)
  return isComplex(f) ? f : asComplex(f, f.dtype)
}

const realInput = (name: string, x: Tensor): Tensor => {
  if (isComplex(x))
    throw new RuntimeError(
      `${name} expects a real input tensor, but got ${partsOf(x.dtype) === float64 ? 'ComplexDouble' : 'ComplexFloat'}`,
    )
  return floatInput(x)
}

/**
 * Resizes each of `dims` of values `t` to its size as PyTorch's resize_fft_input: a slice per
 * trimmed dimension, then one `constant_pad_nd` for all padded ones (its gradient a new
 * contiguous tensor, so a leaf's `.grad` is that tensor as is, version 0).
 */
const resize = (t: Tensor, dims: ReadonlyArray<number>, sizes: ReadonlyArray<number | null>): Tensor => {
  const trimmed = dims.reduce(
    (acc, d, i) => (sizes[i] === null || (sizes[i] as number) >= acc.size(d) ? acc : padTo(acc, d, sizes[i] as number)),
    t,
  )
  const nd = trimmed.dim()
  const pad = new Array<number>(2 * nd).fill(0)
  dims.forEach((d, i) => {
    const want = sizes[i]
    if (want !== null && want !== undefined && want > trimmed.size(d))
      pad[2 * (nd - 1 - d) + 1] = want - trimmed.size(d)
  })
  return pad.some((v) => v > 0) ? constantPad(trimmed, pad, 0) : trimmed
}

const complexTransform = (
  x: Tensor,
  dims: number[],
  sizes: Array<number | null>,
  norm: unknown,
  forward: boolean,
): ComplexTensor => {
  const z = complexInput(x)
  const ri = resize(z._ri, dims, sizes)
  const total = dims.reduce((a, d) => a * ri.size(d), 1)
  return new ComplexTensor(c2c(ri, dims, forward ? -1 : 1, scaleOf(norm, total, forward)))
}

const realForward = (
  name: string,
  x: Tensor,
  dims: number[],
  sizes: Array<number | null>,
  norm: unknown,
  forward: boolean,
): ComplexTensor => {
  const r = resize(realInput(name, x), dims, sizes)
  const total = dims.reduce((a, d) => a * r.size(d), 1)
  return new ComplexTensor(r2c(r, dims, scaleOf(norm, total, forward)))
}

/** irfftn (and hfft: `conj` first, forward scaling): the real signal from half spectra. */
const realInverse = (
  x: Tensor,
  dims: number[],
  sizes: Array<number | null>,
  norm: unknown,
  forward: boolean,
  conjugate: boolean,
): Tensor => {
  const z = complexInput(x)
  const last = dims.length - 1
  const n = sizes[last] ?? 2 * (z.size(dims[last] as number) - 1)
  if (n < 1) throw new RuntimeError(`Invalid number of data points (${n}) specified`)
  const half = [...sizes]
  half[last] = Math.floor(n / 2) + 1
  // resized first, then conjugated (hfft), as PyTorch: bins trimmed off get +0 gradients
  const resized = resize(z._ri, dims, half)
  const ri = conjugate ? conj(new ComplexTensor(resized))._ri : resized
  const total = dims.slice(0, -1).reduce((a, d) => a * ri.size(d), n)
  return c2r(ri, dims, n, scaleOf(norm, total, forward))
}

const one = (
  name: string,
  x: Tensor,
  args: ReadonlyArray<Arg>,
): { dims: number[]; sizes: Array<number | null>; norm: unknown } => {
  requireInput(`fft_${name}`, x)
  const a = argsOf(name, args, ['n', 'dim', 'norm'])
  const n = a['n'] as number | null | undefined
  // a 1-D transform's n has no "keep this size" value (fftn's s has -1)
  if (typeof n === 'number' && n < 1) throw new RuntimeError(`Invalid number of data points (${n}) specified`)
  const p = plan(x, n === null || n === undefined ? undefined : [n], (a['dim'] as number | undefined) ?? -1)
  return { ...p, norm: a['norm'] }
}

const many = (
  name: string,
  x: Tensor,
  args: ReadonlyArray<Arg>,
  fixed?: ReadonlyArray<number>,
): { dims: number[]; sizes: Array<number | null>; norm: unknown } => {
  requireInput(`fft_${name}`, x)
  const a = argsOf(name, args, ['s', 'dim', 'norm'])
  const p = plan(
    x,
    a['s'] as ReadonlyArray<number> | null | undefined,
    a['dim'] as number | ReadonlyArray<number> | null | undefined,
    fixed,
  )
  return { ...p, norm: a['norm'] }
}

const TWO = [-2, -1]

/** `torch.fft.fft(input, n=None, dim=-1, norm=None)`: the 1-D discrete Fourier transform. @category torch @since 0.2.0 */
export const fft = (input: Tensor, ...args: ReadonlyArray<Arg>): Tensor => {
  const p = one('fft', input, args)
  if (isComplex(input)) return complexTransform(input, p.dims, p.sizes, p.norm, true)
  // real input: the full (not onesided) real-to-complex transform, FftR2CBackward0 as PyTorch's
  const r = resize(floatInput(input), p.dims, p.sizes)
  return new ComplexTensor(r2c(r, p.dims, scaleOf(p.norm, r.size(p.dims[0] as number), true), false))
}
/** `torch.fft.ifft(input, n=None, dim=-1, norm=None)`: the 1-D inverse transform. @category torch @since 0.2.0 */
export const ifft = (input: Tensor, ...args: ReadonlyArray<Arg>): Tensor => {
  const p = one('ifft', input, args)
  if (isComplex(input)) return complexTransform(input, p.dims, p.sizes, p.norm, false)
  // real input: the conjugate of the full forward real-to-complex transform (inverse-scaled), as
  // PyTorch computes it (FftR2CBackward0 then a conjugate), so zero imaginary parts read −0
  const r = resize(floatInput(input), p.dims, p.sizes)
  return conjView(new ComplexTensor(r2c(r, p.dims, scaleOf(p.norm, r.size(p.dims[0] as number), false), false)))
}
/** `torch.fft.fft2(input, s=None, dim=(-2, -1), norm=None)`. @category torch @since 0.2.0 */
export const fft2 = (input: Tensor, ...args: ReadonlyArray<Arg>): Tensor => {
  const p = many('fft2', input, args, TWO)
  return complexTransform(input, p.dims, p.sizes, p.norm, true)
}
/** `torch.fft.ifft2(input, s=None, dim=(-2, -1), norm=None)`. @category torch @since 0.2.0 */
export const ifft2 = (input: Tensor, ...args: ReadonlyArray<Arg>): Tensor => {
  const p = many('ifft2', input, args, TWO)
  return complexTransform(input, p.dims, p.sizes, p.norm, false)
}
/** `torch.fft.fftn(input, s=None, dim=None, norm=None)`. @category torch @since 0.2.0 */
export const fftn = (input: Tensor, ...args: ReadonlyArray<Arg>): Tensor => {
  const p = many('fftn', input, args)
  return complexTransform(input, p.dims, p.sizes, p.norm, true)
}
/** `torch.fft.ifftn(input, s=None, dim=None, norm=None)`. @category torch @since 0.2.0 */
export const ifftn = (input: Tensor, ...args: ReadonlyArray<Arg>): Tensor => {
  const p = many('ifftn', input, args)
  return complexTransform(input, p.dims, p.sizes, p.norm, false)
}
/** `torch.fft.rfft(input, n=None, dim=-1, norm=None)`: the onesided transform of real input (⌊n/2⌋+1 bins). @category torch @since 0.2.0 */
export const rfft = (input: Tensor, ...args: ReadonlyArray<Arg>): Tensor => {
  const p = one('rfft', input, args)
  return realForward('rfft', input, p.dims, p.sizes, p.norm, true)
}
/** `torch.fft.irfft(input, n=None, dim=-1, norm=None)`: the real signal (default length 2·(m−1)) of a half spectrum. @category torch @since 0.2.0 */
export const irfft = (input: Tensor, ...args: ReadonlyArray<Arg>): Tensor => {
  const p = one('irfft', input, args)
  return realInverse(input, p.dims, p.sizes, p.norm, false, false)
}
/** `torch.fft.rfft2(input, s=None, dim=(-2, -1), norm=None)`. @category torch @since 0.2.0 */
export const rfft2 = (input: Tensor, ...args: ReadonlyArray<Arg>): Tensor => {
  const p = many('rfft2', input, args, TWO)
  return realForward('rfftn', input, p.dims, p.sizes, p.norm, true)
}
/** `torch.fft.irfft2(input, s=None, dim=(-2, -1), norm=None)`. @category torch @since 0.2.0 */
export const irfft2 = (input: Tensor, ...args: ReadonlyArray<Arg>): Tensor => {
  const p = many('irfft2', input, args, TWO)
  return realInverse(input, p.dims, p.sizes, p.norm, false, false)
}
/** `torch.fft.rfftn(input, s=None, dim=None, norm=None)`. @category torch @since 0.2.0 */
export const rfftn = (input: Tensor, ...args: ReadonlyArray<Arg>): Tensor => {
  const p = many('rfftn', input, args)
  return realForward('rfftn', input, p.dims, p.sizes, p.norm, true)
}
/** `torch.fft.irfftn(input, s=None, dim=None, norm=None)`. @category torch @since 0.2.0 */
export const irfftn = (input: Tensor, ...args: ReadonlyArray<Arg>): Tensor => {
  const p = many('irfftn', input, args)
  return realInverse(input, p.dims, p.sizes, p.norm, false, false)
}
/** `torch.fft.hfft(input, n=None, dim=-1, norm=None)`: the real spectrum of a Hermitian signal given by its half. @category torch @since 0.2.0 */
export const hfft = (input: Tensor, ...args: ReadonlyArray<Arg>): Tensor => {
  const p = one('hfft', input, args)
  return realInverse(input, p.dims, p.sizes, p.norm, true, true)
}
/** `torch.fft.ihfft(input, n=None, dim=-1, norm=None)`: the inverse of hfft, `conj(rfft(x))` inverse-scaled. @category torch @since 0.2.0 */
export const ihfft = (input: Tensor, ...args: ReadonlyArray<Arg>): Tensor => {
  const p = one('ihfft', input, args)
  return conjView(realForward('ihfft', input, p.dims, p.sizes, p.norm, false))
}

/** hfftn: forward over all but the last of `dims`, conjugate, then the real signal of the last (FftC2RBackward0 ← ConjBackward0 ← FftC2CBackward0). */
const hermitianForward = (x: Tensor, dims: number[], sizes: Array<number | null>, norm: unknown): Tensor => {
  const z = complexInput(x)
  const last = dims.length - 1
  const n = sizes[last] ?? 2 * (z.size(dims[last] as number) - 1)
  if (n < 1) throw new RuntimeError(`Invalid number of data points (${n}) specified`)
  const half = [...sizes]
  half[last] = Math.floor(n / 2) + 1
  const ri = resize(z._ri, dims, half)
  const rest = dims.slice(0, -1)
  const total = rest.reduce((a, d) => a * ri.size(d), n)
  const c = conj(new ComplexTensor(rest.length === 0 ? ri : c2c(ri, rest, -1, 1)))
  return c2r(c._ri, [dims[last] as number], n, scaleOf(norm, total, true))
}

/** ihfftn: the onesided transform of the last of `dims`, conjugated, then the inverse over the others (FftC2CBackward0 ← ConjPhysicalBackward0 ← FftR2CBackward0). */
const hermitianInverse = (x: Tensor, dims: number[], sizes: Array<number | null>, norm: unknown): Tensor => {
  if (isComplex(x))
    throw new RuntimeError(
      'Expected self.is_floating_point() to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)',
    )
  const r = resize(floatInput(x), dims, sizes)
  const total = dims.reduce((a, d) => a * r.size(d), 1)
  const last = dims[dims.length - 1] as number
  const half = conj(new ComplexTensor(r2c(r, [last], scaleOf(norm, total, false))), 'ConjPhysicalBackward0')
  const rest = dims.slice(0, -1)
  return rest.length === 0 ? half : new ComplexTensor(c2c(half._ri, rest, 1, 1))
}

/** `torch.fft.hfft2(input, s=None, dim=(-2, -1), norm=None)`: the real 2-D transform of a Hermitian signal given by its half (last dimension). @category torch @since 0.7.0 */
export const hfft2 = (input: Tensor, ...args: ReadonlyArray<Arg>): Tensor => {
  const p = many('hfft2', input, args, TWO)
  return hermitianForward(input, p.dims, p.sizes, p.norm)
}
/** `torch.fft.ihfft2(input, s=None, dim=(-2, -1), norm=None)`: the inverse of hfft2 (a real input; the half spectrum of the last dimension). @category torch @since 0.7.0 */
export const ihfft2 = (input: Tensor, ...args: ReadonlyArray<Arg>): Tensor => {
  const p = many('ihfft2', input, args, TWO)
  return hermitianInverse(input, p.dims, p.sizes, p.norm)
}
/** `torch.fft.hfftn(input, s=None, dim=None, norm=None)`: the real N-D transform of a Hermitian signal given by its half (last transformed dimension). @category torch @since 0.7.0 */
export const hfftn = (input: Tensor, ...args: ReadonlyArray<Arg>): Tensor => {
  const p = many('hfftn', input, args)
  return hermitianForward(input, p.dims, p.sizes, p.norm)
}
/** `torch.fft.ihfftn(input, s=None, dim=None, norm=None)`: the inverse of hfftn. @category torch @since 0.7.0 */
export const ihfftn = (input: Tensor, ...args: ReadonlyArray<Arg>): Tensor => {
  const p = many('ihfftn', input, args)
  return hermitianInverse(input, p.dims, p.sizes, p.norm)
}

/**
 * `torch.stft`: the short-time Fourier transform of a 1-D signal or a batch of them (B, L), as
 * PyTorch 2.x defines it. With `center` the signal is first padded by ⌊n_fft/2⌋ on both sides
 * (`pad_mode`: "reflect", "constant", "replicate" or "circular"); frames of `n_fft` samples every
 * `hop_length` (default ⌊n_fft/4⌋) are multiplied by `window` (`win_length` long, default n_fft,
 * zero-padded to n_fft in the middle; none means all ones) and transformed, `normalized` scaling by
 * n_fft^(−1/2). A real signal and window give the onesided spectrum (⌊n_fft/2⌋+1 bins) unless
 * `onesided=false`; a complex one the full spectrum. The result is (B?, bins, frames), complex;
 * `return_complex` must be given for real input (PyTorch 2.x's error; 1.13 only warned), and
 * `false` gives its `view_as_real` with PyTorch's deprecation warning. The graph is PyTorch's:
 * `AsStridedBackward0` frames, `MulBackward0`, `FftR2CBackward0`/`FftC2CBackward0`,
 * `TransposeBackward1`, then `SqueezeBackward4` for a 1-D signal (2.x's name of `squeeze_(dim)`).
 *
 * @category torch
 * @since 0.7.0
 */
import { Tensor } from './tensor'
import { ones } from './creation'
import { NotImplementedError, RuntimeError } from './errors'
import { parseArgs, type PyArgs } from './kwargs'
import { requireInput } from './pyTypeName'
import { warn } from './warnings'
import { pad } from './nn/padding'
import { ComplexTensor, fromParts, im, isComplex, partsOf, re } from './complex/tensor'
import { mul as complexMul } from './complex/ops'
import { c2c, r2c } from './fftOps'
import { view_as_real } from './complex/index'

/** Keyword arguments of `torch.stft`. @category torch @since 0.7.0 */
export interface StftKw {
  /** Samples between frames. @defaultValue ⌊n_fft/4⌋ */
  readonly hop_length?: number | null
  /** The window's length (≤ n_fft). @defaultValue n_fft */
  readonly win_length?: number | null
  /** A 1-D window of `win_length` samples. @defaultValue all ones (with a warning) */
  readonly window?: Tensor | null
  /** Pad the signal by ⌊n_fft/2⌋ on both sides first. @defaultValue true */
  readonly center?: boolean
  /** "reflect", "constant", "replicate" or "circular". @defaultValue "reflect" */
  readonly pad_mode?: string
  /** Scale by n_fft^(−1/2). @defaultValue false */
  readonly normalized?: boolean
  /** Only the ⌊n_fft/2⌋+1 non-negative frequencies. @defaultValue true for real input and window */
  readonly onesided?: boolean | null
  /** Complex result (required for real input); false gives its view_as_real. */
  readonly return_complex?: boolean | null
}

/** The positional parameters of `torch.stft` after `n_fft`. @category torch @since 0.7.0 */
export type StftPositional = [
  hop_length: number | null,
  win_length: number | null,
  window: Tensor | null,
  center: boolean,
  pad_mode: string,
  normalized: boolean,
  onesided: boolean | null,
  return_complex: boolean | null,
]

const STFT_NAMES = [
  'hop_length',
  'win_length',
  'window',
  'center',
  'pad_mode',
  'normalized',
  'onesided',
  'return_complex',
] as const

const warned = new Set<string>()
/** PyTorch's TORCH_WARN_ONCE: each message once per process. @internal */
export const warnOnce = (message: string): void => {
  if (warned.has(message)) return
  warned.add(message)
  warn(message)
}

/** PyTorch's C++ type string of a tensor in these messages (`torch.DoubleTensor`). @internal */
export const typeString = (t: Tensor): string => {
  const parts = isComplex(t) ? partsOf(t.dtype) : t.dtype
  const word = parts.word
  return isComplex(t) ? `torch.Complex${word}Tensor` : `torch.${word}Tensor`
}

/** A boolean or optional boolean as C++ prints it (1/0, None). @internal */
export const cppOpt = (v: unknown): string =>
  v === undefined || v === null ? 'None' : v === true ? '1' : v === false ? '0' : String(v)

/** The real and imaginary parts of `t` (the imaginary part null for a real tensor). */
const partsOfTensor = (t: Tensor): [Tensor, Tensor | null] => (isComplex(t) ? [re(t), im(t)] : [t, null])

/** `f` applied to a real tensor, or to each part of a complex one. @internal */
export const perPart = (t: Tensor, f: (p: Tensor) => Tensor): Tensor => {
  const [r, i] = partsOfTensor(t)
  return i === null ? f(r) : fromParts(f(r), f(i))
}

/** The window centred in n_fft samples (zeros around it; all ones when none is given). */
const fullWindow = (window: Tensor | null, win: number, n_fft: number, like: Tensor): Tensor | null => {
  if (win === n_fft) return window
  const left = Math.floor((n_fft - win) / 2)
  const w = window ?? ones([win], { dtype: isComplex(like) ? partsOf(like.dtype) : like.dtype })
  return perPart(w, (p) => pad(p, [left, n_fft - win - left]))
}

/** The frames (B, frames, n_fft) of a (B, L) signal: an as_strided view, as PyTorch takes them. */
const framesOf = (x: Tensor, n_fft: number, hop: number, n_frames: number): Tensor => {
  const src = isComplex(x) ? x._ri : x
  const st = src.stride() as number[]
  const [s0, s1] = [st[0] as number, st[1] as number]
  const sizes = [x.size(0), n_frames, n_fft]
  const strides = [s0, hop * s1, s1]
  if (!isComplex(x)) return src.as_strided(sizes, strides, src.storage_offset())
  return new ComplexTensor(src.as_strided([...sizes, 2], [...strides, st[2] as number], src.storage_offset()))
}

/** `x · w` (MulBackward0 on the values when the window is real). @internal */
export const timesWindow = (x: Tensor, w: Tensor): Tensor => {
  if (isComplex(w)) return complexMul(x, w)
  return isComplex(x) ? new ComplexTensor(x._ri.mul(w.unsqueeze(-1))) : x.mul(w)
}

const padSignal = (x: Tensor, n_fft: number, mode: string): Tensor => {
  const dim = x.dim()
  const extended = [...new Array<number>(Math.max(0, 3 - dim)).fill(1), ...x.shape]
  const half = Math.floor(n_fft / 2)
  return perPart(x, (p) => {
    const padded = pad(p.view(extended), [half, half], mode as 'reflect')
    return padded.view(padded.shape.slice(-dim))
  })
}

/**
 * `torch.stft(input, n_fft, hop_length=None, win_length=None, window=None, center=True,
 * pad_mode='reflect', normalized=False, onesided=None, return_complex=None)`: see the module doc.
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.sin(torch.arange(16, { dtype: torch.float64 }))
 * const s = torch.stft(x, 8, { hop_length: 2, window: torch.hann_window(8, { dtype: torch.float64 }), return_complex: true })
 * assert.deepStrictEqual([...s.shape], [5, 9])
 * @category torch @since 0.7.0
 */
export const stft = (input: Tensor, n_fft: number, ...rest: PyArgs<StftPositional, StftKw>): Tensor => {
  requireInput('stft', input)
  const a = parseArgs('stft', rest, STFT_NAMES) as StftKw
  const window = a.window ?? null
  if (window === null)
    warnOnce(
      'A window was not provided. A rectangular window will be applied,which is known to cause spectral leakage. Other windows such as torch.hann_window or torch.hamming_window can are recommended to reduce spectral leakage.To suppress this warning and use a rectangular window, explicitly set `window=torch.ones(n_fft, device=<device>)`.',
    )
  const givenComplex = a.return_complex ?? null
  const returnComplex = givenComplex ?? (isComplex(input) || (window !== null && isComplex(window)))
  if (!returnComplex) {
    if (givenComplex === null)
      throw new RuntimeError(
        'stft requires the return_complex parameter be given for real inputs, and will further require that return_complex=True in a future PyTorch release.',
      )
    warnOnce(
      'stft with return_complex=False is deprecated. In a future pytorch release, stft will return complex tensors for all inputs, and return_complex=False will raise an error.\nNote: you can still call torch.view_as_real on the complex output to recover the old return format.',
    )
  }
  const mode = a.pad_mode ?? 'reflect'
  if (!['reflect', 'constant', 'replicate', 'circular'].includes(mode))
    throw new NotImplementedError(`Unrecognised padding mode ${mode}`)
  const x = (a.center ?? true) && input.dim() <= 3 ? padSignal(input, n_fft, mode) : input
  const hop = a.hop_length ?? n_fft >> 2
  const win = a.win_length ?? n_fft
  const repr = (): string =>
    `stft(${typeString(x)}[${x.shape.join(', ')}], n_fft=${n_fft}, hop_length=${hop}, win_length=${win}, window=${window === null ? 'None' : `${typeString(window)}{[${window.shape.join(', ')}]}`}, normalized=${cppOpt(a.normalized ?? false)}, onesided=${cppOpt(a.onesided)}, return_complex=${cppOpt(givenComplex)}) `
  if (!isComplex(x) && !x.is_floating_point())
    throw new RuntimeError(`${repr()}: expected a tensor of floating point or complex values`)
  if (x.dim() > 2 || x.dim() < 1) throw new RuntimeError(`${repr()}: expected a 1D or 2D tensor`)
  const signal = x.dim() === 1 ? perPart(x, (p) => p.unsqueeze(0)) : x
  const len = signal.size(1)
  if (n_fft <= 0 || n_fft > len) throw new RuntimeError(`${repr()}: expected 0 < n_fft < ${len}, but got n_fft=${win}`)
  if (hop <= 0) throw new RuntimeError(`${repr()}: expected hop_length > 0, but got hop_length=${hop}`)
  if (win <= 0 || win > n_fft)
    throw new RuntimeError(`${repr()}: expected 0 < win_length <= n_fft, but got win_length=${win}`)
  if (window !== null && (window.dim() !== 1 || window.size(0) !== win))
    throw new RuntimeError(
      `${repr()}: expected a 1D window tensor of size equal to win_length=${win}, but got window with size [${window.shape.join(', ')}]`,
    )
  const w = fullWindow(window, win, n_fft, x)
  const n_frames = 1 + Math.floor((len - n_fft) / hop)
  const framed = framesOf(signal, n_fft, hop, n_frames)
  const frames = w === null ? framed : timesWindow(framed, w)
  const scale = a.normalized === true ? 1 / Math.sqrt(n_fft) : 1
  let ri: Tensor
  if (isComplex(frames)) {
    if (a.onesided ?? false) throw new RuntimeError('Cannot have onesided output if window or input is complex')
    ri = c2c(frames._ri, [2], -1, scale)
  } else ri = r2c(frames, [2], scale, a.onesided ?? true)
  ri = ri.transpose_(1, 2)
  if (input.dim() === 1) ri = ri.squeeze_(0)
  const out = new ComplexTensor(ri)
  return returnComplex ? out : view_as_real(out)
}

/**
 * `torch.istft`: the inverse of `torch.stft` (./stft.ts) by weighted overlap-add, as PyTorch 2.x
 * defines it: each frame of the complex spectrum (B?, bins, frames) is inverse-transformed
 * (`FftC2RBackward0`, or `FftC2CBackward0` with `return_complex`), multiplied by the window,
 * overlap-added (`UnfoldBackwardBackward0`: the adjoint of taking frames), trimmed by ⌊n_fft/2⌋ at
 * the front with `center` and to `length` (zero-padded when longer, with PyTorch's warning), and
 * divided by the overlap-added squared window (PyTorch's error where that is below 1e−11). The
 * input must be complex (2.x's error; 1.13 still read a real (…, 2) tensor).
 *
 * @category torch
 * @since 0.7.0
 */
import { NdArray } from '../ndarray/NdArray'
import { op } from './autograd/op'
import { Tensor } from './tensor'
import { ones } from './creation'
import { IndexError, NotImplementedError, RuntimeError } from './errors'
import { parseArgs, type PyArgs } from './kwargs'
import { requireInput } from './pyTypeName'
import { pad } from './nn/padding'
import { ComplexTensor, isComplex, partsOf } from './complex/tensor'
import { c2c, c2r } from './fftOps'
import { cppOpt, perPart, timesWindow, typeString, warnOnce } from './stft'

/** Keyword arguments of `torch.istft`. @category torch @since 0.7.0 */
export interface IstftKw {
  /** Samples between frames. @defaultValue ⌊n_fft/4⌋ */
  readonly hop_length?: number | null
  /** The window's length (≤ n_fft). @defaultValue n_fft */
  readonly win_length?: number | null
  /** The window stft used (1-D, `win_length` samples). @defaultValue all ones (with a warning) */
  readonly window?: Tensor | null
  /** The spectrum came from a centred stft. @defaultValue true */
  readonly center?: boolean
  /** The spectrum came from a normalized stft. @defaultValue false */
  readonly normalized?: boolean
  /** The spectrum is onesided. @defaultValue bins ≠ n_fft */
  readonly onesided?: boolean | null
  /** The signal's length (trimmed or zero-padded to it). */
  readonly length?: number | null
  /** A complex signal (from a twosided spectrum). @defaultValue false */
  readonly return_complex?: boolean
}

/** The positional parameters of `torch.istft` after `n_fft`. @category torch @since 0.7.0 */
export type IstftPositional = [
  hop_length: number | null,
  win_length: number | null,
  window: Tensor | null,
  center: boolean,
  normalized: boolean,
  onesided: boolean | null,
  length: number | null,
  return_complex: boolean,
]

const ISTFT_NAMES = [
  'hop_length',
  'win_length',
  'window',
  'center',
  'normalized',
  'onesided',
  'length',
  'return_complex',
] as const

/** Sums frames (B, T, n, …rest) at every `hop` into (B, total, …rest). */
const overlapAddValues = (v: NdArray, total: number, hop: number): NdArray => {
  const [b, t, n] = v.shape as [number, number, number]
  const inner = v.shape.slice(3).reduce((x, y) => x * y, 1)
  const src = v._values('istft')
  const out = new Float64Array(b * total * inner)
  for (let i = 0; i < b; i++)
    for (let f = 0; f < t; f++)
      for (let k = 0; k < n * inner; k++) {
        const at = (i * total + f * hop) * inner + k
        out[at] = (out[at] as number) + (src[(i * t + f) * n * inner + k] as number)
      }
  const shape = [b, total, ...v.shape.slice(3)]
  return new NdArray(shape, v.dtype, v.dtype === 'float32' ? Float32Array.from(out) : out)
}

/** The overlap-add of frames (B, T, n, …rest) into (B, total, …rest): its gradient takes the frames again. */
const overlapAdd = (frames: Tensor, total: number, hop: number): Tensor => {
  const n = frames.size(2)
  const framesOf = (g: Tensor): Tensor => g.unfold(1, n, hop).movedim(-1, 2)
  return op('UnfoldBackwardBackward0', [frames], (v) => overlapAddValues(v, total, hop), {
    grads: (g) => [framesOf(Tensor._fromValue(g)).contiguous()],
    formula: (g) => [framesOf(g)],
  })
}

/** `f` of the values of a complex tensor (a complex result), or of a real one. */
const onValues = (t: Tensor, f: (v: Tensor) => Tensor): Tensor => (isComplex(t) ? new ComplexTensor(f(t._ri)) : f(t))

/**
 * `torch.istft(input, n_fft, hop_length=None, win_length=None, window=None, center=True,
 * normalized=False, onesided=None, length=None, return_complex=False)`: see the module doc.
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.sin(torch.arange(16, { dtype: torch.float64 }))
 * const w = torch.hann_window(8, { dtype: torch.float64 })
 * const s = torch.stft(x, 8, { hop_length: 2, window: w, return_complex: true })
 * assert.ok(torch.allclose(torch.istft(s, 8, { hop_length: 2, window: w, length: 16 }), x))
 * @category torch @since 0.7.0
 */
export const istft = (input: Tensor, n_fft: number, ...rest: PyArgs<IstftPositional, IstftKw>): Tensor => {
  requireInput('istft', input)
  const a = parseArgs('istft', rest, ISTFT_NAMES) as IstftKw
  const window = a.window ?? null
  if (window === null)
    warnOnce(
      'A window was not provided. A rectangular window will be applied.Please provide the same window used by stft to make the inversion lossless.To suppress this warning and use a rectangular window, explicitly set `window=torch.ones(n_fft, device=<device>)`.',
    )
  const hop = a.hop_length ?? n_fft >> 2
  const win = a.win_length ?? n_fft
  const center = a.center ?? true
  const returnComplex = a.return_complex ?? false
  if (!isComplex(input))
    throw new RuntimeError(
      'istft requires a complex-valued input tensor matching the output from stft with return_complex=True.',
    )
  const ri = input._ri
  const d = ri.dim()
  if (d < 3) throw new IndexError(`Dimension out of range (expected to be in range of [${-d}, ${d - 1}], but got -3)`)
  const [bins, n_frames] = [ri.size(-3), ri.size(-2)]
  const repr = (): string =>
    `istft(CPUComplex${partsOf(input.dtype).word}Type[${input.shape.join(', ')}], n_fft=${n_fft}, hop_length=${hop}, win_length=${win}, window=${window === null ? 'None' : `${typeString(window)}{[${window.shape.join(', ')}]}`}, center=${cppOpt(center)}, normalized=${cppOpt(a.normalized ?? false)}, onesided=${cppOpt(a.onesided)}, length=${cppOpt(a.length)}, return_complex=${cppOpt(returnComplex)}) `
  if (ri.numel() === 0) throw new RuntimeError(`${repr()}: input tensor cannot be empty.`)
  if (d !== 3 && d !== 4) throw new RuntimeError(`${repr()}: expected a tensor with 3 or 4 dimensions, but got ${d}`)
  const onesided = a.onesided ?? bins !== n_fft
  if (onesided && Math.floor(n_fft / 2) + 1 !== bins)
    throw new RuntimeError(
      `${repr()}: expected the frequency dimension (3rd to the last) of the input tensor to match n_fft / 2 + 1 when onesided=True, but got ${bins}`,
    )
  if (!onesided && n_fft !== bins)
    throw new RuntimeError(
      `${repr()}: expected the frequency dimension (3rd to the last) of the input tensor to match n_fft when onesided=False, but got ${bins}`,
    )
  if (!(hop > 0 && hop <= win)) throw new RuntimeError(`${repr()}: expected 0 < hop_length <= win_length`)
  if (!(win > 0 && win <= n_fft)) throw new RuntimeError(`${repr()}: expected 0 < win_length <= n_fft`)
  if (window !== null && (window.dim() !== 1 || window.size(0) !== win))
    throw new RuntimeError(`${repr()}: Invalid window shape. window has to be 1D and length of \`win_length\``)
  let w = window ?? ones([win], { dtype: partsOf(input.dtype) })
  if (win !== n_fft) {
    const left = Math.floor((n_fft - win) / 2)
    w = perPart(w, (p) => pad(p, [left, n_fft - win - left]))
  }
  const batched = d === 3 ? ri.unsqueeze(0) : ri
  const spec = batched.transpose(1, 2) // (B, frames, bins, 2)
  const scale = a.normalized === true ? 1 / Math.sqrt(n_fft) : 1 / n_fft
  let frames: Tensor
  if (returnComplex) {
    if (onesided) throw new RuntimeError('Cannot have onesided output if window or input is complex')
    frames = new ComplexTensor(c2c(spec, [2], 1, scale))
  } else {
    if (isComplex(w)) throw new RuntimeError('Complex windows are incompatible with return_complex=False')
    const half = onesided ? spec : spec.narrow(2, 0, Math.floor(n_fft / 2) + 1)
    frames = c2r(half, [2], n_fft, scale)
  }
  const wv = perPart(w, (p) => p.view(1, 1, n_fft))
  const weighted = timesWindow(frames, wv)
  const expected = n_fft + hop * (n_frames - 1)
  let y = onValues(weighted, (v) => overlapAdd(v, expected, hop))
  if (isComplex(w)) throw new NotImplementedError('istft: a complex window is not supported in wengert')
  let env = overlapAdd(w.pow(2).expand(1, n_frames, n_fft), expected, hop)
  const start = center ? Math.floor(n_fft / 2) : 0
  const end = a.length !== undefined && a.length !== null ? start + a.length : center ? expected - start : expected
  const stop = Math.min(Math.max(end, start), expected)
  y = onValues(y, (v) => v.narrow(1, start, stop - start))
  env = env.narrow(1, start, stop - start)
  if (Boolean(env.abs().min().lt(1e-11).item()))
    throw new RuntimeError(`${repr()}window overlap add min: 1\n[ CPUBoolType{} ]`)
  y = onValues(y, (v) => v.div(isComplex(y) ? env.unsqueeze(-1) : env))
  if (d === 3) y = onValues(y, (v) => v.squeeze(0))
  if (end > expected) {
    warnOnce(
      'The length of signal is shorter than the length parameter. Result is being padded with zeros in the tail. Please check your center and hop_length settings.',
    )
    y = onValues(y, (v) => pad(v, isComplex(y) ? [0, 0, 0, end - expected] : [0, end - expected]))
  }
  return y
}

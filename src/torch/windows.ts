/**
 * Window functions (`torch.hann_window`, `hamming_window`, `blackman_window`, `bartlett_window`,
 * `kaiser_window`): `window_length` samples of the window, periodic by default (the symmetric
 * window of length + 1 without its last sample, as for spectral analysis) or symmetric with
 * `periodic: false`; default float dtype, floating dtypes only.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.hann_window(4).tolist(), [0, 0.5, 1, 0.5])
 * assert.deepStrictEqual(torch.bartlett_window(5, false).tolist(), [0, 0.5, 1, 0.5, 0])
 * assert.deepStrictEqual(torch.hann_window(1).tolist(), [1])
 * @category torch
 * @since 0.2.0
 */
import { float64, get_default_dtype, type TorchDType } from './dtype'
import { RuntimeError } from './errors'
import { parseArgs, type PyArgs } from './kwargs'
import { arange, ones, tensor, zeros } from './creation'
import type { Tensor } from './tensor'

type T = Tensor
/** The factory keywords of the window functions. */
export interface WindowKw {
  readonly dtype?: TorchDType
  readonly requires_grad?: boolean
  readonly device?: string
  readonly periodic?: boolean
}

/** The C++ names PyTorch's TensorOptions print for the integer dtypes. */
const CPP_NAME: Readonly<Record<string, string>> = {
  int64: 'long int',
  int32: 'int',
  int16: 'short int',
  int8: 'signed char',
  uint8: 'unsigned char',
  bool: 'bool',
}

/**
 * The window `f(t)` over t = 2πn/(M − 1), n = 0 … M − 1 (M = length, + 1 when periodic), in
 * float64, then cast to the requested dtype. The trivial lengths 0 and 1 give [] and [1].
 */
const window = (fn: string, length: number, kw: WindowKw, f: (n: T, m: number) => T): T => {
  if (!(Number.isInteger(length) && length >= 0))
    throw new RuntimeError(`${fn} requires non-negative window_length, got window_length=${length}`)
  const dtype = kw.dtype ?? get_default_dtype()
  if (!dtype.is_floating_point)
    throw new RuntimeError(
      `${fn} expects floating point dtypes, got: TensorOptions(dtype=${CPP_NAME[dtype.name] ?? dtype.name}, device=cpu, layout=Strided (default), requires_grad=${kw.requires_grad === true ? 'true' : 'false (default)'}, pinned_memory=false, memory_format=(nullopt))`,
    )
  const opts = { dtype, requires_grad: kw.requires_grad ?? false }
  if (length === 0) return zeros(0, opts)
  if (length === 1) return ones(1, opts)
  const m = kw.periodic === false ? length : length + 1
  const w = f(arange(length, { dtype: float64 }), m).to(dtype)
  return tensor(w, opts)
}

/** Generalised cosine window Σₖ aₖ·cos(2πkn/(M − 1)) with signs alternating. */
const cosineSum =
  (...a: number[]) =>
  (n: T, m: number): T =>
    a.reduce<T>(
      (acc, c, k) =>
        acc.add(
          n
            .mul((2 * Math.PI * k) / (m - 1))
            .cos()
            .mul(k % 2 === 0 ? c : -c),
        ),
      n.mul(0),
    )

type Periodic = PyArgs<[periodic: boolean], WindowKw>
type Hamming = PyArgs<[periodic: boolean, alpha: number, beta: number], WindowKw & { alpha?: number; beta?: number }>

/** `torch.hann_window(window_length, periodic=True)`: ½ − ½cos(2πn/(M − 1)). @category torch @since 0.2.0 */
export const hann_window = (window_length: number, ...rest: Periodic): T => {
  const a = parseArgs('hann_window', rest, ['periodic', 'dtype', 'requires_grad', 'device']) as WindowKw
  return window('hann_window', window_length, a, cosineSum(0.5, 0.5))
}
/** `torch.hamming_window(window_length, periodic=True, alpha=0.54, beta=0.46)`: α − βcos(2πn/(M − 1)). @category torch @since 0.2.0 */
export const hamming_window = (window_length: number, ...rest: Hamming): T => {
  const names = ['periodic', 'alpha', 'beta', 'dtype', 'requires_grad', 'device']
  const a = parseArgs('hamming_window', rest, names) as WindowKw & { alpha?: number; beta?: number }
  return window('hamming_window', window_length, a, cosineSum(a.alpha ?? 0.54, a.beta ?? 0.46))
}
/** `torch.blackman_window(window_length, periodic=True)`: 0.42 − ½cos(2πn/(M − 1)) + 0.08cos(4πn/(M − 1)). @category torch @since 0.2.0 */
export const blackman_window = (window_length: number, ...rest: Periodic): T => {
  const a = parseArgs('blackman_window', rest, ['periodic', 'dtype', 'requires_grad', 'device']) as WindowKw
  return window('blackman_window', window_length, a, cosineSum(0.42, 0.5, 0.08))
}
/** `torch.bartlett_window(window_length, periodic=True)`: the triangle 1 − |2n/(M − 1) − 1|. @category torch @since 0.2.0 */
export const bartlett_window = (window_length: number, ...rest: Periodic): T => {
  const a = parseArgs('bartlett_window', rest, ['periodic', 'dtype', 'requires_grad', 'device']) as WindowKw
  return window('bartlett_window', window_length, a, (n, m) =>
    n
      .mul(2 / (m - 1))
      .sub(1)
      .abs()
      .neg()
      .add(1),
  )
}
/** `torch.kaiser_window(window_length, periodic=True, beta=12.0)`: I₀(β√(1 − (2n/(M − 1) − 1)²))/I₀(β). @category torch @since 0.2.0 */
export const kaiser_window = (
  window_length: number,
  ...rest: PyArgs<[periodic: boolean, beta: number], WindowKw & { beta?: number }>
): T => {
  const names = ['periodic', 'beta', 'dtype', 'requires_grad', 'device']
  const a = parseArgs('kaiser_window', rest, names) as WindowKw & { beta?: number }
  const beta = a.beta ?? 12
  return window('kaiser_window', window_length, a, (n, m) => {
    const r = n.mul(2 / (m - 1)).sub(1)
    return r
      .mul(r)
      .neg()
      .add(1)
      .clamp_min(0)
      .sqrt()
      .mul(beta)
      .i0()
      .div(tensor(beta, { dtype: float64 }).i0())
  })
}

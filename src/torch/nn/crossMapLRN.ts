/**
 * `nn.CrossMapLRN2d`: the legacy (Lua Torch) cross-channel local response normalisation, with
 * PyTorch's forward and its hand-written backward. Both are reproduced as PyTorch computes them:
 * the forward's running window adds the channel `c + pre_pad − 1` and drops the channel
 * `c − pre_pad` only from `c > pre_pad` on, and the backward sums a window of `size` ratios
 * starting `size − ⌊(size − 1)/2⌋` slots before the channel. The backward is therefore PyTorch's
 * formula, not the exact derivative of the forward (they agree only where the windows agree).
 *
 * @category torch
 * @since 0.2.0
 */
import { Function, type FunctionCtx } from '../autograd/function'
import { tensor } from '../creation'
import { RuntimeError, TorchValueError } from '../errors'
import type { Tensor } from '../tensor'
import { pyFloat } from './layers'
import { Module } from './module'
import { pyClass } from './pyclass'
import { lrnSettings, type LrnArgs } from './norm2'

/** A C×C matrix of coefficients, row `c` giving the weight of each input channel. */
type Coeffs = number[][]

/** The forward's window: simulates PyTorch's running-sum recurrence on coefficient vectors. */
const forwardWindow = (channels: number, size: number): Coeffs => {
  const prePad = Math.trunc((size - 1) / 2 + 1)
  const first = Array.from({ length: channels }, (_, j) => (j < Math.min(prePad, channels) ? 1 : 0))
  const rows: Coeffs = [first]
  for (let c = 1; c < channels; c++) {
    const row = [...(rows[c - 1] as number[])]
    if (c < channels - prePad + 1) row[c + prePad - 1] = (row[c + prePad - 1] as number) + 1
    if (c > prePad) row[c - prePad] = (row[c - prePad] as number) - 1
    rows.push(row)
  }
  return rows
}

/** The backward's window: row `c` sums the ratios of channels `c − p … c + size − 1 − p`. */
const backwardWindow = (channels: number, size: number): Coeffs => {
  const p = Math.trunc(size - (size - 1) / 2)
  if (p + channels > channels + size - 1)
    throw new RuntimeError(`start (${p}) + length (${channels}) exceeds dimension size (${channels + size - 1}).`)
  return Array.from({ length: channels }, (_, c) =>
    Array.from({ length: channels }, (_, i) => (i + p >= c && i + p <= c + size - 1 ? 1 : 0)),
  )
}

/** Mixes the channels of a 4-D `x` by `m`: `out[n, c] = Σ_j m[c][j] · x[n, j]`. */
const mixChannels = (m: Coeffs, x: Tensor): Tensor => {
  const [n, c, h, w] = x.shape as unknown as [number, number, number, number]
  return tensor(m, { dtype: x.dtype })
    .matmul(x.reshape(n, c, h * w))
    .reshape(n, c, h, w)
}

/** The settings a forward leaves on ctx for the backward. */
interface LrnState {
  readonly size: number
  readonly alpha: number
  readonly beta: number
  readonly scale: Tensor
}

/** PyTorch's `_cross_map_lrn2d` Function (its node is `CrossMapLRN2dBackward`). */
class CrossMapLRN2dFn extends Function {
  static {
    Object.defineProperty(this, 'name', { value: 'CrossMapLRN2d' })
  }

  static override forward(ctx: FunctionCtx, input: Tensor, size: number, alpha = 1e-4, beta = 0.75, k = 1): Tensor {
    if (input.dim() !== 4)
      throw new TorchValueError(`CrossMapLRN2d: Expected input to be 4D, got ${input.dim()}D instead.`)
    const sq = input.pow(2)
    const scale = mixChannels(forwardWindow(input.shape[1] as number, size), sq)
      .mul(alpha / size)
      .add(k)
    const output = scale.pow(-beta).mul(input)
    const state: LrnState = { size, alpha, beta, scale }
    ctx['lrn'] = state
    ctx.save_for_backward(input, output)
    return output
  }

  static override backward(ctx: FunctionCtx, gradOutput: Tensor): Array<Tensor | null> {
    const [input, output] = ctx.saved_tensors as [Tensor, Tensor]
    const { size, alpha, beta, scale } = ctx['lrn'] as LrnState
    const window = backwardWindow(input.shape[1] as number, size)
    const ratio = gradOutput.mul(output).div(scale)
    const accum = mixChannels(window, ratio)
    const gradInput = scale
      .pow(-beta)
      .mul(gradOutput)
      .sub(input.mul(accum).mul((2 * alpha * beta) / size))
    return [gradInput, null, null, null, null]
  }
}

/** Python's str of a number given as int or float: `1` → `1`, `0.5` → `0.5`. */
const pyNum = (v: number): string => (Number.isInteger(v) ? String(v) : pyFloat(v))

/** See {@link CrossMapLRN2d}. */
class CrossMapLRN2dImpl extends Module {
  readonly size: number
  readonly alpha: number
  readonly beta: number
  readonly k: number

  constructor(...args: LrnArgs) {
    super()
    const o = lrnSettings('CrossMapLRN2d', args)
    ;[this.size, this.alpha, this.beta, this.k] = [o.size, o.alpha, o.beta, o.k]
  }

  /** PyTorch's legacy cross-map LRN of a 4-D `input` (N, C, H, W). */
  forward(input: Tensor): Tensor {
    return CrossMapLRN2dFn.apply(input, this.size, this.alpha, this.beta, this.k) as Tensor
  }

  override extra_repr(): string {
    return `${this.size}, alpha=${pyNum(this.alpha)}, beta=${pyNum(this.beta)}, k=${pyNum(this.k)}`
  }
}

/**
 * The legacy cross-channel local response normalisation of a 4-D input, with PyTorch's forward
 * recurrence and hand-written backward (see the module notes): `x · (k + alpha/size · S)^(−beta)`,
 * `S` a running sum of squares over neighbouring channels.
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.nn.CrossMapLRN2d(3, 0.5)
 * assert.strictEqual(String(m), 'CrossMapLRN2d(3, alpha=0.5, beta=0.75, k=1)')
 * assert.deepStrictEqual([...m.forward(torch.ones(1, 2, 1, 1)).shape], [1, 2, 1, 1])
 * @category torch @since 0.2.0
 */
export const CrossMapLRN2d = pyClass(CrossMapLRN2dImpl, 'CrossMapLRN2d')
/** An `nn.CrossMapLRN2d` instance. @category torch @since 0.2.0 */
export type CrossMapLRN2d = CrossMapLRN2dImpl

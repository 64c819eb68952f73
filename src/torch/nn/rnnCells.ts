/**
 * Recurrent cells: `RNNCell`, `LSTMCell`, `GRUCell`, and the one-step update functions the
 * multi-layer `RNN`/`LSTM`/`GRU` share with them (PyTorch's gate order: LSTM i, f, g, o; GRU
 * r, z, n with `n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))`).
 *
 * @category torch
 * @since 0.2.0
 */
import { empty, zeros } from '../creation'
import { get_default_dtype, type TorchDType } from '../dtype'
import { AssertionError, RuntimeError, TorchValueError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { cat } from '../ops/functions'
import type { Tensor } from '../tensor'
import * as F from './functional'
import * as init from './init'
import { required } from './layers'
import { Module } from './module'
import { Parameter } from './parameter'
import { pyClass } from './pyclass'
import { canScan, scanDirection, type StepFn } from './rnnScan'

type T = Tensor

// -------------------------------------------------------------------------------------
// one step (shared with the multi-layer modules)
// -------------------------------------------------------------------------------------

/** `h W_hhᵀ + b_hh`. */
const hidden = (h: T, w_hh: T, b_hh: T | null): T => F.linear(h, w_hh, b_hh)

/** Elman step: `act(gi + h W_hhᵀ + b_hh)`, `gi = x W_ihᵀ + b_ih`. */
export const rnnStep = (relu: boolean, gi: T, h: T, w_hh: T, b_hh: T | null): T => {
  const pre = gi.add(hidden(h, w_hh, b_hh))
  return relu ? pre.relu() : pre.tanh()
}

/**
 * LSTM step (gates i, f, g, o); with `w_hr` the new h is projected by `w_hr`. Returns `[h', c']`.
 * `inplace`: c' is summed in place, as ATen's `lstm_cell` does (its version is 1).
 */
export const lstmStep = (gi: T, h: T, c: T, w_hh: T, b_hh: T | null, w_hr: T | null, inplace = false): [T, T] => {
  const [i, f, g, o] = gi.add(hidden(h, w_hh, b_hh)).chunk(4, 1) as [T, T, T, T]
  const fc = f.sigmoid().mul(c)
  const ig = i.sigmoid().mul(g.tanh())
  const c1 = inplace ? fc.add_(ig) : fc.add(ig)
  const h1 = o.sigmoid().mul(c1.tanh())
  return [w_hr === null ? h1 : F.linear(h1, w_hr), c1]
}

/** GRU step (gates r, z, n): `h' = (1 − z) ⊙ n + z ⊙ h`, as ATen computes it: `(h − n) ⊙ z + n` (`inplace`: in place, as ATen's `gru_cell`). */
export const gruStep = (gi: T, h: T, w_hh: T, b_hh: T | null, inplace = false): T => {
  const [ir, iz, inn] = gi.chunk(3, 1) as [T, T, T]
  const [hr, hz, hn] = hidden(h, w_hh, b_hh).chunk(3, 1) as [T, T, T]
  const r = ir.add(hr).sigmoid()
  const z = iz.add(hz).sigmoid()
  const n = inn.add(r.mul(hn)).tanh()
  const d = h.sub(n)
  return inplace ? d.mul_(z).add_(n) : d.mul(z).add(n)
}

/** The recurrence of a multi-layer module: Elman with tanh or relu, LSTM or GRU. */
export type Mode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU'

/** One layer-direction's parameters. */
export interface Weights {
  readonly w_ih: T
  readonly w_hh: T
  readonly b_ih: T | null
  readonly b_hh: T | null
  readonly w_hr: T | null
}

/**
 * One layer in one direction over `x` (`[N, input]`, step t's `sizes[t]` rows after one another)
 * from `h0`/`c0` (`[B, *]`); returns the `[N, *]` output and the final states. Rows past
 * `sizes[t]` keep their state, which is the final state of finished sequences going forward and
 * still the initial one going backward.
 */
export const runDirection = (
  mode: Mode,
  x: T,
  sizes: ReadonlyArray<number>,
  reverse: boolean,
  w: Weights,
  h0: T,
  c0: T | null,
): [T, T, T | null] => {
  const B = h0.shape[0] as number
  if (canScan(x, sizes, B, [w.w_ih, w.w_hh, w.b_ih, w.b_hh, w.w_hr, h0, c0])) {
    const step: StepFn = (gi, h, c) =>
      mode === 'LSTM'
        ? lstmStep(gi, h, c as T, w.w_hh, w.b_hh, w.w_hr)
        : [mode === 'GRU' ? gruStep(gi, h, w.w_hh, w.b_hh) : rnnStep(mode === 'RNN_RELU', gi, h, w.w_hh, w.b_hh), null]
    return scanDirection(F.linear(x, w.w_ih, w.b_ih), sizes.length, reverse, step, h0, c0)
  }
  const gis = F.linear(x, w.w_ih, w.b_ih).split([...sizes], 0)
  const outs = new Array<T>(sizes.length)
  let h = h0
  let c = c0
  const keep = (next: T, prev: T, bs: number): T => (bs === B ? next : cat([next, prev.narrow(0, bs, B - bs)], 0))
  for (let k = 0; k < sizes.length; k++) {
    const t = reverse ? sizes.length - 1 - k : k
    const bs = sizes[t] as number
    const gi = gis[t] as T
    const hA = bs === B ? h : h.narrow(0, 0, bs)
    let hN: T
    if (mode === 'LSTM') {
      const cPrev = c as T
      const [h1, c1] = lstmStep(gi, hA, bs === B ? cPrev : cPrev.narrow(0, 0, bs), w.w_hh, w.b_hh, w.w_hr)
      hN = h1
      c = keep(c1, cPrev, bs)
    } else if (mode === 'GRU') hN = gruStep(gi, hA, w.w_hh, w.b_hh)
    else hN = rnnStep(mode === 'RNN_RELU', gi, hA, w.w_hh, w.b_hh)
    outs[t] = hN
    h = keep(hN, h, bs)
  }
  return [cat(outs, 0), h, c]
}

// -------------------------------------------------------------------------------------
// cells
// -------------------------------------------------------------------------------------

type CellKw = {
  readonly input_size?: number
  readonly hidden_size?: number
  readonly bias?: boolean
  readonly device?: string | null
  readonly dtype?: TorchDType | null
}
type RNNCellKw = CellKw & { readonly nonlinearity?: 'tanh' | 'relu' }
type CellArgs = PyArgs<
  [input_size: number, hidden_size: number, bias: boolean, device: string | null, dtype: TorchDType | null],
  CellKw
>

/**
 * PyTorch's `nn.RNNCellBase`, the base class of `RNNCell`, `LSTMCell` and `GRUCell`: weights
 * `[chunks·hidden, input]`, `[chunks·hidden, hidden]`, biases, U(−1/√hidden, 1/√hidden) (for
 * `instanceof` checks; construct the subclasses).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.ok(torch.nn.LSTMCell(2, 3) instanceof torch.nn.RNNCellBase)
 * @category torch @since 0.2.0
 */
export abstract class RNNCellBase extends Module {
  readonly input_size: number
  readonly hidden_size: number
  readonly bias: boolean
  /** `[chunks·hidden_size, input_size]`. */
  weight_ih: Parameter
  /** `[chunks·hidden_size, hidden_size]`. */
  weight_hh: Parameter
  /** `[chunks·hidden_size]` (null with `bias: false`). */
  bias_ih: Parameter | null
  /** `[chunks·hidden_size]` (null with `bias: false`). */
  bias_hh: Parameter | null

  constructor(name: string, a: Record<string, unknown>, chunks: number) {
    super()
    required(`${name}.__init__`, a, ['input_size', 'hidden_size'])
    this.input_size = a.input_size as number
    this.hidden_size = a.hidden_size as number
    this.bias = (a.bias as boolean | undefined) ?? true
    const dtype = (a.dtype as TorchDType | null | undefined) ?? get_default_dtype()
    const g = chunks * this.hidden_size
    this.weight_ih = new Parameter(empty([g, this.input_size], { dtype }))
    this.weight_hh = new Parameter(empty([g, this.hidden_size], { dtype }))
    this.bias_ih = this.bias ? new Parameter(empty([g], { dtype })) : null
    this.bias_hh = this.bias ? new Parameter(empty([g], { dtype })) : null
    this.reset_parameters()
  }

  /** Every parameter U(−1/√hidden_size, 1/√hidden_size). */
  reset_parameters(): void {
    const stdv = this.hidden_size > 0 ? 1 / Math.sqrt(this.hidden_size) : 0
    for (const p of this.parameters()) init.uniform_(p, -stdv, stdv)
  }

  /** @internal Checks the input rank (1-D unbatched or 2-D) and returns it as 2-D with the batch flag. */
  _batched(input: T): [T, boolean] {
    const d = input.dim()
    if (d !== 1 && d !== 2)
      throw new AssertionError(`${this._get_name()}: Expected input to be 1-D or 2-D but received ${d}-D tensor`)
    return d === 2 ? [input, true] : [input.unsqueeze(0), false]
  }

  /** @internal The state (zeros when absent), batched like the input. */
  _state(hx: T | null | undefined, input: T, batched: boolean): T {
    if (hx === null || hx === undefined)
      return zeros([input.shape[0] as number, this.hidden_size], { dtype: input.dtype })
    return batched ? hx : hx.unsqueeze(0)
  }

  /** @internal `x W_ihᵀ + b_ih`. */
  _gi(input: T): T {
    return F.linear(input, this.weight_ih, this.bias_ih)
  }

  override extra_repr(): string {
    let s = `${this.input_size}, ${this.hidden_size}`
    if (!this.bias) s += ', bias=False'
    const nl = (this as { nonlinearity?: string }).nonlinearity
    if (nl !== undefined && nl !== 'tanh') s += `, nonlinearity=${nl}`
    return s
  }
}

/** See {@link RNNCell}. */
class RNNCellImpl extends RNNCellBase {
  readonly nonlinearity: 'tanh' | 'relu'
  constructor(
    ...args: PyArgs<
      [
        input_size: number,
        hidden_size: number,
        bias: boolean,
        nonlinearity: 'tanh' | 'relu',
        device: string | null,
        dtype: TorchDType | null,
      ],
      RNNCellKw
    >
  ) {
    const names = ['input_size', 'hidden_size', 'bias', 'nonlinearity', 'device', 'dtype']
    const a = parseArgs('RNNCell.__init__', args, names)
    super('RNNCell', a, 1)
    this.nonlinearity = (a.nonlinearity as 'tanh' | 'relu' | undefined) ?? 'tanh'
  }
  /** One step: `h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)`. */
  forward(input: T, hx: T | null = null): T {
    const [x, batched] = this._batched(input)
    const h = this._state(hx, x, batched)
    if (this.nonlinearity !== 'tanh' && this.nonlinearity !== 'relu')
      throw new RuntimeError(`Unknown nonlinearity: ${String(this.nonlinearity)}`)
    const out = rnnStep(this.nonlinearity === 'relu', this._gi(x), h, this.weight_hh, this.bias_hh)
    return batched ? out : out.squeeze(0)
  }
}
/**
 * An Elman RNN cell: `h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)` (`nonlinearity: 'relu'` for ReLU).
 * @example
 * import * as torch from 'wengert/torch'
 * const cell = torch.nn.RNNCell(3, 4)
 * const h = cell.call(torch.ones(2, 3))
 * assert.strictEqual(String(h.shape), 'torch.Size([2, 4])')
 * assert.strictEqual(String(cell.call(torch.ones(3), h.select(0, 0)).shape), 'torch.Size([4])')
 * @category torch @since 0.2.0
 */
export const RNNCell = pyClass(RNNCellImpl, 'RNNCell')
/** An `nn.RNNCell` instance. @category torch @since 0.2.0 */
export type RNNCell = RNNCellImpl

/** See {@link LSTMCell}. */
class LSTMCellImpl extends RNNCellBase {
  constructor(...args: CellArgs) {
    super('LSTMCell', parseArgs('LSTMCell.__init__', args, ['input_size', 'hidden_size', 'bias', 'device', 'dtype']), 4)
  }
  /** One step from `(h, c)` (zeros when absent); returns `[h', c']`. */
  forward(input: T, hx: readonly [T, T] | null = null): [T, T] {
    const [x, batched] = this._batched(input)
    const h = this._state(hx?.[0], x, batched)
    const c = this._state(hx?.[1], x, batched)
    const [h1, c1] = lstmStep(this._gi(x), h, c, this.weight_hh, this.bias_hh, null, true)
    return batched ? [h1, c1] : [h1.squeeze(0), c1.squeeze(0)]
  }
}
/**
 * A long short-term memory cell (gates i, f, g, o stacked in that order in `weight_ih`/`weight_hh`):
 * `c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g)`, `h' = σ(o) ⊙ tanh(c')`.
 * @example
 * import * as torch from 'wengert/torch'
 * const cell = torch.nn.LSTMCell(3, 4)
 * assert.strictEqual(String(cell.weight_ih.shape), 'torch.Size([16, 3])')
 * const [h, c] = cell.call(torch.ones(2, 3))
 * assert.strictEqual(String(h.shape), 'torch.Size([2, 4])')
 * assert.strictEqual(String(c.shape), 'torch.Size([2, 4])')
 * @category torch @since 0.2.0
 */
export const LSTMCell = pyClass(LSTMCellImpl, 'LSTMCell')
/** An `nn.LSTMCell` instance. @category torch @since 0.2.0 */
export type LSTMCell = LSTMCellImpl

/** See {@link GRUCell}. */
class GRUCellImpl extends RNNCellBase {
  constructor(...args: CellArgs) {
    super('GRUCell', parseArgs('GRUCell.__init__', args, ['input_size', 'hidden_size', 'bias', 'device', 'dtype']), 3)
  }
  /** One step from `h` (zeros when absent). */
  forward(input: T, hx: T | null = null): T {
    const [x, batched] = this._batched(input)
    const h = this._state(hx, x, batched)
    const out = gruStep(this._gi(x), h, this.weight_hh, this.bias_hh, true)
    return batched ? out : out.squeeze(0)
  }
}
/**
 * A gated recurrent unit cell (gates r, z, n): `n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))`,
 * `h' = (1 − z) ⊙ n + z ⊙ h`.
 * @example
 * import * as torch from 'wengert/torch'
 * const cell = torch.nn.GRUCell(3, 4)
 * assert.strictEqual(String(cell.weight_hh.shape), 'torch.Size([12, 4])')
 * assert.strictEqual(String(cell.call(torch.ones(2, 3)).shape), 'torch.Size([2, 4])')
 * @category torch @since 0.2.0
 */
export const GRUCell = pyClass(GRUCellImpl, 'GRUCell')
/** An `nn.GRUCell` instance. @category torch @since 0.2.0 */
export type GRUCell = GRUCellImpl

/** Raises for an RNN nonlinearity other than tanh/relu (PyTorch's ValueError text). */
export const checkNonlinearity = (nl: unknown): 'tanh' | 'relu' => {
  if (nl !== 'tanh' && nl !== 'relu') throw new TorchValueError(`Unknown nonlinearity '${String(nl)}'`)
  return nl
}

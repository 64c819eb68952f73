/**
 * Multi-layer recurrent layers: `RNN` (tanh or relu), `LSTM` (with `proj_size`) and `GRU`, with
 * PyTorch's parameter names (`weight_ih_l0`, `bias_hh_l1_reverse`, `weight_hr_l0`, …), gate order,
 * initialisation U(−1/√hidden, 1/√hidden), `batch_first`, dropout between layers (training only),
 * `bidirectional`, unbatched (2-D) input and `PackedSequence` input.
 *
 * The recurrence is unrolled step by step with facade ops, so autograd (and `create_graph`) works
 * through it as through any other model code. Under wengert's `jit` (or `vmap`), when the facade
 * records nothing (e.g. through `torch.func.functional_call`), the loop is one `lax.scan` instead
 * (./rnnScan.ts), so the compiled program does not grow with the sequence length.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { op } from '../autograd/op'
import { empty, zeros } from '../creation'
import { get_default_dtype, type TorchDType } from '../dtype'
import { RuntimeError, TorchValueError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { cat, stack } from '../ops/functions'
import type { Tensor } from '../tensor'
import { warn } from '../warnings'
import * as F from './functional'
import * as init from './init'
import { pyFloat, required } from './layers'
import { Module } from './module'
import { Parameter } from './parameter'
import { pyClass } from './pyclass'
import { checkNonlinearity, runDirection, type Mode, type Weights } from './rnnCells'
import { PackedSequence } from './rnnUtils'

type T = Tensor

type RNNKw = {
  readonly input_size?: number
  readonly hidden_size?: number
  readonly num_layers?: number
  readonly bias?: boolean
  readonly batch_first?: boolean
  readonly dropout?: number
  readonly bidirectional?: boolean
  readonly device?: string | null
  readonly dtype?: TorchDType | null
}
/** Positional arguments of `RNN`/`GRU` (and `LSTM` before `proj_size`). */
type RNNPos = [
  input_size: number,
  hidden_size: number,
  num_layers: number,
  bias: boolean,
  batch_first: boolean,
  dropout: number,
  bidirectional: boolean,
]
const NAMES = ['input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first', 'dropout', 'bidirectional']
const FACTORY = ['device', 'dtype']

/** `(a, b, c)` as Python prints a tuple. */
const tuple = (xs: ReadonlyArray<number>): string => `(${xs.join(', ')})`

/**
 * PyTorch's `nn.RNNBase`, the base class of `RNN`, `LSTM` and `GRU`: parameters, checks, and the
 * unrolled multi-layer recurrence (for `instanceof` checks; construct the subclasses).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.ok(torch.nn.LSTM(2, 3) instanceof torch.nn.RNNBase)
 * assert.ok(torch.nn.GRU(2, 3) instanceof torch.nn.RNNBase && !(torch.nn.GRUCell(2, 3) instanceof torch.nn.RNNBase))
 * @category torch @since 0.2.0
 */
export abstract class RNNBase extends Module {
  readonly mode: Mode
  readonly input_size: number
  readonly hidden_size: number
  readonly num_layers: number
  readonly bias: boolean
  readonly batch_first: boolean
  readonly dropout: number
  readonly bidirectional: boolean
  readonly proj_size: number;
  /** The weights by PyTorch's names (`weight_ih_l0`, `weight_hh_l1_reverse`, `weight_hr_l0`). */
  [name: `weight_${string}`]: Parameter
  /** The biases by PyTorch's names (`bias_ih_l0`, …), absent with `bias: false`. */
  [name: `bias_${string}`]: Parameter | undefined
  /** Parameter names in PyTorch's flat order. */
  declare readonly _flat_weights_names: ReadonlyArray<string>

  constructor(mode: Mode, a: Record<string, unknown>) {
    super()
    required('RNNBase.__init__', a, ['input_size', 'hidden_size'])
    this.mode = mode
    this.input_size = a.input_size as number
    this.hidden_size = a.hidden_size as number
    this.num_layers = (a.num_layers as number | undefined) ?? 1
    this.bias = (a.bias as boolean | undefined) ?? true
    this.batch_first = (a.batch_first as boolean | undefined) ?? false
    const dropout = (a.dropout as number | undefined) ?? 0
    this.bidirectional = (a.bidirectional as boolean | undefined) ?? false
    this.proj_size = (a.proj_size as number | undefined) ?? 0
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1))
      throw new TorchValueError(
        'dropout should be a number in range [0, 1] representing the probability of an element being zeroed',
      )
    this.dropout = dropout
    if (dropout > 0 && this.num_layers === 1)
      warn(
        `dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, but got dropout=${pyFloat(dropout)} and num_layers=1`,
      )
    if (this.proj_size < 0)
      throw new TorchValueError('proj_size should be a positive integer or zero to disable projections')
    if (this.proj_size >= this.hidden_size) throw new TorchValueError('proj_size has to be smaller than hidden_size')
    this._register(a.dtype as TorchDType | null | undefined)
    this.reset_parameters()
  }

  /** Creates the parameters in PyTorch's order (per layer, per direction: w_ih, w_hh, b_ih, b_hh, w_hr). */
  private _register(dt: TorchDType | null | undefined): void {
    const dtype = dt ?? get_default_dtype()
    const gate = { LSTM: 4, GRU: 3, RNN_TANH: 1, RNN_RELU: 1 }[this.mode] * this.hidden_size
    const real = this.proj_size > 0 ? this.proj_size : this.hidden_size
    const dirs = this.bidirectional ? 2 : 1
    const names: string[] = []
    for (let layer = 0; layer < this.num_layers; layer++) {
      for (let d = 0; d < dirs; d++) {
        const inSize = layer === 0 ? this.input_size : real * dirs
        const sfx = `_l${layer}${d === 1 ? '_reverse' : ''}`
        const add = (n: string, shape: number[]): void => {
          this.register_parameter(n + sfx, new Parameter(empty(shape, { dtype })))
          names.push(n + sfx)
        }
        add('weight_ih', [gate, inSize])
        add('weight_hh', [gate, real])
        if (this.bias) {
          add('bias_ih', [gate])
          add('bias_hh', [gate])
        }
        if (this.proj_size > 0) add('weight_hr', [this.proj_size, this.hidden_size])
      }
    }
    Object.defineProperty(this, '_flat_weights_names', { value: names, enumerable: false })
  }

  /** A no-op kept for ported code (PyTorch compacts the weights into one buffer for cuDNN). */
  flatten_parameters(): void {}

  /** Every parameter U(−1/√hidden_size, 1/√hidden_size). */
  reset_parameters(): void {
    const stdv = this.hidden_size > 0 ? 1 / Math.sqrt(this.hidden_size) : 0
    for (const p of this.parameters()) init.uniform_(p, -stdv, stdv)
  }

  /** The parameters as lists per layer and direction (PyTorch's `all_weights`). */
  get all_weights(): Parameter[][] {
    const dirs = this.bidirectional ? 2 : 1
    const per = this._flat_weights_names.length / (this.num_layers * dirs)
    const ps = this._flat_weights_names.map((n) => this._attrs()[n] as Parameter)
    return Array.from({ length: this.num_layers * dirs }, (_, i) => ps.slice(i * per, (i + 1) * per))
  }

  /** @internal */
  _weights(layer: number, d: number): Weights {
    const sfx = `_l${layer}${d === 1 ? '_reverse' : ''}`
    const get = (n: string): T | null => (this._attrs()[n + sfx] as T | undefined) ?? null
    return {
      w_ih: get('weight_ih') as T,
      w_hh: get('weight_hh') as T,
      b_ih: get('bias_ih'),
      b_hh: get('bias_hh'),
      w_hr: get('weight_hr'),
    }
  }

  /** @internal Expected `[layers·dirs, batch, size]` of a state. */
  _stateShape(batch: number, size: number): number[] {
    return [this.num_layers * (this.bidirectional ? 2 : 1), batch, size]
  }

  /** @internal PyTorch's `check_input` and hidden-size checks. */
  _check(input: T, packed: boolean, states: ReadonlyArray<[T, number[], string]>): void {
    const want = packed ? 2 : 3
    if (input.dim() !== want) throw new RuntimeError(`input must have ${want} dimensions, got ${input.dim()}`)
    const last = input.shape[input.dim() - 1] as number
    if (last !== this.input_size)
      throw new RuntimeError(`input.size(-1) must be equal to input_size. Expected ${this.input_size}, got ${last}`)
    for (const [s, shape, msg] of states) {
      const got = s.shape
      if (got.length !== shape.length || got.some((v, i) => v !== shape[i]))
        throw new RuntimeError(`${msg} ${tuple(shape)}, got [${got.join(', ')}]`)
    }
  }

  /**
   * @internal Runs all layers over `flat` (`[N, input]`, step t's `sizes[t]` rows after one
   * another) from states `h0`/`c0` (`[layers·dirs, B, *]`); returns the last layer's `[N, *]`
   * output and the final states.
   */
  _recur(flat: T, sizes: ReadonlyArray<number>, h0: T, c0: T | null): [T, T, T | null] {
    const dirs = this.bidirectional ? 2 : 1
    const hs: T[] = []
    const cs: T[] = []
    let x = flat
    for (let layer = 0; layer < this.num_layers; layer++) {
      const outs: T[] = []
      for (let d = 0; d < dirs; d++) {
        const idx = layer * dirs + d
        const [o, h, c] = runDirection(
          this.mode,
          x,
          sizes,
          d === 1,
          this._weights(layer, d),
          h0.select(0, idx),
          c0?.select(0, idx) ?? null,
        )
        outs.push(o)
        hs.push(h)
        if (c !== null) cs.push(c)
      }
      x = dirs === 1 ? (outs[0] as T) : cat(outs, 1)
      if (this.dropout > 0 && this.training && layer < this.num_layers - 1) x = F.dropout(x, this.dropout, true)
    }
    return [x, stack(hs, 0), c0 === null ? null : stack(cs, 0)]
  }

  /**
   * @internal The shared forward: unbatched/batch_first/packed handling around `_recur`.
   * `hx` holds `[h0]` or `[h0, c0]` (or null for zeros).
   */
  _run(input: T | PackedSequence, hx: ReadonlyArray<T> | null): [T | PackedSequence, T[]] {
    const lstm = this.mode === 'LSTM'
    const real = this.proj_size > 0 ? this.proj_size : this.hidden_size
    let x: T
    let sizes: number[]
    let batched = true
    let states = hx === null ? null : [...hx]
    const packed = input instanceof PackedSequence ? input : null
    if (packed !== null) {
      x = packed.data
      sizes = packed.batch_sizes.tolist() as number[]
      if (states !== null && packed.sorted_indices !== null) {
        const si = packed.sorted_indices
        states = states.map((s) => s.index_select(1, si))
      }
    } else {
      x = input as T
      const d = x.dim()
      if (d !== 2 && d !== 3)
        throw new TorchValueError(`${this._get_name()}: Expected input to be 2-D or 3-D but received ${d}-D tensor`)
      batched = d === 3
      if (!batched) {
        x = x.unsqueeze(this.batch_first ? 0 : 1)
        if (states !== null) {
          if (states.some((s) => s.dim() !== 2)) throw new RuntimeError(this._stateRankMsg(states, false))
          states = states.map((s) => s.unsqueeze(1))
        }
      } else if (states !== null && states.some((s) => s.dim() !== 3))
        throw new RuntimeError(this._stateRankMsg(states, true))
      if (this.batch_first) x = x.transpose(0, 1)
      sizes = new Array<number>(x.shape[0] as number).fill(x.shape[1] as number)
    }
    const B = sizes[0] ?? 0
    const shapes = [this._stateShape(B, real), this._stateShape(B, this.hidden_size)]
    if (states === null) states = (lstm ? shapes : shapes.slice(0, 1)).map((s) => zeros(s, { dtype: x.dtype }))
    const msgs = lstm ? ['Expected hidden[0] size', 'Expected hidden[1] size'] : ['Expected hidden size']
    this._check(
      x,
      packed !== null,
      states.map((s, i) => [s, shapes[i] as number[], msgs[i] as string]),
    )
    const flat = packed !== null ? x : x.reshape(-1, this.input_size)
    const [out, h, c] = this._recur(flat, sizes, states[0] as T, lstm ? (states[1] as T) : null)
    let finals = c === null ? [h] : [h, c]
    if (packed !== null) {
      const un = packed.unsorted_indices
      if (un !== null) finals = finals.map((s) => s.index_select(1, un))
      return [packed._with_data(out), finals]
    }
    // PyTorch's last layer stacks the steps (cat's the two directions) and RNN/GRU transpose the
    // result in place for batch_first, LSTM out of place: the same grad_fn names and no view
    const shape = [sizes.length, B, out.shape[1] as number]
    let output = op(this.bidirectional ? 'CatBackward0' : 'StackBackward0', [out], (v) => lax.reshape(v, shape))
    if (this.batch_first) output = lstm ? output.transpose(0, 1) : output.transpose_(0, 1)
    if (!batched) return [output.squeeze(this.batch_first ? 0 : 1), finals.map((s) => s.squeeze(1))]
    return [output, finals]
  }

  /** @internal PyTorch's messages for a state of the wrong rank. */
  _stateRankMsg(states: ReadonlyArray<T>, batched: boolean): string {
    const [kind, want] = batched ? ['batched 3-D', 3] : ['unbatched 2-D', 2]
    if (states.length === 1)
      return `For ${kind} input, hx should also be ${want}-D but got ${states[0]?.dim()}-D tensor`
    const got = states.map((s) => `${s.dim()}-D`).join(', ')
    return `For ${kind} input, hx and cx should also be ${want}-D but got (${got}) tensors`
  }

  override extra_repr(): string {
    let s = `${this.input_size}, ${this.hidden_size}`
    if (this.proj_size !== 0) s += `, proj_size=${this.proj_size}`
    if (this.num_layers !== 1) s += `, num_layers=${this.num_layers}`
    if (!this.bias) s += ', bias=False'
    if (this.batch_first) s += ', batch_first=True'
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`
    if (this.bidirectional) s += ', bidirectional=True'
    return s
  }
}

// -------------------------------------------------------------------------------------
// RNN, LSTM, GRU
// -------------------------------------------------------------------------------------

/** RNN's positional order (PyTorch 2.x): `nonlinearity` comes fourth, before `bias`. */
type RNNTanhPos = [
  input_size: number,
  hidden_size: number,
  num_layers: number,
  nonlinearity: 'tanh' | 'relu',
  bias: boolean,
  batch_first: boolean,
  dropout: number,
  bidirectional: boolean,
]
type RNNArgs = PyArgs<RNNTanhPos, RNNKw & { readonly nonlinearity?: 'tanh' | 'relu' }>
// (a ninth positional is RNNBase's proj_size: PyTorch passes what follows `nonlinearity` on to RNNBase)
const RNN_NAMES = [
  'input_size',
  'hidden_size',
  'num_layers',
  'nonlinearity',
  ...NAMES.slice(3),
  'proj_size',
  ...FACTORY,
]

/** See {@link RNN}. */
class RNNImpl extends RNNBase {
  readonly nonlinearity: 'tanh' | 'relu'
  constructor(...args: RNNArgs) {
    // the arity message is RNNBase's, whose `mode` takes the place of the stripped nonlinearity
    const a = parseArgs('RNNBase.__init__', args, RNN_NAMES)
    if (a.proj_size !== undefined)
      throw new TorchValueError('proj_size argument is only supported for LSTM, not RNN or GRU')
    const nl = checkNonlinearity(a.nonlinearity ?? 'tanh')
    super(nl === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', a)
    this.nonlinearity = nl
  }
  forward(input: PackedSequence, hx?: T | null): [PackedSequence, T]
  forward(input: T, hx?: T | null): [T, T]
  /** Runs the sequence; returns `[output, h_n]`. */
  forward(input: T | PackedSequence, hx: T | null = null): [T | PackedSequence, T] {
    const [out, [h]] = this._run(input, hx === null ? null : [hx])
    return [out, h as T]
  }
  override extra_repr(): string {
    return super.extra_repr() + (this.nonlinearity === 'relu' ? ', nonlinearity=relu' : '')
  }
}
/**
 * A multi-layer Elman RNN: `h_t = tanh(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh)` (or relu).
 * Input `[T, B, input_size]` (`[B, T, …]` with `batch_first`, `[T, input_size]` unbatched, or a
 * `PackedSequence`); returns `[output, h_n]`.
 * @example
 * import * as torch from 'wengert/torch'
 * const rnn = torch.nn.RNN(10, 20, 2)
 * const [output, hn] = rnn.call(torch.randn(5, 3, 10), torch.randn(2, 3, 20))
 * assert.strictEqual(String(output.shape), 'torch.Size([5, 3, 20])')
 * assert.strictEqual(String(hn.shape), 'torch.Size([2, 3, 20])')
 * assert.deepStrictEqual(Object.keys(rnn.state_dict()).slice(0, 2), ['weight_ih_l0', 'weight_hh_l0'])
 * @category torch @since 0.2.0
 */
export const RNN = pyClass(RNNImpl, 'RNN')
/** An `nn.RNN` instance. @category torch @since 0.2.0 */
export type RNN = RNNImpl

/** See {@link LSTM}. */
class LSTMImpl extends RNNBase {
  constructor(...args: PyArgs<[...pos: RNNPos, proj_size: number], RNNKw & { readonly proj_size?: number }>) {
    // `self = 1`: RNNBase's message counts the `mode` LSTM passes first
    super('LSTM', parseArgs('RNNBase.__init__', args, [...NAMES, 'proj_size', ...FACTORY], 10, 1))
  }
  forward(input: PackedSequence, hx?: readonly [T, T] | null): [PackedSequence, [T, T]]
  forward(input: T, hx?: readonly [T, T] | null): [T, [T, T]]
  /** Runs the sequence; returns `[output, [h_n, c_n]]`. */
  forward(input: T | PackedSequence, hx: readonly [T, T] | null = null): [T | PackedSequence, [T, T]] {
    const [out, [h, c]] = this._run(input, hx)
    return [out, [h as T, c as T]]
  }
}
/**
 * A multi-layer LSTM (gates i, f, g, o; with `proj_size > 0` the hidden state is projected by
 * `weight_hr_l*`). Returns `[output, [h_n, c_n]]`.
 * @example
 * import * as torch from 'wengert/torch'
 * const lstm = torch.nn.LSTM(10, 20, { num_layers: 2, batch_first: true })
 * const [output, [hn, cn]] = lstm.call(torch.randn(3, 5, 10))
 * assert.strictEqual(String(output.shape), 'torch.Size([3, 5, 20])')
 * assert.strictEqual(String(hn.shape), 'torch.Size([2, 3, 20])')
 * assert.strictEqual(String(cn.shape), 'torch.Size([2, 3, 20])')
 * @category torch @since 0.2.0
 */
export const LSTM = pyClass(LSTMImpl, 'LSTM')
/** An `nn.LSTM` instance. @category torch @since 0.2.0 */
export type LSTM = LSTMImpl

/** See {@link GRU}. */
class GRUImpl extends RNNBase {
  constructor(...args: PyArgs<RNNPos, RNNKw>) {
    const a = parseArgs('RNNBase.__init__', args, [...NAMES, 'proj_size', ...FACTORY], 10, 1)
    if (a.proj_size !== undefined)
      throw new TorchValueError('proj_size argument is only supported for LSTM, not RNN or GRU')
    super('GRU', a)
  }
  forward(input: PackedSequence, hx?: T | null): [PackedSequence, T]
  forward(input: T, hx?: T | null): [T, T]
  /** Runs the sequence; returns `[output, h_n]`. */
  forward(input: T | PackedSequence, hx: T | null = null): [T | PackedSequence, T] {
    const [out, [h]] = this._run(input, hx === null ? null : [hx])
    return [out, h as T]
  }
}
/**
 * A multi-layer gated recurrent unit (gates r, z, n; `n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))`).
 * Returns `[output, h_n]`.
 * @example
 * import * as torch from 'wengert/torch'
 * const gru = torch.nn.GRU(4, 6, { bidirectional: true })
 * const [output, hn] = gru.call(torch.randn(7, 4))
 * assert.strictEqual(String(output.shape), 'torch.Size([7, 12])')
 * assert.strictEqual(String(hn.shape), 'torch.Size([2, 6])')
 * assert.ok('weight_hh_l0_reverse' in gru.state_dict())
 * @category torch @since 0.2.0
 */
export const GRU = pyClass(GRUImpl, 'GRU')
/** An `nn.GRU` instance. @category torch @since 0.2.0 */
export type GRU = GRUImpl

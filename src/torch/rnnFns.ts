/**
 * ATen's functional recurrent layers, the forms `nn.RNN`, `nn.LSTM` and `nn.GRU` call with their
 * flat weight lists: `torch.lstm`, `torch.gru`, `torch.rnn_tanh` and `torch.rnn_relu`, in the
 * padded form `(input, hx, params, has_biases, num_layers, dropout, train, bidirectional,
 * batch_first)` and the packed form `(data, batch_sizes, hx, params, has_biases, num_layers,
 * dropout, train, bidirectional)`. `params` holds, per layer and direction, `w_ih, w_hh[, b_ih,
 * b_hh][, w_hr]` (PyTorch's `_flat_weights` order; `w_hr` when an LSTM's hidden and cell states
 * differ in size). The recurrence is the one `nn.RNNBase` runs (./nn/rnnCells.ts), with dropout
 * between layers when `train`.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const lstm = torch.nn.LSTM(3, 4)
 * const x = torch.randn(5, 2, 3)
 * const hx = [torch.zeros(1, 2, 4), torch.zeros(1, 2, 4)]
 * const [out, h, c] = torch.lstm(x, hx, lstm._flat_weights_names.map((n) => lstm.get_parameter(n)), true, 1, 0, false, false, false)
 * assert.ok(out.allclose(lstm.call(x)[0]))
 * assert.deepStrictEqual([h.shape[0], c.shape[2]], [1, 4])
 * @category torch
 * @since 0.2.0
 */
import { atenArgs } from './atenArgs'
import { RuntimeError } from './errors'
import * as F from './nn/functional'
import { runDirection, type Mode, type Weights } from './nn/rnnCells'
import { cat, stack } from './ops/functions'
import { Tensor } from './tensor'

type T = Tensor

/** The options after the weights, shared by every form. */
interface Stack {
  readonly hasBiases: boolean
  readonly numLayers: number
  readonly dropout: number
  readonly train: boolean
  readonly dirs: number
}

/** One layer-direction's weights from the flat list (checked by the caller). */
const weightsAt = (params: ReadonlyArray<T>, k: number, per: number, biases: boolean, proj: boolean): Weights => {
  const p = params.slice(k * per, (k + 1) * per)
  return {
    w_ih: p[0] as T,
    w_hh: p[1] as T,
    b_ih: biases ? (p[2] as T) : null,
    b_hh: biases ? (p[3] as T) : null,
    w_hr: proj ? (p[biases ? 4 : 2] as T) : null,
  }
}

/** ATen's stacked recurrence over flat rows `x` (`[N, input]`, `sizes[t]` rows per step). */
const stacked = (
  mode: Mode,
  x0: T,
  sizes: ReadonlyArray<number>,
  h0: T,
  c0: T | null,
  params: ReadonlyArray<T>,
  o: Stack,
): [T, T, T | null] => {
  const proj = c0 !== null && h0.shape[2] !== c0.shape[2]
  const per = (o.hasBiases ? 4 : 2) + (proj ? 1 : 0)
  const layers = o.numLayers * o.dirs
  if ((h0.shape[0] as number) < layers || (c0 !== null && (c0.shape[0] as number) < layers))
    throw new RuntimeError('Expected more hidden states in stacked_rnn')
  if (params.length % per !== 0) throw new RuntimeError('got an incorrect number of RNN parameters')
  if (params.length < layers * per) throw new RuntimeError('Expected more weights in stacked_rnn')
  const hs: T[] = []
  const cs: T[] = []
  let x = x0
  for (let layer = 0; layer < o.numLayers; layer++) {
    const outs: T[] = []
    for (let d = 0; d < o.dirs; d++) {
      const k = layer * o.dirs + d
      const w = weightsAt(params, k, per, o.hasBiases, proj)
      const [y, h, c] = runDirection(mode, x, sizes, d === 1, w, h0.select(0, k), c0?.select(0, k) ?? null)
      outs.push(y)
      hs.push(h)
      if (c !== null) cs.push(c)
    }
    x = o.dirs === 1 ? (outs[0] as T) : cat(outs, 1)
    if (o.dropout > 0 && o.train && layer < o.numLayers - 1) x = F.dropout(x, o.dropout, true)
  }
  return [x, stack(hs, 0), c0 === null ? null : stack(cs, 0)]
}

const PADDED = ['hx', 'params', 'has_biases', 'num_layers', 'dropout', 'train', 'bidirectional', 'batch_first']
const PACKED = ['batch_sizes', 'hx', 'params', 'has_biases', 'num_layers', 'dropout', 'train', 'bidirectional']

/** The hidden states as a list (`lstm` takes `[h0, c0]`, the others one tensor). */
const statesOf = (mode: Mode, hx: unknown): [T, T | null] => {
  if (mode !== 'LSTM') return [hx as T, null]
  const hs = hx as ReadonlyArray<T>
  if (!Array.isArray(hs) || hs.length !== 2) throw new RuntimeError('lstm expects two hidden states')
  return [hs[0] as T, hs[1] as T]
}

/** Runs either form of `fn` (the packed one when the argument after the input is a tensor). */
const runForm = (fn: string, mode: Mode, input: T, rest: ReadonlyArray<unknown>): T[] => {
  // the packed form's second argument is the batch_sizes tensor (the padded lstm's is a list)
  const packed = rest[0] instanceof Tensor && (mode === 'LSTM' || rest[1] instanceof Tensor)
  const a = atenArgs(fn, rest, packed ? PACKED : PADDED, 8)
  const [h0, c0] = statesOf(mode, a.hx)
  const o: Stack = {
    hasBiases: a.has_biases as boolean,
    numLayers: a.num_layers as number,
    dropout: a.dropout as number,
    train: a.train as boolean,
    dirs: (a.bidirectional as boolean) ? 2 : 1,
  }
  const params = a.params as ReadonlyArray<T>
  let out: T
  let finals: [T, T, T | null]
  if (packed) {
    const sizes = (a.batch_sizes as T).tolist() as number[]
    finals = stacked(mode, input, sizes, h0, c0, params, o)
    out = finals[0]
  } else {
    const bf = (a.batch_first as boolean) === true
    const x = bf ? input.transpose(0, 1) : input
    const [steps, batch] = [x.shape[0] as number, x.shape[1] as number]
    finals = stacked(mode, x.reshape(-1, x.shape[2] as number), new Array<number>(steps).fill(batch), h0, c0, params, o)
    out = finals[0].reshape(steps, batch, -1)
    if (bf) out = out.transpose(0, 1)
  }
  return finals[2] === null ? [out, finals[1]] : [out, finals[1], finals[2]]
}

/**
 * Arguments after the input of the functional recurrences, with hidden state `H` (a list of tensors
 * for `torch.lstm`, one tensor for the others): the padded form, or the packed form (`batch_sizes`
 * first, no `batch_first`).
 */
export type RecurrentFnArgs<H> =
  | [
      hx: H,
      params: ReadonlyArray<T>,
      has_biases: boolean,
      num_layers: number,
      dropout: number,
      train: boolean,
      bidirectional: boolean,
      batch_first: boolean,
    ]
  | [
      batch_sizes: T,
      hx: H,
      params: ReadonlyArray<T>,
      has_biases: boolean,
      num_layers: number,
      dropout: number,
      train: boolean,
      bidirectional: boolean,
    ]

/** Arguments after the input of `torch.lstm` (padded or packed form). */
export type LstmFnArgs = RecurrentFnArgs<ReadonlyArray<T>>

/** Arguments after the input of `torch.gru`, `torch.rnn_tanh` and `torch.rnn_relu` (padded or packed form). */
export type RnnFnArgs = RecurrentFnArgs<T>

/**
 * `torch.lstm(input, [h0, c0], params, has_biases, num_layers, dropout, train, bidirectional,
 * batch_first)` → `[output, h_n, c_n]` (or the packed form with `batch_sizes` after the data).
 * @category torch @since 0.2.0
 */
export const lstm = (input: T, ...rest: LstmFnArgs): [T, T, T] => runForm('lstm', 'LSTM', input, rest) as [T, T, T]

/**
 * `torch.gru(input, h0, params, has_biases, num_layers, dropout, train, bidirectional,
 * batch_first)` → `[output, h_n]` (or the packed form with `batch_sizes` after the data).
 * @category torch @since 0.2.0
 */
export const gru = (input: T, ...rest: RnnFnArgs): [T, T] => runForm('gru', 'GRU', input, rest) as [T, T]

/** `torch.rnn_tanh(...)`: as {@link gru} for the tanh Elman recurrence. @category torch @since 0.2.0 */
export const rnn_tanh = (input: T, ...rest: RnnFnArgs): [T, T] => runForm('rnn_tanh', 'RNN_TANH', input, rest) as [T, T]

/** `torch.rnn_relu(...)`: as {@link gru} for the relu Elman recurrence. @category torch @since 0.2.0 */
export const rnn_relu = (input: T, ...rest: RnnFnArgs): [T, T] => runForm('rnn_relu', 'RNN_RELU', input, rest) as [T, T]

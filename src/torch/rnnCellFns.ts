/**
 * The functional recurrent cells of ATen: `torch.rnn_tanh_cell`, `rnn_relu_cell`, `lstm_cell` and
 * `gru_cell`, each `(input, hx, w_ih, w_hh, b_ih=None, b_hh=None)` over a 2-D batch, computing one
 * step as `nn.RNNCell`/`LSTMCell`/`GRUCell` do (same gate order and nodes: `TanhBackward0`,
 * `ReluBackward0`, LSTM's `(MulBackward0, AddBackward0)`, GRU's `AddBackward0`), after ATen's
 * checks of the input and hidden sizes.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.ones(2, 3)
 * const h = torch.zeros(2, 4)
 * const [hy, cy] = torch.lstm_cell(x, [h, h], torch.zeros(16, 3), torch.zeros(16, 4))
 * assert.deepStrictEqual([[...hy.shape], [...cy.shape]], [[2, 4], [2, 4]])
 * assert.strictEqual(hy.sum().item(), 0)
 * @category torch
 * @since 0.2.0
 */
import { atenArgs } from './atenArgs'
import { RuntimeError } from './errors'
import type { PyArgs } from './kwargs'
import * as F from './nn/functional'
import { gruStep, lstmStep, rnnStep } from './nn/rnnCells'
import type { Tensor } from './tensor'
import { missingArgs, requireTensor, requireTensorArgs, requireTensorList } from './pyTypeName'

type T = Tensor

/** The optional biases of a cell function, positional or by keyword. */
export type CellBiases = PyArgs<
  [b_ih: T | null, b_hh: T | null],
  { readonly b_ih?: T | null; readonly b_hh?: T | null }
>

interface CellArgs {
  readonly input: T
  readonly w_ih: T
  readonly w_hh: T
  readonly b_ih: T | null
  readonly b_hh: T | null
}

// the required parameters of the *_cell functions
const CELL_ARGS = ['input', 'hx', 'w_ih', 'w_hh']

/** ATen's check_rnn_cell_forward_input. */
const checkInput = (input: T, w_ih: T): void => {
  const got = input.size(1)
  const want = w_ih.size(1)
  if (got !== want) throw new RuntimeError(`input has inconsistent input_size: got ${got} expected ${want}`)
}

/** ATen's check_rnn_cell_forward_hidden (index 0, as ATen names both LSTM states). */
const checkHidden = (input: T, hx: T, hidden_size: number): void => {
  if (input.size(0) !== hx.size(0))
    throw new RuntimeError(`Input batch size ${input.size(0)} doesn't match hidden0 batch size ${hx.size(0)}`)
  if (hx.size(1) !== hidden_size)
    throw new RuntimeError(`hidden0 has inconsistent hidden_size: got ${hx.size(1)}, expected ${hidden_size}`)
}

const bind = (fn: string, input: T, w_ih: T, w_hh: T, rest: ReadonlyArray<unknown>): CellArgs => {
  const a = atenArgs(fn, rest, ['b_ih', 'b_hh'], 0, 4)
  checkInput(input, w_ih)
  return { input, w_ih, w_hh, b_ih: (a.b_ih as T | null) ?? null, b_hh: (a.b_hh as T | null) ?? null }
}

const elman = (fn: string, relu: boolean, input: T, hx: T, w_ih: T, w_hh: T, rest: ReadonlyArray<unknown>): T => {
  requireTensorArgs(fn, CELL_ARGS, [input, hx, w_ih, w_hh])
  const c = bind(fn, input, w_ih, w_hh, rest)
  checkHidden(input, hx, w_hh.size(1))
  return rnnStep(relu, F.linear(input, w_ih, c.b_ih), hx, w_hh, c.b_hh)
}

/**
 * `torch.rnn_tanh_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None)`: `tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)`.
 * @example
 * import * as torch from 'wengert/torch'
 * const h = torch.rnn_tanh_cell(torch.ones(1, 2), torch.zeros(1, 1), torch.ones(1, 2), torch.ones(1, 1))
 * assert.ok(Math.abs(h.item() - Math.tanh(2)) < 1e-6)
 * assert.strictEqual(torch.rnn_tanh_cell(torch.ones(1, 2), torch.zeros(1, 1), torch.ones(1, 2), torch.ones(1, 1), { b_ih: torch.ones(1) }).item() > 0.99, true)
 * @category torch @since 0.2.0
 */
export const rnn_tanh_cell = (input: T, hx: T, w_ih: T, w_hh: T, ...rest: CellBiases): T =>
  elman('rnn_tanh_cell', false, input, hx, w_ih, w_hh, rest)

/**
 * `torch.rnn_relu_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None)`: `relu(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)`.
 * @example
 * import * as torch from 'wengert/torch'
 * const h = torch.rnn_relu_cell(torch.ones(1, 2), torch.ones(1, 1), torch.ones(1, 2), torch.tensor([[-3]]))
 * assert.strictEqual(h.item(), 0)
 * @category torch @since 0.2.0
 */
export const rnn_relu_cell = (input: T, hx: T, w_ih: T, w_hh: T, ...rest: CellBiases): T =>
  elman('rnn_relu_cell', true, input, hx, w_ih, w_hh, rest)

/**
 * `torch.lstm_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None)` with `hx = [h, c]`: the new `[h, c]`
 * (gates i, f, g, o).
 * @example
 * import * as torch from 'wengert/torch'
 * const z = torch.zeros(1, 1)
 * const [h, c] = torch.lstm_cell(torch.ones(1, 1), [z, torch.ones(1, 1)], torch.zeros(4, 1), torch.zeros(4, 1))
 * assert.strictEqual(c.item(), 0.5)
 * assert.ok(Math.abs(h.item() - 0.5 * Math.tanh(0.5)) < 1e-6)
 * @category torch @since 0.2.0
 */
export const lstm_cell = (input: T, hx: ReadonlyArray<T>, w_ih: T, w_hh: T, ...rest: CellBiases): [T, T] => {
  requireTensorArgs('lstm_cell', ['input'], [input])
  if (hx === undefined) throw missingArgs('lstm_cell', CELL_ARGS.slice(1))
  requireTensorList('lstm_cell', 'hx', hx, 2)
  if (w_ih === undefined) throw missingArgs('lstm_cell', CELL_ARGS.slice(2))
  requireTensor('lstm_cell', 'w_ih', w_ih, 3)
  if (w_hh === undefined) throw missingArgs('lstm_cell', CELL_ARGS.slice(3))
  requireTensor('lstm_cell', 'w_hh', w_hh, 4)
  if (hx.length !== 2) throw new RuntimeError('lstm_cell expects two hidden states')
  const a = bind('lstm_cell', input, w_ih, w_hh, rest)
  const [h, c] = hx as [T, T]
  checkHidden(input, h, w_hh.size(1))
  checkHidden(input, c, w_hh.size(1))
  return lstmStep(F.linear(input, w_ih, a.b_ih), h, c, w_hh, a.b_hh, null, true)
}

/**
 * `torch.gru_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None)`: the new h (gates r, z, n).
 * @example
 * import * as torch from 'wengert/torch'
 * const h = torch.gru_cell(torch.ones(1, 1), torch.ones(1, 1), torch.zeros(3, 1), torch.zeros(3, 1))
 * assert.strictEqual(h.item(), 0.5)
 * @category torch @since 0.2.0
 */
export const gru_cell = (input: T, hx: T, w_ih: T, w_hh: T, ...rest: CellBiases): T => {
  requireTensorArgs('gru_cell', CELL_ARGS, [input, hx, w_ih, w_hh])
  const a = bind('gru_cell', input, w_ih, w_hh, rest)
  checkHidden(input, hx, w_hh.size(1))
  return gruStep(F.linear(input, w_ih, a.b_ih), hx, w_hh, a.b_hh, true)
}

/**
 * `torch.nn`: `Module` and `Parameter`, layers, containers, losses, `functional` and `init`.
 * Layer and loss classes are callable with or without `new` (`nn.Linear(1, 3)`), and a module
 * is applied with `model.call(x)` (PyTorch's `model(x)`).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const { nn } = torch
 * const model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
 * const loss = nn.MSELoss().call(model.call(torch.ones(3, 2)), torch.zeros(3, 1))
 * loss.backward()
 * assert.ok([...model.parameters()].every((p) => p.grad !== null))
 * @category torch
 * @since 0.1.0
 */
export { Module, HookHandle, IncompatibleKeys } from './module'
export { KeyError, NotImplementedError } from '../errors'
export type { ForwardHook, ForwardPreHook, StateDict, Reduction } from './module'
export { Parameter, isParameter } from './parameter'
export {
  Linear,
  Identity,
  Flatten,
  ReLU,
  LeakyReLU,
  GELU,
  Tanh,
  Sigmoid,
  Softmax,
  LogSoftmax,
  Dropout,
  Embedding,
  LayerNorm,
} from './layers'
export { Sequential, ModuleList } from './container'
export { MSELoss, L1Loss, BCELoss, BCEWithLogitsLoss, NLLLoss, CrossEntropyLoss } from './loss'
export { pyClass, type PyClass } from './pyclass'
/** `torch.nn.functional` (usually imported as `F`). @category torch @since 0.1.0 */
export * as functional from './functional'
/** `torch.nn.init`: in-place initialisers. @category torch @since 0.1.0 */
export * as init from './init'
/** `torch.nn.utils`: gradient clipping, parameters to and from one vector. @category torch @since 0.1.0 */
export * as utils from './utils'
export { RNN, LSTM, GRU } from './rnn'
export { RNNCell, LSTMCell, GRUCell } from './rnnCells'
export { MultiheadAttention } from './attention'
export { TransformerEncoderLayer, TransformerDecoderLayer, TransformerEncoder, TransformerDecoder } from './transformer'
export { Transformer } from './transformerModel'

/**
 * `torch.nn`: `Module` and `Parameter`, layers, containers, losses, `functional` and `init`.
 * Layer and loss classes are callable with or without `new` (`nn.Linear(1, 3)`), and a module
 * instance is itself callable: `model(x)` as in PyTorch (`model.call(x)` is the same).
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
export type {
  ForwardHook,
  ForwardPreHook,
  ForwardHookWithKwargs,
  ForwardPreHookWithKwargs,
  StateDict,
  Reduction,
} from './module'
export { Parameter, isParameter, type ParameterKw } from './parameter'
export { CTCLoss } from './ctc'
export type { ModuleBackwardHook, ModuleBackwardPreHook, BackwardHookGrads, BackwardHookResult } from './backwardHook'
export type { RegistrationHook } from './moduleHooks'
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
export { ModuleDict, ParameterList, ParameterDict } from './dicts'
export { BatchNorm1d, BatchNorm2d, BatchNorm3d, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d } from './norm'
export { GroupNorm, RMSNorm, LocalResponseNorm } from './norm2'
export { CrossMapLRN2d } from './crossMapLRN'
export { DataParallel, SyncBatchNorm } from './parallel'
/** `torch.nn.parallel`: `DataParallel`, `data_parallel`. @category torch @since 0.3.0 */
export * as parallel from './parallelNamespace'
export {
  SiLU,
  Mish,
  ELU,
  SELU,
  CELU,
  Softplus,
  Softsign,
  Hardtanh,
  ReLU6,
  Hardswish,
  Hardsigmoid,
  GLU,
  LogSigmoid,
  Softmin,
  Threshold,
  Tanhshrink,
  Softshrink,
  Hardshrink,
  PReLU,
  type Activation,
} from './activations'
export { MSELoss, L1Loss, BCELoss, BCEWithLogitsLoss, NLLLoss, CrossEntropyLoss } from './loss'
export { pyClass, classBehind, type PyClass, type ConstructAround } from './pyclass'
/** `torch.nn.functional` (usually imported as `F`). @category torch @since 0.1.0 */
export * as functional from './functional'
/** `torch.nn.init`: in-place initialisers. @category torch @since 0.1.0 */
export * as init from './initAll'
/** `torch.nn.utils`: gradient clipping, parameters to and from one vector. @category torch @since 0.1.0 */
export * as utils from './utils'
export { Conv1d, Conv2d, Conv3d } from './convLayers'
export { ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from './convTransposeLayers'
export { MaxPool1d, MaxPool2d, MaxPool3d, AvgPool1d, AvgPool2d, AvgPool3d } from './poolLayers'
export {
  AdaptiveAvgPool1d,
  AdaptiveAvgPool2d,
  AdaptiveAvgPool3d,
  AdaptiveMaxPool1d,
  AdaptiveMaxPool2d,
  AdaptiveMaxPool3d,
} from './poolLayers'
export * from './paddingLayers'
export * from './resampleLayers'
export { RNN, LSTM, GRU, RNNBase } from './rnn'
export { RNNCell, LSTMCell, GRUCell, RNNCellBase } from './rnnCells'
export { MultiheadAttention } from './attention'
export { TransformerEncoderLayer, TransformerDecoderLayer, TransformerEncoder, TransformerDecoder } from './transformer'
export { Transformer } from './transformerModel'
export {
  SmoothL1Loss,
  HuberLoss,
  KLDivLoss,
  PoissonNLLLoss,
  GaussianNLLLoss,
  SoftMarginLoss,
  MultiLabelSoftMarginLoss,
} from './lossModules2'
export {
  MarginRankingLoss,
  HingeEmbeddingLoss,
  CosineEmbeddingLoss,
  TripletMarginLoss,
  MultiMarginLoss,
  TripletMarginWithDistanceLoss,
} from './marginLossModules'
export { CosineSimilarity, PairwiseDistance } from './distance'
export { EmbeddingBag } from './embeddingBagLayer'
export { Bilinear, Unflatten, type BilinearKw } from './bilinear'
export * from './layersMore'
export * from './layersMore2'
export * from './fractionalPoolLayers'
export { UninitializedParameter, UninitializedBuffer } from './uninitialized'
/** `torch.nn.parameter`: `Parameter`, `UninitializedParameter`, `UninitializedBuffer`, `is_lazy`. @category torch @since 0.2.0 */
export * as parameter from './parameterNamespace'
export { modules } from './lazy'
export { LazyLinear } from './lazy'
export * from './lazyConv'
export * from './lazyNorm'
export { AdaptiveLogSoftmaxWithLoss, type AdaptiveLogSoftmaxWithLossKw, type ASMoutput } from './adaptiveLogSoftmax'

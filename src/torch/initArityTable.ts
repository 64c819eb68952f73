/**
 * How many required positional parameters (after `self`) the `__init__` of each nn class takes,
 * for Python's arity TypeError (`Linear.__init__() takes from 3 to 6 positional arguments but 8
 * were given`: `self` counts, and "from R to T" when some have defaults). Read from PyTorch's
 * signatures (`inspect.signature` of each class's `__init__`, keyed by the class that defines it);
 * the 2.x-only layers added by hand. An `__init__` not listed has no required parameter.
 *
 * @category torch
 * @since 0.5.0
 */
const TABLE = `
AdaptiveLogSoftmaxWithLoss:3 AvgPool1d:1 AvgPool2d:1 AvgPool3d:1 Bilinear:3 ChannelShuffle:1 CircularPad1d:1
CircularPad2d:1 CircularPad3d:1 ConstantPad1d:2 ConstantPad2d:2 ConstantPad3d:2 Conv1d:3 Conv2d:3 Conv3d:3
ConvTranspose1d:3 ConvTranspose2d:3 ConvTranspose3d:3 CrossMapLRN2d:1 DataParallel:1 Embedding:2 EmbeddingBag:2
Fold:2 FractionalMaxPool2d:1 FractionalMaxPool3d:1 GRUCell:2 GroupNorm:2 LSTMCell:2 LayerNorm:1 LazyConv1d:2
LazyConv2d:2 LazyConv3d:2 LazyConvTranspose1d:2 LazyConvTranspose2d:2 LazyConvTranspose3d:2 LazyLinear:1 Linear:2
LocalResponseNorm:1 MaxUnpool1d:1 MaxUnpool2d:1 MaxUnpool3d:1 MultiheadAttention:2 PixelShuffle:1 PixelUnshuffle:1
RMSNorm:1 RNNBase:3 RNNCell:2 RNNCellBase:4 ReflectionPad1d:1 ReflectionPad2d:1 ReflectionPad3d:1
ReplicationPad1d:1 ReplicationPad2d:1 ReplicationPad3d:1 SyncBatchNorm:1 Threshold:2 TransformerDecoder:2
TransformerDecoderLayer:2 TransformerEncoder:2 TransformerEncoderLayer:2 Unflatten:2 Unfold:1 ZeroPad1d:1
ZeroPad2d:1 ZeroPad3d:1 _AdaptiveAvgPoolNd:1 _AdaptiveMaxPoolNd:1 _BatchNorm:1 _InstanceNorm:1 _LPPoolNd:2
_MaxPoolNd:1
`

const REQUIRED = new Map<string, number>(
  TABLE.trim()
    .split(/\s+/)
    .map((e) => {
      const [name, n] = e.split(':') as [string, string]
      return [`${name}.__init__`, Number(n)]
    }),
)

/** The required positional parameters (after `self`) of the `__init__` called `fn` (`'Linear.__init__'`). */
export const initRequired = (fn: string): number => REQUIRED.get(fn) ?? 0

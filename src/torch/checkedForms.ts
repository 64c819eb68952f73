/**
 * The torch.* functions re-exported from other modules (functional forms after their ATen schemas,
 * random and numeric helpers, grad-mode, autocast and other global-switch getters), each behind
 * `torchFunction`: a keyword PyTorch's function does not take raises PyTorch's TypeError before the
 * arguments are checked (`torch.selu(x, {foo: 1})` → `selu() got an unexpected keyword argument 'foo'`),
 * as PyTorch's argument parser reads keywords first.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const untyped = torch.is_grad_enabled as (...args: unknown[]) => boolean // a call TypeScript would refuse
 * assert.throws(() => untyped({ foo: 1 }), /is_grad_enabled\(\) takes no keyword arguments/)
 * @category torch
 * @since 0.3.0
 */
import { torchFunction } from './functionKeywords'
import * as functional from './torchFunctional'
import * as native from './torchNative'
import * as losses from './torchLosses'
import * as samplers from './torchSamplers'
import * as nativeNorms from './torchNativeNorms'
import * as randomFns from './methods/randomFns'
import * as extras from './torchExtras'
import * as numeric from './ops/numeric'
import * as dtypes from './dtype'
import * as histograms from './histogram'
import * as gradMode from './autograd/grad_mode'
import * as amp from './amp'
import * as switches from './switches'

/** `torch.adaptive_avg_pool1d`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const adaptive_avg_pool1d = torchFunction('adaptive_avg_pool1d', losses.adaptive_avg_pool1d)
/** `torch.adaptive_max_pool1d`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const adaptive_max_pool1d = torchFunction('adaptive_max_pool1d', losses.adaptive_max_pool1d)
/** `torch.alpha_dropout`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const alpha_dropout = torchFunction('alpha_dropout', functional.alpha_dropout)
/** `torch.alpha_dropout_`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const alpha_dropout_ = torchFunction('alpha_dropout_', functional.alpha_dropout_)
/** `torch.autocast_decrement_nesting`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const autocast_decrement_nesting = torchFunction(
  'autocast_decrement_nesting',
  switches.autocast_decrement_nesting,
)
/** `torch.autocast_increment_nesting`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const autocast_increment_nesting = torchFunction(
  'autocast_increment_nesting',
  switches.autocast_increment_nesting,
)
/** `torch.avg_pool1d`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const avg_pool1d = torchFunction('avg_pool1d', losses.avg_pool1d)
/** `torch.batch_norm`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const batch_norm = torchFunction('batch_norm', functional.batch_norm)
/** `torch.bernoulli`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const bernoulli = torchFunction('bernoulli', randomFns.bernoulli)
/** `torch.bilinear`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const bilinear = torchFunction('bilinear', functional.bilinear)
/** `torch.binary_cross_entropy_with_logits`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const binary_cross_entropy_with_logits = torchFunction(
  'binary_cross_entropy_with_logits',
  losses.binary_cross_entropy_with_logits,
)
/** `torch.broadcast_shapes`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const broadcast_shapes = torchFunction('broadcast_shapes', extras.broadcast_shapes)
/** `torch.bucketize`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const bucketize = torchFunction('bucketize', numeric.bucketize)
/** `torch.can_cast`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const can_cast = torchFunction('can_cast', extras.can_cast)
/** `torch.celu`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const celu = torchFunction('celu', losses.celu)
/** `torch.celu_`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const celu_ = torchFunction('celu_', losses.celu_)
/** `torch.chain_matmul`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const chain_matmul = torchFunction('chain_matmul', extras.chain_matmul)
/** `torch.channel_shuffle`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const channel_shuffle = torchFunction('channel_shuffle', native.channel_shuffle)
/** `torch.clear_autocast_cache`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const clear_autocast_cache = torchFunction('clear_autocast_cache', switches.clear_autocast_cache)
/** `torch.constant_pad_nd`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const constant_pad_nd = torchFunction('constant_pad_nd', losses.constant_pad_nd)
/** `torch.conv_transpose1d`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const conv_transpose1d = torchFunction('conv_transpose1d', functional.conv_transpose1d)
/** `torch.conv_transpose2d`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const conv_transpose2d = torchFunction('conv_transpose2d', functional.conv_transpose2d)
/** `torch.conv_transpose3d`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const conv_transpose3d = torchFunction('conv_transpose3d', functional.conv_transpose3d)
/** `torch.convolution`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const convolution = torchFunction('convolution', native.convolution)
/** `torch.cosine_embedding_loss`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const cosine_embedding_loss = torchFunction('cosine_embedding_loss', losses.cosine_embedding_loss)
/** `torch.cosine_similarity`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const cosine_similarity = torchFunction('cosine_similarity', functional.cosine_similarity)
/** `torch.ctc_loss`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const ctc_loss = torchFunction('ctc_loss', losses.ctc_loss)
/** `torch.cumulative_trapezoid`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const cumulative_trapezoid = torchFunction('cumulative_trapezoid', numeric.cumulative_trapezoid)
/** `torch.dropout`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const dropout = torchFunction('dropout', functional.dropout)
/** `torch.dropout_`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const dropout_ = torchFunction('dropout_', functional.dropout_)
/** `torch.embedding`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const embedding = torchFunction('embedding', functional.embedding)
/** `torch.embedding_renorm_`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const embedding_renorm_ = torchFunction('embedding_renorm_', native.embedding_renorm_)
/** `torch.feature_alpha_dropout`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const feature_alpha_dropout = torchFunction('feature_alpha_dropout', functional.feature_alpha_dropout)
/** `torch.feature_alpha_dropout_`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const feature_alpha_dropout_ = torchFunction('feature_alpha_dropout_', functional.feature_alpha_dropout_)
/** `torch.feature_dropout`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const feature_dropout = torchFunction('feature_dropout', functional.feature_dropout)
/** `torch.feature_dropout_`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const feature_dropout_ = torchFunction('feature_dropout_', functional.feature_dropout_)
/** `torch.get_autocast_cpu_dtype`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const get_autocast_cpu_dtype = torchFunction('get_autocast_cpu_dtype', amp.get_autocast_cpu_dtype)
/** `torch.get_autocast_gpu_dtype`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const get_autocast_gpu_dtype = torchFunction('get_autocast_gpu_dtype', amp.get_autocast_gpu_dtype)
/** `torch.get_default_dtype`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const get_default_dtype = torchFunction('get_default_dtype', dtypes.get_default_dtype)
/** `torch.get_device`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const get_device = torchFunction('get_device', switches.get_device)
/** `torch.get_num_interop_threads`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const get_num_interop_threads = torchFunction('get_num_interop_threads', switches.get_num_interop_threads)
/** `torch.grid_sampler`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const grid_sampler = torchFunction('grid_sampler', samplers.grid_sampler)
/** `torch.grid_sampler_2d`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const grid_sampler_2d = torchFunction('grid_sampler_2d', samplers.grid_sampler_2d)
/** `torch.grid_sampler_3d`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const grid_sampler_3d = torchFunction('grid_sampler_3d', samplers.grid_sampler_3d)
/** `torch.group_norm`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const group_norm = torchFunction('group_norm', functional.group_norm)
/** `torch.hardshrink`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const hardshrink = torchFunction('hardshrink', losses.hardshrink)
/** `torch.hinge_embedding_loss`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const hinge_embedding_loss = torchFunction('hinge_embedding_loss', losses.hinge_embedding_loss)
/** `torch.histc`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const histc = torchFunction('histc', numeric.histc)
/** `torch.histogram`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const histogram = torchFunction('histogram', histograms.histogram)
/** `torch.index_put_`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const index_put_ = torchFunction('index_put_', native.index_put_)
/** `torch.instance_norm`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const instance_norm = torchFunction('instance_norm', functional.instance_norm)
/** `torch.is_anomaly_check_nan_enabled`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const is_anomaly_check_nan_enabled = torchFunction(
  'is_anomaly_check_nan_enabled',
  switches.is_anomaly_check_nan_enabled,
)
/** `torch.is_anomaly_enabled`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const is_anomaly_enabled = torchFunction('is_anomaly_enabled', extras.is_anomaly_enabled)
/** `torch.is_autocast_cache_enabled`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const is_autocast_cache_enabled = torchFunction('is_autocast_cache_enabled', switches.is_autocast_cache_enabled)
/** `torch.is_autocast_cpu_enabled`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const is_autocast_cpu_enabled = torchFunction('is_autocast_cpu_enabled', amp.is_autocast_cpu_enabled)
/** `torch.is_autocast_enabled`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const is_autocast_enabled = torchFunction('is_autocast_enabled', amp.is_autocast_enabled)
/** `torch.is_grad_enabled`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const is_grad_enabled = torchFunction('is_grad_enabled', gradMode.is_grad_enabled)
/** `torch.is_inference_mode_enabled`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const is_inference_mode_enabled = torchFunction('is_inference_mode_enabled', gradMode.is_inference_mode_enabled)
/** `torch.is_warn_always_enabled`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const is_warn_always_enabled = torchFunction('is_warn_always_enabled', switches.is_warn_always_enabled)
/** `torch.kl_div`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const kl_div = torchFunction('kl_div', losses.kl_div)
/**
 * `torch.layer_norm`: its own parser refuses an unknown keyword once the required arguments are
 * there, and names a missing `normalized_shape` first, as PyTorch's parser does (a keyword check in
 * front would word that error as the keyword's). @category torch @since 0.3.0
 */
export const layer_norm = functional.layer_norm
/** `torch.margin_ranking_loss`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const margin_ranking_loss = torchFunction('margin_ranking_loss', losses.margin_ranking_loss)
/** `torch.max_pool1d`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const max_pool1d = torchFunction('max_pool1d', losses.max_pool1d)
/** `torch.max_pool1d_with_indices`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const max_pool1d_with_indices = torchFunction('max_pool1d_with_indices', losses.max_pool1d_with_indices)
/** `torch.max_pool2d`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const max_pool2d = torchFunction('max_pool2d', losses.max_pool2d)
/** `torch.max_pool3d`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const max_pool3d = torchFunction('max_pool3d', losses.max_pool3d)
/** `torch.multinomial`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const multinomial = torchFunction('multinomial', randomFns.multinomial)
/** `torch.narrow_copy`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const narrow_copy = torchFunction('narrow_copy', native.narrow_copy)
/** `torch.native_batch_norm`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const native_batch_norm = torchFunction('native_batch_norm', nativeNorms.native_batch_norm)
/** `torch.native_channel_shuffle`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const native_channel_shuffle = torchFunction('native_channel_shuffle', native.native_channel_shuffle)
/** `torch.native_dropout`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const native_dropout = torchFunction('native_dropout', nativeNorms.native_dropout)
/** `torch.native_group_norm`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const native_group_norm = torchFunction('native_group_norm', nativeNorms.native_group_norm)
/** `torch.native_layer_norm`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const native_layer_norm = torchFunction('native_layer_norm', nativeNorms.native_layer_norm)
/** `torch.native_norm`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const native_norm = torchFunction('native_norm', nativeNorms.native_norm)
/** `torch.norm_except_dim`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const norm_except_dim = torchFunction('norm_except_dim', nativeNorms.norm_except_dim)
/** `torch.normal`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const normal = torchFunction('normal', randomFns.normal)
/** `torch.pairwise_distance`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const pairwise_distance = torchFunction('pairwise_distance', functional.pairwise_distance)
/** `torch.pdist`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const pdist = torchFunction('pdist', functional.pdist)
/** `torch.pixel_shuffle`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const pixel_shuffle = torchFunction('pixel_shuffle', functional.pixel_shuffle)
/** `torch.pixel_unshuffle`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const pixel_unshuffle = torchFunction('pixel_unshuffle', functional.pixel_unshuffle)
/** `torch.poisson_nll_loss`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const poisson_nll_loss = torchFunction('poisson_nll_loss', losses.poisson_nll_loss)
/** `torch.prelu`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const prelu = torchFunction('prelu', functional.prelu)
/** `torch.promote_types`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const promote_types = torchFunction('promote_types', extras.promote_types)
/** `torch.range`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const range = torchFunction('range', extras.range)
/** `torch.rrelu`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const rrelu = torchFunction('rrelu', native.rrelu)
/** `torch.rrelu_`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const rrelu_ = torchFunction('rrelu_', native.rrelu_)
/** `torch.selu`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const selu = torchFunction('selu', losses.selu)
/** `torch.selu_`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const selu_ = torchFunction('selu_', losses.selu_)
/** `torch.threshold`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const threshold = torchFunction('threshold', losses.threshold)
/** `torch.threshold_`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const threshold_ = torchFunction('threshold_', losses.threshold_)
/** `torch.trapezoid`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const trapezoid = torchFunction('trapezoid', numeric.trapezoid)
/** `torch.trapz`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const trapz = torchFunction('trapz', numeric.trapz)
/** `torch.triplet_margin_loss`, refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const triplet_margin_loss = torchFunction('triplet_margin_loss', losses.triplet_margin_loss)

/**
 * wengert's PyTorch facade (`import * as torch from 'wengert/torch'`): Tensors with
 * `requires_grad`, `.backward()`, `.grad`, `.grad_fn`, PyTorch's names, printing and error
 * messages, on wengert's engine. See docs/porting.md for the spelling of Python constructs.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.ones(2, 2, { requires_grad: true })
 * const out = x.add(2).pow(2).mul(3).mean()
 * out.backward()
 * assert.strictEqual(String(x.grad), 'tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])')
 * @category torch
 * @since 0.1.0
 */
import type { TorchDType } from './dtype'
import { Tensor } from './install'
import { checkSecondArg, hasSecondArgCheck, tensorInput } from './pyType'
import { invalidCombination, missingArgs, requireIntArg, requireTensor } from './pyTypeName'
import type { ValuesIndices } from './methods/reduce'

// ./install attaches the methods to the tensor core: importing the facade installs them
export { Tensor } from './install'
import { hasOut, outForm, withOut } from './outArg'
import {
  checkFunctionCall,
  functionCallCheck,
  inputByKeyword,
  numpyKeywordArgs,
  torchFunction,
} from './functionKeywords'
export { Size, type TensorData } from './tensor'
export { float32, float64, int64, int32, int16, int8, uint8, bool, TorchDType, set_default_dtype } from './dtype'
export { type ArangeKw, type FactoryKw, type RandintKw } from './creation'
export { type UniqueResult } from './methods/unique'
import { from_numpy as kw_from_numpy } from './creation'
/** `torch.from_numpy`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const from_numpy = torchFunction('from_numpy', kw_from_numpy)
import * as creation from './creation'
/** `torch.tensor(data)`: a new tensor copying `data`. @category torch @since 0.1.0 */
export const tensor = torchFunction('tensor', complexTensorData(creation.tensor))
/** `torch.as_tensor(data)`: `data` as a tensor, sharing a given tensor. @category torch @since 0.1.0 */
export const as_tensor = torchFunction('as_tensor', creation.as_tensor)
/** `torch.zeros_like(input)`. @category torch @since 0.1.0 */
export const zeros_like = complexLike(torchFunction('zeros_like', creation.zeros_like), false)
/** `torch.ones_like(input)`. @category torch @since 0.1.0 */
export const ones_like = complexLike(torchFunction('ones_like', creation.ones_like), true)
/** `torch.empty_like(input)`. @category torch @since 0.1.0 */
export const empty_like = torchFunction('empty_like', creation.empty_like)
/** `torch.full_like(input, fill_value)`. @category torch @since 0.1.0 */
export const full_like = torchFunction('full_like', creation.full_like)
/** `torch.rand_like(input)`. @category torch @since 0.1.0 */
export const rand_like = torchFunction(
  'rand_like',
  complexRandLike(creation.rand_like, () => rand),
)
/** `torch.randn_like(input)`. @category torch @since 0.1.0 */
export const randn_like = torchFunction(
  'randn_like',
  complexRandLike(creation.randn_like, () => randn),
)
import {
  zeros as out_zeros,
  ones as out_ones,
  empty as out_empty,
  full as out_full,
  arange as out_arange,
  linspace as out_linspace,
  eye as out_eye,
  rand as out_rand,
  randn as out_randn,
  randint as out_randint,
  randperm as out_randperm,
} from './creation'
/** `torch.zeros`, with PyTorch's `out=` keyword (the result takes `out`'s dtype unless `dtype` is given). @category torch @since 0.1.0 */
export const zeros = complexFactory(outForm('zeros', out_zeros), 'zeros')
/** `torch.ones`, with PyTorch's `out=` keyword (the result takes `out`'s dtype unless `dtype` is given). @category torch @since 0.1.0 */
export const ones = complexFactory(outForm('ones', out_ones), 'ones')
/** `torch.empty`, with PyTorch's `out=` keyword (the result takes `out`'s dtype unless `dtype` is given). @category torch @since 0.1.0 */
export const empty = complexFactory(outForm('empty', out_empty), 'zeros')
/** `torch.full`, with PyTorch's `out=` keyword (the result takes `out`'s dtype unless `dtype` is given). @category torch @since 0.1.0 */
export const full = outForm('full', out_full)
/** `torch.arange`, with PyTorch's `out=` keyword (the result takes `out`'s dtype unless `dtype` is given). @category torch @since 0.1.0 */
export const arange = outForm('arange', out_arange)
/** `torch.linspace`, with PyTorch's `out=` keyword (the result takes `out`'s dtype unless `dtype` is given). @category torch @since 0.1.0 */
export const linspace = outForm('linspace', out_linspace)
/** `torch.eye`, with PyTorch's `out=` keyword (the result takes `out`'s dtype unless `dtype` is given). @category torch @since 0.1.0 */
export const eye = outForm('eye', out_eye)
/** `torch.rand`, with PyTorch's `out=` keyword (the result takes `out`'s dtype unless `dtype` is given). @category torch @since 0.1.0 */
export const rand = complexFactory(outForm('rand', out_rand), 'rand')
/** `torch.randn`, with PyTorch's `out=` keyword (the result takes `out`'s dtype unless `dtype` is given). @category torch @since 0.1.0 */
export const randn = complexFactory(outForm('randn', out_randn), 'randn')
/** `torch.randint`, with PyTorch's `out=` keyword (the result takes `out`'s dtype unless `dtype` is given). @category torch @since 0.1.0 */
export const randint = outForm('randint', out_randint)
/** `torch.randperm`, with PyTorch's `out=` keyword (the result takes `out`'s dtype unless `dtype` is given). @category torch @since 0.1.0 */
export const randperm = torchFunction('randperm', outForm('randperm', out_randperm))
export { as_tensor as from }
export { manual_seed, seed } from './generator'
import { initial_seed as kw_initial_seed } from './generator'
/** `torch.initial_seed`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const initial_seed = torchFunction('initial_seed', kw_initial_seed)
export { strided, Layout } from './methods/tensorMisc'
export type { TypedStorage, UntypedStorage } from './methods/storageFacts'
export { Generator, default_generator, set_rng_state } from './generator'
import { get_rng_state as kw_get_rng_state } from './generator'
/** `torch.get_rng_state`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const get_rng_state = torchFunction('get_rng_state', kw_get_rng_state)
export { set_num_threads } from './threads'
import { get_num_threads as kw_get_num_threads } from './threads'
/** `torch.get_num_threads`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const get_num_threads = torchFunction('get_num_threads', kw_get_num_threads)
export { no_grad, enable_grad, set_grad_enabled, inference_mode, type GradModeContext } from './autograd/grad_mode'
import {
  cat as out_cat,
  concat as out_concat,
  concatenate as out_concatenate,
  stack as out_stack,
  vstack as out_vstack,
  hstack as out_hstack,
} from './ops/functions'
import { where as py_where, is_tensor as py_is_tensor, numel as py_numel } from './ops/functions'
/** `torch.where(condition)` or `torch.where(condition, input, other)`. @category torch @since 0.1.0 */
export const where = torchFunction('where', py_where)
/** `torch.is_tensor(obj)`: whether `obj` is a Tensor. @category torch @since 0.1.0 */
export const is_tensor = torchFunction('is_tensor', py_is_tensor)
/** `torch.numel(input)`: the number of elements. @category torch @since 0.1.0 */
export const numel = torchFunction('numel', py_numel)
/** `torch.cat`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const cat = complexJoin(outForm('cat', out_cat), 'cat')
/** `torch.concat`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const concat = outForm('concat', out_concat)
/** `torch.concatenate`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const concatenate = outForm('concatenate', out_concatenate)
/** `torch.stack`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const stack = complexJoin(outForm('stack', out_stack), 'stack')
/** `torch.vstack`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const vstack = outForm('vstack', out_vstack)
/** `torch.hstack`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const hstack = outForm('hstack', out_hstack)
export { slice, Slice, type IndexItem } from './methods/index'
export { RuntimeError, IndexError, TorchTypeError, TorchValueError, AssertionError } from './errors'
export { AttributeError } from './errors'
export { NotImplementedError } from './errors'
export { save, load, UnpicklingError, type SaveKw, type LoadKw } from './serialization/index'
export * as safetensors from './serialization/safetensors'
export {
  device,
  backends,
  get_default_device,
  set_default_device,
  type DeviceType,
  type ToKw,
  type ToArg,
} from './device'
export { cuda, cpu, random, type ForkRngKw } from './deviceNamespaces'
export * as amp from './ampNamespace'
export { autocast, type AutocastKw, type AutocastBody, type GradScalerKw, type GradScalerState } from './amp'
export * as jit from './jit'
export { compile, type CompileKw } from './compile'
export { print, pyStr } from './print'
export type { ValuesIndices } from './methods/reduce'
export * as autograd from './autograd/index'
/** `torch.overrides`: has_torch_function, handle_torch_function, is_tensor_like. @category torch @since 0.3.0 */
export * as overrides from './overrides'
export * as func from './func'
export * as onnx from './onnx'
export * as warnings from './warnings'
/** `torch.copy`: Python's `copy.deepcopy` / `copy.copy` for modules, tensors and containers. @category torch @since 0.3.0 */
export * as copy from './copy'
export * as nn from './nn'
export * as optim from './optim'
export * as utils from './utils/index'

/** PyTorch's aliases of the dtypes. */
export { float32 as float, float64 as double, int64 as long, int32 as int, int16 as short } from './dtype'
export {
  float16,
  float16 as half,
  bfloat16,
  complex64,
  complex64 as cfloat,
  complex128,
  complex128 as cdouble,
} from './dtypeUnsupported'
export {
  FloatTensor,
  DoubleTensor,
  LongTensor,
  IntTensor,
  ShortTensor,
  CharTensor,
  ByteTensor,
  BoolTensor,
  type LegacyTensorType,
} from './legacyTypes'
export { memory_format, preserve_format, contiguous_format, channels_last, channels_last_3d } from './memoryFormat'
/** PyTorch's `torch.dtype` (the type of dtype objects). */
export type dtype = TorchDType

// -------------------------------------------------------------------------------------
// function forms of Tensor methods: torch.f(x, ...args) is x.f(...args)
// -------------------------------------------------------------------------------------

type Method<K extends keyof Tensor> = Tensor[K] extends (
  this: Tensor,
  ...a: infer A extends readonly unknown[]
) => infer R
  ? (input: Tensor, ...args: A) => R
  : never
const fn = <K extends keyof Tensor>(k: K): Method<K> => {
  const second = hasSecondArgCheck(k)
  const check = functionCallCheck(k)
  return function call(input: unknown, ...rest: unknown[]): unknown {
    // too many positional arguments, a missing required one, a keyword PyTorch's function refuses:
    // its TypeError, in its parser's order, worded for the function (decided once per function)
    const renamed = numpyKeywordArgs(k, arguments)
    if (renamed !== undefined) return call(...(renamed as [unknown, ...unknown[]]))
    check?.(arguments)
    const moved = inputByKeyword(k, arguments)
    if (moved !== undefined) return call(...(moved as [unknown, ...unknown[]]))
    // a non-tensor input gets PyTorch's TypeError (or, for add/sub/mul/div, becomes a 0-d tensor)
    const t = input instanceof Tensor ? input : tensorInput(k, arguments.length === 0 ? [] : [input, ...rest])
    if (second) checkSecondArg(k, [t, ...rest])
    const method = t[k] as unknown as (...b: unknown[]) => unknown
    return hasOut(rest) ? withOut(k, rest, (a) => method.apply(t, a), t) : method.apply(t, rest)
  } as Method<K>
}

export const add = fn('add')
export const sub = fn('sub')
export const subtract = fn('subtract')
export const rsub = fn('rsub')
export const mul = fn('mul')
export const multiply = fn('multiply')
export const div = fn('div')
export const divide = fn('divide')
export const true_divide = fn('true_divide')
export const floor_divide = fn('floor_divide')
export const remainder = fn('remainder')
export const square = fn('square')
export const maximum = fn('maximum')
export const minimum = fn('minimum')
export const atan2 = fn('atan2')
export const addcmul = fn('addcmul')
export const addcdiv = fn('addcdiv')
export const lerp = fn('lerp')
export const neg = fn('neg')
export const negative = fn('negative')
export const abs = fn('abs')
export const absolute = fn('absolute')
export const sign = fn('sign')
export const exp = fn('exp')
export const expm1 = fn('expm1')
export const log = fn('log')
export const log1p = fn('log1p')
export const log2 = fn('log2')
export const log10 = fn('log10')
export const sqrt = fn('sqrt')
export const rsqrt = fn('rsqrt')
export const reciprocal = fn('reciprocal')
export const sin = fn('sin')
export const cos = fn('cos')
export const tan = fn('tan')
export const asin = fn('asin')
export const asinh = fn('asinh')
export const acos = fn('acos')
export const atan = fn('atan')
export const sinh = fn('sinh')
export const cosh = fn('cosh')
export const fmax = fn('fmax')
export const fmin = fn('fmin')
export const dist = fn('dist')
export const is_floating_point = fn('is_floating_point')
export const is_complex = fn('is_complex')
export const is_signed = fn('is_signed')
export const is_nonzero = fn('is_nonzero')
export const is_same_size = fn('is_same_size')
export const acosh = fn('acosh')
export const atanh = fn('atanh')
export const arccos = fn('arccos')
export const arcsin = fn('arcsin')
export const arctan = fn('arctan')
export const arcsinh = fn('arcsinh')
export const arccosh = fn('arccosh')
export const arctanh = fn('arctanh')
export const arctan2 = fn('arctan2')
// PyTorch's function forms of in-place methods: torch.f_(x, ...args) is x.f_(...args)
export const abs_ = fn('abs_')
export const acos_ = fn('acos_')
export const acosh_ = fn('acosh_')
export const arccos_ = fn('arccos_')
export const arccosh_ = fn('arccosh_')
export const arcsin_ = fn('arcsin_')
export const arcsinh_ = fn('arcsinh_')
export const arctan_ = fn('arctan_')
export const arctanh_ = fn('arctanh_')
export const asin_ = fn('asin_')
export const asinh_ = fn('asinh_')
export const atan_ = fn('atan_')
export const atanh_ = fn('atanh_')
export const ceil_ = fn('ceil_')
export const clamp_ = fn('clamp_')
export const clamp_max_ = fn('clamp_max_')
export const clamp_min_ = fn('clamp_min_')
export const clip_ = fn('clip_')
export const cos_ = fn('cos_')
export const cosh_ = fn('cosh_')
export const deg2rad_ = fn('deg2rad_')
export const erf_ = fn('erf_')
export const erfc_ = fn('erfc_')
export const exp2_ = fn('exp2_')
export const exp_ = fn('exp_')
export const expm1_ = fn('expm1_')
export const fix_ = fn('fix_')
export const floor_ = fn('floor_')
export const frac_ = fn('frac_')
export const i0_ = fn('i0_')
export const log10_ = fn('log10_')
export const log1p_ = fn('log1p_')
export const log2_ = fn('log2_')
export const log_ = fn('log_')
export const logit_ = fn('logit_')
export const nan_to_num_ = fn('nan_to_num_')
export const neg_ = fn('neg_')
export const negative_ = fn('negative_')
export const rad2deg_ = fn('rad2deg_')
export const reciprocal_ = fn('reciprocal_')
export const relu_ = fn('relu_')
export const round_ = fn('round_')
export const rsqrt_ = fn('rsqrt_')
export const sigmoid_ = fn('sigmoid_')
export const sin_ = fn('sin_')
export const sinc_ = fn('sinc_')
export const sinh_ = fn('sinh_')
export const sqrt_ = fn('sqrt_')
export const square_ = fn('square_')
export const tan_ = fn('tan_')
export const tanh_ = fn('tanh_')
export const trunc_ = fn('trunc_')
export const xlogy_ = fn('xlogy_')
export const zero_ = fn('zero_')
export const fill_ = fn('fill_')
export const addmv_ = fn('addmv_')
export const detach_ = fn('detach_')
export const tanh = fn('tanh')
export const sigmoid = fn('sigmoid')
export const erf = fn('erf')
export const relu = fn('relu')
export const floor = fn('floor')
export const ceil = fn('ceil')
export const round = fn('round')
export const trunc = fn('trunc')
export const clamp = fn('clamp')
export const clip = fn('clip')
export const clamp_min = fn('clamp_min')
export const clamp_max = fn('clamp_max')
export const eq = fn('eq')
export const ne = fn('ne')
export const gt = fn('gt')
export const ge = fn('ge')
export const lt = fn('lt')
export const le = fn('le')
export const greater = fn('greater')
export const less = fn('less')
export const logical_and = fn('logical_and')
export const logical_or = fn('logical_or')
export const logical_xor = fn('logical_xor')
export const logical_not = fn('logical_not')
export const isnan = fn('isnan')
export const isfinite = fn('isfinite')
export const isinf = fn('isinf')
export const isclose = fn('isclose')
export const allclose = fn('allclose')
export const equal = fn('equal')
export const sum = fn('sum')
export const mean = fn('mean')
export const prod = fn('prod')
export const amax = fn('amax')
export const amin = fn('amin')
export const argmax = fn('argmax')
export const argmin = fn('argmin')
export const std = fn('std')
export const norm = fn('norm')
export const logsumexp = fn('logsumexp')
export const softmax = fn('softmax')
export const log_softmax = fn('log_softmax')
export const cumsum = fn('cumsum')
export const all = fn('all')
export const any = fn('any')
export const matmul = fn('matmul')
export const mm = fn('mm')
export const mv = fn('mv')
export const bmm = fn('bmm')
export const dot = fn('dot')
export const outer = fn('outer')
export const reshape = fn('reshape')
export const flatten = fn('flatten')
export const unflatten = fn('unflatten')
export const unsqueeze = fn('unsqueeze')
export const squeeze = fn('squeeze')
export const transpose = fn('transpose')
export const swapaxes = fn('swapaxes')
export const permute = fn('permute')
export const t = fn('t')
export const select = fn('select')
export const narrow = fn('narrow')
export const unbind = fn('unbind')
export const split = fn('split')
export const chunk = fn('chunk')
export const clone = fn('clone')
export const flip = fn('flip')
export const roll = fn('roll')
export const tile = fn('tile')
export const index_select = fn('index_select')
export const gather = fn('gather')
export const masked_fill = fn('masked_fill')
export const masked_select = fn('masked_select')
export const take = fn('take')
/** The overloads of `torch.nonzero`: the method's, with the tensor first. @category torch @since 0.3.0 */
export interface NonzeroFunction {
  (input: Tensor): Tensor
  (input: Tensor, kw: { readonly as_tuple: true }): Tensor[]
  (input: Tensor, kw: { readonly as_tuple?: false; readonly out?: Tensor }): Tensor
  (input: Tensor, kw: { readonly as_tuple?: boolean }): Tensor | Tensor[]
}
/**
 * `torch.nonzero(input)`: the `[nnz, ndim]` int64 indices of the nonzero elements, or with
 * `as_tuple: true` one 1-D index tensor per dimension. @category torch @since 0.1.0
 */
export const nonzero: NonzeroFunction = fn('nonzero') as NonzeroFunction
export const index_put = fn('index_put')
export const detach = fn('detach')

/** `torch.var` (Bessel-corrected by default). @category torch @since 0.1.0 */
export const var_ = fn('var')
export { var_ as var }

const POW_SIGNATURES = [
  '(Tensor input, Tensor exponent, *, Tensor out)',
  '(Number self, Tensor exponent, *, Tensor out)',
  '(Tensor input, Number exponent, *, Tensor out)',
]
/** The `input` of torch.max/min/median/nanmedian: with no arguments, PyTorch's overload TypeError. */
const reductionInput = (fn: string, args: IArguments, input: unknown): Tensor => {
  if (args.length === 0) throw invalidCombination(fn, [], ['(Tensor input)', '(Tensor input, int dim, bool keepdim)'])
  checkFunctionCall(fn, args)
  return requireTensor(fn, 'input', input)
}

/** `torch.max(x)`, `torch.max(x, dim)` (values and indices), `torch.max(x, other)`. @category torch @since 0.1.0 */
export function max(input: Tensor): Tensor
export function max(input: Tensor, other: Tensor): Tensor
export function max(input: Tensor, dim: number, keepdim?: boolean | { readonly keepdim?: boolean }): ValuesIndices
export function max(input: Tensor, kwargs: { readonly dim: number; readonly keepdim?: boolean }): ValuesIndices
export function max(input: Tensor, ...args: unknown[]): Tensor | ValuesIndices {
  reductionInput('max', arguments, input)
  return withOut(
    'max',
    args,
    (a) => (input.max as unknown as (...b: unknown[]) => Tensor | ValuesIndices).apply(input, a),
    input,
  ) as Tensor | ValuesIndices
}
/** `torch.min`, as `torch.max`. @category torch @since 0.1.0 */
export function min(input: Tensor): Tensor
export function min(input: Tensor, other: Tensor): Tensor
export function min(input: Tensor, dim: number, keepdim?: boolean | { readonly keepdim?: boolean }): ValuesIndices
export function min(input: Tensor, kwargs: { readonly dim: number; readonly keepdim?: boolean }): ValuesIndices
export function min(input: Tensor, ...args: unknown[]): Tensor | ValuesIndices {
  reductionInput('min', arguments, input)
  return withOut(
    'min',
    args,
    (a) => (input.min as unknown as (...b: unknown[]) => Tensor | ValuesIndices).apply(input, a),
    input,
  ) as Tensor | ValuesIndices
}
const powImpl = (input: Tensor | number, exponent: Tensor | number): Tensor => {
  if (input instanceof Tensor) return input.pow(exponent)
  if (typeof input === 'number' && exponent instanceof Tensor) return exponent.rpow(input)
  throw invalidCombination(
    'pow',
    [input, exponent].filter((a) => a !== undefined),
    POW_SIGNATURES,
  )
}
/** `torch.pow(input, exponent)`; a number base gives PowBackward2; PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const pow = torchFunction('pow', outForm('pow', powImpl))
export * as linalg from './linalgNamespace'
import { tril as out_tril, triu as out_triu, inverse as out_inverse, torchCholesky as out_cholesky } from './linalg'
import { trace as la_trace, torchDet } from './linalg'
/** `torch.trace(input)`: the sum of the main diagonal of a 2-D tensor. @category torch @since 0.1.0 */
export const trace = torchFunction('trace', la_trace)
/** `torch.det(input)`: the determinant of a square matrix or batch of them. @category torch @since 0.1.0 */
export const det = torchFunction('det', torchDet)
/** `torch.tril`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const tril = outForm('tril', out_tril)
/** `torch.triu`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const triu = outForm('triu', out_triu)
/** `torch.inverse`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const inverse = outForm('inverse', out_inverse)
/** `torch.cholesky`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const cholesky = outForm('cholesky', out_cholesky)
import { diag as out_diag } from './linalgDiagonal'
import { diagonal as kw_diagonal } from './linalgDiagonal'
/** `torch.diagonal`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const diagonal = torchFunction('diagonal', kw_diagonal)
/** `torch.diag`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const diag = outForm('diag', out_diag)
// scatter and indexed updates (./methods/scatter.ts)
export const scatter = fn('scatter')
export const scatter_add = fn('scatter_add')
export const scatter_reduce = fn('scatter_reduce')
export const index_add = fn('index_add')
export const index_copy = fn('index_copy')
export const index_fill = fn('index_fill')
export const masked_scatter = fn('masked_scatter')
export const take_along_dim = fn('take_along_dim')
export const bincount = fn('bincount')
export type { ScatterKwargs, ScatterReduceKwargs } from './methods/scatter'
export type { ScatterReduce } from './ops/scatter'
// sorting and running scans (./methods/sorting.ts, ./sorting.ts)
export const sort = fn('sort')
export const argsort = fn('argsort')
export const msort = fn('msort')
export const topk = fn('topk')
export const cumprod = fn('cumprod')
export const cummax = fn('cummax')
export const cummin = fn('cummin')
export const logcumsumexp = fn('logcumsumexp')
export const diff = fn('diff')
export const unique = fn('unique')
export const unique_consecutive = fn('unique_consecutive')
import { searchsorted as out_searchsorted } from './sorting'
export { type SearchsortedKw } from './sorting'
/** `torch.searchsorted`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const searchsorted = torchFunction('searchsorted', outForm('searchsorted', out_searchsorted))
import { logdet as py_logdet, torchSlogdet, torchSvd } from './linalgDecompositions'
/** `torch.logdet(input)`. @category torch @since 0.1.0 */
export const logdet = torchFunction('logdet', py_logdet)
/** `torch.slogdet(input)`: sign and log of the absolute determinant. @category torch @since 0.1.0 */
export const slogdet = torchFunction('slogdet', torchSlogdet)
/** `torch.svd(input, some, compute_uv)`. @category torch @since 0.1.0 */
export const svd = torchFunction('svd', torchSvd)
export type { TorchSvdKw, TorchSvdResult } from './linalgDecompositions'
import { matrix_exp as py_matrix_exp } from './linalgExpm'
/** `torch.matrix_exp(input)`: the matrix exponential. @category torch @since 0.1.0 */
export const matrix_exp = torchFunction('matrix_exp', py_matrix_exp)
export { type LuUnpackKw } from './linalgLu'
import { lu_unpack as kw_lu_unpack } from './linalgLu'
/** `torch.lu_unpack`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const lu_unpack = torchFunction('lu_unpack', kw_lu_unpack)
import { pinverse as kw_pinverse } from './linalgPinv'
/** `torch.pinverse`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const pinverse = torchFunction('pinverse', kw_pinverse)
import { ger as out_ger, kron as out_kron } from './linalgProducts'
import {
  cdist as kw_cdist,
  tensordot as kw_tensordot,
  torchCross as kw_cross,
  torchVander as kw_vander,
} from './linalgProducts'
export type { TensordotDims } from './linalgProducts'
/** `torch.cdist`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const cdist = torchFunction('cdist', kw_cdist)
/** `torch.tensordot`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const tensordot = torchFunction('tensordot', kw_tensordot)
/** `torch.cross`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const cross = torchFunction('cross', kw_cross)
/** `torch.vander`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const vander = torchFunction('vander', kw_vander)
/** `torch.ger`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const ger = torchFunction('ger', outForm('ger', out_ger))
/** `torch.kron`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const kron = torchFunction('kron', outForm('kron', out_kron))

// fused products (helper tensorfns)
export const addmm = fn('addmm')
export const addmv = fn('addmv')
export const addr = fn('addr')
export const baddbmm = fn('baddbmm')
export const addbmm = fn('addbmm')
export type { AddmmKw } from './methods/addmm'
export { type Sublist } from './ops/einsum'
import { einsum as kw_einsum } from './ops/einsum'
/** `torch.einsum`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const einsum = complexEinsum(torchFunction('einsum', kw_einsum))
export { meshgrid, type RepeatInterleaveKw, type MeshgridKw } from './methods/repeatFns'
import { repeat_interleave as kw_repeat_interleave } from './methods/repeatFns'
/** `torch.repeat_interleave`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const repeat_interleave = torchFunction('repeat_interleave', kw_repeat_interleave)
export { type NormalKw, type GeneratorKw, type MultinomialKw, type SamplerKw } from './methods/randomFns'
// more element-wise functions (./methods/mathExtra.ts)
export const logaddexp = fn('logaddexp')
export const logaddexp2 = fn('logaddexp2')
export const hypot = fn('hypot')
export const fmod = fn('fmod')
export const copysign = fn('copysign')
export const sgn = fn('sgn')
export const frac = fn('frac')
export const fix = fn('fix')
export const deg2rad = fn('deg2rad')
export const rad2deg = fn('rad2deg')
export const exp2 = fn('exp2')
export const erfc = fn('erfc')
export const erfinv = fn('erfinv')
export const lgamma = fn('lgamma')
export const digamma = fn('digamma')
export const mvlgamma = fn('mvlgamma')
export const i0 = fn('i0')
export const sinc = fn('sinc')
export const logit = fn('logit')
export const xlogy = fn('xlogy')
export const nan_to_num = fn('nan_to_num')
export const positive = fn('positive')
export const float_power = fn('float_power')
export const signbit = fn('signbit')
export const isposinf = fn('isposinf')
export const isneginf = fn('isneginf')
export const heaviside = fn('heaviside')
/** `torch.polygamma(n, input)`: the n-th derivative of the digamma function. @category torch @since 0.2.0 */
export const polygamma = torchFunction('polygamma', (n: number, input: Tensor): Tensor => {
  if (n === undefined) throw missingArgs('polygamma', ['n', 'input'])
  requireIntArg('polygamma', 'n', n, 1)
  if (input === undefined) throw missingArgs('polygamma', ['input'])
  return requireTensor('polygamma', 'input', input, 2).polygamma(n)
})
export * as special from './special'
export * as fft from './fft'
import { stft as kw_stft, istft as kw_istft } from './spectral'
export { type StftKw, type IstftKw, type StftPositional, type IstftPositional } from './spectral'
/** `torch.stft`: the short-time Fourier transform (./stft.ts), refusing a keyword PyTorch's function does not take. @category torch @since 0.7.0 */
export const stft = torchFunction('stft', kw_stft)
/** `torch.istft`: the inverse short-time Fourier transform (./istft.ts), refusing a keyword PyTorch's function does not take. @category torch @since 0.7.0 */
export const istft = torchFunction('istft', kw_istft)
import { complexEinsum, complexFactory, complexJoin, complexLike, complexRandLike } from './complex/index'
import { complexTensorData } from './complex/tensorData'
/** Complex tensors: `torch.complex`, `torch.polar`, `torch.view_as_complex`, `torch.view_as_real`. */
import * as complexFns from './complex/index'
import { NotImplementedError as ErrorsNotImplemented } from './errors'
export { ComplexTensor } from './complex/index'
export { Complex, type ComplexList } from './complex/value'
export type { ComplexCastKw } from './complex/casts'
/** `f` refusing `out=` (a complex result is never written into a given tensor). */
const complexNoOut = <F extends (...args: never[]) => unknown>(name: string, f: F): F =>
  ((...args: unknown[]) => {
    if (hasOut(args)) throw new ErrorsNotImplemented(`${name}(): out= is not supported for complex results in wengert`)
    return (f as unknown as (...a: unknown[]) => unknown)(...args)
  }) as unknown as F
/** `torch.complex(real, imag)`: the complex tensor `real + i·imag`. @category torch @since 0.7.0 */
export const complex = complexNoOut('complex', torchFunction('complex', complexFns.complex))
/** `torch.polar(abs, angle)`: the complex tensor `abs·(cos angle + i·sin angle)`. @category torch @since 0.7.0 */
export const polar = complexNoOut('polar', torchFunction('polar', complexFns.polar))
/** `torch.view_as_complex(input)`: a complex view of a float tensor whose last dimension is 2. @category torch @since 0.7.0 */
export const view_as_complex = torchFunction('view_as_complex', complexFns.view_as_complex)
/** `torch.view_as_real(input)`: the float view (…, 2) of a complex tensor. @category torch @since 0.7.0 */
export const view_as_real = torchFunction('view_as_real', complexFns.view_as_real)
export * as distributions from './distributions/index'
// more shape functions (./methods/shapeExtra.ts, ./ops/stackExtra.ts)
export const movedim = fn('movedim')
export const moveaxis = fn('moveaxis')
export const swapdims = fn('swapdims')
export const broadcast_to = fn('broadcast_to')
export const fliplr = fn('fliplr')
export const flipud = fn('flipud')
export const rot90 = fn('rot90')
export const ravel = fn('ravel')
export const tensor_split = fn('tensor_split')
export const hsplit = fn('hsplit')
export const vsplit = fn('vsplit')
export const dsplit = fn('dsplit')
export const argwhere = fn('argwhere')
import { dstack as out_dstack, column_stack as out_column_stack } from './ops/stackExtra'
export { atleast_1d, atleast_2d, atleast_3d } from './ops/stackExtra'
import { broadcast_tensors as kw_broadcast_tensors } from './ops/stackExtra'
/** `torch.broadcast_tensors`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const broadcast_tensors = torchFunction('broadcast_tensors', kw_broadcast_tensors)
/** `torch.dstack`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const dstack = outForm('dstack', out_dstack)
/** `torch.column_stack`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const column_stack = outForm('column_stack', out_column_stack)
export type { DimList } from './methods/shapeExtra'
// more reductions (./methods/selectReduce.ts, ./methods/reduceExtra.ts, ./methods/covariance.ts)
/** `torch.median(x)` (the lower middle value) or `torch.median(x, dim)` (values and indices). @category torch @since 0.2.0 */
export function median(input: Tensor): Tensor
export function median(input: Tensor, dim: number, keepdim?: boolean | { readonly keepdim?: boolean }): ValuesIndices
export function median(input: Tensor, ...args: unknown[]): Tensor | ValuesIndices {
  reductionInput('median', arguments, input)
  return (input.median as unknown as (...a: unknown[]) => Tensor | ValuesIndices).apply(input, args)
}
/** `torch.nanmedian`, as `torch.median` ignoring NaNs. @category torch @since 0.2.0 */
export function nanmedian(input: Tensor): Tensor
export function nanmedian(input: Tensor, dim: number, keepdim?: boolean | { readonly keepdim?: boolean }): ValuesIndices
export function nanmedian(input: Tensor, ...args: unknown[]): Tensor | ValuesIndices {
  reductionInput('nanmedian', arguments, input)
  return (input.nanmedian as unknown as (...a: unknown[]) => Tensor | ValuesIndices).apply(input, args)
}
export const kthvalue = fn('kthvalue')
export const mode = fn('mode')
export const quantile = fn('quantile')
export const nanquantile = fn('nanquantile')
export const nansum = fn('nansum')
export const nanmean = fn('nanmean')
export const var_mean = fn('var_mean')
export const std_mean = fn('std_mean')
export const count_nonzero = fn('count_nonzero')
export const aminmax = fn('aminmax')
export const cov = fn('cov')
export const corrcoef = fn('corrcoef')
export type { QuantileInterpolation, QuantileKw, SelectDimKw, MedianFn } from './methods/selectReduce'
export type { MinMax, SpreadMean, NanReduceKw } from './methods/reduceExtra'
export type { CovKw } from './methods/covariance'
// more shape functions (./ops/shapeMore.ts, ./methods/shapeMore.ts)
export { type TriKw } from './ops/shapeMore'
import {
  block_diag as kw_block_diag,
  cartesian_prod as kw_cartesian_prod,
  combinations as kw_combinations,
} from './ops/shapeMore'
/** `torch.block_diag`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const block_diag = torchFunction('block_diag', kw_block_diag)
/** `torch.cartesian_prod`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const cartesian_prod = torchFunction('cartesian_prod', kw_cartesian_prod)
/** `torch.combinations`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const combinations = torchFunction('combinations', kw_combinations)
import { tril_indices as py_tril_indices, triu_indices as py_triu_indices } from './ops/shapeMore'
/** `torch.tril_indices(row, col, offset)`. @category torch @since 0.1.0 */
export const tril_indices = torchFunction('tril_indices', py_tril_indices)
/** `torch.triu_indices(row, col, offset)`. @category torch @since 0.1.0 */
export const triu_indices = torchFunction('triu_indices', py_triu_indices)
export type { EmbedKw } from './methods/shapeMore'
export const diag_embed = fn('diag_embed')
export const diagflat = fn('diagflat')
export const inner = fn('inner')
export const vdot = fn('vdot')
// numeric helpers and dtype limits (./ops/numeric.ts, ./finfo.ts)
export { type BucketizeKw, type HistcKw, type TrapezoidKw } from './ops/numeric'
export { finfo, iinfo, type FInfo, type IInfo } from './finfo'
export * as testing from './testing'
export type { ContextManager } from './contextManager'
// torch.* forms of functional ops, after their ATen schemas (./torchFunctional.ts, ./torchLosses.ts)
export * from './torchFunctional'
import { embedding_bag as kw_embedding_bag } from './nn/embeddingBagAten'
/** `torch.embedding_bag` (four outputs), refusing a keyword PyTorch's function does not take. @category torch @since 0.3.0 */
export const embedding_bag = torchFunction('embedding_bag', kw_embedding_bag)
// torch.* forms without a facade entry before: detach_copy, narrow_copy, rrelu, … (./torchNative.ts)
export * from './torchNative'
export * from './torchLosses'
export * from './torchSamplers'
// integer bit operations (./methods/bitwise.ts)
import {
  bitwise_and as kw_bitwise_and,
  bitwise_or as kw_bitwise_or,
  bitwise_xor as kw_bitwise_xor,
  bitwise_left_shift as kw_bitwise_left_shift,
  bitwise_right_shift as kw_bitwise_right_shift,
} from './methods/bitwise'
/** `torch.bitwise_and`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const bitwise_and = torchFunction('bitwise_and', kw_bitwise_and)
/** `torch.bitwise_or`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const bitwise_or = torchFunction('bitwise_or', kw_bitwise_or)
/** `torch.bitwise_xor`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const bitwise_xor = torchFunction('bitwise_xor', kw_bitwise_xor)
/** `torch.bitwise_left_shift`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const bitwise_left_shift = torchFunction('bitwise_left_shift', kw_bitwise_left_shift)
/** `torch.bitwise_right_shift`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const bitwise_right_shift = torchFunction('bitwise_right_shift', kw_bitwise_right_shift)
export const bitwise_not = fn('bitwise_not')
export const gcd = fn('gcd')
export const lcm = fn('lcm')
export const gcd_ = fn('gcd_')
export const lcm_ = fn('lcm_')
// more Tensor methods as functions (./methods/tensorExtras.ts) and torch utilities (./torchExtras.ts)
export const greater_equal = fn('greater_equal')
export const less_equal = fn('less_equal')
export const not_equal = fn('not_equal')
export const matrix_power = fn('matrix_power')
export const adjoint = fn('adjoint')
export const conj = fn('conj')
export const resolve_conj = fn('resolve_conj')
export const conj_physical = fn('conj_physical')
export const conj_physical_ = fn('conj_physical_')
export const angle = fn('angle')
import { real as real_part, imag as imag_part } from './torchExtras'
/** `torch.real(input)`: the tensor itself for real tensors. @category torch @since 0.6.0 */
export const real = torchFunction('real', real_part)
/** `torch.imag(input)`: raises for real tensors, as PyTorch. @category torch @since 0.6.0 */
export const imag = torchFunction('imag', imag_part)
export const resolve_neg = fn('resolve_neg')
export const is_conj = fn('is_conj')
export const is_neg = fn('is_neg')
export const isreal = fn('isreal')
export const is_inference = fn('is_inference')
export const renorm = fn('renorm')
export const split_with_sizes = fn('split_with_sizes')
export const unsafe_split = fn('unsafe_split')
export const unsafe_split_with_sizes = fn('unsafe_split_with_sizes')
export const unsafe_chunk = fn('unsafe_chunk')
export {
  set_printoptions,
  type PrintOptionsKw,
  type PrintProfile,
  use_deterministic_algorithms,
  set_deterministic_debug_mode,
  set_float32_matmul_precision,
  set_default_tensor_type,
  set_anomaly_enabled,
} from './torchExtras'
export { type WindowKw } from './windows'
import {
  hann_window as kw_hann_window,
  hamming_window as kw_hamming_window,
  blackman_window as kw_blackman_window,
  bartlett_window as kw_bartlett_window,
  kaiser_window as kw_kaiser_window,
} from './windows'
/** `torch.hann_window`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const hann_window = torchFunction('hann_window', kw_hann_window)
/** `torch.hamming_window`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const hamming_window = torchFunction('hamming_window', kw_hamming_window)
/** `torch.blackman_window`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const blackman_window = torchFunction('blackman_window', kw_blackman_window)
/** `torch.bartlett_window`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const bartlett_window = torchFunction('bartlett_window', kw_bartlett_window)
/** `torch.kaiser_window`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const kaiser_window = torchFunction('kaiser_window', kw_kaiser_window)
import { isin as out_isin } from './methods/floatBits'
export type { Frexp } from './methods/floatBits'
/** `torch.isin(elements, test_elements)`, with PyTorch's `out=` keyword. @category torch @since 0.2.0 */
export const isin = outForm('isin', out_isin)
export const frexp = fn('frexp')
export const ldexp = fn('ldexp')
export const ldexp_ = fn('ldexp_')
export const nextafter = fn('nextafter')
// functional view writes, put, index_reduce, … (./methods/scatterSlices.ts, ./torchNs2.ts)
export { type SliceScatterKw, type DiagonalScatterKw } from './methods/scatterSlices'
export const slice_scatter = fn('slice_scatter')
export const select_scatter = fn('select_scatter')
export const diagonal_scatter = fn('diagonal_scatter')
export { type PutKw, type IndexReduceKw, type IndexReduce } from './methods/putReduce'
export const put = fn('put')
export const index_reduce = fn('index_reduce')
export { type AsarrayKw } from './methods/stridedFns'
import { fill as kw_fill, empty_strided as kw_empty_strided } from './methods/stridedFns'
/** `torch.fill`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const fill = torchFunction('fill', kw_fill)
/** `torch.empty_strided`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const empty_strided = torchFunction('empty_strided', kw_empty_strided)
import { asarray as py_asarray } from './methods/stridedFns'
/** `torch.asarray(obj)`. @category torch @since 0.2.0 */
export const asarray = torchFunction('asarray', py_asarray)
import { as_strided as kw_as_strided, as_strided_ as kw_as_strided_ } from './methods/asStrided'
/** `torch.as_strided`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const as_strided = torchFunction('as_strided', kw_as_strided)
/** `torch.as_strided_`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const as_strided_ = torchFunction('as_strided_', kw_as_strided_)
import { as_strided_scatter as kw_as_strided_scatter } from './methods/asStrided'
/** `torch.as_strided_scatter`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const as_strided_scatter = torchFunction('as_strided_scatter', kw_as_strided_scatter)
export { type BufferLike, type FrombufferKw } from './frombuffer'
import { frombuffer as kw_frombuffer } from './frombuffer'
/** `torch.frombuffer`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const frombuffer = torchFunction('frombuffer', kw_frombuffer)
import { randint_like as kw_randint_like } from './creation'
/** `torch.randint_like`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const randint_like = torchFunction('randint_like', kw_randint_like)
import { poisson as kw_poisson, binomial as kw_binomial } from './randomCounts'
/** `torch.poisson`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const poisson = torchFunction('poisson', kw_poisson)
/** `torch.binomial`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const binomial = torchFunction('binomial', kw_binomial)
// older torch.* linear algebra (./linalgLegacy.ts)
export { lu } from './linalgLegacy'
import {
  cholesky_solve as kw_cholesky_solve,
  cholesky_inverse as kw_cholesky_inverse,
  triangular_solve as kw_triangular_solve,
  qr as kw_qr,
  lu_solve as kw_lu_solve,
} from './linalgLegacy'
/** `torch.cholesky_solve`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const cholesky_solve = torchFunction('cholesky_solve', kw_cholesky_solve)
/** `torch.cholesky_inverse`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const cholesky_inverse = torchFunction('cholesky_inverse', kw_cholesky_inverse)
/** `torch.triangular_solve`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const triangular_solve = torchFunction('triangular_solve', kw_triangular_solve)
/** `torch.qr`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const qr = torchFunction('qr', kw_qr)
/** `torch.lu_solve`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const lu_solve = torchFunction('lu_solve', kw_lu_solve)
export { eig, solve, lstsq, matrix_rank } from './linalgLegacy'
import {
  frobenius_norm as kw_frobenius_norm,
  nuclear_norm as kw_nuclear_norm,
  symeig as kw_symeig,
} from './linalgLegacy'
/** `torch.frobenius_norm`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const frobenius_norm = torchFunction('frobenius_norm', kw_frobenius_norm)
/** `torch.nuclear_norm`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const nuclear_norm = torchFunction('nuclear_norm', kw_nuclear_norm)
/** `torch.symeig`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const symeig = torchFunction('symeig', kw_symeig)
export type { CholeskyKw, TriangularSolveKw, TriangularSolveResult, TorchLuKw, LegacyNormKw } from './linalgLegacy'
export { type GeqrfResult, type OrmqrKw } from './linalgHouseholder'
import { geqrf as kw_geqrf, orgqr as kw_orgqr, ormqr as kw_ormqr } from './linalgHouseholder'
/** `torch.geqrf`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const geqrf = torchFunction('geqrf', kw_geqrf)
/** `torch.orgqr`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const orgqr = torchFunction('orgqr', kw_orgqr)
/** `torch.ormqr`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const ormqr = torchFunction('ormqr', kw_ormqr)
// the *_copy forms of the view ops (./copyForms.ts)
export { view_copy } from './copyForms'
import {
  expand_copy as kw_expand_copy,
  permute_copy as kw_permute_copy,
  transpose_copy as kw_transpose_copy,
  squeeze_copy as kw_squeeze_copy,
} from './copyForms'
/** `torch.expand_copy`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const expand_copy = torchFunction('expand_copy', kw_expand_copy)
/** `torch.permute_copy`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const permute_copy = torchFunction('permute_copy', kw_permute_copy)
/** `torch.transpose_copy`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const transpose_copy = torchFunction('transpose_copy', kw_transpose_copy)
/** `torch.squeeze_copy`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const squeeze_copy = torchFunction('squeeze_copy', kw_squeeze_copy)
import {
  unsqueeze_copy as kw_unsqueeze_copy,
  select_copy as kw_select_copy,
  slice_copy as kw_slice_copy,
  diagonal_copy as kw_diagonal_copy,
  unfold_copy as kw_unfold_copy,
} from './copyForms'
/** `torch.unsqueeze_copy`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const unsqueeze_copy = torchFunction('unsqueeze_copy', kw_unsqueeze_copy)
/** `torch.select_copy`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const select_copy = torchFunction('select_copy', kw_select_copy)
/** `torch.slice_copy`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const slice_copy = torchFunction('slice_copy', kw_slice_copy)
/** `torch.diagonal_copy`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const diagonal_copy = torchFunction('diagonal_copy', kw_diagonal_copy)
/** `torch.unfold_copy`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const unfold_copy = torchFunction('unfold_copy', kw_unfold_copy)
import { t_copy as out_t_copy, alias_copy as out_alias_copy } from './copyForms'
import { detach_copy as out_detach_copy } from './torchNative'
/** `torch.t_copy(input)`, with PyTorch's `out=` keyword. @category torch @since 0.3.0 */
export const t_copy = outForm('t_copy', out_t_copy)
/** `torch.alias_copy(input)`, with PyTorch's `out=` keyword. @category torch @since 0.3.0 */
export const alias_copy = outForm('alias_copy', out_alias_copy)
/** `torch.detach_copy(input)`, with PyTorch's `out=` keyword. @category torch @since 0.3.0 */
export const detach_copy = outForm('detach_copy', out_detach_copy)
import {
  split_copy as kw_split_copy,
  split_with_sizes_copy as kw_split_with_sizes_copy,
  unbind_copy as kw_unbind_copy,
} from './copyForms'
/** `torch.split_copy`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const split_copy = torchFunction('split_copy', kw_split_copy)
/** `torch.split_with_sizes_copy`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const split_with_sizes_copy = torchFunction('split_with_sizes_copy', kw_split_with_sizes_copy)
/** `torch.unbind_copy`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const unbind_copy = torchFunction('unbind_copy', kw_unbind_copy)
import { as_strided_copy as kw_as_strided_copy } from './copyForms'
/** `torch.as_strided_copy`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const as_strided_copy = torchFunction('as_strided_copy', kw_as_strided_copy)
import { igamma as out_igamma, igammac as out_igammac } from './igamma'
/** `torch.igamma`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const igamma = torchFunction('igamma', outForm('igamma', out_igamma))
/** `torch.igammac`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const igammac = torchFunction('igammac', outForm('igammac', out_igammac))
export { type GradientKw } from './gradientFn'
import { gradient as kw_gradient } from './gradientFn'
/** `torch.gradient`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const gradient = torchFunction('gradient', kw_gradient)
export {
  histogramdd,
  type HistogramKw,
  type HistogramddKw,
  type HistogramResult,
  type HistogramddResult,
} from './histogram'
// ATen's functional recurrent cells (./rnnCellFns.ts)
import {
  rnn_tanh_cell as kw_rnn_tanh_cell,
  rnn_relu_cell as kw_rnn_relu_cell,
  lstm_cell as kw_lstm_cell,
  gru_cell as kw_gru_cell,
} from './rnnCellFns'
/** `torch.rnn_tanh_cell`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const rnn_tanh_cell = torchFunction('rnn_tanh_cell', kw_rnn_tanh_cell)
/** `torch.rnn_relu_cell`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const rnn_relu_cell = torchFunction('rnn_relu_cell', kw_rnn_relu_cell)
/** `torch.lstm_cell`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const lstm_cell = torchFunction('lstm_cell', kw_lstm_cell)
/** `torch.gru_cell`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const gru_cell = torchFunction('gru_cell', kw_gru_cell)
import { logspace as out_logspace } from './ops/numeric'
/** `torch.logspace`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const logspace = torchFunction('logspace', outForm('logspace', out_logspace))
import { row_stack as out_row_stack } from './torchExtras'
import * as extras from './torchExtras'
/** `torch.result_type(tensor1, tensor2)`. @category torch @since 0.2.0 */
export const result_type = torchFunction('result_type', extras.result_type)
/** `torch.scalar_tensor(s)`. @category torch @since 0.2.0 */
export const scalar_tensor = torchFunction('scalar_tensor', extras.scalar_tensor)
/** `torch.typename(obj)`. @category torch @since 0.2.0 */
export const typename = torchFunction('typename', extras.typename)
/** `torch.is_storage(obj)`. @category torch @since 0.2.0 */
export const is_storage = torchFunction('is_storage', extras.is_storage)
/** `torch.are_deterministic_algorithms_enabled()`. @category torch @since 0.2.0 */
export const are_deterministic_algorithms_enabled = torchFunction(
  'are_deterministic_algorithms_enabled',
  extras.are_deterministic_algorithms_enabled,
)
/** `torch.is_deterministic_algorithms_warn_only_enabled()`. @category torch @since 0.2.0 */
export const is_deterministic_algorithms_warn_only_enabled = torchFunction(
  'is_deterministic_algorithms_warn_only_enabled',
  extras.is_deterministic_algorithms_warn_only_enabled,
)
/** `torch.get_deterministic_debug_mode()`. @category torch @since 0.2.0 */
export const get_deterministic_debug_mode = torchFunction(
  'get_deterministic_debug_mode',
  extras.get_deterministic_debug_mode,
)
/** `torch.get_float32_matmul_precision()`. @category torch @since 0.2.0 */
export const get_float32_matmul_precision = torchFunction(
  'get_float32_matmul_precision',
  extras.get_float32_matmul_precision,
)
/** `torch.row_stack`, with PyTorch's `out=` keyword. @category torch @since 0.1.0 */
export const row_stack = outForm('row_stack', out_row_stack)
// ATen's native_* forms, conv_tbc (./torchNativeNorms.ts, ./nn/convTbc.ts)
export * from './torchNativeNorms'
// the re-exported torch.* functions above, behind the keyword check (./checkedForms.ts); these shadow the star exports
export {
  adaptive_avg_pool1d,
  adaptive_max_pool1d,
  alpha_dropout,
  alpha_dropout_,
  autocast_decrement_nesting,
  autocast_increment_nesting,
  avg_pool1d,
  batch_norm,
  bernoulli,
  bilinear,
  binary_cross_entropy_with_logits,
  broadcast_shapes,
  bucketize,
  can_cast,
  celu,
  celu_,
  chain_matmul,
  channel_shuffle,
  clear_autocast_cache,
  constant_pad_nd,
  conv_transpose1d,
  conv_transpose2d,
  conv_transpose3d,
  convolution,
  cosine_embedding_loss,
  cosine_similarity,
  ctc_loss,
  cumulative_trapezoid,
  dropout,
  dropout_,
  embedding,
  embedding_renorm_,
  feature_alpha_dropout,
  feature_alpha_dropout_,
  feature_dropout,
  feature_dropout_,
  get_autocast_cpu_dtype,
  get_autocast_gpu_dtype,
  get_default_dtype,
  get_device,
  get_num_interop_threads,
  grid_sampler,
  grid_sampler_2d,
  grid_sampler_3d,
  group_norm,
  hardshrink,
  hinge_embedding_loss,
  histc,
  histogram,
  index_put_,
  instance_norm,
  is_anomaly_check_nan_enabled,
  is_anomaly_enabled,
  is_autocast_cache_enabled,
  is_autocast_cpu_enabled,
  is_autocast_enabled,
  is_grad_enabled,
  is_inference_mode_enabled,
  is_warn_always_enabled,
  kl_div,
  layer_norm,
  margin_ranking_loss,
  max_pool1d,
  max_pool1d_with_indices,
  max_pool2d,
  max_pool3d,
  multinomial,
  narrow_copy,
  native_batch_norm,
  native_channel_shuffle,
  native_dropout,
  native_group_norm,
  native_layer_norm,
  native_norm,
  norm_except_dim,
  normal,
  pairwise_distance,
  pdist,
  pixel_shuffle,
  pixel_unshuffle,
  poisson_nll_loss,
  prelu,
  promote_types,
  range,
  rrelu,
  rrelu_,
  selu,
  selu_,
  threshold,
  threshold_,
  trapezoid,
  trapz,
  triplet_margin_loss,
} from './checkedForms'
import { conv_tbc as kw_conv_tbc } from './nn/convTbc'
/** `torch.conv_tbc`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const conv_tbc = torchFunction('conv_tbc', kw_conv_tbc)
// ATen's functional recurrent layers over flat weight lists (./rnnFns.ts)
export { type LstmFnArgs, type RnnFnArgs, type RecurrentFnArgs } from './rnnFns'
import { lstm as kw_lstm, gru as kw_gru, rnn_tanh as kw_rnn_tanh, rnn_relu as kw_rnn_relu } from './rnnFns'
/** `torch.lstm`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const lstm = torchFunction('lstm', kw_lstm)
/** `torch.gru`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const gru = torchFunction('gru', kw_gru)
/** `torch.rnn_tanh`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const rnn_tanh = torchFunction('rnn_tanh', kw_rnn_tanh)
/** `torch.rnn_relu`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const rnn_relu = torchFunction('rnn_relu', kw_rnn_relu)
export { type SegmentReduction, type SegmentReduceKw } from './segmentReduce'
import { segment_reduce as kw_segment_reduce } from './segmentReduce'
/** `torch.segment_reduce`, refusing a keyword PyTorch's function does not take. @category torch @since 0.1.0 */
export const segment_reduce = torchFunction('segment_reduce', kw_segment_reduce)
export { svd_lowrank, pca_lowrank, type SvdLowrankKw, type PcaLowrankKw } from './lowrank'
// global switches: inter-op threads, warn-always, denormals, autocast settings, get_device (./switches.ts)
export {
  set_num_interop_threads,
  set_warn_always,
  set_flush_denormal,
  set_autocast_enabled,
  set_autocast_cpu_enabled,
  set_autocast_cpu_dtype,
  set_autocast_gpu_dtype,
  set_autocast_cache_enabled,
} from './switches'
// sparse COO tensors (src/torch/sparse): loading them installs the sparse tensor methods
import { sparse_coo_tensor as sparse_coo_raw, spmm as spmm_raw, SparseCooTensor, refusedSparse } from './sparse'
export { sparse, sparse_coo, type SparseCooKw } from './sparse'
export { SparseCooTensor }
/** `torch.sparse_coo_tensor(indices, values, size, *, dtype, device, requires_grad, check_invariants, is_coalesced)`. @category torch @since 0.6.0 */
export const sparse_coo_tensor = torchFunction('sparse_coo_tensor', sparse_coo_raw)
/** `torch.smm(input, mat)`: not supported (a typed `NotImplementedError` naming the op). @category torch @since 0.6.0 */
export const smm = torchFunction('smm', refusedSparse('smm'))
/** `torch.hspmm(mat1, mat2)`: not supported (a typed `NotImplementedError` naming the op). @category torch @since 0.6.0 */
export const hspmm = torchFunction('hspmm', refusedSparse('hspmm'))
/** `torch.sspaddmm(input, mat1, mat2)`: not supported (a typed `NotImplementedError` naming the op). @category torch @since 0.6.0 */
export const sspaddmm = torchFunction('sspaddmm', refusedSparse('sspaddmm'))
/** `torch.spmm(input, mat2, *, out)`: a sparse or dense matrix times a dense one. @category torch @since 0.6.0 */
export const spmm = outForm('spmm', (...args: [input: Tensor, mat2: Tensor]): Tensor =>
  args.length === 2 && args[0] instanceof SparseCooTensor
    ? spmm_raw(...args)
    : (mm as (...a: ReadonlyArray<unknown>) => Tensor)(...args),
)

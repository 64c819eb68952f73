/**
 * PyTorch's `out=` keyword of the `torch.*` function forms: the result is written into the given
 * tensor (resized when its shape differs — with PyTorch's deprecation warning unless it was empty —
 * and cast to its dtype when PyTorch's casting rules allow), which is returned. As in PyTorch, an
 * `out=` call does not record gradients: with grad mode on and an input that requires grad it
 * raises. A function without an `out` parameter in PyTorch refuses the keyword (never ignores it).
 *
 * @category torch
 * @since 0.3.0
 */
import { no_grad, is_grad_enabled } from './autograd/grad_mode'
import { RuntimeError, TorchTypeError } from './errors'
import { checkFunctionCall, numpyKeywordArgs } from './functionKeywords'
import { isKwargs } from './kwargs'
import { pyTypeName } from './pyTypeName'
import { Tensor } from './tensor'
import { warn } from './warnings'

/** The `torch.*` functions whose PyTorch signature has `out` (test/torch/fixtures/out_names.py reads them off PyTorch). */
const OUT_NAMES: ReadonlySet<string> = new Set([
  'abs',
  'absolute',
  'acos',
  'acosh',
  'add',
  'addbmm',
  'addcdiv',
  'addcmul',
  'addmm',
  'addmv',
  'addr',
  'alias_copy',
  'all',
  'amax',
  'amin',
  'aminmax',
  'angle',
  'any',
  'arange',
  'arccos',
  'arccosh',
  'arcsin',
  'arcsinh',
  'arctan',
  'arctan2',
  'arctanh',
  'argmax',
  'argmin',
  'asin',
  'asinh',
  'atan',
  'atan2',
  'atanh',
  'baddbmm',
  'bernoulli',
  'bitwise_and',
  'bitwise_left_shift',
  'bitwise_not',
  'bitwise_or',
  'bitwise_right_shift',
  'bitwise_xor',
  'bmm',
  'bucketize',
  'cat',
  'ceil',
  'chain_matmul',
  'cholesky',
  'cholesky_inverse',
  'cholesky_solve',
  'clamp',
  'clamp_max',
  'clamp_min',
  'clip',
  'col_indices_copy',
  'column_stack',
  'complex',
  'concat',
  'concatenate',
  'conj_physical',
  'copysign',
  'cos',
  'cosh',
  'cross',
  'crow_indices_copy',
  'cummax',
  'cummin',
  'cumprod',
  'cumsum',
  'deg2rad',
  'detach_copy',
  'diag',
  'diagonal_copy',
  'diff',
  'digamma',
  'div',
  'divide',
  'dot',
  'dsmm',
  'dstack',
  'empty',
  'eq',
  'erf',
  'erfc',
  'erfinv',
  'exp',
  'exp2',
  'expm1',
  'eye',
  'fix',
  'float_power',
  'floor',
  'floor_divide',
  'fmax',
  'fmin',
  'fmod',
  'frac',
  'frexp',
  'full',
  'gather',
  'gcd',
  'ge',
  'geqrf',
  'ger',
  'greater',
  'greater_equal',
  'gt',
  'hardshrink',
  'heaviside',
  'histc',
  'histogram',
  'histogramdd',
  'hsmm',
  'hspmm',
  'hstack',
  'hypot',
  'i0',
  'igamma',
  'igammac',
  'index_add',
  'index_copy',
  'index_reduce',
  'index_select',
  'indices_copy',
  'inner',
  'inverse',
  'isin',
  'isneginf',
  'isposinf',
  'kron',
  'kthvalue',
  'lcm',
  'ldexp',
  'le',
  'lerp',
  'less',
  'less_equal',
  'lgamma',
  'linspace',
  'log',
  'log10',
  'log1p',
  'log2',
  'log_softmax',
  'logaddexp',
  'logaddexp2',
  'logcumsumexp',
  'logical_and',
  'logical_not',
  'logical_or',
  'logical_xor',
  'logit',
  'logspace',
  'logsumexp',
  'lt',
  'lu_solve',
  'lu_unpack',
  'masked_select',
  'matmul',
  'matrix_power',
  'max',
  'maximum',
  'mean',
  'median',
  'min',
  'minimum',
  'mm',
  'mode',
  'msort',
  'mul',
  'multinomial',
  'multiply',
  'mv',
  'mvlgamma',
  'nan_to_num',
  'nanmean',
  'nanmedian',
  'nanquantile',
  'nansum',
  'narrow_copy',
  'ne',
  'neg',
  'negative',
  'nextafter',
  'nonzero',
  'norm',
  'normal',
  'not_equal',
  'nuclear_norm',
  'ones',
  'orgqr',
  'ormqr',
  'outer',
  'polar',
  'polygamma',
  'pow',
  'prod',
  'qr',
  'quantile',
  'rad2deg',
  'rand',
  'randint',
  'randn',
  'randperm',
  'range',
  'reciprocal',
  'remainder',
  'renorm',
  'round',
  'row_stack',
  'rsqrt',
  'scatter',
  'scatter_add',
  'searchsorted',
  'sgn',
  'sigmoid',
  'sign',
  'signbit',
  'sin',
  'sinc',
  'sinh',
  'slice_copy',
  'slogdet',
  'softmax',
  'sort',
  'spmm',
  'sqrt',
  'square',
  'squeeze_copy',
  'sspaddmm',
  'stack',
  'std',
  'std_mean',
  'sub',
  'subtract',
  'sum',
  'svd',
  'symeig',
  't_copy',
  'take',
  'take_along_dim',
  'tan',
  'tanh',
  'topk',
  'triangular_solve',
  'tril',
  'triu',
  'true_divide',
  'trunc',
  'unbind_copy',
  'values_copy',
  'var',
  'var_mean',
  'vdot',
  'view_as_complex_copy',
  'view_as_real_copy',
  'view_copy',
  'vstack',
  'where',
  'xlogy',
  'zeros',
])

/** Factories: without a `dtype`, the result takes `out`'s (PyTorch fills `out` in its own dtype). */
const FACTORIES: ReadonlySet<string> = new Set([
  'zeros',
  'ones',
  'empty',
  'full',
  'eye',
  'arange',
  'range',
  'linspace',
  'logspace',
  'rand',
  'randn',
  'randint',
  'randperm',
])

const withDtypeOf = (out: Tensor, args: unknown[]): void => {
  const last = args[args.length - 1]
  if (args.length > 0 && isKwargs(last)) {
    if ((last as { dtype?: unknown }).dtype === undefined) args[args.length - 1] = { ...last, dtype: out.dtype }
  } else args.push({ dtype: out.dtype })
}

/**
 * `f` as a `torch.*` function form honouring PyTorch's `out=` keyword (see {@link withOut}), with
 * PyTorch's positional-count and keyword checks of torch.`fn` (`./functionKeywords.ts`).
 * @internal
 */
export const outForm = <F extends (...args: never[]) => unknown>(fn: string, f: F): F =>
  ((...args0: unknown[]) => {
    const args = numpyKeywordArgs(fn, args0) ?? args0
    checkFunctionCall(fn, args)
    const g = f as unknown as (...b: unknown[]) => unknown
    return hasOut(args) ? withOut(fn, args, (a) => g(...a)) : g(...args)
  }) as unknown as F

const kindOf = (t: Tensor): number => (t.dtype.word === 'Bool' ? 0 : t.is_floating_point() ? 2 : 1)

/** Writes one result into one `out` tensor (PyTorch's resize, cast check and copy). */
const writeOne = (fn: string, r: unknown, out: unknown): Tensor => {
  if (!(out instanceof Tensor))
    throw new TorchTypeError(`${fn}(): argument 'out' must be Tensor, not ${pyTypeName(out)}`)
  if (!(r instanceof Tensor)) throw new TorchTypeError(`${fn}(): out= is not supported for this result`)
  if (kindOf(r) > kindOf(out))
    throw new RuntimeError(`result type ${r.dtype.word} can't be cast to the desired output type ${out.dtype.word}`)
  const same = r.shape.length === out.shape.length && r.shape.every((d, i) => d === out.shape[i])
  if (!same) {
    if (out.numel() !== 0)
      warn(
        `An output with one or more elements was resized since it had shape [${out.shape.join(', ')}], which does not match the required output shape [${r.shape.join(', ')}]. This behavior is deprecated, and in a future PyTorch release outputs will not be resized unless they have zero elements. You can explicitly reuse an out tensor t by resizing it, inplace, to zero elements with t.resize_(0).`,
      )
    out.resize_(...r.shape)
  }
  no_grad(() => out.copy_(r))
  return out
}

/** Whether the trailing argument is a keyword object naming `out` (the cheap test of the common call). */
export const hasOut = (args: ReadonlyArray<unknown>): boolean => {
  const last = args[args.length - 1]
  return typeof last === 'object' && last !== null && 'out' in last && isKwargs(last)
}

/** The trailing keyword object's `out`, and the arguments without it (undefined when absent). */
export const takeOut = (args: ReadonlyArray<unknown>): [unknown, unknown[]] | undefined => {
  const last = args[args.length - 1]
  if (args.length === 0 || !isKwargs(last) || !('out' in last)) return undefined
  const { out, ...kw } = last as Record<string, unknown>
  const rest = args.slice(0, -1)
  return [out, Object.keys(kw).length > 0 ? [...rest, kw] : rest]
}

/**
 * Runs `call(args)` for `torch.<fn>(...args)`, honouring an `out` keyword in the trailing options
 * object (`null` is no out tensor). Tuple results take an array of out tensors.
 */
export const withOut = (
  fn: string,
  args: ReadonlyArray<unknown>,
  call: (args: unknown[]) => unknown,
  self?: Tensor,
): unknown => {
  const taken = takeOut(args)
  if (taken === undefined) return call([...args])
  const [out, rest] = taken
  if (!OUT_NAMES.has(fn)) throw new TorchTypeError(`${fn}() got an unexpected keyword argument 'out'`)
  if (out === null || out === undefined) return call(rest)
  if (FACTORIES.has(fn) && out instanceof Tensor) withDtypeOf(out, rest)
  const inputs = [self, ...rest.flat()].filter((u): u is Tensor => u instanceof Tensor)
  if (is_grad_enabled() && inputs.some((t) => t.requires_grad))
    throw new RuntimeError(
      `${fn}(): functions with out=... arguments don't support automatic differentiation, but one of the arguments requires grad.`,
    )
  const r = call(rest)
  if (!Array.isArray(out)) return writeOne(fn, r, out)
  const rs = r as ReadonlyArray<unknown>
  if (!Array.isArray(r) || rs.length !== out.length)
    throw new TorchTypeError(`${fn}(): argument 'out' must be a tuple of ${Array.isArray(r) ? rs.length : 1} Tensors`)
  out.forEach((o, i) => writeOne(fn, rs[i], o))
  return out
}

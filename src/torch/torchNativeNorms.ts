/**
 * ATen's `native_*` forms that ported code (and traced graphs) call directly:
 * `native_layer_norm`, `native_batch_norm`, `native_group_norm` and `native_dropout`, which return
 * their saved statistics (or mask) beside the result, `native_norm` (sparse-only in PyTorch) and
 * `norm_except_dim` (weight normalisation's norm). The results are the functional forms' (same
 * nodes and gradients); the statistics are PyTorch's: the mean and `rstd = 1/√(var + eps)` with
 * the biased variance, without grad_fn for layer and batch norm, outputs of the
 * `NativeGroupNormBackward0` node for group norm.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([[1, 3], [2, 6]])
 * const [y, mean, rstd] = torch.native_layer_norm(x, [2], null, null, 0)
 * assert.deepStrictEqual(mean.tolist(), [[2], [4]])
 * assert.deepStrictEqual(rstd.tolist(), [[1], [0.5]])
 * assert.deepStrictEqual(y.tolist(), [[-1, 1], [-1, 1]])
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { full } from '../ndarray/create'
import { isFloat } from '../ndarray/dtype'
import type { NdArray } from '../ndarray/NdArray'
import { atenArgs } from './atenArgs'
import { op, opMulti } from './autograd/op'
import { NotImplementedError, RuntimeError, TorchValueError } from './errors'
import type { PyArgs } from './kwargs'
import * as F from './nn/functional'
import { bernoulliMask } from './nn/random'
import { floatOf } from './ops/convert'
import { vectorNormOp } from './linalgNorm'
import { requireTensorArgs } from './pyTypeName'
import { Tensor } from './tensor'

type T = Tensor

/** A constant tensor (no grad) standing for an absent affine weight or bias. */
const constant = (shape: ReadonlyArray<number>, v: number, dtype: NdArray['dtype']): T =>
  Tensor._fromValue(full(shape, v, { dtype }))

/** Mean and `1/√(var + eps)` (biased variance) over `axes`, kept as size-1 axes. */
const meanRstd = (x: NdArray, axes: ReadonlyArray<number>, eps: number): [NdArray, NdArray] => {
  const count = axes.reduce((p, a) => p * (x.shape[a] as number), 1)
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
  const mean = lax.reshape(lax.mulScalar(lax.reduceSum(x, axes), 1 / count), kept)
  const c = lax.sub(x, lax.broadcastTo(mean, x.shape))
  const v = lax.reshape(lax.mulScalar(lax.reduceSum(lax.mul(c, c), axes), 1 / count), kept)
  return [mean, lax.reciprocal(lax.sqrt(lax.addScalar(v, eps)))]
}

/**
 * `torch.native_layer_norm(input, normalized_shape, weight, bias, eps)` → `(output, mean, rstd)`:
 * layer norm over the last `normalized_shape.length` axes (node `NativeLayerNormBackward0`),
 * with the mean and reciprocal standard deviation shaped as the input with those axes of size 1
 * (no grad_fn, as PyTorch's).
 * @category torch @since 0.2.0
 */
export const native_layer_norm = (
  input: T,
  ...rest: PyArgs<
    [normalized_shape: ReadonlyArray<number>, weight: T | null, bias: T | null, eps: number],
    {
      readonly normalized_shape?: ReadonlyArray<number>
      readonly weight?: T | null
      readonly bias?: T | null
      readonly eps?: number
    }
  >
): [T, T, T] => {
  const a = atenArgs('native_layer_norm', rest, ['normalized_shape', 'weight', 'bias', 'eps'], 4)
  requireTensorArgs('native_layer_norm', ['input'], [input])
  const ns = a.normalized_shape as ReadonlyArray<number>
  const eps = a.eps as number
  const x = floatOf(input._value())
  // an absent weight or bias is an input without grad (a None edge, as PyTorch's node has)
  const weight = (a.weight as T | null) ?? constant(ns, 1, x.dtype)
  const bias = (a.bias as T | null) ?? constant(ns, 0, x.dtype)
  const y = F.layer_norm(input, ns, { weight, bias, eps })
  const axes = ns.map((_, i) => x.ndim - ns.length + i)
  const [mean, rstd] = meanRstd(x, axes, eps)
  return [y, Tensor._fromValue(mean), Tensor._fromValue(rstd)]
}

/**
 * `torch.native_batch_norm(input, weight, bias, running_mean, running_var, training, momentum,
 * eps)` → `(output, save_mean, save_invstd)`: batch norm (node `NativeBatchNormBackward0`; in
 * training the running statistics are updated in place) with, in training, the batch's per-channel
 * mean and `1/√(var + eps)`; in evaluation both are empty (`[0]`), as PyTorch's CPU kernel.
 * @category torch @since 0.2.0
 */
export const native_batch_norm = (
  input: T,
  ...rest: PyArgs<
    [
      weight: T | null,
      bias: T | null,
      running_mean: T | null,
      running_var: T | null,
      training: boolean,
      momentum: number,
      eps: number,
    ],
    Partial<Readonly<Record<'weight' | 'bias' | 'running_mean' | 'running_var', T | null>>> & {
      readonly training?: boolean
      readonly momentum?: number
      readonly eps?: number
    }
  >
): [T, T, T] => {
  const names = ['weight', 'bias', 'running_mean', 'running_var', 'training', 'momentum', 'eps']
  const a = atenArgs('native_batch_norm', rest, names, 7)
  requireTensorArgs('native_batch_norm', ['input'], [input])
  const training = a.training as boolean
  const rm = a.running_mean as T | null
  const rv = a.running_var as T | null
  // NOTE: PyTorch 1.13's CPU kernel crashes here; PyTorch 2.x refuses with this check
  if (!training && (rm === null || rv === null))
    throw new RuntimeError('running_mean and running_var must be defined in the evaluation mode')
  const eps = a.eps as number
  const x0 = floatOf(input._value())
  const c = x0.shape[1] ?? 1
  const axes = x0.shape.map((_, i) => i).filter((i) => i !== 1)
  if (training && x0.size / c <= 1)
    throw new TorchValueError(
      `Expected more than 1 value per channel when training, got input size torch.Size([${x0.shape.join(', ')}])`,
    )
  const stat = (t: T): NdArray => lax.reshape(lax.cast(t._value(), x0.dtype), [c])
  const [mean, rstd] = training
    ? meanRstd(x0, axes, eps).map((s) => lax.reshape(s, [c]))
    : [stat(rm as T), lax.reciprocal(lax.sqrt(lax.addScalar(stat(rv as T), eps)))]
  const weight = (a.weight as T | null) ?? constant([c], 1, x0.dtype)
  const bias = (a.bias as T | null) ?? constant([c], 0, x0.dtype)
  const y = op(
    'NativeBatchNormBackward0',
    [input, weight, bias],
    (xv: NdArray, wv: NdArray, bv: NdArray) => {
      const x = floatOf(xv)
      // training: the batch statistics are functions of x (the gradient flows through them)
      const [m, r] = training
        ? meanRstd(x, axes, eps)
        : [lax.reshape(mean as NdArray, [c]), lax.reshape(rstd as NdArray, [c])]
      const per = (v: NdArray): NdArray =>
        v.shape.length === x.ndim ? lax.broadcastTo(v, x.shape) : lax.broadcastInDim(v, x.shape, [1])
      const z = lax.mul(lax.sub(x, per(lax.cast(m, x.dtype))), per(lax.cast(r, x.dtype)))
      return lax.add(lax.mul(z, per(lax.cast(wv, x.dtype))), per(lax.cast(bv, x.dtype)))
    },
    { saves: [0, 1] },
  )
  if (!training) {
    const empty = (): T => Tensor._fromValue(lax.zerosLike({ shape: [0], dtype: x0.dtype }))
    return [y, empty(), empty()]
  }
  if (rm !== null && rv !== null) updateRunning(rm, rv, mean as NdArray, rstd as NdArray, eps, momentum(a), x0.size / c)
  return [y, Tensor._fromValue(mean as NdArray), Tensor._fromValue(rstd as NdArray)]
}

const momentum = (a: Record<string, unknown>): number => a.momentum as number

/**
 * `running ← (1 − m)·running + m·batch` for the mean and the unbiased variance, written into the
 * running tensors without a version bump (ATen's kernel writes them through raw pointers).
 */
const updateRunning = (rm: T, rv: T, mean: NdArray, rstd: NdArray, eps: number, m: number, n: number): void => {
  const biased = lax.addScalar(lax.reciprocal(lax.mul(rstd, rstd)), -eps)
  const unbiased = lax.mulScalar(biased, n / Math.max(n - 1, 1))
  for (const [t, b] of [
    [rm, mean],
    [rv, unbiased],
  ] as const) {
    const r = t._value()
    t._write(lax.cast(lax.add(lax.mulScalar(r, 1 - m), lax.mulScalar(lax.cast(b, r.dtype), m)), r.dtype))
  }
}

/**
 * `torch.native_group_norm(input, weight, bias, N, C, HxW, group, eps)` → `(output, mean, rstd)`:
 * group norm of an input of `N·C·HxW` elements, with the `[N, group]` mean and reciprocal standard
 * deviation. All three are outputs of one `NativeGroupNormBackward0` node, and gradients through
 * the statistics reach the input (PyTorch 2.x's `infinitely_differentiable_native_group_norm_backward`).
 * @category torch @since 0.2.0
 */
export const native_group_norm = (
  input: T,
  ...rest: PyArgs<
    [weight: T | null, bias: T | null, N: number, C: number, HxW: number, group: number, eps: number],
    Partial<Readonly<Record<'weight' | 'bias', T | null>>> &
      Partial<Readonly<Record<'N' | 'C' | 'HxW' | 'group' | 'eps', number>>>
  >
): [T, T, T] => {
  const a = atenArgs('native_group_norm', rest, ['weight', 'bias', 'N', 'C', 'HxW', 'group', 'eps'], 7)
  requireTensorArgs('native_group_norm', ['input'], [input])
  const [n, c, hw, g, eps] = (['N', 'C', 'HxW', 'group', 'eps'] as const).map((k) => a[k] as number) as [
    number,
    number,
    number,
    number,
    number,
  ]
  const shape = input.shape
  if (c % g !== 0)
    throw new RuntimeError(
      `Expected number of channels in input to be divisible by num_groups, but got input of shape [${shape.join(', ')}] and num_groups=${g}`,
    )
  if (input.numel() !== n * c * hw)
    throw new RuntimeError(
      'Expected X.numel() == N * C * HxW to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)',
    )
  const affine = [a.weight as T | null, a.bias as T | null]
  for (const [nm, t] of [
    ['weight', affine[0]],
    ['bias', affine[1]],
  ] as const)
    if (t !== null && t !== undefined && t.numel() !== c)
      throw new RuntimeError(`Expected ${nm} to be of size C = ${c} but got ${t.numel()}`)
  const dt = floatOf(input._value()).dtype
  const weight = (affine[0] as T | null | undefined) ?? constant([c], 1, dt)
  const bias = (affine[1] as T | null | undefined) ?? constant([c], 0, dt)
  const outs = opMulti('NativeGroupNormBackward0', [input, weight, bias], (...vs: NdArray[]) => {
    const x = floatOf(vs[0] as NdArray)
    const grouped = lax.reshape(x, [n, g, (c / g) * hw])
    const [mean, rstd] = meanRstd(grouped, [2], eps)
    const centred = lax.sub(grouped, lax.broadcastTo(mean, grouped.shape))
    let y = lax.reshape(lax.mul(centred, lax.broadcastTo(rstd, grouped.shape)), [n, c, hw])
    const perC = (v: NdArray): NdArray => lax.broadcastInDim(lax.cast(lax.reshape(v, [c]), x.dtype), [n, c, hw], [1])
    y = lax.add(lax.mul(y, perC(vs[1] as NdArray)), perC(vs[2] as NdArray))
    return [lax.reshape(y, x.shape), lax.reshape(mean, [n, g]), lax.reshape(rstd, [n, g])]
  })
  return outs as [T, T, T]
}

/**
 * `torch.native_dropout(input, p, train)` → `(output, mask)`: with `train` true (or None) each
 * element is kept with probability `1 − p` and scaled by `1/(1 − p)` (0 everywhere for p = 1);
 * the bool mask marks the kept elements. With `train` false the output is a copy and the mask all
 * true. Node `NativeDropoutBackward0` (`grad · mask · scale`).
 * @example
 * import * as torch from 'wengert/torch'
 * const [y, mask] = torch.native_dropout(torch.ones(2, 2), 0.5, false)
 * assert.deepStrictEqual(y.tolist(), [[1, 1], [1, 1]])
 * assert.strictEqual(mask.dtype, torch.bool)
 * @category torch @since 0.2.0
 */
export const native_dropout = (
  input: T,
  ...rest: PyArgs<[p: number, train: boolean | null], { readonly p?: number; readonly train?: boolean | null }>
): [T, T] => {
  const a = atenArgs('native_dropout', rest, ['p', 'train'], 2)
  requireTensorArgs('native_dropout', ['input'], [input])
  const p = a.p as number
  const train = (a.train as boolean | null) !== false
  const x0 = input._value()
  if (!train) {
    const keepAll = Tensor._fromValue(full(x0.shape, true, { dtype: 'bool' }))
    return [op('NativeDropoutBackward0', [input], (x) => lax.add(x, lax.zerosLike(x))), keepAll]
  }
  if (!(1 - p >= 0 && 1 - p <= 1)) throw new RuntimeError(`bernoulli_ expects p to be in [0, 1], but got p=${1 - p}`)
  if (!isFloat(x0.dtype))
    throw new RuntimeError(`result type Float can't be cast to the desired output type ${dtypeTitle(x0.dtype)}`)
  const keep = bernoulliMask(x0.shape, 1 - p)
  const scale = p === 1 ? 0 : 1 / (1 - p)
  const mask = Tensor._fromValue(keep)
  const out = op('NativeDropoutBackward0', [input], (x) => lax.mulScalar(lax.mul(x, lax.cast(keep, x.dtype)), scale))
  return [out, mask]
}

/** PyTorch's scalar type name of an integer dtype (`Long`, `Int`, …). */
const dtypeTitle = (d: string): string =>
  ({ int64: 'Long', int32: 'Int', int16: 'Short', int8: 'Char', uint8: 'Byte', bool: 'Bool' })[d] ?? d

/**
 * `torch.native_norm(input, p=2)` / `native_norm(input, p, dim, keepdim, dtype)`: PyTorch
 * implements it for sparse tensors only, so on the facade's dense (CPU) tensors it raises PyTorch's
 * dispatcher error, as PyTorch's does; use `torch.norm` or `torch.linalg.vector_norm`.
 * @category torch @since 0.2.0
 */
export const native_norm = (input: T, ...rest: ReadonlyArray<unknown>): never => {
  requireTensorArgs('native_norm', ['input'], [input])
  void rest
  throw new NotImplementedError(
    "Could not run 'aten::native_norm' with arguments from the 'CPU' backend. This could be because the operator doesn't exist for this backend, or was omitted during the selective/custom build process (if using custom build). 'aten::native_norm' is only available for these backends: [SparseCPU, ...].",
  )
}

/**
 * `torch.norm_except_dim(v, pow=2, dim=0)`: the `pow`-norm of `v` over every axis except `dim`,
 * shaped as `v` with the other axes of size 1 (weight normalisation's `‖v‖`); `dim = -1` means
 * the norm of all of `v` (a 0-d tensor). Built from `norm` and views, so the nodes are PyTorch's
 * (`ViewBackward0` over `NormBackward1`).
 * @example
 * import * as torch from 'wengert/torch'
 * const v = torch.tensor([[3, 4], [6, 8]])
 * assert.deepStrictEqual(torch.norm_except_dim(v).tolist(), [[5], [10]])
 * assert.ok(Math.abs(torch.norm_except_dim(v, 2, -1).item() - Math.sqrt(125)) < 1e-5)
 * @category torch @since 0.2.0
 */
export const norm_except_dim = (
  v: T,
  ...rest: PyArgs<[pow: number, dim: number], { readonly pow?: number; readonly dim?: number }>
): T => {
  const a = atenArgs('norm_except_dim', rest, ['pow', 'dim'], 0)
  requireTensorArgs('norm_except_dim', ['v'], [v])
  return normExceptDim(v, (a.pow as number | undefined) ?? 2, (a.dim as number | undefined) ?? 0)
}

/** ATen's recursion: dims 0 and last directly, others through a transpose to 0. */
const normExceptDim = (v: T, pow: number, dim: number): T => {
  const nd = v.dim()
  if (dim === -1) return vectorNormOp('NormBackward0', 'norm', v, pow, undefined, false)
  const out = v.shape.map(() => 1)
  if (dim === 0) {
    out[0] = v.shape[0] as number
    const rows = v.contiguous().view(v.shape[0] as number, -1)
    return vectorNormOp('NormBackward1', 'norm', rows, pow, 1, false).view(out)
  }
  if (dim === nd - 1) {
    out[nd - 1] = v.shape[nd - 1] as number
    const cols = v.contiguous().view(-1, v.shape[nd - 1] as number)
    return vectorNormOp('NormBackward1', 'norm', cols, pow, 0, false).view(out)
  }
  return normExceptDim(v.transpose(0, dim), pow, 0).transpose(0, dim)
}

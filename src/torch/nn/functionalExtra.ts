/**
 * More of `torch.nn.functional`: `bilinear` (TrilinearBackward0, ReshapeAliasBackward0,
 * AddBackward0), `gumbel_softmax` (with the straight-through `hard` estimator)
 * and `pdist` (pairwise distances between the rows of a matrix), with PyTorch's node names
 * (SoftmaxBackward0 / AddBackward0, PdistBackward0) and messages.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { empty_like, zeros_like } from '../creation'
import { IndexError, RuntimeError } from '../errors'
import { keywordForms, parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { warn } from '../warnings'
import { k } from './losses2'
import { requireTensorArgs } from '../pyTypeName'

type T = Tensor

/** The keyword arguments of {@link gumbel_softmax}. @category torch @since 0.2.0 */
export type GumbelKw = { readonly tau?: number; readonly hard?: boolean; readonly eps?: number; readonly dim?: number }

/**
 * Samples from the Gumbel-softmax distribution: `softmax((logits + g) / tau, dim)` with
 * g = −log(Exp(1)) noise from the default generator (tau 1, dim −1). With `hard: true` the
 * result is the one-hot of its argmax in value, with the soft sample's gradient
 * (`y_hard − y_soft.detach() + y_soft`). `eps` is deprecated and unused, as in PyTorch (a
 * non-default value warns).
 * @example
 * import * as torch from 'wengert/torch'
 * const logits = torch.tensor([[1, 2, 3], [0, 0, 0]], { requires_grad: true })
 * const y = torch.nn.functional.gumbel_softmax(logits, { tau: 0.5 })
 * assert.ok(y.sum(-1).sub(1).abs().lt(1e-6).all().item())
 * const h = torch.nn.functional.gumbel_softmax(logits, { hard: true })
 * assert.deepStrictEqual(h.sum(-1).tolist(), [1, 1])
 * assert.strictEqual(h.grad_fn?.name(), 'AddBackward0')
 * @category torch @since 0.2.0
 */
export const gumbel_softmax = keywordForms(
  'gumbel_softmax',
  ['logits'],
  (logits: T, ...rest: PyArgs<[tau: number, hard: boolean, eps: number, dim: number], GumbelKw>): T => {
    const a = parseArgs('gumbel_softmax', rest, ['tau', 'hard', 'eps', 'dim'])
    const tau = (a.tau as number | undefined) ?? 1
    const dim = (a.dim as number | undefined) ?? -1
    if (a.eps !== undefined && a.eps !== 1e-10) warn('`eps` parameter is deprecated and has no effect.')
    const gumbels = empty_like(logits).exponential_().log().neg()
    const ySoft = logits.add(gumbels).div(tau).softmax(dim)
    if (a.hard !== true) return ySoft
    const index = ySoft.max(dim, { keepdim: true }).indices
    const yHard = zeros_like(logits).scatter_(dim, index, 1)
    return yHard.sub(ySoft.detach()).add(ySoft)
  },
)

/** The row pairs (i, j), i < j, in PyTorch's order: (0,1), (0,2), …, (1,2), … */
const pairIndices = (n: number): [NdArray, NdArray] => {
  const is: number[] = []
  const js: number[] = []
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      is.push(i)
      js.push(j)
    }
  const idx = (v: number[]): NdArray => new NdArray([v.length], 'int32', Int32Array.from(v))
  return [idx(is), idx(js)]
}

/** `r > 0 ? f(r) : 0`, with a zero (not NaN) derivative where r is 0. */
const positivePart = (r: NdArray, f: (x: NdArray) => NdArray): NdArray => {
  const pos = lax.gt(r, k(0, r))
  return lax.select(pos, f(lax.select(pos, r, k(1, r))), k(0, r))
}

/** The p-norms of the rows of `d` (p ≥ 0), with PyTorch's zero gradient at a zero distance. */
const rowNorms = (d: NdArray, p: number): NdArray => {
  // |d| with derivative sign(d), 0 at d = 0 (PyTorch's pdist backward)
  const a = positivePart(lax.abs(d), (x) => x)
  if (p === 0) return lax.reduceSum(lax.cast(lax.ne(a, k(0, a)), a.dtype), [1])
  if (p === 1) return lax.reduceSum(a, [1])
  if (p === Infinity) {
    // the value of the max; its derivative reaches every component equal to it (ties included)
    const m = lax.stopGradient(lax.reduceMax(a, [1]))
    const [n, c] = a.shape as [number, number]
    const ties = lax.cast(lax.eq(a, lax.broadcastInDim(m, [n, c], [0])), a.dtype)
    return lax.add(m, lax.reduceSum(lax.mul(lax.sub(a, lax.stopGradient(a)), ties), [1]))
  }
  if (p === 2) return positivePart(lax.reduceSum(lax.mul(d, d), [1]), lax.sqrt)
  const s = lax.reduceSum(
    positivePart(a, (x) => lax.pow(x, k(p, x))),
    [1],
  )
  return positivePart(s, (x) => lax.pow(x, k(1 / p, x)))
}

/**
 * The p-norm distances between every pair of rows of `input` (`[N, M]` → `[N(N−1)/2]`, rows i < j
 * in order; p 2), as `torch.nn.functional.pdist`.
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([[0, 0], [3, 4], [6, 8]])
 * assert.deepStrictEqual(torch.nn.functional.pdist(x).tolist(), [5, 10, 5])
 * assert.deepStrictEqual(torch.nn.functional.pdist(x, 1).tolist(), [7, 14, 7])
 * @category torch @since 0.2.0
 */
export const pdist = (input: T, ...rest: PyArgs<[p: number], { readonly p?: number }>): T => {
  requireTensorArgs('pdist', ['input'], [input])
  const p = (parseArgs('pdist', rest, ['p']).p as number | undefined) ?? 2
  const sh = input.shape
  if (sh.length !== 2) throw new RuntimeError(`pdist only supports 2D tensors, got: ${sh.length}D`)
  if (!input.dtype.is_floating_point) throw new RuntimeError('pdist only supports floating-point dtypes')
  if (!(p >= 0)) throw new RuntimeError('pdist only supports non-negative p values')
  const [I, J] = pairIndices(sh[0]!)
  return op('PdistBackward0', [input], (x) => rowNorms(lax.sub(lax.gather(x, I, 0), lax.gather(x, J, 0)), p), {
    saves: [0],
    savesOutput: true,
  })
}

const checkBilinear = (x1: T, x2: T, w: T, b: T | null): void => {
  const [s1, s2, sw] = [x1.shape, x2.shape, w.shape]
  if (s1.length !== s2.length)
    throw new RuntimeError(`bilinear(): input dimensions do not match: got ${s1.length} and ${s2.length}`)
  for (let i = 0; i < s1.length - 1; i++)
    if (s1[i] !== s2[i])
      throw new RuntimeError(`bilinear(): input batch dimensions do not match at dim ${i}: got ${s1[i]} and ${s2[i]}`)
  if (sw.length < 2) throw new IndexError(`Dimension out of range (expected to be in range of [-1, 0], but got 1)`)
  if (s1[s1.length - 1] !== sw[1])
    throw new RuntimeError(
      `bilinear(): input1 size does not match weight size: got ${s1[s1.length - 1]} but expected ${sw[1]}`,
    )
  if (sw.length < 3) throw new IndexError(`Dimension out of range (expected to be in range of [-2, 1], but got 2)`)
  if (s2[s2.length - 1] !== sw[2])
    throw new RuntimeError(
      `bilinear(): input2 size does not match weight size: got ${s2[s2.length - 1]} but expected ${sw[2]}`,
    )
  if (b !== null && b.shape[0] !== sw[0])
    throw new RuntimeError(`bilinear(): bias size does not match weight size: got ${b.shape[0]} but expected ${sw[0]}`)
  for (const t of [x2, w, ...(b === null ? [] : [b])])
    if (t.dtype !== x1.dtype) throw new RuntimeError(`expected scalar type ${x1.dtype.word} but found ${t.dtype.word}`)
}

/** `Σᵢⱼ x1[n,i]·w[o,i,j]·x2[n,j]` for rows n (x1: [N, I], x2: [N, J], w: [O, I, J]) → [N, O]. */
const trilinear = (x1: NdArray, x2: NdArray, w: NdArray): NdArray => {
  const [n, i] = x1.shape as [number, number]
  const [o, , j] = w.shape as [number, number, number]
  const wm = lax.reshape(lax.transpose(w, [1, 0, 2]), [i, o * j])
  const t = lax.reshape(lax.matmul(x1, wm, false, false), [n, o, j])
  return lax.reduceSum(lax.mul(t, lax.broadcastTo(lax.reshape(x2, [n, 1, j]), [n, o, j])), [2])
}

/**
 * `y[…, o] = Σᵢⱼ input1[…, i]·weight[o, i, j]·input2[…, j] + bias[o]` (inputs with equal leading
 * dimensions; weight `[out, in1, in2]`).
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.ones(1, 2, 2)
 * const y = torch.nn.functional.bilinear(torch.tensor([[1, 2]]), torch.tensor([[3, 4]]), w, torch.tensor([0.5]))
 * assert.deepStrictEqual(y.tolist(), [[21.5]])
 * assert.strictEqual(y.grad_fn, null)
 * @category torch @since 0.2.0
 */
export const bilinear = (input1: T, input2: T, weight: T, bias: T | null = null): T => {
  requireTensorArgs('bilinear', ['input1', 'input2', 'weight'], [input1, input2, weight])
  checkBilinear(input1, input2, weight, bias)
  const batch = input1.shape.slice(0, -1)
  const rows = batch.reduce((a, b) => a * b, 1)
  const flat = op('TrilinearBackward0', [input1, input2, weight], (a, b, w) =>
    trilinear(lax.reshape(a, [rows, a.shape[a.ndim - 1]!]), lax.reshape(b, [rows, b.shape[b.ndim - 1]!]), w),
  )
  const y = op('ReshapeAliasBackward0', [flat], (v) => lax.reshape(v, [...batch, weight.shape[0]!]))
  return bias === null ? y : y.add(bias)
}

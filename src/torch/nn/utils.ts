/**
 * `torch.nn.utils`: gradient clipping (`clip_grad_norm_`, `clip_grad_value_`) and flattening
 * parameters to one vector and back.
 *
 * @category torch
 * @since 0.1.0
 */
import { array } from '../../ndarray/create'
import { no_grad } from '../autograd/grad_mode'
import { cat } from '../ops/functions'
import { RuntimeError } from '../errors'
import { exactKeywords, keywordForms, parseArgs, required, type PyArgs } from '../kwargs'
import { Tensor } from '../tensor'
import { isComplex } from '../complex/tensor'

const listOf = (parameters: Tensor | Iterable<Tensor>): Tensor[] =>
  parameters instanceof Tensor ? [parameters] : [...parameters]

/** The absolute values of a gradient's elements (of a complex gradient's real view: |re + i·im| per pair). */
const magnitudes = (g: Tensor, complexPairs: boolean): number[] => {
  const abs = complexPairs ? no_grad(() => g.square().sum(-1).sqrt()) : g
  return [...abs._value()._values('clip_grad_norm_')].map(Math.abs)
}

const pyFloatStr = (v: number): string =>
  Number.isInteger(v) ? `${v}.0` : Number.isFinite(v) ? String(v) : v > 0 ? 'inf' : '-inf'

/**
 * Scales the gradients of `parameters` in place so that their joint `norm_type`-norm (default 2;
 * `Infinity` for the max norm) is at most `max_norm`: each gradient is multiplied by
 * `min(1, max_norm / (total_norm + 1e-6))`. Returns the total norm before clipping.
 * @example
 * import * as torch from 'wengert/torch'
 * const p = torch.tensor([3, 4], { requires_grad: true })
 * p.mul(torch.tensor([1, 1])).sum().backward()
 * p.grad = torch.tensor([3, 4])
 * const total = torch.nn.utils.clip_grad_norm_([p], 1)
 * assert.strictEqual(total.item(), 5)
 * assert.ok(Math.abs((p.grad.norm().item() as number) - 1) < 1e-5)
 * @category torch @since 0.1.0
 */
export const clip_grad_norm_ = keywordForms(
  'clip_grad_norm_',
  ['parameters'],
  (
    parameters: Tensor | Iterable<Tensor>,
    ...rest: PyArgs<
      [max_norm: number, norm_type: number, error_if_nonfinite: boolean, foreach: boolean | null],
      {
        readonly max_norm?: number
        readonly norm_type?: number
        readonly error_if_nonfinite?: boolean
        readonly foreach?: boolean | null
      }
    >
  ): Tensor => {
    const a = parseArgs('clip_grad_norm_', rest, ['max_norm', 'norm_type', 'error_if_nonfinite', 'foreach'])
    const max_norm = required('clip_grad_norm_', 'max_norm', a.max_norm as number | undefined)
    const p = (a.norm_type as number | undefined) ?? 2
    const list = listOf(parameters)
    // a complex parameter's gradient is scaled through its real view; its norm is that of |g|
    const grads = list.map((t) => (isComplex(t) ? t._ri._grad : t._grad)).filter((g): g is Tensor => g !== null)
    const complexGrads = new Set(list.flatMap((t) => (isComplex(t) && t._ri._grad !== null ? [t._ri._grad] : [])))
    if (grads.length === 0) return new Tensor(array(0, { dtype: 'float32' }))
    const dtype = grads[0]?._value().dtype === 'float64' ? 'float64' : 'float32'
    let total = 0
    let s = 0
    for (const g of grads)
      for (const v of magnitudes(g, complexGrads.has(g))) {
        if (p === Infinity) total = Math.max(total, v)
        else s += v ** p
      }
    if (p !== Infinity) total = s ** (1 / p)
    if (a.error_if_nonfinite === true && !Number.isFinite(total)) {
      throw new RuntimeError(
        `The total norm of order ${pyFloatStr(p)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`error_if_nonfinite=False\``,
      )
    }
    const coef = Math.min(1, max_norm / (total + 1e-6))
    no_grad(() => {
      for (const g of grads) g.mul_(coef)
    })
    return new Tensor(array(total, { dtype }))
  },
)

/**
 * Clamps every gradient of `parameters` in place to `[−clip_value, clip_value]`.
 * @category torch @since 0.1.0
 */
export const clip_grad_value_ = keywordForms(
  'clip_grad_value_',
  ['parameters'],
  (
    parameters: Tensor | Iterable<Tensor>,
    ...rest: PyArgs<
      [clip_value: number, foreach: boolean | null],
      { readonly clip_value?: number; readonly foreach?: boolean | null }
    >
  ): void => {
    const clip_value = required(
      'clip_grad_value_',
      'clip_value',
      parseArgs('clip_grad_value_', rest, ['clip_value', 'foreach']).clip_value as number | undefined,
    )
    no_grad(() => {
      for (const t of listOf(parameters)) t._grad?.clamp_(-clip_value, clip_value)
    })
  },
)

/**
 * The parameters flattened and concatenated into one vector.
 * @category torch @since 0.1.0
 */
export const parameters_to_vector = exactKeywords(
  'parameters_to_vector',
  ['parameters'],
  (parameters: Iterable<Tensor>): Tensor => cat([...parameters].map((p) => p.reshape(-1))),
)

/**
 * Copies consecutive slices of `vec` into the parameters (in place, outside autograd).
 * @category torch @since 0.1.0
 */
export const vector_to_parameters = (vec: Tensor, parameters: Iterable<Tensor>): void => {
  let offset = 0
  no_grad(() => {
    for (const p of parameters) {
      const n = p.numel()
      p.copy_(vec.narrow(0, offset, n).view_as(p))
      offset += n
    }
  })
}

/** `torch.nn.utils.rnn`: `PackedSequence`, `pad_sequence`, `pack_padded_sequence`, `pad_packed_sequence`, `pack_sequence`. @category torch @since 0.2.0 */
export * as rnn from './rnnUtils'

/** `torch.nn.utils.parametrize`: register_parametrization, remove_parametrizations, cached. @category torch @since 0.2.0 */
export * as parametrize from './parametrize'
/** `torch.nn.utils.parametrizations`: orthogonal, spectral_norm, weight_norm. @category torch @since 0.2.0 */
export * as parametrizations from './parametrizations'
export { weight_norm, remove_weight_norm, spectral_norm, remove_spectral_norm } from './normHooks'
/** `torch.nn.utils.fusion`: fold an eval-mode batch norm into the layer before it. @category torch @since 0.3.0 */
export * as fusion from './fusion'
/** `torch.nn.utils.stateless`: the deprecated `functional_call`. @category torch @since 0.3.0 */
export * as stateless from './stateless'
/** `torch.nn.utils.prune`: pruning by masks (l1_unstructured, ln_structured, global_unstructured, remove, …). @category torch @since 0.3.0 */
export * as prune from './prune'

export { skip_init } from './skipInit'

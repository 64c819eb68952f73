/**
 * `torch.autograd.grad`: gradients of outputs with respect to inputs, returned instead of
 * accumulated into `.grad`.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([1, 2], { requires_grad: true })
 * const [g] = torch.autograd.grad(x.pow(2).sum(), x)
 * assert.deepStrictEqual(g?.tolist(), [2, 4])
 * assert.strictEqual(x.grad, null)
 * @category torch
 * @since 0.1.0
 */
import { zeros as zerosArr } from '../../ndarray/create'
import { checkOptions } from '../../internal/options'
import { NotImplementedError, RuntimeError, TorchTypeError } from '../errors'
import { warn } from '../warnings'
import { Tensor, type TensorData } from '../tensor'
import { makeGrads, run } from './engine'
import { bindCall, engineFlag, engineFlags } from './callArgs'
import { isKwargs } from '../kwargs'
import { pyTruthy } from '../nn/functionalArgs'

/** Options of {@link grad}. */
export interface GradOptions {
  /** The vector of the vector-Jacobian product, one per output (required for non-scalar outputs). */
  readonly grad_outputs?: TensorData | null | ReadonlyArray<TensorData | null>
  /** Keep saved values for another backward. Default: `create_graph`. */
  readonly retain_graph?: boolean
  /** Record the backward so the gradients can be differentiated again. Default false. */
  readonly create_graph?: boolean
  /** Return null for inputs the outputs do not depend on instead of raising. Default false. */
  readonly allow_unused?: boolean
  /** Return zeros instead of null for unused inputs (implies allow_unused). Default false. */
  readonly materialize_grads?: boolean
  /** Deprecated in PyTorch and ignored (always true); passing it warns, as PyTorch does. */
  readonly only_inputs?: boolean
  /** PyTorch's batched grad_outputs (vmap over them): only false is supported. */
  readonly is_grads_batched?: boolean
}

/**
 * The `grad_outputs` argument of {@link grad} when given positionally (PyTorch's third parameter):
 * one gradient per output (null for a scalar output's implicit 1), or a single one.
 * @category torch @since 0.4.0
 */
export type GradOutputs = TensorData | null | ReadonlyArray<TensorData | null>

const OPTION_KEYS: ReadonlyArray<keyof GradOptions> = [
  'grad_outputs',
  'retain_graph',
  'create_graph',
  'allow_unused',
  'materialize_grads',
  'only_inputs',
  'is_grads_batched',
]

/**
 * The options of a call `grad(outputs, inputs, third?, fourth?)`: `third` is grad_outputs when it
 * is a tensor, number, array or null (PyTorch's positional order), else the options object.
 */
const parseGradArgs = (third: GradOutputs | GradOptions | undefined, fourth: GradOptions | undefined): GradOptions => {
  const positional = third === null || third instanceof Tensor || typeof third !== 'object' || Array.isArray(third)
  if (third === undefined || !positional) {
    if (fourth !== undefined) throw new TorchTypeError('grad() takes the options object last, once')
    return checkOptions('grad', third as GradOptions | undefined, OPTION_KEYS)
  }
  const opts = checkOptions('grad', fourth, OPTION_KEYS)
  if (opts.grad_outputs !== undefined)
    throw new TorchTypeError("grad() got multiple values for argument 'grad_outputs'")
  return { ...opts, grad_outputs: third as GradOutputs }
}

/** PyTorch 2.x's parameters of grad, in order (1.13 lacks materialize_grads). */
const POSITIONAL = [
  'outputs',
  'inputs',
  'grad_outputs',
  'retain_graph',
  'create_graph',
  'only_inputs',
  'allow_unused',
  'is_grads_batched',
  'materialize_grads',
] as const

/**
 * The flags as PyTorch reads them: retain_graph, create_graph and allow_unused reach the engine as
 * C bools (an integer, else TypeError), only_inputs, is_grads_batched and materialize_grads are
 * tested by Python truth.
 */
const normaliseFlags = (o: GradOptions): GradOptions => {
  const { retain_graph, create_graph } = engineFlags(o.retain_graph, o.create_graph)
  const materialize = pyTruthy(o.materialize_grads)
  const allowUnused =
    o.allow_unused === undefined || o.allow_unused === null ? materialize : engineFlag(o.allow_unused, false)
  return {
    ...(o.grad_outputs === undefined ? {} : { grad_outputs: o.grad_outputs }),
    retain_graph,
    create_graph,
    allow_unused: allowUnused,
    materialize_grads: materialize,
    only_inputs: o.only_inputs === undefined ? true : pyTruthy(o.only_inputs),
    is_grads_batched: pyTruthy(o.is_grads_batched),
  }
}

const list = <X>(x: X | ReadonlyArray<X>): ReadonlyArray<X> => (Array.isArray(x) ? (x as ReadonlyArray<X>) : [x as X])

/**
 * Gradients of `outputs` (a tensor or list) with respect to `inputs` (a tensor or list), one per
 * input, in an array (PyTorch returns a tuple).
 * @category torch @since 0.1.0
 */
export function grad(
  outputs: Tensor | ReadonlyArray<Tensor>,
  inputs: Tensor | ReadonlyArray<Tensor>,
  opts: GradOptions & { readonly materialize_grads: true },
): Tensor[]
export function grad(
  outputs: Tensor | ReadonlyArray<Tensor>,
  inputs: Tensor | ReadonlyArray<Tensor>,
  opts?: GradOptions,
): Array<Tensor | null>
export function grad(
  outputs: Tensor | ReadonlyArray<Tensor>,
  inputs: Tensor | ReadonlyArray<Tensor>,
  grad_outputs: TensorData | null | ReadonlyArray<TensorData | null>,
  opts?: GradOptions,
): Array<Tensor | null>
export function grad(
  outputs: Tensor | ReadonlyArray<Tensor>,
  inputs: Tensor | ReadonlyArray<Tensor>,
  grad_outputs: GradOutputs,
  retain_graph: boolean | null,
  create_graph?: boolean,
  only_inputs?: boolean,
  allow_unused?: boolean | null,
  is_grads_batched?: boolean,
  materialize_grads?: boolean,
): Array<Tensor | null>
export function grad(
  outputs: Tensor | ReadonlyArray<Tensor>,
  inputs: Tensor | ReadonlyArray<Tensor>,
  ...rest: ReadonlyArray<unknown>
): Array<Tensor | null> {
  const [third, fourth] = rest
  const opts = normaliseFlags(
    rest.length > 2 || (rest.length === 2 && !isKwargs(fourth))
      ? (bindCall('grad', rest, [...POSITIONAL], 2) as GradOptions)
      : parseGradArgs(third as GradOutputs | GradOptions | undefined, fourth as GradOptions | undefined),
  )
  if (opts.is_grads_batched === true)
    throw new NotImplementedError('grad(): is_grads_batched=True is not supported (use torch.func.vmap over grad)')
  if (opts.only_inputs === false)
    warn(
      'only_inputs argument is deprecated and is ignored now (defaults to True). To accumulate gradient for other parts of the graph, please use torch.autograd.backward.',
    )
  const outs = list(outputs)
  const ins = list(inputs)
  const createGraph = opts.create_graph ?? false
  const go = opts.grad_outputs
  const gl: ReadonlyArray<TensorData | null> =
    go === undefined || go === null
      ? outs.map(() => null)
      : outs.length === 1 && !(Array.isArray(go) && go.length === 1 && go[0] instanceof Tensor)
        ? [go as TensorData]
        : (go as ReadonlyArray<TensorData | null>)
  if (gl.length !== outs.length)
    throw new RuntimeError(
      `grad requires one grad_output per output: got ${gl.length} grad_outputs and ${outs.length} outputs`,
    )
  const grads = makeGrads(outs, gl)
  // PyTorch checks the outputs (after making their gradients), then the inputs
  outs.forEach((o, i) => {
    if (!o.requires_grad)
      throw new RuntimeError(`element ${i} of tensors does not require grad and does not have a grad_fn`)
  })
  for (const t of ins)
    if (!t.requires_grad) throw new RuntimeError('One of the differentiated Tensors does not require grad')
  const res = run({ roots: outs, grads, retainGraph: opts.retain_graph ?? createGraph, createGraph, capture: ins })
  const allowUnused = opts.allow_unused ?? opts.materialize_grads ?? false
  return res.map((g, i) => {
    if (g !== null) return g
    if (!allowUnused)
      throw new RuntimeError(
        'One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.',
      )
    return opts.materialize_grads
      ? Tensor._fromValue(zerosArr((ins[i] as Tensor)._value().shape, { dtype: (ins[i] as Tensor)._value().dtype }))
      : null
  })
}

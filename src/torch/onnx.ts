/**
 * `torch.onnx.export`: a facade Module in eval mode, traced through the functional core and
 * written as ONNX by `wengert/onnx`.
 *
 * @category torch
 * @since 0.2.0
 */
import type { DynamicAxes } from '../onnx/exportOnnx'
import { no_grad } from './autograd/grad_mode'
import { NotImplementedError, TorchTypeError } from './errors'
import { toTensors, toValues } from './func'
import type { Module } from './nn/module'
import { Tensor } from './tensor'

/** Options of {@link export_}, PyTorch's keyword arguments. */
export interface OnnxExportOptions {
  readonly input_names?: ReadonlyArray<string>
  readonly output_names?: ReadonlyArray<string>
  readonly dynamic_axes?: DynamicAxes
  /** 17 (the default) or later. */
  readonly opset_version?: number
  /** Only `true` (parameters are stored as initializers). */
  readonly export_params?: boolean
  /** Only `false`. */
  readonly verbose?: boolean
}

const KNOWN = ['input_names', 'output_names', 'dynamic_axes', 'opset_version', 'export_params', 'verbose']

/**
 * Exports `model` (run in eval mode, with gradients off; its training flags are restored) called
 * on `args` (a Tensor or an array of them) as an ONNX model; with a path `f`, writes it there
 * (Node; atomically). Resolves to the model's bytes. Unlike PyTorch's, it returns a Promise
 * (the file is written asynchronously); parameters become initializers.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Tanh())
 * const bytes = await torch.onnx.export(model, torch.ones(4, 3), null, { input_names: ['x'], output_names: ['y'] })
 * assert.ok(bytes.length > 100 && model.training)
 * @category torch
 * @since 0.2.0
 */
export const export_ = async (
  model: Module,
  args: Tensor | ReadonlyArray<Tensor>,
  f: string | null,
  options: OnnxExportOptions = {},
): Promise<Uint8Array> => {
  for (const k of Object.keys(options))
    if (!KNOWN.includes(k)) throw new NotImplementedError(`torch.onnx.export: the option '${k}' is not supported`)
  if (options.export_params === false)
    throw new NotImplementedError('torch.onnx.export: export_params=False is not supported')
  if (options.verbose === true) throw new NotImplementedError('torch.onnx.export: verbose=True is not supported')
  const inputs = args instanceof Tensor ? [args] : args
  if (!inputs.every((a) => a instanceof Tensor))
    throw new TorchTypeError('torch.onnx.export: args must be a Tensor or a tuple of Tensors')
  if (typeof (model as { readonly forward?: unknown }).forward !== 'function')
    throw new NotImplementedError(`Module [${model.constructor.name}] is missing the required "forward" function`)
  // PyTorch exports model(*args): forward with its hooks
  const callable = model as unknown as { call(...a: unknown[]): unknown }
  const modes = [...model.modules()].map((m) => [m, m.training] as const)
  model.eval()
  // NOTE: loaded on first use, so importing the facade loads no protobuf code
  const { exportOnnx } = await import('../onnx/exportOnnx')
  const { writeAtomic } = await import('../onnx/save')
  let bytes: Uint8Array
  try {
    bytes = no_grad(() =>
      exportOnnx(
        (...vals: unknown[]) => toValues(callable.call(...vals.map(toTensors))),
        inputs.map((t) => toValues(t)),
        {
          ...(options.input_names === undefined ? {} : { inputNames: options.input_names }),
          ...(options.output_names === undefined ? {} : { outputNames: options.output_names }),
          ...(options.dynamic_axes === undefined ? {} : { dynamicAxes: options.dynamic_axes }),
          ...(options.opset_version === undefined ? {} : { opsetVersion: options.opset_version }),
        },
      ),
    )
  } finally {
    for (const [m, t] of modes) m.training = t
  }
  if (f !== null) await writeAtomic(f, bytes)
  return bytes
}

export { export_ as export }

/**
 * `nn.parameter.UninitializedParameter` / `UninitializedBuffer`: the placeholders lazy modules
 * hold until their first forward tells them their shapes. They have a dtype but no data: reading
 * the shape raises PyTorch's RuntimeError, any op raises its ValueError, and `materialize(shape)`
 * gives them data and turns them (the same object) into a `Parameter` / plain `Tensor`.
 *
 * @category torch
 * @since 0.2.0
 */
import { empty } from '../creation'
import type { TorchDType } from '../dtype'
import { RuntimeError, TorchValueError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import type { NdArray } from '../../ndarray/NdArray'
import { makeSize, Tensor, type Size } from '../tensor'
import { fromStorage } from '../dtype'
import { Parameter } from './parameter'

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const SHAPE_ERROR =
  "Can't access the shape of an uninitialized parameter or buffer. This error usually happens in `load_state_dict` when trying to load an uninitialized parameter into an initialized one. Call `forward` to initialize the parameters before accessing their attributes."

const useError = (cls: string): TorchValueError =>
  new TorchValueError(
    `Attempted to use an uninitialized parameter in a torch function. This error happens when you are using a \`LazyModule\` or explicitly manipulating \`torch.nn.parameter.${cls}\` objects. When using LazyModules Call \`forward\` with a dummy batch to initialize the parameters before calling torch functions`,
  )

type UninitKw = {
  readonly requires_grad?: boolean
  readonly device?: string | null
  readonly dtype?: TorchDType | null
}
type UninitArgs = PyArgs<[requires_grad: boolean, device: string | null, dtype: TorchDType | null], UninitKw>

/** The empty tensor an uninitialised one starts from (its dtype is the materialised dtype). */
const placeholder = (cls: string, args: ReadonlyArray<unknown>, grad: boolean): [Tensor, boolean] => {
  const a = parseArgs(`${cls}.__new__`, args, ['requires_grad', 'device', 'dtype'])
  const dtype = (a.dtype as TorchDType | null | undefined) ?? undefined
  return [empty([0], dtype === undefined ? {} : { dtype }), (a.requires_grad as boolean | undefined) ?? grad]
}

/** The members both placeholders share (PyTorch's `UninitializedTensorMixin`). */
interface Uninitialized {
  /** Gives the placeholder data of `shape` (uninitialised memory, as `torch.empty`) and makes it a plain parameter / tensor. */
  materialize(shape: ReadonlyArray<number>, device?: string | null, dtype?: TorchDType | null): void
}

/** Installs the placeholder behaviour on `proto` (`become`: the class a materialised one takes). */
const installUninitialized = (proto: object, cls: string, become: object): void => {
  const raw = (t: Tensor): NdArray => t._storage.value
  const members: Record<string, PropertyDescriptor> = {
    _value: {
      value(): NdArray {
        throw useError(cls)
      },
    },
    shape: {
      get(): Size {
        throw new RuntimeError(SHAPE_ERROR)
      },
    },
    dtype: {
      get(this: Tensor): TorchDType {
        return fromStorage(raw(this).dtype)
      },
    },
    size: { value: (): Size => makeSize([0]) },
    dim: { value: (): number => 1 },
    is_floating_point: {
      value(this: Tensor): boolean {
        return fromStorage(raw(this).dtype).is_floating_point
      },
    },
    toString: { value: (): string => `<${cls}>` },
    materialize: {
      value(this: Tensor, shape: ReadonlyArray<number>, _device?: string | null, dtype?: TorchDType | null): void {
        const d = dtype ?? fromStorage(raw(this).dtype)
        const data = empty([...shape], { dtype: d })
        this._storage = data._storage
        Object.setPrototypeOf(this, become)
      },
    },
  }
  Object.defineProperties(proto, members)
}

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A parameter whose shape is not known yet (what lazy modules hold before their first forward).
 * Only its dtype, `requires_grad` and `materialize` may be used; `shape` raises PyTorch's
 * RuntimeError and ops its ValueError. Prints as `<UninitializedParameter>`.
 * @example
 * import * as torch from 'wengert/torch'
 * const p = new torch.nn.UninitializedParameter()
 * assert.strictEqual(String(p), '<UninitializedParameter>')
 * assert.throws(() => p.shape, /Can't access the shape of an uninitialized parameter/)
 * p.materialize([2, 3])
 * assert.strictEqual(String(p.shape), 'torch.Size([2, 3])')
 * assert.ok(p instanceof torch.nn.Parameter && !(p instanceof torch.nn.UninitializedParameter))
 * @category torch @since 0.2.0
 */
export class UninitializedParameter extends Parameter {
  constructor(...args: UninitArgs) {
    const [data, grad] = placeholder('UninitializedParameter', args, true)
    super(data, grad)
  }
}
export interface UninitializedParameter extends Uninitialized {}
installUninitialized(UninitializedParameter.prototype, 'UninitializedParameter', Parameter.prototype)

/**
 * A buffer whose shape is not known yet (lazy norm layers' running statistics before the first
 * forward); see {@link UninitializedParameter}. `materialize` makes it a plain `Tensor`.
 * @example
 * import * as torch from 'wengert/torch'
 * const b = new torch.nn.UninitializedBuffer()
 * assert.strictEqual(String(b), '<UninitializedBuffer>')
 * assert.strictEqual(b.requires_grad, false)
 * b.materialize([4])
 * assert.strictEqual(String(b.shape), 'torch.Size([4])')
 * @category torch @since 0.2.0
 */
export class UninitializedBuffer extends Tensor {
  constructor(...args: UninitArgs) {
    const [data, grad] = placeholder('UninitializedBuffer', args, false)
    super(data)
    if (grad) this.requires_grad = true
  }
}
export interface UninitializedBuffer extends Uninitialized {}
installUninitialized(UninitializedBuffer.prototype, 'UninitializedBuffer', Tensor.prototype)

/**
 * True for an uninitialised parameter or buffer (PyTorch's `torch.nn.parameter.is_lazy`).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.nn.parameter.is_lazy(new torch.nn.UninitializedParameter()), true)
 * assert.strictEqual(torch.nn.parameter.is_lazy(torch.ones(1)), false)
 * @category torch @since 0.2.0
 */
export const is_lazy = (param: unknown): param is UninitializedParameter | UninitializedBuffer =>
  param instanceof UninitializedParameter || param instanceof UninitializedBuffer

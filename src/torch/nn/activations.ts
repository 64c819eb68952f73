/**
 * Activation layers: `SiLU`, `Mish`, `ELU`, `SELU`, `CELU`, `Softplus`, `Softsign`, `Hardtanh`,
 * `ReLU6`, `Hardswish`, `Hardsigmoid`, `PReLU`, `GLU`, `LogSigmoid`, `Softmin`, `Threshold`,
 * `Tanhshrink`, `Softshrink`, `Hardshrink` — each a thin module over its `F.` function, with
 * PyTorch's arguments, defaults and repr.
 *
 * @category torch
 * @since 0.2.0
 */
import { empty } from '../creation'
import type { TorchDType } from '../dtype'
import { parseArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import * as A from './activation_functional'
import * as init from './init'
import { pyFloat, required } from './layers'
import { Module } from './module'
import { Parameter } from './parameter'
import { pyClass } from './pyclass'
import { warn } from '../warnings'

// -------------------------------------------------------------------------------------
// the family
// -------------------------------------------------------------------------------------

type Value = number | boolean | null
/** Positional values then, optionally, a keyword object (Python's call). */
type ActArgs<K> = Array<Value | Partial<K>>

/** An activation layer: settings `K` (`alpha`, `inplace`, …) and `forward(input)`. */
export interface Activation<K> extends Module {
  /** The layer's settings (PyTorch's attributes of the same names). */
  readonly settings: Readonly<K>
  /** Applies the activation. */
  forward(input: Tensor): Tensor
}

/** `K` with its literal defaults widened (`{ inplace: false }` takes `{ inplace: true }`). */
type Widen<K> = { [P in keyof K]: K[P] extends boolean ? boolean : K[P] extends number ? number : K[P] }

/** The constructor of an activation layer. */
interface ActivationClass<K> {
  new (...args: ActArgs<K>): Activation<K> & Readonly<K>
  (...args: ActArgs<K>): Activation<K> & Readonly<K>
  readonly prototype: Activation<K>
}

/**
 * Builds an activation class: `names`/`defaults` are PyTorch's constructor arguments, `f` the
 * functional form, `repr` the extra_repr; `renamed` maps deprecated arguments (taken after the
 * others) to the ones that replaced them, with PyTorch's FutureWarning when given.
 */
const activation = <K extends Record<string, Value>>(
  name: string,
  defaults: K,
  f: (input: Tensor, k: K) => Tensor,
  repr: (k: K) => string = () => '',
  renamed: Readonly<Record<string, keyof K & string>> = {},
): ActivationClass<Widen<K>> => {
  class Impl extends Module {
    readonly settings: K
    constructor(...args: ActArgs<K>) {
      super()
      const a = parseArgs(`${name}.__init__`, args, [...Object.keys(defaults), ...Object.keys(renamed)])
      for (const [old, now] of Object.entries(renamed)) {
        if (a[old] !== undefined && a[old] !== null) {
          warn(`keyword argument \`${old}\` is deprecated and rename to \`${now}\``, 'FutureWarning')
          a[now] = a[old]
        }
        delete a[old]
      }
      // a NaN default marks a required argument (Threshold's threshold and value)
      required(
        `${name}.__init__`,
        a,
        Object.keys(defaults).filter((key) => Number.isNaN(defaults[key])),
      )
      this.settings = { ...defaults, ...(a as Partial<K>) }
      Object.assign(this, this.settings)
    }
    forward(input: Tensor): Tensor {
      return f(input, this.settings)
    }
    override extra_repr(): string {
      return repr(this.settings)
    }
  }
  return pyClass(Impl, name) as unknown as ActivationClass<Widen<K>>
}

const inplaceRepr = (k: { inplace: boolean }): string => (k.inplace ? 'inplace=True' : '')
const withInplace = (s: string, k: { inplace: boolean }): string => (k.inplace ? `${s}, inplace=True` : s)
const pyNum = (v: number): string => String(v)

// -------------------------------------------------------------------------------------
// layers
// -------------------------------------------------------------------------------------

/** `x·σ(x)` (see `F.silu`). @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.SiLU()), 'SiLU()')
 * @category torch @since 0.2.0 */
export const SiLU = activation('SiLU', { inplace: false }, (x, k) => A.silu(x, k.inplace), inplaceRepr)
/** `x·tanh(softplus(x))` (see `F.mish`). @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.nn.Mish()(torch.zeros(2)).sum().item(), 0)
 * @category torch @since 0.2.0 */
export const Mish = activation('Mish', { inplace: false }, (x, k) => A.mish(x, k.inplace), inplaceRepr)
/** ELU with `alpha` (1.0). @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.ELU()), 'ELU(alpha=1.0)')
 * @category torch @since 0.2.0 */
export const ELU = activation(
  'ELU',
  { alpha: 1, inplace: false },
  (x, k) => A.elu(x, k.alpha, k.inplace),
  (k) => withInplace(`alpha=${pyFloat(k.alpha)}`, k),
)
/** SELU (scaled ELU with fixed constants). @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.SELU()), 'SELU()')
 * @category torch @since 0.2.0 */
export const SELU = activation('SELU', { inplace: false }, (x, k) => A.selu(x, k.inplace), inplaceRepr)
/** CELU with `alpha` (1.0). @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.CELU(2)), 'CELU(alpha=2.0)')
 * @category torch @since 0.2.0 */
export const CELU = activation(
  'CELU',
  { alpha: 1, inplace: false },
  (x, k) => A.celu(x, k.alpha, k.inplace),
  (k) => withInplace(`alpha=${pyFloat(k.alpha)}`, k),
)
/** Softplus with `beta` (1) and `threshold` (20). @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.Softplus()), 'Softplus(beta=1, threshold=20)')
 * @category torch @since 0.2.0 */
export const Softplus = activation(
  'Softplus',
  { beta: 1, threshold: 20 },
  (x, k) => A.softplus(x, k.beta, k.threshold),
  (k) => `beta=${pyNum(k.beta)}, threshold=${pyNum(k.threshold)}`,
)
/** `x/(1 + |x|)`. @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.nn.Softsign()(torch.tensor([1])).item(), 0.5)
 * @category torch @since 0.2.0 */
export const Softsign = activation('Softsign', {}, (x) => A.softsign(x))
/** Clamp to `[min_val, max_val]` (−1, 1). @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.Hardtanh()), 'Hardtanh(min_val=-1.0, max_val=1.0)')
 * @category torch @since 0.2.0 */
export const Hardtanh = activation(
  'Hardtanh',
  { min_val: -1, max_val: 1, inplace: false },
  (x, k) => A.hardtanh(x, k.min_val, k.max_val, k.inplace),
  (k) => withInplace(`min_val=${pyFloat(k.min_val)}, max_val=${pyFloat(k.max_val)}`, k),
  { min_value: 'min_val', max_value: 'max_val' },
)
/** Clamp to `[0, 6]`. @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.nn.ReLU6()(torch.tensor([-1, 9])).tolist(), [0, 6])
 * @category torch @since 0.2.0 */
export const ReLU6 = activation('ReLU6', { inplace: false }, (x, k) => A.relu6(x, k.inplace), inplaceRepr)
/** `x·relu6(x + 3)/6`. @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.Hardswish()), 'Hardswish()')
 * @category torch @since 0.2.0 */
export const Hardswish = activation('Hardswish', { inplace: false }, (x, k) => A.hardswish(x, k.inplace))
/** `relu6(x + 3)/6`. @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.nn.Hardsigmoid()(torch.tensor([0])).item(), 0.5)
 * @category torch @since 0.2.0 */
export const Hardsigmoid = activation('Hardsigmoid', { inplace: false }, (x, k) => A.hardsigmoid(x, k.inplace))
/** Gated linear unit along `dim` (−1). @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.GLU()), 'GLU(dim=-1)')
 * @category torch @since 0.2.0 */
export const GLU = activation(
  'GLU',
  { dim: -1 },
  (x, k) => A.glu(x, k.dim),
  (k) => `dim=${k.dim}`,
)
/** `log σ(x)`. @example
 * import * as torch from 'wengert/torch'
 * assert.ok(torch.nn.LogSigmoid()(torch.tensor([0])).item() < 0)
 * @category torch @since 0.2.0 */
export const LogSigmoid = activation('LogSigmoid', {}, (x) => A.logsigmoid(x))
/** `softmax(−x)` along `dim`. @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.Softmin(1)), 'Softmin(dim=1)')
 * @category torch @since 0.2.0 */
export const Softmin = activation(
  'Softmin',
  { dim: null as number | null },
  (x, k) => (k.dim === null ? A.softmin(x) : A.softmin(x, k.dim)),
  (k) => `dim=${k.dim === null ? 'None' : k.dim}`,
)
/** `x` above `threshold`, else `value` (both required). @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.Threshold(0.1, 20)), 'Threshold(threshold=0.1, value=20)')
 * @category torch @since 0.2.0 */
export const Threshold = activation(
  'Threshold',
  { threshold: Number.NaN, value: Number.NaN, inplace: false },
  (x, k) => A.threshold(x, k.threshold, k.value, k.inplace),
  (k) => withInplace(`threshold=${pyNum(k.threshold)}, value=${pyNum(k.value)}`, k),
)
/** `x − tanh(x)`. @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.nn.Tanhshrink()(torch.tensor([0])).item(), 0)
 * @category torch @since 0.2.0 */
export const Tanhshrink = activation('Tanhshrink', {}, (x) => A.tanhshrink(x))
/** Soft shrinkage by `lambd` (0.5). @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.Softshrink()), 'Softshrink(0.5)')
 * @category torch @since 0.2.0 */
export const Softshrink = activation(
  'Softshrink',
  { lambd: 0.5 },
  (x, k) => A.softshrink(x, k.lambd),
  (k) => pyNum(k.lambd),
)
/** Hard shrinkage by `lambd` (0.5). @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.Hardshrink()), 'Hardshrink(0.5)')
 * @category torch @since 0.2.0 */
export const Hardshrink = activation(
  'Hardshrink',
  { lambd: 0.5 },
  (x, k) => A.hardshrink(x, k.lambd),
  (k) => pyNum(k.lambd),
)

// -------------------------------------------------------------------------------------
// PReLU
// -------------------------------------------------------------------------------------

/** See {@link PReLU}. */
class PReLUImpl extends Module {
  readonly num_parameters: number
  /** `[num_parameters]` slopes, initialised to `init` (0.25). */
  weight: Parameter
  constructor(
    ...args: ActArgs<{ num_parameters: number; init: number; device: string | null; dtype: TorchDType | null }>
  ) {
    super()
    const a = parseArgs('PReLU.__init__', args, ['num_parameters', 'init', 'device', 'dtype'])
    this.num_parameters = (a.num_parameters as number | undefined) ?? 1
    const dtype = a.dtype as TorchDType | null | undefined
    this.weight = new Parameter(empty([this.num_parameters], dtype === undefined || dtype === null ? {} : { dtype }))
    init.constant_(this.weight, (a.init as number | undefined) ?? 0.25)
  }
  /** `F.prelu(input, weight)`. */
  forward(input: Tensor): Tensor {
    return A.prelu(input, this.weight)
  }
  override extra_repr(): string {
    return `num_parameters=${this.num_parameters}`
  }
}
/**
 * Parametric ReLU: `x` where positive, `weight·x` elsewhere, with one learnable slope or one per
 * channel (`num_parameters`), initialised to `init` (0.25).
 * @example
 * import * as torch from 'wengert/torch'
 * const p = torch.nn.PReLU(3)
 * assert.strictEqual(String(p), 'PReLU(num_parameters=3)')
 * assert.deepStrictEqual(p.weight.tolist(), [0.25, 0.25, 0.25])
 * @category torch @since 0.2.0
 */
export const PReLU = pyClass(PReLUImpl, 'PReLU')
/** An `nn.PReLU` instance. @category torch @since 0.2.0 */
export type PReLU = PReLUImpl

/**
 * `torch.nn.utils.parametrize.ParametrizationList`: the parametrizations of one tensor, holding
 * its `original` (or `original0`, `original1`, … when `right_inverse` returns several tensors).
 *
 * @category torch
 * @since 0.2.0
 */
import { no_grad } from '../autograd/grad_mode'
import { NotImplementedError, RuntimeError, TorchValueError } from '../errors'
import { Tensor } from '../tensor'
import { ModuleList } from './container'
import { Module, pyTypeName } from './module'
import { Parameter } from './parameter'
import { pyClass } from './pyclass'

// -------------------------------------------------------------------------------------
// ParametrizationList
// -------------------------------------------------------------------------------------

/** A parametrization: a module with `forward` and, optionally, `right_inverse`. */
type Parametrization = Module & {
  forward(...xs: Tensor[]): Tensor
  right_inverse?: (x: Tensor) => Tensor | ReadonlyArray<Tensor>
}

const rightInverseOf = (m: Module): ((x: Tensor) => unknown) | undefined => {
  const ri = (m as { right_inverse?: unknown }).right_inverse
  return typeof ri === 'function' ? (ri as (x: Tensor) => unknown).bind(m) : undefined
}

/** Registers `x` under `name` as a parameter if it is one, else as a buffer. */
export const registerParamOrBuffer = (m: Module, name: string, x: Tensor): void => {
  if (x instanceof Parameter) m.register_parameter(name, x)
  else m.register_buffer(name, x)
}

/** `right_inverse`s of `mods`, last first; a NotImplementedError skips one (construction only). */
const initialOriginal = (mods: ReadonlyArray<Module>, original: Tensor): unknown =>
  no_grad(() => {
    let x: unknown = original
    for (const m of [...mods].reverse()) {
      const ri = rightInverseOf(m)
      if (ri === undefined) continue
      try {
        x = ri(x as Tensor)
      } catch (e) {
        if (!(e instanceof NotImplementedError)) throw e
      }
    }
    return x
  })

/** The parametrizations of one tensor (PyTorch's `ParametrizationList`): a ModuleList holding `original`. */
class ParametrizationListImpl extends ModuleList {
  /** Whether the unsafe flag was given (no shape/dtype checks). */
  unsafe: boolean
  /** Whether `original` is one tensor (else `original0`, `original1`, …). */
  is_tensor: boolean
  /** Number of original tensors. */
  ntensors: number

  constructor(modules: Iterable<Module>, original: Tensor, unsafe = false) {
    const mods = [...modules]
    if (mods.length === 0) throw new TorchValueError('ParametrizationList requires one or more modules.')
    super(mods)
    this.unsafe = unsafe
    const nu = initialOriginal(mods, original)
    if (!(nu instanceof Tensor) && !Array.isArray(nu))
      throw new TorchValueError(
        `'right_inverse' must return a Tensor or a Sequence of tensors (list, tuple...). Got ${pyTypeName(nu)}`,
      )
    this.is_tensor = nu instanceof Tensor
    this.ntensors = nu instanceof Tensor ? 1 : (nu as Tensor[]).length
    if (nu instanceof Tensor) {
      if (original.dtype !== nu.dtype)
        throw new TorchValueError(
          `When \`right_inverse\` outputs one tensor, it may not change the dtype.\noriginal.dtype: ${original.dtype}\nright_inverse(original).dtype: ${nu.dtype}`,
        )
      no_grad(() => (original.data = nu))
      registerParamOrBuffer(this, 'original', original)
    } else this._registerOriginals(nu as unknown[], original)
    if (!this.unsafe) this._checkResult(original)
  }

  /** @internal Registers `original0`, … from right_inverse's sequence. */
  _registerOriginals(seq: ReadonlyArray<unknown>, original: Tensor): void {
    seq.forEach((t, i) => {
      if (!(t instanceof Tensor))
        throw new TorchValueError(
          `'right_inverse' must return a Tensor or a Sequence of tensors (list, tuple...). Got element ${i} of the sequence with type ${pyTypeName(t)}.`,
        )
      const oi = original instanceof Parameter ? new Parameter(t) : t
      oi.requires_grad_(original.requires_grad)
      registerParamOrBuffer(this, `original${i}`, oi)
    })
  }

  /** @internal The safe-mode check of the parametrized value against the original's shape and dtype. */
  _checkResult(original: Tensor): void {
    const z: unknown = this._call_impl([])
    if (!(z instanceof Tensor))
      throw new TorchValueError(`A parametrization must return a tensor. Got ${pyTypeName(z)}.`)
    if (z.dtype !== original.dtype)
      throw new TorchValueError(
        `Registering a parametrization may not change the dtype of the tensor, unless \`unsafe\` flag is enabled.\nunparametrized dtype: ${original.dtype}\nparametrized dtype: ${z.dtype}`,
      )
    if (String(z.shape) !== String(original.shape))
      throw new TorchValueError(
        `Registering a parametrization may not change the shape of the tensor, unless \`unsafe\` flag is enabled.\nunparametrized shape: ${original.shape}\nparametrized shape: ${z.shape}`,
      )
  }

  /** @internal `original` (or `original<i>`). */
  _original(i?: number): Tensor {
    return this._attrs()[i === undefined ? 'original' : `original${i}`] as Tensor
  }

  /** Sets the originals so that the parametrized value is `value` (runs each `right_inverse`, last first). */
  right_inverse(value: Tensor): void {
    no_grad(() => {
      let x: unknown = value
      for (const m of [...this].reverse()) {
        const ri = rightInverseOf(m)
        if (ri === undefined)
          throw new RuntimeError(`parametrization ${m._get_name()} does not implement right_inverse.`)
        x = ri(x as Tensor)
      }
      if (this.is_tensor) this._setOriginal(x)
      else this._setOriginals(x)
    })
  }

  /** @internal */
  _setOriginal(x: unknown): void {
    if (!(x instanceof Tensor))
      throw new TorchValueError(`\`right_inverse\` should return a tensor. Got ${pyTypeName(x)}`)
    const orig = this._original()
    if (x.dtype !== orig.dtype)
      throw new TorchValueError(
        `The tensor returned by \`right_inverse\` has dtype ${x.dtype} while \`original\` has dtype ${orig.dtype}`,
      )
    orig.data = x
  }

  /** @internal */
  _setOriginals(x: unknown): void {
    if (!Array.isArray(x))
      throw new TorchValueError(`'right_inverse' must return a sequence of tensors. Got ${pyTypeName(x)}.`)
    if (x.length !== this.ntensors)
      throw new TorchValueError(
        `'right_inverse' must return a sequence of tensors of length ${this.ntensors}. Got a sequence of length ${x.length}.`,
      )
    const checked = x.map((t: unknown, i) => {
      const oi = this._original(i)
      if (!(t instanceof Tensor))
        throw new TorchValueError(
          `\`right_inverse\` must return a sequence of tensors. Got element ${i} of type ${pyTypeName(t)}`,
        )
      if (oi.dtype !== t.dtype)
        throw new TorchValueError(
          `Tensor ${i} returned by \`right_inverse\` has dtype ${t.dtype} while \`original${i}\` has dtype ${oi.dtype}`,
        )
      return t
    })
    checked.forEach((t, i) => (this._original(i).data = t))
  }

  /** The parametrized value: the first parametrization on the originals, then the others in order. */
  forward(): Tensor {
    const mods = [...this] as Parametrization[]
    const first = mods[0] as Parametrization
    const originals = this.is_tensor
      ? [this._original()]
      : Array.from({ length: this.ntensors }, (_, i) => this._original(i))
    let x = first._call_impl(originals) as Tensor
    for (const m of mods.slice(1)) x = m._call_impl([x]) as Tensor
    return x
  }
}

/** PyTorch's `parametrize.ParametrizationList`. @category torch @since 0.2.0 */
export const ParametrizationList = pyClass(ParametrizationListImpl, 'ParametrizationList')
/** A `ParametrizationList` instance. @category torch @since 0.2.0 */
export type ParametrizationList = ParametrizationListImpl

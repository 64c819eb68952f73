/**
 * Forward-mode AD state of the facade (`torch.autograd.forward_ad`): the current dual level and
 * the tangents of the dual tensors made at it. Facade ops call {@link forwardOp} /
 * {@link forwardView} / {@link forwardInplace} while a level is open: an op's output tangent is
 * its function's JVP, run by the core's `jvp` transform over the primitives' own JVP rules (no
 * per-op table; a primitive that cannot be differentiated raises PyTorch's NotImplementedError).
 *
 * @category torch
 * @since 0.2.0
 */
import { zerosLike } from '../../core/lax'
import { isFloat } from '../../ndarray/dtype'
import { NotDifferentiableError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { jvp } from '../../transforms/jvp'
import { NotImplementedError } from '../errors'
import type { Tensor, ViewStep } from '../tensor'

// -------------------------------------------------------------------------------------
// state
// -------------------------------------------------------------------------------------

/** The open dual level (-1: none) and the tangents of its dual tensors. */
export const fwdState: { level: number; tangents: WeakMap<Tensor, NdArray> } = {
  level: -1,
  tangents: new WeakMap(),
}

/** The tangent of `t` at the open level, if it is a dual tensor. */
export const tangentOf = (t: Tensor): NdArray | undefined => (fwdState.level < 0 ? undefined : fwdState.tangents.get(t))

/** PyTorch's op name for a node name (`SpecialZetaBackward0` → `special_zeta`). */
const atenName = (node: string): string =>
  node
    .replace(/Backward\d*$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()

/** Runs the JVP of `fn` at the inputs' values, their tangents (zeros where none); undefined without any. */
const tangentsThrough = <R>(
  name: string,
  inputs: ReadonlyArray<Tensor>,
  fn: (...xs: NdArray[]) => R,
): Array<NdArray | null> | undefined => {
  const ts = inputs.map(tangentOf)
  if (ts.every((t) => t === undefined)) return undefined
  const primals = inputs.map((x) => x._value())
  // inputs without a tangent are constants of the JVP (PyTorch's undefined tangents), not zero
  // tangents: a rule's term for them is never evaluated (pow's log(base) term for a number
  // exponent would be NaN·0 at a negative base)
  const duals = ts.flatMap((t, i) => (t !== undefined && isFloat(primals[i]!.dtype) ? [i] : []))
  if (duals.length === 0) return undefined
  const at = (ds: NdArray[]): NdArray[] => primals.map((p, i) => (duals.includes(i) ? ds[duals.indexOf(i)]! : p))
  try {
    const [out, dout] = jvp(
      (...ds: NdArray[]) => fn(...at(ds)),
      duals.map((i) => primals[i]!),
      duals.map((i) => ts[i]!),
    )
    const outs = (Array.isArray(out) ? out : [out]) as NdArray[]
    const douts = (Array.isArray(dout) ? dout : [dout]) as NdArray[]
    return outs.map((o, k) => (isFloat(o.dtype) ? (douts[k] as NdArray) : null))
  } catch (e) {
    if (!(e instanceof NotDifferentiableError)) throw e
    throw new NotImplementedError(
      `Trying to use forward AD with ${atenName(name)} that does not support it because it has not been implemented yet.`,
    )
  }
}

// -------------------------------------------------------------------------------------
// hooks of the facade ops
// -------------------------------------------------------------------------------------

/** Gives the outputs of op `name` (`fn` of `inputs`) their tangents when an input is dual. */
export const forwardOp = <R>(
  name: string,
  inputs: ReadonlyArray<Tensor>,
  fn: (...xs: NdArray[]) => R,
  outs: ReadonlyArray<Tensor>,
): void => {
  const ts = tangentsThrough(name, inputs, fn)
  if (ts === undefined) return
  outs.forEach((o, k) => {
    const t = ts[k]
    if (t !== null && t !== undefined) fwdState.tangents.set(o, t)
  })
}

/** A view of a dual tensor is dual: its tangent is the same view of the base's tangent. */
export const forwardView = (x: Tensor, step: ViewStep, out: Tensor): void => {
  const t = tangentOf(x)
  if (t !== undefined) fwdState.tangents.set(out, step.fwd(t))
}

/**
 * An in-place op wrote `r` into `t`: `t` takes `r`'s tangent; for a view, its region of the
 * base's tangent (`steps`: the view's path from its base) is replaced.
 */
export const forwardInplace = (t: Tensor, r: Tensor, base: Tensor | null, steps: ReadonlyArray<ViewStep>): void => {
  const rt = tangentOf(r)
  if (base === null) {
    if (rt !== undefined) fwdState.tangents.set(t, rt)
    else fwdState.tangents.delete(t)
    return
  }
  const bt = tangentOf(base)
  if (rt === undefined && bt === undefined) return
  const bv = base._value()
  const xs: NdArray[] = [bt ?? zerosLike(bv)]
  for (const s of steps) xs.push(s.fwd(xs[xs.length - 1] as NdArray))
  let y = rt ?? zerosLike(r._value())
  for (let k = steps.length - 1; k >= 0; k--) y = (steps[k] as ViewStep).inv(xs[k] as NdArray, y)
  fwdState.tangents.set(base, y)
  fwdState.tangents.set(
    t,
    steps.reduce((v, s) => s.fwd(v), y),
  )
}

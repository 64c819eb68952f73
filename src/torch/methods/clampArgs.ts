/**
 * `clamp`'s bounds as PyTorch's argument parser binds them: `clamp(Tensor? min, Tensor? max)` or
 * `clamp(Scalar? min, Scalar? max)`, so a Python number beside a tensor bound only binds when that
 * tensor can stand for a number (0-d, not requiring grad); anything else is PyTorch's TypeError
 * "received an invalid combination of arguments".
 *
 * @category torch
 * @since 0.2.0
 */
import { TorchTypeError } from '../errors'
import { argTypeName } from '../pyTypeName'
import { Tensor } from '../tensor'
import type { TensorOrScalar } from '../ops/convert'

type Bound = TensorOrScalar | null | undefined

const isKw = (u: unknown): u is Record<string, unknown> =>
  u !== null && typeof u === 'object' && Object.getPrototypeOf(u) === Object.prototype

/** A tensor PyTorch's parser accepts for a Scalar parameter: 0-d and not requiring grad. */
const scalarLike = (t: Tensor): boolean => t.dim() === 0 && !t.requires_grad

/** PyTorch's argument list `(Tensor, max=float)`: a trailing `, ` stays when there are only keywords. */
const described = (
  positional: ReadonlyArray<unknown>,
  keywords: ReadonlyArray<readonly [string, unknown]>,
  mark: (v: unknown) => boolean,
): string => {
  const one = (s: string, v: unknown): string => (mark(v) ? s : `!${s}!`)
  const parts = [
    ...positional.map((v) => `${one(argTypeName(v), v)}, `),
    ...keywords.map(([k, v]) => `${one(`${k}=${argTypeName(v)}`, v)}, `),
  ].join('')
  return `(${positional.length > 0 ? parts.slice(0, -2) : parts})`
}

const invalidBounds = (fn: string, args: ReadonlyArray<unknown>): TorchTypeError => {
  const last = args[args.length - 1]
  const kw = isKw(last) ? Object.entries(last).filter(([, v]) => v !== undefined) : []
  const positional = isKw(last) ? args.slice(0, -1) : args
  const inOrder = ['min', 'max'].flatMap((k) => kw.filter(([n]) => n === k))
  const sorted = [...kw].sort(([a], [b]) => (a < b ? -1 : 1))
  const asTensor = (v: unknown): boolean => v === null || v instanceof Tensor
  // PyTorch's report marks every argument against `Number` (its message matcher knows no Number type)
  const asNumber = (v: unknown): boolean => v === null
  const why = "      didn't match because some of the arguments have invalid types: "
  return new TorchTypeError(
    `${fn}() received an invalid combination of arguments - got ${described(positional, sorted, () => true)}, but expected one of:\n` +
      ` * (Tensor min, Tensor max)\n${why}${described(positional, inOrder, asTensor)}\n` +
      ` * (Number min, Number max)\n${why}${described(positional, inOrder, asNumber)}\n`,
  )
}

/**
 * The bounds of `fn(min, max)` (`args`: the call's arguments, for the error) after PyTorch's
 * overload resolution: a number beside a 0-d tensor that does not require grad turns that tensor
 * into its number; a number beside any other tensor raises PyTorch's TypeError.
 */
export const clampBounds = (
  fn: string,
  args: ReadonlyArray<unknown>,
  lo: Bound,
  hi: Bound,
): readonly [Bound, Bound] => {
  const isNum = (b: Bound): boolean => typeof b === 'number'
  if (!(lo instanceof Tensor && isNum(hi)) && !(hi instanceof Tensor && isNum(lo))) return [lo, hi]
  const t = (lo instanceof Tensor ? lo : hi) as Tensor
  if (!scalarLike(t)) throw invalidBounds(fn, args)
  const v = t.item() as number
  return lo instanceof Tensor ? [v, hi] : [lo, v]
}

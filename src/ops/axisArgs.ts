/**
 * The axis arguments of the layout ops: an axis given positionally or as `{ axis }`.
 *
 * @category ops
 * @since 0.1.0
 */
import { axisOptions, type AxisOr } from '../internal/options'
import { ValueError } from '../ndarray/errors'

/** Options holding one axis (the second form of an op's positional axis). */
export interface AxisOption {
  readonly axis?: number
}
/** Options holding one axis or several. */
export interface AxesOption {
  readonly axis?: number | ReadonlyArray<number>
}
export const AXIS_KEY: ReadonlyArray<'axis'> = ['axis']

/** The single axis of `op` given positionally or as `{ axis }` (default `dflt`). */
export const oneAxis = <D extends number | undefined>(
  op: string,
  arg: AxisOr<AxisOption> | undefined,
  dflt: D,
): number | D => {
  const a = axisOptions<AxesOption>(op, arg, AXIS_KEY).axis
  if (Array.isArray(a)) throw new ValueError(`${op}: axis must be a single integer, got the JS array [${a.join(', ')}]`)
  return (a as number | undefined) ?? dflt
}

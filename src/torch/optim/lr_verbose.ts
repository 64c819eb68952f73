/**
 * The schedulers' deprecated `verbose` keyword, as PyTorch 2.2–2.6 treat it: any value other than
 * the default warns that it is deprecated, and a true one prints each learning-rate change
 * (`Adjusting learning rate of group 0 to 1.0000e-01.`; ReduceLROnPlateau prints each
 * reduction). PyTorch 1.13 printed without the warning.
 *
 * @category torch
 * @since 0.2.0
 */
import { isKwargs } from '../kwargs'
import type { ConstructAround } from '../nn/pyclass'
import { warn } from '../warnings'

/**
 * A scheduler's deprecated `verbose` keyword: true prints each update; any value but the default
 * `'deprecated'` warns. @category torch @since 0.2.0
 */
export type DeprecatedVerbose = boolean | 'deprecated'

/** True while a scheduler given a true `verbose` is being constructed. */
let constructing = false

/** Whether the scheduler whose constructor runs now was given a true `verbose`. */
export const constructingVerbose = (): boolean => constructing

/**
 * Takes `verbose` off a scheduler's keywords (with PyTorch's deprecation warning unless it is the
 * default) and holds it for the constructor, restored however the construction ends.
 */
export const verboseAround: ConstructAround = (args, build) => {
  const last = args[args.length - 1]
  let verbose = false
  if (isKwargs(last) && 'verbose' in last) {
    const { verbose: v, ...kw } = last
    if (v !== 'deprecated')
      warn('The verbose parameter is deprecated. Please use get_last_lr() to access the learning rate.')
    verbose = v !== 'deprecated' && Boolean(v)
    args = [...args.slice(0, -1), ...(Object.keys(kw).length > 0 ? [kw] : [])]
  }
  const outer = constructing
  constructing = verbose
  try {
    return build(args)
  } finally {
    constructing = outer
  }
}

/** Python's `format(x, '.4e')`: four decimals and an exponent of at least two digits. */
export const formatE4 = (x: number): string => {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf'
  const [m, e] = x.toExponential(4).split('e') as [string, string]
  const sign = e.startsWith('-') ? '-' : '+'
  return `${m}e${sign}${e.replace(/^[+-]/, '').padStart(2, '0')}`
}

/** Python's `'%.2f' if isinstance(epoch, float) else '%.5d'` for an epoch number. */
const epochText = (epoch: number): string =>
  Number.isInteger(epoch) ? `${epoch < 0 ? '-' : ''}${String(Math.abs(epoch)).padStart(5, '0')}` : epoch.toFixed(2)

/** Prints one group's new learning rate (a step's update), with the epoch when one was given. */
export const printLr = (group: number, lr: number, epoch?: number | null): void => {
  if (epoch === undefined || epoch === null)
    console.log(`Adjusting learning rate of group ${group} to ${formatE4(lr)}.`)
  else console.log(`Epoch ${epochText(epoch)}: adjusting learning rate of group ${group} to ${formatE4(lr)}.`)
}

/** Prints ReduceLROnPlateau's reduction of one group's learning rate. */
export const printReduction = (epoch: number, group: number, lr: number): void =>
  console.log(`Epoch ${epochText(epoch)}: reducing learning rate of group ${group} to ${formatE4(lr)}.`)

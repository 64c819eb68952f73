/**
 * Python's `print` for ported examples: tensors print as PyTorch prints them, `null` as `None`,
 * booleans as `True`/`False`, arrays as Python lists.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.pyStr([true, null, torch.tensor([1, 2])]), '[True, None, tensor([1., 2.])]')
 * @category torch
 * @since 0.1.0
 */

/** Python's `str(x)` for the values ported code prints. @category torch @since 0.1.0 */
export const pyStr = (x: unknown, nested = false): string => {
  if (x === null || x === undefined) return 'None'
  if (typeof x === 'boolean') return x ? 'True' : 'False'
  if (typeof x === 'string') return nested ? `'${x}'` : x
  if (typeof x === 'number')
    return Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : String(x)
  if (Array.isArray(x) && x.constructor === Array) {
    const items = x.map((e) => pyStr(e, true))
    // frozen arrays are tuples (next_functions, max's values/indices pairs)
    if (Object.isFrozen(x)) return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`
    return `[${items.join(', ')}]`
  }
  return String(x)
}

/** Python's `print(*args)` (space-separated, through console.log). @category torch @since 0.1.0 */
export const print = (...args: ReadonlyArray<unknown>): void => {
  console.log(args.map((a) => pyStr(a)).join(' '))
}

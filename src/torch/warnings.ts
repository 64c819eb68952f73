/**
 * The facade's warnings channel (Python's `warnings` module, reduced): every warning the facade
 * emits goes through {@link warnings.warn}, which calls the current handler (console.warn by
 * default). Tests capture warnings with {@link warnings.catch_warnings}.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.ones(2, { requires_grad: true })
 * const y = x.mul(2)
 * const [g, caught] = torch.warnings.catch_warnings(() => y.grad)
 * assert.strictEqual(g, null)
 * assert.ok(caught[0]?.message.startsWith('The .grad attribute of a Tensor that is not a leaf Tensor'))
 * @category torch
 * @since 0.1.0
 */

/** One emitted warning. */
export interface WarningMessage {
  /** Python's warning class name, e.g. `UserWarning`. */
  readonly category: string
  readonly message: string
}

/** Receives each warning. */
export type WarningHandler = (w: WarningMessage) => void

const defaultHandler: WarningHandler = (w) => console.warn(`${w.category}: ${w.message}`)
let handler: WarningHandler = defaultHandler

/** Emits a warning through the current handler. @category torch @since 0.1.0 */
export const warn = (message: string, category = 'UserWarning'): void => handler({ category, message })

/** Replaces the handler (returns the previous one); `undefined` restores console.warn. @category torch @since 0.1.0 */
export const setHandler = (h: WarningHandler | undefined): WarningHandler => {
  const prev = handler
  handler = h ?? defaultHandler
  return prev
}

/**
 * Runs `body` and returns its result with the warnings it emitted (which are not shown), as
 * Python's `with warnings.catch_warnings(record=True) as w:`.
 * @category torch @since 0.1.0
 */
export const catch_warnings = <R>(body: () => R): [R, WarningMessage[]] => {
  const caught: WarningMessage[] = []
  const prev = setHandler((w) => caught.push(w))
  try {
    return [body(), caught]
  } finally {
    setHandler(prev)
  }
}

/**
 * The facade's warnings channel (Python's `warnings` module, reduced): every warning the facade
 * emits goes through {@link warnings.warn}, which calls the current handler (console.warn by
 * default). As Python's default filter, a warning is shown once per call site: the same message
 * and category from the same line of the caller (the first stack frame outside wengert) is shown
 * the first time only, unless {@link warnings.simplefilter} says `'always'` (or `'ignore'`, or
 * `'once'`: once per message wherever it comes from) or `torch.set_warn_always(true)` is on.
 * Tests capture warnings with {@link warnings.catch_warnings}, which records every warning its
 * body emits (Python's `catch_warnings(record=True)` with `simplefilter('always')`).
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

import { AssertionError } from './errors'

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

/** What {@link warn} does with a warning: Python's filter actions (`'error'` is not supported). */
export type WarningAction = 'default' | 'always' | 'ignore' | 'once'

const state: { action: WarningAction; warnAlways: boolean; shown: Set<string> } = {
  action: 'default',
  warnAlways: false,
  shown: new Set(),
}

/** The file of a V8 stack line (`    at f (/a/b.ts:1:2)` or `    at /a/b.ts:1:2`), with its line number. */
const frameOf = (line: string): { file: string; where: string } | undefined => {
  const m = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):\d+\)?$/.exec(line.trim())
  return m === null ? undefined : { file: m[1] ?? '', where: `${m[1] ?? ''}:${m[2] ?? ''}` }
}

/** The folder of wengert's sources (the parent of this file's `torch` folder), read from a stack. */
const LIBRARY_ROOT: string = ((): string => {
  const file = frameOf(new Error().stack?.split('\n')[1] ?? '')?.file ?? ''
  return file.replace(/[\\/]torch[\\/][^\\/]*$/, '')
})()

/** `file:line` of the first caller outside wengert (Python's `stacklevel` location of a warning). */
const callSite = (): string => {
  // V8's stack depth knob (absent elsewhere: then the engine's default depth is read)
  const E = Error as ErrorConstructor & { stackTraceLimit?: number | undefined }
  const limit = E.stackTraceLimit
  E.stackTraceLimit = 64
  try {
    const lines = new Error().stack?.split('\n').slice(1) ?? []
    for (const line of lines) {
      const f = frameOf(line)
      if (f !== undefined && (LIBRARY_ROOT === '' || !f.file.startsWith(LIBRARY_ROOT))) return f.where
    }
    return '<unknown>'
  } finally {
    E.stackTraceLimit = limit
  }
}

/**
 * Emits a warning through the current handler, once per call site under the default filter.
 * @category torch @since 0.1.0
 */
export const warn = (message: string, category = 'UserWarning'): void => {
  const { action } = state
  if (action === 'ignore') return
  if (action !== 'always' && !state.warnAlways) {
    const key = action === 'once' ? `${category}\0${message}` : `${category}\0${message}\0${callSite()}`
    if (state.shown.has(key)) return
    state.shown.add(key)
  }
  handler({ category, message })
}

/**
 * Python's `warnings.simplefilter(action)`: `'default'` shows a warning once per call site, `'always'`
 * every time, `'once'` once per message, `'ignore'` never. Returns the previous action.
 * @category torch @since 0.3.0
 */
export const simplefilter = (action: WarningAction): WarningAction => {
  const prev = state.action
  if (!['default', 'always', 'ignore', 'once'].includes(action))
    // Python's own check: `AssertionError: invalid action: 'foo'`
    throw new AssertionError(
      `invalid action: ${JSON.stringify(action)} (simplefilter takes 'default', 'always', 'ignore' or 'once')`,
    )
  state.action = action
  return prev
}

/**
 * Python's `warnings.resetwarnings()` with the registry of shown warnings cleared: the default
 * filter, and every warning shown again once.
 * @category torch @since 0.3.0
 */
export const resetwarnings = (): void => {
  state.action = 'default'
  state.shown.clear()
}

/** `torch.set_warn_always`'s flag: every warning shown every time (read by {@link warn}). @internal */
export const setWarnAlways = (b: boolean): void => {
  state.warnAlways = b
}

/** Replaces the handler (returns the previous one); `undefined` restores console.warn. @category torch @since 0.1.0 */
export const setHandler = (h: WarningHandler | undefined): WarningHandler => {
  const prev = handler
  handler = h ?? defaultHandler
  return prev
}

/**
 * Runs `body` and returns its result with the warnings it emitted (which are not shown), as
 * Python's `with warnings.catch_warnings(record=True) as w: warnings.simplefilter('always')`: every
 * warning is recorded, and the filter and the registry of shown warnings are as before afterwards.
 * @category torch @since 0.1.0
 */
export const catch_warnings = <R>(body: () => R): [R, WarningMessage[]] => {
  const caught: WarningMessage[] = []
  const prev = setHandler((w) => caught.push(w))
  const prevAction = simplefilter('always')
  try {
    return [body(), caught]
  } finally {
    state.action = prevAction
    setHandler(prev)
  }
}

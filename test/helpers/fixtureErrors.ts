/**
 * The error-case check of fixture tests: each named thunk must raise the error type and message
 * the PyTorch fixture recorded under the same name, and the thunks cover every recorded case.
 * `firstLine` compares only the message's first line (the fixture scripts that keep only it).
 */
import { expect, it } from 'vitest'

export const expectFixtureErrors = (
  cases: Readonly<Record<string, () => unknown>>,
  errors: unknown,
  firstLine = false,
): void => {
  const want = errors as Readonly<Record<string, readonly [string, string]>>
  it('covers every fixture case', () => expect(Object.keys(cases).sort()).toEqual(Object.keys(want).sort()))
  it.each(Object.keys(want))('%s', (name) => {
    let got: Error | undefined
    try {
      cases[name]?.()
    } catch (e) {
      got = e as Error
    }
    const message = firstLine ? got?.message.split('\n')[0] : got?.message
    expect([got?.name, message]).toEqual(want[name])
  })
}

/** [error type, first line of its message] of calling `f` (as fixture_common.py's `err` records it), or null. */
export const errOf = (f: () => unknown): [string, string] | null => {
  try {
    f()
  } catch (e) {
    return [(e as Error).name, (e as Error).message.split('\n')[0]!]
  }
  return null
}

/** [error type, whole message] of calling `f`, or null when it returns. */
export const errorOf = (f: () => unknown): [string, string] | null => {
  try {
    f()
  } catch (e) {
    return [(e as Error).name, (e as Error).message]
  }
  return null
}

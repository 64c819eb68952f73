/**
 * The bad-input probe shared by the core's and the facade's tests (issue 10): calls every exported
 * lower-case function of a namespace with malformed argument sets and lists the calls that throw
 * something other than a typed error (a WengertError subclass). Each test keeps a list of the calls
 * still left to fix, which may only shrink.
 */
import { expect } from 'vitest'
import { WengertError } from '../../src/ndarray/errors'

/** The malformed argument sets, given the namespace's 2×3 and 4×5×6 arrays. */
export const argSets = (t: () => unknown, t3d: () => unknown): ReadonlyArray<readonly [string, () => unknown[]]> => [
  ['()', () => []],
  ["('a')", () => ['a']],
  ["(t, 'x')", () => [t(), 'x']],
  ['(t, t3d)', () => [t(), t3d()]],
  ['(t, 1.5)', () => [t(), 1.5]],
  ["(t, {dim: '1'})", () => [t(), { dim: '1' }]],
  ['(null)', () => [null]],
  ['(t, NaN)', () => [t(), NaN]],
  ['({})', () => [{}]],
]

// functions with global effects (process state, files, compilation): not probed
const SKIP = new Set([
  'manual_seed',
  'set_default_dtype',
  'set_printoptions',
  'set_num_threads',
  'set_rng_state',
  'save',
  'load',
  'set_default_tensor_type',
  'use_deterministic_algorithms',
  'set_float32_matmul_precision',
  'set_deterministic_debug_mode',
  'set_anomaly_enabled',
  'set_grad_enabled',
  'compile',
])

/** `name(args)` of every probe call that throws something other than a typed error. */
export const probeRawCalls = (ns: object, sets: ReadonlyArray<readonly [string, () => unknown[]]>): string[] => {
  const raw: string[] = []
  for (const [name, f] of Object.entries(ns)) {
    if (typeof f !== 'function' || /^[A-Z]/.test(name) || SKIP.has(name)) continue
    for (const [label, args] of sets) {
      try {
        ;(f as (...a: unknown[]) => unknown)(...args())
      } catch (e) {
        if (!(e instanceof WengertError)) raw.push(`${name}${label}`)
      }
    }
  }
  return raw
}

/** No raw call outside `known`, and every call in `known` still raw (a fixed one must leave the list). */
export const expectOnlyKnown = (raw: ReadonlyArray<string>, known: ReadonlyArray<string>): void => {
  const k = new Set(known)
  expect(raw.filter((c) => !k.has(c))).toEqual([])
  expect(known.filter((c) => !raw.includes(c))).toEqual([])
}

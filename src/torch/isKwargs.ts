/**
 * The test that tells Python's keyword-arguments object from a positional value: a plain `{ … }`
 * object. Apart from `kwargs.ts` so that modules `kwargs.ts` itself needs (the device check) can
 * use it without an import cycle.
 *
 * @category torch
 * @since 0.3.0
 */

/** True for a plain `{ … }` object (the keyword-arguments object). */
export const isKwargs = (u: unknown): u is Record<string, unknown> => {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return false
  const proto = Object.getPrototypeOf(u) as unknown
  return proto === Object.prototype || proto === null
}

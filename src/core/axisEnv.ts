/**
 * Named axes (JAX's axis environment): `vmap(f, { axisName })` names its batch axis while `f`
 * runs, so collectives (`lax.psum`, `lax.pmean`, `lax.axisIndex`, …) can reduce over it by
 * name. A collective applied to a value that is not mapped along the named axis needs only the
 * axis's size (psum of an unmapped value is value × size), which is what a frame holds; a value
 * that is mapped meets the named {@link BatchLevel} itself, whose batching rule does the reduction.
 *
 * @category core
 * @since 0.6.0
 */
import { NameError } from '../ndarray/errors'
import type { Level } from './trace'

/** One named axis: its name, its size and the vmap level that maps it. */
export interface AxisFrame {
  readonly name: string
  readonly size: number
  readonly level: Level | undefined
}

const frames: AxisFrame[] = []

/** Runs `f` with `name` bound to an axis of `size` (mapped by `level`), innermost first. */
export const withAxisName = <T>(name: string, size: number, level: Level | undefined, f: () => T): T => {
  frames.push({ name, size, level })
  try {
    return f()
  } finally {
    frames.pop()
  }
}

/** The innermost frame binding `name`; `api` names the collective in the error. */
export const axisFrame = (name: string, api: string): AxisFrame => {
  for (let i = frames.length - 1; i >= 0; i--) if ((frames[i] as AxisFrame).name === name) return frames[i] as AxisFrame
  const bound = [...frames].reverse().map((f) => `'${f.name}'`)
  throw new NameError(
    `${api}: found an unbound axis name: '${name}'. Collectives reduce over an axis named by an enclosing ` +
      `vmap(f, { axisName }); ${bound.length === 0 ? 'no axis is named here' : `the axis names bound here are ${bound.join(', ')}`}`,
  )
}

/**
 * Runs `f` with every `[name, size]` of `env` bound (no vmap level maps them: collectives see
 * unmapped operands). What the laws run a collective's instances in (`Domain.axisEnv`).
 */
export const withAxisEnv = <T>(env: ReadonlyArray<readonly [string, number]>, f: () => T): T =>
  env.reduceRight<() => T>(
    (inner, [name, size]) =>
      () =>
        withAxisName(name, size, undefined, inner),
    f,
  )()

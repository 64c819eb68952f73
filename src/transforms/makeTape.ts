/**
 * `makeTape(f)(...args)`: records `f` on a Wengert tape and returns the tape as data.
 *
 * @category transforms
 * @since 0.1.0
 */
import { tapeFromLevel, type Tape } from '../core/tape'
import { NdArray } from '../ndarray/NdArray'
import { record, erase } from './common'

/**
 * Records `f` applied to `args` (every array leaf of every argument is a tape input) and returns
 * the tape; `String(tape)` prints one equation per line, like a jaxpr.
 *
 * @example
 * import { makeTape, array, mul, sin } from 'wengert'
 * const tape = makeTape((a, b) => sin(mul(a, b)))(array([1, 2, 3]), array([4, 5, 6]))
 * assert.strictEqual(tape.equations.length, 2)
 * assert.ok(String(tape).includes('c:f32[3] = mul a b'))
 * @category transforms
 * @since 0.1.0
 */
export const makeTape =
  <A extends readonly unknown[]>(f: (...args: A) => unknown) =>
  (...args: A): Tape => {
    const rec = record('makeTape', erase(f), args, args.map((_, i) => i), true)
    const outs = rec.outLeaves.map((o, i) => {
      const v = rec.outAtoms[i]
      return v !== undefined ? v : (o as NdArray)
    })
    return tapeFromLevel(rec.level, rec.inputVars.flat(), outs)
  }

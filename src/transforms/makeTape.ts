/**
 * `makeTape(f)(...args)`: records `f` on a Wengert tape and returns the tape as data.
 *
 * @category transforms
 * @since 0.1.0
 */
import { Var, type Aval, type Tape } from '../core/equation'
import { tapeFromRecording } from '../core/tape'
import { scalar } from '../core/lax'
import { ValueError } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { record, erase } from './common'

/**
 * Records `f` applied to `args` (every array leaf of every argument is a tape input) and returns
 * the tape; `String(tape)` prints one equation per line, like a jaxpr.
 *
 * @example
 * import { makeTape, array, mul, sin, type NdArray } from 'wengert'
 * const tape = makeTape((a: NdArray, b: NdArray) => sin(mul(a, b)))(array([1, 2, 3]), array([4, 5, 6]))
 * assert.strictEqual(tape.equations.length, 2)
 * assert.ok(String(tape).includes('c:f32[3] = mul a b'))
 * @category transforms
 * @since 0.1.0
 */
export const makeTape =
  <A extends readonly unknown[]>(f: (...args: A) => unknown) =>
  (...args: A): Tape => {
    const rec = record(
      'makeTape',
      erase(f),
      args,
      args.map((_, i) => i),
      true,
    )
    const outs = rec.outLeaves.map((o, i) => {
      const v = rec.outAtoms[i]
      if (v !== undefined) return v
      if (o instanceof NdArray) return o
      if (typeof o === 'number') return scalar(o, 'float32')
      throw new ValueError(
        `makeTape: the function's outputs must be arrays or numbers, got ${o === null ? 'null' : typeof o}`,
      )
    })
    const avals = rec.inputAvals.flat()
    const inputs = rec.inputVars.flat().map((v, k) => new Var(v, avals[k] as Aval))
    return tapeFromRecording(rec.tape, inputs, outs)
  }

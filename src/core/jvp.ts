/**
 * Forward mode: a level whose tracers carry a primal and a tangent. Each primitive computes its
 * primal one level down and its tangent with the primitive's JVP rule; no tape, no sweep.
 *
 * @category core
 * @since 0.1.0
 */
import type { NdArray } from '../ndarray/NdArray'
import type { AnyMultiPrimitive, AnyPrimitive } from './primitive'
import { bind, bindMulti, newLevelId, Tracer, type Level } from './trace'
import { isZero, Zero, type Linear } from './zero'

/** A value with its tangent at one forward-mode level. */
export class JvpTracer extends Tracer {
  constructor(
    level: JvpLevel,
    readonly primal: NdArray,
    readonly tangent: Linear,
  ) {
    super(level, primal)
  }
}

/** One forward-mode transform. */
export class JvpLevel implements Level {
  readonly id = newLevelId()
  active = true
  /** `transform`: the public transform (its leaked tracers raise, see Level.transform). */
  constructor(readonly transform?: string) {}

  /** Wraps a primal with its tangent (a zero tangent gives the primal back). */
  lift(primal: NdArray, tangent: Linear): NdArray {
    return isZero(tangent) ? primal : new JvpTracer(this, primal, tangent)
  }

  /** Splits a value into primal and tangent as this level sees it. */
  split(x: NdArray): readonly [NdArray, Linear] {
    return x instanceof JvpTracer && x._level === this ? [x.primal, x.tangent] : [x, Zero.like(x)]
  }

  process(prim: AnyPrimitive, inputs: ReadonlyArray<NdArray>, params: unknown): NdArray {
    const n = inputs.length
    const primals = new Array<NdArray>(n)
    const tangents = new Array<Linear>(n)
    const any = this.splitAll(inputs, primals, tangents)
    const output = bind(prim, primals, params)
    if (!any || prim.derivative === 'none') return output
    const tangent = prim.jvp({ inputs: primals, output, params }, tangents)
    return this.lift(output, tangent)
  }

  processMulti(prim: AnyMultiPrimitive, inputs: ReadonlyArray<NdArray>, params: unknown): ReadonlyArray<NdArray> {
    const n = inputs.length
    const primals = new Array<NdArray>(n)
    const tangents = new Array<Linear>(n)
    const any = this.splitAll(inputs, primals, tangents)
    const outputs = bindMulti(prim, primals, params)
    if (!any || prim.derivative === 'none') return outputs
    const outTs = prim.jvp({ inputs: primals, outputs, params }, tangents)
    return outputs.map((y, i) => this.lift(y, outTs[i] as Linear))
  }

  /** Fills the primals and tangents of `inputs`; true when some tangent is not a symbolic zero. */
  private splitAll(inputs: ReadonlyArray<NdArray>, primals: NdArray[], tangents: Linear[]): boolean {
    let any = false
    for (let i = 0; i < inputs.length; i++) {
      const x = inputs[i] as NdArray
      if (x instanceof JvpTracer && x._level === this) {
        primals[i] = x.primal
        tangents[i] = x.tangent
        if (!isZero(x.tangent)) any = true
      } else {
        primals[i] = x
        tangents[i] = Zero.like(x)
      }
    }
    return any
  }
}

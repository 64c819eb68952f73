/**
 * Primitives with several results (`multipleResults: true`, bound with `bindMulti`) through
 * every transform: a `sincos` primitive defined here, as eigh, svd, sort-with-indices and scan
 * will be defined.
 */
import { describe, expect, it } from 'vitest'
import {
  add,
  checkTape,
  evalTape,
  grad,
  jacfwd,
  jit,
  jvp,
  linearize,
  makeTape,
  mul,
  type NdArray,
  sum,
  vjp,
  vmap,
} from 'wengert'
import * as lax from '../../src/core/lax'
import { definePrimitive } from '../../src/core/primitive'
import { liveEquations } from '../../src/core/equation'
import { interpret } from '../../src/core/interpret'
import { compileProgram } from '../../src/core/program'
import { StagingLevel, StagingTracer } from '../../src/core/staging'
import { bindMulti, levelDepth, withLevel } from '../../src/core/trace'
import { isZero, type Linear } from '../../src/core/zero'
import { expectClose, f64 } from '../transforms/helpers'

/** `[sin x, cos x]` in one primitive. */
const sincosPrim = definePrimitive({
  name: 'sincos',
  multipleResults: true,
  impl: ([x]: readonly [NdArray], _params: Record<string, never>) => [lax.sin(x), lax.cos(x)],
  shape: ([x]) => [x, x],
  // d sin x = cos x · ẋ, d cos x = −sin x · ẋ
  jvp: ({ outputs: [s, c] }, [xDot]) => {
    const t = xDot as NdArray
    return [lax.mul(c as NdArray, t), lax.neg(lax.mul(s as NdArray, t))]
  },
  // x̄ = s̄ · cos x − c̄ · sin x (either cotangent may be a symbolic zero)
  vjp: ({ outputs: [s, c] }, [sBar, cBar]) => {
    const parts: NdArray[] = []
    if (!isZero(sBar as Linear)) parts.push(lax.mul(sBar as NdArray, c as NdArray))
    if (!isZero(cBar as Linear)) parts.push(lax.neg(lax.mul(cBar as NdArray, s as NdArray)))
    return [parts.length === 1 ? (parts[0] as NdArray) : lax.add(parts[0] as NdArray, parts[1] as NdArray)]
  },
  // element-wise: both results are batched where the input is
  batch: (prim, [x], [b], params) => [bindMulti(prim, [x as NdArray], params), [b ?? null, b ?? null]],
})

const sincos = (x: NdArray): [NdArray, NdArray] => {
  const [s, c] = bindMulti(sincosPrim, [x], {})
  return [s as NdArray, c as NdArray]
}

/** f(x) = Σ sin x · (1 + cos x): uses both results. */
const f = (x: NdArray): NdArray => {
  const [s, c] = sincos(x)
  return sum(mul(s, add(c, 1)))
}
const fPrime = (x: number): number => Math.cos(x) * (1 + Math.cos(x)) - Math.sin(x) ** 2
const xs = [0.3, -1.2, 2]

describe('multipleResults primitives', () => {
  it('evaluate eagerly to one array per result', () => {
    const [s, c] = sincos(f64(xs))
    expectClose(s, xs.map(Math.sin))
    expectClose(c, xs.map(Math.cos))
  })

  it('grad, vjp with a zero cotangent for one result, and grad of grad', () => {
    expectClose(grad(f)(f64(xs)), xs.map(fPrime))
    // only the cosine is used: its sine's cotangent is a symbolic zero
    const [, pullback] = vjp((x: NdArray) => sincos(x)[1], f64(xs))
    expectClose(
      pullback(f64([1, 1, 1]))[0],
      xs.map((x) => -Math.sin(x)),
    )
    // d²/dx² Σ sin x = −sin x
    expectClose(
      grad((x: NdArray) => sum(grad((y: NdArray) => sum(sincos(y)[0]))(x)))(f64(xs)),
      xs.map((x) => -Math.sin(x)),
    )
  })

  it('jvp, linearize and jacfwd', () => {
    const [y, yDot] = jvp(f, [f64(xs)], [f64([1, 0, 2])])
    expectClose(
      y,
      xs.reduce((a, x) => a + Math.sin(x) * (1 + Math.cos(x)), 0),
    )
    expectClose(yDot, fPrime(0.3) + 2 * fPrime(2))
    const [, push] = linearize(f, f64(xs))
    expectClose(push(f64([1, 0, 2])), fPrime(0.3) + 2 * fPrime(2))
    expectClose(jacfwd(f)(f64(xs)), xs.map(fPrime))
  })

  it('vmap batches every result, and per-example gradients', () => {
    const batch = f64([xs, [0, 1, -1]])
    const [s, c] = vmap((x: NdArray) => sincos(x))(batch)
    expectClose(s as NdArray, [xs.map(Math.sin), [0, 1, -1].map(Math.sin)])
    expectClose(c as NdArray, [xs.map(Math.cos), [0, 1, -1].map(Math.cos)])
    expectClose(vmap(grad(f))(batch), [xs.map(fPrime), [0, 1, -1].map(fPrime)])
  })

  it('jit stages and compiles it (with scalar code around it), replaying the same values', () => {
    const g = jit((x: NdArray) => {
      const [s, c] = sincos(mul(x, 2))
      return [add(s, 1), mul(c, c)]
    })
    for (const x of [0.5, -0.25]) {
      for (let call = 0; call < 2; call++) {
        const [a, b] = g(f64(x))
        expectClose(a as NdArray, Math.sin(2 * x) + 1)
        expectClose(b as NdArray, Math.cos(2 * x) ** 2)
      }
    }
    const gj = jit(grad(f))
    gj(f64(xs))
    expectClose(gj(f64(xs)), xs.map(fPrime))
  })

  it('the compiler emits scalar code around it, and the interpreter runs it too', () => {
    const level = new StagingLevel()
    const tape = withLevel(level, () => {
      const [s, c] = sincos(mul(level.input(f64(0.5)), 2))
      const outs = [add(s, 1), mul(c, c)].map((o) => (o as StagingTracer).variable)
      const equations = liveEquations(
        level.equations,
        level.nVars,
        outs.map((v) => v.id),
      )
      return { inputs: level.inputs, equations, outputs: outs }
    })
    const compiled = compileProgram(tape)
    expect([compiled.size, compiled.scalar]).toEqual([4, 3])
    for (const program of [compiled, interpret(tape)]) {
      const [a, b] = program.run([f64(-0.25)])
      expectClose(a as NdArray, Math.sin(-0.5) + 1)
      expectClose(b as NdArray, Math.cos(-0.5) ** 2)
    }
  })

  it('prints, checks and replays on a tape (and the replay differentiates again)', () => {
    const tape = makeTape(f)(f64(xs))
    expect(String(tape)).toMatchInlineSnapshot(`
      "{ lambda a:f64[3] .
        let b:f64[3] c:f64[3] = sincos a
            d:f64[3] = add c 1.0
            e:f64[3] = mul b d
            f:f64[] = reduce_sum[axes=(0,)] e
        in ( f ) }"
    `)
    checkTape(tape)
    expectClose(
      evalTape(tape, f64([1, 2, 3]))[0] as NdArray,
      [1, 2, 3].reduce((a, x) => a + Math.sin(x) * (1 + Math.cos(x)), 0),
    )
    expectClose(grad((x: NdArray) => evalTape(tape, x)[0] as NdArray)(f64(xs)), xs.map(fPrime))
    expect(levelDepth()).toBe(0)
  })
})

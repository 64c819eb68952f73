/**
 * Laws about structure rather than values: shapes and dtypes of outputs, tangents and
 * cotangents; recorded tapes that check and replay; closure of the rules over the registry;
 * `stopGradient`; linearity of linear primitives.
 *
 * @category laws
 * @since 0.1.0
 */
import * as fc from 'fast-check'
import { stopGradient } from '../src/core/lax'
import { multiRegistry, registry } from '../src/core/primitives'
import { checkTape, evalTape } from '../src/core/tape'
import { Zero, isZero, type Linear } from '../src/core/zero'
import { isFloat } from '../src/ndarray/dtype'
import type { NdArray } from '../src/ndarray/NdArray'
import { jvp } from '../src/transforms/jvp'
import { jit } from '../src/transforms/jit'
import { makeTape } from '../src/transforms/makeTape'
import { vjp } from '../src/transforms/vjp'
import type { Law } from './derivatives'
import {
  avalText,
  data,
  describeProbe,
  floatInputs,
  isPrimitiveTarget,
  LawViolation,
  pick,
  probes,
  restrict,
  roundoffTolerance,
  sameAval,
  withValues,
  type Probe,
} from './probe'

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const fail = (law: string, p: Probe, detail: string): never => {
  throw new LawViolation(law, describeProbe(p), detail)
}

/** Bitwise-equal values (NaN equals NaN; 0 and −0 are equal). */
const sameValues = (a: NdArray, b: NdArray): boolean => {
  if (!sameAval(a, b)) return false
  const x = data(a)
  const y = data(b)
  return x.every((v, i) => v === y[i] || (Number.isNaN(v) && Number.isNaN(y[i] as number)))
}

const expectAval = (
  law: string,
  p: Probe,
  what: string,
  got: { readonly shape: ReadonlyArray<number>; readonly dtype: NdArray['dtype'] },
  want: { readonly shape: ReadonlyArray<number>; readonly dtype: NdArray['dtype'] },
): void => {
  if (!sameAval(got, want)) fail(law, p, `${what} is ${avalText(got)}, expected ${avalText(want)}`)
}

// -------------------------------------------------------------------------------------
// laws
// -------------------------------------------------------------------------------------

/**
 * **Shapes and dtypes.** A primitive's `impl` agrees with its shape rule; the output tangent has
 * the output's aval and every cotangent has its input's aval — both through `jvp`/`vjp` and
 * straight from the rules (so a broadcasting rule cannot return an unreduced cotangent).
 *
 * @example
 * import * as fc from 'fast-check'
 * import { shapesAndDtypes, ndarray } from 'wengert/laws'
 * import { add, type NdArray } from 'wengert'
 * const args = fc.tuple(ndarray({ shape: [2, 3] }), ndarray({ shape: [3] }))
 * assert.doesNotThrow(() => fc.assert(shapesAndDtypes((x: NdArray, y: NdArray) => add(x, y), args), { numRuns: 10 }))
 * @category laws
 * @since 0.1.0
 */
export const shapesAndDtypes: Law = (target, instances) =>
  fc.property(probes(target, instances), (p) => {
    const law = 'shapes and dtypes'
    const { inputs, params } = p.instance
    if (isPrimitiveTarget(target)) {
      expectAval(law, p, 'the output of impl', p.output, target.shape(inputs, params))
      // the rules themselves
      const needs = inputs.map((_, i) => p.wrt.includes(i))
      if (p.wrt.length > 0) {
        const ctx = { inputs, output: p.output, params }
        const cts = target.vjp({ ...ctx, needs }, p.cotangent)
        if (cts.length !== inputs.length)
          fail(law, p, `the VJP rule returned ${cts.length} cotangents for ${inputs.length} inputs`)
        cts.forEach((c, i) =>
          expectAval(
            law,
            p,
            `the VJP rule's cotangent of input ${i}${isZero(c) ? ' (symbolic zero)' : ''}`,
            c,
            inputs[i] as NdArray,
          ),
        )
        const tangents: Linear[] = inputs.map((x, i) => (needs[i] === true ? (p.tangents[i] as NdArray) : Zero.like(x)))
        const t = target.jvp(ctx, tangents)
        expectAval(law, p, `the JVP rule's output tangent${isZero(t) ? ' (symbolic zero)' : ''}`, t, p.output)
      }
    }
    if (p.wrt.length === 0) return
    const g = restrict(p, p.wrt)
    const ws = pick(inputs, p.wrt)
    const [, yDot] = jvp(g, ws, pick(p.tangents, p.wrt))
    expectAval(law, p, 'the output tangent of jvp', yDot, p.output)
    const [, pull] = vjp(g, ...ws)
    ;(pull(p.cotangent) as NdArray[]).forEach((c, k) =>
      expectAval(law, p, `the cotangent of input ${p.wrt[k]} from vjp`, c, ws[k] as NdArray),
    )
  })

/**
 * **Replay.** `makeTape(f)(...x)` passes `checkTape`, `evalTape` of it reproduces `f(...x)`
 * bit for bit, so does `jit(f)` (its tracing call and its compiled program), and differentiating
 * the replay gives the same cotangents as differentiating `f`.
 *
 * @example
 * import * as fc from 'fast-check'
 * import { replay, ndarray } from 'wengert/laws'
 * import { exp, mul, sum, type NdArray } from 'wengert'
 * assert.doesNotThrow(() => fc.assert(replay((x: NdArray) => sum(exp(x)), fc.tuple(ndarray())), { numRuns: 10 }))
 * // a function that is not pure cannot be replayed
 * let calls = 0
 * assert.throws(() => fc.assert(replay((x: NdArray) => mul(x, ++calls), fc.tuple(ndarray())), { numRuns: 10 }))
 * @category laws
 * @since 0.1.0
 */
export const replay: Law = (target, instances, options = {}) =>
  fc.property(probes(target, instances), (p) => {
    const law = 'replay'
    const inputs = [...p.instance.inputs]
    const tape = makeTape(p.call)(...inputs)
    try {
      checkTape(tape)
    } catch (e) {
      fail(law, p, `checkTape rejects the recorded tape: ${(e as Error).message}\n${String(tape)}`)
    }
    const [again] = evalTape(tape, ...inputs)
    if (again === undefined || !sameValues(again, p.output))
      fail(law, p, `evalTape gives ${String(again)} but f gives ${String(p.output)}\n${String(tape)}`)
    // jit: the tracing call, then the compiled program
    const jitted = jit(p.call)
    for (const call of ['tracing', 'compiled']) {
      const y = jitted(...inputs)
      if (!sameValues(y, p.output))
        fail(law, p, `jit(f)'s ${call} call gives ${String(y)} but f gives ${String(p.output)}\n${String(tape)}`)
    }
    if (p.wrt.length === 0 || !isFloat(p.output.dtype)) return
    const ws = pick(inputs, p.wrt)
    const replayed = (...xs: NdArray[]): NdArray => {
      const all = [...inputs]
      p.wrt.forEach((i, k) => {
        all[i] = xs[k] as NdArray
      })
      return evalTape(tape, ...all)[0] as NdArray
    }
    const direct = vjp(restrict(p, p.wrt), ...ws)[1](p.cotangent) as NdArray[]
    const viaTape = vjp(replayed, ...ws)[1](p.cotangent) as NdArray[]
    const tol = roundoffTolerance(p, p.wrt, options)
    direct.forEach((d, k) => {
      const a = data(d)
      const b = data(viaTape[k] as NdArray)
      a.forEach((v, i) => {
        if (!(Math.abs(v - (b[i] as number)) <= tol.atol + tol.rtol * Math.abs(v))) {
          fail(
            law,
            p,
            `the cotangent of input ${p.wrt[k]} through the replayed tape is ${String(viaTape[k])}, directly ${String(d)}`,
          )
        }
      })
    })
  })

/**
 * **Closure** (STYLE C3/C4). For a primitive: its VJP and JVP rules, traced onto a tape, record
 * only registered primitives; for a function: its `vjp` and `jvp` do (besides the primitives of
 * its own primal tape, such as a `customVjp` call recomputed by `jvp`). And the recorded tape
 * replays: evaluated at moved inputs (`x + 10⁻³·t`) it gives exactly what the rules give there.
 * A rule that computed something with raw kernels, outside the primitives, bakes a constant
 * into the tape and fails the replay.
 *
 * @example
 * import * as fc from 'fast-check'
 * import { closure, ndarray } from 'wengert/laws'
 * import { customVjp, mul, cos, sin, type NdArray } from 'wengert'
 * const mySin = customVjp(sin, (x) => [sin(x), x], (x, g) => [mul(g, cos(x as NdArray))])
 * assert.doesNotThrow(() => fc.assert(closure((x: NdArray) => mySin(x), fc.tuple(ndarray())), { numRuns: 10 }))
 * @category laws
 * @since 0.1.0
 */
export const closure: Law = (target, instances) =>
  fc.property(probes(target, instances), (p) => {
    const law = 'closure'
    const { inputs, params } = p.instance
    const n = inputs.length
    const wrt = p.wrt
    const rules = (...args: NdArray[]): NdArray[] => {
      const xs = args.slice(0, n)
      const yBar = args[n] as NdArray
      const ts = args.slice(n + 1)
      if (isPrimitiveTarget(target)) {
        const output = p.call(...xs)
        if (wrt.length === 0) return [output]
        const needs = xs.map((_, i) => wrt.includes(i))
        const cts = target.vjp({ inputs: xs, output, params, needs }, yBar)
        const tangent = target.jvp(
          { inputs: xs, output, params },
          xs.map((x, i) => (needs[i] === true ? (ts[i] as NdArray) : Zero.like(x))),
        )
        return [output, ...[...cts, tangent].filter((c): c is NdArray => !isZero(c))]
      }
      if (wrt.length === 0 || !isFloat(p.output.dtype)) return [p.call(...xs)]
      const g = (...ws: NdArray[]): NdArray => {
        const all = [...xs]
        wrt.forEach((i, k) => {
          all[i] = ws[k] as NdArray
        })
        return p.call(...all)
      }
      const ws = pick(xs, wrt)
      return [...(vjp(g, ...ws)[1](yBar) as NdArray[]), jvp(g, ws, pick(ts, wrt))[1]]
    }
    const tape = makeTape(rules)(...inputs, p.cotangent, ...p.tangents)
    // besides registered primitives, the target itself may appear (its primal is recomputed)
    const own = new Set<unknown>(
      isPrimitiveTarget(target) ? [target] : makeTape(p.call)(...inputs).equations.map((e) => e.primitive),
    )
    tape.equations.forEach((eq, i) => {
      const registered =
        registry.get(eq.primitive.name) === eq.primitive || multiRegistry.get(eq.primitive.name) === eq.primitive
      if (!own.has(eq.primitive) && !registered) {
        fail(law, p, `equation ${i} binds ${eq.primitive.name}, which is not a registered primitive\n${String(tape)}`)
      }
    })
    // replay at moved inputs: a value computed outside the primitives is a stale constant there
    const moved = inputs.map((x, i) =>
      isFloat(x.dtype)
        ? withValues(
            x,
            data(x).map((v, j) => v + 1e-3 * (data(p.tangents[i] as NdArray)[j] as number)),
          )
        : x,
    )
    const replayed = evalTape(tape, ...moved, p.cotangent, ...p.tangents)
    const direct = rules(...moved, p.cotangent, ...p.tangents)
    direct.forEach((d, k) => {
      const r = replayed[k]
      if (r === undefined || !sameValues(r, d)) {
        fail(
          law,
          p,
          `result ${k} of the traced rules replays to ${String(r)} at moved inputs, but the rules give ${String(d)} there: part of it was computed outside the primitives\n${String(tape)}`,
        )
      }
    })
  })

/**
 * **stopGradient** blocks derivatives and keeps values: `f(stopGradient(x))` equals `f(x)` and
 * its JVP and VJP are zero.
 *
 * @example
 * import * as fc from 'fast-check'
 * import { stopGradientBlocks, ndarray } from 'wengert/laws'
 * import { sin, type NdArray } from 'wengert'
 * assert.doesNotThrow(() => fc.assert(stopGradientBlocks((x: NdArray) => sin(x), fc.tuple(ndarray())), { numRuns: 10 }))
 * @category laws
 * @since 0.1.0
 */
export const stopGradientBlocks: Law = (target, instances) =>
  fc.property(probes(target, instances), (p) => {
    const law = 'stopGradient'
    const wrt = floatInputs(p)
    const stopped = (...ws: NdArray[]): NdArray => restrict(p, wrt)(...ws.map((w) => stopGradient(w)))
    const ws = pick(p.instance.inputs, wrt)
    const value = stopped(...ws)
    if (!sameValues(value, p.output))
      fail(law, p, `f(stopGradient(x)) = ${String(value)} but f(x) = ${String(p.output)}`)
    if (wrt.length === 0) return
    const [, yDot] = jvp(stopped, ws, pick(p.tangents, wrt))
    if (!data(yDot).every((v) => v === 0))
      fail(law, p, `the tangent through stopGradient is ${String(yDot)}, expected zeros`)
    const xBars = vjp(stopped, ...ws)[1](p.cotangent) as NdArray[]
    if (!xBars.every((c) => data(c).every((v) => v === 0)))
      fail(law, p, `the cotangents through stopGradient are ${xBars.map(String).join(', ')}, expected zeros`)
  })

/**
 * **Linearity** of linear targets (primitives flagged `linear`): `f(a·u + b·v) = a·f(u) + b·f(v)`
 * in all float inputs jointly, up to rounding. With `options.affine` (a reason, e.g. `pad` with
 * a fill value), `x ↦ f(x) − f(0)` is checked instead. Integer and bool outputs are skipped (the
 * derivative laws check those are flat).
 *
 * @example
 * import * as fc from 'fast-check'
 * import { linearity, ndarray } from 'wengert/laws'
 * import { mul, sum, type NdArray } from 'wengert'
 * const args = fc.tuple(ndarray({ shape: [3, 2] }))
 * assert.doesNotThrow(() => fc.assert(linearity((x: NdArray) => sum(x, { axis: 0 }), args), { numRuns: 10 }))
 * assert.throws(() => fc.assert(linearity((x: NdArray) => mul(x, x), args), { numRuns: 10 }))
 * @category laws
 * @since 0.1.0
 */
export const linearity: Law = (target, instances, options = {}) =>
  fc.property(probes(target, instances), (p) => {
    const law = 'linearity'
    const wrt = floatInputs(p)
    if (!isFloat(p.output.dtype) || wrt.length === 0) return
    const g = restrict(p, wrt)
    const us = pick(p.instance.inputs, wrt)
    const vs = pick(p.others, wrt)
    const mixed = us.map((u, k) => {
      const du = data(u)
      const dv = data(vs[k] as NdArray)
      return withValues(
        u,
        du.map((x, i) => p.a * x + p.b * (dv[i] as number)),
      )
    })
    const got = data(g(...mixed))
    const fu = data(g(...us))
    const fv = data(g(...vs))
    const f0 =
      options.affine === undefined ? undefined : data(g(...us.map((u) => withValues(u, new Float64Array(u.size)))))
    const tol = roundoffTolerance(p, wrt, options)
    got.forEach((y, i) => {
      const c0 = f0 === undefined ? 0 : (1 - p.a - p.b) * (f0[i] as number)
      const e = p.a * (fu[i] as number) + p.b * (fv[i] as number) + c0
      const scale = Math.abs(p.a * (fu[i] as number)) + Math.abs(p.b * (fv[i] as number)) + Math.abs(c0) + Math.abs(y)
      if (!(Math.abs(y - e) <= tol.atol + tol.rtol * scale)) {
        fail(
          law,
          p,
          `flat element ${i}: f(a·u + b·v) = ${y} but a·f(u) + b·f(v)${f0 === undefined ? '' : ' + (1 − a − b)·f(0)'} = ${e} (a = ${p.a}, b = ${p.b})`,
        )
      }
    })
  })

/**
 * Laws about derivative values: VJP and JVP against central differences, JVP/VJP adjointness,
 * linearity of the VJP in its cotangent, second order, and zero derivatives. Each law is a
 * function of a target and an arbitrary of its instances, returning a fast-check property.
 *
 * @category laws
 * @since 0.1.0
 */
import * as fc from 'fast-check'
import {
  innerProduct,
  numericalJacobian,
  numericalJvp,
  worstMismatch,
  type Mismatch,
} from '../src/check/finiteDifferences'
import { isFloat } from '../src/ndarray/dtype'
import { NdArray } from '../src/ndarray/NdArray'
import { jvp } from '../src/transforms/jvp'
import { vjp } from '../src/transforms/vjp'
import {
  data,
  describeProbe,
  fdTolerance,
  floatInputs,
  LawViolation,
  pick,
  probes,
  restrict,
  roundoffTolerance,
  withValues,
  type Instance,
  type LawOptions,
  type LawTarget,
  type Probe,
} from './probe'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A law: given a target, an arbitrary of its instances (or of plain argument tuples) and
 * options, a fast-check property to run with `fc.assert`.
 *
 * @category laws
 * @since 0.1.0
 */
export type Law = (
  target: LawTarget,
  instances: fc.Arbitrary<Instance | ReadonlyArray<NdArray>>,
  options?: LawOptions,
) => fc.IPropertyWithHooks<[Probe]>

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const fmt = (v: number): string =>
  Number.isFinite(v) && v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6) ? v.toExponential(4) : String(v)

const fail = (law: string, p: Probe, detail: string): never => {
  throw new LawViolation(law, describeProbe(p), detail)
}

const mismatchText = (m: Mismatch, what: ReadonlyArray<string>, expected: string, got: string): string =>
  `${what[m.array] ?? `array ${m.array}`}, element [${m.index.join(', ')}]: expected ${fmt(m.expected)} (${expected}) but got ${fmt(m.got)} (${got}); |difference| ${fmt(m.error)} > allowed ${fmt(m.allowed)}`

const expectClose = (
  law: string,
  p: Probe,
  expected: ReadonlyArray<NdArray>,
  got: ReadonlyArray<NdArray>,
  tol: { readonly atol: number; readonly rtol: number },
  labels: { readonly what: ReadonlyArray<string>; readonly expected: string; readonly got: string },
): void => {
  const m = worstMismatch(expected, got, tol)
  if (m !== undefined) fail(law, p, mismatchText(m, labels.what, labels.expected, labels.got))
}

const expectInner = (
  law: string,
  p: Probe,
  lhs: { readonly value: number; readonly scale: number },
  rhs: { readonly value: number; readonly scale: number },
  tol: { readonly atol: number; readonly rtol: number },
  labels: readonly [string, string],
): void => {
  const allowed = tol.atol + tol.rtol * Math.max(lhs.scale, rhs.scale)
  const error = Math.abs(lhs.value - rhs.value)
  if (!(error <= allowed)) {
    fail(
      law,
      p,
      `${labels[0]} = ${fmt(lhs.value)} but ${labels[1]} = ${fmt(rhs.value)}; |difference| ${fmt(error)} > allowed ${fmt(allowed)}`,
    )
  }
}

const isAllZero = (xs: ReadonlyArray<NdArray>): boolean => xs.every((x) => data(x).every((v) => v === 0))

const argLabels = (wrt: ReadonlyArray<number>): string[] => wrt.map((i) => `input ${i}`)

/** Checks that forward and reverse mode give exactly zero (non-float outputs, flat primitives). */
const expectZeroDerivative = (law: string, p: Probe, wrt: ReadonlyArray<number>): void => {
  if (wrt.length === 0 && (p.instance.fixed ?? []).length > 0) return // every float input is held fixed
  if (wrt.length === 0) {
    // no float input: forward mode must still give a zero tangent (non-float primals are constants)
    const [, yDot] = jvp(p.call, [...p.instance.inputs], [...p.instance.inputs])
    if (!isAllZero([yDot])) fail(law, p, `the output tangent is ${String(yDot)}, expected zeros`)
    return
  }
  const g = restrict(p, wrt)
  const ws = pick(p.instance.inputs, wrt)
  const [, yDot] = jvp(g, ws, pick(p.tangents, wrt))
  if (!isAllZero([yDot])) fail(law, p, `forward mode gives the tangent ${String(yDot)}, expected zeros`)
  const [, pull] = vjp(g, ...ws)
  const xBars = pull(p.cotangent) as NdArray[]
  if (!isAllZero(xBars))
    fail(law, p, `reverse mode gives the cotangents ${xBars.map(String).join(', ')}, expected zeros`)
}

/** The differentiable view of a probe: the float inputs differentiated, the function restricted to them, their values and tangents. */
interface Restricted {
  readonly wrt: ReadonlyArray<number>
  readonly g: (...xs: NdArray[]) => NdArray
  readonly ws: NdArray[]
  readonly ts: NdArray[]
}

/**
 * The common start of every derivative law: with no float input to differentiate or a non-float
 * output, the law becomes the zero-derivative check and there is nothing else to do (undefined).
 */
const restricted = (law: string, p: Probe): Restricted | undefined => {
  const wrt = p.wrt
  if (wrt.length === 0 || !isFloat(p.output.dtype)) {
    expectZeroDerivative(law, p, wrt)
    return undefined
  }
  return { wrt, g: restrict(p, wrt), ws: pick(p.instance.inputs, wrt), ts: pick(p.tangents, wrt) }
}

/** A one-hot array of `like`'s shape and dtype. */
const basis = (like: NdArray, i: number): NdArray => {
  const v = new Float64Array(like.size)
  v[i] = 1
  return withValues(like, v)
}

// -------------------------------------------------------------------------------------
// laws
// -------------------------------------------------------------------------------------

/**
 * **VJP against central differences.** The dot-product test `⟨ȳ, J·t⟩ ≈ ⟨Jᵀȳ, t⟩` with `J·t`
 * by central differences and `Jᵀȳ` from reverse mode, for random `t`, `ȳ` and a random subset
 * of float inputs; and, when inputs × outputs is small, the whole Jacobian built from VJPs of
 * one-hot cotangents against the central-difference Jacobian. Integer- or bool-valued outputs
 * must get a zero derivative.
 *
 * @example
 * import * as fc from 'fast-check'
 * import { vjpMatchesFiniteDifferences, ndarray } from 'wengert/laws'
 * import { customVjp, mul, sin, type NdArray } from 'wengert'
 * const args = fc.tuple(ndarray({ shape: [3] }))
 * const f = (x: NdArray) => mul(sin(x), x)
 * assert.doesNotThrow(() => fc.assert(vjpMatchesFiniteDifferences(f, args), { numRuns: 10 }))
 * // a VJP that forgot cos(x)
 * const bad = customVjp(sin, (x) => [sin(x), x], (_, g) => [g])
 * assert.throws(() => fc.assert(vjpMatchesFiniteDifferences((x: NdArray) => bad(x), args), { numRuns: 10 }))
 * @category laws
 * @since 0.1.0
 */
export const vjpMatchesFiniteDifferences: Law = (target, instances, options = {}) =>
  fc.property(probes(target, instances), (p) => {
    const law = 'VJP against finite differences'
    const r = restricted(law, p)
    if (r === undefined) return
    const { wrt, g, ws, ts } = r
    const tol = fdTolerance(p, wrt, options)
    const [, pull] = vjp(g, ...ws)
    const xBars = pull(p.cotangent) as NdArray[]
    const yDot = numericalJvp(g, ws, ts, { eps: tol.eps })
    expectInner(law, p, innerProduct([p.cotangent], [yDot]), innerProduct(xBars, ts), tol, [
      '⟨ȳ, J·t⟩ by central differences',
      '⟨Jᵀȳ, t⟩ by reverse mode',
    ])
    // the full Jacobian, row by row, for small cases
    const nIn = ws.reduce((s, w) => s + w.size, 0)
    const nOut = p.output.size
    if (nIn * nOut > (options.maxJacobianEntries ?? 36) || nOut === 0) return
    const rows = Array.from({ length: nOut }, (_, o) => pull(basis(p.output, o)) as NdArray[])
    ws.forEach((w, k) => {
      const jac = new Float64Array(nOut * w.size)
      rows.forEach((row, o) => jac.set(data(row[k] as NdArray), o * w.size))
      const expected = numericalJacobian(g, ws, { argnum: k, eps: tol.eps })
      const got = new NdArray(expected.shape, 'float64', jac)
      expectClose(law, p, [expected], [got], tol, {
        what: [`Jacobian with respect to input ${wrt[k]} (output index ++ input index)`],
        expected: 'central differences',
        got: 'reverse mode',
      })
    })
  })

/**
 * **JVP against central differences.** `jvp(f)(x, t)` equals `(f(x + h·t) − f(x − h·t)) / 2h`
 * element by element (and its primal output equals `f(x)`), for random `t` on a random subset
 * of float inputs. Integer- or bool-valued outputs must get a zero tangent.
 *
 * @example
 * import * as fc from 'fast-check'
 * import { jvpMatchesFiniteDifferences, ndarray } from 'wengert/laws'
 * import { exp, type NdArray } from 'wengert'
 * assert.doesNotThrow(() => fc.assert(jvpMatchesFiniteDifferences((x: NdArray) => exp(x), fc.tuple(ndarray({ shape: [2] }))), { numRuns: 10 }))
 * @category laws
 * @since 0.1.0
 */
export const jvpMatchesFiniteDifferences: Law = (target, instances, options = {}) =>
  fc.property(probes(target, instances), (p) => {
    const law = 'JVP against finite differences'
    const r = restricted(law, p)
    if (r === undefined) return
    const { wrt, g, ws, ts } = r
    const tol = fdTolerance(p, wrt, options)
    const [y, yDot] = jvp(g, ws, ts)
    expectClose(
      law,
      p,
      [p.output],
      [y],
      { atol: 0, rtol: 0 },
      { what: ['primal output'], expected: 'f(x)', got: 'jvp' },
    )
    const expected = numericalJvp(g, ws, ts, { eps: tol.eps })
    expectClose(law, p, [expected], [yDot], tol, {
      what: ['output tangent'],
      expected: 'central differences',
      got: 'forward mode',
    })
  })

/**
 * **JVP/VJP adjointness.** `⟨ȳ, jvp(t)⟩ = ⟨vjp(ȳ), t⟩` up to rounding: no finite differences,
 * so the tolerance is tight, and it ties the two rules of one definition together.
 *
 * @example
 * import * as fc from 'fast-check'
 * import { jvpVjpAdjoint, ndarray } from 'wengert/laws'
 * import { matmul, type NdArray } from 'wengert'
 * const args = fc.tuple(ndarray({ shape: [2, 3] }), ndarray({ shape: [3, 2] }))
 * assert.doesNotThrow(() => fc.assert(jvpVjpAdjoint((a: NdArray, b: NdArray) => matmul(a, b), args), { numRuns: 10 }))
 * @category laws
 * @since 0.1.0
 */
export const jvpVjpAdjoint: Law = (target, instances, options = {}) =>
  fc.property(probes(target, instances), (p) => {
    const law = 'JVP/VJP adjointness'
    const r = restricted(law, p)
    if (r === undefined) return
    const { wrt, g, ws, ts } = r
    const [, yDot] = jvp(g, ws, ts)
    const [, pull] = vjp(g, ...ws)
    const xBars = pull(p.cotangent) as NdArray[]
    expectInner(
      law,
      p,
      innerProduct([p.cotangent], [yDot]),
      innerProduct(xBars, ts),
      roundoffTolerance(p, wrt, options),
      ['⟨ȳ, J·t⟩ by forward mode', '⟨Jᵀȳ, t⟩ by reverse mode'],
    )
  })

/**
 * **The VJP is linear in the cotangent.** `vjp(a·ȳ₁ + b·ȳ₂) = a·vjp(ȳ₁) + b·vjp(ȳ₂)` up to
 * rounding, element by element.
 *
 * @example
 * import * as fc from 'fast-check'
 * import { vjpLinearInCotangent, ndarray } from 'wengert/laws'
 * import { tanh, type NdArray } from 'wengert'
 * assert.doesNotThrow(() => fc.assert(vjpLinearInCotangent((x: NdArray) => tanh(x), fc.tuple(ndarray())), { numRuns: 10 }))
 * @category laws
 * @since 0.1.0
 */
export const vjpLinearInCotangent: Law = (target, instances, options = {}) =>
  fc.property(probes(target, instances), (p) => {
    const law = 'VJP linear in the cotangent'
    const r = restricted(law, p)
    if (r === undefined) return
    const { wrt, g, ws } = r
    const tol = roundoffTolerance(p, wrt, options)
    const [, pull] = vjp(g, ...ws)
    const c1 = data(p.cotangent)
    const c2 = data(p.cotangent2)
    const mixed = withValues(
      p.cotangent,
      c1.map((v, i) => p.a * v + p.b * (c2[i] as number)),
    )
    const lhs = pull(mixed) as NdArray[]
    const r1 = (pull(p.cotangent) as NdArray[]).map(data)
    const r2 = (pull(p.cotangent2) as NdArray[]).map(data)
    lhs.forEach((l, k) => {
      const got = data(l)
      const x1 = r1[k] as Float64Array
      const x2 = r2[k] as Float64Array
      for (let i = 0; i < got.length; i++) {
        const e = p.a * (x1[i] as number) + p.b * (x2[i] as number)
        const allowed =
          tol.atol +
          tol.rtol *
            (Math.abs(p.a * (x1[i] as number)) + Math.abs(p.b * (x2[i] as number)) + Math.abs(got[i] as number))
        if (!(Math.abs((got[i] as number) - e) <= allowed)) {
          fail(
            law,
            p,
            `input ${wrt[k]}, flat element ${i}: vjp(a·ȳ₁ + b·ȳ₂) = ${fmt(got[i] as number)} but a·vjp(ȳ₁) + b·vjp(ȳ₂) = ${fmt(e)} (a = ${p.a}, b = ${p.b})`,
          )
        }
      }
    })
  })

/**
 * Checks a derived function `D` (a VJP or JVP function) at first order, as `checkGrads` does at
 * order 2: forward mode against central differences element by element, and reverse mode
 * against both by the dot-product test.
 */
const checkDerived = (
  law: string,
  p: Probe,
  D: (...xs: NdArray[]) => NdArray[],
  xs: ReadonlyArray<NdArray>,
  ts: ReadonlyArray<NdArray>,
  ss: ReadonlyArray<NdArray>,
  labels: { readonly what: ReadonlyArray<string>; readonly fwd: string; readonly rev: string },
  tol: { readonly atol: number; readonly rtol: number; readonly eps: number },
  roundoffRtol: number,
): void => {
  const [, forward] = jvp(D, [...xs], [...ts])
  const numeric = numericalJvp(D, xs, ts, { eps: tol.eps })
  expectClose(law, p, numeric, forward, tol, { what: labels.what, expected: 'central differences', got: labels.fwd })
  const reverse = vjp(D, ...xs)[1]([...ss]) as NdArray[]
  const rev = innerProduct(reverse, ts)
  expectInner(law, p, innerProduct(ss, forward), rev, { atol: tol.atol, rtol: roundoffRtol * 100 }, [
    `⟨s, D′·t⟩ by ${labels.fwd}`,
    `⟨D′ᵀs, t⟩ by ${labels.rev}`,
  ])
  expectInner(law, p, innerProduct(ss, numeric), rev, tol, [
    '⟨s, D′·t⟩ by central differences',
    `⟨D′ᵀs, t⟩ by ${labels.rev}`,
  ])
}

/**
 * **Second order.** The VJP function `G(x, ȳ) = vjp(f)(x)(ȳ)` and the JVP function
 * `F(x, t) = jvp(f)(x, t)` are themselves differentiated correctly: forward over reverse (and
 * forward over forward) equals central differences of them element by element, and reverse over
 * reverse (and reverse over forward) agrees by the dot-product test. Both the primal and the
 * cotangent (tangent) are perturbed, so rules that treat either as a constant are caught.
 *
 * @example
 * import * as fc from 'fast-check'
 * import { secondOrder, ndarray } from 'wengert/laws'
 * import { cos, customVjp, mul, sin, stopGradient, type NdArray } from 'wengert'
 * const args = fc.tuple(ndarray({ shape: [2] }))
 * assert.doesNotThrow(() => fc.assert(secondOrder((x: NdArray) => mul(sin(x), x), args), { numRuns: 5 }))
 * // right at first order, but its VJP is not differentiable
 * const frozen = customVjp(sin, (x) => [sin(x), x], (x, g) => [mul(g, cos(stopGradient(x as NdArray)))])
 * assert.throws(() => fc.assert(secondOrder((x: NdArray) => frozen(x), args), { numRuns: 10 }))
 * @category laws
 * @since 0.1.0
 */
export const secondOrder: Law = (target, instances, options = {}) =>
  fc.property(probes(target, instances), (p) => {
    const law = 'second order'
    const r = restricted(law, p)
    if (r === undefined) return
    const { wrt, g, ws, ts } = r
    const tol = fdTolerance(p, wrt, options)
    const rtol = roundoffTolerance(p, wrt, options).rtol
    const k = wrt.length
    const ss = pick(p.tangents2, wrt)
    const vs = pick(p.others, wrt)
    const names = argLabels(wrt)
    // reverse: G(x, ȳ) = Jᵀ(x)·ȳ, perturbed along (t, ȳ₂)
    const G = (...a: NdArray[]): NdArray[] => vjp(g, ...a.slice(0, k))[1](a[k] as NdArray) as NdArray[]
    checkDerived(
      law,
      p,
      G,
      [...ws, p.cotangent],
      [...ts, p.cotangent2],
      ss,
      {
        what: names.map((l) => `derivative of the VJP's cotangent on ${l}`),
        fwd: 'forward over reverse',
        rev: 'reverse over reverse',
      },
      tol,
      rtol,
    )
    // forward: F(x, t) = J(x)·t, perturbed along (s, v)
    const F = (...a: NdArray[]): NdArray[] => [jvp(g, a.slice(0, k), a.slice(k))[1]]
    checkDerived(
      law,
      p,
      F,
      [...ws, ...ts],
      [...ss, ...vs],
      [p.cotangent2],
      {
        what: ["derivative of the JVP's output tangent"],
        fwd: 'forward over forward',
        rev: 'reverse over forward',
      },
      tol,
      rtol,
    )
  })

/**
 * **Zero derivative.** For piecewise-constant and integer- or bool-valued targets (primitives
 * with `derivative: 'none'`): forward and reverse mode give exactly zero.
 *
 * @example
 * import * as fc from 'fast-check'
 * import { zeroDerivative, ndarray } from 'wengert/laws'
 * import { floor, type NdArray } from 'wengert'
 * assert.doesNotThrow(() => fc.assert(zeroDerivative((x: NdArray) => floor(x), fc.tuple(ndarray())), { numRuns: 10 }))
 * @category laws
 * @since 0.1.0
 */
export const zeroDerivative: Law = (target, instances) =>
  fc.property(probes(target, instances), (p) =>
    expectZeroDerivative('zero derivative', p, p.wrt.length > 0 ? floatInputs(p) : []),
  )

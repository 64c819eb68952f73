/**
 * The scalar special-function kernels against test/fixtures/special/special.json, made by
 * scripts/fixtures/special.py from SciPy 1.10 and mpmath 1.2 (60 digits):
 * - where SciPy's value is NaN, ±inf or ±0 (poles, infinities, domain edges, underflow), the
 *   kernel must give exactly that value, signed zeros included, except the few documented
 *   deviations below where SciPy's value is an artifact;
 * - elsewhere the kernel's relative error against mpmath must stay under the bound measured for
 *   it (the bounds the header of src/ndarray/kernels/special.ts states).
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import * as special from '../../src/ndarray/kernels/special'

type Encoded = number | 'nan' | 'inf' | '-inf' | '-0'
interface Row {
  readonly args: ReadonlyArray<Encoded>
  readonly scipy: Encoded
  readonly mp: number | null
}
interface Fixture {
  readonly scipy: string
  readonly mpmath: string
  readonly functions: { readonly [name: string]: ReadonlyArray<Row> }
}

const HERE = dirname(fileURLToPath(import.meta.url))
const FIXTURE = JSON.parse(readFileSync(join(HERE, '../fixtures/special/special.json'), 'utf8')) as Fixture
const decode = (v: Encoded): number =>
  v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === '-0' ? -0 : v

type Kernel = (...args: number[]) => number
interface Spec {
  readonly f: Kernel
  /** Largest relative error against mpmath allowed (measured, rounded up). */
  readonly rtol: number
  /**
   * Rows judged by a looser bound, with the reason: where the function itself is ill-conditioned
   * (a relative change ε of the argument changes the value by far more than ε), no float64
   * algorithm can do better than the condition number allows.
   */
  readonly loose?: { readonly when: (...args: number[]) => boolean; readonly rtol: number; readonly why: string }
}

const negativeArgument = (...args: number[]): boolean => (args[args.length - 1] ?? 0) < 0
const SPECS: { readonly [name: string]: Spec } = {
  gammaln: {
    f: special.gammaln,
    rtol: 5e-16,
    loose: { when: negativeArgument, rtol: 1e-11, why: 'log|Γ| has zeros at −2.457…, −2.747…, …' },
  },
  digamma: {
    f: special.digamma,
    rtol: 1.5e-15,
    loose: { when: negativeArgument, rtol: 1e-13, why: 'ψ has a zero in each (−n − 1, −n)' },
  },
  polygamma: {
    f: special.polygamma,
    rtol: 1.5e-15,
    loose: { when: negativeArgument, rtol: 1e-8, why: 'ψ⁽ⁿ⁾ at x < 0 sums terms of opposite signs' },
  },
  zeta: {
    f: special.zeta,
    rtol: 1.5e-15,
    loose: { when: negativeArgument, rtol: 1e-8, why: 'ζ(s, q < 0) sums terms of opposite signs' },
  },
  erf: { f: special.erf, rtol: 5e-16 },
  erfc: { f: special.erfc, rtol: 1.5e-15 },
  erfcx: { f: special.erfcx, rtol: 1.5e-15 },
  erfinv: { f: special.erfinv, rtol: 7e-16 },
  erfcinv: { f: special.erfcinv, rtol: 7e-16 },
  ndtr: { f: special.ndtr, rtol: 1.5e-15 },
  log_ndtr: { f: special.logNdtr, rtol: 1.5e-15 },
  ndtri: { f: special.ndtri, rtol: 1.5e-15 },
  i0e: { f: special.i0e, rtol: 1e-15 },
  i1e: { f: special.i1e, rtol: 1e-15 },
  gammainc: {
    f: special.gammainc,
    rtol: 1e-14, // near x = a for a = 1e5: rounding in the O(√a) terms of the series
    loose: {
      when: (a, x) => Math.abs(x - a) > 0.05 * a && a >= 50,
      rtol: 3e-13,
      why: 'far from x = a the value is exp of an exponent ≈ a·(log(x/a) − (x − a)/a): its condition number',
    },
  },
  gammaincc: {
    f: special.gammaincc,
    rtol: 1e-14,
    loose: {
      when: (a, x) => Math.abs(x - a) > 0.05 * a && a >= 50,
      rtol: 3e-13,
      why: 'far from x = a the value is exp of an exponent ≈ a·(log(x/a) − (x − a)/a): its condition number',
    },
  },
  xlogy: { f: special.xlogy, rtol: 3e-16 },
  xlog1py: { f: special.xlog1py, rtol: 3e-16 },
  entr: { f: special.entr, rtol: 3e-16 },
  logit: { f: special.logit, rtol: 3e-16 },
  expit: { f: special.expit, rtol: 3e-16 },
}

/** Where wengert's value differs from SciPy 1.10's on purpose: SciPy's is an artifact there. */
const DEVIATIONS: ReadonlyArray<{
  readonly name: string
  readonly when: (...args: number[]) => boolean
  readonly why: string
}> = [
  { name: 'gammaln', when: (x) => x > 0 && x < 2 ** -1022, why: 'SciPy overflows 1/x; log Γ(x) = −log x here' },
  { name: 'zeta', when: (s, q) => s === Infinity && q > 1, why: 'SciPy computes 0/0 in its loop; (q + k)^−∞ = 0' },
  { name: 'erfcinv', when: (q) => q > 0 && q < 1e-323, why: 'SciPy halves q to 0 first; the root is finite' },
  { name: 'expit', when: (x) => x < -744 && x > -746, why: 'SciPy rounds 1/(1 + e^745) to 0; e^−745 is subnormal' },
]

const deviation = (name: string, args: ReadonlyArray<number>): boolean =>
  DEVIATIONS.some((d) => d.name === name && d.when(...args))

describe.each(Object.keys(FIXTURE.functions))('%s', (name) => {
  const rows = FIXTURE.functions[name] ?? []
  const spec = SPECS[name]
  if (spec === undefined) throw new Error(`no spec for ${name}`)

  it('matches SciPy exactly at poles, infinities, NaN, domain edges and underflow', () => {
    const wrong: string[] = []
    for (const row of rows) {
      const args = row.args.map(decode)
      const want = decode(row.scipy)
      if ((Number.isFinite(want) && want !== 0) || deviation(name, args)) continue
      const got = spec.f(...args)
      if (!Object.is(got, want)) wrong.push(`${name}(${args.join(', ')}) = ${got}, SciPy ${want}`)
    }
    expect(wrong).toEqual([])
  })

  it(`is accurate against mpmath (rtol ${spec.rtol})`, () => {
    // Arrange
    const wrong: string[] = []
    let checked = 0
    // Act
    for (const row of rows) {
      const args = row.args.map(decode)
      const want = decode(row.scipy)
      if (!Number.isFinite(want) || want === 0 || deviation(name, args)) continue
      const got = spec.f(...args)
      const exact = row.mp ?? want // no mpmath value (rare): SciPy's, to 1e−13
      const rtol = row.mp === null ? 1e-13 : spec.loose?.when(...args) ? spec.loose.rtol : spec.rtol
      // subnormal results have fewer digits: their error is judged against the smallest normal
      const err = Math.abs(got - exact) / Math.max(Math.abs(exact), 2 ** -1022)
      checked++
      if (!(err <= rtol)) wrong.push(`${name}(${args.join(', ')}) = ${got}, exact ${exact} (relative error ${err})`)
    }
    // Assert
    expect(wrong).toEqual([])
    expect(checked).toBeGreaterThan(5)
  })
})

describe('documented deviations from SciPy', () => {
  it.each(DEVIATIONS.map((d) => [d.name, d.why, d] as const))('%s: %s', (name) => {
    const rows = (FIXTURE.functions[name] ?? []).filter((r) => deviation(name, r.args.map(decode)))
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      const got = SPECS[name]?.f(...row.args.map(decode)) ?? NaN
      if (row.mp !== null) expect(Math.abs(got - row.mp)).toBeLessThanOrEqual(1e-15 * Math.abs(row.mp))
      else expect(Number.isFinite(got)).toBe(true)
    }
  })
})

describe('identities', () => {
  it('polygamma(0, x) is digamma and polygamma(n, x) is NaN for non-integer or negative n', () => {
    expect(special.polygamma(0, 3.5)).toBe(special.digamma(3.5))
    expect(special.polygamma(1.5, 2)).toBeNaN()
    expect(special.polygamma(-1, 2)).toBeNaN()
  })

  it('erf and erfc are odd and complementary; the inverses invert where the forward map keeps the digits', () => {
    for (const x of [-3, -0.7, -1e-9, 0.2, 0.9, 1.7, 4]) {
      expect(special.erf(-x)).toBe(-special.erf(x))
      expect(special.erf(x) + special.erfc(x)).toBeCloseTo(1, 15)
    }
    for (const x of [-0.7, -1e-9, 0.2, 0.9]) expect(special.erfinv(special.erf(x))).toBeCloseTo(x, 14)
    for (const x of [0.2, 0.9, 1.7, 4, 20]) expect(special.erfcinv(special.erfc(x)) / x).toBeCloseTo(1, 14)
    for (const x of [-30, -4, -1.7, -0.2]) expect(special.ndtri(special.ndtr(x)) / x).toBeCloseTo(1, 14)
  })

  it('gammainc + gammaincc = 1 and x·log y conventions', () => {
    for (const [a, x] of [
      [0.3, 0.2],
      [2, 5],
      [50, 49],
      [1e4, 1.01e4],
    ] as const) {
      expect(special.gammainc(a, x) + special.gammaincc(a, x)).toBeCloseTo(1, 14)
    }
    expect(special.xlogy(0, 0)).toBe(0)
    expect(special.xlog1py(0, -1)).toBe(0)
    expect(special.entr(0)).toBe(0)
  })
})

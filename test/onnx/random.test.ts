/**
 * Random draws exported to ONNX (threefry from uint32 operators, opset 18) and run in ONNX
 * Runtime: the bit-level samplers (bits, split, foldIn, uniform, randint, permutation) give
 * wengert's eager values exactly, eagerly traced, under jit and under vmap over split keys.
 */
import { describe, expect, it } from 'vitest'
import { array, grad, jit, matmul, maximum, random, scipy, sum, vmap, where, type NdArray } from 'wengert'
import { exportOnnx, OnnxExportError } from 'wengert/onnx'
import { expectClose, flat, grid, runOrt } from '../helpers/ort'

const OPSET = { opsetVersion: 18 }

/** Exports `f` at `args`, runs it in ONNX Runtime and returns the output's values. */
const roundTrip = async (f: (...xs: NdArray[]) => NdArray, args: ReadonlyArray<NdArray>): Promise<number[]> => {
  const bytes = exportOnnx(f, args.slice(), OPSET)
  const out = await runOrt(bytes, Object.fromEntries(args.map((a, i) => [`arg${i}`, a])))
  return out.output ?? []
}

/** Keys with high words set (the interesting half of the uint32 arithmetic). */
const keys = [random.key(0), random.key(42), random.key(-1), random.foldIn(random.key(7), 123456789)]

describe('bit-level samplers exported to ONNX equal wengert exactly', () => {
  const cases: ReadonlyArray<readonly [string, (k: NdArray) => NdArray]> = [
    ['bits [3, 5]', (k) => random.bits(k, [3, 5])],
    ['bits of a scalar shape', (k) => random.bits(k)],
    ['split into 4', (k) => random.split(k, 4)],
    ['split into [2, 3]', (k) => random.split(k, [2, 3])],
    ['foldIn', (k) => random.foldIn(k, 3000000000)],
    ['uniform float32 [4, 6]', (k) => random.uniform(k, [4, 6])],
    ['uniform float64 [7]', (k) => random.uniform(k, [7], { dtype: 'float64' })],
    ['uniform on [-2, 5)', (k) => random.uniform(k, [9], { minval: -2, maxval: 5 })],
    ['bernoulli', (k) => random.bernoulli(k, 0.3, [20])],
    ['randint [-5, 17) int32', (k) => random.randint(k, [6, 4], -5, 17)],
    ['randint wide span int64', (k) => random.randint(k, [8], -3e9, 2e9, { dtype: 'int64' })],
    ['randint empty range gives minval', (k) => random.randint(k, [3], 4, 2)],
    ['permutation of 10', (k) => random.permutation(k, 10)],
    ['split then uniform', (k) => random.uniform(random.split(k, 3)[1] as NdArray, [5])],
  ]
  it.each(cases)('%s', async (_, f) => {
    for (const k of keys) expect(await roundTrip(f, [k])).toEqual(flat(f(k)))
  })

  it('independent permutations of 2000 elements (two shuffle rounds), along either axis', async () => {
    const x = array(
      Array.from({ length: 2000 }, (_, i) => i),
      { dtype: 'int32' },
    ).reshape([40, 50])
    const ind = (k: NdArray, y: NdArray): NdArray => random.permutation(k, y, { axis: 1, independent: true })
    expect(await roundTrip(ind, [keys[1] as NdArray, x])).toEqual(flat(ind(keys[1] as NdArray, x)))
    const cols = (k: NdArray, y: NdArray): NdArray => random.permutation(k, y, { axis: 0, independent: true })
    expect(await roundTrip(cols, [keys[2] as NdArray, x])).toEqual(flat(cols(keys[2] as NdArray, x)))
  })

  it('foldIn by a traced datum', async () => {
    const f = (k: NdArray, d: NdArray): NdArray => random.bits(random.foldIn(k, d), [4])
    const d = array(987654321, { dtype: 'int64' })
    expect(await roundTrip(f, [keys[0] as NdArray, d])).toEqual(flat(f(keys[0] as NdArray, d)))
  })
})

describe('under jit and vmap', () => {
  it('jit((key, x) => x + uniform(key))', async () => {
    const f = jit((k: NdArray, x: NdArray) => x.add(random.uniform(k, [2, 3])))
    const x = array([
      [1, 2, 3],
      [4, 5, 6],
    ])
    expect(await roundTrip(f, [keys[1] as NdArray, x])).toEqual(flat(f(keys[1] as NdArray, x)))
  })

  it('jit((key, x) => x + normal(key)) and vmap of normal over split keys (1e-6)', async () => {
    const x = grid([3, 4], (i) => i - 5)
    const f = jit((k: NdArray, y: NdArray) => y.add(random.normal(k, [3, 4])))
    expectClose(await roundTrip(f, [keys[2] as NdArray, x]), f(keys[2] as NdArray, x), 1e-6)
    const g = (k: NdArray): NdArray => vmap((kk: NdArray) => random.normal(kk, [2]))(random.split(k, 5))
    expectClose(await roundTrip(g, [keys[3] as NdArray]), g(keys[3] as NdArray), 1e-6)
  })

  it('vmap over split keys: per-example uniform, bits and randint', async () => {
    const f = (k: NdArray): NdArray => {
      const ks = random.split(k, 5)
      const u = vmap((kk: NdArray) => random.uniform(kk, [3]))(ks)
      const b = vmap((kk: NdArray) => random.bits(kk, [2]))(ks)
      const r = vmap((kk: NdArray) => random.randint(kk, [3], 0, 100, { dtype: 'int64' }))(ks)
      return u.add(b.sum({ axis: 1, keepdims: true }).astype('float32')).add(r.astype('float32'))
    }
    for (const k of keys) expect(await roundTrip(jit(f), [k])).toEqual(flat(f(k)))
  })

  it('a dynamic key batch: exported at 4 keys, run at 7 (uniform and permutation per key)', async () => {
    const dyn = { ...OPSET, dynamicAxes: { arg0: { 0: 'batch' } } }
    const ks7 = random.split(keys[2] as NdArray, 7)
    const fs = [
      (ks: NdArray): NdArray => vmap((k: NdArray) => random.uniform(k, [3]))(ks),
      (ks: NdArray): NdArray => vmap((k: NdArray) => random.permutation(k, 9))(ks),
    ]
    for (const f of fs) {
      const bytes = exportOnnx(f, [random.split(keys[1] as NdArray, 4)], dyn)
      expect((await runOrt(bytes, { arg0: ks7 })).output).toEqual(flat(f(ks7)))
    }
  })

  it('vmap over a key batch given as the input (permutations per key)', async () => {
    const f = vmap((k: NdArray) => random.permutation(k, 12))
    const ks = random.split(keys[3] as NdArray, 6)
    expect(await roundTrip(f, [ks])).toEqual(flat(f(ks)))
  })
})

/** The largest relative error |got − want|/max(|want|, 1e-30) (want finite). */
const maxRel = (got: ReadonlyArray<number>, want: NdArray): number =>
  flat(want).reduce((m, w, i) => Math.max(m, Math.abs((got[i] as number) - w) / Math.max(Math.abs(w), 1e-30)), 0)

describe("normal draws (erf_inv exported as the kernel's algorithm): within 1e-6", () => {
  it('float32 and float64 normals of many keys within 1e-6 relative', async () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const f = (k: NdArray): NdArray => random.normal(k, [4000], { dtype })
      let worst = 0
      for (const k of keys) worst = Math.max(worst, maxRel(await roundTrip(f, [k]), f(k)))
      expect(worst).toBeLessThan(1e-6)
    }
  })

  it('erf_inv near ±1, at ±1 (±∞), 0 and outside [−1, 1] (NaN)', async () => {
    const u = array([0, 1e-30, -0.3, 0.5, 0.9, -0.999, 0.99999, 1 - 2 ** -24, -1 + 2 ** -24, 1, -1, 1.5, -2], {
      dtype: 'float32',
    })
    const got = await roundTrip((y: NdArray) => scipy.special.erfinv(y), [u])
    const want = flat(scipy.special.erfinv(u))
    want.forEach((w, i) => {
      const g = got[i] as number
      if (Number.isFinite(w)) expect(Math.abs(g - w)).toBeLessThanOrEqual(1e-6 * Math.abs(w))
      else expect(String(g)).toBe(String(w)) // ±Infinity at ±1, NaN outside
    })
  })
})

/** Finite values within `tol` relative; NaN, ±∞ and 0 where wengert has them. */
const expectRel = (got: ReadonlyArray<number>, want: NdArray, tol: number): void => {
  const w = flat(want)
  expect(got.length).toBe(w.length)
  w.forEach((v, i) => {
    const g = got[i] as number
    if (Number.isFinite(v) && v !== 0) expect(Math.abs(g - v)).toBeLessThanOrEqual(tol * Math.abs(v))
    else expect(String(g)).toBe(String(v))
  })
}

describe('rejection samplers as ONNX Loops', () => {
  // α from 1e-3 (boosted, U^(1/α) scaling) to 1e3, and the edge cases 0 (→ 0) and −1, NaN (→ NaN)
  const alphas = [...Array.from({ length: 36 }, (_, i) => 10 ** (-3 + i / 6)), 0, -1, NaN, 1]

  // measured: 1e-6 relative at most (the normals inside go through erf_inv's approximation)
  it.each(['float32', 'float64'] as const)(
    'gamma draws (%s) within 1e-5 of wengert, same accept decisions',
    async (dtype) => {
      const alpha = array(alphas, { dtype })
      const f = (k: NdArray, al: NdArray): NdArray => random.gamma(k, al, undefined, { dtype })
      for (const k of keys.slice(0, 2)) expectRel(await roundTrip(f, [k, alpha]), f(k, alpha), 1e-5)
    },
    120_000,
  )

  it('the gradient of gamma draws in α (random_gamma_grad) exports: within 1e-5 of wengert', async () => {
    // the implicit reparameterisation gradient dx/dα at each draw; the draws themselves agree to 1e-6
    const alpha = array(
      Array.from({ length: 12 }, (_, i) => 10 ** (-1 + i / 4)),
      { dtype: 'float64' },
    )
    const f = (k: NdArray, al: NdArray): NdArray =>
      grad((a: NdArray) => sum(random.gamma(k, a, undefined, { dtype: 'float64' })))(al)
    for (const k of keys.slice(0, 2)) expectRel(await roundTrip(f, [k, alpha]), f(k, alpha), 1e-5)
  }, 120_000)

  it('poisson counts equal wengert (Knuth below λ = 10, PTRS above, edge cases)', async () => {
    const lams = [...Array.from({ length: 40 }, (_, i) => 0.05 * 1.3 ** i), 9.99, 10, 0, -1, NaN, Infinity]
    const lam = array(lams, { dtype: 'float64' })
    const f = (k: NdArray, l: NdArray): NdArray => random.poisson(k, l)
    for (const k of keys.slice(1, 3)) expect(await roundTrip(f, [k, lam])).toEqual(flat(f(k, lam)))
    const g = (k: NdArray): NdArray => vmap((kk: NdArray) => random.poisson(kk, 25, [6]))(random.split(k, 3))
    expect(await roundTrip(g, [keys[0] as NdArray])).toEqual(flat(g(keys[0] as NdArray)))
  }, 120_000)

  it('gamma under vmap over split keys, and beta built on it', async () => {
    const al = array([0.5, 2, 9], { dtype: 'float32' })
    const g = (k: NdArray, a: NdArray): NdArray => vmap((kk: NdArray) => random.gamma(kk, a))(random.split(k, 4))
    expectRel(await roundTrip(g, [keys[1] as NdArray, al]), g(keys[1] as NdArray, al), 1e-5)
    const b = (k: NdArray): NdArray => random.beta(k, 2, 6, [50])
    expectRel(await roundTrip(b, [keys[2] as NdArray]), b(keys[2] as NdArray), 1e-5)
  })
})

describe('a dropout MLP forward with a key', () => {
  /** Inverted dropout (keep probability 1 − p) from a key: the mask is bernoulli draws, bit-exact. */
  const dropout = (k: NdArray, h: NdArray, p: number): NdArray =>
    where(random.bernoulli(k, 1 - p, h.shape), h.div(1 - p), 0)
  const forward = jit((k: NdArray, x: NdArray, w1: NdArray, w2: NdArray): NdArray => {
    const [k1, k2] = random.split(k)
    const h1 = dropout(k1 as NdArray, maximum(matmul(x, w1), 0), 0.5)
    const h2 = dropout(k2 as NdArray, maximum(matmul(h1, w2), 0), 0.25)
    return h2.sum({ axis: 1 })
  })
  const x = grid([6, 5], (i) => Math.sin(i + 1))
  const w1 = grid([5, 16], (i) => Math.cos(0.7 * i))
  const w2 = grid([16, 8], (i) => Math.sin(0.3 * i + 0.5))

  it('equals wengert eager (float32 tolerance); the same mask, so dropped units match', async () => {
    for (const k of keys) {
      const got = await roundTrip(forward, [k, x, w1, w2])
      expectClose(got, forward(k, x, w1, w2), 1e-5)
    }
    // the masks differ between keys (the test would see a key that is ignored)
    expect(flat(forward(keys[0] as NdArray, x, w1, w2))).not.toEqual(flat(forward(keys[1] as NdArray, x, w1, w2)))
  })
})

describe('refusals', () => {
  it('opset 17 has no bitwise operators: a typed error naming the primitive', () => {
    expect(() => exportOnnx((k: NdArray) => random.bits(k, [2]), [random.key(0)])).toThrow(OnnxExportError)
    expect(() => exportOnnx((k: NdArray) => random.bits(k, [2]), [random.key(0)])).toThrow(/random_bits.*opsetVersion/)
  })
})

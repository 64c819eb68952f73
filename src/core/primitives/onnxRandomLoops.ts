/**
 * ONNX export rules of the rejection samplers `random_gamma` and `random_poisson`: every element
 * runs wengert's sampler (`gammaOne`, `poissonOne` in `src/ndarray/random/batched.ts`) on its own
 * key, as an ONNX `Loop` whose iterations advance all elements in lockstep; an element that has
 * accepted keeps its value and key (a `done` mask), and the loop stops when every element is done.
 * The keys, uniform draws and acceptance tests are those of the kernels (threefry from
 * `./onnxRandom`); the normal draws inside the gamma sampler go through `erf_inv`'s approximation
 * (`./onnxErfInv`), so gamma draws agree to about 1e-6 relative, and an acceptance test that
 * lands within that of its bound could decide the other way (not seen in the tests); the Poisson
 * sampler draws no normals and gives wengert's counts exactly.
 *
 * @category primitives
 * @since 0.2.0
 */
import type { DType } from '../../ndarray/dtype'
import type { Aval } from '../equation'
import type { OnnxEmitter, OnnxRule } from '../onnxRule'
import { erfInvF64 } from './onnxErfInv'
import { hashIota, needBitwise, threefry, toU32, u32, words } from './onnxRandom'

type Words = readonly [string, string]

const FLAG: Aval = { shape: [], dtype: 'bool' }
const INDEX: Aval = { shape: [], dtype: 'int64' }

/** Key `c` of split(key) for every element's key (uint32 words in, uint32 words out). */
const subkey = (emit: OnnxEmitter, w: Words, c: number): [string, string] =>
  threefry(emit, w[0], w[1], u32(emit, 0), u32(emit, c))

/** uint32 words from int64 key words carried by a loop, and back. */
const fromCarry = (emit: OnnxEmitter, w: ReadonlyArray<string>): Words => [
  toU32(emit, w[0] as string),
  toU32(emit, w[1] as string),
]
const toCarry = (emit: OnnxEmitter, w: Words): [string, string] => [emit.cast(w[0], 'int64'), emit.cast(w[1], 'int64')]

/**
 * One uniform draw per element key in the dtype, as `uniform(key, 1, dtype, lo, 1)`, returned in
 * float64 (the samplers compute in float64 on the dtype's draws).
 */
const unitOne = (emit: OnnxEmitter, w: Words, dtype: 'float32' | 'float64', lo = 0): string => {
  const [y0, y1] = subkey(emit, w, 0)
  const shr = (x: string, n: number): string =>
    emit.op('BitShift', [x, u32(emit, n)], { direction: { string: 'RIGHT' } })
  if (dtype === 'float32') {
    const bits = emit.op('BitwiseXor', [y0, y1])
    let u = emit.op('Mul', [emit.cast(shr(bits, 9), 'float32'), emit.scalar(2 ** -23, 'float32')])
    if (lo !== 0) {
      const lo32 = Math.fround(lo)
      const span = emit.scalar(Math.fround(1 - lo32), 'float32')
      u = emit.op('Max', [
        emit.op('Add', [emit.op('Mul', [u, span]), emit.scalar(lo32, 'float32')]),
        emit.scalar(lo32, 'float32'),
      ])
    }
    return emit.cast(u, 'float64')
  }
  const high = emit.op('Mul', [emit.cast(y0, 'float64'), emit.scalar(2 ** 20, 'float64')])
  let u = emit.op('Mul', [emit.op('Add', [high, emit.cast(shr(y1, 12), 'float64')]), emit.scalar(2 ** -52, 'float64')])
  if (lo !== 0) {
    const spanned = emit.op('Add', [emit.op('Mul', [u, emit.scalar(1 - lo, 'float64')]), emit.scalar(lo, 'float64')])
    u = emit.op('Max', [spanned, emit.scalar(lo, 'float64')])
  }
  return u
}

/** Whether any element of the bool array `b` (rank `rank`) is true, as a bool scalar. */
const any = (emit: OnnxEmitter, b: string, rank: number): string =>
  emit.cast(
    emit.reduce(
      'ReduceMax',
      emit.cast(b, 'int32'),
      Array.from({ length: rank }, (_, i) => i),
    ),
    'bool',
  )

const f64 = (emit: OnnxEmitter, v: number): string => emit.scalar(v, 'float64')
const where = (emit: OnnxEmitter, c: string, a: string, b: string): string => emit.op('Where', [c, a, b])

/**
 * The inner loop of `gammaOne`: draw normals x from successive keys until v = 1 + x·c > 0, per
 * element still `pending`. Returns the final x and v (float64).
 */
const positiveV = (
  emit: OnnxEmitter,
  xk: Words,
  c: string,
  pending: string,
  shape: Aval,
  dtype: 'float32' | 'float64',
): [string, string] => {
  const e64: Aval = { shape: shape.shape, dtype: 'float64' }
  const eKey: Aval = { shape: shape.shape, dtype: 'int64' }
  const eFlag: Aval = { shape: shape.shape, dtype: 'bool' }
  const rank = shape.shape.length
  const body = emit.graph(
    [INDEX, FLAG, eKey, eKey, e64, e64, eFlag],
    [FLAG, eKey, eKey, e64, e64, eFlag],
    (sub, [, , k0, k1, x, v, p]) => {
      const w = fromCarry(sub, [k0 as string, k1 as string])
      const next = subkey(sub, w, 0)
      const u = unitOne(sub, subkey(sub, w, 1), dtype, dtype === 'float32' ? -1 + 2 ** -24 : -1 + 2 ** -53)
      const xn = sub.op('Mul', [f64(sub, Math.SQRT2), erfInvF64(sub, u)])
      const vn = sub.op('Add', [f64(sub, 1), sub.op('Mul', [xn, c])])
      const pend = p as string
      const [n0, n1] = toCarry(sub, next)
      const still = sub.op('And', [pend, sub.op('LessOrEqual', [vn, f64(sub, 0)])])
      return [
        any(sub, still, rank),
        where(sub, pend, n0, k0 as string),
        where(sub, pend, n1, k1 as string),
        where(sub, pend, xn, x as string),
        where(sub, pend, vn, v as string),
        still,
      ]
    },
  )
  const [x0, x1] = toCarry(emit, xk)
  const zero = emit.op('Mul', [emit.cast(x0, 'float64'), f64(emit, 0)])
  const minusOne = emit.op('Sub', [zero, f64(emit, 1)])
  const out = emit.node(
    'Loop',
    ['', any(emit, pending, rank), x0, x1, zero, minusOne, pending],
    { body: { graph: body } },
    5,
  )
  return [out[2] as string, out[3] as string]
}

/**
 * `random_gamma`: Marsaglia and Tsang's sampler per element (α < 1 boosted to α + 1 and scaled by
 * U^(1/α)), in float64 on the dtype's uniform draws; 0 where α = 0, NaN where α < 0 or NaN.
 */
export const gammaOnnx: OnnxRule<unknown> = ({ inputs: [keys, alphaIn], avals: [k, a], emit }) => {
  needBitwise(emit, 'random_gamma')
  const { shape, dtype } = a as Aval
  const fdt: 'float32' | 'float64' = dtype === 'float32' ? 'float32' : 'float64'
  const lead = (k as Aval).shape.length - 1
  const per = hashIota(emit, words(emit, keys as string), shape.slice(lead))
  const alpha = emit.cast(alphaIn as string, 'float64')
  const valid = emit.op('Greater', [alpha, f64(emit, 0)])
  const boost = emit.op('Less', [alpha, f64(emit, 1)])
  const aa = where(emit, boost, emit.op('Add', [alpha, f64(emit, 1)]), alpha)
  const d = emit.op('Sub', [aa, f64(emit, 1 / 3)])
  const c = emit.op('Div', [f64(emit, 1 / 3), emit.op('Sqrt', [d])])
  const loopKey = subkey(emit, per, 0)
  const scaleKey = subkey(emit, per, 1)
  const e64: Aval = { shape, dtype: 'float64' }
  const eKey: Aval = { shape, dtype: 'int64' }
  const eFlag: Aval = { shape, dtype: 'bool' }
  const body = emit.graph(
    [INDEX, FLAG, eKey, eKey, e64, eFlag],
    [FLAG, eKey, eKey, e64, eFlag],
    (sub, [, , k0, k1, V, done]) => {
      const w = fromCarry(sub, [k0 as string, k1 as string])
      const active = sub.op('Not', [done as string])
      const [x, v] = positiveV(sub, subkey(sub, w, 1), c, active, { shape, dtype: 'float64' }, fdt)
      const X = sub.op('Mul', [x, x])
      const Vn = sub.op('Mul', [sub.op('Mul', [v, v]), v])
      const U = unitOne(sub, subkey(sub, w, 2), fdt)
      const squeeze = sub.op('Less', [
        U,
        sub.op('Sub', [f64(sub, 1), sub.op('Mul', [sub.op('Mul', [f64(sub, 0.0331), X]), X])]),
      ])
      const bound = sub.op('Add', [
        sub.op('Div', [X, f64(sub, 2)]),
        sub.op('Mul', [d, sub.op('Add', [sub.op('Sub', [f64(sub, 1), Vn]), sub.op('Log', [Vn])])]),
      ])
      const accept = sub.op('Or', [squeeze, sub.op('Less', [sub.op('Log', [U]), bound])])
      const [n0, n1] = toCarry(sub, subkey(sub, w, 0))
      const nowDone = sub.op('Or', [done as string, accept])
      return [
        any(sub, sub.op('Not', [nowDone]), shape.length),
        where(sub, active, n0, k0 as string),
        where(sub, active, n1, k1 as string),
        where(sub, active, Vn, V as string),
        nowDone,
      ]
    },
  )
  const [l0, l1] = toCarry(emit, loopKey)
  // a float64 1 of the element shape (from the keys: finite, unlike α)
  const one = emit.op('Add', [emit.op('Mul', [emit.cast(l0, 'float64'), f64(emit, 0)]), f64(emit, 1)])
  const notValid = emit.op('Not', [valid])
  const first = any(emit, valid, shape.length)
  const V = emit.node('Loop', ['', first, l0, l1, one, notValid], { body: { graph: body } }, 4)[2] as string
  const u = unitOne(emit, scaleKey, fdt)
  const pow = emit.op('Pow', [emit.op('Sub', [f64(emit, 1), u]), emit.op('Div', [f64(emit, 1), alpha])])
  const draw = emit.op('Mul', [emit.op('Mul', [d, V]), where(emit, boost, pow, f64(emit, 1))])
  const zeroAt = emit.op('Equal', [alpha, f64(emit, 0)])
  const out = where(emit, valid, draw, where(emit, zeroAt, f64(emit, 0), f64(emit, NaN)))
  return fdt === 'float64' ? out : emit.cast(out, dtype as DType)
}

/** The table of `lgammaInt` below 30 (log Γ(m) = Σ log i for 2 ≤ i < m, summed as it does), float64 [30]. */
const lgammaTable = (emit: OnnxEmitter): string => {
  const values = Array.from({ length: 30 }, (_, m) => {
    let s = 0
    for (let i = 2; i < m; i++) s += Math.log(i)
    return s
  })
  const rows = values.map((v) => emit.op('Unsqueeze', [f64(emit, v), emit.ints([0])]))
  return emit.op('Concat', rows, { axis: { int: 0 } })
}

/** log Γ(n) of the Poisson sampler's counts, as `lgammaInt` computes it: the table below 30, Stirling above. */
const lgammaCount = (emit: OnnxEmitter, table: string, n: string): string => {
  const at = emit.cast(emit.op('Clip', [n, f64(emit, 0), f64(emit, 29)]), 'int64')
  const small = emit.op('Gather', [table, at], { axis: { int: 0 } })
  const mul = (a: string, b: string): string => emit.op('Mul', [a, b])
  const lead = emit.op('Sub', [mul(emit.op('Sub', [n, f64(emit, 0.5)]), emit.op('Log', [n])), n])
  const withPi = emit.op('Add', [lead, f64(emit, 0.5 * Math.log(2 * Math.PI))])
  const inv12 = emit.op('Div', [f64(emit, 1), mul(f64(emit, 12), n)])
  const inv360 = emit.op('Div', [f64(emit, 1), mul(f64(emit, 360), mul(mul(n, n), n))])
  const large = emit.op('Sub', [emit.op('Add', [withPi, inv12]), inv360])
  return where(emit, emit.op('Less', [n, f64(emit, 30)]), small, large)
}

/** Per-element constants of PTRS (Hörmann 1993), as `poissonOne` computes them, float64. */
const ptrsConstants = (emit: OnnxEmitter, lam: string): Record<'logLam' | 'b' | 'a' | 'invAlpha' | 'vr', string> => {
  const b = emit.op('Add', [f64(emit, 0.931), emit.op('Mul', [f64(emit, 2.53), emit.op('Sqrt', [lam])])])
  const a = emit.op('Add', [f64(emit, -0.059), emit.op('Mul', [f64(emit, 0.02483), b])])
  const invAlpha = emit.op('Add', [
    f64(emit, 1.1239),
    emit.op('Div', [f64(emit, 1.1328), emit.op('Sub', [b, f64(emit, 3.4)])]),
  ])
  const vr = emit.op('Sub', [f64(emit, 0.9277), emit.op('Div', [f64(emit, 3.6224), emit.op('Sub', [b, f64(emit, 2)])])])
  return { logLam: emit.op('Log', [lam]), b, a, invAlpha, vr }
}

/**
 * One PTRS step per element: the candidate kk from the draws u (minus ½) and v, and whether it is
 * accepted (the squeeze, else not rejected outright and under the log-density bound).
 */
const ptrsStep = (
  emit: OnnxEmitter,
  c: Record<'logLam' | 'b' | 'a' | 'invAlpha' | 'vr', string>,
  lam: string,
  table: string,
  u: string,
  v: string,
): [string, string] => {
  const op = (name: string, ...xs: string[]): string => emit.op(name, xs)
  const us = op('Sub', f64(emit, 0.5), op('Abs', u))
  const slope = op('Add', op('Div', op('Mul', f64(emit, 2), c.a), us), c.b)
  const kk = op('Floor', op('Add', op('Add', op('Mul', slope, u), lam), f64(emit, 0.43)))
  const squeeze = op('And', op('GreaterOrEqual', us, f64(emit, 0.07)), op('LessOrEqual', v, c.vr))
  const reject = op(
    'Or',
    op('Less', kk, f64(emit, 0)),
    op('And', op('Less', us, f64(emit, 0.013)), op('Greater', v, us)),
  )
  const logV = op('Log', op('Div', op('Mul', v, c.invAlpha), op('Add', op('Div', c.a, op('Mul', us, us)), c.b)))
  const rhs = op(
    'Sub',
    op('Add', op('Neg', lam), op('Mul', kk, c.logLam)),
    lgammaCount(emit, table, op('Add', kk, f64(emit, 1))),
  )
  const accept = op('Or', squeeze, op('And', op('Not', reject), op('LessOrEqual', logV, rhs)))
  return [kk, accept]
}

/**
 * `random_poisson`: per element, Knuth's product of uniforms for λ < 10 and PTRS above (both
 * advance the key to split(key)[0] each step), as one Loop; 0 where λ = 0, −1 where λ is
 * negative, NaN or ∞ — the same counts as wengert (float64 draws; only `Log` and `Exp` are ONNX
 * Runtime's rather than V8's).
 */
export const poissonOnnx: OnnxRule<unknown> = ({ inputs: [keys, lamIn], avals: [k, l], emit }) => {
  needBitwise(emit, 'random_poisson')
  const { shape } = l as Aval
  const lead = (k as Aval).shape.length - 1
  const per = hashIota(emit, words(emit, keys as string), shape.slice(lead))
  const lam = emit.cast(lamIn as string, 'float64')
  const live = emit.op('And', [emit.op('Greater', [lam, f64(emit, 0)]), emit.op('Less', [lam, f64(emit, Infinity)])])
  const small = emit.op('Less', [lam, f64(emit, 10)])
  const limit = emit.op('Exp', [emit.op('Neg', [lam])])
  const c = ptrsConstants(emit, lam)
  const table = lgammaTable(emit)
  const e64: Aval = { shape, dtype: 'float64' }
  const eKey: Aval = { shape, dtype: 'int64' }
  const eFlag: Aval = { shape, dtype: 'bool' }
  const carried = [eKey, eKey, e64, e64, e64, eFlag]
  const body = emit.graph(
    [INDEX, FLAG, ...carried],
    [FLAG, ...carried],
    (sub, [, , k0, k1, prod, count, out, done]) => {
      const w = fromCarry(sub, [k0 as string, k1 as string])
      const active = sub.op('Not', [done as string])
      const prodN = sub.op('Mul', [prod as string, unitOne(sub, subkey(sub, w, 1), 'float64')])
      const countN = sub.op('Add', [count as string, f64(sub, 1)])
      const knuthDone = sub.op('Not', [sub.op('Greater', [prodN, limit])])
      const u = sub.op('Sub', [unitOne(sub, subkey(sub, w, 1), 'float64'), f64(sub, 0.5)])
      const [kk, ptrsDone] = ptrsStep(sub, c, lam, table, u, unitOne(sub, subkey(sub, w, 2), 'float64'))
      // the branch's test, chosen with And/Or: ONNX Runtime has no Where over bool
      const chosen = sub.op('Or', [
        sub.op('And', [small, knuthDone]),
        sub.op('And', [sub.op('Not', [small]), ptrsDone]),
      ])
      const stepDone = sub.op('And', [active, chosen])
      const value = where(sub, small, countN, kk)
      const [n0, n1] = toCarry(sub, subkey(sub, w, 0))
      const nowDone = sub.op('Or', [done as string, stepDone])
      return [
        any(sub, sub.op('Not', [nowDone]), shape.length),
        where(sub, active, n0, k0 as string),
        where(sub, active, n1, k1 as string),
        where(sub, active, prodN, prod as string),
        where(sub, active, countN, count as string),
        where(sub, stepDone, value, out as string),
        nowDone,
      ]
    },
  )
  const [p0, p1] = toCarry(emit, per)
  const zero = emit.op('Mul', [emit.cast(p0, 'float64'), f64(emit, 0)])
  const one = emit.op('Add', [zero, f64(emit, 1)])
  const minusOne = emit.op('Sub', [zero, f64(emit, 1)])
  const start = where(emit, emit.op('Equal', [lam, f64(emit, 0)]), zero, minusOne)
  const init = [p0, p1, one, minusOne, start, emit.op('Not', [live])]
  const results = emit.node('Loop', ['', any(emit, live, shape.length), ...init], { body: { graph: body } }, 6)
  return emit.cast(results[4] as string, 'int32')
}

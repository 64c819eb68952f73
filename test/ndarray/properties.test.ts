/**
 * Properties (fast-check) of the numeric core, each checked against an independent naive
 * implementation written here from NumPy's documented rules: reshape round trips, transpose
 * of transpose, sum over all axes = sum of the flattened array, broadcasting commutes and
 * agrees with an index-by-index reference, matmul agrees with a naive triple loop in float64.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  concat,
  flip,
  flatten,
  logsumexp,
  matmul,
  max,
  mul,
  reshape,
  softmax,
  split,
  sum,
  transpose,
  type NdArray,
} from '../../src/index'

// -------------------------------------------------------------------------------------
// arbitraries
// -------------------------------------------------------------------------------------

const RUNS = { numRuns: 100 }

/** Shapes of rank 0..maxRank with sizes 0..maxDim (1..maxDim when `nonEmpty`). */
const shapeArb = (maxRank = 4, maxDim = 4, nonEmpty = false): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: nonEmpty ? 1 : 0, max: maxDim }), { maxLength: maxRank })

const sizeOf = (shape: ReadonlyArray<number>): number => shape.reduce((p, d) => p * d, 1)

/** float64 arrays of `shape` with small integers (so sums are exact) or doubles. */
const arrayOf = (shape: ReadonlyArray<number>, kind: 'int' | 'double' = 'int'): fc.Arbitrary<NdArray> => {
  const n = sizeOf(shape)
  const elem =
    kind === 'int'
      ? fc.integer({ min: -20, max: 20 })
      : fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true })
  return fc.array(elem, { minLength: n, maxLength: n }).map((v) => array(Float64Array.from(v), { shape }))
}

const withArray = (kind: 'int' | 'double' = 'int', maxRank = 4, maxDim = 4): fc.Arbitrary<NdArray> =>
  shapeArb(maxRank, maxDim).chain((s) => arrayOf(s, kind))

/** A permutation of 0..n-1. */
const permutationOf = (n: number): fc.Arbitrary<number[]> =>
  fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }).map((keys) =>
    keys
      .map((k, i) => [k, i] as const)
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
      .map(([, i]) => i),
  )

/**
 * Two shapes that broadcast (NumPy): from one full shape, each operand drops some leading axes
 * and replaces some sizes by 1.
 */
const broadcastablePair: fc.Arbitrary<[number[], number[]]> = shapeArb(4, 3).chain((full) => {
  const derive = fc
    .tuple(
      fc.integer({ min: 0, max: full.length }),
      fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }),
    )
    .map(([drop, ones]) => full.map((d, i) => (ones[i] ? 1 : d)).slice(drop))
  return fc.tuple(derive, derive)
})

// -------------------------------------------------------------------------------------
// naive references
// -------------------------------------------------------------------------------------

const data = (x: NdArray): number[] => Array.from(x.toTypedArray())

const stridesOf = (shape: ReadonlyArray<number>): number[] => shape.map((_, i) => sizeOf(shape.slice(i + 1)))

/** Multi-index of flat position `k` in row-major order. */
const unravel = (k: number, shape: ReadonlyArray<number>): number[] => {
  const idx = new Array<number>(shape.length)
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i] as number
    idx[i] = k % d
    k = Math.floor(k / d)
  }
  return idx
}

/** NumPy's broadcast rule, written out: align right, sizes equal or one of them 1. */
const broadcastShape = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number[] => {
  const n = Math.max(a.length, b.length)
  return Array.from({ length: n }, (_, i) => {
    const da = a[a.length - n + i] ?? 1
    const db = b[b.length - n + i] ?? 1
    return da === 1 ? db : da
  })
}

/** x at the index of the broadcast result `idx` (size-1 axes read position 0). */
const readBroadcast = (x: NdArray, idx: ReadonlyArray<number>): number => {
  const off = idx.length - x.ndim
  const st = stridesOf(x.shape)
  let k = 0
  x.shape.forEach((d, i) => {
    k += (d === 1 ? 0 : (idx[i + off] as number)) * (st[i] as number)
  })
  return x.toTypedArray()[k] as number
}

/** NumPy's matmul by loops: promote 1-D operands, broadcast batch axes, Σₚ a[..,i,p]·b[..,p,j]. */
const naiveMatmul = (a: NdArray, b: NdArray): { shape: number[]; values: number[] } => {
  const aShape = a.ndim === 1 ? [1, a.shape[0] as number] : [...a.shape]
  const bShape = b.ndim === 1 ? [b.shape[0] as number, 1] : [...b.shape]
  const [m, k] = aShape.slice(-2) as [number, number]
  const n = bShape[bShape.length - 1] as number
  const batch = broadcastShape(aShape.slice(0, -2), bShape.slice(0, -2))
  const ad = data(a)
  const bd = data(b)
  const aSt = stridesOf(aShape)
  const bSt = stridesOf(bShape)
  const values: number[] = []
  for (let t = 0; t < sizeOf(batch); t++) {
    const bi = unravel(t, batch)
    const base = (shape: number[], st: number[]): number => {
      const lead = shape.length - 2
      let o = 0
      for (let i = 0; i < lead; i++)
        o += ((shape[i] as number) === 1 ? 0 : (bi[i + batch.length - lead] as number)) * (st[i] as number)
      return o
    }
    const ao = base(aShape, aSt)
    const bo = base(bShape, bSt)
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0
        for (let p = 0; p < k; p++) s += (ad[ao + i * k + p] as number) * (bd[bo + p * n + j] as number)
        values.push(s)
      }
    }
  }
  let shape = [...batch, m, n]
  if (a.ndim === 1) shape = [...batch, n]
  if (b.ndim === 1) shape = a.ndim === 1 ? [...batch] : [...batch, m]
  return { shape, values }
}

// -------------------------------------------------------------------------------------
// properties
// -------------------------------------------------------------------------------------

describe('reshape', () => {
  it('round trip: x → flat → original shape gives x back', () => {
    fc.assert(
      fc.property(withArray(), (x) => {
        const back = reshape(reshape(x, [-1]), x.shape)
        expect(back.shape).toEqual(x.shape)
        expect(data(back)).toEqual(data(x))
      }),
      RUNS,
    )
  })

  it('any regrouping of the same sizes keeps row-major order', () => {
    fc.assert(
      fc.property(
        withArray().chain((x) => fc.tuple(fc.constant(x), permutationOf(x.ndim))),
        ([x, p]) => {
          const target = p.map((i) => x.shape[i] as number)
          const y = reshape(x, target)
          expect(y.shape).toEqual(target)
          expect(data(flatten(y))).toEqual(data(x))
        },
      ),
      RUNS,
    )
  })
})

describe('transpose', () => {
  it('transpose of transpose is the identity (default reversal and any perm with its inverse)', () => {
    fc.assert(
      fc.property(
        withArray().chain((x) => fc.tuple(fc.constant(x), permutationOf(x.ndim))),
        ([x, p]) => {
          expect(data(transpose(transpose(x)))).toEqual(data(x))
          const inv = new Array<number>(p.length)
          p.forEach((q, i) => {
            inv[q] = i
          })
          const t = transpose(x, p)
          expect(t.shape).toEqual(p.map((q) => x.shape[q]))
          const back = transpose(t, inv)
          expect(back.shape).toEqual(x.shape)
          expect(data(back)).toEqual(data(x))
        },
      ),
      RUNS,
    )
  })

  it('out[i₀…] = x[i at perm⁻¹] element by element', () => {
    fc.assert(
      fc.property(
        withArray().chain((x) => fc.tuple(fc.constant(x), permutationOf(x.ndim))),
        ([x, p]) => {
          const t = transpose(x, p)
          const xs = stridesOf(x.shape)
          const xd = data(x)
          data(t).forEach((v, k) => {
            const idx = unravel(k, t.shape)
            // output axis i is input axis p[i]
            const src = p.reduce((o, q, i) => o + (idx[i] as number) * (xs[q] as number), 0)
            expect(v).toBe(xd[src])
          })
        },
      ),
      RUNS,
    )
  })
})

describe('sum', () => {
  it('sum over all axes = sum of the flattened array = sum over axes one at a time', () => {
    fc.assert(
      fc.property(withArray(), (x) => {
        const total = data(x).reduce((a, b) => a + b, 0)
        expect(sum(x).item()).toBe(total)
        expect(sum(flatten(x)).item()).toBe(total)
        let y = x
        while (y.ndim > 0) y = sum(y, { axis: 0 })
        expect(y.item()).toBe(total)
      }),
      RUNS,
    )
  })

  it('summing a subset of axes first does not change the total; keepdims only adds 1s', () => {
    fc.assert(
      fc.property(
        withArray().chain((x) => fc.tuple(fc.constant(x), fc.subarray(x.shape.map((_, i) => i)))),
        ([x, axes]) => {
          const partial = sum(x, { axis: axes })
          expect(sum(partial).item()).toBe(sum(x).item())
          const kept = sum(x, { axis: axes, keepdims: true })
          expect(kept.shape).toEqual(x.shape.map((d, i) => (axes.includes(i) ? 1 : d)))
          expect(data(kept)).toEqual(data(partial))
        },
      ),
      RUNS,
    )
  })
})

describe('broadcasting', () => {
  const pairOfArrays = broadcastablePair.chain(([sa, sb]) => fc.tuple(arrayOf(sa), arrayOf(sb)))

  it('commutes: add(a, b) = add(b, a) and mul(a, b) = mul(b, a)', () => {
    fc.assert(
      fc.property(pairOfArrays, ([a, b]) => {
        const ab = add(a, b)
        const ba = add(b, a)
        expect(ab.shape).toEqual(ba.shape)
        expect(data(ab)).toEqual(data(ba))
        expect(data(mul(a, b))).toEqual(data(mul(b, a)))
      }),
      RUNS,
    )
  })

  it("matches NumPy's rule element by element", () => {
    fc.assert(
      fc.property(pairOfArrays, ([a, b]) => {
        const out = add(a, b)
        expect(out.shape).toEqual(broadcastShape(a.shape, b.shape))
        data(out).forEach((v, k) => {
          const idx = unravel(k, out.shape)
          expect(v).toBe(readBroadcast(a, idx) + readBroadcast(b, idx))
        })
      }),
      RUNS,
    )
  })

  it('shapes with a mismatched non-1 size are rejected', () => {
    fc.assert(
      fc.property(shapeArb(3, 4, true), fc.integer({ min: 2, max: 4 }), (s, d) => {
        const other = [...s, d + 1]
        const mine = [...s, d]
        expect(() =>
          add(
            array(new Float64Array(sizeOf(mine)), { shape: mine }),
            array(new Float64Array(sizeOf(other)), { shape: other }),
          ),
        ).toThrow(/add: Incompatible shapes for broadcasting: shapes=\[/)
      }),
      RUNS,
    )
  })
})

describe('matmul', () => {
  // [batchA..., m, k] @ [batchB..., k, n] with broadcastable batches, or 1-D on either side
  const operands = fc
    .record({
      m: fc.integer({ min: 1, max: 5 }),
      k: fc.integer({ min: 1, max: 5 }),
      n: fc.integer({ min: 1, max: 5 }),
      batch: broadcastablePair,
      aVec: fc.boolean(),
      bVec: fc.boolean(),
    })
    .chain(({ m, k, n, batch: [ba, bb], aVec, bVec }) =>
      fc.tuple(arrayOf(aVec ? [k] : [...ba, m, k], 'double'), arrayOf(bVec ? [k] : [...bb, k, n], 'double')),
    )

  it('agrees with a naive triple loop in float64 (NumPy rules for 1-D and batches)', () => {
    fc.assert(
      fc.property(operands, ([a, b]) => {
        const c = matmul(a, b)
        const ref = naiveMatmul(a, b)
        expect(c.dtype).toBe('float64')
        expect(c.shape).toEqual(ref.shape)
        data(c).forEach((v, i) => {
          const w = ref.values[i] as number
          expect(Math.abs(v - w)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(w)))
        })
      }),
      RUNS,
    )
  })

  it('agrees with the loop for larger matrices (the blocked kernel path)', () => {
    fc.assert(
      fc.property(
        fc
          .record({
            m: fc.integer({ min: 1, max: 40 }),
            k: fc.integer({ min: 1, max: 40 }),
            n: fc.integer({ min: 1, max: 40 }),
          })
          .chain(({ m, k, n }) => fc.tuple(arrayOf([m, k], 'double'), arrayOf([k, n], 'double'))),
        ([a, b]) => {
          const c = data(matmul(a, b))
          naiveMatmul(a, b).values.forEach((w, i) => {
            expect(Math.abs((c[i] as number) - w)).toBeLessThanOrEqual(1e-11 * (1 + Math.abs(w)))
          })
        },
      ),
      { numRuns: 30 },
    )
  })
})

describe('more round trips', () => {
  it('flip twice is the identity', () => {
    fc.assert(
      fc.property(withArray(), (x) => {
        expect(data(flip(flip(x)))).toEqual(data(x))
      }),
      RUNS,
    )
  })

  it('split then concat gives the array back', () => {
    fc.assert(
      fc.property(
        withArray('int', 3, 4)
          .filter((x) => x.ndim > 0)
          .chain((x) => fc.tuple(fc.constant(x), fc.integer({ min: 0, max: x.ndim - 1 }))),
        ([x, axis]) => {
          const n = x.shape[axis] as number
          const parts = split(x, [Math.floor(n / 3), Math.floor((2 * n) / 3)], axis)
          expect(parts).toHaveLength(3)
          const back = concat(parts, axis)
          expect(back.shape).toEqual(x.shape)
          expect(data(back)).toEqual(data(x))
        },
      ),
      RUNS,
    )
  })

  it('softmax is a distribution, invariant under shifts; max ≤ logsumexp ≤ max + log n', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.double({ min: -500, max: 500, noNaN: true }),
        (v, c) => {
          const x = array(v, { dtype: 'float64' })
          const p = data(softmax(x))
          expect(Math.abs(p.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12)
          expect(p.every((q) => q >= 0 && q <= 1)).toBe(true)
          const shifted = data(softmax(add(x, c)))
          shifted.forEach((q, i) => expect(Math.abs(q - (p[i] as number))).toBeLessThan(1e-9))
          const m = max(x).item() as number
          const l = logsumexp(x).item() as number
          expect(l).toBeGreaterThanOrEqual(m - 1e-12)
          expect(l).toBeLessThanOrEqual(m + Math.log(v.length) + 1e-12)
        },
      ),
      RUNS,
    )
  })
})

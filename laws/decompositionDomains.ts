/**
 * Law domains of the decompositions (`cholesky`, `triangular_solve`, `lu`, `qr`, `eigh`, `svd`):
 * inputs kept well-conditioned so central differences resolve the derivative — symmetric
 * positive definite `M·Mᵀ + n·I` for Cholesky, triangles with diagonals away from zero, full
 * rank with pivots and diagonals of R away from zero, eigenvalues and singular values at least
 * 0.25 apart (and away from zero), and vectors whose sign-fixing entry (the largest in
 * magnitude) is clear of the runner-up, so the chosen sign does not flip within a step.
 *
 * @category laws
 * @since 0.2.0
 */
import * as fc from 'fast-check'
import type { MultiPrimitiveName, RegisteredMultiPrimitive } from '../src/core/primitives'
import { array } from '../src/ndarray/create'
import { eigh as eighKernel } from '../src/ndarray/kernels/linalg/eigh'
import { lu as luKernel } from '../src/ndarray/kernels/linalg/lu'
import { qr as qrKernel } from '../src/ndarray/kernels/linalg/qr'
import { svd as svdKernel } from '../src/ndarray/kernels/linalg/svd'
import type { NdArray } from '../src/ndarray/NdArray'
import type { Shape } from '../src/ndarray/shape'
import { real, shape } from './arbitraries'
import type { Domain } from './domains'
import { controlDomains } from './controlDomains'
import type { Instance, LawOptions } from './probe'
import { sortingMultiDomains } from './sortingDomains'
import { householderMultiDomains } from './householderDomains'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The params type of the `multipleResults` primitive named `K`. @category laws @since 0.2.0 */
export type MultiParamsOf<K extends MultiPrimitiveName> =
  Extract<RegisteredMultiPrimitive, { readonly name: K }> extends {
    readonly shape: (avals: infer _A, params: infer P) => unknown
  }
    ? P
    : never

/** Where a `multipleResults` primitive's laws are checked (see `Domain`). @category laws @since 0.2.0 */
export interface MultiDomain<K extends MultiPrimitiveName = MultiPrimitiveName> extends LawOptions {
  readonly instances: fc.Arbitrary<Instance<MultiParamsOf<K>>>
  /** Why the primitive has no reverse mode (JAX's `while`): the laws that need a VJP are not run. */
  readonly forwardOnly?: string
}

/** One domain per registered `multipleResults` primitive. @category laws @since 0.2.0 */
export type MultiDomains = { readonly [K in MultiPrimitiveName]: MultiDomain<K> }

// -------------------------------------------------------------------------------------
// builders
// -------------------------------------------------------------------------------------

type NoParams = Record<string, never>
const NONE: NoParams = {}

/** Leading batch axes: none, or one or two small ones. */
const batchShape: fc.Arbitrary<Shape> = shape({ maxRank: 1, maxDim: 2 })

/** `count` matrices of `rows × cols` as flat row-major arrays of entries in [−1, 1]. */
const entries = (count: number, rows: number, cols: number): fc.Arbitrary<number[][]> =>
  fc.array(fc.array(real({ min: -1, max: 1 }), { minLength: rows * cols, maxLength: rows * cols }), {
    minLength: count,
    maxLength: count,
  })

const countOf = (s: Shape): number => s.reduce((a, b) => a * b, 1)

/** Batches of `rows × cols` matrices, each made by `make` from its entries. */
const matrices = (rows: number, cols: number, make: (m: number[]) => number[] = (m) => m): fc.Arbitrary<NdArray> =>
  batchShape.chain((b) =>
    entries(countOf(b), rows, cols).map((ms) =>
      array(ms.flatMap(make), { shape: [...b, rows, cols], dtype: 'float64' }),
    ),
  )

/** M·Mᵀ + n·I from the n×n M (row-major): symmetric positive definite, eigenvalues ≥ n. */
const spd =
  (n: number) =>
  (m: number[]): number[] =>
    Array.from({ length: n * n }, (_, k) => {
      const [i, j] = [Math.floor(k / n), k % n]
      let s = i === j ? n : 0
      for (let t = 0; t < n; t++) s += (m[i * n + t] as number) * (m[j * n + t] as number)
      return s
    })

/** The symmetric part of M scaled by 3. */
const symmetric =
  (n: number) =>
  (m: number[]): number[] =>
    Array.from({ length: n * n }, (_, k) => 1.5 * ((m[k] as number) + (m[(k % n) * n + Math.floor(k / n)] as number)))

/** M with its diagonal moved to ±(1 + |m_ii|): a well-conditioned triangle whichever is read. */
const strongDiagonal =
  (n: number) =>
  (m: number[]): number[] =>
    m.map((v, k) => (k % n === Math.floor(k / n) ? Math.sign(v || 1) * (1 + Math.abs(v)) : v))

const values = (x: NdArray): Float64Array => Float64Array.from(x.toTypedArray() as ArrayLike<number>)

/** Every `len`-run of `xs` (one per matrix of a batch) satisfies `ok`. */
const everyRun = (xs: Float64Array, len: number, ok: (run: Float64Array) => boolean): boolean => {
  for (let off = 0; off < xs.length; off += len) if (!ok(xs.subarray(off, off + len))) return false
  return true
}

/** Sorted values at least `gap` apart and at least `floor` in magnitude. */
const separated = (gap: number, floor: number) => (run: Float64Array) => {
  const s = [...run].sort((a, b) => a - b)
  return s.every((v, i) => Math.abs(v) >= floor && (i === 0 || v - (s[i - 1] as number) >= gap))
}

/**
 * In each of the `count` vectors of length `len` per matrix (rows of a count×len matrix when
 * `rows`, else columns of a len×count one), the largest |entry| leads the next by 0.05.
 */
const clearSigns = (x: NdArray, count: number, len: number, rows: boolean): boolean =>
  everyRun(values(x), count * len, (m) =>
    Array.from({ length: count }, (_, v) => {
      const mags = Array.from({ length: len }, (_, t) => Math.abs(m[rows ? v * len + t : t * count + v] as number))
      mags.sort((a, b) => b - a)
      return len === 1 || (mags[0] as number) - (mags[1] as number) >= 0.05
    }).every(Boolean),
  )

/**
 * `f` moves by less than 1e-3 when `a` moves by 1e-5 either way along two fixed directions: no pivot tie
 * and no Householder or eigenvector sign choice near a flip (shrinking likes exact zeros and
 * ties, where those choices are discontinuous).
 */
const stable = (f: (a: NdArray) => ReadonlyArray<NdArray>, a: NdArray): boolean => {
  const base = f(a).map(values)
  const x = values(a)
  const directions = [Math.sin, Math.cos].flatMap((d) => [(k: number) => d(k), (k: number) => -d(k)])
  return directions.every((dir) => {
    const moved = array(
      Array.from(x, (v, k) => v + 1e-5 * dir(k + 1)),
      { shape: a.shape, dtype: 'float64' },
    )
    return f(moved).every((y, i) =>
      values(y).every((v, k) => Math.abs(v - ((base[i] as Float64Array)[k] as number)) < 1e-3),
    )
  })
}

const square = fc.integer({ min: 1, max: 4 })

// -------------------------------------------------------------------------------------
// domains
// -------------------------------------------------------------------------------------

/** Domains of the single-result decompositions. @category laws @since 0.2.0 */
export const decompositionDomains: {
  readonly cholesky: Domain<'cholesky'>
  readonly triangular_solve: Domain<'triangular_solve'>
} = {
  cholesky: {
    instances: square.chain((n) => matrices(n, n, spd(n)).map((a) => ({ inputs: [a], params: NONE }))),
  },
  triangular_solve: {
    instances: fc
      .record({
        n: square,
        k: fc.integer({ min: 1, max: 3 }),
        leftSide: fc.boolean(),
        lower: fc.boolean(),
        transposeA: fc.boolean(),
        unitDiagonal: fc.boolean(),
        b: batchShape,
      })
      .chain(({ n, k, b, ...params }) =>
        fc
          .tuple(
            entries(countOf(b), n, n).map((ms) =>
              array(ms.flatMap(strongDiagonal(n)), { shape: [...b, n, n], dtype: 'float64' }),
            ),
            entries(countOf(b), n, k).map((ms) =>
              array(ms.flat(), { shape: [...b, ...(params.leftSide ? [n, k] : [k, n])], dtype: 'float64' }),
            ),
          )
          .map(([a, rhs]) => ({ inputs: [a, rhs], params })),
      ),
  },
}

/** Domains of the `multipleResults` decompositions. @category laws @since 0.2.0 */
export const multiDomains: MultiDomains = {
  ...controlDomains,
  ...householderMultiDomains,
  lu: {
    instances: square.chain((n) =>
      matrices(n, n, (m) => m.map((v) => 2 * v))
        .filter((a) => everyRun(values(luKernel(a).lu), n * n, (m) => diagonalAbove(m, n, 0.3)))
        .filter((a) => stable((x) => [luKernel(x).lu, luKernel(x).permutation], a))
        .map((a) => ({ inputs: [a], params: NONE })),
    ),
  },
  qr: {
    instances: fc
      .record({ n: square, extra: fc.integer({ min: 0, max: 2 }), fullMatrices: fc.boolean() })
      .chain(({ n, extra, fullMatrices }) => {
        const m = fullMatrices ? n : n + extra
        return matrices(m, n, (v) => v.map((x) => 2 * x))
          .filter((a) => everyRun(values(qrKernel(a, 'reduced').r), n * n, (r) => diagonalAbove(r, n, 0.3)))
          .filter((a) => stable((x) => [qrKernel(x, 'reduced').r], a))
          .map((a) => ({ inputs: [a], params: { fullMatrices } }))
      }),
  },
  eigh: {
    instances: square.chain((n) =>
      matrices(n, n, symmetric(n))
        .filter((a) => {
          const e = eighKernel(a, true)
          return everyRun(values(e.eigenvalues), n, separated(0.25, 0)) && clearSigns(e.eigenvectors, n, n, false)
        })
        .filter((a) => stable((x) => Object.values(eighKernel(x, true)), a))
        .map((a) => ({ inputs: [a], params: NONE })),
    ),
  },
  svd: {
    instances: fc
      .record({ m: square, n: square, computeUv: fc.boolean(), full: fc.boolean() })
      .chain(({ m, n, computeUv, full }) =>
        matrices(m, n, (v) => v.map((x) => 3 * x))
          .filter((a) => {
            const r = svdKernel(a, { fullMatrices: false, computeUv: true })
            const k = Math.min(m, n)
            return everyRun(values(r.s), k, separated(0.25, 0.25)) && clearSigns(r.vh as NdArray, k, n, true)
          })
          .filter((a) => stable((x) => Object.values(svdKernel(x, { fullMatrices: false, computeUv: true })), a))
          .map((a) => ({ inputs: [a], params: { fullMatrices: full && m === n, computeUv } })),
      ),
  },
  // ---- sort and top_k (laws/sortingDomains.ts)
  ...sortingMultiDomains,
}

/** Every diagonal entry of the row-major n×n (leading block of) `m` is at least `lo` in magnitude. */
const diagonalAbove = (m: Float64Array, n: number, lo: number): boolean =>
  Array.from({ length: n }, (_, i) => Math.abs(m[i * n + i] as number) >= lo).every(Boolean)

/**
 * `scipy.linalg.schur` (jax.scipy.linalg.schur, real form): A = Z·T·Zᵀ with Z orthogonal and T
 * upper quasi-triangular; the eigenvalues read off T equal NumPy 1.24's `np.linalg.eigvals` of the
 * same matrices (values below, printed by `/usr/bin/python3 -c "np.linalg.eigvals(a)"`); JAX's
 * errors for `output`.
 */
import { describe, expect, it } from 'vitest'
import { array, matmul, scipy, type NdArray } from 'wengert'

const rows = (x: NdArray): number[][] => x.toArray() as number[][]
/** The eigenvalues of a real quasi-triangular T: 1×1 blocks and 2×2 blocks (sorted by re, im). */
const eigenvalues = (t: number[][]): Array<[number, number]> => {
  const out: Array<[number, number]> = []
  for (let i = 0; i < t.length; i++) {
    const next = t[i + 1]?.[i] ?? 0
    if (i + 1 < t.length && Math.abs(next) > 1e-12) {
      const [a, b, c, d] = [t[i]![i]!, t[i]![i + 1]!, next, t[i + 1]![i + 1]!]
      const mean = (a + d) / 2
      const disc = ((a - d) / 2) ** 2 + b * c
      out.push([mean, -Math.sqrt(-disc)], [mean, Math.sqrt(-disc)])
      i++
    } else out.push([t[i]![i]!, 0])
  }
  return out.sort((p, q) => p[0] - q[0] || p[1] - q[1])
}

const cases: Array<{ a: number[][]; eig: Array<[number, number]> }> = [
  {
    a: [
      [0, 2, 2],
      [0, 1, 2],
      [1, 0, 1],
    ],
    eig: [
      [-0.3294835409584973, -0.8022545575574104],
      [-0.3294835409584973, 0.8022545575574104],
      [2.6589670819169937, 0],
    ],
  },
  {
    a: [
      [4, -2, 1, 3],
      [1, 0, -1, 2],
      [2, 5, 1, -3],
      [0, 1, 2, 1],
    ],
    eig: [
      [-0.3990000612183018, -3.7964899961722804],
      [-0.3990000612183018, 3.7964899961722804],
      [1.755548259058604, 0],
      [5.0424518633779964, 0],
    ],
  },
]

describe('scipy.linalg.schur', () => {
  it('reconstructs A with orthogonal Z and gives NumPy’s eigenvalues', () => {
    for (const c of cases) {
      const a = array(c.a, { dtype: 'float64' })
      const [t, z] = scipy.linalg.schur(a)
      const back = rows(matmul(matmul(z, t), z.T))
      back.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(c.a[i]![j]!, 12)))
      const zz = rows(matmul(z.T, z))
      zz.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 12)))
      const tt = rows(t)
      tt.forEach((r, i) => r.forEach((v, j) => i > j + 1 && expect(v).toBe(0)))
      eigenvalues(tt).forEach(([re, im], k) => {
        expect(re).toBeCloseTo(c.eig[k]![0], 10)
        expect(im).toBeCloseTo(c.eig[k]![1], 10)
      })
    }
  })

  it('takes output positionally or as an option; complex and unknown forms raise', () => {
    const a = array(cases[0]!.a, { dtype: 'float64' })
    const [t1] = scipy.linalg.schur(a, 'real')
    const [t2] = scipy.linalg.schur(a, { output: 'real' })
    expect(rows(t1)).toEqual(rows(t2))
    expect(() => scipy.linalg.schur(a, 'complex')).toThrow(/output='complex' is not supported/)
    expect(() => scipy.linalg.schur(a, 'bogus')).toThrow(
      "Expected 'output' to be either 'real' or 'complex', got output='bogus'.",
    )
  })
})

/**
 * Helpers of the SVD kernel: sorting singular values with their vectors and completing a set of
 * orthonormal rows to a larger orthonormal set.
 *
 * @category kernels
 * @since 0.2.0
 */

/**
 * Sorts `s` (k values) descending, carrying along rows of `x` (length p) and, when given, rows of
 * `rot` (length k). Selection sort: at most k row swaps.
 */
export const sortRowsDescending = (
  s: Float64Array,
  x: Float64Array,
  p: number,
  rot: Float64Array | undefined,
  k: number,
): void => {
  for (let i = 0; i < k - 1; i++) {
    let best = i
    for (let j = i + 1; j < k; j++) if ((s[j] as number) > (s[best] as number)) best = j
    if (best === i) continue
    const tmp = s[i] as number
    s[i] = s[best] as number
    s[best] = tmp
    swapRows(x, p, i, best)
    if (rot !== undefined) swapRows(rot, k, i, best)
  }
}

const swapRows = (x: Float64Array, len: number, i: number, j: number): void => {
  for (let q = 0; q < len; q++) {
    const tmp = x[i * len + q] as number
    x[i * len + q] = x[j * len + q] as number
    x[j * len + q] = tmp
  }
}

/**
 * Given orthonormal rows 0..valid−1 of `x` (length p), fills rows valid..total−1 so that all
 * `total` rows are orthonormal: each new row is the standard basis vector with the largest
 * component outside the current span, orthogonalised twice (classical Gram–Schmidt with
 * re-orthogonalisation) and normalised.
 */
export const completeRows = (x: Float64Array, p: number, valid: number, total: number): void => {
  for (let r = valid; r < total; r++) {
    // ‖e_i − projection‖² = 1 − Σ_j x[j][i]²: take the largest.
    let bestI = 0
    let bestRes = -1
    for (let i = 0; i < p; i++) {
      let proj = 0
      for (let j = 0; j < r; j++) proj += (x[j * p + i] as number) ** 2
      if (1 - proj > bestRes) {
        bestRes = 1 - proj
        bestI = i
      }
    }
    const row = r * p
    x.fill(0, row, row + p)
    x[row + bestI] = 1
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < r; j++) {
        let c = 0
        for (let q = 0; q < p; q++) c += (x[j * p + q] as number) * (x[row + q] as number)
        for (let q = 0; q < p; q++) x[row + q] = (x[row + q] as number) - c * (x[j * p + q] as number)
      }
    }
    let nrm = 0
    for (let q = 0; q < p; q++) nrm += (x[row + q] as number) ** 2
    nrm = Math.sqrt(nrm)
    for (let q = 0; q < p; q++) x[row + q] = (x[row + q] as number) / nrm
  }
}

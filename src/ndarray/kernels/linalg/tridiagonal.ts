/**
 * Householder reduction of a symmetric matrix to tridiagonal form with the orthogonal
 * transformation accumulated (EISPACK tred2; Wilkinson & Reinsch 1971). The eigensolver's first
 * half.
 *
 * @category kernels
 * @since 0.2.0
 */

/**
 * Reduces the symmetric row-major n×n `v` (both triangles filled) to tridiagonal T = Qᵀ·A·Q:
 * afterwards `d` holds T's diagonal, e[1..n−1] its sub-diagonal (e[0] = 0), and `v` holds Q.
 * Rows are eliminated from the last one up; row i's reflector is built in `d[0..i−1]`.
 */
export const tridiagonalize = (v: Float64Array, d: Float64Array, e: Float64Array, n: number): void => {
  for (let j = 0; j < n; j++) d[j] = v[(n - 1) * n + j] as number
  for (let i = n - 1; i > 0; i--) {
    let scale = 0
    for (let k = 0; k < i; k++) scale += Math.abs(d[k] as number)
    let h = 0
    if (scale === 0) {
      e[i] = d[i - 1] as number
      for (let j = 0; j < i; j++) {
        d[j] = v[(i - 1) * n + j] as number
        v[i * n + j] = 0
        v[j * n + i] = 0
      }
    } else {
      h = reduceRow(v, d, e, n, i, scale)
    }
    d[i] = h
  }
  accumulate(v, d, n)
  e[0] = 0
}

/**
 * Eliminates row i (held scaled in d[0..i−1]) with one Householder reflection applied from both
 * sides to the leading i×i block. Returns h = ‖u‖²/2 of the reflector u stored in column i.
 */
const reduceRow = (v: Float64Array, d: Float64Array, e: Float64Array, n: number, i: number, scale: number): number => {
  let h = 0
  for (let k = 0; k < i; k++) {
    const x = (d[k] as number) / scale
    d[k] = x
    h += x * x
  }
  const f = d[i - 1] as number
  const g = f > 0 ? -Math.sqrt(h) : Math.sqrt(h)
  e[i] = scale * g
  h -= f * g
  d[i - 1] = f - g
  for (let j = 0; j < i; j++) e[j] = 0
  // p = A·u (lower triangle of the leading block), kept in e.
  for (let j = 0; j < i; j++) {
    const fj = d[j] as number
    v[j * n + i] = fj
    let gj = (e[j] as number) + (v[j * n + j] as number) * fj
    for (let k = j + 1; k < i; k++) {
      const vkj = v[k * n + j] as number
      gj += vkj * (d[k] as number)
      e[k] = (e[k] as number) + vkj * fj
    }
    e[j] = gj
  }
  // q = p/h − (uᵀp / 2h²)·u, then A ← A − u·qᵀ − q·uᵀ on the lower triangle.
  let fs = 0
  for (let j = 0; j < i; j++) {
    e[j] = (e[j] as number) / h
    fs += (e[j] as number) * (d[j] as number)
  }
  const hh = fs / (h + h)
  for (let j = 0; j < i; j++) e[j] = (e[j] as number) - hh * (d[j] as number)
  for (let j = 0; j < i; j++) {
    const fj = d[j] as number
    const gj = e[j] as number
    for (let k = j; k < i; k++)
      v[k * n + j] = (v[k * n + j] as number) - (fj * (e[k] as number) + gj * (d[k] as number))
    d[j] = v[(i - 1) * n + j] as number
    v[i * n + j] = 0
  }
  return h
}

/** Forms Q in `v` from the stored reflectors (d[i+1] = h of reflector i+1), then d = T's diagonal. */
const accumulate = (v: Float64Array, d: Float64Array, n: number): void => {
  for (let i = 0; i < n - 1; i++) {
    v[(n - 1) * n + i] = v[i * n + i] as number
    v[i * n + i] = 1
    const h = d[i + 1] as number
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = (v[k * n + i + 1] as number) / h
      for (let j = 0; j <= i; j++) {
        let g = 0
        for (let k = 0; k <= i; k++) g += (v[k * n + i + 1] as number) * (v[k * n + j] as number)
        for (let k = 0; k <= i; k++) v[k * n + j] = (v[k * n + j] as number) - g * (d[k] as number)
      }
    }
    for (let k = 0; k <= i; k++) v[k * n + i + 1] = 0
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[(n - 1) * n + j] as number
    v[(n - 1) * n + j] = 0
  }
  if (n > 0) v[(n - 1) * n + n - 1] = 1
}

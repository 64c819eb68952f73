/**
 * The layouts of linear-algebra results and of their gradients (issue 10, difftest classes D1/D14).
 *
 * Results ({@link colMajorResult}): PyTorch 2.x's meta functions allocate the outputs of its LAPACK
 * kernels column-major per matrix, batches contiguous (aten/src/ATen/native/BatchLinearAlgebra.cpp:
 * `linalg_cholesky_ex`'s L, `linalg_inv_ex`, `_linalg_solve_ex` and `linalg_lu_solve` when
 * `left`, `linalg_lu_factor_ex`'s LU, `linalg_qr`'s Q and R, `_linalg_eigh`'s vectors,
 * `_linalg_svd`'s U and Vh on the CPU, `triangular_solve`'s two results; likewise
 * `solve_triangular`, `cholesky_solve`, `cholesky_inverse`, `ldl_factor`/`ldl_solve`,
 * `householder_product`, `geqrf`, `ormqr`, and `lstsq`'s solution, the top rows of a buffer
 * max(m, n) tall), while `linalg.lu`, `lu_unpack`, `pinv`, `matrix_exp` and products are
 * row-major (test/torch/fixtures/lapack_layout.py measures them all on PyTorch 1.13, which agrees).
 * So `contiguous()` copies them, `view` refuses what the strides forbid, `reshape` copies, and
 * element-wise ops lay their results out from them (iterLayout.ts).
 *
 * Gradients: the layouts PyTorch's backward formulas give, so `AccumulateGrad` takes or copies
 * them as PyTorch does (gradLayout.ts): a
 * gradient that comes out of a LAPACK solve is column-major per matrix, and a row-major leaf
 * then gets a copy (`.grad._version` 1) where an element-wise formula's gradient is taken as is
 * (version 0). Per formula (PyTorch 2.x's torch/csrc/autograd/FunctionsManual.cpp; the same
 * layouts measured on PyTorch 1.13, test/torch/fixtures/grad_version.py):
 * - `det`/`slogdet`: `linalg_lu_solve(LU, pivots, d, left=true, …)`, whose result is allocated
 *   column-major (`left=true`);
 * - `cholesky` (and the legacy `torch.cholesky`): two `linalg_solve_triangular` calls;
 * - `qr` with at least as many rows as columns: `linalg_solve_triangular(R.mH(), gA, left=false)`
 *   (a wide `qr` ends with `cat`, row-major);
 * - `pinv`: a sum whose first term is the transposed view `-(…).mH()`, whose layout TensorIterator
 *   gives the sum;
 * - `solve` (B's gradient, `left=true`, B a matrix of the broadcast shape) and `solve_triangular`
 *   (B's gradient): an `lu_solve` / triangular solve; A's gradient is a product (row-major);
 *   likewise B's gradient of `lu_solve` (`left`), `cholesky_solve` and `triangular_solve`;
 * - `lstsq`: A's gradient is `pinv`'s (below);
 * - `matrix_exp`: the top-right n×n block (`narrow`) of the exponential of a 2n×2n block matrix.
 *
 * @category torch
 * @since 0.2.0
 */
import type { Tensor } from '../tensor'

const contiguous = (shape: ReadonlyArray<number>): number[] => {
  const s = new Array<number>(shape.length).fill(1)
  for (let i = shape.length - 2; i >= 0; i--) s[i] = (s[i + 1] as number) * Math.max(1, shape[i + 1] as number)
  return s
}

/**
 * The strides of a batch of column-major matrices of `shape` (the last two dimensions
 * transposed in memory, the batches contiguous), or null below two dimensions.
 */
export const columnMajorStrides = (shape: ReadonlyArray<number>): number[] | null => {
  const r = shape.length
  if (r < 2) return null
  const st = contiguous([...shape.slice(0, -2), shape[r - 1] as number, shape[r - 2] as number])
  return [...st.slice(0, -2), 1, Math.max(1, shape[r - 2] as number)]
}

/**
 * Gives `t`, a fresh linear-algebra result (no view), the column-major layout PyTorch's LAPACK
 * kernels write it in: {@link columnMajorStrides}, or, with `rows`, the first rows of column-major
 * matrices `rows` tall (`lstsq`'s solution, the top of its right-hand side buffer). Below two
 * dimensions, or on a view, `t` keeps its strides. Values are untouched: strides are metadata.
 * Returns `t`.
 */
export const colMajorResult = (t: Tensor, rows?: number): Tensor => {
  if (t._path.length > 0 || t._base !== null) return t
  const shape = t.shape
  const r = shape.length
  if (r < 2) return t
  const full = rows === undefined ? shape : [...shape.slice(0, -2), rows, shape[r - 1] as number]
  const st = columnMajorStrides(full)
  if (st !== null) t._strides = st
  return t
}

/**
 * Marks which inputs of `out`'s node get their gradient from a LAPACK solve (column-major per
 * matrix, see {@link columnMajorStrides}); nothing without a node.
 */
export const markSolverGrads = (out: Tensor, inputs: ReadonlyArray<boolean>): void => {
  const node = out._gradFn
  if (node !== null && inputs.some(Boolean)) node._colMajor = inputs
}

/**
 * Marks the gradient of `matrix_exp`'s input as PyTorch lays it out: `narrow` views of a
 * contiguous batch of 2n×2n matrices (rows 2n apart).
 */
export const markMatrixExpGrad = (out: Tensor): void => {
  const node = out._gradFn
  const shape = out.shape
  const r = shape.length
  if (node === null || r < 2) return
  const n = shape[r - 1] as number
  node._freshStrides = contiguous([...shape.slice(0, -2), 2 * n, 2 * n])
}

/** True when a square `A`'s right-hand side `B` is a batch of vectors in `linalg.solve` (its vector case). */
export const solveVectorCase = (A: Tensor, B: Tensor): boolean =>
  B.dim() === 1 || (B.dim() === A.dim() - 1 && B.shape.every((n, i) => n === A.shape[i]))

/**
 * Marks the right-hand side's gradient of a solve node (inputs A, B, result `out`) as a LAPACK
 * solve's, where `solverResult` (the formula's solve is one) and B has the result's shape (a
 * broadcast B gets a reduction of it, left as it is).
 */
export const markRhsGrad = (out: Tensor, B: Tensor, solverResult: boolean): void => {
  markSolverGrads(out, [false, solverResult && sameShape(B, out)])
}

/** True when `a` and `b` have the same shape (a right-hand side that was not broadcast). */
export const sameShape = (a: Tensor, b: Tensor): boolean =>
  a.dim() === b.dim() && a.shape.every((n, i) => n === b.shape[i])

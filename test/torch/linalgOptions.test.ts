import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

// Each option of torch.linalg's solvers, decompositions and norms, as PyTorch 1.13 CPU runs it
// (test/torch/fixtures/linalg_options.py; the texts are the same in 2.x): implemented, or refused
// with PyTorch's error, never ignored (issue 10).
type Expected =
  | { readonly error: string; readonly message: string }
  | { readonly value: unknown }
  | { readonly values: ReadonlyArray<unknown> }
  | { readonly dtype: string }
const want = JSON.parse(readFileSync(new URL('./fixtures/linalg_options.json', import.meta.url), 'utf8')) as Record<
  string,
  Expected
>
type Fn = (...a: unknown[]) => unknown
type Names = 'solve' | 'solve_ex' | 'lu_factor' | 'lu_solve' | 'svd' | 'svdvals' | 'lstsq'
const L = torch.linalg as unknown as Record<Names | 'matrix_norm' | 'vector_norm' | 'norm', Fn>
const f64 = { dtype: torch.float64 }
const A = torch.tensor(
  [
    [4, 1],
    [2, 3],
  ],
  f64,
)
const B = torch.tensor(
  [
    [1, 2],
    [3, 4],
  ],
  f64,
)
const C = torch.tensor(
  [
    [1, 0],
    [1, 1],
    [0, 1],
  ],
  f64,
)
const D = torch.tensor([[1], [2], [4]], f64)

const close = (got: unknown, expected: unknown): void => {
  if (Array.isArray(expected)) {
    expect(Array.isArray(got) && got.length === expected.length).toBe(true)
    expected.forEach((e, i) => close((got as unknown[])[i], e))
  } else expect(got as number).toBeCloseTo(expected as number, 12)
}
const list = (t: unknown): unknown => (t instanceof torch.Tensor ? t.tolist() : t)

const check = (key: string, f: () => unknown): void => {
  const e = want[key]
  if (e === undefined) throw new Error(`no fixture ${key}`)
  if ('error' in e) {
    expect(f).toThrow(e.message)
    try {
      f()
    } catch (err) {
      expect((err as Error).constructor.name).toBe(e.error)
    }
    return
  }
  const r = f()
  if ('dtype' in e) expect(String(r)).toBe(e.dtype)
  else if ('value' in e) close(list(r), e.value)
  else close([...(r as unknown[])].map(list), e.values)
}

describe('torch.linalg options match PyTorch', () => {
  it('solve/solve_ex take left= and check_errors=', () => {
    check('solve_left_false', () => L.solve(A, B, { left: false }))
    check('solve_ex_left_false', () => L.solve_ex(A, B, { left: false }))
    check('solve_ex_check_errors', () => L.solve_ex(A, B, { check_errors: true }))
  })
  it('lu_factor refuses pivot=False on the CPU; lu_solve takes left= and adjoint=', () => {
    check('lu_factor_pivot_false', () => L.lu_factor(A, { pivot: false }))
    const [LU, piv] = L.lu_factor(A) as [unknown, unknown]
    check('lu_solve_left_false', () => L.lu_solve(LU, piv, B, { left: false }))
    check('lu_solve_adjoint', () => L.lu_solve(LU, piv, B, { adjoint: true }))
    check('lu_solve_left_false_adjoint', () => L.lu_solve(LU, piv, B, { left: false, adjoint: true }))
  })
  it('svd/svdvals refuse driver= (cuSOLVER only) unless null', () => {
    check('svd_driver', () => L.svd(A, { driver: 'gesvd' }))
    check('svd_driver_none', () => (L.svd(A, { driver: null }) as { S: unknown }).S)
    check('svdvals_driver', () => L.svdvals(A, { driver: 'gesvd' }))
  })
  it('matrix_norm/vector_norm/norm take a widening floating dtype= and refuse the others', () => {
    const f32 = { dtype: torch.float32 }
    const long = { dtype: torch.int64 }
    check('matrix_norm_narrowing', () => L.matrix_norm(A, f32))
    check('matrix_norm_widening', () => (L.matrix_norm(A.float(), f64) as torch.Tensor).dtype)
    check('matrix_norm_int_dtype', () => L.matrix_norm(A, long))
    check('matrix_norm_int_input', () => L.matrix_norm(A.long(), f32))
    check('vector_norm_narrowing', () => L.vector_norm(A, f32))
    check('vector_norm_widening', () => (L.vector_norm(A.float(), f64) as torch.Tensor).dtype)
    check('vector_norm_int_dtype', () => L.vector_norm(A, long))
    check('vector_norm_int_input', () => L.vector_norm(A.long(), f32))
    check('norm_narrowing', () => L.norm(A, f32))
    check('norm_ord_narrowing', () => L.norm(A, 'nuc', f32))
  })
  it('lstsq takes the four CPU drivers and refuses another', () => {
    check('lstsq_bogus', () => L.lstsq(C, D, { driver: 'bogus' }))
    for (const d of ['gels', 'gelsy', 'gelsd', 'gelss'])
      check(`lstsq_${d}`, () => {
        const r = L.lstsq(C, D, { driver: d }) as Record<string, unknown>
        return [r.solution, r.residuals, r.rank, r.singular_values]
      })
  })
})

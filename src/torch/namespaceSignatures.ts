/**
 * The signatures of `torch.linalg` and `torch.special` as PyTorch's argument parser declares them
 * (test/torch/fixtures/namespace_signatures.py reads them off the native_functions.yaml of PyTorch
 * 1.13 and writes them as 2.x prints them), and the entry check each function makes against its
 * own: PyTorch's TypeError for a missing or mistyped argument (issue 10), before any is read.
 *
 * @category torch
 * @since 0.3.0
 */
import { NotImplementedError, TorchTypeError } from './errors'
import { isKwargs } from './kwargs'
import { invalidCombination, overloads, signature, topLevelParams } from './pyTypeName'

type Signatures = string | ReadonlyArray<string>

// -------------------------------------------------------------------------------------
// signatures (PyTorch's parser names: linalg_<name>, special_<name>)
// -------------------------------------------------------------------------------------

/** `torch.linalg.<name>`'s signatures. */
export const LINALG_SIGNATURES = {
  cholesky: '(Tensor input, *, bool upper = False, Tensor out = None)',
  cholesky_ex: '(Tensor input, *, bool upper = False, bool check_errors = False, tuple of Tensors out = None)',
  cond: ['(Tensor input, Number p = None, *, Tensor out = None)', '(Tensor input, str p, *, Tensor out = None)'],
  cross: '(Tensor input, Tensor other, *, int dim = -1, Tensor out = None)',
  det: '(Tensor A, *, Tensor out = None)',
  diagonal: '(Tensor A, *, int offset = 0, int dim1 = -2, int dim2 = -1)',
  eig: '(Tensor input, *, tuple of Tensors out = None)',
  eigh: '(Tensor input, str UPLO = "L", *, tuple of Tensors out = None)',
  eigvals: '(Tensor input, *, Tensor out = None)',
  eigvalsh: '(Tensor input, str UPLO = "L", *, Tensor out = None)',
  householder_product: '(Tensor input, Tensor tau, *, Tensor out = None)',
  inv: '(Tensor A, *, Tensor out = None)',
  inv_ex: '(Tensor A, *, bool check_errors = False, tuple of Tensors out = None)',
  ldl_factor: '(Tensor input, *, bool hermitian = False, tuple of Tensors out = None)',
  ldl_factor_ex: '(Tensor input, *, bool hermitian = False, bool check_errors = False, tuple of Tensors out = None)',
  ldl_solve: '(Tensor LD, Tensor pivots, Tensor B, *, bool hermitian = False, Tensor out = None)',
  lstsq: '(Tensor input, Tensor b, float rcond = None, *, str driver = None, tuple of Tensors out = None)',
  lu: '(Tensor A, *, bool pivot = True, tuple of Tensors out = None)',
  lu_factor: '(Tensor A, *, bool pivot = True, tuple of Tensors out = None)',
  lu_factor_ex: '(Tensor A, *, bool pivot = True, bool check_errors = False, tuple of Tensors out = None)',
  lu_solve: '(Tensor LU, Tensor pivots, Tensor B, *, bool left = True, bool adjoint = False, Tensor out = None)',
  matmul: '(Tensor input, Tensor other, *, Tensor out = None)',
  matrix_exp: '(Tensor input, *, Tensor out = None)',
  matrix_norm: [
    '(Tensor input, Number ord, tuple of ints dim = (-2, -1), bool keepdim = False, *, torch.dtype dtype = None, Tensor out = None)',
    '(Tensor input, str ord = "fro", tuple of ints dim = (-2, -1), bool keepdim = False, *, torch.dtype dtype = None, Tensor out = None)',
  ],
  matrix_power: '(Tensor input, int n, *, Tensor out = None)',
  matrix_rank: [
    '(Tensor input, *, Tensor atol = None, Tensor rtol = None, bool hermitian = False, Tensor out = None)',
    '(Tensor input, *, float atol = None, float rtol = None, bool hermitian = False, Tensor out = None)',
    '(Tensor input, float tol, bool hermitian = False, *, Tensor out = None)',
    '(Tensor input, Tensor tol, bool hermitian = False, *, Tensor out = None)',
  ],
  multi_dot: '(tuple of Tensors tensors, *, Tensor out = None)',
  norm: [
    '(Tensor input, Number ord = None, tuple of ints dim = None, bool keepdim = False, *, torch.dtype dtype = None, Tensor out = None)',
    '(Tensor input, str ord, tuple of ints dim = None, bool keepdim = False, *, torch.dtype dtype = None, Tensor out = None)',
  ],
  pinv: [
    '(Tensor input, *, Tensor atol = None, Tensor rtol = None, bool hermitian = False, Tensor out = None)',
    '(Tensor input, *, float atol = None, float rtol = None, bool hermitian = False, Tensor out = None)',
    '(Tensor input, float rcond, bool hermitian = False, *, Tensor out = None)',
    '(Tensor input, Tensor rcond, bool hermitian = False, *, Tensor out = None)',
  ],
  qr: '(Tensor A, str mode = "reduced", *, tuple of Tensors out = None)',
  slogdet: '(Tensor A, *, tuple of Tensors out = None)',
  solve: '(Tensor A, Tensor B, *, bool left = True, Tensor out = None)',
  solve_ex: '(Tensor A, Tensor B, *, bool left = True, bool check_errors = False, tuple of Tensors out = None)',
  solve_triangular:
    '(Tensor input, Tensor B, *, bool upper, bool left = True, bool unitriangular = False, Tensor out = None)',
  svd: '(Tensor A, bool full_matrices = True, *, str driver = None, tuple of Tensors out = None)',
  svdvals: '(Tensor A, *, str driver = None, Tensor out = None)',
  tensorinv: '(Tensor input, int ind = 2, *, Tensor out = None)',
  tensorsolve: '(Tensor input, Tensor other, tuple of ints dims = None, *, Tensor out = None)',
  vander: '(Tensor x, *, int N = None)',
  vecdot: '(Tensor x, Tensor y, *, int dim = -1, Tensor out = None)',
  vector_norm:
    '(Tensor input, Number ord = 2, tuple of ints dim = None, bool keepdim = False, *, torch.dtype dtype = None, Tensor out = None)',
} as const satisfies Record<string, Signatures>

/** `torch.special.<name>`'s signatures. */
export const SPECIAL_SIGNATURES = {
  digamma: '(Tensor input, *, Tensor out = None)',
  entr: '(Tensor input, *, Tensor out = None)',
  erf: '(Tensor input, *, Tensor out = None)',
  erfc: '(Tensor input, *, Tensor out = None)',
  erfcx: '(Tensor input, *, Tensor out = None)',
  erfinv: '(Tensor input, *, Tensor out = None)',
  exp2: '(Tensor input, *, Tensor out = None)',
  expit: '(Tensor input, *, Tensor out = None)',
  expm1: '(Tensor input, *, Tensor out = None)',
  gammainc: '(Tensor input, Tensor other, *, Tensor out = None)',
  gammaincc: '(Tensor input, Tensor other, *, Tensor out = None)',
  gammaln: '(Tensor input, *, Tensor out = None)',
  i0: '(Tensor input, *, Tensor out = None)',
  i0e: '(Tensor input, *, Tensor out = None)',
  i1: '(Tensor input, *, Tensor out = None)',
  i1e: '(Tensor input, *, Tensor out = None)',
  log1p: '(Tensor input, *, Tensor out = None)',
  log_ndtr: '(Tensor input, *, Tensor out = None)',
  log_softmax: '(Tensor input, int dim, *, torch.dtype dtype = None)',
  logit: '(Tensor input, float eps = None, *, Tensor out = None)',
  logsumexp: '(Tensor input, tuple of ints dim, bool keepdim = False, *, Tensor out = None)',
  multigammaln: '(Tensor input, int p, *, Tensor out = None)',
  ndtr: '(Tensor input, *, Tensor out = None)',
  ndtri: '(Tensor input, *, Tensor out = None)',
  polygamma: '(int n, Tensor input, *, Tensor out = None)',
  psi: '(Tensor input, *, Tensor out = None)',
  round: '(Tensor input, *, int decimals = 0, Tensor out = None)',
  sinc: '(Tensor input, *, Tensor out = None)',
  softmax: '(Tensor input, int dim, torch.dtype dtype = None)',
  xlog1py: [
    '(Tensor input, Tensor other, *, Tensor out = None)',
    '(Number self, Tensor other, *, Tensor out = None)',
    '(Tensor input, Number other, *, Tensor out = None)',
  ],
  xlogy: [
    '(Tensor input, Tensor other, *, Tensor out = None)',
    '(Number self, Tensor other, *, Tensor out = None)',
    '(Tensor input, Number other, *, Tensor out = None)',
  ],
  zeta: [
    '(Tensor input, Tensor other, *, Tensor out = None)',
    '(Number self, Tensor other, *, Tensor out = None)',
    '(Tensor input, Number other, *, Tensor out = None)',
  ],
} as const satisfies Record<string, Signatures>

// -------------------------------------------------------------------------------------
// entry checks
// -------------------------------------------------------------------------------------

const checkOf = (fn: string, sigs: Signatures): ((args: ReadonlyArray<unknown>) => void) =>
  typeof sigs === 'string' ? signature(fn, sigs) : overloads(fn, sigs)

/** Every parameter name of the signatures. */
const keywordNames = (sigs: Signatures): ReadonlySet<string> =>
  new Set((typeof sigs === 'string' ? [sigs] : sigs).flatMap((s) => paramNames(s).flat()))

/**
 * PyTorch's TypeError for a keyword no signature names: `got an unexpected keyword argument` for a
 * function with one signature, the invalid-combination error for an overloaded one.
 */
const refuseUnknownKeywords = (
  fn: string,
  sigs: Signatures,
  known: ReadonlySet<string>,
  args: ReadonlyArray<unknown>,
): void => {
  const last = args[args.length - 1]
  if (args.length < 2 || !isKwargs(last)) return
  const unknown = Object.keys(last).find((k) => !known.has(k))
  if (unknown === undefined) return
  if (typeof sigs === 'string') throw new TorchTypeError(`${fn}() got an unexpected keyword argument '${unknown}'`)
  throw invalidCombination(fn, args, sigs)
}

/**
 * `f` checking its arguments against `torch.linalg.<name>`'s signature first, and refusing keywords
 * the signature lacks (the others are `f`'s to parse).
 */
export const linalgEntry = <F extends (...args: never[]) => unknown>(name: keyof typeof LINALG_SIGNATURES, f: F): F => {
  const fn = `linalg_${name}`
  const sigs: Signatures = LINALG_SIGNATURES[name]
  const check = checkOf(fn, sigs)
  const known = keywordNames(sigs)
  return ((...args: unknown[]) => {
    const given = trimmed(args)
    check(given)
    refuseUnknownKeywords(fn, sigs, known, given)
    return (f as unknown as (...a: unknown[]) => unknown)(...args)
  }) as unknown as F
}

/** The arguments without trailing omitted ones (an explicit `undefined` is an omitted argument). */
const trimmed = (args: ReadonlyArray<unknown>): ReadonlyArray<unknown> => {
  let n = args.length
  while (n > 0 && args[n - 1] === undefined) n--
  return n === args.length ? args : args.slice(0, n)
}

/** The names of a signature's positional parameters and of its keyword-only ones. */
const paramNames = (sig: string): readonly [ReadonlyArray<string>, ReadonlyArray<string>] => {
  const params = topLevelParams(sig)
  const star = params.indexOf('*')
  const name = (p: string): string => (p.split(' = ')[0] ?? '').split(' ').pop() ?? ''
  const positional = (star < 0 ? params : params.slice(0, star)).map(name)
  return [positional, star < 0 ? [] : params.slice(star + 1).map(name)]
}

/**
 * `f` as `torch.special.<name>`: the call is checked against PyTorch's signature, then bound as
 * PyTorch binds it: positional parameters (given by position or keyword) are passed by position,
 * keyword-only ones other than `out` in one trailing object; a keyword the signature lacks raises
 * PyTorch's TypeError, and `out=` a not-supported error.
 */
export const specialEntry = <F extends (...args: never[]) => unknown>(
  name: keyof typeof SPECIAL_SIGNATURES,
  f: F,
): F => {
  const fn = `special_${name}`
  const sigs: Signatures = SPECIAL_SIGNATURES[name]
  const check = checkOf(fn, sigs)
  // every overload of a special function has the same parameter names, so the first one binds
  const [positional, keywordOnly] = paramNames(typeof sigs === 'string' ? sigs : (sigs[0] ?? '()'))
  return ((...args: unknown[]) => {
    const given = trimmed(args)
    check(given)
    const last = given[given.length - 1]
    const hasKw = given.length > 1 && isKwargs(last)
    const kw: Record<string, unknown> = hasKw ? (last as Record<string, unknown>) : {}
    const pos = hasKw ? given.slice(0, -1) : given
    for (const k of Object.keys(kw))
      if (!positional.includes(k) && !keywordOnly.includes(k))
        throw new TorchTypeError(`${fn}() got an unexpected keyword argument '${k}'`)
    if (kw.out !== undefined && kw.out !== null)
      throw new NotImplementedError(`${fn}(): the out= argument is not supported`)
    const bound = positional.map((p, i) => (i < pos.length ? pos[i] : kw[p]))
    const options = Object.fromEntries(
      Object.entries(kw).filter(([k, v]) => keywordOnly.includes(k) && k !== 'out' && v !== undefined),
    )
    const call = f as unknown as (...a: unknown[]) => unknown
    return Object.keys(options).length > 0 ? call(...bound, options) : call(...trimmed(bound))
  }) as unknown as F
}

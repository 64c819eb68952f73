/**
 * Which differences of a run are explained, and why (issue 10 closes when every difference left
 * is): a documented PyTorch 1.13-vs-2.x difference where the facade follows 2.x (corpus.ts
 * `versionDifference`, and the classes below), a deliberate choice with its paragraph in
 * docs/porting.md, or PyTorch 1.13 itself failing (an internal assert, a tensor it cannot read).
 * Everything else is unexplained, with the class's note from corpus.ts `reasonFor` where it has
 * one. batch.ts writes the verdict and reason after the key (`key || verdict: reason`) and its
 * `--table` counts agree / explained / unexplained.
 */
import type { Difference } from './compare'
import type { Arg, Expr, Program } from './program'
import { reasonFor, versionDifference } from './corpus'
import { autogradVersion } from './explain-autograd'
import { distVersion } from './explain-dist'
import { type Runs, batchNormNoise, optimizerNoise } from './explain-optim'

/** How a difference is explained. */
export type Verdict = '1.13 vs 2.x' | 'deliberate' | 'PyTorch 1.13 failed' | 'rounding noise'

/** An explained difference: its verdict and reason. */
export interface Explanation {
  readonly verdict: Verdict
  readonly reason: string
}

/**
 * The deliberate differences, each the bold title of its paragraph in docs/porting.md ("Deliberate
 * differences"); test/torch/difftestExplain.test.ts checks that every title is there.
 */
export const DELIBERATE = {
  failedBackward: '`.grad` is written only after a successful backward.',
  ties: 'Indices of ties in `kthvalue`, `topk`, `median`, `mode`.',
  integralScalar: 'An integral float scalar is an integer.',
  int64Cast: 'NaN and infinities have no int64 value.',
  sharedGrad: 'Leaves never share `.grad` memory.',
  zeroSigns: 'Signs of zero (D2).',
  matrixExp: '`matrix_exp` and its gradient are computed in float64.',
  matrixExpNaN: '`matrix_exp` of a matrix with NaN is NaN.',
  poolPadding: '`max_pool2d` windows wholly inside the padding.',
} as const

const deliberate = (title: keyof typeof DELIBERATE, what: string): Explanation => ({
  verdict: 'deliberate',
  reason: `${what} (docs/porting.md, Deliberate differences: "${DELIBERATE[title]}")`,
})

const version = (reason: string): Explanation => ({ verdict: '1.13 vs 2.x', reason })

const msgOf = (e: unknown): string =>
  typeof e === 'object' && e !== null && 'msg' in e ? String((e as { msg: unknown }).msg) : ''

const valuesOf = (e: unknown): ReadonlyArray<unknown> => {
  const t = typeof e === 'object' && e !== null && 't' in e ? (e as { t: unknown }).t : null
  return typeof t === 'object' && t !== null && 'values' in t ? ((t as { values: unknown[] }).values ?? []) : []
}

/** The recorded tensor's `_version`, or undefined. */
const versionOf = (e: unknown): unknown => {
  const t = typeof e === 'object' && e !== null && 't' in e ? (e as { t: unknown }).t : null
  return typeof t === 'object' && t !== null && 'version' in t ? (t as { version: unknown }).version : undefined
}

/**
 * True when `final` records a leaf of at least 3 dimensions that is a matmul's right operand in
 * `prog` (`x.matmul(leaf)`, `torch.matmul(x, leaf)`): the operand 1.13 folds through a transpose.
 */
const rightNdMatmulOperand = (prog: Program, final: unknown): boolean => {
  if (typeof final !== 'object' || final === null || !('name' in final) || !('t' in final)) return false
  const { name, t } = final as { name: unknown; t: { shape?: ReadonlyArray<number> } | null }
  if ((t?.shape?.length ?? 0) < 3) return false
  const right = (x: Expr): Arg | undefined =>
    x.e !== 'call' || x.name !== 'matmul' ? undefined : x.recv === 'torch' ? x.args[1] : x.args[0]
  return prog.body.some((st) => {
    if (st.s !== 'let') return false
    const r = right(st.x)
    return r !== undefined && r.t === 'v' && r.v === name
  })
}

/** Positions where the two recorded values differ. */
const differing = (d: Difference): Array<[unknown, unknown]> => {
  const a = valuesOf(d.torch)
  const b = valuesOf(d.wengert)
  return a.flatMap((x, k) => (JSON.stringify(x) === JSON.stringify(b[k]) ? [] : [[x, b[k]] as [unknown, unknown]]))
}

/** A PyTorch 1.13 failure 2.x does not have, or null. */
const torchFailure = (d: Difference, tmsg: string, wmsg: string): Explanation | null => {
  if (d.key === 'events @ crash' && tmsg === "tolist() shouldn't be called on a tensor with unallocated storage")
    return {
      verdict: 'PyTorch 1.13 failed',
      reason:
        "PyTorch 1.13 left a leaf's .grad an unmaterialized efficient zero tensor (a create_graph gradient through abs/sgn, whose double backward is a ZeroTensor), which tolist() refuses; 2.x materializes ZeroTensors in AccumulateGrad (pytorch/pytorch#158837 documents it), the facade gives zeros",
    }
  if (
    tmsg.startsWith('!grad_fn INTERNAL ASSERT FAILED') &&
    wmsg.startsWith('A view was created in no_grad mode and ') &&
    wmsg.includes('modified inplace with grad mode enabled')
  )
    return {
      verdict: 'PyTorch 1.13 failed',
      reason:
        "PyTorch 1.13's handle_view_on_rebase asserts !grad_fn for a NO_GRAD_MODE view (variable.cpp:792) although a view of such a view has one; 2.x removed the assert (pytorch/pytorch#88243, fixing #88205) and raises the no_grad-view error the facade raises",
    }
  return null
}

/** PyTorch's error when a retain_grad hook of 1.13 clones an undefined gradient (D22). */
const UNDEFINED_GRAD = "Expected a proper Tensor but got None (or an undefined Tensor in C++) for argument #0 'self'"

/** Both messages are the saved-tensor version error and differ only in the tensor's shape. */
const savedShapeOnly = (a: string, b: string): boolean => {
  const shapeless = (m: string): string => m.replace(/\[torch\.\w+ \[[0-9, ]*\]\]/, '[T]')
  return a !== b && a.startsWith('one of the variables needed for gradient') && shapeless(a) === shapeless(b)
}

/** A 1.13-vs-2.x difference found by the tester (D24-D27, D45-D47, D50, D56, D57, D77, D88), or null. */
const laterVersion = (d: Difference, ops: ReadonlySet<string>, prog?: Program): Explanation | null => {
  const k = d.key
  if (k === 'grad_fn @ matmul' || k === 'error message @ matmul(mismatch)' || k === 'error class @ matmul')
    return version(reasonFor(d))
  if (k === 'error message @ matmul') return version(reasonFor(d))
  const diffs = differing(d)
  if (k === 'values @ baddbmm' && diffs.length > 0 && diffs.every(([t, w]) => t === 'nan' && typeof w === 'number'))
    return version(
      "D24 baddbmm with beta=0: 1.13's CPU kernel scales the uninitialized result by beta (0 · NaN garbage = NaN, pytorch/pytorch#80588); 2.x ignores it when beta is 0 (#96086, fixing #96037), as the facade does",
    )
  if (
    k === 'torch raises @ backward' &&
    ops.has('F.embedding') &&
    d.wengert !== null &&
    typeof d.wengert === 'object' &&
    (d.wengert as { k?: unknown }).k !== 'err' &&
    msgOf(d.torch).startsWith('one of the variables needed for gradient computation has been modified by an inplace')
  )
    return version(
      "D26 embedding's weight modified in place before backward: 1.13's EmbeddingBackward0 saves the whole weight (its formula reads weight.sym_size(0), which 1.13's codegen does not reduce to a size: _saved_weight), so the version check fails; 2.x's torchgen saves weight_sym_argsize_0 only (the {}.sym_size(N) rule of tools/autograd), so backward succeeds, as the facade's",
    )
  if (k === 'error message @ backward' && ops.has('retain_grad') && msgOf(d.torch) === UNDEFINED_GRAD)
    return version(
      "D45 retain_grad() on an output that receives no gradient, as D22, where backward fails later on: 1.13's retain_grad hook raises first (cloning the undefined gradient), 2.x's hook skips it (grad.defined() check, variable.cpp VariableHooks::retain_grad), so the engine goes on to the later error the facade raises (here aminmax's NotImplemented node)",
    )
  if (k === 'error message @ backward' && ops.has('matmul') && savedShapeOnly(msgOf(d.torch), msgOf(d.wengert)))
    return version(
      "D46 a saved-tensor version error naming the shape of matmul's saved operand: as in D13, 1.13 folds a 2-D @ N-D product into mm (saving a 2-D view), 2.x's should_fold refuses when tensor1 is 2-D and does not require grad, so BmmBackward0 saves the expanded N-D operand, whose shape the facade names (LinearAlgebra.cpp should_fold)",
    )
  if (k === 'grad version @ grad' && ops.has('diag') && versionOf(d.torch) === 0 && versionOf(d.wengert) === 1)
    return version(
      "D50 diag of a vector: 1.13's DiagBackward0 returns a fresh gradient, which AccumulateGrad takes as .grad (_version 0); 2.x (followed by the facade) composes diag as diag_embed (TensorShape.cpp), whose gradient is grad.diagonal(offset), a view AccumulateGrad copies (_version 1) (difftest seed 401546; test/torch/fixtures/grad_version.py 'diag-1d')",
    )
  if (
    k === 'grad version @ grad' &&
    versionOf(d.torch) === 1 &&
    versionOf(d.wengert) === 0 &&
    prog !== undefined &&
    rightNdMatmulOperand(prog, d.torch)
  )
    return version(
      "D47 .grad _version of the N-D operand of a 2-D @ N-D matmul whose 2-D operand does not require grad: as in D46, 1.13 folds the product into mm through the N-D operand's transpose, so that operand's gradient arrives transposed and AccumulateGrad copies it (version 1); 2.x's should_fold refuses (tensor1 is 2-D and does not require grad) and bmm's gradient is contiguous, taken as is (version 0) as the facade's (LinearAlgebra.cpp should_fold; test/torch/fixtures/matmul_nd.py grad_layouts)",
    )
  if (
    k === 'torch raises @ backward' &&
    ops.has('linalg.solve') &&
    /^Function LinalgSolveExBackward0 returned an invalid gradient at index 0 - got \[([\d, ]*)\] but expected shape compatible with \[\1, 1\]$/.test(
      msgOf(d.torch),
    )
  )
    return version(
      "D56 linalg.solve of 1×1 matrices with a vector right-hand side: 1.13's LinalgSolveExBackward0 returns A's gradient without its last axis, which validate_outputs refuses (pytorch/pytorch#89761, #95974); 2.x's linalg_solve_backward (FunctionsManual.cpp) decides the vector case from LU and the result X (linalg_solve_is_vector_rhs) and returns gA = -gB·Xᴴ of A's shape, as the facade does",
    )
  if (k === 'torch raises @ backward' && ops.has('F.group_norm') && msgOf(d.torch) === 'tensor does not have a device')
    return version(
      "D57 group_norm with a bias and no weight: 1.13's native_group_norm_backward allocates the bias gradient like the undefined weight (empty_like(gamma)), which raises; 2.x (group_norm.cpp native_group_norm_backward) takes the parameters' options from the input when gamma is undefined and returns the bias gradient, as the facade does",
    )
  if (
    /^values @ (F\.group_norm|GroupNorm\(\))$/.test(k) &&
    diffs.length > 0 &&
    diffs.every(
      ([t, w]) => typeof t === 'number' && typeof w === 'number' && Math.abs(t - w) <= 1e-4 * Math.max(1, Math.abs(t)),
    )
  )
    return version(
      "D77 group_norm's rstd in float32: 1.13's CPU kernel casts eps to float and takes 1/sqrt(max(var, 0) + eps) in float; 2.x's (group_norm_kernel.cpp GroupNormKernelImplInternal, eps a double) adds the double eps and takes the root and reciprocal in double, rounding once (316.22775 vs 1.13's 316.22778 for a zero-variance group at eps 1e-5), which the fused x·scale + bias turns into different rounding residues around beta in near-constant groups; the facade computes 2.x's (src/torch/nn/groupNormKernel.ts; 1.13's bits in test/fixtures/torch/groupnorm_bits)",
    )
  if (
    /^values @ (F\.layer_norm|torch\.layer_norm|LayerNorm\(.*\))$/.test(k) &&
    diffs.length > 0 &&
    diffs.every(
      ([t, w]) => typeof t === 'number' && typeof w === 'number' && Math.abs(t - w) <= 1e-4 * Math.max(1, Math.abs(t)),
    )
  )
    return version(
      "D88 layer_norm's output in float32/float64: 1.13's CPU kernel forms x·rstd + (−rstd·mean) (fused multiply-adds), which leaves the rounding residue of rstd·mean on a constant row (−1.5e-5 where the exact value is 0); 2.x's (layer_norm_kernel.cpp LayerNormKernelImplInternal; the residue is pytorch/pytorch#108072) forms (x − mean)·rstd·gamma + beta, exactly beta on a constant row; the facade computes 2.x's with the same row moments and rstd (src/torch/nn/layerNormKernel.ts; 1.13's bits in test/fixtures/torch/layernorm_bits) (difftest seed 400668)",
    )
  if (k === 'grad values @ grad' && ops.has('pow(int,float)') && diffs.length > 0 && diffs.every(nearlyEqual(1e-6)))
    return version(
      "D87 pow of an integer base tensor and a float exponent tensor: 1.13's pow_backward_exponent takes self.log() of the integer base, a float32 (default dtype) log, so the exponent's gradient result·log(self) carries float32 rounding even in float64; 2.x (followed by the facade) first converts self to result_type(self, exponent) (FunctionsManual.cpp pow_backward_exponent: promoted_dtype), a float64 log (difftest seed 401456; test/torch/followsLater.test.ts)",
    )
  const spread = [...ops].some((o) => /^(var|std)(_mean)?\b/.test(o))
  if (
    k === 'grad values @ grad' &&
    spread &&
    diffs.length > 0 &&
    diffs.every(([t, w]) => w === 'nan' && (t === 'inf' || t === '-inf' || t === 0 || t === '-0'))
  )
    return version(
      "D25 var()/std() of a full (or 0-d) reduction with no degrees of freedom left (numel <= correction): 1.13's var_backward is 2/(n - correction) · grad · (self - mean), ±inf or 0 at the mean; 2.x (followed by the facade, src/torch/methods/reduceZeros.ts) has its dof <= 0 branch, grad · where(self == mean, NaN, inf), NaN at the mean (FunctionsManual.cpp var_backward; std_backward divides by 2·result)",
    )
  return null
}

/**
 * The explanation of a difference (`ops`: the op names of its program; `runs`: both runs' events,
 * which the optimizer rounding-noise class reads), or null where it is unexplained.
 */
export const explain = (
  d: Difference,
  ops: ReadonlySet<string> = new Set(),
  runs?: Runs,
  prog?: Program,
): Explanation | null => {
  const tmsg = msgOf(d.torch)
  const wmsg = msgOf(d.wengert)
  const v = versionDifference(d.key, tmsg)
  if (v !== null) return version(v)
  const ag = autogradVersion(d, ops, prog)
  if (ag !== null) return version(ag)
  const dv = distVersion(d, prog)
  if (dv !== null) return version(dv)
  const failed = torchFailure(d, tmsg, wmsg)
  if (failed !== null) return failed
  const later = laterVersion(d, ops, prog)
  if (later !== null) return later
  const noise = optimizerNoise(d, runs) ?? batchNormNoise(d, runs)
  if (noise !== null) return { verdict: 'rounding noise', reason: noise }
  const known = reasonFor(d)
  if (known.startsWith('deliberate: .grad is written only after'))
    return deliberate(
      'failedBackward',
      'PyTorch accumulated into the leaves its engine reached before the failing node',
    )
  if (known.startsWith('deliberate: an integral float scalar'))
    return deliberate(
      'integralScalar',
      'int64 ⊕ an integral float scalar stays int64 (JavaScript cannot tell 0.0 from 0)',
    )
  if (
    d.key === 'grad values @ grad' &&
    ops.has('backward(2nd)') &&
    (ops.has('stack') || ops.has('unbind')) &&
    differing(d).every(([t, w]) => typeof t === 'number' && typeof w === 'number' && Math.abs(t) > Math.abs(w))
  )
    return deliberate(
      'sharedGrad',
      "PyTorch's AccumulateGrad kept two leaves' first gradients as views of one expanded buffer, so the second backward's in-place accumulation adds twice",
    )
  if (/^signed zero @ (F\.gelu|gelu|erf)$/.test(d.key))
    return deliberate(
      'zeroSigns',
      "the sign PyTorch's float32 vector kernel gives gelu(−0)/erf(−0) depends on the element's position (+0 in full 8-lane blocks, −0 in the scalar tail); the facade keeps the formula's −0",
    )
  if (matrixExpRounding(d, ops))
    return deliberate(
      'matrixExp',
      "PyTorch's matrix_exp gradient exponentiates the 2n×2n block matrix in the input's dtype (many squarings for a large gradient: 1e-3 relative in float32); the facade's is computed in float64",
    )
  if (d.key === 'values @ torch.digamma' && ops.has('linalg.matrix_exp') && differing(d).every(nearlyEqual(1e-6)))
    return deliberate(
      'matrixExp',
      "digamma near a pole of matrix_exp's float64 output: the facade's Padé exponential and PyTorch's Taylor one differ by ~1e-14 relative, which digamma's pole amplifies; digamma of PyTorch's own matrix agrees",
    )
  if (
    d.key === 'grad values @ grad' &&
    ops.has('linalg.matrix_exp') &&
    differing(d).length > 0 &&
    differing(d).every(([t, w]) => w === 'nan' && typeof t === 'number')
  )
    return deliberate(
      'matrixExpNaN',
      "a NaN gradient reached matrix_exp's backward, whose block exponential PyTorch computes into an uninitialised buffer (no degree fits a NaN norm); the facade's gradient is NaN",
    )
  if (
    d.key === 'grad values @ grad' &&
    prog !== undefined &&
    ceilModeMaxPool(prog) &&
    differing(d).every(([t, w]) => w === 0 && (typeof t === 'number' || t === 'inf' || t === '-inf'))
  )
    return deliberate(
      'poolPadding',
      "max_pool2d with ceil_mode: PyTorch's backward adds a window's gradient at the argmax it recorded for a window wholly inside the padding, outside the plane (the next plane's elements); the facade's window has no element to receive it",
    )
  if (d.key === 'values @ kthvalue' || d.key === 'values @ topk' || d.key === 'signed zero @ median()')
    return deliberate(
      'ties',
      "which of several equal elements (or of 0 and -0) PyTorch's quickselect / nth_element picks; the values agree",
    )
  if (
    /^wengert raises @ (long|int|to|type)/.test(d.key) &&
    /^cast: (NaN|-?Infinity|-?inf) has no exact int(64|32) value/.test(wmsg)
  )
    return deliberate(
      'int64Cast',
      'a cast of NaN or ±inf to an integer raises OverflowError where PyTorch gives INT64_MIN',
    )
  return null
}

/** A test of a [PyTorch, facade] pair: two finite numbers within `rtol` of each other. */
const nearlyEqual =
  (rtol: number) =>
  ([t, w]: [unknown, unknown]): boolean =>
    typeof t === 'number' && typeof w === 'number' && Math.abs(t - w) <= rtol * Math.max(Math.abs(t), Math.abs(w))

/** True when the program calls max_pool1d/2d with `ceil_mode=True` (a window can lie wholly in the padding). */
const ceilModeMaxPool = (prog: Program): boolean =>
  prog.body.some(
    (st) =>
      st.s === 'let' &&
      st.x.e === 'call' &&
      /^max_pool[12]d$/.test(st.x.name) &&
      st.x.kw.some(([k, a]) => k === 'ceil_mode' && a.t === 'b' && a.v),
  )

/**
 * True for a gradient difference of a program with matrix_exp whose differing entries are all
 * finite numbers of one sign within 1% of each other (the float32 block exponential's error).
 */
const matrixExpRounding = (d: Difference, ops: ReadonlySet<string>): boolean => {
  if (d.key !== 'grad values @ grad' || !ops.has('linalg.matrix_exp')) return false
  const diffs = differing(d)
  return (
    diffs.length > 0 &&
    diffs.every(
      ([t, w]) => typeof t === 'number' && typeof w === 'number' && t * w > 0 && Math.abs(t - w) <= 1e-2 * Math.abs(t),
    )
  )
}

/**
 * The op found responsible for the gradient differences still open (difftest seeds bisected in
 * session 19), by the ops of the program: [op, what differs]. First match wins.
 */
const GRAD_CULPRITS: ReadonlyArray<readonly [string, string]> = [
  ['F.instance_norm', "instance_norm's backward: signs of zero"],
  ['F.group_norm', "group_norm's backward: signs of zero"],
  ['F.batch_norm', "batch_norm's backward: signs of zero"],
  ['F.logsigmoid', 'logsigmoid or normalize backward (seed 410061: the sign of a zero gradient; not bisected further)'],
]

/** The note of an unexplained class (corpus.ts reasonFor), or 'unclassified'; for the gradient classes it names the op found responsible. */
export const unexplainedNote = (d: Difference, ops: ReadonlySet<string> = new Set()): string => {
  const base = reasonFor(d)
  if (d.key !== 'grad values @ grad' && d.key !== 'grad signed zero @ grad') return base
  const culprit = GRAD_CULPRITS.find(([op]) => ops.has(op))
  return culprit === undefined ? base : `${culprit[1]} (op ${culprit[0]}; was tagged: ${base})`
}

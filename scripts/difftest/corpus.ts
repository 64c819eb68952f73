/**
 * The committed corpus (test/fixtures/difftest/): programs with PyTorch's answers, replayed by
 * test/torch/difftest.test.ts without PyTorch, and the known differences with their reasons.
 * `npm run difftest -- --corpus 400` regenerates both (it needs PyTorch); reasons already written
 * for a (seed, key) are kept, new differences get the reason of their class from `reasonFor`.
 * `npm run difftest -- --corpus-add seeds.txt` appends the programs of other seeds (one a line:
 * fixed differences and agreeing programs of a fresh run) with PyTorch's answers (`--corpus N`
 * rewrites the corpus from the generator's range, dropping them: add them again after).
 * `npm run difftest -- --corpus-add-min lines.txt` (`seed op…` a line) appends agreeing programs
 * shrunk to the statements that still call those ops and agree (minimize.ts shrinkAgreeing).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Difference } from './compare'
import { generate } from './generate'
import { type Program, emitPy } from './program'
import type { Event } from './record'

export const FIXTURES = fileURLToPath(new URL('../../test/fixtures/difftest/', import.meta.url))
/** Corpus programs are seeds CORPUS_SEED, CORPUS_SEED + 1, … of the generator. */
export const CORPUS_SEED = 1_000_000

/** One corpus case: the program, its Python rendering (what PyTorch ran) and PyTorch's events. */
export interface Case {
  readonly seed: number
  readonly program: Program
  readonly py: string
  readonly torch: ReadonlyArray<Event>
}
/** A recorded disagreement: the case, the key of its first difference, why. */
export interface Known {
  readonly seed: number
  readonly key: string
  readonly reason: string
}

const VIEW_OPS =
  /@ (index|view|reshape|expand|select|narrow|unsqueeze|squeeze|squeeze\(dim\)|permute|transpose|T|t|mT)$/

/**
 * The reason of a documented PyTorch 1.13-vs-2.x difference (the facade follows 2.x), or null:
 * `key` and PyTorch 1.13's error message. batch.ts counts these as explained, not as disagreements.
 */
export const versionDifference = (key: string, torchMsg: string): string | null => {
  if (key === 'grad_fn @ diag')
    return 'D15 diag: 1.13 has DiagBackward0; 2.x (followed by the facade) has no derivatives.yaml entry, diag is CompositeImplicitAutograd (TensorShape.cpp): diag_embed for a vector (DiagEmbedBackward0), diagonal_copy for a matrix (DiagonalBackward0_copy, torchgen names a view_copy node after its view); test/torch/fixtures/grad_fn_names.py'
  if (key === 'torch raises @ F.pad(circular)' && /^Invalid padding size, expected \d+ but got \d+$/.test(torchMsg))
    return 'D16 F.pad(circular) of an unbatched input: 1.13 _pad_circular requires batch and channel dims; 2.x (followed by the facade) allows 1 or 2 non-padded dims (PadNd.cpp _pad_circular_symint); test/torch/nn/fixtures/pad_circular.py'
  if (
    key === 'torch raises @ backward' &&
    /^Function (Var|Std)Backward0 returned an invalid gradient at index 0 - got \[\] but expected shape compatible with \[[\d, ]+\]$/.test(
      torchMsg,
    )
  )
    return "D19 var()/std() of all elements with no degrees of freedom left (numel <= correction): 1.13 returns a 0-d gradient, which validate_outputs refuses; 2.x (followed by the facade) has var_backward's dof <= 0 branch, grad * where(self == self.mean(), NaN, inf) in the shape of self (FunctionsManual.cpp var_backward; std_backward divides it by 2·result)"
  if (key === 'values @ .weight(NAdam)')
    return 'D20 NAdam: 1.13 multiplies mu into mu_product_next a second time (mu_product * mu * mu_next, torch/optim/nadam.py); 2.x (followed by the facade, src/torch/optim/adamax.ts) uses mu_product * mu_next, so parameters differ from the first step'
  if (
    key === 'error message @ lr_scheduler.OneCycleLR' &&
    torchMsg === 'optimizer must support momentum with `cycle_momentum` option enabled'
  )
    return 'D21 OneCycleLR(cycle_momentum=True) on an optimizer without momentum or betas: 1.13 says "support momentum", 2.x (followed by the facade) "support momentum or beta1" (torch/optim/lr_scheduler.py)'
  if (
    key === 'torch raises @ backward' &&
    torchMsg === "Expected a proper Tensor but got None (or an undefined Tensor in C++) for argument #0 'self'"
  )
    return "D22 retain_grad() on an output that receives no gradient (an unused chunk/split output): 1.13's retain_grad hook clones the undefined gradient, which raises; 2.x (followed by the facade) checks grad.defined() first and leaves .grad None (variable.cpp VariableHooks::retain_grad); difftest seed 328758. dist(p=0)'s backward raises the same message in both versions and agrees (test/torch/fixtures/difftest_leftovers16b.py)"
  if (/^version @ (\.running_(mean|var)|F\.batch_norm|BatchNorm[123]d\(.*\))$/.test(key))
    return "D23 running statistics of a training batch norm: 1.13's native_batch_norm writes them through raw pointers (no _version bump); 2.x (followed by the facade, src/torch/nn/norm_functional.ts) dispatches to _native_batch_norm_legit / _batch_norm_with_update, whose schema marks them Tensor(a!) running_mean, Tensor(b!) running_var, so each call bumps their _version once"
  if (key === 'signed zero @ baddbmm')
    return "D28 baddbmm with beta=0 of small operands: 1.13's baddbmm_cpu_kernel scales r by beta, then adds alpha·s·m per product (+0 + +0 for a zero product and a negative alpha); 2.x (followed by the facade) sums the products from +0 and writes alpha·sum (LinearAlgebra.cpp), so a zero sum times a negative alpha is −0 (difftest seeds 324944, 402610)"
  if (
    /^torch raises @ InstanceNorm[123]d(\(.*\))?$/.test(key) &&
    torchMsg === "instance_norm(): argument 'momentum' (position 7) must be float, not NoneType"
  )
    return 'D91 an InstanceNorm module with momentum=None: 1.13 hands None to F.instance_norm, which refuses it; 2.x (followed by the facade) passes 0.0 for None (torch/nn/modules/instancenorm.py _apply_instance_norm), so the call runs (difftest seed 420166)'
  if (
    /^torch raises @ Conv[123]d(\(.*\))?$/.test(key) &&
    /^Invalid padding size, expected \d+ but got \d+$/.test(torchMsg)
  )
    return "D92 a Conv1d/2d/3d module with padding_mode='circular' on an unbatched input: its forward pads through F.pad(circular), so 1.13 refuses it as in D16 (_pad_circular wants batch and channel dims); 2.x (followed by the facade) pads 1 or 2 leading non-padded dims (PadNd.cpp _pad_circular_symint) and convolves (difftest seed 421511)"
  if (key === 'shape @ aminmax')
    return 'D18 aminmax of a 0-d input with keepdim=True: 1.13 CPU resizes the results to [1]; 2.x (followed by the facade) gives 0-d results as amin/amax do (pytorch/pytorch#96042, fixed by #96171)'
  return null
}

/** The class of a difference, with the issue item it belongs to (see /work/notes/difftest-report.md). */
export const reasonFor = (d: Difference): string => {
  const tmsg = typeof d.torch === 'object' && d.torch !== null && 'msg' in d.torch ? String(d.torch.msg) : ''
  const k = d.key
  const wmsg = typeof d.wengert === 'object' && d.wengert !== null && 'msg' in d.wengert ? String(d.wengert.msg) : ''
  if (
    /^(dtype|wengert raises) @ \w+\(int,scalar\)$/.test(k) ||
    (tmsg !== wmsg && tmsg.replace(/\bfloat\b/g, 'int') === wmsg)
  )
    return 'deliberate: an integral float scalar is an integer (JavaScript cannot tell 0.0 from 0), so int64 ⊕ 0.0 stays int64 (docs/porting.md)'
  if (tmsg.includes('function that returns multiple views'))
    return 'D4 multi-output views (split/chunk/unbind) modified in place, or used after their base was, are not refused as in PyTorch (issue 10 item 7)'
  if (tmsg.includes("doesn't match the broadcast shape"))
    return 'D5 in-place op with a broadcasting operand grows the tensor instead of raising (issue 10 item 2)'
  if (/missing 1 required|invalid combination of arguments/.test(tmsg))
    return 'D6 view()/reshape()/expand() with no sizes is accepted; PyTorch raises TypeError (bad input, issue 10)'
  if (tmsg.includes('INTERNAL ASSERT FAILED'))
    return 'P1 PyTorch 1.13 fails an internal assert here (a no_grad view of a modified base); wengert raises the documented no_grad-view error'
  if (tmsg.includes('StdBackward0 returned an invalid gradient'))
    return 'P1 PyTorch 1.13 fails here (std of a regenerated 1-element view); wengert computes the gradient'
  if (k.startsWith('grad after failed backward'))
    return 'deliberate: .grad is written only after a successful backward; PyTorch accumulated into the leaves its engine reached before the failing node (docs/porting.md)'
  if (k.startsWith('grad version @'))
    return 'D1 remainder: .grad _version where the layout PyTorch gives a gradient (the strides of backward formula results) is not modelled by src/torch/autograd/gradLayout.ts'
  if (/^signed zero @ (F\.gelu|gelu|erf)$/.test(k))
    return "deliberate: the sign of gelu(−0)/erf(−0) in float32 depends on the element's position in PyTorch's CPU kernel (+0 in full 8-lane vector blocks, −0 in the scalar tail); the facade computes the op's formula, which keeps −0 (docs/porting.md)"
  if (k.includes('signed zero')) return 'D2 -0 where PyTorch returns 0 (issue 10 fidelity)'
  if (k === 'grad_fn @ .grad')
    return 'D3 x.grad after backward(create_graph=True) is a CopyBackwards copy in PyTorch (issue 10 item 6)'
  if (k === 'grad None @ grad' || k === 'grad_fn @ autograd.grad' || k === 'grad grad_fn @ grad')
    return 'D7 create_graph gradients of piecewise-linear ops / cumsum do not require grad, so a penalty does not reach the leaf (issue 10 item 5)'
  if (k === 'grad_fn @ fill_')
    return 'D8 fill_ on a non-leaf is FillBackward2 in PyTorch, FillBackward0 in wengert (issue 10 fidelity)'
  if (k.startsWith('requires_grad @'))
    return 'D9 a view taken under no_grad of a tensor that requires grad keeps requires_grad=True in PyTorch; wengert gives False'
  if (k === 'values @ relu' || k === 'values @ sign' || k === 'values @ detach')
    return 'D10 NaN handling: relu(nan) and sign(nan) differ from PyTorch (issue 10 item 3)'
  if (k === 'grad values @ grad' || k === 'values @ autograd.grad')
    return 'D11 gradients at a NaN/inf point (minimum/sqrt/std at a kink): PyTorch masks to 0, wengert gives NaN (issue 10 item 3)'
  if (k === 'grad_fn @ matmul' || k === 'error message @ matmul(mismatch)' || k === 'error class @ matmul')
    return 'D13 N-D matmul: PyTorch 1.13 folds into mm/mv where 2.x (followed by the facade) uses bmm, and has no batch-1 squeeze; 1-D @ 2-D ends in squeeze_(0), SqueezeBackward4 in 2.x where 1.13 numbers it SqueezeBackward3 (test/torch/fixtures/matmul_nd.py, grad_fn_names.py)'
  const v2 = versionDifference(k, tmsg)
  if (v2 !== null) return v2
  if (k === 'error message @ matmul')
    return 'P4 1.13 vs 2.x: 1.13 checks operand dtypes with "expected scalar type Double but found Float"; 2.x (followed by the facade) reaches mm\'s addmm_impl_cpu_ check "expected m1 and m2 to have the same dtype, but got: double != float"'
  if (k === 'values @ kthvalue' || k === 'values @ topk')
    return "D17 tie order: only the int64 indices differ, among equal elements (the values output, recorded first, agrees); PyTorch's CPU kernels pick them by their quickselect (kthvalue: SortingUtils.h quick_select_template, in 1.13 and 2.x alike) and the C++ library's nth_element/partial_sort (topk), which the facade does not reproduce (docs/porting.md)"
  if (k === 'grad_fn @ setitem' || k === 'grad_fn @ index' || VIEW_OPS.test(k))
    return 'D14 node names of views: full-range slices and 0-d .T are views in PyTorch (SliceBackward0/CopySlices/PermuteBackward0) (issue 10 fidelity)'
  return 'unclassified'
}

// JSON has no infinities or NaN: program constants such as masked_fill's -inf travel as { $num: '-inf' }
const replacer = (_: string, x: unknown): unknown =>
  typeof x === 'number' && !Number.isFinite(x) ? { $num: String(x) } : x
const reviver = (_: string, x: unknown): unknown =>
  typeof x === 'object' && x !== null && '$num' in x ? Number((x as { $num: string }).$num) : x

type Runner = (ps: ReadonlyArray<Program>) => Array<{ diff: Difference | null; torch: Event[]; ours: Event[] }>

export const readCorpus = (): { cases: Case[]; known: Known[] } => ({
  cases: readFileSync(`${FIXTURES}cases.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l, reviver) as Case),
  known: existsSync(`${FIXTURES}known-differences.json`)
    ? (JSON.parse(readFileSync(`${FIXTURES}known-differences.json`, 'utf8')) as Known[])
    : [],
})

export const writeCorpus = (n: number, run: Runner): void => {
  const progs = Array.from({ length: n }, (_, k) => generate(CORPUS_SEED + k))
  // programs that crash PyTorch itself (a 1.13 segfault) have no answer to keep
  const all = run(progs).map((r, k) => ({ ...r, p: progs[k] as Program }))
  const results = all.filter((r) => !r.torch.some((e) => e.k === 'crash'))
  const cases = results.map(({ p, torch }) => ({ seed: p.seed, program: p, py: emitPy(p), torch }))
  writeFileSync(`${FIXTURES}cases.jsonl`, cases.map((c) => JSON.stringify(c, replacer)).join('\n') + '\n')
  const old = existsSync(`${FIXTURES}known-differences.json`) ? readCorpus().known : []
  const known = results.flatMap(({ diff, p }) => {
    if (diff === null) return []
    const seed = p.seed
    const prev = old.find((o) => o.seed === seed && o.key === diff.key)
    return [{ seed, key: diff.key, reason: prev?.reason ?? reasonFor(diff) }]
  })
  writeFileSync(`${FIXTURES}known-differences.json`, JSON.stringify(known, null, 2) + '\n')
  // npm test checks the formatting of every JSON file
  spawnSync('npx', ['prettier', '--write', `${FIXTURES}known-differences.json`], { stdio: 'inherit' })
  console.log(`corpus: ${n} cases, ${known.length} known differences`)
}

/**
 * Appends the programs of `seeds` (those not in the corpus yet, and not crashing PyTorch) to the
 * corpus with PyTorch's answers, and their differences (if any) to the known ones.
 */
export const addToCorpus = (seeds: ReadonlyArray<number>, run: Runner): void =>
  addPrograms(
    [...new Set(seeds)].map((s) => generate(s)),
    run,
  )

/**
 * Appends `programs` (those whose seed is not in the corpus yet, and not crashing PyTorch) with
 * PyTorch's answers: generated ones (addToCorpus) or shrunk ones (minimize.ts shrinkAgreeing).
 */
export const addPrograms = (programs: ReadonlyArray<Program>, run: Runner): void => {
  const { cases, known } = readCorpus()
  const have = new Set(cases.map((c) => c.seed))
  const progs = programs.filter((p) => !have.has(p.seed))
  const results = run(progs)
    .map((r, k) => ({ ...r, p: progs[k] as Program }))
    .filter((r) => !r.torch.some((e) => e.k === 'crash'))
  const added = results.map(({ p, torch }) => ({ seed: p.seed, program: p, py: emitPy(p), torch }))
  const lines = [...cases, ...added].map((c) => JSON.stringify(c, replacer)).join('\n')
  writeFileSync(`${FIXTURES}cases.jsonl`, lines + '\n')
  const more = results.flatMap(({ diff, p }) =>
    diff === null ? [] : [{ seed: p.seed, key: diff.key, reason: reasonFor(diff) }],
  )
  writeFileSync(`${FIXTURES}known-differences.json`, JSON.stringify([...known, ...more], null, 2) + '\n')
  spawnSync('npx', ['prettier', '--write', `${FIXTURES}known-differences.json`], { stdio: 'inherit' })
  console.log(`corpus: ${added.length} cases added (${more.length} known differences)`)
}

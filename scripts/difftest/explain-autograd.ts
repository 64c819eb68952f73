/**
 * The documented PyTorch 1.13-vs-2.x differences of the `autograd` program kind (gen-autograd*.ts,
 * seeds 430000–431999), where the facade follows 2.x: D93 (saved-tensor pack hooks and Python
 * number operands) and D94 (retain_grad after tensor hooks).
 */
import type { Difference } from './compare'
import type { Program, Stmt } from './program'

const D93 =
  "D93 saved_tensors_hooks with a Python number operand (x.mul(1.5)): 1.13's SavedVariable packs the wrapped-number tensor MulBackward0 saves (the hook receives a 0-d float64/int64 tensor); 2.x (followed by the facade, src/torch/autograd/savedHooks.ts) keeps wrapped numbers from the hooks (saved_variable.cpp: 'Avoid wrapped numbers from being leaked to the user', is_wrapped_number())"
const D94 =
  "D94 retain_grad() before register_hook() on a non-leaf: 1.13 runs the retains_grad hook in registration order, so .grad misses the later hooks' changes; 2.x (followed by the facade) always runs it after every tensor hook (test_autograd.py test_retains_grad_can_always_observe_tensor_prehook; pytorch/pytorch#79996)"

type Rec = { readonly k: string; readonly name?: string; readonly t?: Record<string, unknown> | null }

const asRec = (e: unknown): Rec | null => (typeof e === 'object' && e !== null && 'k' in e ? (e as Rec) : null)

const flat = (ss: ReadonlyArray<Stmt>): Stmt[] =>
  ss.flatMap((s) => (s.s === 'nograd' || s.s === 'with' ? [s, ...flat(s.body)] : [s]))

/** True for PyTorch's record, inside a pack hook, of a wrapped number (a 0-d constant). */
const packedWrappedNumber = (d: Difference, ops: ReadonlySet<string>): boolean => {
  const t = asRec(d.torch)
  const w = t?.t
  return (
    ops.has('saved_tensors_hooks') &&
    t?.k === 'rec' &&
    /^pk\d+$/.test(t.name ?? '') &&
    w !== null &&
    w !== undefined &&
    JSON.stringify(w['shape']) === '[]' &&
    w['requires_grad'] === false &&
    w['grad_fn'] === null &&
    (w['dtype'] === 'torch.float64' || w['dtype'] === 'torch.int64')
  )
}

/** True when the recorded `.grad` is of a tensor that had retain_grad() called before a register_hook(). */
const retainedBeforeHook = (d: Difference, prog: Program): boolean => {
  const name = asRec(d.torch)?.name
  const body = flat(prog.body)
  const read = body.find((s) => s.s === 'let' && s.out === name && s.x.e === 'attr' && s.x.name === 'grad')
  if (read === undefined || read.s !== 'let' || read.x.e !== 'attr') return false
  const y = read.x.recv
  const callOn = (s: Stmt, m: string): boolean => s.s === 'let' && s.x.e === 'call' && s.x.recv === y && s.x.name === m
  const retained = body.findIndex((s) => callOn(s, 'retain_grad'))
  return retained >= 0 && body.some((s, k) => k > retained && callOn(s, 'register_hook'))
}

/** The D-number reason of an autograd-kind difference, or null. */
export const autogradVersion = (d: Difference, ops: ReadonlySet<string>, prog?: Program): string | null => {
  if (packedWrappedNumber(d, ops)) return D93
  if (prog !== undefined && d.key === 'values @ .grad' && retainedBeforeHook(d, prog)) return D94
  return null
}

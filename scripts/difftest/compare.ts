/**
 * Compares PyTorch's events with wengert's for one program and returns the first difference (or
 * null). Values agree within a relative tolerance of 1e-5 for float32 and 1e-10 for float64 (with
 * the same bound times max(1, the tensor's largest magnitude) as an absolute floor, so sums that
 * cancel to ~0 compare), NaN equals NaN, infinities and integers and booleans exactly, and −0 and 0
 * are told apart only as a field of their own (`signed zero`). Messages compare exactly.
 */
import type { Event, Num, TensorInfo } from './record'

/** A difference: the group key (`field @ op`), and what each side had. */
export interface Difference {
  readonly key: string
  readonly field: string
  readonly op: string
  readonly event: number
  readonly torch: unknown
  readonly wengert: unknown
}

/** The relative tolerance of values by dtype (exactness for the others). */
export const RTOL: Readonly<Record<string, number>> = { 'torch.float32': 1e-5, 'torch.float64': 1e-10 }

/** A recorded number as a JavaScript number (NaN, ±Infinity, −0 travel as strings). */
export const asNumber = (x: Num): number =>
  typeof x === 'boolean'
    ? Number(x)
    : x === 'nan'
      ? NaN
      : x === 'inf'
        ? Infinity
        : x === '-inf'
          ? -Infinity
          : x === '-0'
            ? -0
            : x

/** The first differing field of two values lists: `values` or `signed zero`, or null. */
const compareValues = (a: ReadonlyArray<Num>, b: ReadonlyArray<Num>, dtype: string): string | null => {
  if (a.length !== b.length) return 'values'
  const rtol = RTOL[dtype] ?? 0
  // an absolute floor of rtol × max(1, the tensor's largest magnitude): sums that cancel to ~0
  const scale = Math.max(1, ...a.map((x) => Math.abs(asNumber(x))).filter(Number.isFinite))
  let zero = false
  for (let k = 0; k < a.length; k++) {
    const x = a[k] as Num
    const y = b[k] as Num
    if (typeof x === 'boolean' || typeof y === 'boolean') {
      if (x !== y) return 'values'
      continue
    }
    const p = asNumber(x)
    const q = asNumber(y)
    if (Number.isNaN(p) || Number.isNaN(q)) {
      if (Number.isNaN(p) !== Number.isNaN(q)) return 'values'
    } else if (!Number.isFinite(p) || !Number.isFinite(q) || rtol === 0) {
      if (p !== q) return 'values'
    } else if (Math.abs(p - q) > rtol * (Math.max(Math.abs(p), Math.abs(q)) + scale)) return 'values'
    if (p === 0 && q === 0 && Object.is(p, -0) !== Object.is(q, -0)) zero = true
  }
  return zero ? 'signed zero' : null
}

/**
 * The field of a final `.grad` difference after a backward that raised on both sides: PyTorch's
 * partial accumulation (the deliberate difference "`.grad` is written only after a successful
 * backward", docs/porting.md), not a wrong gradient.
 */
export const GRAD_AFTER_FAILED_BACKWARD = 'grad after failed backward'

const FIELDS = ['grad_fn', 'requires_grad', 'is_leaf', 'version'] as const

/**
 * The op of a record of the gradient entering an optimizer step (gen-wide-nn.ts `recordGrads`):
 * context for explain-optim.ts, not compared (the parameters after the step are), so recording
 * it changes no program's verdict.
 */
export const STEP_GRADIENT = /^\.(weight\.)?grad\((\w+)\)$/

/**
 * The first differing field of two recorded tensors, or null: shape, dtype and values first (a
 * wrong value matters most), then the autograd fields, then the sign of zeros.
 */
export const compareTensor = (a: TensorInfo, b: TensorInfo, minor = true): string | null => {
  if (a === null || b === null) return a === b ? null : 'None'
  if (a.py !== undefined || b.py !== undefined) return a.py === b.py ? null : 'value'
  if (JSON.stringify(a.shape) !== JSON.stringify(b.shape)) return 'shape'
  if (a.dtype !== b.dtype) return 'dtype'
  const values = compareValues(a.values ?? [], b.values ?? [], a.dtype ?? '')
  if (values === 'values') return values
  for (const f of FIELDS) if ((minor || f !== 'version') && JSON.stringify(a[f]) !== JSON.stringify(b[f])) return f
  return minor ? values : null
}

/** Python's and JavaScript's errors for using None (a `.grad` that stayed None) are the same event. */
const noneDereference = (cls: string, msg: string): boolean =>
  (cls === 'AttributeError' && msg.startsWith("'NoneType' object has no attribute")) ||
  (cls === 'TypeError' && /^Cannot read properties of (null|undefined)/.test(msg))

/**
 * Node names the harness's 1.13 → 2.x renaming (harness.py RENAMES, by name alone) gets wrong at
 * one op, mapped back: F.pairwise_distance is C++ `at::norm(x1 - x2 + eps, p, dim, keepdim)` in
 * 2.x (Distance.cpp), norm.ScalarOpt_dim's NormBackward1, not the Python `torch.norm` that 2.x
 * routes to linalg.vector_norm.
 */
const TORCH_NAME_AT: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'F.pairwise_distance': { LinalgVectorNormBackward0: 'NormBackward1' },
}

/** PyTorch's recorded tensor with the node name of 2.x at `op` (see TORCH_NAME_AT). */
const torchTensorAt = (t: TensorInfo, op: string): TensorInfo => {
  const names = TORCH_NAME_AT[op]
  const name = t?.grad_fn
  if (names === undefined || t === null || typeof name !== 'string' || names[name] === undefined) return t
  return { ...t, grad_fn: names[name] }
}

/**
 * True when PyTorch's error message is ours once the node names TORCH_NAME_AT maps back at one of
 * the program's ops are mapped back: harness.py renames node names inside messages too (a
 * saved-tensor error naming F.pairwise_distance's NormBackward1 reads LinalgVectorNormBackward0).
 */
const sameMessage = (torchMsg: string, ours: string, ops: ReadonlyMap<number, string>): boolean => {
  if (torchMsg === ours) return true
  for (const op of new Set(ops.values())) {
    const names = TORCH_NAME_AT[op]
    if (names === undefined) continue
    let m = torchMsg
    for (const [from, to] of Object.entries(names)) m = m.replace(new RegExp(`\\b${from}\\b`, 'g'), to)
    if (m === ours) return true
  }
  return false
}

/**
 * The facade's name of a Python exception class: Python names torch.linalg.LinAlgError's class
 * `_LinAlgError` (torch._C._LinAlgError, in 1.13 and 2.x), the facade exports and names it
 * `LinAlgError` (as test/torch/linalgSolveEx.test.ts maps it).
 */
const pyClass = (cls: string): string => (cls === '_LinAlgError' ? 'LinAlgError' : cls)

const where = (e: Event | undefined, ops: ReadonlyMap<number, string>): string => {
  if (e === undefined) return 'end'
  if (e.k === 'final') return 'grad'
  if (e.k === 'crash') return 'crash'
  return e.at === null ? 'start' : (ops.get(e.at) ?? '?')
}

/**
 * The first difference of two runs of one program (`ops`: the op of each statement id). Minor
 * fields (`_version` and the sign of zeros) are looked at only when everything else agrees, so
 * they do not hide a wrong value further on.
 */
export const compareRuns = (
  torchEvents: ReadonlyArray<Event>,
  ours: ReadonlyArray<Event>,
  ops: ReadonlyMap<number, string>,
): Difference | null => firstDifference(torchEvents, ours, ops, false) ?? firstDifference(torchEvents, ours, ops, true)

const firstDifference = (
  torchEvents: ReadonlyArray<Event>,
  ours: ReadonlyArray<Event>,
  ops: ReadonlyMap<number, string>,
  minor: boolean,
): Difference | null => {
  const n = Math.max(torchEvents.length, ours.length)
  // both sides raised the same error in a backward: PyTorch had already accumulated into the
  // leaves its engine reached, wengert touched none (docs/porting.md, deliberate differences)
  let failedBackward = false
  for (let k = 0; k < n; k++) {
    const a = torchEvents[k]
    const b = ours[k]
    const diff = (field: string, op: string): Difference => ({
      key: `${field} @ ${op}`,
      field,
      op,
      event: k,
      torch: a,
      wengert: b,
    })
    if (a === undefined || b === undefined || a.k !== b.k) {
      const what = a?.k === 'err' ? 'torch raises' : b?.k === 'err' ? 'wengert raises' : 'events'
      // the op where one side raised, else where the other side was
      const at = a?.k === 'err' ? where(a, ops) : b?.k === 'err' ? where(b, ops) : where(a ?? b, ops)
      return diff(what, at)
    }
    if (a.k === 'err' && b.k === 'err') {
      if (noneDereference(a.cls, a.msg) && noneDereference(b.cls, b.msg)) continue
      if (pyClass(a.cls) !== b.cls) return diff('error class', where(a, ops))
      if (!sameMessage(a.msg, b.msg, ops)) return diff('error message', where(a, ops))
      if (a.at !== b.at) return diff('error statement', where(a, ops))
      if (where(a, ops).startsWith('backward')) failedBackward = true
    } else if ((a.k === 'rec' && b.k === 'rec') || (a.k === 'final' && b.k === 'final')) {
      if (a.name !== b.name) return diff('events', where(a, ops))
      if (a.k === 'rec' && STEP_GRADIENT.test(where(a, ops))) continue
      const f = compareTensor(a.k === 'rec' ? torchTensorAt(a.t, where(a, ops)) : a.t, b.t, minor)
      if (f === null) continue
      if (a.k !== 'final') return diff(f, where(a, ops))
      return diff(failedBackward ? GRAD_AFTER_FAILED_BACKWARD : `grad ${f}`, 'grad')
    } else if (a.k === 'crash' || b.k === 'crash') return diff('crash', 'harness')
  }
  return null
}

/**
 * The recorder for wengert/torch (the twin of harness.py's `Recorder`) and `runJs`, which runs the
 * JavaScript rendering of a program (emitJs) on the facade and returns its events.
 */
import * as torch from 'wengert/torch'

/** A recorded number: JSON has no NaN, infinities or −0, so they travel as strings. */
export type Num = number | boolean | 'nan' | 'inf' | '-inf' | '-0'

/** What is recorded of a tensor (null for None; `py` for a non-tensor value). */
export type TensorInfo = {
  readonly shape?: ReadonlyArray<number>
  readonly dtype?: string
  readonly grad_fn?: string | null
  readonly requires_grad?: boolean
  readonly is_leaf?: boolean
  readonly version?: number
  readonly values?: ReadonlyArray<Num>
  readonly py?: string
} | null

/** One recorded event of a run. */
export type Event =
  | { readonly k: 'rec'; readonly name: string; readonly at: number | null; readonly t: TensorInfo }
  | { readonly k: 'err'; readonly at: number | null; readonly cls: string; readonly msg: string }
  | { readonly k: 'final'; readonly name: string; readonly t: TensorInfo }
  | { readonly k: 'crash'; readonly cls: string; readonly msg: string }

const num = (x: unknown): Num => {
  if (typeof x === 'boolean') return x
  if (typeof x !== 'number') return 'nan'
  if (Number.isNaN(x)) return 'nan'
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf'
  if (Object.is(x, -0)) return '-0'
  return x
}

const flat = (v: unknown, out: Num[]): Num[] => {
  if (Array.isArray(v)) for (const e of v) flat(e, out)
  else out.push(num(v))
  return out
}

/**
 * A node's class name, as harness.py records it (Python's `type(fn).__name__`): `name()` without
 * the `torch::autograd::` namespace PyTorch's hand-written C++ nodes carry there.
 */
const className = (fn: torch.autograd.Node | null): string | null =>
  fn === null ? null : fn.name().replace(/^torch::autograd::/, '')

const info = (t: unknown): TensorInfo => {
  if (t === null || t === undefined) return null
  if (!(t instanceof torch.Tensor)) return { py: String(t) }
  return {
    shape: [...t.shape],
    dtype: String(t.dtype),
    grad_fn: className(t.grad_fn),
    requires_grad: t.requires_grad,
    is_leaf: t.is_leaf,
    version: t._version,
    values: flat(t.detach().tolist(), []),
  }
}

const firstLine = (s: unknown): string => String(s).split('\n')[0] ?? ''

class Recorder {
  readonly events: Event[] = []
  private step: number | null = null
  at(k: number): void {
    this.step = k
  }
  rec(name: string, t: unknown): void {
    this.events.push({ k: 'rec', name, at: this.step, t: info(t) })
  }
  err(e: unknown): void {
    const cls = e instanceof Error ? e.name : typeof e
    this.events.push({ k: 'err', at: this.step, cls, msg: firstLine(e instanceof Error ? e.message : e) })
  }
  final(name: string, t: unknown): void {
    this.events.push({ k: 'final', name, t: info(t instanceof torch.Tensor ? t.grad : null) })
  }
}

/** Runs one emitted JavaScript program on wengert/torch; warnings are silenced. */
export const runJs = (src: string): Event[] => {
  const r = new Recorder()
  const warn = console.warn
  console.warn = () => undefined
  try {
    // the emitted program is the body of a function of `torch` and the recorder `R`
    const body = new Function('torch', 'R', src) as (t: typeof torch, rec: Recorder) => void
    body(torch, r)
  } catch (e) {
    r.events.push({
      k: 'crash',
      cls: e instanceof Error ? e.name : typeof e,
      msg: firstLine(e instanceof Error ? e.message : e),
    })
  } finally {
    console.warn = warn
  }
  return r.events
}

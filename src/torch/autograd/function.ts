/**
 * `torch.autograd.Function`: user-defined forward and backward. Subclass with static
 * `forward(ctx, ...args)` and `backward(ctx, ...grads)`, call `MyFn.apply(...args)`. The node is
 * named `<ClassName>Backward`, as PyTorch names it.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * class Exp extends torch.autograd.Function {
 *   static forward(ctx: torch.autograd.FunctionCtx, x: torch.Tensor) {
 *     const y = x.exp()
 *     ctx.save_for_backward(y)
 *     return y
 *   }
 *   static backward(ctx: torch.autograd.FunctionCtx, g: torch.Tensor) {
 *     const [y] = ctx.saved_tensors
 *     return g.mul(y!)
 *   }
 * }
 * const x = torch.tensor([0, 1], { requires_grad: true })
 * const y = Exp.apply(x) as torch.Tensor
 * assert.strictEqual(y.grad_fn?.name(), 'ExpBackward')
 * y.sum().backward()
 * assert.ok(Math.abs((x.grad!.tolist() as number[])[1]! - Math.E) < 1e-6)
 * @category torch
 * @since 0.1.0
 */
import { zerosLike } from '../../core/lax'
import { ERR_BACKWARD_TWICE, RuntimeError } from '../errors'
import { Tensor } from '../tensor'
import { checkDirty } from './functionDirty'
import { is_grad_enabled, no_grad } from './grad_mode'
import { markFunctionNode } from './gradLayout'
import { Node, onSaved, type SavedRef } from './node'
import { edgeOf, rebaseView } from './op'

/** The `ctx` of a custom Function: saved tensors and anything else set on it. @category torch @since 0.1.0 */
export class FunctionCtx {
  /** @internal */ _saved: SavedRef[] = []
  /** @internal */ _node: Node | null = null
  /** Which forward inputs need a gradient. */
  needs_input_grad: boolean[] = []
  /** @internal */ _materialize = true
  /** @internal */ _nonDiff = new Set<Tensor>();
  /** Anything else ported code stores on ctx (`ctx.constant = …`). */
  [key: string]: unknown

  /** @internal Per argument of `save_for_backward`: its index into `_saved`, or null for a None. */
  _slots: Array<number | null> = []
  /** Saves tensors for backward (checked against later in-place changes); a null keeps its place. */
  save_for_backward(...tensors: ReadonlyArray<Tensor | null | undefined>): void {
    const kept = tensors.filter((t): t is Tensor => t instanceof Tensor)
    this._saved = kept.map((t) => ({ tensor: t, version: t._counter.v }))
    this._slots = tensors.map((t) => (t instanceof Tensor ? kept.indexOf(t) : null))
  }
  /** The tensors given to `save_for_backward`, with null where it was given null (as PyTorch's None). */
  get saved_tensors(): Array<Tensor | null> {
    if (this._node?._released) throw new RuntimeError(ERR_BACKWARD_TWICE)
    return this._slots.map((k) => (k === null ? null : (this._saved[k] as SavedRef).tensor))
  }
  /** Marks outputs that have no gradient. */
  mark_non_differentiable(...ts: ReadonlyArray<Tensor>): void {
    for (const t of ts) this._nonDiff.add(t)
  }
  /** @internal */ _dirty = new Set<Tensor>()
  /** Marks inputs forward modified in place: each must be returned, and is returned as itself. */
  mark_dirty(...ts: ReadonlyArray<Tensor>): void {
    for (const t of ts) this._dirty.add(t)
  }
  /** Whether undefined output gradients are passed as zeros (default true). */
  set_materialize_grads(value: boolean): void {
    this._materialize = value
  }
}

type Out = Tensor | ReadonlyArray<Tensor>

/** Base class of custom autograd functions. @category torch @since 0.1.0 */
export class Function {
  /** The forward computation (override). */
  static forward(ctx: FunctionCtx, ...args: never[]): Out {
    void ctx
    void args
    throw new RuntimeError('You must implement the forward function for custom autograd.Function.')
  }
  /** The backward computation: one gradient (or null) per forward argument (override). */
  static backward(ctx: FunctionCtx, ...grads: never[]): Tensor | null | ReadonlyArray<Tensor | null | undefined> {
    void ctx
    void grads
    throw new RuntimeError(
      'You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.',
    )
  }

  /** Runs forward and records a node whose backward is the static `backward`. */
  static apply(...args: unknown[]): Out {
    const cls = this as unknown as {
      name: string
      forward: (ctx: FunctionCtx, ...a: unknown[]) => Out
      backward: (ctx: FunctionCtx, ...g: Tensor[]) => unknown
    }
    const ctx = new FunctionCtx()
    const tensorIdx = args.map((a, i) => (a instanceof Tensor ? i : -1)).filter((i) => i >= 0)
    ctx.needs_input_grad = args.map((a) => a instanceof Tensor && a.requires_grad)
    const raw = no_grad(() => cls.forward(ctx, ...args))
    const outs = raw instanceof Tensor ? [raw] : [...raw]
    const recording = is_grad_enabled() && tensorIdx.some((i) => (args[i] as Tensor).requires_grad)
    checkDirty(ctx._dirty, outs)
    // an input marked dirty is returned as itself, its history rebased onto this node below
    const wrapped = outs.map((o) => (ctx._dirty.has(o) ? o : Tensor._fromValue(o._value())))
    // a saved output is unpacked as the returned tensor (with its grad_fn), as PyTorch does, so a
    // backward written with tensor ops can be differentiated again
    ctx._saved = ctx._saved.map((r) => {
      const k = outs.indexOf(r.tensor)
      return k < 0 ? r : { tensor: wrapped[k] as Tensor, version: 0, output: `${cls.name}Backward`, outputNr: k }
    })
    if (recording && onSaved !== null && ctx._saved.length > 0) onSaved(ctx._saved)
    if (recording) {
      const name = `${cls.name}Backward`
      // the inputs' edges before any dirty input is rebased onto this Function's nodes
      const edges = tensorIdx.map((i) =>
        (args[i] as Tensor).requires_grad ? edgeOf(args[i] as Tensor) : ([null, 0] as const),
      )
      if (outs.length > 1 && outs.some((o) => ctx._dirty.has(o) && o._base !== null)) throw new RuntimeError(DIRTY_VIEW)
      // one node for all outputs, as PyTorch records a Function: its backward runs once, with every
      // output's gradient (a missing one as zeros unless set_materialize_grads(False): then None)
      const node = new Node(name, edges)
      markFunctionNode(node)
      node._saved = ctx._saved
      ctx._node = node
      const run = backwardRunner(cls, ctx, outs, args, tensorIdx, name)
      if (outs.length > 1) {
        node._numOutputs = outs.length
        node._backwardAll = (gOuts) => run(gOuts)
      }
      node._backward = (g) => run([g])
      outs.forEach((o, k) => {
        if (ctx._nonDiff.has(o)) return
        const w = wrapped[k] as Tensor
        if (ctx._dirty.has(o) && w._base !== null) return rebaseView(w, node)
        w._gradFn = node
        w._outputNr = k
      })
    }
    return raw instanceof Tensor ? (wrapped[0] as Tensor) : wrapped
  }
}

/**
 * The zero gradient a Function's backward receives for an output no gradient reached: PyTorch makes
 * it with `at::zeros` (empty, then zero_() in place), so its `_version` is 1.
 */
const materializedZeros = (o: Tensor): Tensor => {
  const z = Tensor._fromValue(zerosLike(o._value()))
  z._bump()
  return z
}

const DIRTY_VIEW =
  'If your Function modifies inplace an input that is a view of another Tensor, your Function cannot return more than one Tensor. This is not supported by the current autograd engine. You should either make sure the input is not a view (using .clone() for example) or make your Function only return one Tensor (potentially splitting it into two Functions: one doing the inplace that returns a single Tensor and a second one that does the other operations). You can ask on the forum https://discuss.pytorch.org/ if you need help to do this change.'

/**
 * The backward of a Function's node: the static backward, called once with every output's gradient
 * (a missing one as zeros, or None under set_materialize_grads(False)), and its result checked.
 */
const backwardRunner =
  (
    cls: { backward: (ctx: FunctionCtx, ...g: Tensor[]) => unknown },
    ctx: FunctionCtx,
    outs: ReadonlyArray<Tensor>,
    args: ReadonlyArray<unknown>,
    tensorIdx: ReadonlyArray<number>,
    name: string,
  ) =>
  (gOuts: ReadonlyArray<Tensor | null>): Array<Tensor | null> => {
    const grads = outs.map((o, j) => gOuts[j] ?? (ctx._materialize ? materializedZeros(o) : null))
    const r = cls.backward(ctx, ...(grads as Tensor[]))
    const list =
      r instanceof Tensor || r === null || r === undefined ? [r] : [...(r as ReadonlyArray<Tensor | null | undefined>)]
    if (list.length !== args.length) {
      throw new RuntimeError(
        `function ${name} returned an incorrect number of gradients (expected ${args.length}, got ${list.length})`,
      )
    }
    return tensorIdx.map((i) => {
      const gi = list[i]
      return gi instanceof Tensor ? gi : null
    })
  }

/**
 * `torch.autograd.graph.saved_tensors_hooks`, `save_on_cpu` and `disable_saved_tensors_hooks`:
 * while a hooks pair is active, each tensor a recorded node saves (the tensors PyTorch's node
 * saves, `Node._saved`; `ctx.save_for_backward`'s; not the constant of a Python number operand,
 * which PyTorch 2.x keeps from the hooks) goes through `pack_hook` — run under no_grad, as
 * PyTorch's SavedVariable runs it — when the node is recorded, and the packed object through `unpack_hook` when the backward needs it.
 *
 * wengert's nodes keep the values their backward uses themselves, so the unpacked tensor must
 * hold the packed tensor's values (offloading, compressing losslessly, logging): an unpacked
 * tensor with other values raises NotImplementedError instead of silently being ignored.
 *
 * @category torch
 * @since 0.2.0
 */
import { contextManager, runInside, type ContextManager } from '../contextManager'
import { NotImplementedError, RuntimeError, TorchTypeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { Tensor } from '../tensor'
import { isWrappedNumber } from '../ops/convert'
import { no_grad } from './grad_mode'
import { setSavedCallbacks, type SavedRef } from './node'

/** A pack/unpack pair. */
interface HooksPair {
  readonly pack: (t: Tensor) => unknown
  readonly unpack: (packed: unknown) => Tensor
}

const stack: HooksPair[] = []
let disabledMessage: string | null = null
/** Saved refs packed by a hook, with the pair that packed them. */
const packed = new WeakMap<SavedRef, readonly [HooksPair, unknown]>()
/** How many refs were ever packed (0: the backward skips the lookups). */
let packedCount = 0

/** Python's type name of a hook's result, for the messages. */
const pyType = (u: unknown): string =>
  u === null || u === undefined
    ? 'NoneType'
    : typeof u === 'number'
      ? Number.isInteger(u)
        ? 'int'
        : 'float'
      : typeof u === 'string'
        ? 'str'
        : typeof u === 'boolean'
          ? 'bool'
          : Array.isArray(u)
            ? 'list'
            : ((u as object).constructor?.name ?? 'object')

/** @internal Packs `refs` with the active hooks, if any (called where a node saves tensors). */
export const packSaved = (refs: ReadonlyArray<SavedRef>): void => {
  const top = stack[stack.length - 1]
  if (top === undefined) return
  for (const r of refs) {
    // PyTorch keeps a Python number operand from the hooks and runs them without recording
    if (isWrappedNumber(r.tensor)) continue
    const before = r.tensor._counter.v
    const p = no_grad(() => top.pack(r.tensor))
    if (r.tensor._counter.v !== before)
      throw new RuntimeError(
        'A saved tensor pack hook is modifying its input in place. Tensors provided as input to pack hook can not be modified by in-place operations as this can lead to unexpected side-effects. Please open an issue if you need to perform in-place operations on the input to a pack hook.',
      )
    packed.set(r, [top, p])
    packedCount++
    setSavedCallbacks(packSaved, unpackSaved)
  }
}

/** @internal Unpacks `refs` packed by a hook (called where a node's backward needs them). */
export const unpackSaved = (refs: ReadonlyArray<SavedRef>): void => {
  if (packedCount === 0) return
  for (const r of refs) {
    const entry = packed.get(r)
    if (entry === undefined) continue
    const t: unknown = entry[0].unpack(entry[1])
    if (!(t instanceof Tensor))
      throw new TorchTypeError(
        `Output of saved tensor unpack_hook expected to be a Tensor but got result of type ${pyType(t)}`,
      )
    if (t._value() !== r.tensor._value() && !sameValues(t, r.tensor))
      throw new NotImplementedError(
        'saved_tensors_hooks: unpack_hook returned a tensor whose values differ from the packed one; wengert nodes keep the values their backward uses, so substituting saved values is not supported',
      )
  }
}

const sameValues = (a: Tensor, b: Tensor): boolean =>
  String(a.shape) === String(b.shape) && a.detach().equal(b.detach())

/** Whether a pair is active (a node saving tensors must call {@link packSaved}). */
export const savedHooksActive = (): boolean => stack.length > 0

const push = (pair: HooksPair): void => {
  if (disabledMessage !== null) throw new RuntimeError(disabledMessage)
  stack.push(pair)
  setSavedCallbacks(packSaved, unpackSaved)
}
const pop = (pair: HooksPair): void => {
  const i = stack.lastIndexOf(pair)
  if (i >= 0) stack.splice(i, 1)
  if (stack.length === 0) setSavedCallbacks(null, packedCount > 0 ? unpackSaved : null)
}

/**
 * PyTorch's `torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook)`: a context object
 * (`enter()`/`exit()`, or `__enter__`/`__exit__`) under which saved tensors are packed by
 * `pack_hook` when recorded and unpacked by `unpack_hook` in backward. Subclass it as PyTorch's
 * `save_on_cpu` does. The unpacked tensor must have the packed tensor's values (see the module
 * note). `saved_tensors_hooks(pack, unpack, body)` runs `body` inside and returns its result.
 * @example
 * import * as torch from 'wengert/torch'
 * const log: string[] = []
 * const x = torch.tensor([1, 2], { requires_grad: true })
 * const hooks = new torch.autograd.graph.saved_tensors_hooks(
 *   (t) => (log.push('pack'), t),
 *   (t) => (log.push('unpack'), t as torch.Tensor),
 * )
 * hooks.enter()
 * const y = x.exp().sum()
 * hooks.exit()
 * assert.deepStrictEqual(log, ['pack'])
 * y.backward()
 * assert.deepStrictEqual(log, ['pack', 'unpack'])
 * @category torch @since 0.2.0
 */
export class SavedTensorsHooks {
  /** @internal */ readonly _pair: HooksPair
  constructor(pack_hook: (t: Tensor) => unknown, unpack_hook: (packed: unknown) => Tensor) {
    if (typeof pack_hook !== 'function' || typeof unpack_hook !== 'function')
      throw new TorchTypeError('saved_tensors_hooks(): pack_hook and unpack_hook must be callables')
    this._pair = { pack: pack_hook, unpack: unpack_hook }
  }
  /** Activates the hooks (Python's `__enter__`). */
  enter(): void {
    push(this._pair)
  }
  /** Deactivates them (Python's `__exit__`). */
  exit(): void {
    pop(this._pair)
  }
  /** Python's name of `enter`. */
  __enter__(): void {
    this.enter()
  }
  /** Python's name of `exit` (exception arguments are accepted and ignored). */
  __exit__(..._excInfo: unknown[]): void {
    this.exit()
  }
}

type HooksCtor = typeof SavedTensorsHooks & {
  <R>(pack_hook: (t: Tensor) => unknown, unpack_hook: (packed: unknown) => Tensor, body: () => R): R
  (pack_hook: (t: Tensor) => unknown, unpack_hook: (packed: unknown) => Tensor): SavedTensorsHooks
}

/** `saved_tensors_hooks` callable without `new`; with a third argument, the callback form. */
export const saved_tensors_hooks: HooksCtor = new Proxy(SavedTensorsHooks, {
  apply: (target, _this, args: unknown[]) => {
    const h = new target(args[0] as (t: Tensor) => unknown, args[1] as (p: unknown) => Tensor)
    const body = args[2]
    return typeof body === 'function'
      ? runInside(
          () => h.enter(),
          () => h.exit(),
          body as () => unknown,
        )
      : h
  },
}) as HooksCtor
Object.defineProperty(SavedTensorsHooks, 'name', { value: 'saved_tensors_hooks' })

/**
 * PyTorch's `save_on_cpu(pin_memory=False, device_type='cuda')`: saved tensors are kept on the CPU
 * until backward. wengert's tensors are all on the CPU, so packing is the identity.
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([1, 2], { requires_grad: true })
 * const ctx = new torch.autograd.graph.save_on_cpu()
 * ctx.enter()
 * const y = x.mul(x).sum()
 * ctx.exit()
 * y.backward()
 * assert.deepStrictEqual(x.grad?.tolist(), [2, 4])
 * @category torch @since 0.2.0
 */
export class save_on_cpu extends SavedTensorsHooks {
  constructor(
    ...args: PyArgs<
      [pin_memory: boolean, device_type: string],
      { readonly pin_memory?: boolean; readonly device_type?: string }
    >
  ) {
    super(
      (t) => t,
      (t) => t as Tensor,
    )
    parseArgs('save_on_cpu.__init__', args, ['pin_memory', 'device_type'])
  }
}

/**
 * PyTorch's `disable_saved_tensors_hooks(error_message)`: inside it, activating
 * `saved_tensors_hooks` raises RuntimeError(error_message). With a callback, runs it inside.
 * @example
 * import * as torch from 'wengert/torch'
 * const G = torch.autograd.graph
 * assert.throws(
 *   () => G.disable_saved_tensors_hooks('no hooks here', () => new G.saved_tensors_hooks((t) => t, (t) => t as torch.Tensor).enter()),
 *   /no hooks here/,
 * )
 * @category torch @since 0.2.0
 */
export function disable_saved_tensors_hooks(error_message: string): ContextManager
export function disable_saved_tensors_hooks<R>(error_message: string, body: () => R): R
export function disable_saved_tensors_hooks<R>(error_message: string, body?: () => R): R | ContextManager {
  const saved: Array<string | null> = []
  const enter = (): void => {
    saved.push(disabledMessage)
    disabledMessage = error_message
  }
  const exit = (): void => {
    disabledMessage = saved.pop() ?? null
  }
  return body === undefined ? contextManager(enter, exit) : runInside(enter, exit, body)
}

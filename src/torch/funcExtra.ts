/**
 * More of `torch.func`: `grad_and_value`, `linearize` and `stack_module_state`.
 *
 * @category torch
 * @since 0.2.0
 */
import { linearize as linearizeT, valueAndGrad } from '../transforms'
import { RuntimeError } from './errors'
import { parseArgs, type PyArgs } from './kwargs'
import { stack } from './ops/functions'
import { Tensor } from './tensor'
import { lift, toTensors, toValues, type AnyFn } from './funcConvert'

/**
 * PyTorch's `torch.func.grad_and_value(func, argnums=0, has_aux=False)`: a function returning
 * `[grad, value]` (with `has_aux`, `[grad, [value, aux]]`).
 * @example
 * import * as torch from 'wengert/torch'
 * const [g, v] = torch.func.grad_and_value((x: torch.Tensor) => x.pow(2).sum())(torch.tensor([1, 2])) as torch.Tensor[]
 * assert.deepStrictEqual(g!.tolist(), [2, 4])
 * assert.strictEqual(v!.item(), 5)
 * @category torch @since 0.2.0
 */
export const grad_and_value = (
  func: AnyFn,
  ...args: PyArgs<
    [argnums: number | ReadonlyArray<number>, has_aux: boolean],
    { readonly argnums?: number | ReadonlyArray<number>; readonly has_aux?: boolean }
  >
): ((...xs: unknown[]) => unknown) => {
  const a = parseArgs('grad_and_value', args, ['argnums', 'has_aux'])
  const hasAux = (a.has_aux as boolean | undefined) ?? false
  const vg = valueAndGrad(lift(func) as (...xs: unknown[]) => never, {
    argnums: (a.argnums ?? 0) as number,
    hasAux,
  })
  return (...xs: unknown[]): unknown => {
    const [value, g] = vg(...(xs.map(toValues) as unknown[])) as [unknown, unknown]
    return [toTensors(g), toTensors(value)]
  }
}

/**
 * PyTorch's `torch.func.linearize(func, *primals)`: `[func(*primals), jvp_fn]`, where
 * `jvp_fn(*tangents)` is the Jacobian-vector product at `primals` (func runs once).
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([0, 1], { dtype: torch.float64 })
 * const [y, jvpFn] = torch.func.linearize((t: torch.Tensor) => t.sin(), x)
 * const t = jvpFn(torch.ones(2, { dtype: torch.float64 })) as torch.Tensor
 * assert.ok(t.allclose(x.cos()))
 * assert.ok((y as torch.Tensor).allclose(x.sin()))
 * @category torch @since 0.2.0
 */
export const linearize = (func: AnyFn, ...primals: unknown[]): [unknown, (...tangents: unknown[]) => unknown] => {
  const [out, jvpFn] = linearizeT(lift(func) as (...xs: unknown[]) => unknown, ...(primals.map(toValues) as unknown[]))
  return [
    toTensors(out),
    (...tangents: unknown[]) => toTensors((jvpFn as (...t: unknown[]) => unknown)(...tangents.map(toValues))),
  ]
}

/** What stack_module_state needs of a module. */
interface StackableModule {
  readonly training: boolean
  named_parameters(): Iterable<[string, Tensor]>
  named_buffers(): Iterable<[string, Tensor]>
}

const stackLeaf = (ts: ReadonlyArray<Tensor>, name: string): Tensor => {
  const n = ts.filter((t) => t.requires_grad).length
  if (n > 0 && n < ts.length) throw new RuntimeError(`Expected ${name} from each model to have the same .requires_grad`)
  const s = stack([...ts]).detach()
  return n > 0 ? s.requires_grad_(true) : s
}

/**
 * PyTorch's `torch.func.stack_module_state(models)`: `[params, buffers]`, each a record from
 * name to the models' tensors stacked along a new first dim (parameters as new leaves requiring
 * grad), for `vmap` over `functional_call` (model ensembling).
 * @example
 * import * as torch from 'wengert/torch'
 * const models = [torch.nn.Linear(3, 2), torch.nn.Linear(3, 2)]
 * const [params] = torch.func.stack_module_state(models)
 * assert.deepStrictEqual([...params['weight']!.shape], [2, 2, 3])
 * assert.ok(params['weight']!.is_leaf && params['weight']!.requires_grad)
 * @category torch @since 0.2.0
 */
export const stack_module_state = (
  models: ReadonlyArray<StackableModule>,
): [Record<string, Tensor>, Record<string, Tensor>] => {
  if (models.length === 0) throw new RuntimeError('stack_module_state: Expected at least one model, got 0.')
  const m0 = models[0] as StackableModule
  if (!models.every((m) => m.training === m0.training))
    throw new RuntimeError('stack_module_state: Expected all models to have the same training/eval mode.')
  if (!models.every((m) => Object.getPrototypeOf(m) === Object.getPrototypeOf(m0)))
    throw new RuntimeError('stack_module_state: Expected all models to be of the same class.')
  const collect = (get: (m: StackableModule) => Iterable<[string, Tensor]>, leaf: boolean): Record<string, Tensor> => {
    const all = models.map((m) => new Map(get(m)))
    const out: Record<string, Tensor> = {}
    for (const k of all[0]!.keys()) {
      const ts = all.map((d) => d.get(k) as Tensor)
      out[k] = leaf ? stackLeaf(ts, k) : stack([...ts])
    }
    return out
  }
  return [collect((m) => m.named_parameters(), true), collect((m) => m.named_buffers(), false)]
}

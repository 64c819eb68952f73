/**
 * `torch.func`: JAX-style transforms of functions of Tensors (`grad`, `vjp`, `jvp`, `jacrev`,
 * `jacfwd`, `hessian`, `vmap`, `functional_call`), run by wengert's own transforms
 * (`src/transforms`), so they nest and compose.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const f = (x: torch.Tensor) => x.sin().sum()
 * const g = torch.func.grad(f)(torch.tensor([0, 1], { dtype: torch.float64 })) as torch.Tensor
 * assert.ok(Math.abs((g.tolist() as number[])[1]! - Math.cos(1)) < 1e-12)
 * const gg = torch.func.grad((x: torch.Tensor) => (torch.func.grad(f)(x) as torch.Tensor).sum())(torch.tensor([0.5], { dtype: torch.float64 })) as torch.Tensor
 * assert.ok(Math.abs((gg.tolist() as number[])[0]! + Math.sin(0.5)) < 1e-12)
 * @category torch
 * @since 0.1.0
 */
import {
  grad as gradT,
  hessian as hessianT,
  jacfwd as jacfwdT,
  jacrev as jacrevT,
  jvp as jvpT,
  vjp as vjpT,
  vmap as vmapT,
  type AxisSpec,
} from '../transforms'
import { NotImplementedError, RuntimeError, TorchValueError } from './errors'

import type { NdArray } from '../ndarray/NdArray'
import { lift, toTensors, toValues, type AnyFn } from './funcConvert'

export { toTensors, toValues } from './funcConvert'
export { grad_and_value, linearize, stack_module_state } from './funcExtra'

/** Options of `torch.func.grad`. */
export interface FuncGradOptions {
  readonly argnums?: number | ReadonlyArray<number>
  readonly has_aux?: boolean
}

/**
 * `grad(f)(...args)`: the gradient of a scalar-Tensor-valued `f` (PyTorch's `torch.func.grad`);
 * with `has_aux`, `f` returns `[out, aux]` and the result is `[grad, aux]`.
 * @category torch @since 0.1.0
 */
export const grad =
  (f: AnyFn, opts: FuncGradOptions = {}) =>
  (...args: unknown[]): unknown => {
    const g = gradT(lift(f) as (...a: unknown[]) => NdArray, {
      argnums: (opts.argnums ?? 0) as number,
      hasAux: (opts.has_aux ?? false) as false,
    })
    return toTensors(g(...(args.map(toValues) as unknown[])))
  }

/** `vjp(f, ...primals)` → `[output, vjp_fn]`; `vjp_fn(cotangent)` returns one gradient per primal. @category torch @since 0.1.0 */
export const vjp = (f: AnyFn, ...primals: unknown[]): [unknown, (cotangent: unknown) => unknown[]] => {
  const [out, fn] = vjpT(lift(f), ...(primals.map(toValues) as unknown[]))
  return [toTensors(out), (ct: unknown) => toTensors(fn(toValues(ct) as never)) as unknown[]]
}

/** `jvp(f, primals, tangents)` → `[output, jvp_out]`. @category torch @since 0.1.0 */
export const jvp = (
  f: AnyFn,
  primals: ReadonlyArray<unknown>,
  tangents: ReadonlyArray<unknown>,
): [unknown, unknown] => {
  const [out, t] = jvpT(lift(f), toValues(primals) as unknown[], toValues(tangents) as never)
  return [toTensors(out), toTensors(t)]
}

/** Options of the Jacobian transforms. */
export interface FuncJacOptions {
  readonly argnums?: number | ReadonlyArray<number>
}

/** `jacrev(f)(...args)`: the Jacobian by reverse mode (shape `out.shape ++ in.shape`). @category torch @since 0.1.0 */
export const jacrev =
  (f: AnyFn, opts: FuncJacOptions = {}) =>
  (...args: unknown[]): unknown =>
    toTensors(jacrevT(lift(f), { argnums: (opts.argnums ?? 0) as number })(...(args.map(toValues) as unknown[])))

/** `jacfwd(f)(...args)`: the Jacobian by forward mode. @category torch @since 0.1.0 */
export const jacfwd =
  (f: AnyFn, opts: FuncJacOptions = {}) =>
  (...args: unknown[]): unknown =>
    toTensors(jacfwdT(lift(f), { argnums: (opts.argnums ?? 0) as number })(...(args.map(toValues) as unknown[])))

/** `hessian(f)(...args)`: jacfwd of jacrev. @category torch @since 0.1.0 */
export const hessian =
  (f: AnyFn, opts: FuncJacOptions = {}) =>
  (...args: unknown[]): unknown =>
    toTensors(hessianT(lift(f), { argnums: (opts.argnums ?? 0) as number })(...(args.map(toValues) as unknown[])))

/** Options of `torch.func.vmap` (PyTorch's keyword arguments). */
export interface FuncVmapOptions {
  readonly in_dims?: AxisSpec
  readonly out_dims?: AxisSpec
  /** `'error'` (default); `'different'` / `'same'` raise NotImplementedError. */
  readonly randomness?: 'error' | 'different' | 'same'
  /** Examples per chunk (null: all at once); the result does not depend on it. */
  readonly chunk_size?: number | null
}

const isVmapOptions = (u: unknown): u is FuncVmapOptions =>
  u !== null &&
  typeof u === 'object' &&
  !Array.isArray(u) &&
  Object.keys(u).length > 0 &&
  Object.keys(u).every((k) => ['in_dims', 'out_dims', 'randomness', 'chunk_size'].includes(k))

/** vmap's arguments, positional or keyword, with `randomness` and `chunk_size` checked as PyTorch checks them. */
const vmapOptions = (
  in_dims: AxisSpec | FuncVmapOptions,
  out_dims: AxisSpec | FuncVmapOptions,
  randomness: FuncVmapOptions['randomness'] | FuncVmapOptions,
  kw: FuncVmapOptions,
): FuncVmapOptions => {
  const opts: FuncVmapOptions = isVmapOptions(in_dims)
    ? in_dims
    : isVmapOptions(out_dims)
      ? { in_dims, ...out_dims }
      : isVmapOptions(randomness)
        ? { in_dims, out_dims, ...randomness }
        : { in_dims, out_dims, randomness: randomness ?? 'error', ...kw }
  const r = opts.randomness ?? 'error'
  if (r !== 'error' && r !== 'different' && r !== 'same')
    throw new RuntimeError(`Only allowed values for randomness are 'error', 'different', or 'same'. Got ${String(r)}`)
  if (r !== 'error')
    throw new NotImplementedError(
      `vmap: randomness='${r}' is not supported by wengert (random operations are not batched under vmap)`,
    )
  const c = opts.chunk_size
  if (c !== undefined && c !== null && !(c > 0))
    throw new TorchValueError(`vmap: chunk_size should be None or greater than 0. (got ${c})`)
  return opts
}

/**
 * `vmap(func, in_dims = 0, out_dims = 0, randomness = 'error', { chunk_size })`: `func` (written
 * for one example) applied to a batch at once; arguments positional or as `{ in_dims, out_dims,
 * randomness, chunk_size }`. `chunk_size` is checked and does not change the result;
 * `randomness` `'different'`/`'same'` raise NotImplementedError.
 * Per-example gradients: `vmap(grad(f), { in_dims: [null, 0] })(w, xs)`.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const xs = torch.tensor([[1, 2], [3, 4]])
 * const norms = torch.func.vmap((x: torch.Tensor) => x.pow(2).sum())(xs) as torch.Tensor
 * assert.deepStrictEqual(norms.tolist(), [5, 25])
 * assert.throws(() => torch.func.vmap((x: torch.Tensor) => x, { chunk_size: 0 }), /chunk_size should be None or greater than 0/)
 * @category torch @since 0.1.0
 */
export const vmap = (
  func: AnyFn,
  in_dims: AxisSpec | FuncVmapOptions = 0,
  out_dims: AxisSpec | FuncVmapOptions = 0,
  randomness: FuncVmapOptions['randomness'] | FuncVmapOptions = 'error',
  kw: FuncVmapOptions = {},
): ((...args: unknown[]) => unknown) => {
  const opts = vmapOptions(in_dims, out_dims, randomness, kw)
  return (...args: unknown[]): unknown =>
    toTensors(
      vmapT(lift(func), { inAxes: opts.in_dims ?? 0, outAxes: opts.out_dims ?? 0 })(
        ...(args.map(toValues) as unknown[]),
      ),
    )
}

export { functional_call, type ModuleLike, type FunctionalCallOptions } from './funcCall'

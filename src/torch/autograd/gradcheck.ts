/**
 * `torch.autograd.gradcheck` and `gradgradcheck`: compare the analytical Jacobian (by backward
 * passes) with central finite differences, with PyTorch's defaults (eps 1e-6, atol 1e-5,
 * rtol 1e-3) and messages. Use float64 inputs, as in PyTorch.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([0.5, -1.2], { dtype: torch.float64, requires_grad: true })
 * assert.strictEqual(torch.autograd.gradcheck((t: torch.Tensor) => t.sin().mul(t), [x]), true)
 * @category torch
 * @since 0.1.0
 */
import { numericalJacobian } from '../../check/finiteDifferences'
import { NdArray } from '../../ndarray/NdArray'
import { RuntimeError, TorchValueError } from '../errors'
import { Tensor } from '../tensor'
import { warn } from '../warnings'
import { grad } from './grad'

/** Options of gradcheck. */
export interface GradcheckOptions {
  readonly eps?: number
  readonly atol?: number
  readonly rtol?: number
  /** Throw on failure (default) or return false. */
  readonly raise_exception?: boolean
}

/** The error gradcheck raises (PyTorch's `GradcheckError`, a RuntimeError). @category torch @since 0.1.0 */
export class GradcheckError extends RuntimeError {}

type Fn = (...args: never[]) => Tensor | ReadonlyArray<Tensor>

const outputsOf = (r: Tensor | ReadonlyArray<Tensor>): Tensor[] => (r instanceof Tensor ? [r] : [...r])

const fmt = (rows: number[][], dtype: string): string => {
  const flat = rows.flat()
  const arr = new NdArray(
    [rows.length, rows[0]?.length ?? 0],
    dtype === 'float32' ? 'float32' : 'float64',
    dtype === 'float32' ? Float32Array.from(flat) : Float64Array.from(flat),
  )
  return String(Tensor._fromValue(arr))
}

/** The analytical Jacobian of `out` with respect to `x` as `[x element][out element]`: one backward per output element. */
const analyticalJacobian = (out: Tensor, x: Tensor): number[][] => {
  const n = out.numel()
  const m = x.numel()
  const rows: number[][] = Array.from({ length: m }, () => new Array<number>(n).fill(0))
  if (!out.requires_grad) return rows
  const ov = out._value()
  for (let k = 0; k < n; k++) {
    const b = ov.toTypedArray().map(() => 0)
    b[k] = 1
    const e = Tensor._fromValue(new NdArray(ov.shape, ov.dtype, b))
    const [g] = grad(out, x, { grad_outputs: e, retain_graph: true, allow_unused: true })
    if (g === null || g === undefined) continue
    const gd = g._value().toTypedArray()
    for (let j = 0; j < m; j++) (rows[j] as number[])[k] = gd[j] as number
  }
  return rows
}

/**
 * The numerical Jacobian of output `o` with respect to argument `i`, as `[x element][out
 * element]`: central differences (src/check's numericalJacobian, whose step is eps·max(1, |xⱼ|):
 * PyTorch's absolute eps wherever |xⱼ| ≤ 1).
 */
const numericalJacobianOf = (
  f: (...a: unknown[]) => Tensor | ReadonlyArray<Tensor>,
  args: ReadonlyArray<unknown>,
  o: number,
  i: number,
  eps: number,
): number[][] => {
  const tensorIdx = args.map((a, k) => (a instanceof Tensor ? k : -1)).filter((k) => k >= 0)
  const g = (...vals: NdArray[]): NdArray => {
    const a2 = [...args]
    tensorIdx.forEach((k, p) => {
      const w = Tensor._fromValue(vals[p] as NdArray)
      w._flag = (args[k] as Tensor).requires_grad
      a2[k] = w
    })
    return (outputsOf(f(...a2))[o] as Tensor)._value()
  }
  const values = tensorIdx.map((k) => (args[k] as Tensor)._value())
  const jac = numericalJacobian(g, values, { eps, argnum: tensorIdx.indexOf(i) }).toTypedArray()
  const m = (args[i] as Tensor).numel()
  const n = jac.length / Math.max(m, 1)
  return Array.from({ length: m }, (_, j) => Array.from({ length: n }, (_, k) => jac[k * m + j] as number))
}

/** The indices of the arguments that require grad (PyTorch warns about those not in float64). */
const differentiableArgs = (args: ReadonlyArray<unknown>): number[] => {
  const diff = args.map((a, i) => (a instanceof Tensor && a.requires_grad ? i : -1)).filter((i) => i >= 0)
  for (const i of diff) {
    if ((args[i] as Tensor).dtype.name !== 'float64') {
      warn(
        `Input #${i} requires gradient and is not a double precision floating point or complex. This check will likely fail if all the inputs are not of double precision floating point or complex. `,
      )
    }
  }
  if (diff.length === 0)
    throw new TorchValueError(
      'gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.',
    )
  return diff
}

/**
 * Checks `fn`'s gradients at `inputs` (a tensor or list; tensors with requires_grad are checked).
 * Returns true, or throws GradcheckError with the two Jacobians.
 * @category torch @since 0.1.0
 */
export const gradcheck = (fn: Fn, inputs: Tensor | ReadonlyArray<unknown>, opts: GradcheckOptions = {}): boolean => {
  const eps = opts.eps ?? 1e-6
  const atol = opts.atol ?? 1e-5
  const rtol = opts.rtol ?? 1e-3
  const args = inputs instanceof Tensor ? [inputs] : [...inputs]
  const f = fn as unknown as (...a: unknown[]) => Tensor | ReadonlyArray<Tensor>
  const diff = differentiableArgs(args)
  const outs = outputsOf(f(...args))
  for (let o = 0; o < outs.length; o++) {
    for (const i of diff) {
      const x = args[i] as Tensor
      const analytical = analyticalJacobian(outs[o] as Tensor, x)
      const numerical = numericalJacobianOf(f, args, o, i, eps)
      const ok = analytical.every((row, j) =>
        row.every((a, k) => {
          const num = (numerical[j] as number[])[k] as number
          return Math.abs(a - num) <= atol + rtol * Math.abs(num)
        }),
      )
      if (ok) continue
      const msg = `Jacobian mismatch for output ${o} with respect to input ${i},\nnumerical:${fmt(numerical, x._value().dtype)}\nanalytical:${fmt(analytical, x._value().dtype)}\n`
      if (opts.raise_exception ?? true) throw new GradcheckError(msg)
      return false
    }
  }
  return true
}

/**
 * Checks second derivatives: gradcheck of `(inputs, v) ↦ vjp(fn)(v)` with `create_graph`.
 * `grad_outputs` default to random float64 tensors.
 * @category torch @since 0.1.0
 */
export const gradgradcheck = (
  fn: Fn,
  inputs: Tensor | ReadonlyArray<unknown>,
  grad_outputs?: Tensor | ReadonlyArray<Tensor> | null,
  opts: GradcheckOptions = {},
): boolean => {
  const args = inputs instanceof Tensor ? [inputs] : [...inputs]
  const f = fn as unknown as (...a: unknown[]) => Tensor | ReadonlyArray<Tensor>
  const outs = outputsOf(f(...args))
  const gos =
    grad_outputs === undefined || grad_outputs === null
      ? outs.map((o, k) => {
          const v = o._value()
          const d = Float64Array.from({ length: v.size }, (_, i) => Math.sin(1 + i * 0.7 + k))
          const t = Tensor._fromValue(new NdArray(v.shape, 'float64', d)).to(o.dtype)
          t._flag = true
          return t
        })
      : grad_outputs instanceof Tensor
        ? [grad_outputs]
        : [...grad_outputs]
  const diff = args.map((a, i) => (a instanceof Tensor && a.requires_grad ? i : -1)).filter((i) => i >= 0)
  const nArgs = args.length
  const second = (...all: unknown[]): Tensor[] => {
    const a = all.slice(0, nArgs)
    const v = all.slice(nArgs) as Tensor[]
    const o = outputsOf(f(...a))
    const gs = grad(
      o,
      diff.map((i) => a[i] as Tensor),
      { grad_outputs: v, create_graph: true, allow_unused: true },
    )
    return gs.map((g, k) => g ?? (a[diff[k] as number] as Tensor).mul(0))
  }
  return gradcheck(second as unknown as Fn, [...args, ...gos], opts)
}

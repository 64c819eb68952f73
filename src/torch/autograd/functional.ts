/**
 * `torch.autograd.functional`: `vjp`, `jvp`, `jacobian`, `hessian`, `vhp`, `hvp` of functions of
 * Tensors, computed on the facade's autograd as PyTorch computes them (jvp and hvp by the double
 * backward trick), with `create_graph` (results keep their graph), `strict` (PyTorch's errors for
 * outputs independent of an input), `vectorize` and `strategy` (./functionalVectorized.ts: the
 * facade evaluates the rows one by one, over PyTorch's batched basis).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([1, 2], { dtype: torch.float64 })
 * const J = torch.autograd.functional.jacobian((t: torch.Tensor) => t.pow(2), x) as torch.Tensor
 * assert.deepStrictEqual(J.tolist(), [[2, 0], [0, 4]])
 * const H = torch.autograd.functional.hessian((t: torch.Tensor) => t.pow(3).sum(), x) as torch.Tensor
 * assert.deepStrictEqual(H.tolist(), [[6, 0], [0, 12]])
 * @category torch
 * @since 0.1.0
 */
import { AssertionError, NotImplementedError, RuntimeError } from '../errors'
import { parseArgs } from '../kwargs'
import { isKwargs } from '../isKwargs'
import { cat, stack } from '../ops/functions'
import type { Tensor } from '../tensor'
import { zeros, zeros_like } from '../creation'
import * as C from './functionalCore'
import { forwardJacobian, reverseJacobian } from './functionalVectorized'
import { enable_grad, is_grad_enabled, set_grad_enabled } from './grad_mode'

type Fn = (...args: never[]) => unknown
type Inputs = Tensor | ReadonlyArray<Tensor>
/** A tensor, a tuple of tensors, or (jacobian/hessian of tuples) a tuple of tuples. */
export type FunctionalResult = Tensor | Tensor[] | Tensor[][]

/** The options of vjp, jvp, vhp, hvp. @category torch @since 0.2.0 */
export interface ProductKw {
  readonly create_graph?: boolean
  readonly strict?: boolean
}
/** The options of jacobian (and, with `outer_jacobian_strategy`, hessian). @category torch @since 0.2.0 */
export interface JacobianKw extends ProductKw {
  readonly vectorize?: boolean
  readonly strategy?: 'reverse-mode' | 'forward-mode'
}
/** The options of hessian. @category torch @since 0.2.0 */
export interface HessianKw extends ProductKw {
  readonly vectorize?: boolean
  readonly outer_jacobian_strategy?: 'reverse-mode' | 'forward-mode'
}

const call = (func: Fn, args: ReadonlyArray<Tensor>): unknown => (func as (...a: Tensor[]) => unknown)(...args)
const productKw = (name: string, kw: ProductKw): [boolean, boolean] => {
  const a = parseArgs(name, [kw], ['create_graph', 'strict'])
  return [(a.create_graph as boolean | undefined) ?? false, (a.strict as boolean | undefined) ?? false]
}
/** Runs the last differentiation with grad mode on under create_graph, else as the caller has it. */
const lastStage = <R>(createGraph: boolean, body: () => R): R =>
  set_grad_enabled(createGraph ? true : is_grad_enabled(), body)

/** Inputs prepared and `v` checked against `against` (or against a single one-element input). */
const vAgainst = (
  v: Inputs | null | undefined,
  name: string,
  against: Tensor[],
  isTuple: boolean,
  createGraph: boolean,
): Tensor[] | null => {
  if (v === undefined || v === null) return null
  const vs = C.prepare(C.asTuple(v, 'v', name)[1], createGraph, false)
  C.validateV(vs, against, isTuple)
  return vs
}
/** `v` and the options: the options object may stand in `v`'s place (`vjp(f, x, { create_graph: true })`). */
const vAndKw = (v: Inputs | ProductKw | null | undefined, kw: ProductKw): [Inputs | null | undefined, ProductKw] =>
  isKwargs(v) ? [null, { ...(v as ProductKw), ...kw }] : [v as Inputs | null | undefined, kw]
const requireVForInputs = (inputs: Tensor[]): void => {
  if (inputs.length !== 1 || inputs[0]!.numel() !== 1)
    throw new RuntimeError(
      'The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.',
    )
}

/**
 * `[func(inputs), vᵀJ]`: the vector-Jacobian product (`v` may be omitted for a one-element output).
 * @category torch @since 0.1.0
 */
export const vjp = (
  func: Fn,
  inputs: Inputs,
  vOrKw?: Inputs | ProductKw | null,
  kwArg: ProductKw = {},
): [unknown, unknown] => {
  const [v, kw] = vAndKw(vOrKw, kwArg)
  const [createGraph, strict] = productKw('vjp', kw)
  const [inTuple, ins0] = C.asTuple(inputs, 'inputs', 'vjp')
  const [ins, outs, outTuple, vs] = enable_grad(() => {
    const ins = C.prepare(ins0, createGraph, true)
    const [outTuple, outs] = C.asTuple(call(func, ins), 'outputs of the user-provided function', 'vjp')
    C.checkRequiresGrad(outs, 'outputs', strict)
    const vs = vAgainst(v, 'vjp', outs, outTuple, createGraph)
    if (vs === null && (outs.length !== 1 || outs[0]!.numel() !== 1))
      throw new RuntimeError(
        'The vector v can only be None if the user-provided function returns a single Tensor with a single element.',
      )
    return [ins, outs, outTuple, vs] as const
  })
  const res = lastStage(createGraph, () =>
    C.fillInZeros(C.autogradGrad(outs, ins, vs, createGraph), ins, strict, createGraph, 'back'),
  )
  return [C.untuple(C.finish(outs, createGraph), outTuple), C.untuple(C.finish(res, createGraph), inTuple)]
}

/**
 * `[func(inputs), J·v]`: the Jacobian-vector product, by the double backward trick as PyTorch.
 * @category torch @since 0.1.0
 */
export const jvp = (
  func: Fn,
  inputs: Inputs,
  vOrKw?: Inputs | ProductKw | null,
  kwArg: ProductKw = {},
): [unknown, unknown] => {
  const [v, kw] = vAndKw(vOrKw, kwArg)
  const [createGraph, strict] = productKw('jvp', kw)
  const [inTuple, ins0] = C.asTuple(inputs, 'inputs', 'jvp')
  const [outs, outTuple, gradOuts, gradIns, vs] = enable_grad(() => {
    const ins = C.prepare(ins0, createGraph, true)
    const vs = vAgainst(v, 'jvp', ins, inTuple, createGraph)
    if (vs === null) requireVForInputs(ins)
    const [outTuple, outs] = C.asTuple(call(func, ins), 'outputs of the user-provided function', 'jvp')
    C.checkRequiresGrad(outs, 'outputs', strict)
    const gradOuts = outs.map((o) => zeros_like(o, { requires_grad: true }))
    const gradIns = C.autogradGrad(outs, ins, gradOuts, true)
    C.checkRequiresGrad(gradIns, 'grad_inputs', strict)
    return [outs, outTuple, gradOuts, gradIns, vs] as const
  })
  const res = lastStage(createGraph, () =>
    C.fillInZeros(C.autogradGrad(gradIns, gradOuts, vs, createGraph), outs, strict, createGraph, 'back_trick'),
  )
  return [C.untuple(C.finish(outs, createGraph), outTuple), C.untuple(C.finish(res, createGraph), outTuple)]
}

const STRATEGY_TEXT =
  'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your function has more outputs than inputs, "forward-mode" tends to be more performant. Otherwise, prefer to use "reverse-mode".'

/** Checks the options of jacobian; returns [create_graph, strict, vectorize, forward-mode]. */
const jacobianKw = (kw: JacobianKw): [boolean, boolean, boolean, boolean] => {
  const a = parseArgs('jacobian', [kw], ['create_graph', 'strict', 'vectorize', 'strategy'])
  const [createGraph, strict, vectorize] = [a.create_graph, a.strict, a.vectorize].map((b) => b === true)
  const strategy = a.strategy ?? 'reverse-mode'
  if (strategy !== 'reverse-mode' && strategy !== 'forward-mode') throw new AssertionError(STRATEGY_TEXT)
  if (strategy === 'forward-mode') {
    if (createGraph)
      throw new NotImplementedError(
        'torch.autograd.functional.jacobian: `create_graph=True` and `strategy="forward-mode"` are not supported together (yet). Please either set `create_graph=False` or `strategy="reverse-mode"`.',
      )
    if (strict)
      throw new RuntimeError(
        'torch.autograd.functional.jacobian: `strict=True` and `strategy="forward-mode"` are not supported together (yet). Please either set `strict=False` or `strategy="reverse-mode"`.',
      )
    if (!vectorize)
      throw new NotImplementedError(
        'Computing Jacobian using forward-AD or forward-over-reverse Hessian isonly implemented for `vectorize=True`.',
      )
  }
  return [createGraph!, strict!, vectorize!, strategy === 'forward-mode']
}

/** The gradient rows of output `out` (index `i`) for every input, one output element at a time (null: unused). */
const jacobianRows = (
  out: Tensor,
  i: number,
  ins: Tensor[],
  createGraph: boolean,
  strict: boolean,
): Array<Array<Tensor | null>> => {
  const rows: Array<Array<Tensor | null>> = ins.map(() => [])
  const flat = out.reshape(-1)
  for (let j = 0; j < out.numel(); j++) {
    const vj = C.autogradGrad([flat.select(0, j)], ins, null, createGraph, true)
    vj.forEach((g, k) => {
      if (g !== null && strict && createGraph && !g.requires_grad)
        throw new RuntimeError(
          `The jacobian of the user-provided function is independent of input ${i}. This is not allowed in strict mode when create_graph=True.`,
        )
      if (g === null && strict)
        throw new RuntimeError(
          `Output ${i} of the user-provided function is independent of input ${k}. This is not allowed in strict mode.`,
        )
      rows[k]!.push(g)
    })
  }
  return rows
}

/** The Jacobian of output `out` (index `i`) with respect to every input, one output element at a time. */
const jacobianOfOutput = (out: Tensor, i: number, ins: Tensor[], createGraph: boolean, strict: boolean): Tensor[] =>
  jacobianRows(out, i, ins, createGraph, strict).map((r, k) =>
    r.length === 0
      ? zeros_like(ins[k]!).reshape([...out.shape, ...ins[k]!.shape])
      : stack(
          r.map((g) => g ?? zeros_like(ins[k]!)),
          0,
        ).view([...out.shape, ...ins[k]!.shape]),
  )

/**
 * The Jacobian of `func` at `inputs`: a tensor `[*out.shape, *in.shape]`, or tuples of them (by
 * output, then by input) when `func` returns or takes a tuple.
 * @category torch @since 0.1.0
 */
export const jacobian = (func: Fn, inputs: Inputs, kw: JacobianKw = {}): FunctionalResult => {
  const [createGraph, strict, vectorize, forward] = jacobianKw(kw)
  return enable_grad(() => {
    const [inTuple, ins0] = C.asTuple(inputs, 'inputs', 'jacobian')
    if (forward) {
      const [outTuple, blocks] = forwardJacobian((args) => call(func, args), ins0)
      const jac = blocks.map((b) => C.untuple(b, inTuple))
      return (outTuple ? jac : jac[0]!) as FunctionalResult
    }
    const ins = C.prepare(ins0, createGraph, true)
    const [outTuple, outs] = C.asTuple(call(func, ins), 'outputs of the user-provided function', 'jacobian')
    C.checkRequiresGrad(outs, 'outputs', strict)
    if (vectorize && strict)
      throw new RuntimeError(
        'torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not supported together. Please either set `strict=False` or `vectorize=False`.',
      )
    const blocks = vectorize
      ? reverseJacobian(outs, ins, createGraph)
      : outs.map((o, i) => jacobianOfOutput(o, i, ins, createGraph, strict))
    const jac = blocks.map((b) => C.untuple(C.finish(b, createGraph), inTuple))
    return (outTuple ? jac : jac[0]!) as FunctionalResult
  })
}

/**
 * The Hessian of a function returning a one-element tensor: `[*in.shape, *in.shape]`, or a tuple
 * of tuples for a tuple of inputs.
 * @category torch @since 0.1.0
 */
export const hessian = (func: Fn, inputs: Inputs, kw: HessianKw = {}): FunctionalResult => {
  const a = parseArgs('hessian', [kw], ['create_graph', 'strict', 'vectorize', 'outer_jacobian_strategy'])
  const strategy = (a.outer_jacobian_strategy as JacobianKw['strategy'] | undefined) ?? 'reverse-mode'
  const strict = a.strict === true
  const [inTuple] = C.asTuple(inputs, 'inputs', 'hessian')
  if (strategy !== 'reverse-mode' && strategy !== 'forward-mode')
    throw new AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')
  const single = (...inp: Tensor[]): Tensor => {
    const out = call(func, inp)
    const [isTuple, outs] = C.asTuple(out, 'outputs of the user-provided function', 'hessian')
    C.checkRequiresGrad(outs, 'outputs', strict)
    if (isTuple) throw new RuntimeError('The function given to hessian should return a single Tensor')
    if (outs[0]!.numel() !== 1)
      throw new RuntimeError('The Tensor returned by the function given to hessian should contain a single element')
    return outs[0]!.squeeze()
  }
  const jacFunc = (...inp: Tensor[]): unknown => {
    const jac = jacobian(single as Fn, inTuple ? inp : inp[0]!, { create_graph: true })
    C.checkRequiresGrad(inTuple ? (jac as Tensor[]) : [jac as Tensor], 'jacobian', strict)
    return jac
  }
  const outer = { create_graph: a.create_graph === true, strict, vectorize: a.vectorize === true }
  jacobianKw({ ...outer, strategy }) // the forward-mode option errors
  if (strategy === 'forward-mode') return forwardOverReverse(jacFunc as Fn, inputs)
  return jacobian(jacFunc as Fn, inputs, outer)
}

/**
 * hessian's `outer_jacobian_strategy='forward-mode'` result: PyTorch pushes basis tangents through
 * the (create_graph) gradient, so nothing is detached and each block is the rows `[n_in, *out]`
 * permuted and reshaped to `[*out, *in]` (PermuteBackward0 under the reshape). Forward-over-reverse
 * is not modelled (a create_graph backward does not carry the saved tensors' tangents): the same
 * values come from the reverse-mode outer Jacobian with its graph, laid out as those rows — the
 * signs of zeros may differ from PyTorch's.
 */
const forwardOverReverse = (jacFunc: Fn, inputs: Inputs): FunctionalResult =>
  enable_grad(() => {
    const [inTuple, ins0] = C.asTuple(inputs, 'inputs', 'jacobian')
    const ins = C.prepare(ins0, true, true)
    const [outTuple, outs] = C.asTuple(call(jacFunc, ins), 'outputs of the user-provided function', 'jacobian')
    const numels = ins.map((n) => n.numel())
    const blocks = reverseJacobian(outs, ins, true).map((row, i) => {
      const o = outs[i]!
      // an output without graph has no tangent: zeros (PyTorch's zeros_like of the primal)
      if (!o.requires_grad) return ins.map((n) => zeros([...o.shape, ...n.shape], { dtype: o.dtype }))
      // the tangent rows of every input, [n_in, *out], one tensor split by input
      const rows = cat(
        row.map((b, k) =>
          b
            .reshape([o.numel(), numels[k]!])
            .t()
            .reshape([numels[k]!, ...o.shape]),
        ),
        0,
      )
      const order = [...Array(o.dim()).keys()].map((d) => d + 1)
      return rows.split(numels, 0).map((r, k) => r.permute([...order, 0]).reshape([...o.shape, ...ins[k]!.shape]))
    })
    const jac = blocks.map((b) => C.untuple(b, inTuple))
    return (outTuple ? jac : jac[0]!) as FunctionalResult
  })

/** The shared part of vhp/hvp: inputs, v, the one-element output and its gradient (with graph). */
const secondOrder = (func: Fn, inputs: Inputs, v: Inputs | null | undefined, name: string, kw: ProductKw) => {
  const [createGraph, strict] = productKw(name, kw)
  const [inTuple, ins0] = C.asTuple(inputs, 'inputs', name)
  const ins = C.prepare(ins0, createGraph, true)
  const vs = vAgainst(v, name, ins, inTuple, createGraph)
  if (vs === null) requireVForInputs(ins)
  const [outTuple, outs] = C.asTuple(call(func, ins), 'outputs of the user-provided function', name)
  C.checkRequiresGrad(outs, 'outputs', strict)
  if (outTuple) throw new RuntimeError(`The function given to ${name} should return a single Tensor`)
  if (outs[0]!.numel() !== 1)
    throw new RuntimeError(`The Tensor returned by the function given to ${name} should contain a single element`)
  const jac = C.autogradGrad(outs, ins, null, true)
  C.checkRequiresGrad(jac, 'jacobian', strict)
  return { createGraph, strict, inTuple, ins, vs, outs, jac }
}

/**
 * `[func(inputs), vᵀH]`: the vector-Hessian product of a function returning a one-element tensor.
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([1, 2], { dtype: torch.float64 })
 * const v = torch.tensor([3, 4], { dtype: torch.float64 })
 * const [out, p] = torch.autograd.functional.vhp((t: torch.Tensor) => t.pow(3).sum(), x, v)
 * assert.deepStrictEqual([(out as torch.Tensor).item(), (p as torch.Tensor).tolist()], [9, [18, 48]])
 * @category torch @since 0.2.0
 */
export const vhp = (
  func: Fn,
  inputs: Inputs,
  vOrKw?: Inputs | ProductKw | null,
  kwArg: ProductKw = {},
): [unknown, unknown] => {
  const [v, kw] = vAndKw(vOrKw, kwArg)
  const s = enable_grad(() => secondOrder(func, inputs, v, 'vhp', kw))
  const res = lastStage(s.createGraph, () =>
    C.fillInZeros(C.autogradGrad(s.jac, s.ins, s.vs, s.createGraph), s.ins, s.strict, s.createGraph, 'double_back'),
  )
  return [C.finish(s.outs, s.createGraph)[0], C.untuple(C.finish(res, s.createGraph), s.inTuple)]
}

/**
 * `[func(inputs), H·v]`: the Hessian-vector product of a function returning a one-element tensor
 * (PyTorch's double backward trick).
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([1, 2], { dtype: torch.float64 })
 * const f = (t: torch.Tensor) => t.select(0, 0).mul(t.select(0, 1)).add(t.pow(3).sum())
 * const [, p] = torch.autograd.functional.hvp(f, x, torch.tensor([1, 0], { dtype: torch.float64 }))
 * assert.deepStrictEqual((p as torch.Tensor).tolist(), [6, 1])
 * @category torch @since 0.2.0
 */
export const hvp = (
  func: Fn,
  inputs: Inputs,
  vOrKw?: Inputs | ProductKw | null,
  kwArg: ProductKw = {},
): [unknown, unknown] => {
  const [v, kw] = vAndKw(vOrKw, kwArg)
  const [s, gradJac, doubleBack] = enable_grad(() => {
    const s = secondOrder(func, inputs, v, 'hvp', kw)
    const gradJac = s.ins.map((t) => zeros_like(t, { requires_grad: true }))
    const doubleBack = C.autogradGrad(s.jac, s.ins, gradJac, true)
    C.checkRequiresGrad(s.jac, 'hessian', s.strict)
    return [s, gradJac, doubleBack] as const
  })
  const res = lastStage(s.createGraph, () =>
    C.fillInZeros(
      C.autogradGrad(doubleBack, gradJac, s.vs, s.createGraph),
      s.ins,
      s.strict,
      s.createGraph,
      'double_back_trick',
    ),
  )
  return [C.finish(s.outs, s.createGraph)[0], C.untuple(C.finish(res, s.createGraph), s.inTuple)]
}

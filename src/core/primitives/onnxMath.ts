/**
 * Element-wise arithmetic written as ONNX nodes, the shared toolkit of the special functions'
 * export rules (`./onnxErf`, `./onnxGamma`, `./onnxSpecial`): named operations over value names,
 * Horner polynomials, first-match where-chains, and masked loops that run a kernel's iteration
 * element by element (an ONNX `Loop` that stops once no element is still iterating).
 *
 * The rules compute in float64 (float32 inputs are cast up and the result cast back once), as
 * wengert's kernels do: a float32 result is the float64 value rounded.
 *
 * @category primitives
 * @since 0.2.0
 */
import type { DType } from '../../ndarray/dtype'
import type { Aval } from '../equation'
import type { OnnxContext, OnnxEmitter, OnnxRule } from '../onnxRule'

/** One step of a masked loop: which elements take it, their next state, which stop after it. */
export interface LoopStep {
  /** Bool: the element takes this step (checked before it, as a `for` loop's condition). */
  readonly run: string
  /** The state after the step (kept only where `run` holds). */
  readonly next: ReadonlyArray<string>
  /** Bool: the element stops after taking this step (a `break` at the end of the body). */
  readonly stop?: string
}

/** Builds float64 element-wise expressions (value names) with an emitter. */
export class OnnxMath {
  readonly dtype: DType = 'float64'
  constructor(
    readonly emit: OnnxEmitter,
    /** The broadcast shape of the values (the loops' state avals). */
    readonly shape: ReadonlyArray<number>,
  ) {}

  /** A float64 scalar constant. */
  c(v: number): string {
    return this.emit.scalar(v, this.dtype)
  }
  private bin(op: string, a: string, b: string | number): string {
    return this.emit.op(op, [a, typeof b === 'number' ? this.c(b) : b])
  }
  add(a: string, b: string | number): string {
    return this.bin('Add', a, b)
  }
  sub(a: string, b: string | number): string {
    return this.bin('Sub', a, b)
  }
  /** b − a with a constant b. */
  rsub(b: number, a: string): string {
    return this.emit.op('Sub', [this.c(b), a])
  }
  mul(a: string, b: string | number): string {
    return this.bin('Mul', a, b)
  }
  div(a: string, b: string | number): string {
    return this.bin('Div', a, b)
  }
  /** b / a with a constant b. */
  rdiv(b: number, a: string): string {
    return this.emit.op('Div', [this.c(b), a])
  }
  pow(a: string, b: string | number): string {
    return this.bin('Pow', a, b)
  }
  lt(a: string, b: string | number): string {
    return this.bin('Less', a, b)
  }
  le(a: string, b: string | number): string {
    return this.bin('LessOrEqual', a, b)
  }
  gt(a: string, b: string | number): string {
    return this.bin('Greater', a, b)
  }
  ge(a: string, b: string | number): string {
    return this.bin('GreaterOrEqual', a, b)
  }
  eq(a: string, b: string | number): string {
    return this.bin('Equal', a, b)
  }
  and(a: string, b: string): string {
    return this.emit.op('And', [a, b])
  }
  or(a: string, b: string): string {
    return this.emit.op('Or', [a, b])
  }
  not(a: string): string {
    return this.emit.op('Not', [a])
  }
  /** One-input ONNX op (Neg, Abs, Exp, Log, Sqrt, Floor, Sign, IsNaN, IsInf, Sin, Cos, Atan …). */
  f(op: string, a: string): string {
    return this.emit.op(op, [a])
  }
  /** c ? a : b (NaN in the branch not taken does not matter). */
  where(cond: string, a: string | number, b: string | number): string {
    const v = (x: string | number): string => (typeof x === 'number' ? this.c(x) : x)
    return this.emit.op('Where', [cond, v(a), v(b)])
  }
  /** The value of the first case whose condition holds, else `otherwise` (an if/else-if chain). */
  chain(cases: ReadonlyArray<readonly [string, string | number]>, otherwise: string | number): string {
    return cases.reduceRight<string | number>((acc, [cond, v]) => this.where(cond, v, acc), otherwise) as string
  }
  /** Σₖ coefs[k]·xᵏ by Horner's rule from the highest power. */
  horner(x: string, coefs: ReadonlyArray<number>): string {
    let acc = this.c(coefs[coefs.length - 1] ?? 0)
    for (let k = coefs.length - 2; k >= 0; k--) acc = this.add(this.mul(acc, x), coefs[k] ?? 0)
    return acc
  }
  /** x where `cond`, else a harmless stand-in (keeps a branch's loop from iterating on inputs it never sees). */
  domain(cond: string, x: string | number, standIn: string | number): string {
    return this.where(cond, x, standIn)
  }
  /** log x (NaN below 0). */
  log(x: string): string {
    return logNodes(this.emit, x, this.dtype)
  }
  log1p(x: string): string {
    return log1pNodes(this.emit, x, this.dtype)
  }
  expm1(x: string): string {
    return expm1Nodes(this.emit, x, this.dtype)
  }
  /** A bool that holds everywhere, shaped as `x`. */
  all(x: string): string {
    const same = this.eq(x, x)
    return this.or(same, this.not(same))
  }

  /**
   * Runs `step` on the state element by element, as the kernels' loops do: each element takes
   * steps while its `run` holds and it has not stopped, at most `maxTrips`; the ONNX `Loop` ends
   * once no element takes a step. `step` receives the trip index (0, 1, …) as a float64 scalar.
   * Returns the final state.
   */
  loop(
    init: ReadonlyArray<string>,
    maxTrips: number,
    step: (m: OnnxMath, state: ReadonlyArray<string>, trip: string) => LoopStep,
  ): string[] {
    const value: Aval = { shape: this.shape, dtype: this.dtype }
    const mask: Aval = { shape: this.shape, dtype: 'bool' }
    const flag: Aval = { shape: [], dtype: 'bool' }
    const index: Aval = { shape: [], dtype: 'int64' }
    const avals = init.map(() => value)
    const body = this.emit.graph([index, flag, mask, ...avals], [flag, mask, ...avals], (sub, [i, , alive, ...s]) => {
      const m = new OnnxMath(sub, this.shape)
      const r = step(m, s as string[], sub.cast(i as string, this.dtype))
      const take = m.and(alive as string, r.run)
      const next = r.next.map((v, k) => m.where(take, v, s[k] as string))
      const still = r.stop === undefined ? take : m.and(take, m.not(r.stop))
      const any = sub.reduce(
        'ReduceMax',
        sub.cast(still, 'int32'),
        this.shape.map((_, k) => k),
      )
      return [sub.cast(any, 'bool'), still, ...next]
    })
    const trips = this.emit.scalar(maxTrips, 'int64')
    const go = this.emit.scalar(1, 'bool')
    const outs = this.emit.node(
      'Loop',
      [trips, go, this.all(init[0] as string), ...init],
      { body: { graph: body } },
      init.length + 1,
    )
    return outs.slice(1)
  }
}

/**
 * expm1 in ONNX (which has no Expm1), accurate near 0 by Kahan's identity:
 * expm1(x) = (u − 1)·x / log u with u = eˣ (x where u = 1, −1 where u − 1 = −1, u where u = ∞).
 */
export const expm1Nodes = (emit: OnnxEmitter, x: string, dtype: DType): string => {
  const u = emit.op('Exp', [x])
  const um1 = emit.op('Sub', [u, emit.scalar(1, dtype)])
  const r = emit.op('Div', [emit.op('Mul', [um1, x]), emit.op('Log', [u])])
  const big = emit.op('Where', [emit.op('IsInf', [u]), u, r])
  const low = emit.op('Where', [emit.op('Equal', [um1, emit.scalar(-1, dtype)]), um1, big])
  return emit.op('Where', [emit.op('Equal', [u, emit.scalar(1, dtype)]), x, low])
}

/**
 * log1p in ONNX (no Log1p): log(u)·x / (u − 1) with u = 1 + x (x where u = 1, u where u = ∞,
 * NaN where u < 0: ONNX Runtime's Log gives −inf at −inf).
 */
export const log1pNodes = (emit: OnnxEmitter, x: string, dtype: DType): string => {
  const u = emit.op('Add', [x, emit.scalar(1, dtype)])
  const d = emit.op('Sub', [u, emit.scalar(1, dtype)])
  const r = emit.op('Div', [emit.op('Mul', [logNodes(emit, u, dtype), x]), d])
  const big = emit.op('Where', [emit.op('IsInf', [u]), logNodes(emit, u, dtype), r])
  return emit.op('Where', [emit.op('Equal', [d, emit.scalar(0, dtype)]), x, big])
}

/** The natural logarithm, NaN below 0 (ONNX Runtime's Log gives −inf at −inf). */
export const logNodes = (emit: OnnxEmitter, x: string, dtype: DType): string =>
  emit.op('Where', [emit.op('Less', [x, emit.scalar(0, dtype)]), emit.scalar(NaN, dtype), emit.op('Log', [x])])

/** Inputs cast to float64 and broadcast to the output's shape (ONNX `Expand` over `Shape`). */
const prepare = (emit: OnnxEmitter, inputs: ReadonlyArray<string>, avals: ReadonlyArray<Aval>): string[] => {
  const up = inputs.map((x, i) => ((avals[i] as Aval).dtype === 'float64' ? x : emit.cast(x, 'float64')))
  if (up.length === 1) return up
  const same = avals.every(
    (a) =>
      a.shape.length === (avals[0] as Aval).shape.length && a.shape.every((d, k) => d === (avals[0] as Aval).shape[k]),
  )
  if (same) return up
  const full = emit.op('Shape', [up.slice(1).reduce((acc, x) => emit.op('Add', [acc, x]), up[0] as string)])
  return up.map((x) => emit.op('Expand', [x, full]))
}

/** An export rule computing `f` over the inputs in float64 (cast back to the output's dtype). */
export const float64Rule =
  <P>(f: (m: OnnxMath, inputs: ReadonlyArray<string>, params: P) => string): OnnxRule<P> =>
  ({ inputs, avals, out, params, emit }: OnnxContext<P>) => {
    const m = new OnnxMath(emit, out.shape)
    const y = f(m, prepare(emit, inputs, avals), params)
    return out.dtype === 'float64' ? emit.op('Identity', [y]) : emit.cast(y, out.dtype)
  }

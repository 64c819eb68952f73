/**
 * A scan whose body is scalar code — every value one element, every equation an element-wise
 * operation with a scalar expression (float32/float64, and int32 add/sub such as `foriLoop`'s
 * counter) — compiled into ONE JavaScript function that runs the whole loop: the carry lives in
 * local numbers, the scanned rows are read from and the stacked outputs written to their typed
 * arrays, nothing is allocated per step. The expressions are the kernels' own (`scalarExpr`,
 * rounded to the dtype), so the results are those of the body's program bit for bit. Bodies of
 * any other kind (arrays, other primitives), and every body where code generation is not
 * allowed, return null and run step by step.
 *
 * @category core
 * @since 0.2.0
 */
import { scalarHelpers } from '../ndarray/kernels/expressions'
import { allocate, type DType, type TypedArray } from '../ndarray/dtype'
import { NdArray } from '../ndarray/NdArray'
import { ewiseExpr, ewiseOf, numberLiteral, outAval, rounded, substitute } from './codegen'
import { avalOf, Var, type Atom, type Aval, type Equation, type Tape } from './equation'
import { compiles } from './program'

/** Runs a scalar scan: flat inputs (consts, carry, xs) in, final carry and stacked outputs out. */
export type ScalarLoop = (inputs: ReadonlyArray<NdArray>, length: number, reverse: boolean) => NdArray[]

type LoopFn = (
  I: ReadonlyArray<NdArray>,
  Y: ReadonlyArray<TypedArray>,
  n: number,
  reverse: boolean,
  H: Readonly<Record<string, (x: number) => number>>,
) => number[]

const isOne = (a: Aval): boolean => a.shape.every((d) => d === 1)
const numeric = (d: DType): boolean => d === 'float32' || d === 'float64' || d === 'int32'

/** The rounded expression of one equation over operand texts, or null when it is not scalar code. */
const equationExpr = (eq: Equation, ops: ReadonlyArray<string>): string | null => {
  if (eq.outvars.length !== 1) return null
  const out = outAval(eq)
  if (!isOne(out) || !numeric(out.dtype)) return null
  if (!eq.invars.every((a) => isOne(avalOf(a)) && avalOf(a).dtype === out.dtype)) return null
  const form = ewiseExpr(eq, out.dtype)
  if (form === null) return null
  const expr = substitute(form, ops)
  if (out.dtype !== 'int32') return rounded(out.dtype, expr)
  // int32: only the wrapping add and subtract (the typed array's store wraps the same way)
  const op = ewiseOf(eq)?.op
  return op === 'add' || op === 'sub' ? `((${expr}) | 0)` : null
}

/** The source of the loop, or null when the body is not scalar code. */
const loopSource = (body: Tape, numConsts: number, numCarry: number): string | null => {
  if (!body.inputs.every((v) => isOne(v.aval) && numeric(v.aval.dtype))) return null
  const name = (a: Atom): string | null => {
    if (a instanceof Var) return `v${a.id}`
    const lit = numberLiteral(a._data[0])
    return a.size === 1 && numeric(a.dtype) && lit !== null ? `(${lit})` : null
  }
  const lines: string[] = []
  for (const eq of body.equations) {
    const ops = eq.invars.map(name)
    if (ops.some((o) => o === null)) return null
    const expr = equationExpr(eq, ops as string[])
    if (expr === null) return null
    lines.push(`const v${(eq.outvars[0] as Var).id} = ${expr};`)
  }
  const outs = body.outputs.map(name)
  if (outs.some((o) => o === null)) return null
  const ins = body.inputs.map((v, i) => {
    if (i < numConsts) return `const v${v.id} = I[${i}]._data[0];`
    if (i < numConsts + numCarry) return `let v${v.id} = I[${i}]._data[0];`
    return `const X${i} = I[${i}]._data;`
  })
  const rows = body.inputs
    .slice(numConsts + numCarry)
    .map((v, j) => `const v${v.id} = X${numConsts + numCarry + j}[t];`)
  const carryIns = body.inputs.slice(numConsts, numConsts + numCarry)
  const carryOuts = outs.slice(0, numCarry)
  const ys = outs.slice(numCarry).map((o, j) => `Y[${j}][t] = ${o as string};`)
  return [
    ...ins,
    ...ys.map((_, j) => `const Y${j} = Y[${j}];`),
    'for (let s = 0; s < n; s++) {',
    'const t = reverse ? n - 1 - s : s;',
    ...rows,
    ...lines,
    ...ys.map((y, j) => y.replace(`Y[${j}]`, `Y${j}`)),
    ...carryOuts.map((o, k) => `const k${k} = ${o as string};`),
    ...carryIns.map((v, k) => `v${v.id} = k${k};`),
    '}',
    `return [${carryIns.map((v) => `v${v.id}`).join(', ')}];`,
  ].join('\n')
}

const loops = new WeakMap<Tape, ScalarLoop | null>()

/** The whole-loop function of a scan body (compiled once, kept with it), or null. */
export const scalarLoopOf = (body: Tape, numConsts: number, numCarry: number): ScalarLoop | null => {
  let loop = loops.get(body)
  if (loop === undefined) {
    loop = compileLoop(body, numConsts, numCarry)
    loops.set(body, loop)
  }
  return loop
}

const compileLoop = (body: Tape, numConsts: number, numCarry: number): ScalarLoop | null => {
  const src = compiles() ? loopSource(body, numConsts, numCarry) : null
  if (src === null) return null
  const fn = new Function('I', 'Y', 'n', 'reverse', 'H', src) as LoopFn
  const carryAvals = body.outputs.slice(0, numCarry).map(avalOf)
  const yAvals = body.outputs.slice(numCarry).map(avalOf)
  return (inputs, length, reverse) => {
    const ys = yAvals.map((a) => allocate(a.dtype, length))
    const carry = fn(inputs, ys, length, reverse, scalarHelpers)
    return [
      ...carryAvals.map((a, k) => {
        const data = allocate(a.dtype, 1)
        data[0] = carry[k] as number
        return new NdArray(a.shape, a.dtype, data)
      }),
      ...yAvals.map((a, j) => new NdArray([length, ...a.shape], a.dtype, ys[j] as TypedArray)),
    ]
  }
}

/**
 * Loop fusion for `jit`'s programs: runs of consecutive element-wise equations over arrays of one
 * shape become one loop, each element computed through the whole run in locals, and only the
 * values used after the run are written to memory. An element-wise chain and its gradient
 * (`x̄ = ȳ·y + ȳ·x·(1 − y²)`) then make one pass over the data instead of one per equation and
 * allocate no temporaries.
 *
 * A run's results are the kernels' bits: each equation's expression is the kernel's own
 * (`scalarExpr`), rounded to float32 per equation as the kernels store it. Float32 `tanh`, `exp`
 * and `log` stay outside runs: their WebAssembly kernels are several times faster than JavaScript,
 * and short runs of operations that have WebAssembly kernels are left to the kernels. Large
 * float32 runs are fused into WebAssembly instead (./wasmFusion), before these are formed.
 *
 * @category core
 * @since 0.1.0
 */
import { hasWasmKernel } from '../ndarray/kernels/elementwise'
import { shapesEqual, sizeOf } from '../ndarray/shape'
import { ewiseExpr, ewiseOf, floatDTypeText, isSize, numberLiteral, outAval, rounded, substitute } from './codegen'
import { avalOf, Var, type Equation } from './equation'

/** Equations `first..last` (inclusive, in program order) run as one loop over `shape`. */
export interface FusedRun {
  readonly first: number
  readonly last: number
}

/** The per-element expression of an equation that may join a run over its output's shape, or null. */
export const fusibleExpr = (eq: Equation): string | null => {
  const ew = ewiseOf(eq)
  if (ew === undefined) return null
  const { shape, dtype } = outAval(eq)
  if (floatDTypeText(dtype) === null || !isSize(sizeOf(shape)) || sizeOf(shape) <= 1) return null
  if (dtype === 'float32' && ew.kind === 'unary' && (ew.op === 'tanh' || ew.op === 'exp' || ew.op === 'log'))
    return null
  for (const a of eq.invars) {
    const aval = avalOf(a)
    if (aval.dtype !== dtype) return null
    if (sizeOf(aval.shape) !== 1 && !shapesEqual(aval.shape, shape)) return null
  }
  return ewiseExpr(eq, dtype)
}

/**
 * The maximal runs of consecutive fusible equations with one output shape that pay: a loop in
 * JavaScript costs more per element than a WebAssembly kernel, so a run is fused when it has
 * three equations or more, or one without a WebAssembly kernel (two passes and an allocation
 * saved at least), or arrays too small for the kernels to use WebAssembly.
 */
export const fusedRuns = (equations: ReadonlyArray<Equation>, exprs: ReadonlyArray<string | null>): FusedRun[] => {
  const pays = (first: number, last: number): boolean => {
    if (last - first >= 2) return true
    for (let k = first; k <= last; k++) {
      const eq = equations[k] as Equation
      const ew = ewiseOf(eq)
      const { shape, dtype } = outAval(eq)
      if (ew !== undefined && !hasWasmKernel(ew.kind, ew.op, dtype, sizeOf(shape))) return true
    }
    return false
  }
  return runsOf(equations, (_, k) => exprs[k] !== null, pays)
}

/**
 * The maximal runs of two or more consecutive equations that are each `eligible` and share one
 * output shape, kept where `keep(first, last)` says so (the JS loops' and the WebAssembly loops'
 * fusion both cut runs this way).
 */
export const runsOf = (
  equations: ReadonlyArray<Equation>,
  eligible: (eq: Equation, k: number) => boolean,
  keep: (first: number, last: number) => boolean = () => true,
): FusedRun[] => {
  const runs: FusedRun[] = []
  let start = -1
  const close = (end: number): void => {
    if (start >= 0 && end > start && keep(start, end)) runs.push({ first: start, last: end })
    start = -1
  }
  equations.forEach((eq, k) => {
    if (!eligible(eq, k)) {
      close(k - 1)
      return
    }
    if (start >= 0 && !shapesEqual(outAval(equations[start] as Equation).shape, outAval(eq).shape)) close(k - 1)
    if (start < 0) start = k
  })
  close(equations.length - 1)
  return runs
}

/**
 * A fused run as a kernel of its own: the source of one function over positional operands, so
 * that the runs of an unrolled loop (the same equations on other values) share one source, one
 * compiled function and its optimised code. The function reads `A` (arrays: the run's array
 * operands and large constants), `N` (numbers: one-element values held as numbers), `S` (the
 * output shapes) and returns the values used after the run, allocated with `ALLOC` (from the buffer pool when large).
 */
export interface FusedKernel {
  readonly source: string
  /** Array operands, in the order the source reads them from `A`. */
  readonly arrays: ReadonlyArray<Equation['invars'][number]>
  /** Variables read as numbers (from `N`), in order. */
  readonly numbers: ReadonlyArray<Var>
  /** The values stored (used after the run), in the order the function returns them. */
  readonly outputs: ReadonlyArray<Var>
}

/**
 * The kernel of equations `first..last` (one output shape): inputs from before the run are read
 * from their arrays (or, with one element, hoisted as numbers), each equation's value is a local,
 * and the values used after the run are stored into fresh arrays. `isNumber`: whether a variable
 * is held as a number; `usedOutside`: whether it is read after the run.
 */
export const fusedKernel = (
  equations: ReadonlyArray<Equation>,
  run: FusedRun,
  exprs: ReadonlyArray<string | null>,
  isNumber: (v: number) => boolean,
  usedOutside: Uint8Array,
): FusedKernel => {
  const head = outAval(equations[run.first] as Equation)
  const n = sizeOf(head.shape)
  const arrays: Array<Equation['invars'][number]> = []
  const numbers: Var[] = []
  const outputs: Var[] = []
  const local = new Map<number, string>()
  const pre: string[] = []
  const body: string[] = []
  const hoisted = new Map<unknown, string>()
  const hoist = (key: unknown, expr: () => string): string => {
    let name = hoisted.get(key)
    if (name === undefined) {
      name = `h${hoisted.size}`
      hoisted.set(key, name)
      pre.push(`const ${name} = ${expr()};`)
    }
    return name
  }
  const array = (a: Equation['invars'][number]): string => `A[${arrays.push(a) - 1}]`
  const operand = (a: Equation['invars'][number]): string => {
    if (!(a instanceof Var)) {
      const lit = a.size === 1 ? numberLiteral(a._data[0]) : null
      if (lit !== null) return `(${lit})`
      return a.size === 1 ? hoist(a, () => `(+${array(a)}._data[0])`) : `${hoist(a, () => `${array(a)}._data`)}[i]`
    }
    const name = local.get(a.id)
    if (name !== undefined) return name
    if (sizeOf(a.aval.shape) === 1)
      return hoist(a.id, () => (isNumber(a.id) ? `N[${numbers.push(a) - 1}]` : `${array(a)}._data[0]`))
    return `${hoist(a.id, () => `${array(a)}._data`)}[i]`
  }
  const post: string[] = []
  for (let k = run.first; k <= run.last; k++) {
    const eq = equations[k] as Equation
    const out = eq.outvars[0] as Var
    const name = `e${k - run.first}`
    body.push(`const ${name} = ${rounded(out.aval.dtype, substitute(exprs[k] as string, eq.invars.map(operand)))};`)
    local.set(out.id, name)
    if (usedOutside[out.id] === 1) {
      const o = `o${outputs.length}`
      const dtype = floatDTypeText(out.aval.dtype) as string
      pre.push(`const ${o} = ALLOC(${dtype}, ${n});`)
      body.push(`${o}[i] = ${name};`)
      post.push(`NDA(S[${outputs.length}], ${dtype}, ${o})`)
      outputs.push(out)
    }
  }
  const source = `${pre.join('\n')}\nfor (let i = 0; i < ${n}; i++) {\n${body.join('\n')}\n}\nreturn [${post.join(', ')}];`
  return { source, arrays, numbers, outputs }
}

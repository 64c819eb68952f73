/**
 * `exportOnnx(f, exampleArgs, options)`: stages `f` as `jit` does and writes the program as an
 * ONNX model.
 *
 * @category onnx
 * @since 0.2.0
 */
import { zeros } from '../ndarray/create'
import { NdArray } from '../ndarray/NdArray'
import { avalOf, liveEquations, type Atom, type Equation, type Var } from '../core/equation'
import { StagingLevel, StagingTracer } from '../core/staging'
import { live, withLevel } from '../core/trace'
import { flatten, keyPaths, keystr, unflatten, type TreeDef } from '../tree'
import { checkGraph } from './check'
import { encodeModel } from './encode'
import { OnnxExportError } from './errors'
import { buildGraph, type Graph, type ValueInfo } from './graph'
import { dynamicGraph, type SymbolicDim } from './dynamic'

/** Dimensions to leave symbolic, by input or output name (PyTorch: `dynamic_axes`). */
export type DynamicAxes = Readonly<Record<string, Readonly<Record<number, string>> | ReadonlyArray<number>>>

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /** Names of the array leaves of the arguments, in order (default: `arg0`, `arg1.w`, …). */
  readonly inputNames?: ReadonlyArray<string>
  /** Names of the array leaves of the result, in order (default: `output`, `output.loss`, …). */
  readonly outputNames?: ReadonlyArray<string>
  /** ONNX opset of the default domain: 17 (the default) or later. */
  readonly opsetVersion?: number
  /** Symbolic dimensions, as PyTorch's `dynamic_axes`: `{ x: { 0: 'batch' } }` or `{ x: [0] }`. */
  readonly dynamicAxes?: DynamicAxes
  /** The graph's name (default `main`). */
  readonly graphName?: string
  /** Text stored as the model's doc string. */
  readonly docString?: string
}

/** The default opset: ONNX 1.12's, run by every ONNX Runtime from 1.12 on. */
export const DEFAULT_OPSET = 17

/**
 * Traces `f` on `exampleArgs` (any transform composition: `f`, `grad(f)`, `vmap(f)`, `jit(step)`)
 * and returns an ONNX `ModelProto` (opset 17 by default): graph inputs are the array leaves of
 * the arguments, outputs those of the result, named from the pytree paths unless `inputNames`/
 * `outputNames` are given; closed-over arrays become initializers. JavaScript branching on array
 * values throws the ConcretizationTypeError `jit` gives; a primitive without an export rule throws
 * an OnnxExportError naming it. Numbers among the arguments are constants of the model.
 *
 * @example
 * import { array, mul, sin, sum, grad, type NdArray } from 'wengert'
 * import { exportOnnx } from 'wengert/onnx'
 * const f = (x: NdArray) => sum(mul(sin(x), x))
 * const bytes = exportOnnx(grad(f), [array([1, 2, 3])], { inputNames: ['x'], outputNames: ['dx'] })
 * assert.ok(bytes instanceof Uint8Array && bytes.length > 100)
 * @category onnx
 * @since 0.2.0
 */
export const exportOnnx = <A extends readonly unknown[]>(
  f: (...args: A) => unknown,
  exampleArgs: A,
  options: ExportOnnxOptions = {},
): Uint8Array => {
  const opset = options.opsetVersion ?? DEFAULT_OPSET
  if (!Number.isInteger(opset) || opset < 17)
    throw new OnnxExportError(`exportOnnx: opsetVersion must be an integer ≥ 17, got ${String(opset)}`)
  const base = traceGraph(f, exampleArgs, options, opset)
  const trace = (s: SymbolicDim, delta: number): Graph =>
    retrace(() => traceGraph(f, resized(exampleArgs, base, s.name, delta), options, opset))
  const syms = symbolsOf(exampleArgs, base)
  const graph =
    syms.length === 0 ? base : dynamicGraph({ base, varied: syms.map((s) => [s, trace(s, 1), trace(s, 2)] as const) })
  checkGraph(graph)
  return encodeModel(graph, {
    producerVersion: '0.2.0',
    graphName: options.graphName ?? 'main',
    docString: options.docString ?? '',
  })
}

// -------------------------------------------------------------------------------------
// tracing
// -------------------------------------------------------------------------------------

/** Stages `f` on `args` and writes the graph. */
const traceGraph = <A extends readonly unknown[]>(
  f: (...args: A) => unknown,
  args: A,
  options: ExportOnnxOptions,
  opset: number,
): Graph => {
  const level = new StagingLevel()
  return withLevel(level, () => {
    const inPaths: string[] = []
    const inVars: Var[] = []
    const callArgs = args.map((a, i) => {
      const [leaves, def] = flatten(a)
      const paths = leafPaths(def, `arg${i}`)
      const staged = leaves.map((l, k) => {
        if (!(l instanceof NdArray)) return l
        const t = level.input(live(l))
        inPaths.push(paths[k] as string)
        inVars.push(t.variable)
        return t
      })
      return unflatten(def, staged)
    }) as unknown as A
    const [outLeaves, outDef] = flatten(f(...callArgs))
    const outPaths = leafPaths(outDef, 'output')
    const outs: Array<readonly [Atom, string]> = []
    outLeaves.forEach((l, k) => {
      if (!(l instanceof NdArray))
        throw new OnnxExportError(
          `exportOnnx: output ${outPaths[k] ?? k} is not an array (${typeof l}); return arrays or pytrees of arrays`,
        )
      const x = live(l)
      outs.push([x instanceof StagingTracer && x._level === level ? x.variable : x, outPaths[k] as string])
    })
    const inNames = names('inputNames', options.inputNames, inPaths)
    const outNames = names(
      'outputNames',
      options.outputNames,
      outs.map(([, p]) => p),
    )
    const dyn = options.dynamicAxes ?? {}
    checkDynamicNames(dyn, [...inNames, ...outNames])
    const info = (name: string, a: Atom): ValueInfo => {
      const { shape, dtype } = avalOf(a)
      const axes = dyn[name]
      const sym =
        axes === undefined
          ? {}
          : Array.isArray(axes)
            ? Object.fromEntries(axes.map((d) => [d, `${name}_dim${d}`]))
            : axes
      return { name, dtype, shape: shape.map((d, i) => (sym as Record<number, string>)[i] ?? d) }
    }
    const equations: Equation[] = liveEquations(
      level.equations,
      level.nVars,
      outs.flatMap(([a]) => (a instanceof NdArray ? [] : [a.id])),
    )
    return buildGraph(
      equations,
      {
        inputs: inVars.map((v, i) => [v, info(inNames[i] as string, v)] as const),
        outputs: outs.map(([a], i) => [a, info(outNames[i] as string, a)] as const),
      },
      opset,
    )
  })
}

/** Dotted paths of a tree's leaves under `root` (`arg0`, `arg1.w`, `arg1.0`). */
const leafPaths = (def: TreeDef, root: string): string[] =>
  keyPaths(def).map((p) => (p.length === 0 ? root : `${root}.${keystr(p, { simple: true, separator: '.' })}`))

/** The names given (PyTorch: the first names given, the rest defaulted) or the paths. */
const names = (option: string, given: ReadonlyArray<string> | undefined, paths: ReadonlyArray<string>): string[] => {
  if (given === undefined) return paths.slice()
  if (given.length > paths.length)
    throw new OnnxExportError(`exportOnnx: ${option} has ${given.length} names for ${paths.length} arrays`)
  const out = paths.map((p, i) => given[i] ?? p)
  const dup = out.find((n, i) => out.indexOf(n) !== i)
  if (dup !== undefined) throw new OnnxExportError(`exportOnnx: ${option}: the name '${dup}' is used twice`)
  return out
}

const checkDynamicNames = (dyn: DynamicAxes, known: ReadonlyArray<string>): void => {
  for (const k of Object.keys(dyn))
    if (!known.includes(k))
      throw new OnnxExportError(
        `exportOnnx: dynamicAxes names '${k}', which is neither an input nor an output (${known.join(', ')})`,
      )
}

// -------------------------------------------------------------------------------------
// dynamic axes
// -------------------------------------------------------------------------------------

/** The second trace, at other sizes: a function that fails there cannot have those dimensions dynamic. */
const retrace = (trace: () => Graph): Graph => {
  try {
    return trace()
  } catch (e) {
    if (e instanceof OnnxExportError) throw e
    throw new OnnxExportError(
      `exportOnnx: dynamicAxes: the function fails at another size of its dynamic dimensions ` +
        `(${e instanceof Error ? e.message : String(e)}); export with fixed sizes`,
    )
  }
}

/** The symbolic dimensions of the inputs: where each is read first, and its size in the example. */
const symbolsOf = (args: readonly unknown[], g: Graph): SymbolicDim[] => {
  const out = new Map<string, SymbolicDim>()
  let k = 0
  for (const l of args.flatMap((a) => flatten(a)[0])) {
    if (!(l instanceof NdArray)) continue
    const info = g.inputs[k++] as ValueInfo
    info.shape.forEach((d, axis) => {
      if (typeof d !== 'string') return
      const size = l.shape[axis] as number
      const known = out.get(d)
      if (known === undefined) out.set(d, { name: d, input: info.name, axis, size })
      else if (known.size !== size)
        throw new OnnxExportError(
          `exportOnnx: dynamicAxes: the dimension '${d}' is ${known.size} in '${known.input}' but ${size} in '${info.name}'`,
        )
    })
  }
  return [...out.values()]
}

/** The example arguments with every input dimension named `sym` larger by `delta`. */
const resized = <A extends readonly unknown[]>(args: A, g: Graph, sym: string, delta: number): A => {
  let k = 0
  return args.map((a) => {
    const [leaves, def] = flatten(a)
    return unflatten(
      def,
      leaves.map((l) => {
        if (!(l instanceof NdArray)) return l
        const info = g.inputs[k++] as ValueInfo
        if (!info.shape.includes(sym)) return l
        const shape = info.shape.map((d, i) => (l.shape[i] as number) + (d === sym ? delta : 0))
        return zeros(shape, { dtype: l.dtype })
      }),
    )
  }) as unknown as A
}

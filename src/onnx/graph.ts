/**
 * A program (the one equation type of `src/core/equation.ts`) as a plain ONNX graph: each
 * equation is written by its primitive's export rule through an emitter that names values, adds
 * nodes and collects constants as initializers.
 *
 * @category onnx
 * @since 0.2.0
 */
import type { DType } from '../ndarray/dtype'
import type { NdArray } from '../ndarray/NdArray'
import { scalar } from '../core/lax'
import { isVar, type Atom, type Aval, type Equation, type Tape, type Var } from '../core/equation'
import type { OnnxAttr, OnnxEmitter, OnnxGraph, OnnxNode, OnnxValueInfo } from '../core/onnxRule'
import { WengertError } from '../ndarray/errors'
import { OnnxExportError } from './errors'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** An ONNX node, as plain data. */
export type GraphNode = OnnxNode

/** A constant: an array, or a 1-D int64 list (shapes, axes). */
export type Initializer =
  | { readonly name: string; readonly kind: 'array'; readonly value: NdArray }
  | { readonly name: string; readonly kind: 'int64'; readonly value: ReadonlyArray<number> }

/** The element type of a graph value: a wengert dtype or ONNX int64. */
export type ElemType = DType | 'int64'

/** A typed graph input or output; a string dimension is symbolic (`dim_param`). */
export type ValueInfo = OnnxValueInfo

/** An ONNX graph as plain data, in topological order. */
export interface Graph {
  readonly inputs: ReadonlyArray<ValueInfo>
  readonly outputs: ReadonlyArray<ValueInfo>
  readonly nodes: ReadonlyArray<GraphNode>
  readonly initializers: ReadonlyArray<Initializer>
  readonly opset: number
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** Input and output names and types of the program to write. */
export interface GraphSignature {
  readonly inputs: ReadonlyArray<readonly [Var, ValueInfo]>
  readonly outputs: ReadonlyArray<readonly [Atom, ValueInfo]>
}

/** Writes `equations` (topologically ordered) as an ONNX graph. */
export const buildGraph = (equations: ReadonlyArray<Equation>, sig: GraphSignature, opset: number): Graph => {
  const em = new Emitter(opset, new Store())
  const names = new Map<number, string>()
  for (const [v, info] of sig.inputs) names.set(v.id, info.name)
  em.equations(equations, names)
  em.current = 'output'
  // every graph output is a node output of its own name (ONNX: a graph output names a value)
  for (const [atom, info] of sig.outputs)
    em.nodes.push(node('Identity', [em.nameOf(atom, names)], [info.name], 'output'))
  return {
    inputs: sig.inputs.map(([, i]) => i),
    outputs: sig.outputs.map(([, i]) => i),
    nodes: em.nodes,
    initializers: em.store.initializers,
    opset,
  }
}

/** Runs a rule; a rule's refusal (a typed error of its own) becomes an OnnxExportError naming the primitive. */
const refusing = (primitive: string, write: () => void): void => {
  try {
    write()
  } catch (e) {
    if (e instanceof OnnxExportError || !(e instanceof WengertError)) throw e
    throw new OnnxExportError(
      e.message.includes(primitive) ? e.message : `exportOnnx: primitive '${primitive}': ${e.message}`,
    )
  }
}

const missing = (v: Var): never => {
  throw new OnnxExportError(`exportOnnx: internal: variable ${v.id} is used before it is defined`)
}

const node = (
  op: string,
  inputs: ReadonlyArray<string>,
  outputs: ReadonlyArray<string>,
  primitive: string,
  attrs: Readonly<Record<string, OnnxAttr>> = {},
): GraphNode => ({ op, inputs, outputs, attrs, primitive })

/** What the emitters of a model and of its sub-graphs share: fresh names and constants. */
class Store {
  readonly initializers: Initializer[] = []
  readonly consts = new Map<NdArray, string>()
  n = 0
}

/** The emitter export rules write through (one per graph; sub-graphs share the model's store). */
class Emitter implements OnnxEmitter {
  readonly nodes: GraphNode[] = []
  /** The primitive whose rule runs (recorded on its nodes). */
  current = ''

  constructor(
    readonly opset: number,
    readonly store: Store,
  ) {}

  private fresh(prefix: string): string {
    return `${prefix}_${this.store.n++}`
  }

  /** The name of an atom: a variable's from `names`, a constant's initializer. */
  nameOf(a: Atom, names: ReadonlyMap<number, string>): string {
    return isVar(a) ? (names.get(a.id) ?? missing(a)) : this.constant(a)
  }

  /** Writes each equation through its primitive's rule, naming the output variables in `names`. */
  equations(equations: ReadonlyArray<Equation>, names: Map<number, string>): void {
    const outer = this.current
    for (const eq of equations) {
      const prim = eq.primitive
      if (prim.onnx === undefined)
        throw new OnnxExportError(`exportOnnx: primitive '${prim.name}' has no ONNX export rule`)
      this.current = prim.name
      refusing(prim.name, () => this.equation(eq, names))
    }
    this.current = outer
  }

  /** Writes one equation through its primitive's rule. */
  private equation(eq: Equation, names: Map<number, string>): void {
    const prim = eq.primitive
    if (prim.onnx !== undefined) {
      const inputs = eq.invars.map((a) => this.nameOf(a, names))
      const avals = eq.invars.map((a) => (isVar(a) ? a.aval : a))
      if (prim.multipleResults === true) {
        const outs = prim.onnx({ inputs, avals, outs: eq.outvars.map((v) => v.aval), params: eq.params, emit: this })
        if (outs.length !== eq.outvars.length)
          throw new OnnxExportError(`exportOnnx: internal: the rule of '${prim.name}' returned ${outs.length} outputs`)
        eq.outvars.forEach((v, j) => names.set(v.id, outs[j] as string))
      } else {
        const out = eq.outvars[0] as Var
        names.set(out.id, prim.onnx({ inputs, avals, out: out.aval, params: eq.params, emit: this }))
      }
    }
  }

  inline(tape: Tape, inputs: ReadonlyArray<string>): string[] {
    const names = new Map<number, string>()
    tape.inputs.forEach((v, i) => names.set(v.id, inputs[i] ?? missing(v)))
    this.equations(tape.equations, names)
    return tape.outputs.map((a) => this.nameOf(a, names))
  }

  graph(
    inputs: ReadonlyArray<Aval>,
    outputs: ReadonlyArray<Aval>,
    body: (emit: OnnxEmitter, inputs: ReadonlyArray<string>) => ReadonlyArray<string>,
  ): OnnxGraph {
    const sub = new Emitter(this.opset, this.store)
    sub.current = this.current
    const ins = inputs.map((a) => ({ name: this.fresh(`${this.current}_in`), dtype: a.dtype, shape: a.shape }))
    const results = body(
      sub,
      ins.map((v) => v.name),
    )
    // each output a node output of the sub-graph (an outer value or an input may not be one directly)
    const outs = outputs.map((a, j) => ({
      name: sub.op('Identity', [results[j] as string]),
      dtype: a.dtype,
      shape: a.shape,
    }))
    return { inputs: ins, outputs: outs, nodes: sub.nodes }
  }

  node(op: string, inputs: ReadonlyArray<string>, attrs: Readonly<Record<string, OnnxAttr>> = {}, nOut = 1): string[] {
    const outputs = Array.from({ length: nOut }, () => this.fresh(this.current))
    this.nodes.push(node(op, inputs, outputs, this.current, attrs))
    return outputs
  }

  op(op: string, inputs: ReadonlyArray<string>, attrs: Readonly<Record<string, OnnxAttr>> = {}): string {
    return this.node(op, inputs, attrs)[0] as string
  }

  ints(values: ReadonlyArray<number>): string {
    const name = this.fresh('ints')
    this.store.initializers.push({ name, kind: 'int64', value: values.slice() })
    return name
  }

  scalar(value: number, dtype: DType): string {
    const name = this.fresh('scalar')
    this.store.initializers.push({ name, kind: 'array', value: scalar(value, dtype) })
    return name
  }

  /** A constant array of the program (a captured value), once per array. */
  constant(x: NdArray): string {
    const known = this.store.consts.get(x)
    if (known !== undefined) return known
    const name = this.fresh('const')
    this.store.consts.set(x, name)
    this.store.initializers.push({ name, kind: 'array', value: x })
    return name
  }

  cast(x: string, dtype: DType): string {
    return this.op('Cast', [x], { to: { int: ONNX_TYPE[dtype] } })
  }

  reduce(op: 'ReduceSum' | 'ReduceMax' | 'ReduceMin', x: string, axes: ReadonlyArray<number>): string {
    // NOTE: ONNX reduces every axis when none are given, wengert none: an empty reduction is the identity
    if (axes.length === 0) return this.op('Identity', [x])
    const keep = { keepdims: { int: 0 } }
    // ReduceSum takes its axes as an input from opset 13, the others from opset 18
    if (op === 'ReduceSum' || this.opset >= 18) return this.op(op, [x, this.ints(axes)], keep)
    return this.op(op, [x], { ...keep, axes: { ints: axes } })
  }
}

/** ONNX `TensorProto.DataType` numbers. */
export const ONNX_TYPE: { readonly [E in ElemType]: number } = {
  float32: 1,
  float64: 11,
  int32: 6,
  bool: 9,
  int64: 7,
  int16: 5,
  int8: 3,
  uint8: 2,
}

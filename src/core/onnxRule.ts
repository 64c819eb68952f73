/**
 * The shape of a primitive's ONNX export rule (kept beside the definition, field `onnx`): it
 * receives the names of the equation's input values, their avals, the params and an emitter, and
 * adds ONNX nodes that compute the equation's output, whose name it returns. Plain data only:
 * the protobuf encoding lives in `src/onnx`, so the core carries no protobuf dependency.
 *
 * @category core
 * @since 0.2.0
 */
import type { DType } from '../ndarray/dtype'
import type { Aval, Tape } from './equation'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One ONNX node attribute value, tagged with its ONNX attribute type. */
export type OnnxAttr =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly ints: ReadonlyArray<number> }
  | { readonly string: string }
  | { readonly graph: OnnxGraph }

/** A typed value of a graph's signature; a string dimension is symbolic (`dim_param`). */
export interface OnnxValueInfo {
  readonly name: string
  readonly dtype: DType
  readonly shape: ReadonlyArray<number | string>
}

/** An ONNX node, as plain data. */
export interface OnnxNode {
  readonly op: string
  readonly inputs: ReadonlyArray<string>
  readonly outputs: ReadonlyArray<string>
  readonly attrs: Readonly<Record<string, OnnxAttr>>
  /** The wengert primitive whose rule emitted it. */
  readonly primitive: string
}

/**
 * A sub-graph (the body of ONNX `Loop`, the branches of `If`), as plain data: its nodes may read
 * the values of the graphs that enclose it by name.
 */
export interface OnnxGraph {
  readonly inputs: ReadonlyArray<OnnxValueInfo>
  readonly outputs: ReadonlyArray<OnnxValueInfo>
  readonly nodes: ReadonlyArray<OnnxNode>
}

/** What a rule adds ONNX nodes and constants with. */
export interface OnnxEmitter {
  /** The default-domain opset the model imports (≥ 17). */
  readonly opset: number
  /** Adds a node `op(inputs)` with attributes; returns its `nOut` (default 1) fresh output names. */
  node(op: string, inputs: ReadonlyArray<string>, attrs?: Readonly<Record<string, OnnxAttr>>, nOut?: number): string[]
  /** Adds a node with one output and returns that output's name. */
  op(op: string, inputs: ReadonlyArray<string>, attrs?: Readonly<Record<string, OnnxAttr>>): string
  /** A 1-D int64 constant (shapes, axes, starts …). */
  ints(values: ReadonlyArray<number>): string
  /** A scalar constant of a dtype. */
  scalar(value: number, dtype: DType): string
  /** A `Cast` to a wengert dtype. */
  cast(x: string, dtype: DType): string
  /** A reduction over `axes` without keepdims, written for the model's opset (axes attribute or input). */
  reduce(op: 'ReduceSum' | 'ReduceMax' | 'ReduceMin', x: string, axes: ReadonlyArray<number>): string
  /** Writes a sub-program's equations here, over the values named `inputs`; returns its outputs' names. */
  inline(tape: Tape, inputs: ReadonlyArray<string>): string[]
  /**
   * A sub-graph with inputs of avals `inputs` and outputs of avals `outputs`: `body` adds its nodes
   * through the emitter it receives (names of the enclosing graphs stay readable) and returns the
   * names of its outputs.
   */
  graph(
    inputs: ReadonlyArray<Aval>,
    outputs: ReadonlyArray<Aval>,
    body: (emit: OnnxEmitter, inputs: ReadonlyArray<string>) => ReadonlyArray<string>,
  ): OnnxGraph
}

/** What an export rule receives. */
export interface OnnxContext<P> {
  /** Names of the equation's inputs (values of the graph or initializers). */
  readonly inputs: ReadonlyArray<string>
  /** Their avals. */
  readonly avals: ReadonlyArray<Aval>
  /** The output's aval. */
  readonly out: Aval
  readonly params: P
  readonly emit: OnnxEmitter
}

/** A primitive's export rule: adds nodes and returns the name of the output value. */
export type OnnxRule<P> = (ctx: OnnxContext<P>) => string

/** What the export rule of a `multipleResults` primitive receives. */
export interface OnnxMultiContext<P> {
  readonly inputs: ReadonlyArray<string>
  readonly avals: ReadonlyArray<Aval>
  /** The outputs' avals. */
  readonly outs: ReadonlyArray<Aval>
  readonly params: P
  readonly emit: OnnxEmitter
}

/** A `multipleResults` primitive's export rule: adds nodes and returns one output name per result. */
export type OnnxMultiRule<P> = (ctx: OnnxMultiContext<P>) => ReadonlyArray<string>

/** A rule that is one ONNX node over the inputs as they are (`Add`, `Sin`, …). */
export const onnxOp =
  (op: string, attrs?: Readonly<Record<string, OnnxAttr>>): OnnxRule<unknown> =>
  ({ inputs, emit }) =>
    emit.op(op, inputs, attrs)

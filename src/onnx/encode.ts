/**
 * A plain graph as ONNX `ModelProto` bytes, encoded by `@bufbuild/protobuf` from the official
 * `onnx.proto` (`./proto`, generated TypeScript: no code generation at run time).
 *
 * @category onnx
 * @since 0.2.0
 */
import { create, toBinary } from '@bufbuild/protobuf'
import type { OnnxAttr, OnnxGraph, OnnxNode } from '../core/onnxRule'
import { ONNX_TYPE, type Graph, type Initializer, type ValueInfo } from './graph'
import type { DType } from '../ndarray/dtype'
import {
  AttributeProto_AttributeType as AttrType,
  ModelProtoSchema,
  type AttributeProto,
  type GraphProto,
  type NodeProto,
  GraphProtoSchema,
  NodeProtoSchema,
  type TensorProto,
  type ValueInfoProto,
  AttributeProtoSchema,
  TensorProtoSchema,
  ValueInfoProtoSchema,
} from './proto/onnx_pb'

/** ONNX IR version 8: what opset 17 (ONNX 1.12) goes with; ONNX Runtime reads it for any later opset. */
export const IR_VERSION = 8

/** Model-level fields. */
export interface ModelMeta {
  readonly producerVersion: string
  readonly graphName: string
  readonly docString: string
}

/** Encodes the graph as a ModelProto. */
export const encodeModel = (g: Graph, meta: ModelMeta): Uint8Array =>
  toBinary(
    ModelProtoSchema,
    create(ModelProtoSchema, {
      irVersion: BigInt(IR_VERSION),
      opsetImport: [{ domain: '', version: BigInt(g.opset) }],
      producerName: 'wengert',
      producerVersion: meta.producerVersion,
      docString: meta.docString,
      graph: {
        name: meta.graphName,
        node: nodes(g.nodes, ''),
        initializer: g.initializers.map(tensor),
        input: g.inputs.map(valueInfo),
        output: g.outputs.map(valueInfo),
      },
    }),
  )

/** Nodes as NodeProtos, named uniquely by their position (`prefix`: the enclosing node's path). */
const nodes = (ns: ReadonlyArray<OnnxNode>, prefix: string): NodeProto[] =>
  ns.map((n, i) =>
    create(NodeProtoSchema, {
      name: `${prefix}${n.primitive}_${i}`,
      opType: n.op,
      input: n.inputs.slice(),
      output: n.outputs.slice(),
      attribute: Object.entries(n.attrs).map(([name, a]) => attribute(name, a, `${prefix}${i}_${name}/`)),
      docString: n.primitive,
    }),
  )

/** A sub-graph as a GraphProto (its constants are the model's initializers, read from the outer scope). */
const subgraph = (g: OnnxGraph, name: string): GraphProto =>
  create(GraphProtoSchema, {
    name,
    node: nodes(g.nodes, name),
    input: g.inputs.map(valueInfo),
    output: g.outputs.map(valueInfo),
  })

const attribute = (name: string, a: OnnxAttr, path: string): AttributeProto => {
  if ('graph' in a) return create(AttributeProtoSchema, { name, type: AttrType.GRAPH, g: subgraph(a.graph, path) })
  if ('int' in a) return create(AttributeProtoSchema, { name, type: AttrType.INT, i: BigInt(a.int) })
  if ('float' in a) return create(AttributeProtoSchema, { name, type: AttrType.FLOAT, f: a.float })
  if ('ints' in a) return create(AttributeProtoSchema, { name, type: AttrType.INTS, ints: a.ints.map(BigInt) })
  return create(AttributeProtoSchema, { name, type: AttrType.STRING, s: new TextEncoder().encode(a.string) })
}

const valueInfo = (v: ValueInfo): ValueInfoProto =>
  create(ValueInfoProtoSchema, {
    name: v.name,
    type: {
      value: {
        case: 'tensorType',
        value: {
          elemType: ONNX_TYPE[v.dtype],
          shape: {
            dim: v.shape.map((d) => ({
              value:
                typeof d === 'string'
                  ? { case: 'dimParam' as const, value: d }
                  : { case: 'dimValue' as const, value: BigInt(d) },
            })),
          },
        },
      },
    },
  })

/** Each dtype's element width in ONNX raw data and its little-endian writer. */
const RAW: { readonly [D in DType]: readonly [number, (v: DataView, at: number, x: number) => void] } = {
  float64: [8, (v, at, x) => v.setFloat64(at, x, true)],
  float32: [4, (v, at, x) => v.setFloat32(at, x, true)],
  int64: [8, (v, at, x) => v.setBigInt64(at, BigInt(x), true)],
  int32: [4, (v, at, x) => v.setInt32(at, x, true)],
  int16: [2, (v, at, x) => v.setInt16(at, x, true)],
  int8: [1, (v, at, x) => v.setInt8(at, x)],
  uint8: [1, (v, at, x) => v.setUint8(at, x)],
  bool: [1, (v, at, x) => v.setUint8(at, x === 0 ? 0 : 1)],
}

/** A constant as a TensorProto with little-endian `raw_data`. */
const tensor = (c: Initializer): TensorProto => {
  if (c.kind === 'int64') {
    const view = new DataView(new ArrayBuffer(8 * c.value.length))
    c.value.forEach((v, i) => view.setBigInt64(8 * i, BigInt(v), true))
    return create(TensorProtoSchema, {
      name: c.name,
      dataType: ONNX_TYPE.int64,
      dims: [BigInt(c.value.length)],
      rawData: new Uint8Array(view.buffer),
    })
  }
  const x = c.value
  const data = x.toTypedArray()
  const [width, write] = RAW[x.dtype]
  const view = new DataView(new ArrayBuffer(width * data.length))
  for (let i = 0; i < data.length; i++) write(view, width * i, data[i] as number)
  return create(TensorProtoSchema, {
    name: c.name,
    dataType: ONNX_TYPE[x.dtype],
    dims: x.shape.map(BigInt),
    rawData: new Uint8Array(view.buffer),
  })
}

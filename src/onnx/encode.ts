/**
 * A plain graph as ONNX `ModelProto` bytes, encoded by `@bufbuild/protobuf` from the official
 * `onnx.proto` (`./proto`, generated TypeScript: no code generation at run time).
 *
 * @category onnx
 * @since 0.2.0
 */
import { create, toBinary } from '@bufbuild/protobuf'
import type { OnnxAttr } from '../core/onnxRule'
import { ONNX_TYPE, type Graph, type Initializer, type ValueInfo } from './graph'
import {
  AttributeProto_AttributeType as AttrType,
  ModelProtoSchema,
  type AttributeProto,
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
        node: g.nodes.map((n, i) => ({
          name: `${n.primitive}_${i}`,
          opType: n.op,
          input: n.inputs.slice(),
          output: n.outputs.slice(),
          attribute: Object.entries(n.attrs).map(([name, a]) => attribute(name, a)),
          docString: n.primitive,
        })),
        initializer: g.initializers.map(tensor),
        input: g.inputs.map(valueInfo),
        output: g.outputs.map(valueInfo),
      },
    }),
  )

const attribute = (name: string, a: OnnxAttr): AttributeProto => {
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
  const width = x.dtype === 'float64' ? 8 : x.dtype === 'bool' ? 1 : 4
  const view = new DataView(new ArrayBuffer(width * data.length))
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number
    if (x.dtype === 'float64') view.setFloat64(8 * i, v, true)
    else if (x.dtype === 'float32') view.setFloat32(4 * i, v, true)
    else if (x.dtype === 'int32') view.setInt32(4 * i, v, true)
    else view.setUint8(i, v === 0 ? 0 : 1)
  }
  return create(TensorProtoSchema, {
    name: c.name,
    dataType: ONNX_TYPE[x.dtype],
    dims: x.shape.map(BigInt),
    rawData: new Uint8Array(view.buffer),
  })
}

import { ProtobufWriter } from './protobuf-writer.js'

/**
 * The subset of ONNX's protobuf schema (onnx/onnx.proto, IR version 7+) the exporter writes, as plain
 * TypeScript values, plus their encoding. Field numbers below are the schema's.
 */
export type OnnxAttribute =
  | { name: string; type: 'int'; value: number }
  | { name: string; type: 'ints'; value: readonly number[] }
  | { name: string; type: 'float'; value: number }
  | { name: string; type: 'string'; value: string }

export interface OnnxNode {
  opType: string
  name: string
  inputs: readonly string[]
  outputs: readonly string[]
  attributes: readonly OnnxAttribute[]
}

export type OnnxTensor =
  | { name: string; dims: readonly number[]; dataType: 'float'; data: Float32Array }
  | { name: string; dims: readonly number[]; dataType: 'int64'; data: readonly number[] }
  | { name: string; dims: readonly number[]; dataType: 'uint8'; data: Uint8Array }
  | { name: string; dims: readonly number[]; dataType: 'int8'; data: Int8Array }
  | { name: string; dims: readonly number[]; dataType: 'int32'; data: Int32Array }

/**
 * A graph input or output: float tensor; string dimensions are symbolic (the dynamic batch). Without a shape
 * the type alone is declared (intermediate tensors exposed for calibration).
 */
export interface OnnxValueInfo {
  name: string
  shape?: ReadonlyArray<number | string>
}

export interface OnnxGraph {
  name: string
  nodes: readonly OnnxNode[]
  initializers: readonly OnnxTensor[]
  inputs: readonly OnnxValueInfo[]
  outputs: readonly OnnxValueInfo[]
}

export interface OnnxModel {
  irVersion: number
  opset: number
  producerName: string
  producerVersion: string
  docString?: string
  graph: OnnxGraph
  metadata?: Readonly<Record<string, string>>
}

const DATA_TYPE = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7 } as const
const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, ints: 7 } as const

/** Serialises a model to the bytes of a `.onnx` file. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const w = new ProtobufWriter()
  w.int(1, model.irVersion)
  w.string(2, model.producerName)
  w.string(3, model.producerVersion)
  if (model.docString !== undefined) w.string(6, model.docString)
  w.message(7, (g) => writeGraph(g, model.graph))
  w.message(8, (o) => o.string(1, '').int(2, model.opset))
  for (const [key, value] of Object.entries(model.metadata ?? {})) {
    w.message(14, (e) => e.string(1, key).string(2, value))
  }
  return w.finish()
}

function writeGraph(w: ProtobufWriter, graph: OnnxGraph): void {
  for (const node of graph.nodes) w.message(1, (n) => writeNode(n, node))
  w.string(2, graph.name)
  for (const tensor of graph.initializers) w.message(5, (t) => writeTensor(t, tensor))
  for (const input of graph.inputs) w.message(11, (v) => writeValueInfo(v, input))
  for (const output of graph.outputs) w.message(12, (v) => writeValueInfo(v, output))
}

function writeNode(w: ProtobufWriter, node: OnnxNode): void {
  for (const input of node.inputs) w.string(1, input)
  for (const output of node.outputs) w.string(2, output)
  w.string(3, node.name)
  w.string(4, node.opType)
  for (const attribute of node.attributes) w.message(5, (a) => writeAttribute(a, attribute))
}

function writeAttribute(w: ProtobufWriter, attribute: OnnxAttribute): void {
  w.string(1, attribute.name)
  switch (attribute.type) {
    case 'float':
      w.float(2, attribute.value)
      break
    case 'int':
      w.int(3, attribute.value)
      break
    case 'string':
      w.string(4, attribute.value)
      break
    case 'ints':
      w.packedInts(8, attribute.value)
      break
  }
  w.int(20, ATTRIBUTE_TYPE[attribute.type])
}

function writeTensor(w: ProtobufWriter, tensor: OnnxTensor): void {
  w.packedInts(1, tensor.dims)
  w.int(2, DATA_TYPE[tensor.dataType])
  w.string(8, tensor.name)
  // raw_data is little-endian whatever the host; written through a DataView for that reason.
  switch (tensor.dataType) {
    case 'float': {
      const bytes = new Uint8Array(tensor.data.length * 4)
      const view = new DataView(bytes.buffer)
      tensor.data.forEach((v, i) => view.setFloat32(i * 4, v, true))
      w.bytes(9, bytes)
      break
    }
    case 'int64': {
      const bytes = new Uint8Array(tensor.data.length * 8)
      const view = new DataView(bytes.buffer)
      tensor.data.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true))
      w.bytes(9, bytes)
      break
    }
    case 'int32': {
      const bytes = new Uint8Array(tensor.data.length * 4)
      const view = new DataView(bytes.buffer)
      tensor.data.forEach((v, i) => view.setInt32(i * 4, v, true))
      w.bytes(9, bytes)
      break
    }
    case 'uint8':
      w.bytes(9, tensor.data)
      break
    case 'int8':
      w.bytes(9, new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength))
      break
  }
}

function writeValueInfo(w: ProtobufWriter, value: OnnxValueInfo): void {
  w.string(1, value.name)
  // TypeProto.tensor_type { elem_type, shape { dim { dim_value | dim_param } } }
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, DATA_TYPE.float)
      const dims = value.shape
      if (dims === undefined) return
      tensor.message(2, (shape) => {
        for (const dim of dims) {
          shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)))
        }
      })
    }),
  )
}

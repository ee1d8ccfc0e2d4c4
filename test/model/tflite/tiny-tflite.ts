import * as flatbuffers from 'flatbuffers'
import {
  AddOptions,
  BuiltinOptions,
  Buffer as TfliteBuffer,
  Conv2DOptions,
  DepthwiseConv2DOptions,
  FullyConnectedOptions,
  Model,
  Operator,
  OperatorCode,
  Padding,
  QuantizationParameters,
  ReducerOptions,
  SoftmaxOptions,
  SubGraph,
  Tensor,
  TensorType,
} from '../../../src/model/tflite/tflite-schema.generated.js'

/** A tensor of a test graph: its data as raw little-endian bytes, quantised if `scale` is given. */
export interface TinyTensor {
  name: string
  shape: number[]
  type: keyof typeof TensorType
  data?: Uint8Array
  scale?: number[]
  zeroPoint?: number[]
  axis?: number
}

export type TinyOptions =
  | { kind: 'conv'; stride: number; padding: 'same' | 'valid'; activation?: number }
  | { kind: 'depthwise'; stride: number; padding: 'same' | 'valid'; multiplier: number; activation?: number }
  | { kind: 'add'; activation?: number }
  | { kind: 'mean'; keepDims: boolean }
  | { kind: 'fc'; activation?: number }
  | { kind: 'softmax' }
  | { kind: 'none' }

export interface TinyOp {
  /** Builtin op code (TensorFlow Lite's BuiltinOperator number). */
  code: number
  inputs: number[]
  outputs: number[]
  options: TinyOptions
}

export function int8Bytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(Int8Array.from(values).buffer)
}
export function int32Bytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(Int32Array.from(values).buffer)
}
export function float32Bytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer)
}

function writeOptions(b: flatbuffers.Builder, o: TinyOptions): [BuiltinOptions, number] {
  switch (o.kind) {
    case 'conv':
      return [
        BuiltinOptions.Conv2DOptions,
        Conv2DOptions.createConv2DOptions(
          b,
          o.padding === 'same' ? Padding.SAME : Padding.VALID,
          o.stride,
          o.stride,
          o.activation ?? 0,
          1,
          1,
        ),
      ]
    case 'depthwise':
      return [
        BuiltinOptions.DepthwiseConv2DOptions,
        DepthwiseConv2DOptions.createDepthwiseConv2DOptions(
          b,
          o.padding === 'same' ? Padding.SAME : Padding.VALID,
          o.stride,
          o.stride,
          o.multiplier,
          o.activation ?? 0,
          1,
          1,
        ),
      ]
    case 'add':
      return [BuiltinOptions.AddOptions, AddOptions.createAddOptions(b, o.activation ?? 0)]
    case 'mean':
      return [BuiltinOptions.ReducerOptions, ReducerOptions.createReducerOptions(b, o.keepDims)]
    case 'fc':
      return [
        BuiltinOptions.FullyConnectedOptions,
        FullyConnectedOptions.createFullyConnectedOptions(b, o.activation ?? 0, 0, false),
      ]
    case 'softmax':
      return [BuiltinOptions.SoftmaxOptions, SoftmaxOptions.createSoftmaxOptions(b, 1)]
    case 'none':
      return [BuiltinOptions.NONE, 0]
  }
}

/** Writes a one-subgraph .tflite file with the generated flatbuffers builders (the format our reader reads). */
export function writeTinyTflite(graph: {
  tensors: TinyTensor[]
  ops: TinyOp[]
  inputs: number[]
  outputs: number[]
}): Uint8Array {
  const b = new flatbuffers.Builder(1024)
  // Buffer 0 is the empty sentinel; each constant gets its own.
  const buffers = [TfliteBuffer.createBuffer(b, 0)]
  const tensorOffsets = graph.tensors.map((t) => {
    let bufferIndex = 0
    if (t.data) {
      b.startVector(1, t.data.length, 16)
      for (let i = t.data.length - 1; i >= 0; i--) b.addInt8(t.data[i]!)
      const vec = b.endVector()
      buffers.push(TfliteBuffer.createBuffer(b, vec))
      bufferIndex = buffers.length - 1
    }
    let quant = 0
    if (t.scale) {
      const scale = QuantizationParameters.createScaleVector(b, t.scale)
      const zero = QuantizationParameters.createZeroPointVector(
        b,
        (t.zeroPoint ?? t.scale.map(() => 0)).map((z) => BigInt(z)),
      )
      QuantizationParameters.startQuantizationParameters(b)
      QuantizationParameters.addScale(b, scale)
      QuantizationParameters.addZeroPoint(b, zero)
      QuantizationParameters.addQuantizedDimension(b, t.axis ?? 0)
      quant = QuantizationParameters.endQuantizationParameters(b)
    }
    const name = b.createString(t.name)
    const shape = Tensor.createShapeVector(b, t.shape)
    Tensor.startTensor(b)
    Tensor.addShape(b, shape)
    Tensor.addType(b, TensorType[t.type])
    Tensor.addBuffer(b, bufferIndex)
    Tensor.addName(b, name)
    if (quant) Tensor.addQuantization(b, quant)
    return Tensor.endTensor(b)
  })
  const codes = [...new Set(graph.ops.map((o) => o.code))]
  const opOffsets = graph.ops.map((op) => {
    const [type, options] = writeOptions(b, op.options)
    const inputs = Operator.createInputsVector(b, op.inputs)
    const outputs = Operator.createOutputsVector(b, op.outputs)
    Operator.startOperator(b)
    Operator.addOpcodeIndex(b, codes.indexOf(op.code))
    Operator.addInputs(b, inputs)
    Operator.addOutputs(b, outputs)
    if (type !== BuiltinOptions.NONE) {
      Operator.addBuiltinOptionsType(b, type)
      Operator.addBuiltinOptions(b, options)
    }
    return Operator.endOperator(b)
  })
  const sub = SubGraph.createSubGraph(
    b,
    SubGraph.createTensorsVector(b, tensorOffsets),
    SubGraph.createInputsVector(b, graph.inputs),
    SubGraph.createOutputsVector(b, graph.outputs),
    SubGraph.createOperatorsVector(b, opOffsets),
    b.createString('main'),
  )
  // Newer files keep codes above 127 in builtin_code only, with the byte field at its 127 placeholder.
  const codeOffsets = codes.map((c) => OperatorCode.createOperatorCode(b, Math.min(c, 127), 0, 1, c))
  const model = Model.createModel(
    b,
    3,
    Model.createOperatorCodesVector(b, codeOffsets),
    Model.createSubgraphsVector(b, [sub]),
    b.createString('tiny test graph'),
    Model.createBuffersVector(b, buffers),
  )
  b.finish(model, 'TFL3')
  return b.asUint8Array()
}

import * as flatbuffers from 'flatbuffers'
import { TfliteFormatError } from './errors.js'
import { opName, type TfliteOptions } from './tflite-op-names.js'
import {
  ActivationFunctionType,
  AddOptions,
  BuiltinOptions,
  ConcatenationOptions,
  Conv2DOptions,
  DepthwiseConv2DOptions,
  FullyConnectedOptions,
  Model,
  MulOptions,
  Padding,
  Pool2DOptions,
  ReducerOptions,
  ReshapeOptions,
  SoftmaxOptions,
  SqueezeOptions,
  SubOptions,
  TensorType,
  type Operator,
  type Tensor,
} from './tflite-schema.generated.js'

export type TfliteTensorType = keyof typeof TensorType

/** Asymmetric linear quantisation: real = scale * (q - zeroPoint), per tensor or per slice along `axis`. */
export interface TfliteQuantization {
  scale: Float32Array
  zeroPoint: number[]
  axis: number
}

export interface TfliteTensor {
  index: number
  name: string
  shape: number[]
  type: TfliteTensorType
  /** Raw little-endian bytes of a constant tensor (weights); undefined for activations. */
  data?: Uint8Array
  quantization?: TfliteQuantization
}

export interface TfliteOperator {
  /** Builtin op name (`CONV_2D`), or `CUSTOM:<name>`. */
  op: string
  version: number
  inputs: number[]
  outputs: number[]
  options: TfliteOptions
}

/** The main subgraph of a .tflite file, as plain data. */
export interface TfliteGraph {
  description: string
  tensors: TfliteTensor[]
  operators: TfliteOperator[]
  inputs: number[]
  outputs: number[]
}

/**
 * Reads a TensorFlow Lite flatbuffer (file identifier "TFL3") through the generated schema accessors.
 * Only the first subgraph is read: the others are called by control-flow ops, which backbones do not use.
 */
export function readTflite(bytes: Uint8Array, source = 'model.tflite'): TfliteGraph {
  const bb = new flatbuffers.ByteBuffer(bytes)
  if (bytes.length < 8 || !Model.bufferHasIdentifier(bb)) {
    throw new TfliteFormatError(source, 'is not a TensorFlow Lite file (no "TFL3" identifier)')
  }
  try {
    return readModel(Model.getRootAsModel(bb))
  } catch (err) {
    if (err instanceof TfliteFormatError) throw err
    throw new TfliteFormatError(source, 'is a damaged TensorFlow Lite file', err)
  }
}

function readModel(model: Model): TfliteGraph {
  const graph = model.subgraphs(0)
  if (!graph) throw new TfliteFormatError('model', 'has no subgraph')
  const codes = Array.from({ length: model.operatorCodesLength() }, (_, i) => {
    const code = model.operatorCodes(i)!
    // Files older than the int field carry the code in the byte only; newer ones may fill both.
    const builtin = Math.max(code.builtinCode(), code.deprecatedBuiltinCode())
    const custom = code.customCode()
    return { op: custom ? `CUSTOM:${custom}` : opName(builtin), version: code.version() }
  })
  const tensors = Array.from({ length: graph.tensorsLength() }, (_, i) =>
    readTensor(model, graph.tensors(i)!, i),
  )
  const operators = Array.from({ length: graph.operatorsLength() }, (_, i) => {
    const op = graph.operators(i)!
    const code = codes[op.opcodeIndex()]
    if (!code)
      throw new TfliteFormatError(
        'model',
        `operator ${i} names op code ${op.opcodeIndex()}, which is missing`,
      )
    return {
      ...code,
      inputs: Array.from(op.inputsArray() ?? []),
      outputs: Array.from(op.outputsArray() ?? []),
      options: readOptions(op),
    }
  })
  return {
    description: model.description() ?? '',
    tensors,
    operators,
    inputs: Array.from(graph.inputsArray() ?? []),
    outputs: Array.from(graph.outputsArray() ?? []),
  }
}

function readTensor(model: Model, t: Tensor, index: number): TfliteTensor {
  const type = TensorType[t.type()] as TfliteTensorType | undefined
  if (type === undefined) throw new TfliteFormatError('model', `tensor ${index} has unknown type ${t.type()}`)
  const buffer = t.buffer() > 0 ? model.buffers(t.buffer()) : null
  const data = buffer?.dataArray() ?? undefined
  const q = t.quantization()
  const scale = q?.scaleArray()
  const tensor: TfliteTensor = {
    index,
    name: t.name() ?? `tensor_${index}`,
    shape: Array.from(t.shapeArray() ?? []),
    type,
  }
  if (data && data.length > 0) tensor.data = data
  if (q && scale && scale.length > 0) {
    const zeroPoint = Array.from({ length: q.zeroPointLength() }, (_, i) => Number(q.zeroPoint(i) ?? 0n))
    tensor.quantization = { scale: Float32Array.from(scale), zeroPoint, axis: q.quantizedDimension() }
  }
  return tensor
}

const ACTIVATIONS = {
  [ActivationFunctionType.NONE]: 'none',
  [ActivationFunctionType.RELU]: 'relu',
  [ActivationFunctionType.RELU_N1_TO_1]: 'relu_n1_to_1',
  [ActivationFunctionType.RELU6]: 'relu6',
  [ActivationFunctionType.TANH]: 'tanh',
  [ActivationFunctionType.SIGN_BIT]: 'sign_bit',
} as const

function activation(code: ActivationFunctionType): (typeof ACTIVATIONS)[ActivationFunctionType] {
  return ACTIVATIONS[code] ?? 'sign_bit'
}

function padding(code: Padding): 'same' | 'valid' {
  return code === Padding.VALID ? 'valid' : 'same'
}

/** The op's builtin options as plain data; ops without options (or with ones we do not read) get `{}`. */
function readOptions(op: Operator): TfliteOptions {
  switch (op.builtinOptionsType()) {
    case BuiltinOptions.Conv2DOptions: {
      const o = op.builtinOptions(new Conv2DOptions()) as Conv2DOptions
      return {
        kind: 'conv',
        padding: padding(o.padding()),
        strides: [o.strideH(), o.strideW()],
        dilations: [o.dilationHFactor(), o.dilationWFactor()],
        activation: activation(o.fusedActivationFunction()),
      }
    }
    case BuiltinOptions.DepthwiseConv2DOptions: {
      const o = op.builtinOptions(new DepthwiseConv2DOptions()) as DepthwiseConv2DOptions
      return {
        kind: 'depthwise',
        padding: padding(o.padding()),
        strides: [o.strideH(), o.strideW()],
        dilations: [o.dilationHFactor(), o.dilationWFactor()],
        depthMultiplier: o.depthMultiplier(),
        activation: activation(o.fusedActivationFunction()),
      }
    }
    case BuiltinOptions.Pool2DOptions: {
      const o = op.builtinOptions(new Pool2DOptions()) as Pool2DOptions
      return {
        kind: 'pool',
        padding: padding(o.padding()),
        strides: [o.strideH(), o.strideW()],
        filter: [o.filterHeight(), o.filterWidth()],
        activation: activation(o.fusedActivationFunction()),
      }
    }
    case BuiltinOptions.FullyConnectedOptions: {
      const o = op.builtinOptions(new FullyConnectedOptions()) as FullyConnectedOptions
      return {
        kind: 'fullyConnected',
        activation: activation(o.fusedActivationFunction()),
        keepNumDims: o.keepNumDims(),
      }
    }
    case BuiltinOptions.SoftmaxOptions:
      return { kind: 'softmax', beta: (op.builtinOptions(new SoftmaxOptions()) as SoftmaxOptions).beta() }
    case BuiltinOptions.ConcatenationOptions: {
      const o = op.builtinOptions(new ConcatenationOptions()) as ConcatenationOptions
      return { kind: 'concatenation', axis: o.axis(), activation: activation(o.fusedActivationFunction()) }
    }
    case BuiltinOptions.AddOptions:
    case BuiltinOptions.MulOptions:
    case BuiltinOptions.SubOptions: {
      const o = op.builtinOptions(
        op.builtinOptionsType() === BuiltinOptions.AddOptions
          ? new AddOptions()
          : op.builtinOptionsType() === BuiltinOptions.MulOptions
            ? new MulOptions()
            : new SubOptions(),
      ) as AddOptions
      return { kind: 'elementwise', activation: activation(o.fusedActivationFunction()) }
    }
    case BuiltinOptions.ReshapeOptions: {
      const o = op.builtinOptions(new ReshapeOptions()) as ReshapeOptions
      const shape = o.newShapeArray()
      return { kind: 'reshape', newShape: shape ? Array.from(shape) : undefined }
    }
    case BuiltinOptions.ReducerOptions:
      return {
        kind: 'reducer',
        keepDims: (op.builtinOptions(new ReducerOptions()) as ReducerOptions).keepDims(),
      }
    case BuiltinOptions.SqueezeOptions: {
      const o = op.builtinOptions(new SqueezeOptions()) as SqueezeOptions
      return { kind: 'squeeze', squeezeDims: Array.from(o.squeezeDimsArray() ?? []) }
    }
    default:
      return { kind: 'none' }
  }
}

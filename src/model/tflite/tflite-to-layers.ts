import * as tf from '@tensorflow/tfjs'
import type { InputScaling } from '../../data/index.js'
import { OP_CONVERTERS, type OpContext } from './convert-tflite-ops.js'
import { TfliteFormatError, TfliteUnsupportedOpError } from './errors.js'
import type { TfliteGraph } from './read-tflite.js'

export interface TfliteToLayersOptions {
  /** Shown in errors: the file the graph came from. */
  source: string
  /** Square input side the network is built for; default the file's own. Convolutional parts take any size. */
  inputSize?: number
}

export interface ImportedTflite {
  /** A TF.js functional model: image as the file's input range expects it in, the file's outputs out. */
  model: tf.LayersModel
  /** The file's own input size. */
  nativeInputSize: number
  /**
   * How [0, 1] RGB maps to what the network was trained on, read from a quantised input tensor's
   * scale and zero point (undefined for a float input: the file does not say).
   */
  inputScaling?: InputScaling
  /** The integer steps of every quantised conv weight, by layer name (see WeightSteps). */
  weightSteps: Map<string, WeightSteps>
}

/**
 * A conv layer's weights as the file stored them, in int8 terms: real = scale[c] * (q - zeroPoint[c]) per
 * output channel, or one entry for the whole tensor (uint8 files are shifted by 128 into int8 range).
 */
export interface WeightSteps {
  kind: 'conv' | 'depthwise'
  scale: number[]
  zeroPoint: number[]
}

/**
 * The layer names TF.js accepts, made from TFLite tensor names such as `MobilenetV2/Conv/Relu6`. Converters
 * join the names of fused ops with ";": the first is the op the tensor comes out of.
 */
function safeName(name: string): string {
  const cleaned = (name.split(';')[0] ?? '').replace(/[^A-Za-z0-9_./-]/g, '_').replace(/^[^A-Za-z0-9]+/, '')
  return cleaned.length > 0 ? cleaned : 'tensor'
}

/**
 * Builds a TF.js layers model from a TFLite graph: each op becomes the matching layer with its weights
 * dequantised to float32, each fused activation a layer of its own named after the op's output tensor.
 * The first op that has no converter stops the import with TfliteUnsupportedOpError naming it.
 */
export function tfliteToLayers(graph: TfliteGraph, options: TfliteToLayersOptions): ImportedTflite {
  const { source } = options
  if (graph.inputs.length !== 1)
    throw new TfliteFormatError(source, `has ${graph.inputs.length} inputs; a backbone has one image input`)
  const inputTensor = graph.tensors[graph.inputs[0]!]!
  const [, h, w, c] = inputTensor.shape
  if (inputTensor.shape.length !== 4 || h !== w || c !== 3 || h === undefined) {
    throw new TfliteFormatError(
      source,
      `has input shape [${inputTensor.shape.join(', ')}]; a square RGB image [1, s, s, 3] is needed`,
    )
  }
  const size = options.inputSize ?? h
  const symbolic = new Map<number, tf.SymbolicTensor>()
  const used = new Set<string>()
  const unique = (base: string): string => {
    let name = base
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`
    used.add(name)
    return name
  }
  const weightSteps = new Map<string, WeightSteps>()
  const input = tf.input({ shape: [size, size, 3], name: unique('input') })
  symbolic.set(inputTensor.index, input)

  for (const op of graph.operators) {
    const convert = OP_CONVERTERS[op.op]
    if (!convert) {
      const supported = Object.keys(OP_CONVERTERS).sort().join(', ')
      throw new TfliteUnsupportedOpError(source, op.op, `is not supported (supported: ${supported})`)
    }
    const outName = safeName(graph.tensors[op.outputs[0] ?? -1]?.name ?? op.op)
    const ctx: OpContext = {
      source,
      op,
      tensors: graph.tensors,
      symbolic: (index) => symbolic.get(index),
      name: (suffix) => unique(suffix ? `${outName}/${suffix}` : outName),
      keepWeightSteps: (layer, kind, weights) => {
        const q = weights.quantization
        if (!q || (weights.type !== 'UINT8' && weights.type !== 'INT8')) return
        const shift = weights.type === 'UINT8' ? 128 : 0
        weightSteps.set(layer, {
          kind,
          scale: Array.from(q.scale),
          zeroPoint: q.zeroPoint.map((z) => z - shift),
        })
      },
    }
    if (op.outputs.length !== 1)
      throw new TfliteUnsupportedOpError(source, op.op, `has ${op.outputs.length} outputs`)
    symbolic.set(op.outputs[0]!, convert(ctx))
  }
  const outputs = graph.outputs.map((index) => {
    const out = symbolic.get(index)
    if (!out) throw new TfliteFormatError(source, `output tensor ${index} is never computed`)
    return out
  })
  const model = tf.model({
    inputs: input,
    outputs: outputs.length === 1 ? outputs[0]! : outputs,
    name: 'tflite',
  })
  return { model, nativeInputSize: h, inputScaling: inputScalingOf(graph, source), weightSteps }
}

/**
 * A uint8 input means pixel q in 0..255 stands for scale * (q - zeroPoint); an int8 input takes q - 128.
 * Either way [0, 1] RGB x maps to scale * (255 x - zeroPoint') in the network's float range.
 */
function inputScalingOf(graph: TfliteGraph, source: string): InputScaling | undefined {
  const t = graph.tensors[graph.inputs[0]!]!
  const q = t.quantization
  if (t.type === 'FLOAT32') return undefined
  if (!q || q.scale.length !== 1)
    throw new TfliteFormatError(source, `has a ${t.type} input without one scale`)
  const scale = q.scale[0]!
  const zero = (q.zeroPoint[0] ?? 0) + (t.type === 'INT8' ? 128 : 0)
  if (t.type !== 'UINT8' && t.type !== 'INT8') throw new TfliteFormatError(source, `has a ${t.type} input`)
  return { kind: 'quantized', scale, zeroPoint: zero }
}

import * as tf from '@tensorflow/tfjs'
import { CORE_LAYER_CONVERTERS } from './convert-core-layers.js'
import { SPATIAL_LAYER_CONVERTERS } from './convert-spatial-layers.js'
import { UnsupportedLayerError, UnsupportedModelError, UnsupportedOpsetError } from './errors.js'
import { GraphBuilder } from './graph-builder.js'
import type { LayerConverter, TensorRef } from './layer-context.js'
import { encodeOnnxModel, type OnnxModel } from './onnx-model.js'

export interface ExportOnnxOptions {
  /** ONNX opset of the default domain; default 13 (Softmax on one axis; Triton/KServe runtimes all load it). */
  opset?: number
  /** `dynamic` (default) names the batch dimension `batch`; a number fixes it. */
  batch?: 'dynamic' | number
  /** Written into the model's metadata_props (labels, preprocessing...), for other serving stacks. */
  metadata?: Readonly<Record<string, string>>
}

/** Names of the graph's input and output, stable so other stacks (and our loader) can rely on them. */
export const ONNX_INPUT_NAME = 'input'
export const ONNX_OUTPUT_NAME = 'probabilities'
export const DEFAULT_OPSET = 13
export const MIN_OPSET = 13
export const MAX_OPSET = 21

const CONVERTERS: ReadonlyMap<string, LayerConverter> = new Map(
  Object.entries({ ...SPATIAL_LAYER_CONVERTERS, ...CORE_LAYER_CONVERTERS }),
)

/** Layer class names the exporter translates (for docs, errors and tests). */
export function listExportableLayers(): string[] {
  return [...CONVERTERS.keys()].sort()
}

/**
 * Translates a TF.js layers model (sequential or functional, with branches such as residual adds) into
 * ONNX bytes. The graph input keeps the model's NHWC layout [batch, h, w, c]; one Transpose turns it into
 * NCHW for ONNX's Conv/Pool and Flatten turns back, so outputs match TF.js exactly. Reads weights
 * synchronously: an offline (CLI or start-up) job, never a request path.
 * Throws UnsupportedLayerError naming the first layer it cannot translate.
 */
export function exportOnnx(model: tf.LayersModel, options: ExportOnnxOptions = {}): Uint8Array {
  return encodeOnnxModel(buildOnnxModel(model, options))
}

/** The exported graph as data, before encoding: what the int8 quantiser rewrites. */
export function buildOnnxModel(model: tf.LayersModel, options: ExportOnnxOptions = {}): OnnxModel {
  const opset = options.opset ?? DEFAULT_OPSET
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new UnsupportedOpsetError(opset, MIN_OPSET, MAX_OPSET)
  }
  const [input, ...extraInputs] = model.inputs
  const [output, ...extraOutputs] = model.outputs
  if (input === undefined || output === undefined || extraInputs.length > 0 || extraOutputs.length > 0) {
    throw new UnsupportedModelError('only models with one input and one output are exported')
  }
  if (input.shape.length !== 4 || input.shape.slice(1).some((d) => typeof d !== 'number')) {
    throw new UnsupportedModelError(
      `the input must be [batch, height, width, channels], got [${input.shape.join(', ')}]`,
    )
  }
  if (output.shape.length !== 2 || typeof output.shape[1] !== 'number') {
    throw new UnsupportedModelError(`the output must be [batch, classes], got [${output.shape.join(', ')}]`)
  }
  const batch = options.batch ?? 'dynamic'
  const batchDim = batch === 'dynamic' ? 'batch' : batch

  const b = new GraphBuilder()
  b.uniqueName(ONNX_INPUT_NAME)
  b.uniqueName(ONNX_OUTPUT_NAME)
  const refs = new Map<number, TensorRef>()
  const nchw = b.addNode('Transpose', [ONNX_INPUT_NAME], 'input_nchw', [
    { name: 'perm', type: 'ints', value: [0, 3, 1, 2] },
  ])
  refs.set(input.id, { name: nchw, shape: input.shape })

  convertLayers(model, b, refs)

  const result = refs.get(output.id)
  if (result === undefined) throw new UnsupportedModelError('the output is not reachable from the input')
  b.nodes.push({
    opType: 'Identity',
    name: ONNX_OUTPUT_NAME,
    inputs: [result.name],
    outputs: [ONNX_OUTPUT_NAME],
    attributes: [],
  })

  const [, height, width, channels] = input.shape
  return {
    irVersion: irVersionFor(opset),
    opset,
    producerName: 'sportscan',
    producerVersion: tf.version.tfjs,
    docString: `Exported from TF.js layers model "${model.name}"; input NHWC float32 in [0, 1], output softmax.`,
    graph: {
      name: model.name,
      nodes: b.nodes,
      initializers: b.initializers,
      inputs: [{ name: ONNX_INPUT_NAME, shape: [batchDim, height ?? 0, width ?? 0, channels ?? 0] }],
      outputs: [{ name: ONNX_OUTPUT_NAME, shape: [batchDim, output.shape[1]] }],
    },
    metadata: options.metadata,
  }
}

/**
 * Converts every layer call (inbound node) whose inputs are already exported. `model.layers` is in
 * topological order, but the loop repeats until nothing changes so a reordered list still works.
 */
function convertLayers(model: tf.LayersModel, b: GraphBuilder, refs: Map<number, TensorRef>): void {
  let isProgressing = true
  while (isProgressing) {
    isProgressing = false
    for (const layer of model.layers) {
      const className = layer.getClassName()
      if (className === 'InputLayer') continue
      for (const node of layer.inboundNodes) {
        const inputs = node.inputTensors.map((t) => refs.get(t.id))
        const outputs = node.outputTensors
        if (inputs.some((r) => r === undefined) || outputs.every((t) => refs.has(t.id))) continue
        const [out, ...extra] = outputs
        if (out === undefined || extra.length > 0) {
          throw new UnsupportedLayerError(layer.name, className, 'has several outputs')
        }
        const only = inputs[0]
        if (layer instanceof tf.LayersModel && only !== undefined && inputs.length === 1) {
          refs.set(out.id, inlineNestedModel(layer, only, b))
          isProgressing = true
          continue
        }
        const convert = CONVERTERS.get(className)
        if (convert === undefined) throw new UnsupportedLayerError(layer.name, className)
        const name = convert({
          b,
          layer,
          className,
          config: layer.getConfig(),
          inputs: inputs.filter((r): r is TensorRef => r !== undefined),
          outputShape: out.shape,
        })
        if (out.shape.length !== 2 && out.shape.length !== 4) {
          throw new UnsupportedLayerError(
            layer.name,
            className,
            `outputs rank ${out.shape.length}; only 2 and 4 are exported`,
          )
        }
        refs.set(out.id, { name, shape: out.shape })
        isProgressing = true
      }
    }
  }
}

/**
 * A model used as a layer (a transfer-learning backbone under a trained head) is exported inline: its
 * layers are walked with its input bound to the outer tensor. A fresh map per call lets it be applied twice.
 */
function inlineNestedModel(nested: tf.LayersModel, input: TensorRef, b: GraphBuilder): TensorRef {
  const [nestedInput, ...extraInputs] = nested.inputs
  const [nestedOutput, ...extraOutputs] = nested.outputs
  if (
    nestedInput === undefined ||
    nestedOutput === undefined ||
    extraInputs.length > 0 ||
    extraOutputs.length > 0
  ) {
    throw new UnsupportedLayerError(
      nested.name,
      nested.getClassName(),
      'is a nested model without exactly one input and output',
    )
  }
  const refs = new Map<number, TensorRef>([[nestedInput.id, input]])
  convertLayers(nested, b, refs)
  const result = refs.get(nestedOutput.id)
  if (result === undefined) {
    throw new UnsupportedLayerError(
      nested.name,
      nested.getClassName(),
      'has an output not reachable from its input',
    )
  }
  return result
}

/** The oldest IR version that carries the opset, so older runtimes still open the file. */
function irVersionFor(opset: number): number {
  if (opset <= 14) return 7
  if (opset <= 18) return 8
  if (opset <= 20) return 9
  return 10
}

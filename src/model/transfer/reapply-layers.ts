import * as tf from '@tensorflow/tfjs'
import { BackboneError } from '../errors.js'

/** One application of a layer inside a model: which tensors go in and come out. */
interface LayerCall {
  layer: tf.layers.Layer
  inputs: tf.SymbolicTensor[]
  outputs: tf.SymbolicTensor[]
}

/**
 * The layer calls that make up `model`, in execution order. A layer shared with another model has several
 * inbound nodes; the one that belongs here is the one whose inputs this model has already computed.
 */
export function modelCalls(model: tf.LayersModel): LayerCall[] {
  const known = new Set(model.inputs.map((t) => t.id))
  const calls: LayerCall[] = []
  for (const layer of model.layers) {
    const node = layer.inboundNodes.find(
      (n) => n.inputTensors.length > 0 && n.inputTensors.every((t) => known.has(t.id)),
    )
    if (!node) continue
    for (const t of node.outputTensors) known.add(t.id)
    calls.push({ layer, inputs: node.inputTensors, outputs: node.outputTensors })
  }
  return calls
}

/**
 * Re-applies the layers of `model` that depend on the tensors in `start` to their replacements (the same layer
 * objects, so the weights are shared), and returns every original tensor id -> its new counterpart. A layer
 * that reads both a replaced tensor's descendants and a tensor from outside them cannot be re-applied.
 */
export function reapplyLayers(
  model: tf.LayersModel,
  start: ReadonlyMap<number, tf.SymbolicTensor>,
  source: string,
): Map<number, tf.SymbolicTensor> {
  const mapped = new Map(start)
  for (const call of modelCalls(model)) {
    if (call.layer.getClassName() === 'InputLayer') continue
    const inputs = call.inputs.map((t) => mapped.get(t.id))
    if (inputs.every((t) => t === undefined)) continue
    if (inputs.some((t) => t === undefined)) {
      throw new BackboneError(
        source,
        `layer "${call.layer.name}" also reads a tensor from before the cut (a residual branch); cut after the block's add`,
      )
    }
    const out = call.layer.apply(inputs.length === 1 ? inputs[0]! : (inputs as tf.SymbolicTensor[]))
    const outs = Array.isArray(out) ? out : [out]
    call.outputs.forEach((t, i) => {
      const o = outs[i]
      if (o instanceof tf.SymbolicTensor) mapped.set(t.id, o)
    })
  }
  return mapped
}

/** The output of `name` in `model` (for a shared layer, its output in this model). */
export function layerOutput(model: tf.LayersModel, name: string, source: string): tf.SymbolicTensor {
  const call = modelCalls(model).find((c) => c.layer.name === name)
  if (!call) throw new BackboneError(source, `has no layer "${name}"`)
  if (call.outputs.length !== 1) throw new BackboneError(source, `layer "${name}" has more than one output`)
  return call.outputs[0]!
}

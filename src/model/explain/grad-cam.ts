import * as tf from '@tensorflow/tfjs'
import { acquireTrainingKernels } from '../backend/index.js'
import { ModelInputError } from '../errors.js'

/** Layer classes whose output is a spatial feature map Grad-CAM can weigh. */
const CONV_CLASSES = new Set(['Conv2D', 'SeparableConv2D', 'DepthwiseConv2D', 'Conv2DTranspose'])

export interface GradCamOptions {
  /** Layer to explain; defaults to the last convolution in the model. */
  layerName?: string
}

export interface GradCamResult {
  /** Row-major `height * width` heat values in [0, 1] (all 0 when nothing pushed the class up). */
  cam: Float32Array
  width: number
  height: number
  layerName: string
  classIndex: number
}

/** One application of a layer in the model's graph, as tfjs records it. */
interface GraphNode {
  inputTensors: tf.SymbolicTensor[]
  outputTensors: tf.SymbolicTensor[]
}

interface GraphStep {
  layer: tf.layers.Layer
  node: GraphNode
}

/**
 * Grad-CAM (Selvaraju et al. 2017) for a TF.js layers model: gradients of the class score (the pre-softmax
 * logit when the output layer is a softmax Dense) w.r.t. the target conv layer's activations A, channel
 * weights = their spatial mean, CAM = ReLU(sum_k w_k A_k), scaled to [0, 1].
 *
 * The model is split at the target layer: everything not downstream of it (the feature extractor, and any
 * residual shortcut that bypasses it) runs once; the head is replayed layer by layer as a function of A so
 * `tf.valueAndGrad` can differentiate it. Replaying the graph rather than building a head sub-model is what
 * makes residual nets work, where the head also reads tensors computed before the target layer.
 */
export function gradCam(
  model: tf.LayersModel,
  input: tf.Tensor4D,
  classIndex: number,
  options: GradCamOptions = {},
): GradCamResult {
  const units = outputUnits(model)
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= units) {
    throw new ModelInputError(`class index ${classIndex} is outside 0..${units - 1}`)
  }
  if (input.shape[0] !== 1) throw new ModelInputError(`Grad-CAM explains one image, got ${input.shape[0]}`)
  const target = findTargetLayer(model, options.layerName)
  const steps = graphSteps(model)
  const targetOutput = target.output
  if (Array.isArray(targetOutput) || targetOutput.shape.length !== 4) {
    throw new ModelInputError(`layer ${target.name} does not output one feature map`)
  }
  const finalOutput = model.outputs[0]
  if (finalOutput === undefined || model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new ModelInputError('Grad-CAM needs a model with one input and one output')
  }
  const downstream = downstreamIds(steps, target)

  // The gradients need the kernels training uses (stock wasm lacks some backprops); stock ones come back after.
  const release = acquireTrainingKernels()
  let camTensor: tf.Tensor
  try {
    camTensor = tf.tidy(() => {
      const known = new Map<number, tf.Tensor>()
      const firstInput = model.inputs[0]
      if (firstInput) known.set(firstInput.id, input)
      // Feature extractor: every layer the target's activations do not feed, the target included.
      for (const step of steps) {
        if (step.layer !== target && step.node.outputTensors.some((t) => downstream.has(t.id))) continue
        runStep(step, known, false)
      }
      const activations = known.get(targetOutput.id)
      if (activations === undefined) throw new ModelInputError(`layer ${target.name} was never reached`)

      const score = (a: tf.Tensor): tf.Scalar => {
        const values = new Map(known)
        values.set(targetOutput.id, a)
        for (const step of steps) {
          if (step.layer === target || !step.node.outputTensors.some((t) => downstream.has(t.id))) continue
          const isOutput = step.node.outputTensors.some((t) => t.id === finalOutput.id)
          runStep(step, values, isOutput)
        }
        const out = values.get(finalOutput.id)
        if (out === undefined)
          throw new ModelInputError('the model output does not depend on the target layer')
        // A one-hot product rather than gather: gather's gradient needs UnsortedSegmentSum, absent on wasm.
        return tf.sum(tf.mul(out.reshape([-1]), tf.oneHot(classIndex, units)))
      }
      const { grad } = tf.valueAndGrad(score)(activations)
      const weights = grad.mean([1, 2], true)
      const cam = tf.relu(tf.sum(tf.mul(activations, weights), -1)).squeeze([0])
      const max = cam.max()
      return tf.where(tf.greater(max, 0), tf.div(cam, tf.maximum(max, 1e-12)), tf.zerosLike(cam))
    })
  } finally {
    release()
  }
  try {
    const [height, width] = camTensor.shape
    return {
      cam: Float32Array.from(camTensor.dataSync()),
      width: width ?? 0,
      height: height ?? 0,
      layerName: target.name,
      classIndex,
    }
  } finally {
    camTensor.dispose()
  }
}

/** The named layer, or the last convolution in topological order whose map is wider than 1x1. */
export function findTargetLayer(model: tf.LayersModel, layerName?: string): tf.layers.Layer {
  if (layerName !== undefined) {
    const layer = model.layers.find((l) => l.name === layerName)
    if (!layer) throw new ModelInputError(`model has no layer named ${layerName}`)
    return layer
  }
  const convs = model.layers.filter((l) => CONV_CLASSES.has(l.getClassName()))
  // A 1x1 map (a small input through a deep net) cannot show where anything is: prefer a wider one.
  const wide = convs.filter((l) => {
    const [, height, width] = l.outputShape
    return typeof height === 'number' && typeof width === 'number' && height > 1 && width > 1
  })
  const last = wide[wide.length - 1] ?? convs[convs.length - 1]
  if (!last) throw new ModelInputError('model has no convolution layer to explain')
  return last
}

function outputUnits(model: tf.LayersModel): number {
  const shape = model.outputs[0]?.shape
  const units = shape?.[shape.length - 1]
  if (typeof units !== 'number') throw new ModelInputError('model output has no class axis')
  return units
}

/** Each layer's application in this model, in the model's (topological) layer order. */
function graphSteps(model: tf.LayersModel): GraphStep[] {
  const steps: GraphStep[] = []
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue
    const nodes: GraphNode[] = layer.inboundNodes
    if (nodes.length !== 1 || !nodes[0]) {
      throw new ModelInputError(`layer ${layer.name} is shared or nested; Grad-CAM needs a plain graph`)
    }
    steps.push({ layer, node: nodes[0] })
  }
  return steps
}

/** Ids of the symbolic tensors that depend on the target layer's output (its own output included). */
function downstreamIds(steps: readonly GraphStep[], target: tf.layers.Layer): Set<number> {
  const ids = new Set<number>()
  for (const { layer, node } of steps) {
    if (layer === target || node.inputTensors.some((t) => ids.has(t.id))) {
      for (const t of node.outputTensors) ids.add(t.id)
    }
  }
  return ids
}

/** Applies one layer to concrete tensors (inference mode); the output layer yields logits if it can. */
function runStep(step: GraphStep, values: Map<number, tf.Tensor>, isOutput: boolean): void {
  const inputs = step.node.inputTensors.map((t) => {
    const value = values.get(t.id)
    if (value === undefined) throw new ModelInputError(`input of layer ${step.layer.name} is not computed`)
    return value
  })
  const logits = isOutput ? softmaxDenseLogits(step.layer, inputs) : undefined
  const out =
    logits ?? step.layer.apply(inputs.length === 1 && inputs[0] ? inputs[0] : inputs, { training: false })
  const outs = Array.isArray(out) ? out : [out]
  step.node.outputTensors.forEach((symbolic, i) => {
    const value = outs[i]
    if (!(value instanceof tf.Tensor)) throw new ModelInputError(`layer ${step.layer.name} gave no tensor`)
    values.set(symbolic.id, value)
  })
}

/**
 * The class score Grad-CAM wants is the logit: softmax probabilities saturate, and their gradients vanish
 * exactly when the model is most sure. A softmax Dense output is recomputed without its activation.
 */
function softmaxDenseLogits(layer: tf.layers.Layer, inputs: tf.Tensor[]): tf.Tensor | undefined {
  const config = layer.getConfig()
  const [x] = inputs
  if (layer.getClassName() !== 'Dense' || config['activation'] !== 'softmax' || x === undefined)
    return undefined
  const [kernel, bias] = layer.getWeights()
  if (kernel === undefined || x.rank !== 2) return undefined
  const z = tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D)
  return bias === undefined ? z : tf.add(z, bias)
}

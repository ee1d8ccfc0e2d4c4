import * as tf from '@tensorflow/tfjs'
import { BackboneError } from '../errors.js'

/**
 * A model from the backbone's input to one feature vector per image: global average pooling of each named
 * node, concatenated. Pooled features do not depend on the input size, so one head fits any resolution.
 */
export function buildFeatureExtractor(
  backbone: tf.LayersModel,
  nodes: readonly string[],
  source: string,
): tf.LayersModel {
  if (nodes.length === 0) throw new BackboneError(source, 'no feature node named')
  const pooled = nodes.map((name) => {
    let layer: tf.layers.Layer
    try {
      layer = backbone.getLayer(name)
    } catch (err) {
      throw new BackboneError(source, `has no layer "${name}"`, err)
    }
    const output = layer.output
    if (Array.isArray(output) || output.shape.length !== 4) {
      throw new BackboneError(source, `layer "${name}" does not output one [batch, h, w, c] feature map`)
    }
    return tf.layers
      .globalAveragePooling2d({ name: `features_${name}_gap` })
      .apply(output) as tf.SymbolicTensor
  })
  const features =
    pooled.length === 1
      ? pooled[0]!
      : (tf.layers.concatenate({ name: 'features' }).apply(pooled) as tf.SymbolicTensor)
  return tf.model({ inputs: backbone.inputs, outputs: features, name: 'feature_extractor' })
}

export interface HeadOptions {
  numClasses: number
  dropout: number
  seed?: number
}

/**
 * The trained part: batch normalisation (backbone features differ in scale by orders of magnitude from one
 * node to the next, and a standardised input lets one learning rate fit all), dropout, softmax classifier.
 */
export function buildHead(featureSize: number, options: HeadOptions): tf.LayersModel {
  const input = tf.input({ shape: [featureSize], name: 'head_input' })
  // Momentum 0.9: a head sees only ~20 steps per epoch, too few for the default 0.99 to settle its statistics.
  let x = tf.layers.batchNormalization({ name: 'head_norm', momentum: 0.9 }).apply(input) as tf.SymbolicTensor
  x = tf.layers
    .dropout({ rate: options.dropout, seed: options.seed, name: 'head_dropout' })
    .apply(x) as tf.SymbolicTensor
  const output = tf.layers
    .dense({
      units: options.numClasses,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: options.seed }),
      name: 'head_classifier',
    })
    .apply(x) as tf.SymbolicTensor
  return tf.model({ inputs: input, outputs: output, name: 'head' })
}

/** One layers model, image in and probabilities out, sharing the extractor's and the head's layers. */
export function composeClassifier(extractor: tf.LayersModel, head: tf.LayersModel): tf.LayersModel {
  let x = extractor.outputs[0]!
  // The head is a chain; applying its layers (not the nested model) keeps the saved graph flat for ONNX.
  for (const layer of head.layers.slice(1)) x = layer.apply(x) as tf.SymbolicTensor
  return tf.model({ inputs: extractor.inputs, outputs: x, name: 'transfer_classifier' })
}

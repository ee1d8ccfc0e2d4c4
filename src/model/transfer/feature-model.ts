import * as tf from '@tensorflow/tfjs'
import { BackboneError } from '../errors.js'
import { layerOutput } from './reapply-layers.js'

/** `linear`: pooled features, batch norm, dropout, softmax. `conv`: two separable convs on one feature map first. */
export type HeadKind = 'linear' | 'conv'

/**
 * A model from the backbone's input to the features the head trains on:
 * - `linear` head: global average pooling of each named node, concatenated (one vector per image; pooled
 *   features do not depend on the input size, so one head fits any resolution);
 * - `conv` head: the one named node's feature map itself, so the head can use where things are.
 */
export function buildFeatureExtractor(
  backbone: tf.LayersModel,
  nodes: readonly string[],
  source: string,
  head: HeadKind = 'linear',
): tf.LayersModel {
  if (nodes.length === 0) throw new BackboneError(source, 'no feature node named')
  if (head === 'conv' && nodes.length !== 1) {
    throw new BackboneError(source, `a conv head reads one feature map; ${nodes.length} nodes were named`)
  }
  const maps = nodes.map((name) => featureMap(backbone, name, source))
  if (head === 'conv')
    return tf.model({ inputs: backbone.inputs, outputs: maps[0]!, name: 'feature_extractor' })
  const pooled = maps.map(
    (map, i) =>
      tf.layers.globalAveragePooling2d({ name: `features_${nodes[i]}_gap` }).apply(map) as tf.SymbolicTensor,
  )
  const features =
    pooled.length === 1
      ? pooled[0]!
      : (tf.layers.concatenate({ name: 'features' }).apply(pooled) as tf.SymbolicTensor)
  return tf.model({ inputs: backbone.inputs, outputs: features, name: 'feature_extractor' })
}

function featureMap(backbone: tf.LayersModel, name: string, source: string): tf.SymbolicTensor {
  // The output in this model: a fine-tuned backbone's layers are also applied in its tail.
  const output = layerOutput(backbone, name, source)
  if (output.shape.length !== 4) {
    throw new BackboneError(source, `layer "${name}" does not output one [batch, h, w, c] feature map`)
  }
  return output
}

export interface HeadOptions {
  numClasses: number
  dropout: number
  seed?: number
  /** Conv head: filters of its first separable conv (the second has twice as many); default 128. */
  width?: number
}

/**
 * The trained part: batch normalisation (backbone features differ in scale by orders of magnitude from one
 * node to the next, and a standardised input lets one learning rate fit all), dropout, softmax classifier.
 */
export function buildHead(featureSize: number, options: HeadOptions): tf.LayersModel {
  const input = tf.input({ shape: [featureSize], name: 'head_input' })
  // Momentum 0.9: a head sees only ~20 steps per epoch, too few for the default 0.99 to settle its statistics.
  const x = tf.layers
    .batchNormalization({ name: 'head_norm', momentum: 0.9 })
    .apply(input) as tf.SymbolicTensor
  return tf.model({ inputs: input, outputs: classify(x, options), name: 'head' })
}

/**
 * The conv head: on a [h, w, c] feature map, a separable 3x3 conv (BN, ReLU), a strided one with twice the
 * filters, global average pooling, dropout, softmax. The backbone's later blocks were tuned for another task;
 * these few trained filters replace them, ~15 M multiply-adds per image at 14x14x576.
 */
export function buildConvHead(mapShape: readonly number[], options: HeadOptions): tf.LayersModel {
  const [h, w, c] = mapShape
  if (h === undefined || w === undefined || c === undefined) throw new Error('conv head: need [h, w, c]')
  const width = options.width ?? 128
  const init = () => tf.initializers.heNormal({ seed: options.seed })
  const input = tf.input({ shape: [h, w, c], name: 'head_input' })
  let x = input
  for (const [i, filters, strides] of [
    [1, width, 1],
    [2, width * 2, 2],
  ] as const) {
    x = tf.layers
      .separableConv2d({
        filters,
        kernelSize: 3,
        strides,
        padding: 'same',
        useBias: false,
        depthwiseInitializer: init(),
        pointwiseInitializer: init(),
        name: `head_conv${i}`,
      })
      .apply(x) as tf.SymbolicTensor
    x = tf.layers
      .batchNormalization({ name: `head_conv${i}_norm`, momentum: 0.9 })
      .apply(x) as tf.SymbolicTensor
    x = tf.layers.reLU({ name: `head_conv${i}_relu` }).apply(x) as tf.SymbolicTensor
  }
  x = tf.layers.globalAveragePooling2d({ name: 'head_gap' }).apply(x) as tf.SymbolicTensor
  return tf.model({ inputs: input, outputs: classify(x, options), name: 'head' })
}

/** Both heads end the same way: dropout, then the softmax classifier. */
function classify(x: tf.SymbolicTensor, options: HeadOptions): tf.SymbolicTensor {
  const dropped = tf.layers
    .dropout({ rate: options.dropout, seed: options.seed, name: 'head_dropout' })
    .apply(x) as tf.SymbolicTensor
  return tf.layers
    .dense({
      units: options.numClasses,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: options.seed }),
      name: 'head_classifier',
    })
    .apply(dropped) as tf.SymbolicTensor
}

/** One layers model, image in and probabilities out, sharing the extractor's and the head's layers. */
export function composeClassifier(extractor: tf.LayersModel, head: tf.LayersModel): tf.LayersModel {
  let x = extractor.outputs[0]!
  // The head is a chain; applying its layers (not the nested model) keeps the saved graph flat for ONNX.
  for (const layer of head.layers.slice(1)) x = layer.apply(x) as tf.SymbolicTensor
  return tf.model({ inputs: extractor.inputs, outputs: x, name: 'transfer_classifier' })
}

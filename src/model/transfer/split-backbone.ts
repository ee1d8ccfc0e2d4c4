import * as tf from '@tensorflow/tfjs'
import { BackboneError } from '../errors.js'
import { layerOutput, reapplyLayers } from './reapply-layers.js'

/** A backbone cut in two at one layer: both halves share the original layers (and so their weights). */
export interface SplitBackbone {
  /** Image in, the cut layer's output out: runs once per image and view, its output is cached. */
  frozen: tf.LayersModel
  /** The cut layer's output in, `output` layer's output out: the layers that train. */
  tail: tf.LayersModel
}

/**
 * Splits a functional model at `cut`: `frozen` ends at the cut layer, `tail` starts from a new input of the cut
 * layer's output shape and re-applies every later layer up to `output` (the same layer objects, so training
 * the tail trains the backbone's own weights). A cut inside a residual block is refused.
 */
export function splitBackbone(
  model: tf.LayersModel,
  cut: string,
  output: string,
  source: string,
): SplitBackbone {
  const cutOut = layerOutput(model, cut, source)
  const wanted = layerOutput(model, output, source)
  const frozen = tf.model({ inputs: model.inputs, outputs: cutOut, name: 'frozen_backbone' })
  const input = tf.input({ shape: cutOut.shape.slice(1) as number[], name: 'tail_input' })
  const mapped = reapplyLayers(model, new Map([[cutOut.id, input]]), source)
  const tailOut = mapped.get(wanted.id)
  if (!tailOut) throw new BackboneError(source, `layer "${output}" does not come after "${cut}"`)
  return { frozen, tail: tf.model({ inputs: input, outputs: tailOut, name: 'backbone_tail' }) }
}

import * as tf from '@tensorflow/tfjs'
import { inputScalingAffine, type InputScaling } from '../../data/index.js'
import { reapplyLayers } from './reapply-layers.js'

/** Name of the first layer of a classifier whose backbone wants another range than [0, 1]. */
export const INPUT_SCALING_LAYER = 'input_scaling'

/**
 * Puts the backbone's input scaling in front of it, as a frozen 1x1 depthwise convolution (x * scale + offset
 * per channel): the model then takes [0, 1] RGB like every SportScan model, and training, serving, ONNX export
 * and Grad-CAM all feed it the same pixels. `[0, 1]` itself needs no layer.
 */
export function withInputScaling(
  model: tf.LayersModel,
  scaling: InputScaling,
  source: string,
): tf.LayersModel {
  if (scaling.kind === 'unit') return model
  const { scale, offset } = inputScalingAffine(scaling)
  const [input] = model.inputs
  const shape = input!.shape.slice(1) as number[]
  const x = tf.input({ shape, name: 'image' })
  const layer = tf.layers.depthwiseConv2d({
    kernelSize: 1,
    depthMultiplier: 1,
    useBias: true,
    trainable: false,
    weights: [tf.tensor4d(scale, [1, 1, 3, 1]), tf.tensor1d(offset)],
    name: INPUT_SCALING_LAYER,
  })
  const scaled = layer.apply(x) as tf.SymbolicTensor
  const mapped = reapplyLayers(model, new Map([[input!.id, scaled]]), source)
  const outputs = model.outputs.map((o) => mapped.get(o.id)!)
  return tf.model({ inputs: x, outputs: outputs.length === 1 ? outputs[0]! : outputs, name: model.name })
}

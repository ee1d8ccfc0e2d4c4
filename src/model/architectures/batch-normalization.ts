import * as tf from '@tensorflow/tfjs'
import { batchNormInTraining } from '../backend/index.js'

type StockBatchNormalization = ReturnType<typeof tf.layers.batchNormalization>
type BatchNormalizationArgs = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>
type Kwargs = Parameters<StockBatchNormalization['call']>[1]

// tfjs-layers does not export the class itself, only its factory.
const Stock = tf.layers.batchNormalization().constructor as new (
  args?: BatchNormalizationArgs,
) => StockBatchNormalization

/**
 * tf.layers.batchNormalization with a faster training step (batchNormInTraining: one gradient for the whole
 * normalisation instead of autodiff through tf.moments); same weights, same numbers, and saved under the
 * stock class name, so saved models load, export and serve as before. Inference runs the stock code.
 */
class TrainingFusedBatchNormalization extends Stock {
  static className = 'BatchNormalization'
  // Read once: getConfig() serialises the initialisers too, and call() runs on every training step.
  private readonly fusable: { axis: number; epsilon: number; decay: number } | undefined

  constructor(args?: BatchNormalizationArgs) {
    super(args)
    const config = this.getConfig()
    const axis = typeof config['axis'] === 'number' ? config['axis'] : -1
    this.fusable =
      config['center'] === true && config['scale'] === true
        ? { axis, epsilon: Number(config['epsilon']), decay: 1 - Number(config['momentum']) }
        : undefined
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0] : inputs
    const fusable = this.fusable
    const weights = this.weights
    const isFusable =
      kwargs['training'] === true &&
      input !== undefined &&
      fusable !== undefined &&
      (!Array.isArray(inputs) || inputs.length === 1) &&
      (fusable.axis === -1 || fusable.axis === input.rank - 1) &&
      weights.length === 4
    if (!isFusable) return super.call(inputs, kwargs)
    const [gamma, beta, movingMean, movingVariance] = weights as [
      tf.LayerVariable,
      tf.LayerVariable,
      tf.LayerVariable,
      tf.LayerVariable,
    ]
    const { epsilon, decay } = fusable
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormInTraining(
        input,
        gamma.read() as tf.Tensor1D,
        beta.read() as tf.Tensor1D,
        epsilon,
      )
      // The stock layer's moving-average update, unchanged: moving -= (moving - batch) * (1 - momentum).
      for (const [variable, batch] of [
        [movingMean, mean],
        [movingVariance, variance],
      ] as const) {
        tf.tidy(() => {
          const current = variable.read()
          variable.write(tf.sub(current, tf.mul(tf.sub(current, batch), decay)))
        })
      }
      tf.dispose([mean, variance])
      return y
    })
  }
}

/** Drop-in for tf.layers.batchNormalization (see TrainingFusedBatchNormalization). */
export function batchNormalization(args?: BatchNormalizationArgs): StockBatchNormalization {
  return new TrainingFusedBatchNormalization(args)
}

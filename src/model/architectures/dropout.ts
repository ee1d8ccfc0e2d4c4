import * as tf from '@tensorflow/tfjs'

type StockDropout = ReturnType<typeof tf.layers.dropout>
type DropoutArgs = Parameters<typeof tf.layers.dropout>[0]
type Kwargs = Parameters<StockDropout['call']>[1]

// tfjs-layers does not export the class itself, only its factory.
const Stock = tf.layers.dropout({ rate: 0.5 }).constructor as new (args: DropoutArgs) => StockDropout

// xorshift32: dropout needs independent-looking bits, not a cryptographic or reproducible stream (TF.js
// leaves unseeded dropout to Math.random too), and it is ~10x faster than tf.randomUniform's generator,
// which took ~2% of a seed-cnn training step.
let state = (Math.random() * 2 ** 32) >>> 0 || 1

/** Per element: 1 / keep with probability keep, else 0 (TF.js' inverted dropout multiplier). */
export function dropoutMultiplier(size: number, keep: number): Float32Array {
  const out = new Float32Array(size)
  const threshold = Math.round(keep * 2 ** 31)
  const scale = 1 / keep
  let s = state
  for (let i = 0; i < size; i++) {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    // Branch-free (a coin-flip branch mispredicts half the time): the sign bit of (31 random bits -
    // threshold) is 1 exactly when the draw falls below keep.
    out[i] = (((s >>> 1) - threshold) >>> 31) * scale
  }
  state = s >>> 0 || 1
  return out
}

/**
 * tf.layers.dropout with a faster mask in training (dropoutMultiplier instead of tf.randomUniform); same
 * semantics and saved under the stock class name. A seeded layer or a noise shape keeps the stock code.
 */
class FastMaskDropout extends Stock {
  static className = 'Dropout'
  // Read once, not on every training step; undefined when the stock code must run.
  private readonly fastRate: number | undefined

  constructor(args: DropoutArgs) {
    super(args)
    const config = this.getConfig()
    const rate = Number(config['rate'])
    const isPlain = rate > 0 && rate < 1 && config['noiseShape'] == null && config['seed'] == null
    this.fastRate = isPlain ? rate : undefined
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0] : inputs
    const rate = this.fastRate
    const isFast =
      kwargs['training'] === true &&
      input !== undefined &&
      rate !== undefined &&
      (!Array.isArray(inputs) || inputs.length === 1)
    if (!isFast) return super.call(inputs, kwargs)
    return tf.tidy(() => tf.mul(input, tf.tensor(dropoutMultiplier(input.size, 1 - rate), input.shape)))
  }
}

/** Drop-in for tf.layers.dropout (see FastMaskDropout). */
export function dropout(args: DropoutArgs): StockDropout {
  return new FastMaskDropout(args)
}

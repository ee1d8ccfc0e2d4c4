import * as tf from '@tensorflow/tfjs'
import { dropout as dropoutLayer } from './dropout.js'

type Regularizer = ReturnType<typeof tf.regularizers.l2>
type Initializer = ReturnType<typeof tf.initializers.glorotUniform>

/** L2 on kernels when `weightDecay` > 0; a new instance per layer (TF.js layers do not share them). */
export function kernelRegularizer(weightDecay: number): () => Regularizer | undefined {
  return () => (weightDecay > 0 ? tf.regularizers.l2({ l2: weightDecay }) : undefined)
}

export interface PooledHeadOptions {
  numClasses: number
  /** Dropout rate before the classifier; 0 for none. */
  dropout: number
  kernelInitializer: Initializer
  regularizer: () => Regularizer | undefined
}

/** Global average pooling, optional dropout, then a softmax Dense: the classifier of the residual nets. */
export function pooledSoftmaxHead(
  features: tf.SymbolicTensor,
  options: PooledHeadOptions,
): tf.SymbolicTensor {
  let head = tf.layers.globalAveragePooling2d({}).apply(features) as tf.SymbolicTensor
  if (options.dropout > 0) head = dropoutLayer({ rate: options.dropout }).apply(head) as tf.SymbolicTensor
  return tf.layers
    .dense({
      units: options.numClasses,
      activation: 'softmax',
      kernelInitializer: options.kernelInitializer,
      kernelRegularizer: options.regularizer(),
    })
    .apply(head) as tf.SymbolicTensor
}

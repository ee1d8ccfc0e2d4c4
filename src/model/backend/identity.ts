import type * as tf from '@tensorflow/tfjs'
import { asWasmBackend } from './wasm-kernel-calls.js'

/**
 * Identity that shares the input's buffer (one more reference, as the cpu backend and the wasm Reshape do)
 * instead of copying it. Tensors are immutable, and the engine clones every tensor a gradient needs
 * (convolution inputs and outputs, pooling, activations): the stock copy cost ~2% of a seed-cnn step.
 * Strings keep the stock kernel.
 */
export function createSharingIdentity(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs['x']
    if (x === undefined || x.dtype === 'string') return stock(args)
    asWasmBackend('Identity', args.backend).incRef(x.dataId)
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype }
  }
}

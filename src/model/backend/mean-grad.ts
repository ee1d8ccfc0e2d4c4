import * as tf from '@tensorflow/tfjs'

/**
 * Mean gradient for the wasm backend: dy/N tiled over the reduced axes (a memcpy with our Tile) instead of
 * the stock ones(x.shape) * dy / N, which makes three full-size passes. Only when the reduced axes lead
 * (batch-norm statistics over N,H,W); anything else keeps the stock gradient.
 */
export function createMeanGrad(stock: tf.GradConfig): tf.GradConfig {
  return {
    kernelName: 'Mean',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved
      if (tf.getBackend() !== 'wasm' || Array.isArray(dy) || x === undefined || x.dtype !== 'float32') {
        return stock.gradFunc(dy, saved, attrs)
      }
      const axisAttr = attrs['axis']
      const axisList =
        typeof axisAttr === 'number' ? [axisAttr] : Array.isArray(axisAttr) ? axisAttr : undefined
      const axes = axisList?.map((a) => (typeof a === 'number' ? (a + x.rank) % x.rank : Number.NaN))
      const isLeading = axes !== undefined && [...axes].sort((a, b) => a - b).every((a, i) => a === i)
      if (!isLeading) return stock.gradFunc(dy, saved, attrs)
      const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
      const reps = x.shape.map((d, i) => (axes.includes(i) ? d : 1))
      const count = reps.reduce((a, b) => a * b, 1)
      return { x: () => tf.tile(tf.reshape(tf.div(dy, count), keptShape), reps) }
    },
  }
}

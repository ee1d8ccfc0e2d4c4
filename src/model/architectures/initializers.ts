import * as tf from '@tensorflow/tfjs'

type SeededInitializer = ReturnType<typeof tf.initializers.heNormal>

/**
 * Hands out seeded initialisers, one distinct seed per layer, so the same seed builds the same weights;
 * without a seed TF.js draws from Math.random. Dropout layers stay unseeded on purpose: TF.js re-seeds
 * a seeded dropout on every call, which would drop the same units in every batch.
 */
export function createInitializers(seed: number | undefined): {
  kernel(): SeededInitializer
  heNormal(): SeededInitializer
} {
  let next = seed ?? Math.floor(Math.random() * 2 ** 31)
  return {
    kernel: () => tf.initializers.glorotUniform({ seed: next++ }),
    heNormal: () => tf.initializers.heNormal({ seed: next++ }),
  }
}

/**
 * Batch-norm settings of PyTorch, where the seed model comes from: a moving-average momentum of 0.9 (Keras'
 * 0.99 lags ~100 steps, i.e. several of our 46-step epochs, so early validation scores mean nothing) and eps 1e-5.
 */
export const BATCH_NORM = { momentum: 0.9, epsilon: 1e-5 } as const

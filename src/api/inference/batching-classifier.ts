import type { Classifier } from '../../model/index.js'
import { MicroBatcher } from './micro-batcher.js'

export interface BatchingOptions {
  maxBatchSize: number
  windowMs: number
  /** Batches running at once: one per inference worker, so a pool is never idle while requests wait. */
  maxInFlight?: number
  onBatch?: (size: number, inFlight: number) => void
}

/**
 * The same classifier, but images from concurrent requests are predicted together (one runtime call per
 * micro-batch). Each request still gets exactly its own rows back; disposing lets queued images finish first.
 */
export function withMicroBatching(classifier: Classifier, options: BatchingOptions): Classifier {
  if (options.maxBatchSize <= 1) return classifier
  const batcher = new MicroBatcher<Float32Array, Float32Array>({
    run: (images) => classifier.predict(images),
    maxBatchSize: options.maxBatchSize,
    windowMs: options.windowMs,
    maxInFlight: options.maxInFlight ?? 1,
    ...(options.onBatch ? { onBatch: options.onBatch } : {}),
  })
  return {
    ref: classifier.ref,
    labels: classifier.labels,
    preprocess: classifier.preprocess,
    predict: (batch) => Promise.all(batch.map((image) => batcher.submit(image))),
    async dispose() {
      await batcher.close()
      await classifier.dispose()
    },
  }
}

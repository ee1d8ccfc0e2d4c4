import type { Classifier } from './classifier.js'
import { computeClassificationMetrics, type ClassificationMetrics } from './metrics.js'

export interface ClassifierEvaluation {
  metrics: ClassificationMetrics
  /** One probability array per sample, in `classifier.labels` order. */
  probs: Float32Array[]
}

export interface EvaluateClassifierOptions {
  /** Images per forward pass; default 32. */
  batchSize?: number
  signal?: AbortSignal
  onProgress?: (progress: { done: number; total: number }) => void
}

/** Runs a classifier over preprocessed images with class indices into `classifier.labels`, and scores it. */
export async function evaluateClassifier(
  classifier: Classifier,
  images: readonly Float32Array[],
  labels: readonly number[],
  options: EvaluateClassifierOptions = {},
): Promise<ClassifierEvaluation> {
  const batchSize = options.batchSize ?? 32
  const probs: Float32Array[] = []
  for (let start = 0; start < images.length; start += batchSize) {
    options.signal?.throwIfAborted()
    probs.push(...(await classifier.predict(images.slice(start, start + batchSize))))
    options.onProgress?.({ done: probs.length, total: images.length })
  }
  return { metrics: computeClassificationMetrics(probs, labels, classifier.labels), probs }
}

import type { Config } from '../../config/index.js'
import type { Logger } from '../../log/index.js'
import { chooseRuntime, loadServedModel, type Classifier, type RuntimeChoice } from '../../model/index.js'
import type { ModelSource } from '../model-holder.js'
import { withMicroBatching } from './batching-classifier.js'
import { loadPooledOnnxClassifier } from './pooled-onnx-classifier.js'

export type ServingRuntime = Config['serving']['runtime']

export interface LoadServedClassifierOptions {
  /** Threads and batching; which runtime, precision and views come with the source (the registry's resolver). */
  serving: Pick<Config['serving'], 'inferenceThreads' | 'inferenceWorkers' | 'batchWindowMs' | 'maxBatchSize'>
  /** SportScan home: exported ONNX files of registry models are cached under `<home>/onnx-cache/`. */
  home: string
  log: Logger
  /** Each micro-batch as it starts: its size and the batches running (for metrics and tests). */
  onBatch?: (size: number, inFlight: number) => void
}

/**
 * Loads the model to serve as model's chooseRuntime decides (the same decision `evaluate` and the gate
 * make), then adds what only a server needs: ONNX inference in `inferenceWorkers` worker threads
 * (onnxruntime-node's `run` blocks its caller), and micro-batching with one batch in flight per worker, so
 * every worker is busy under load while each batch still gathers concurrent requests.
 */
export async function loadServedClassifier(
  source: ModelSource,
  options: LoadServedClassifierOptions,
): Promise<{ classifier: Classifier; runtime: 'onnx' | 'tfjs'; precision?: 'int8' | 'fp32' }> {
  const { serving, log } = options
  const { classifier, choice } = await loadWithRuntime(source, options)
  const workers = choice.runtime === 'onnx' ? serving.inferenceWorkers : 0
  const maxInFlight = Math.max(1, workers)
  log.info(
    {
      model: classifier.ref,
      runtime: choice.runtime,
      ...(choice.runtime === 'onnx' ? { precision: choice.precision, file: choice.file } : {}),
      threads: choice.runtime === 'onnx' ? serving.inferenceThreads : 1,
      workers,
      maxBatchSize: serving.maxBatchSize,
      batchWindowMs: serving.batchWindowMs,
      maxInFlight,
      testViews: source.testViews,
    },
    'serving runtime chosen',
  )
  return {
    classifier: withMicroBatching(classifier, {
      maxBatchSize: serving.maxBatchSize,
      windowMs: serving.batchWindowMs,
      maxInFlight,
      ...(options.onBatch ? { onBatch: options.onBatch } : {}),
    }),
    runtime: choice.runtime,
    ...(choice.runtime === 'onnx' ? { precision: choice.precision } : {}),
  }
}

async function loadWithRuntime(
  source: ModelSource,
  options: LoadServedClassifierOptions,
): Promise<{ classifier: Classifier; choice: RuntimeChoice }> {
  const { serving, log, home } = options
  if (serving.inferenceWorkers === 0) {
    return loadServedModel(source, { home, log, intraOpThreads: serving.inferenceThreads })
  }
  const choice = await chooseRuntime(source, { home, log })
  if (choice.runtime === 'tfjs') return loadServedModel({ ...source, runtime: 'tfjs' }, { home, log })
  try {
    const classifier = await loadPooledOnnxClassifier(source.dir, {
      file: choice.file,
      precision: choice.precision,
      ref: source.ref,
      workers: serving.inferenceWorkers,
      intraOpThreads: serving.inferenceThreads,
      testViews: source.testViews,
      log,
    })
    return { classifier, choice }
  } catch (err) {
    if (source.runtime === 'onnx' || source.precision === 'int8') throw err
    log.warn({ err, dir: source.dir }, 'ONNX Runtime cannot serve this model; falling back to TF.js')
    return loadServedModel({ ...source, runtime: 'tfjs' }, { home, log })
  }
}

/**
 * Worker-thread entry for the ONNX worker pool (piscina). onnxruntime-node's `session.run` blocks the thread
 * that calls it, so serving runs it here and keeps the event loop free for HTTP and the database.
 * Each worker keeps the sessions it has loaded, keyed by file and threads; a model swap starts a new pool.
 */
// The ONNX sub-index rather than model/index.js: each worker imports only the runtime, not training and plots.
import type { Classifier, Precision, TestViewPreset } from '../../model/index.js'
import { loadOnnxClassifier } from '../../model/onnx/index.js'

export interface OnnxWorkerTask {
  dir: string
  file: string
  precision: Precision
  ref: string
  intraOpThreads: number
  testViews?: TestViewPreset | 'model'
  images: Float32Array[]
}

const sessions = new Map<string, Promise<Classifier>>()

export default async function predictInWorker(task: OnnxWorkerTask): Promise<Float32Array[]> {
  const key = `${task.file}|${task.precision}|${task.intraOpThreads}|${task.testViews ?? 'model'}`
  let classifier = sessions.get(key)
  if (!classifier) {
    classifier = loadOnnxClassifier(task.dir, {
      file: task.file,
      precision: task.precision,
      ref: task.ref,
      intraOpThreads: task.intraOpThreads,
      testViews: task.testViews,
      isSpinning: false,
    })
    sessions.set(key, classifier)
    // A failed load is not cached: the next task tries again.
    classifier.catch(() => sessions.delete(key))
  }
  return (await classifier).predict(task.images)
}

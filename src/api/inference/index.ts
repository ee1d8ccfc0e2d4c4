export { MicroBatcher, type MicroBatcherOptions } from './micro-batcher.js'
export { withMicroBatching, type BatchingOptions } from './batching-classifier.js'
export {
  loadServedClassifier,
  type LoadServedClassifierOptions,
  type ServingRuntime,
} from './load-served-classifier.js'
export { BatchResultMismatchError, BatcherClosedError } from './errors.js'

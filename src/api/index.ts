export { buildApp, type ApiApp, type AppDeps } from './build-app.js'
export { startServer, type RunningServer, type StartServerOptions } from './start-server.js'
export { ModelHolder, type ModelLease, type ModelProvider, type ModelSource } from './model-holder.js'
export {
  RetrainJobs,
  type RetrainJob,
  type RetrainOutcome,
  type RetrainRequest,
  type RetrainRunner,
} from './retrain-jobs.js'
export { STATUS_BY_CODE, handleError, isDatabaseUnreachable, toErrorReply, type ErrorBody } from './errors.js'
export { INTERNAL_ERROR_CODES } from './internal-error-codes.js'
export {
  loadServedClassifier,
  type LoadServedClassifierOptions,
  type ServingRuntime,
} from './inference/index.js'

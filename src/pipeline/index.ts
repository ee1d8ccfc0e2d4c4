export { parsePipelineSpec, readPipelineSpec, type PipelineSpec, type ParamValue } from './pipeline-spec.js'
export {
  loadPipeline,
  resolvePipeline,
  type ResolvedPipeline,
  type ResolvedStep,
  type ResolveOptions,
} from './resolve-pipeline.js'
export {
  defineStep,
  createStepTypeRegistry,
  type AnyStepType,
  type JsonValue,
  type StepContext,
  type StepServices,
  type StepType,
  type StepTypeRegistry,
  type StoredStepResult,
} from './step-type.js'
export { computeStepKey, canonicalJson, stepCacheRoot, cleanupStepCacheTmp } from './step-cache.js'
export { executeStep, runPipelineStep, type StepEvent, type StepRecord } from './run-step.js'
export {
  runPipeline,
  type PipelineRunResult,
  type RunPipelineOptions,
  type StepSummary,
} from './run-pipeline.js'
export {
  PipelineOverrideError,
  PipelineSpecError,
  StepFailedError,
  StepInputMissingError,
  StepOutputInvalidError,
  UnknownStepError,
  PIPELINE_ERROR_CODES,
} from './errors.js'
export { defaultStepTypes } from './default-step-types.js'
export { DEFAULT_PIPELINE_FILE } from './default-pipeline-file.js'
export { STRATIFIED } from './steps/index.js'
export { listPipelineRuns } from './list-runs.js'
export { renderArgoWorkflow, PipelineRenderError, type RenderOptions } from './render/argo.js'
export { renderKubernetesJob } from './render/k8s-jobs.js'
export { NoFeedbackError } from './errors.js'
export { decideGate, type GateScores, type GateVerdict } from './retrain/gate-decision.js'
export { retrainWithGate, type RetrainOptions, type RetrainResult } from './retrain/retrain-with-gate.js'
export type { ScoredModel } from './retrain/score-models.js'

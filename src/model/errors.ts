export class ModelArtifactError extends Error {
  readonly code = 'SPS_MODEL_ARTIFACT_INVALID'
  constructor(
    readonly dir: string,
    reason: string,
    cause?: unknown,
  ) {
    super(`model artifact ${dir} is not usable: ${reason}`, { cause })
  }
}

export class UnknownArchitectureError extends Error {
  readonly code = 'SPS_MODEL_ARCHITECTURE_UNKNOWN'
  constructor(
    readonly architecture: string,
    known: readonly string[],
  ) {
    super(`unknown architecture "${architecture}" (known: ${known.join(', ')})`)
  }
}

export class ModelInputError extends Error {
  readonly code = 'SPS_MODEL_INPUT_INVALID'
  constructor(reason: string) {
    super(`invalid model input: ${reason}`)
  }
}

export class TrainingAbortedError extends Error {
  readonly code = 'SPS_MODEL_TRAINING_ABORTED'
  constructor(epoch: number, cause?: unknown) {
    super(`training aborted during epoch ${epoch}`, { cause })
  }
}

export class UnknownClassError extends Error {
  readonly code = 'SPS_MODEL_UNKNOWN_CLASS'
  constructor(
    readonly classNames: readonly string[],
    readonly modelRef: string,
  ) {
    super(`model ${modelRef} does not know the class folder(s): ${classNames.join(', ')}`)
  }
}

export class EmptyEvaluationError extends Error {
  readonly code = 'SPS_MODEL_EVALUATION_EMPTY'
  constructor(what: string) {
    super(`nothing to evaluate: ${what}`)
  }
}

export class InvalidArchitectureParamError extends Error {
  readonly code = 'SPS_MODEL_ARCHITECTURE_PARAM_INVALID'
  constructor(architecture: string, param: string, reason: string) {
    super(`architecture "${architecture}": parameter "${param}" ${reason}`)
  }
}

export class EvaluationSourceError extends Error {
  readonly code = 'SPS_MODEL_EVALUATION_SOURCE_INVALID'
  constructor(reason: string, cause?: unknown) {
    super(`cannot read the evaluation images: ${reason}`, { cause })
  }
}

/** Every code this concern's errors carry (the API maps them to statuses; a test keeps the list whole). */
export const MODEL_ERROR_CODES = [
  'SPS_MODEL_ARTIFACT_INVALID',
  'SPS_MODEL_ARCHITECTURE_UNKNOWN',
  'SPS_MODEL_ARCHITECTURE_PARAM_INVALID',
  'SPS_MODEL_INPUT_INVALID',
  'SPS_MODEL_TRAINING_ABORTED',
  'SPS_MODEL_UNKNOWN_CLASS',
  'SPS_MODEL_EVALUATION_EMPTY',
  'SPS_MODEL_EVALUATION_SOURCE_INVALID',
  'SPS_MODEL_BACKBONE_INVALID',
  'SPS_MODEL_TFLITE_INVALID',
  'SPS_MODEL_TFLITE_OP_UNSUPPORTED',
] as const

export class BackboneError extends Error {
  readonly code = 'SPS_MODEL_BACKBONE_INVALID'
  constructor(
    readonly source: string,
    reason: string,
    cause?: unknown,
  ) {
    super(`backbone ${source}: ${reason}`, { cause })
  }
}

export class InvalidModelRefError extends Error {
  readonly code = 'SPS_REGISTRY_INVALID_REF'
  constructor(
    readonly ref: string,
    reason: string,
  ) {
    super(`invalid model reference "${ref}": ${reason}`)
  }
}

export class InvalidModelNameError extends Error {
  readonly code = 'SPS_REGISTRY_INVALID_NAME'
  constructor(readonly modelName: string) {
    super(`invalid model name "${modelName}": use lower-case letters, digits, "-", "_" or "."`)
  }
}

export class ModelNotFoundError extends Error {
  readonly code = 'SPS_REGISTRY_MODEL_NOT_FOUND'
  constructor(readonly ref: string) {
    super(`no registered model matches "${ref}"`)
  }
}

export class AliasNotFoundError extends Error {
  readonly code = 'SPS_REGISTRY_ALIAS_NOT_FOUND'
  constructor(
    readonly modelName: string,
    readonly alias: string,
  ) {
    super(`model "${modelName}" has no alias "${alias}"`)
  }
}

export class UnknownAliasError extends Error {
  readonly code = 'SPS_REGISTRY_UNKNOWN_ALIAS'
  constructor(
    readonly alias: string,
    readonly allowed: readonly string[],
  ) {
    super(`"${alias}" is not an alias models can be promoted to (use ${allowed.join(' or ')})`)
  }
}

export class ArtifactMissingError extends Error {
  readonly code = 'SPS_REGISTRY_ARTIFACT_MISSING'
  constructor(
    readonly artifactDir: string,
    cause?: unknown,
  ) {
    super(`model artifact folder "${artifactDir}" is missing or unreadable`, { cause })
  }
}

export class RegistrationFailedError extends Error {
  readonly code = 'SPS_REGISTRY_REGISTRATION_FAILED'
  constructor(
    readonly modelName: string,
    cause: unknown,
  ) {
    super(
      `could not register model "${modelName}": ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    )
  }
}

/** Neither the registry's production alias nor the bundled folder holds a model to serve. */
export class NoServedModelError extends Error {
  readonly code = 'SPS_REGISTRY_NO_SERVED_MODEL'
  constructor(modelName: string, bundledModelDir: string) {
    super(
      `no model to serve: ${modelName} has no production alias and ${bundledModelDir} holds no model.json`,
    )
  }
}

/** Every code this concern throws; test/registry/errors.test.ts keeps it in step with the classes. */
export const REGISTRY_ERROR_CODES = [
  'SPS_REGISTRY_INVALID_REF',
  'SPS_REGISTRY_INVALID_NAME',
  'SPS_REGISTRY_MODEL_NOT_FOUND',
  'SPS_REGISTRY_ALIAS_NOT_FOUND',
  'SPS_REGISTRY_UNKNOWN_ALIAS',
  'SPS_REGISTRY_ARTIFACT_MISSING',
  'SPS_REGISTRY_REGISTRATION_FAILED',
  'SPS_REGISTRY_NO_SERVED_MODEL',
] as const

export {
  registerModel,
  cleanupRegistryTmp,
  registryRoot,
  type RegisterModelInput,
  type RegisteredModel,
} from './register-model.js'
export {
  resolveModelRef,
  getModel,
  listModels,
  type ResolvedModel,
  type ModelSummary,
} from './resolve-model.js'
export {
  resolveServedModel,
  servedModelInFolder,
  type ServedModel,
  type ServingPolicy,
} from './served-model.js'
export { promoteAlias, MODEL_ALIAS_CHANNEL, type AliasChangedPayload, type PromotedAlias } from './aliases.js'
export {
  parseModelRef,
  formatModelRef,
  isModelAlias,
  MODEL_ALIASES,
  type ModelAlias,
  type ModelRef,
} from './model-ref.js'
export { resolveCodeVersion } from './code-version.js'
export { copyDirectoryDurably, syncDirectoryTree, syncDirectory } from './durable-fs.js'
export {
  AliasNotFoundError,
  ArtifactMissingError,
  InvalidModelNameError,
  InvalidModelRefError,
  ModelNotFoundError,
  RegistrationFailedError,
  UnknownAliasError,
  NoServedModelError,
  REGISTRY_ERROR_CODES,
} from './errors.js'

export type { Classifier } from './classifier.js'
export {
  saveModelArtifact,
  loadLayersModelFromDir,
  readArtifactSidecar,
  ARTIFACT_FILES,
  type ModelArtifactInput,
  type ArtifactSidecar,
  type ModelMetadata,
} from './artifact.js'
export {
  loadClassifier,
  createLayersClassifier,
  applyTemperature,
  type LoadClassifierOptions,
  type LayersClassifierOptions,
} from './load-classifier.js'
export {
  ModelArtifactError,
  UnknownArchitectureError,
  ModelInputError,
  TrainingAbortedError,
  UnknownClassError,
  EmptyEvaluationError,
} from './errors.js'

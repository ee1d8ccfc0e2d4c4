export type { Classifier } from './classifier.js'
export {
  saveModelArtifact,
  loadLayersModelFromDir,
  readArtifactSidecar,
  resolveServedViews,
  writeInt8Calibration,
  ARTIFACT_FILES,
  type Precision,
  type ModelArtifactInput,
  type ArtifactSidecar,
  type ModelMetadata,
  type ViewTemperatures,
} from './artifact.js'
export {
  loadClassifier,
  createLayersClassifier,
  applyTemperature,
  type LoadClassifierOptions,
  type LayersClassifierOptions,
} from './load-classifier.js'
export {
  TEST_VIEW_PRESETS,
  FULL_VIEW,
  isFullViewOnly,
  renderView,
  combineViews,
  withTestTimeViews,
  selectViews,
  type TestTimeView,
  type TestViewPreset,
} from './test-time-views.js'
export { getArchitecture, listArchitectures } from './architectures/registry.js'
export type { Architecture, ArchitectureOptions } from './architectures/architecture.js'
export {
  trainModel,
  type TrainOptions,
  type TrainParams,
  type TrainResult,
  type EpochMetrics,
  type LabelledImages,
  type ImageAugmenter,
} from './train-loop.js'
export { AdamW, type AdamWOptions } from './adamw.js'
export { sampleGamma, sampleSymmetricBeta } from './beta-sample.js'
export { cosineLearningRate, PlateauScheduler, type LearningRateSchedule } from './learning-rate.js'
export {
  computeClassificationMetrics,
  confusionMatrix,
  perClassMetrics,
  argMax,
  accuracyByThreshold,
  REPORTED_THRESHOLDS,
  type ClassificationMetrics,
  type ClassMetrics,
  type ThresholdPoint,
} from './metrics.js'
export {
  expectedCalibrationError,
  fitTemperature,
  scaleProbabilities,
  temperatureNll,
  type FitTemperatureOptions,
} from './calibration.js'
export {
  renderConfusionMatrix,
  writeConfusionMatrixPng,
  type ConfusionMatrixPlotOptions,
} from './plots/confusion-matrix.js'
export {
  renderLearningCurves,
  writeLearningCurvesPng,
  type LearningCurvesPlotOptions,
} from './plots/learning-curves.js'
export type { RenderedPlot } from './plots/svg-to-png.js'
export { evaluateClassifier, type ClassifierEvaluation, type EvaluateClassifierOptions } from './evaluate.js'
export {
  fitViewTemperatures,
  type FitViewTemperaturesOptions,
  type ViewCalibration,
} from './fit-view-temperatures.js'
export {
  evaluateDirectory,
  type EvaluateDirectoryOptions,
  type DirectoryEvaluation,
} from './evaluate-directory.js'
export { listClassFolderImages, listSplitSubsetImages, type LabelledFile } from './list-labelled-images.js'
export { initBackend, type BackendName, type InitBackendOptions } from './backend/index.js'
export {
  ModelArtifactError,
  EvaluationSourceError,
  InvalidArchitectureParamError,
  UnknownArchitectureError,
  ModelInputError,
  TrainingAbortedError,
  UnknownClassError,
  EmptyEvaluationError,
  BackboneError,
  MODEL_ERROR_CODES,
} from './errors.js'
export {
  exportOnnx,
  ensureOnnx,
  writeOnnxForArtifact,
  loadOnnxClassifier,
  listExportableLayers,
  ONNX_MODEL_FILE,
  ONNX_INT8_MODEL_FILE,
  writeInt8OnnxForArtifact,
  DEFAULT_OPSET,
  MIN_OPSET,
  MAX_OPSET,
  OnnxInferenceError,
  OnnxModelError,
  UnsupportedLayerError,
  UnsupportedModelError,
  UnsupportedOpsetError,
  type ExportOnnxOptions,
  type EnsureOnnxOptions,
  type LoadOnnxClassifierOptions,
} from './onnx/index.js'
export {
  gradCam,
  findTargetLayer,
  renderHeatmapOverlay,
  type GradCamOptions,
  type GradCamResult,
  type HeatmapOverlay,
  type HeatmapOverlayOptions,
} from './explain/index.js'
export {
  trainTransfer,
  loadBackbone,
  listCatalogBackbones,
  type TransferParams,
  type TransferResult,
} from './transfer/index.js'
export {
  readTflite,
  tfliteToLayers,
  TfliteFormatError,
  TfliteUnsupportedOpError,
  type ImportedTflite,
  type TfliteGraph,
} from './tflite/index.js'
export {
  chooseRuntime,
  loadServedModel,
  servedOnnxFile,
  type RuntimeChoice,
  type ServedModelSpec,
  type PrecisionChoice,
} from './serve/index.js'

export {
  exportOnnx,
  listExportableLayers,
  ONNX_INPUT_NAME,
  ONNX_OUTPUT_NAME,
  DEFAULT_OPSET,
  MIN_OPSET,
  MAX_OPSET,
  type ExportOnnxOptions,
} from './export-onnx.js'
export {
  ensureOnnx,
  writeOnnxForArtifact,
  type EnsureOnnxOptions,
  type WriteOnnxOptions,
} from './ensure-onnx.js'
export {
  loadOnnxClassifier,
  ONNX_MODEL_FILE,
  ONNX_INT8_MODEL_FILE,
  type LoadOnnxClassifierOptions,
} from './load-onnx-classifier.js'
export {
  OnnxInferenceError,
  OnnxModelError,
  UnsupportedLayerError,
  UnsupportedModelError,
  UnsupportedOpsetError,
} from './errors.js'
export {
  writeInt8OnnxForArtifact,
  calibrateRanges,
  activationsToQuantize,
  quantizeQdq,
  type WriteInt8OnnxOptions,
  type TensorRange,
  type WeightQuantization,
} from './quantize/index.js'
export { buildOnnxModel } from './export-onnx.js'

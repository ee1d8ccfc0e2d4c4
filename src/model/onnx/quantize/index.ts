export { writeInt8OnnxForArtifact, type WriteInt8OnnxOptions } from './write-int8-onnx.js'
export { calibrateRanges, type TensorRange, type CalibrateOptions } from './calibrate-ranges.js'
export {
  activationsToQuantize,
  quantizeQdq,
  uint8Steps,
  type QuantizeQdqOptions,
  type WeightQuantization,
} from './quantize-qdq.js'

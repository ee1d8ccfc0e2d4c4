export { readTflite, type TfliteGraph, type TfliteTensor, type TfliteOperator } from './read-tflite.js'
export { dequantize } from './dequantize.js'
export {
  tfliteToLayers,
  type ImportedTflite,
  type TfliteToLayersOptions,
  type WeightSteps,
} from './tflite-to-layers.js'
export { TfliteFormatError, TfliteUnsupportedOpError } from './errors.js'

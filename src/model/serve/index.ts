export {
  chooseRuntime,
  loadServedModel,
  type RuntimeChoice,
  type ServedModelSpec,
} from './load-served-model.js'
export { servedOnnxFile, type PrecisionChoice } from './served-onnx-file.js'

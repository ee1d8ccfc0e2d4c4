export { initBackend, type BackendName, type InitBackendOptions } from './init-backend.js'
export { acquireTrainingKernels, withTrainingKernels } from './training-kernels.js'
export {
  registerWasmGradientKernels,
  restoreStockWasmKernels,
  wasmKernelSet,
  WASM_GRADIENT_KERNELS,
  type WasmGradientKernelName,
} from './register-wasm-gradient-kernels.js'
export { BackendUnavailableError, MissingKernelError, UnsupportedKernelInputError } from './errors.js'
export { batchNormInTraining, type BatchNormInTraining } from './batch-norm-training.js'

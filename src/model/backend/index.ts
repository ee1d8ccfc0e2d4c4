export { initBackend, type BackendName, type InitBackendOptions } from './init-backend.js'
export {
  registerWasmGradientKernels,
  WASM_GRADIENT_KERNELS,
  type WasmGradientKernelName,
} from './register-wasm-gradient-kernels.js'
export { BackendUnavailableError, MissingKernelError, UnsupportedKernelInputError } from './errors.js'
export { batchNormInTraining, type BatchNormInTraining } from './batch-norm-training.js'

import { registerWasmGradientKernels, restoreStockWasmKernels } from './register-wasm-gradient-kernels.js'

let holders = 0

/**
 * Registers our wasm training kernels for as long as someone trains (or differentiates, as Grad-CAM does),
 * and puts the stock kernels back when the last one releases: a server that retrains in-process goes back
 * to serving on the kernels TF.js ships. Returns the release function; calling it twice changes nothing.
 */
export function acquireTrainingKernels(): () => void {
  if (holders === 0) registerWasmGradientKernels()
  holders++
  let isReleased = false
  return () => {
    if (isReleased) return
    isReleased = true
    holders--
    if (holders === 0) restoreStockWasmKernels()
  }
}

/** Runs `work` with the training kernels registered (see acquireTrainingKernels). */
export async function withTrainingKernels<T>(work: () => Promise<T> | T): Promise<T> {
  const release = acquireTrainingKernels()
  try {
    return await work()
  } finally {
    release()
  }
}

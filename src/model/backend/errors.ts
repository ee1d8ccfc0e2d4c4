export class BackendUnavailableError extends Error {
  readonly code = 'SPS_MODEL_BACKEND_UNAVAILABLE'
  constructor(
    readonly backend: string,
    cause?: unknown,
  ) {
    super(`TF.js backend "${backend}" could not be initialised`, { cause })
  }
}

/** A gradient kernel was asked for something it does not implement (e.g. NCHW or dilated convolutions). */
export class UnsupportedKernelInputError extends Error {
  readonly code = 'SPS_MODEL_KERNEL_UNSUPPORTED'
  constructor(
    readonly kernelName: string,
    reason: string,
  ) {
    super(`wasm kernel ${kernelName}: ${reason}`)
  }
}

/** A kernel that ours is composed from is not registered on the wasm backend. */
export class MissingKernelError extends Error {
  readonly code = 'SPS_MODEL_KERNEL_MISSING'
  constructor(readonly kernelName: string) {
    super(`wasm backend has no kernel "${kernelName}"`)
  }
}

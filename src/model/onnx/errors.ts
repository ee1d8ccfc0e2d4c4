/** A layer (or a setting of one) the ONNX exporter has no translation for; names the layer so users can swap it. */
export class UnsupportedLayerError extends Error {
  readonly code = 'SPS_ONNX_UNSUPPORTED_LAYER'
  constructor(
    readonly layerName: string,
    readonly className: string,
    reason = 'has no ONNX translation',
  ) {
    super(`layer "${layerName}" (${className}) ${reason}`)
  }
}

/** The model as a whole cannot be exported (input rank, disconnected outputs, several inputs...). */
export class UnsupportedModelError extends Error {
  readonly code = 'SPS_ONNX_UNSUPPORTED_MODEL'
  constructor(reason: string) {
    super(`cannot export the model to ONNX: ${reason}`)
  }
}

export class UnsupportedOpsetError extends Error {
  readonly code = 'SPS_ONNX_UNSUPPORTED_OPSET'
  constructor(
    readonly opset: number,
    min: number,
    max: number,
  ) {
    super(`ONNX opset ${opset} is not supported (choose ${min}..${max})`)
  }
}

/** model.onnx is missing, unreadable, or does not fit the artifact's labels and input size. */
export class OnnxModelError extends Error {
  readonly code = 'SPS_ONNX_MODEL_INVALID'
  constructor(
    readonly file: string,
    reason: string,
    cause?: unknown,
  ) {
    super(`ONNX model ${file} is not usable: ${reason}`, { cause })
  }
}

/** onnxruntime-node failed while running a batch. */
export class OnnxInferenceError extends Error {
  readonly code = 'SPS_ONNX_INFERENCE_FAILED'
  constructor(ref: string, cause: unknown) {
    super(`ONNX Runtime failed to run ${ref}`, { cause })
  }
}

export class TfliteFormatError extends Error {
  readonly code = 'SPS_MODEL_TFLITE_INVALID'
  constructor(
    readonly source: string,
    reason: string,
    cause?: unknown,
  ) {
    super(`${source} ${reason}`, { cause })
  }
}

export class TfliteUnsupportedOpError extends Error {
  readonly code = 'SPS_MODEL_TFLITE_OP_UNSUPPORTED'
  constructor(
    readonly source: string,
    readonly op: string,
    detail: string,
  ) {
    super(`${source}: TensorFlow Lite op ${op} ${detail}`)
  }
}

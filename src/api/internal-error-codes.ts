/**
 * Codes deliberately left out of STATUS_BY_CODE: if one reaches a request, the server (its configuration,
 * its files or its code) is at fault, so the client gets a bare 500 and the log the detail. Background jobs
 * (retraining) record these codes and their messages as they are, so an operator sees which step broke.
 * test/api/error-codes.test.ts fails when a code in src/ is neither here nor in the status table.
 */
export const INTERNAL_ERROR_CODES: ReadonlySet<string> = new Set([
  // start-up and configuration
  'SPS_CONFIG_INVALID',
  'SPS_AUTH_OFF_BEYOND_LOOPBACK',
  'SPS_DB_MIGRATION_FAILED',
  'SPS_DB_EMBEDDED_IN_USE',
  // serving internals
  'SPS_API_BATCH_RESULT_MISMATCH',
  'SPS_API_BATCHER_CLOSED',
  // datasets on the server's disk
  'SPS_DATA_ABORTED',
  'SPS_DATA_AUGMENT_PARAMS_INVALID',
  'SPS_DATA_BLOB_MISSING',
  'SPS_DATA_EMPTY',
  'SPS_DATA_MANIFEST_INVALID',
  'SPS_DATA_SOURCE_INVALID',
  'SPS_DATA_SPLIT_FILE_INVALID',
  'SPS_DATA_SPLIT_FRACTIONS_INVALID',
  'SPS_DATA_UNKNOWN_CLASS',
  // models, training and runtimes
  'SPS_MODEL_ARCHITECTURE_PARAM_INVALID',
  'SPS_MODEL_ARCHITECTURE_UNKNOWN',
  'SPS_MODEL_ARTIFACT_INVALID',
  'SPS_MODEL_BACKBONE_INVALID',
  'SPS_MODEL_BACKEND_UNAVAILABLE',
  'SPS_MODEL_EVALUATION_EMPTY',
  'SPS_MODEL_EVALUATION_SOURCE_INVALID',
  'SPS_MODEL_KERNEL_MISSING',
  'SPS_MODEL_KERNEL_UNSUPPORTED',
  'SPS_MODEL_TRAINING_ABORTED',
  'SPS_MODEL_TFLITE_INVALID',
  'SPS_MODEL_TFLITE_OP_UNSUPPORTED',
  'SPS_MODEL_UNKNOWN_CLASS',
  'SPS_ONNX_INFERENCE_FAILED',
  'SPS_ONNX_MODEL_INVALID',
  'SPS_ONNX_UNSUPPORTED_LAYER',
  'SPS_ONNX_UNSUPPORTED_MODEL',
  'SPS_ONNX_UNSUPPORTED_OPSET',
  // pipelines and the registry's storage
  'SPS_PIPELINE_BAD_OVERRIDE',
  'SPS_PIPELINE_RENDER_INVALID',
  'SPS_PIPELINE_SPEC_INVALID',
  'SPS_PIPELINE_STEP_FAILED',
  'SPS_PIPELINE_STEP_INPUT_MISSING',
  'SPS_PIPELINE_STEP_OUTPUT_INVALID',
  'SPS_PIPELINE_UNKNOWN_STEP',
  'SPS_REGISTRY_ARTIFACT_MISSING',
  'SPS_REGISTRY_NO_SERVED_MODEL',
  'SPS_REGISTRY_REGISTRATION_FAILED',
])

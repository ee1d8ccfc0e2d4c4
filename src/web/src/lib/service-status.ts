import { expectObject, readOptionalString } from './json-reader.js'

/** `GET /health`: whether the server can answer scans, and with which model. */
export interface ServiceStatus {
  isModelLoaded: boolean
  /** `name@version`, null when no model is loaded or the server does not say. */
  model: string | null
  version: string | null
}

export function decodeServiceStatus(value: unknown): ServiceStatus {
  const what = 'health'
  const obj = expectObject(value, what)
  return {
    isModelLoaded: obj['model_loaded'] === true,
    model: readOptionalString(obj, 'model', what),
    version: readOptionalString(obj, 'version', what),
  }
}

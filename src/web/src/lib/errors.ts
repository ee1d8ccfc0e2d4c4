/** The API answered with a 4xx/5xx; `code` and `message` come from its `{ code, message }` body when present. */
export class ApiError extends Error {
  readonly code: string
  readonly status: number
  constructor(status: number, code: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
  }
}

/** The request never got an answer (server down, connection dropped, offline phone). */
export class NetworkError extends Error {
  readonly code = 'SPS_WEB_NETWORK'
  constructor(cause: unknown) {
    super('Could not reach the SportScan server. Check the connection and try again.', { cause })
    this.name = 'NetworkError'
  }
}

/** The API answered 2xx with a body the dashboard does not understand (version mismatch). */
export class ResponseShapeError extends Error {
  readonly code = 'SPS_WEB_BAD_RESPONSE'
  constructor(what: string, detail: string) {
    super(`Unexpected ${what} from the server: ${detail}`)
    this.name = 'ResponseShapeError'
  }
}

export type DashboardError = ApiError | NetworkError | ResponseShapeError

/** A sentence to show a person, whatever was thrown. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError || error instanceof NetworkError || error instanceof ResponseShapeError) {
    return error.message
  }
  return 'Something went wrong. Please try again.'
}

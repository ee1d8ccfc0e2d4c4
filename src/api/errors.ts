import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { FASTIFY_CODE_MAP, describeValidation } from './fastify-errors.js'

/** The JSON every error answer carries. */
export interface ErrorBody {
  code: string
  message: string
}

export class PredictionNotFoundError extends Error {
  readonly code = 'SPS_API_PREDICTION_NOT_FOUND'
  constructor(readonly id: string) {
    super(`no prediction with id "${id}"`)
  }
}

export class LegacyIdError extends Error {
  readonly code = 'SPS_API_LEGACY_ID'
  constructor(id: string) {
    super(
      `no prediction with id "${id}": ids are UUIDs since the second API version, and integer ids of the ` +
        'first one were not carried over; find the scan with GET /history',
    )
  }
}

export class RouteNotFoundError extends Error {
  readonly code = 'SPS_API_ROUTE_NOT_FOUND'
  constructor(method: string, url: string) {
    super(`no route ${method} ${url}`)
  }
}

export class FileFieldMissingError extends Error {
  readonly code = 'SPS_API_FILE_MISSING'
  constructor(accepted: readonly string[], seen: readonly string[]) {
    const got = seen.length > 0 ? `; got file field(s) ${seen.map((f) => `"${f}"`).join(', ')}` : ''
    super(
      `no file uploaded: send the image as multipart field ${accepted.map((f) => `"${f}"`).join(' or ')}${got}`,
    )
  }
}

export class EmptyUploadError extends Error {
  readonly code = 'SPS_API_FILE_EMPTY'
  constructor(filename: string) {
    super(`the uploaded file "${filename}" is empty`)
  }
}

export class NotAnImageError extends Error {
  readonly code = 'SPS_API_NOT_AN_IMAGE'
  constructor(filename: string) {
    super(`"${filename}" is not a JPEG, PNG, WebP, GIF, TIFF or AVIF image`)
  }
}

export class HeicNotSupportedError extends Error {
  readonly code = 'SPS_API_HEIC_UNSUPPORTED'
  constructor(filename: string) {
    super(
      `"${filename}" is a HEIC photo (the iPhone default), which this server cannot decode: send JPEG, PNG, ` +
        'WebP or AVIF instead (on iPhone: Settings > Camera > Formats > Most Compatible)',
    )
  }
}

export class ImageTooSmallError extends Error {
  readonly code = 'SPS_API_IMAGE_TOO_SMALL'
  constructor(filename: string, width: number, height: number, minSide: number) {
    super(
      `"${filename}" is ${width}x${height} pixels, too small to recognise a ball: ` +
        `send a photo at least ${minSide}x${minSide} pixels`,
    )
  }
}

export class CorrectionNotLatestError extends Error {
  readonly code = 'SPS_API_CORRECTION_NOT_LATEST'
  constructor(id: number) {
    super(`correction ${id} is not this scan's latest one; only the latest correction can be undone`)
  }
}

export class DeletedScanNotFoundError extends Error {
  readonly code = 'SPS_API_DELETED_SCAN_NOT_FOUND'
  constructor(id: string, retentionDays: number) {
    super(
      `no deleted scan with id "${id}" to restore: it was not deleted, is restored already, or was deleted ` +
        `more than ${retentionDays} days ago`,
    )
  }
}

export class RestoreConflictError extends Error {
  readonly code = 'SPS_API_RESTORE_CONFLICT'
  constructor(id: string) {
    super(
      `scan "${id}" cannot be restored: a scan sent after the delete uses its idempotency key; ` +
        'delete that scan first if the restored one is the right one',
    )
  }
}

export class CorrectionNotFoundError extends Error {
  readonly code = 'SPS_API_CORRECTION_NOT_FOUND'
  constructor(predictionId: string, id: number) {
    super(`scan "${predictionId}" has no correction ${id}`)
  }
}

export class NotMultipartError extends Error {
  readonly code = 'SPS_API_NOT_MULTIPART'
  constructor() {
    super('send the image as multipart/form-data')
  }
}

export class MalformedMultipartError extends Error {
  readonly code = 'SPS_API_MULTIPART_MALFORMED'
  constructor(cause: unknown) {
    super(`malformed multipart body: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
  }
}

export class UploadTooLargeError extends Error {
  readonly code = 'SPS_API_UPLOAD_TOO_LARGE'
  constructor(limitBytes: number) {
    super(`upload larger than the limit of ${limitBytes} bytes`)
  }
}

export class TooManyFilesError extends Error {
  readonly code = 'SPS_API_TOO_MANY_FILES'
  constructor(limit: number) {
    super(`too many files: at most ${limit} per request${limit === 1 ? ' (use POST /predict/batch)' : ''}`)
  }
}

export class FieldInvalidError extends Error {
  readonly code = 'SPS_API_FIELD_INVALID'
  constructor(field: string, reason: string) {
    super(`field "${field}" ${reason}`)
  }
}

export class IdempotencyKeyReusedError extends Error {
  readonly code = 'SPS_API_IDEMPOTENCY_KEY_REUSED'
  constructor() {
    super('this Idempotency-Key was already used for a different upload')
  }
}

export class InvalidCursorError extends Error {
  readonly code = 'SPS_API_CURSOR_INVALID'
  constructor() {
    super('cursor is not one this API returned')
  }
}

export class ImageNotKeptError extends Error {
  readonly code = 'SPS_API_IMAGE_NOT_KEPT'
  constructor(readonly id: string) {
    super(`the photo of prediction "${id}" was not kept (the server runs without STORE_IMAGES)`)
  }
}

export class ExplanationUnavailableError extends Error {
  readonly code = 'SPS_API_EXPLANATION_UNAVAILABLE'
  constructor(id: string, reason: string, cause?: unknown) {
    super(`no explanation for prediction "${id}": ${reason}`, { cause })
  }
}

export class ModelFileNotFoundError extends Error {
  readonly code = 'SPS_API_MODEL_FILE_NOT_FOUND'
  constructor(ref: string, file: string) {
    super(`model ${ref} has no file "${file}"`)
  }
}

export class ModelNotLoadedError extends Error {
  readonly code = 'SPS_API_MODEL_NOT_LOADED'
  constructor() {
    super('no model is loaded yet')
  }
}

export class AuthRequiredError extends Error {
  readonly code = 'SPS_AUTH_REQUIRED'
  constructor() {
    super('this route needs an API key: send "Authorization: Bearer <key>"')
  }
}

export class AuthKeyInvalidError extends Error {
  readonly code = 'SPS_AUTH_KEY_INVALID'
  constructor() {
    super('the API key is not valid (unknown, mistyped or revoked)')
  }
}

export class AuthForbiddenError extends Error {
  readonly code = 'SPS_AUTH_FORBIDDEN'
  constructor(role: string, required: string) {
    super(`a ${role} key cannot do this: it needs the ${required} role`)
  }
}

export class RateLimitedError extends Error {
  readonly code = 'SPS_API_RATE_LIMITED'
  constructor(max: number, windowText: string) {
    super(`rate limit exceeded: at most ${max} requests per ${windowText}; retry later`)
  }
}

export class RetrainRunningError extends Error {
  readonly code = 'SPS_API_RETRAIN_RUNNING'
  constructor(jobId: string) {
    super(`a retraining is already running (job ${jobId}); wait for its decision`)
  }
}

export class RetrainUnavailableError extends Error {
  readonly code = 'SPS_API_RETRAIN_UNAVAILABLE'
  constructor() {
    super('retraining is not set up on this server: set SPORTSCAN_RETRAIN_SPLIT to the fixed split file')
  }
}

/**
 * The one table from error code to HTTP status. Domain codes (SPS_DATA_*, SPS_DB_*, ...) know no HTTP; this
 * is where they get one. Fastify's and @fastify/multipart's own codes become SPS codes first
 * (fastify-errors.ts), so a client never sees an FST_* code.
 */
export const STATUS_BY_CODE: Readonly<Record<string, number>> = Object.freeze({
  SPS_API_VALIDATION: 400,
  SPS_API_ROUTE_NOT_FOUND: 404,
  SPS_API_PREDICTION_NOT_FOUND: 404,
  SPS_API_FILE_MISSING: 400,
  SPS_API_FILE_EMPTY: 400,
  SPS_API_NOT_AN_IMAGE: 415,
  SPS_API_HEIC_UNSUPPORTED: 415,
  SPS_API_IMAGE_TOO_SMALL: 422,
  SPS_API_CORRECTION_NOT_LATEST: 409,
  SPS_API_DELETED_SCAN_NOT_FOUND: 404,
  SPS_API_RESTORE_CONFLICT: 409,
  SPS_API_CORRECTION_NOT_FOUND: 404,
  SPS_API_NOT_MULTIPART: 415,
  SPS_API_MULTIPART_MALFORMED: 400,
  SPS_API_UPLOAD_TOO_LARGE: 413,
  SPS_API_TOO_MANY_FILES: 400,
  SPS_API_FIELD_INVALID: 400,
  SPS_API_IDEMPOTENCY_KEY_REUSED: 409,
  SPS_API_CURSOR_INVALID: 400,
  SPS_API_IMAGE_NOT_KEPT: 404,
  SPS_API_MODEL_NOT_LOADED: 503,
  SPS_API_EXPLANATION_UNAVAILABLE: 404,
  SPS_API_MODEL_FILE_NOT_FOUND: 404,
  SPS_API_RATE_LIMITED: 429,
  SPS_API_RETRAIN_RUNNING: 409,
  SPS_API_RETRAIN_UNAVAILABLE: 409,
  SPS_API_INTERNAL: 500,
  SPS_AUTH_REQUIRED: 401,
  SPS_AUTH_KEY_INVALID: 401,
  SPS_AUTH_FORBIDDEN: 403,
  SPS_AUTH_ROLE_INVALID: 400,
  SPS_AUTH_KEY_NOT_FOUND: 404,
  SPS_DATA_IMAGE_UNDECODABLE: 400,
  SPS_DATA_IMAGE_TOO_LARGE: 400,
  SPS_DATA_IMAGE_FORMAT_UNSUPPORTED: 415,
  SPS_DATA_DATASET_NOT_FOUND: 404,
  SPS_DATA_VERSION_AMBIGUOUS: 400,
  SPS_DATA_SPLIT_ENTRIES_MISSING: 409,
  SPS_DB_UNAVAILABLE: 503,
  SPS_PIPELINE_NO_FEEDBACK: 409,
  SPS_PUTAWAY_SITE_INVALID: 400,
  SPS_PUTAWAY_BIN_INVALID: 400,
  SPS_PUTAWAY_BALL_TYPE_UNKNOWN: 400,
  SPS_PUTAWAY_CAPACITY_INVALID: 400,
  SPS_PUTAWAY_CSV_INVALID: 400,
  SPS_PUTAWAY_ASSIGNMENT_NOT_FOUND: 404,
  // A bin named in a confirmation that the site does not have: the request is wrong, not the URL.
  SPS_PUTAWAY_BIN_NOT_FOUND: 400,
  SPS_PUTAWAY_NO_BIN: 409,
  SPS_PUTAWAY_NOT_SHELVABLE: 409,
  SPS_MODEL_INPUT_INVALID: 400,
  SPS_REGISTRY_MODEL_NOT_FOUND: 404,
  SPS_REGISTRY_ALIAS_NOT_FOUND: 404,
  SPS_REGISTRY_INVALID_REF: 400,
  SPS_REGISTRY_INVALID_NAME: 400,
  SPS_REGISTRY_UNKNOWN_ALIAS: 400,
  SPS_API_MEDIA_TYPE_UNSUPPORTED: 415,
  SPS_API_BODY_TOO_LARGE: 413,
  SPS_API_BODY_INVALID: 400,
  SPS_API_HEADERS_TOO_LARGE: 431,
  SPS_API_REQUEST_TIMEOUT: 408,
  SPS_API_LEGACY_ID: 404,
})

/** Error codes of pg / Node sockets meaning "the server is not reachable", not "your query is wrong". */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08006',
])
const CONNECTION_MESSAGES =
  /timeout exceeded when trying to connect|connection terminated|connection.*(closed|ended)|pglite is closed|cannot use a pool after calling end|client has encountered a connection error/i

/** True when `err` (or one of its causes) says the database could not be reached. */
export function isDatabaseUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (code === 'SPS_DB_UNAVAILABLE') return true
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true
    if (CONNECTION_MESSAGES.test(e.message)) return true
    if (e instanceof AggregateError && e.errors.some((inner) => isDatabaseUnreachable(inner))) return true
  }
  return false
}

/** Maps any thrown value to the status and body the client sees. Unknown errors become a bare 500. */
export function toErrorReply(err: unknown): { status: number; body: ErrorBody } {
  if (isDatabaseUnreachable(err)) {
    return {
      status: 503,
      body: { code: 'SPS_DB_UNAVAILABLE', message: 'the database is not answering; retry shortly' },
    }
  }
  const fastifyErr = err as Partial<FastifyError> | undefined
  if (fastifyErr?.validation) {
    return {
      status: 400,
      body: {
        code: 'SPS_API_VALIDATION',
        message: describeValidation({ ...fastifyErr, message: fastifyErr.message ?? 'invalid request' }),
      },
    }
  }
  const rawCode = typeof fastifyErr?.code === 'string' ? fastifyErr.code : undefined
  const translated = rawCode === undefined ? undefined : FASTIFY_CODE_MAP[rawCode]
  if (translated !== undefined) {
    const message = translated.message ?? (err instanceof Error ? err.message : String(err))
    return { status: STATUS_BY_CODE[translated.code] ?? 400, body: { code: translated.code, message } }
  }
  const code = rawCode?.startsWith('SPS_') === true ? rawCode : undefined
  const mapped = code === undefined ? undefined : STATUS_BY_CODE[code]
  // Fastify's own client errors we did not list keep their status; everything else is our bug.
  const status =
    mapped ??
    (typeof fastifyErr?.statusCode === 'number' && fastifyErr.statusCode < 500 ? fastifyErr.statusCode : 500)
  if (status >= 500 && status !== 503) {
    return { status: 500, body: { code: 'SPS_API_INTERNAL', message: 'Internal Server Error' } }
  }
  return {
    status,
    body: { code: code ?? 'SPS_API_BAD_REQUEST', message: err instanceof Error ? err.message : String(err) },
  }
}

/** Fastify error handler: answers `{code, message}`; logs server errors with their stack, client ones briefly. */
export function handleError(err: Error, request: FastifyRequest, reply: FastifyReply): ErrorBody {
  const { status, body } = toErrorReply(asLegacyIdError(err, request) ?? err)
  if (status >= 500) request.log.error({ err, code: body.code }, 'request failed')
  else request.log.info({ code: body.code, status }, body.message)
  void reply.status(status)
  if (status === 503) void reply.header('retry-after', '2')
  return body
}

/** An integer id (the first API version's) in a UUID path parameter: a clear 404, not a schema error. */
function asLegacyIdError(err: Error, request: FastifyRequest): LegacyIdError | undefined {
  if ((err as Partial<FastifyError>).validationContext !== 'params') return undefined
  const params: unknown = request.params
  const id = typeof params === 'object' && params !== null && 'id' in params ? params.id : undefined
  return typeof id === 'string' && /^[0-9]{1,19}$/.test(id) ? new LegacyIdError(id) : undefined
}

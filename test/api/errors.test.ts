import { describe, expect, it } from 'vitest'
import * as apiErrors from '../../src/api/errors.js'
import { STATUS_BY_CODE, isDatabaseUnreachable, toErrorReply } from '../../src/api/errors.js'
import { ImageDecodeError, ImageTooLargeError } from '../../src/data/index.js'
import { DatabaseUnavailableError } from '../../src/db/index.js'

/** Every code the API can answer with, and its status: changing one is a breaking change for clients. */
const EXPECTED: Record<string, number> = {
  SPS_API_VALIDATION: 400,
  SPS_API_ROUTE_NOT_FOUND: 404,
  SPS_API_PREDICTION_NOT_FOUND: 404,
  SPS_API_FILE_MISSING: 400,
  SPS_API_FILE_EMPTY: 400,
  SPS_API_NOT_AN_IMAGE: 415,
  SPS_API_NOT_MULTIPART: 415,
  SPS_API_MULTIPART_MALFORMED: 400,
  SPS_API_UPLOAD_TOO_LARGE: 413,
  SPS_API_TOO_MANY_FILES: 413,
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
  SPS_MODEL_INPUT_INVALID: 400,
  SPS_REGISTRY_MODEL_NOT_FOUND: 404,
  SPS_REGISTRY_ALIAS_NOT_FOUND: 404,
  SPS_REGISTRY_INVALID_REF: 400,
  SPS_REGISTRY_INVALID_NAME: 400,
  SPS_REGISTRY_UNKNOWN_ALIAS: 400,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 415,
  FST_ERR_CTP_BODY_TOO_LARGE: 413,
  FST_ERR_CTP_EMPTY_JSON_BODY: 400,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 400,
  FST_REQ_FILE_TOO_LARGE: 413,
  FST_FILES_LIMIT: 413,
  FST_PARTS_LIMIT: 413,
  FST_FIELDS_LIMIT: 413,
  FST_PROTO_VIOLATION: 400,
  FST_INVALID_MULTIPART_CONTENT_TYPE: 415,
  FST_INVALID_JSON_FIELD_ERROR: 400,
  FST_MP_PREMATURE_CLOSE: 400,
}

describe('API error table', () => {
  it('lists every code with its status', () => {
    expect(STATUS_BY_CODE).toEqual(EXPECTED)
  })

  it('has an entry for the code of every error class in api/errors.ts', () => {
    const instances: Array<Error & { code: string }> = [
      new apiErrors.PredictionNotFoundError('id'),
      new apiErrors.RouteNotFoundError('GET', '/x'),
      new apiErrors.FileFieldMissingError(['img'], ['photo']),
      new apiErrors.EmptyUploadError('a.jpg'),
      new apiErrors.NotAnImageError('a.txt'),
      new apiErrors.NotMultipartError(),
      new apiErrors.MalformedMultipartError(new Error('Unexpected end of form')),
      new apiErrors.UploadTooLargeError(10),
      new apiErrors.TooManyFilesError(1),
      new apiErrors.FieldInvalidError('location', 'is too long'),
      new apiErrors.IdempotencyKeyReusedError(),
      new apiErrors.InvalidCursorError(),
      new apiErrors.ImageNotKeptError('id'),
      new apiErrors.ModelNotLoadedError(),
      new apiErrors.ExplanationUnavailableError('id', 'the photo was not kept'),
      new apiErrors.ModelFileNotFoundError('m@1', 'x.png'),
      new apiErrors.AuthRequiredError(),
      new apiErrors.AuthKeyInvalidError(),
      new apiErrors.AuthForbiddenError('scanner', 'admin'),
      new apiErrors.RateLimitedError(10, '1 minute'),
      new apiErrors.RetrainRunningError('job-1'),
      new apiErrors.RetrainUnavailableError(),
    ]
    const classCount = Object.values(apiErrors).filter(
      (v) => typeof v === 'function' && v.prototype instanceof Error,
    ).length
    // A new error class must be added above (and to the table).
    expect(instances).toHaveLength(classCount)
    for (const err of instances) {
      expect(STATUS_BY_CODE[err.code], err.code).toBeDefined()
      expect(toErrorReply(err)).toEqual({
        status: STATUS_BY_CODE[err.code],
        body: { code: err.code, message: err.message },
      })
    }
  })

  it('answers {code, message} with the mapped status for domain errors', () => {
    expect(toErrorReply(new ImageDecodeError('truncated'))).toEqual({
      status: 400,
      body: { code: 'SPS_DATA_IMAGE_UNDECODABLE', message: 'not a decodable image: truncated' },
    })
    expect(toErrorReply(new ImageTooLargeError(1e9, 1e6)).status).toBe(400)
    expect(toErrorReply(new apiErrors.PredictionNotFoundError('abc')).status).toBe(404)
  })

  it('hides the detail of unexpected errors behind "Internal Server Error"', () => {
    expect(toErrorReply(new Error('secret connection string postgres://u:p@h'))).toEqual({
      status: 500,
      body: { code: 'SPS_API_INTERNAL', message: 'Internal Server Error' },
    })
    expect(toErrorReply(Object.assign(new Error('boom'), { statusCode: 502 })).body.message).toBe(
      'Internal Server Error',
    )
  })

  it('maps every way of the database being unreachable to 503 SPS_DB_UNAVAILABLE', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })
    const cases: unknown[] = [
      new DatabaseUnavailableError(refused),
      new Error('Failed query: insert ...', { cause: refused }),
      new Error('timeout exceeded when trying to connect'),
      new Error('Connection terminated unexpectedly'),
      new Error('PGlite is closed'),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      new AggregateError([refused], ''),
    ]
    for (const err of cases) {
      expect(isDatabaseUnreachable(err)).toBe(true)
      expect(toErrorReply(err)).toEqual({
        status: 503,
        body: { code: 'SPS_DB_UNAVAILABLE', message: expect.any(String) },
      })
    }
    expect(isDatabaseUnreachable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false)
  })
})

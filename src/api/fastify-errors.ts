import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError } from 'fastify'

/**
 * Fastify's and @fastify/multipart's own error codes, as the SportScan code a client sees (its status comes
 * from STATUS_BY_CODE) and a message saying what to send instead. Clients only ever see `SPS_*` codes.
 */
export const FASTIFY_CODE_MAP: Readonly<Record<string, { code: string; message?: string }>> = Object.freeze({
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'SPS_API_MEDIA_TYPE_UNSUPPORTED',
    message:
      'this Content-Type is not accepted here: send JSON as application/json, and photos to /predict as multipart/form-data',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'SPS_API_BODY_TOO_LARGE',
    message:
      'the request body is larger than this route accepts; photos go to /predict as multipart/form-data',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'SPS_API_BODY_INVALID',
    message: 'the body is empty but announced as JSON: send a JSON object, or drop the Content-Type header',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'SPS_API_BODY_INVALID' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'SPS_API_BODY_INVALID',
    message: 'the body is not as long as its Content-Length header says',
  },
  FST_REQ_FILE_TOO_LARGE: { code: 'SPS_API_UPLOAD_TOO_LARGE' },
  FST_FILES_LIMIT: { code: 'SPS_API_TOO_MANY_FILES', message: 'too many files in one request' },
  FST_PARTS_LIMIT: { code: 'SPS_API_MULTIPART_MALFORMED', message: 'too many parts in the multipart body' },
  FST_FIELDS_LIMIT: { code: 'SPS_API_MULTIPART_MALFORMED', message: 'too many fields in the multipart body' },
  FST_PROTO_VIOLATION: { code: 'SPS_API_MULTIPART_MALFORMED' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    code: 'SPS_API_NOT_MULTIPART',
    message: 'send the photo as multipart/form-data',
  },
  FST_INVALID_JSON_FIELD_ERROR: { code: 'SPS_API_FIELD_INVALID' },
  FST_MP_PREMATURE_CLOSE: {
    code: 'SPS_API_MULTIPART_MALFORMED',
    message: 'the multipart body ended early: send the whole upload again',
  },
})

interface SchemaError {
  keyword: string
  instancePath: string
  message?: string
  params: Record<string, unknown>
}

const WHERE: Readonly<Record<string, string>> = {
  body: 'body field',
  querystring: 'query parameter',
  params: 'path parameter',
  headers: 'header',
}

function isSchemaError(value: unknown): value is SchemaError {
  return typeof value === 'object' && value !== null && 'keyword' in value && 'instancePath' in value
}

/**
 * A validation failure in words a person can act on: which field, and what it may be (the allowed values of
 * a union of literals, rather than Ajv's "must match a schema in anyOf").
 */
export function describeValidation(err: Pick<FastifyError, 'validation' | 'validationContext' | 'message'>) {
  const errors = (err.validation ?? []).filter(isSchemaError)
  const [first] = errors
  if (first === undefined) return err.message
  const where = WHERE[err.validationContext ?? ''] ?? 'field'
  if (first.keyword === 'required') return `${where} "${String(first.params['missingProperty'])}" is missing`
  if (first.keyword === 'additionalProperties') {
    return `${where} "${String(first.params['additionalProperty'])}" is not accepted here`
  }
  const field = first.instancePath.replace(/^\//, '').replace(/\//g, '.')
  const name = field === '' ? (err.validationContext ?? 'request') : `${where} "${field}"`
  const samePath = errors.filter((e) => e.instancePath === first.instancePath)
  const allowed = samePath.flatMap((e) => {
    if (e.keyword === 'const') return [e.params['allowedValue']]
    if (e.keyword === 'enum' && Array.isArray(e.params['allowedValues'])) return e.params['allowedValues']
    return []
  })
  if (allowed.length > 0) return `${name} must be one of: ${allowed.map(String).join(', ')}`
  const format = samePath.find((e) => e.keyword === 'format')?.params['format']
  if (format === 'uuid') return `${name} must be a UUID, e.g. 0b9f7c1e-3d7a-4c61-9d64-6f1f1b3f4a10`
  if (format === 'date' || format === 'date-time') {
    return `${name} must be a date (2026-01-31) or a date-time (2026-01-31T12:00:00Z)`
  }
  const specific = samePath.find((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf') ?? first
  return `${name} ${specific.message ?? 'is not valid'}`
}

/**
 * Answers errors Node's HTTP parser raises before Fastify sees a request (headers too large, a timeout,
 * garbage) in the same `{code, message}` shape as every other error.
 */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'SPS_API_HEADERS_TOO_LARGE', 'the request headers are too large: send fewer or shorter headers']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [
            408,
            'SPS_API_REQUEST_TIMEOUT',
            'the request took too long to arrive: retry on a faster connection',
          ]
        : [400, 'SPS_API_BAD_REQUEST', 'the request is not valid HTTP']
  const body = JSON.stringify({ code, message })
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(err)
}

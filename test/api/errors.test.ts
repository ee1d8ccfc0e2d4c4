import { describe, expect, it } from 'vitest'
import * as apiErrors from '../../src/api/errors.js'
import { isDatabaseUnreachable, toErrorReply } from '../../src/api/errors.js'
import { ImageDecodeError, ImageTooLargeError } from '../../src/data/index.js'
import { DatabaseUnavailableError } from '../../src/db/index.js'

describe('API error replies', () => {
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

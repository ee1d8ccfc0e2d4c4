import { describe, expect, it } from 'vitest'
import { ApiError, describeError, NetworkError, ResponseShapeError } from '../../src/web/src/lib/errors.js'

describe('dashboard errors', () => {
  it('carry stable SPS_WEB_* codes for the failures the dashboard itself detects', () => {
    expect(new NetworkError(new TypeError('fetch failed')).code).toBe('SPS_WEB_NETWORK')
    expect(new ResponseShapeError('history page', '"items" is not a list').code).toBe('SPS_WEB_BAD_RESPONSE')
  })

  it('keep the cause of a network failure for debugging', () => {
    const cause = new TypeError('fetch failed')
    expect(new NetworkError(cause).cause).toBe(cause)
  })

  it('describe every dashboard error in its own words and anything else generically', () => {
    expect(describeError(new ApiError(415, 'SPS_API_NOT_AN_IMAGE', '"a.txt" is not an image'))).toBe(
      '"a.txt" is not an image',
    )
    expect(describeError(new ResponseShapeError('stats', '"total" is not a number'))).toBe(
      'Unexpected stats from the server: "total" is not a number',
    )
    expect(describeError(new Error('secret stack detail'))).toBe('Something went wrong. Please try again.')
    expect(describeError('a string')).toBe('Something went wrong. Please try again.')
  })
})

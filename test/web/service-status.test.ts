import { describe, expect, it } from 'vitest'
import { ResponseShapeError } from '../../src/web/src/lib/errors.js'
import { decodeServiceStatus } from '../../src/web/src/lib/service-status.js'

describe('decodeServiceStatus', () => {
  it('reads which model the server answers with', () => {
    expect(decodeServiceStatus({ status: 'ok', model_loaded: true, model: 'm@2', version: '0.1.0' })).toEqual(
      {
        isModelLoaded: true,
        model: 'm@2',
        version: '0.1.0',
      },
    )
  })

  it('reports no model when the server has none loaded', () => {
    expect(decodeServiceStatus({ status: 'ok', model_loaded: false, model: null, version: '0.1.0' })).toEqual(
      {
        isModelLoaded: false,
        model: null,
        version: '0.1.0',
      },
    )
  })

  it('rejects a model name that is not text', () => {
    expect(() => decodeServiceStatus({ model_loaded: true, model: 3 })).toThrow(ResponseShapeError)
  })
})

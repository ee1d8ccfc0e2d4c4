import { describe, expect, it } from 'vitest'
import { fillPath, readCapabilities } from '../../src/web/src/lib/capabilities.js'

describe('readCapabilities', () => {
  it('finds the optional routes in an OpenAPI document', () => {
    const caps = readCapabilities({
      openapi: '3.0.3',
      paths: {
        '/predict': { post: {} },
        '/predictions/{id}/explain': { get: {} },
        '/predictions/{id}/image': { get: {}, head: {} },
        '/models/{name}/{version}/promote': { post: {} },
      },
    })
    expect(caps).toEqual({
      explainPath: '/predictions/{id}/explain',
      imagePath: '/predictions/{id}/image',
      promote: { method: 'POST', path: '/models/{name}/{version}/promote', bodyKeys: [] },
    })
  })

  it('reads the body properties of an alias route, so only documented fields are sent', () => {
    const caps = readCapabilities({
      paths: {
        '/models/{name}/aliases/{alias}': {
          put: {
            requestBody: {
              content: { 'application/json': { schema: { type: 'object', properties: { version: {} } } } },
            },
          },
        },
      },
    })
    expect(caps.promote).toEqual({
      method: 'PUT',
      path: '/models/{name}/aliases/{alias}',
      bodyKeys: ['version'],
    })
  })

  it('accepts Fastify-style :params and ignores routes with the wrong method', () => {
    const caps = readCapabilities({
      paths: { '/predictions/:id/explain': { GET: {} }, '/models/promote': { get: {} } },
    })
    expect(caps.explainPath).toBe('/predictions/{id}/explain')
    expect(caps.promote).toBeNull()
  })

  it('offers nothing for a missing or malformed document', () => {
    expect(readCapabilities(null)).toEqual({ explainPath: null, imagePath: null, promote: null })
    expect(readCapabilities({ paths: [] }).imagePath).toBeNull()
  })
})

describe('fillPath', () => {
  it('fills and encodes placeholders', () => {
    expect(fillPath('/models/{name}/{version}/promote', { name: 'a b', version: '2' })).toBe(
      '/models/a%20b/2/promote',
    )
  })

  it('answers null when a placeholder has no value', () => {
    expect(fillPath('/models/{modelId}/promote', { name: 'x' })).toBeNull()
  })
})

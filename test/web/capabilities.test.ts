import { describe, expect, it } from 'vitest'
import { ResponseShapeError } from '../../src/web/src/lib/errors.js'
import { decodeCapabilities, fillPath, isAllowed } from '../../src/web/src/lib/capabilities.js'

describe('decodeCapabilities', () => {
  const answer = {
    store_images: false,
    auth: 'off',
    role: 'admin',
    min_image_side_px: 32,
    max_upload_bytes: 10,
    batch_limit: 2,
  }

  it('offers no photo route when the server keeps no photos, so no thumbnail is ever asked for', () => {
    expect(decodeCapabilities(answer).imagePath).toBeNull()
    expect(decodeCapabilities({ ...answer, store_images: true }).imagePath).toBe('/predictions/{id}/image')
  })

  it('reads the caller role and what it allows', () => {
    const viewer = decodeCapabilities({ ...answer, role: 'viewer' })
    expect([isAllowed(viewer, 'viewer'), isAllowed(viewer, 'reviewer')]).toEqual([true, false])
    const admin = decodeCapabilities(answer)
    expect([isAllowed(admin, 'reviewer'), isAllowed(admin, 'admin')]).toEqual([true, true])
    const anonymous = decodeCapabilities({ ...answer, auth: 'required', role: null })
    expect(isAllowed(anonymous, 'viewer')).toBe(false)
    expect(anonymous.minImageSidePx).toBe(32)
  })

  it('refuses a role it does not know', () => {
    expect(() => decodeCapabilities({ ...answer, role: 'owner' })).toThrow(ResponseShapeError)
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

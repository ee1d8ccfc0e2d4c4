import sharp from 'sharp'
import { createApiKey } from '../../src/auth/index.js'
import { describe, expect, test, testDrivers, type TestApp } from '../fixtures.js'
import { colourImage, postMultipart, storedCount } from './api-harness.js'

interface Item {
  id: string
  predicted_label: string
  corrected_label: string | null
  is_flagged: boolean
}

async function scan(app: TestApp, n: number): Promise<Item> {
  const res = await postMultipart(app, [
    { name: 'img', filename: `${n}.png`, value: await colourImage(n) },
    { name: 'location', value: 'Bay 1' },
  ])
  expect(res.statusCode).toBe(200)
  return res.json<Item>()
}

async function stockOf(app: TestApp, label: string): Promise<number> {
  const res = await app.inject({ method: 'GET', url: '/stock' })
  const items = res.json<{ items: Array<{ label: string; count: number }> }>().items
  return items.filter((i) => i.label === label).reduce((sum, i) => sum + i.count, 0)
}

const otherLabel = (label: string) => (label === 'golf_ball' ? 'baseball' : 'golf_ball')

describe.each(testDrivers)('fixing a scan and undoing it (%s)', (driver) => {
  test.override({ driver, appOptions: { serving: { threshold: 0 } } })

  test('a correction moves stock; undoing it moves stock back and restores the flag', async ({ app }) => {
    const item = await scan(app, 1)
    expect(item.is_flagged).toBe(false)
    const right = otherLabel(item.predicted_label)
    expect((await app.inject({ method: 'POST', url: `/predictions/${item.id}/flag` })).statusCode).toBe(200)
    const corrected = await app.inject({
      method: 'POST',
      url: `/predictions/${item.id}/correction`,
      payload: { label: right },
    })
    expect(corrected.statusCode).toBe(201)
    expect([await stockOf(app, item.predicted_label), await stockOf(app, right)]).toEqual([0, 1])
    const correctionId = corrected.json<{ id: number }>().id

    const undone = await app.inject({
      method: 'DELETE',
      url: `/predictions/${item.id}/corrections/${correctionId}?was_flagged=true`,
    })
    expect(undone.statusCode).toBe(200)
    expect([await stockOf(app, item.predicted_label), await stockOf(app, right)]).toEqual([1, 0])
    const shown = (await app.inject({ method: 'GET', url: `/predictions/${item.id}` })).json<Item>()
    expect(shown).toMatchObject({ corrected_label: null, is_flagged: true })
  })

  test('only the latest correction can be undone (409), an unknown one is 404', async ({ app }) => {
    const item = await scan(app, 2)
    const ids: number[] = []
    for (const label of ['baseball', 'golf_ball']) {
      const res = await app.inject({
        method: 'POST',
        url: `/predictions/${item.id}/correction`,
        payload: { label },
      })
      ids.push(res.json<{ id: number }>().id)
    }
    const older = await app.inject({ method: 'DELETE', url: `/predictions/${item.id}/corrections/${ids[0]}` })
    expect(older.statusCode).toBe(409)
    expect(older.json()).toEqual({ code: 'SPS_API_CORRECTION_NOT_LATEST', message: expect.any(String) })
    const unknown = await app.inject({ method: 'DELETE', url: `/predictions/${item.id}/corrections/999999` })
    expect(unknown.json<{ code: string }>().code).toBe('SPS_API_CORRECTION_NOT_FOUND')
    const noScan = await app.inject({
      method: 'DELETE',
      url: '/predictions/0b9f7c1e-3d7a-4c61-9d64-6f1f1b3f4a10/corrections/1',
    })
    expect(noScan.statusCode).toBe(404)
    expect(noScan.json<{ code: string }>().code).toBe('SPS_API_PREDICTION_NOT_FOUND')
  })

  test('a flag can be taken off again, which leaves the review queue', async ({ app }) => {
    const item = await scan(app, 3)
    await app.inject({ method: 'POST', url: `/predictions/${item.id}/flag` })
    const queued = async () =>
      (await app.inject({ method: 'GET', url: '/review' })).json<{ items: Item[] }>().items.map((i) => i.id)
    expect(await queued()).toContain(item.id)
    const res = await app.inject({ method: 'DELETE', url: `/predictions/${item.id}/flag` })
    expect(res.json()).toEqual({ id: item.id, is_flagged: false })
    expect(await queued()).not.toContain(item.id)
  })
})

describe.each(testDrivers)('GET /capabilities (%s)', (driver) => {
  test.override({ driver })

  test('says photos are not kept by default, and an open server grants admin', async ({ app }) => {
    const res = await app.inject({ method: 'GET', url: '/capabilities' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ store_images: false, role: 'admin', min_image_side_px: 32 })
  })

  test('reports the role of the key sent, and null without one, when auth is required', async ({
    makeApp,
  }) => {
    const app = await makeApp({ env: { SPORTSCAN_AUTH: 'required', STORE_IMAGES: '1' } })
    const { key } = await createApiKey(app.db.db, { name: 'worker', role: 'reviewer' })
    const anonymous = await app.inject({ method: 'GET', url: '/capabilities' })
    expect(anonymous.json()).toMatchObject({ store_images: true, auth: 'required', role: null })
    const signedIn = await app.inject({
      method: 'GET',
      url: '/capabilities',
      headers: { authorization: `Bearer ${key}` },
    })
    expect(signedIn.json<{ role: string }>().role).toBe('reviewer')
    // A wrong key is not refused here (public), it just grants nothing.
    const wrong = await app.inject({
      method: 'GET',
      url: '/capabilities',
      headers: { authorization: 'Bearer sk_wrong_0000000000000000' },
    })
    expect(wrong.statusCode).toBe(200)
    expect(wrong.json<{ role: null }>().role).toBeNull()
  })
})

describe.each(testDrivers)('photos the model cannot answer for (%s)', (driver) => {
  test.override({ driver })

  test('a 1x1 (or 31 px) photo -> 422 SPS_API_IMAGE_TOO_SMALL naming the minimum; nothing stored', async ({
    app,
  }) => {
    for (const [width, height] of [
      [1, 1],
      [400, 31],
    ] as const) {
      const png = await sharp({ create: { width, height, channels: 3, background: '#e2711d' } })
        .png()
        .toBuffer()
      const res = await postMultipart(app, [{ name: 'img', filename: 'dot.png', value: png }])
      expect(res.statusCode).toBe(422)
      expect(res.json()).toEqual({
        code: 'SPS_API_IMAGE_TOO_SMALL',
        message: `"dot.png" is ${width}x${height} pixels, too small to recognise a ball: send a photo at least 32x32 pixels`,
      })
    }
    expect(await storedCount(app)).toBe(0)
  })

  test('a HEIC photo -> 415 SPS_API_HEIC_UNSUPPORTED that names HEIC and what to send', async ({ app }) => {
    // An AVIF container relabelled as HEVC-coded HEIF: the brands a phone's HEIC carries.
    const heic = Buffer.from(
      await sharp({ create: { width: 64, height: 64, channels: 3, background: 'red' } })
        .avif()
        .toBuffer(),
    )
    for (const [from, to] of [
      ['avif', 'heic'],
      ['av01', 'hvc1'],
      ['av1C', 'hvcC'],
    ] as const) {
      for (let i = heic.indexOf(from); i >= 0; i = heic.indexOf(from)) heic.write(to, i, 'latin1')
    }
    const res = await postMultipart(app, [
      { name: 'img', filename: 'IMG_0001.HEIC', contentType: 'image/heic', value: heic },
    ])
    expect(res.statusCode).toBe(415)
    const body = res.json<{ code: string; message: string }>()
    expect(body.code).toBe('SPS_API_HEIC_UNSUPPORTED')
    expect(body.message).toMatch(/HEIC.*send JPEG, PNG, WebP or AVIF/)
    // The generic 415 no longer claims HEIF is accepted.
    const text = await postMultipart(app, [{ name: 'img', filename: 'a.txt', value: 'hello' }])
    expect(text.json<{ message: string }>().message).not.toMatch(/HEIF|HEIC/)
    expect(await storedCount(app)).toBe(0)
  })

  test('an AVIF photo is still accepted', async ({ app }) => {
    const avif = await sharp({ create: { width: 64, height: 64, channels: 3, background: 'red' } })
      .avif()
      .toBuffer()
    const res = await postMultipart(app, [{ name: 'img', filename: 'a.avif', value: avif }])
    expect(res.statusCode).toBe(200)
  })
})

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

describe.each(testDrivers)('deleting a scan and undoing it (%s)', (driver) => {
  test.override({ driver, appOptions: { serving: { threshold: 0 } } })

  test('a delete takes the scan out of stock and History; restore brings it back whole', async ({ app }) => {
    const kept = await scan(app, 2)
    const item = await scan(app, 3)
    const right = otherLabel(item.predicted_label)
    const corrected = await app.inject({
      method: 'POST',
      url: `/predictions/${item.id}/correction`,
      payload: { label: right },
    })
    expect(corrected.statusCode).toBe(201)
    for (const label of [item.predicted_label, right]) {
      await app.inject({ method: 'PUT', url: `/bins/main/${label}`, payload: { bin: 'Z9' } })
    }
    const shelved = await app.inject({
      method: 'POST',
      url: `/predictions/${item.id}/put-away`,
      payload: { bin: 'Z9' },
    })
    expect(shelved.statusCode, shelved.body).toBe(201)
    const before = (await app.inject({ method: 'GET', url: `/predictions/${item.id}` })).json<Item>()
    const stockBefore = await stockOf(app, right)

    const deleted = await app.inject({ method: 'DELETE', url: `/predictions/${item.id}` })
    expect(deleted.statusCode, deleted.body).toBe(200)
    expect(deleted.json()).toEqual({
      deleted: true,
      id: item.id,
      restore_url: `/predictions/${item.id}/restore`,
    })
    expect((await app.inject({ method: 'GET', url: `/predictions/${item.id}` })).statusCode).toBe(404)
    expect(await stockOf(app, right)).toBe(stockBefore - 1)
    expect(await storedCount(app)).toBe(1)

    const restored = await app.inject({ method: 'POST', url: `/predictions/${item.id}/restore` })
    expect(restored.statusCode, restored.body).toBe(200)
    expect(restored.json()).toEqual({ restored: true, id: item.id })
    const after = (await app.inject({ method: 'GET', url: `/predictions/${item.id}` })).json<Item>()
    // Same id, time, label, correction and put-away as before the delete.
    expect(after).toEqual(before)
    expect(await stockOf(app, right)).toBe(stockBefore)
    expect(await storedCount(app)).toBe(2)
    // The correction is the same one: it can still be undone by its id.
    const undone = await app.inject({
      method: 'DELETE',
      url: `/predictions/${item.id}/corrections/${corrected.json<{ id: number }>().id}`,
    })
    expect(undone.statusCode).toBe(200)
    expect(after).toMatchObject({ put_away: { bin: 'Z9' } })
    // Nothing else was touched.
    expect((await app.inject({ method: 'GET', url: `/predictions/${kept.id}` })).json<Item>()).toMatchObject({
      id: kept.id,
    })
  })

  test('restore of a scan never deleted, or restored already, is 404; deleting twice is 404', async ({
    app,
  }) => {
    const item = await scan(app, 4)
    const never = await app.inject({ method: 'POST', url: `/predictions/${item.id}/restore` })
    expect(never.statusCode).toBe(404)
    expect(never.json()).toEqual({
      code: 'SPS_API_DELETED_SCAN_NOT_FOUND',
      message: expect.stringContaining('30 days'),
    })
    expect((await app.inject({ method: 'DELETE', url: `/predictions/${item.id}` })).statusCode).toBe(200)
    const twice = await app.inject({ method: 'DELETE', url: `/predictions/${item.id}` })
    expect(twice.json<{ code: string }>().code).toBe('SPS_API_PREDICTION_NOT_FOUND')
    expect((await app.inject({ method: 'POST', url: `/predictions/${item.id}/restore` })).statusCode).toBe(
      200,
    )
    const again = await app.inject({ method: 'POST', url: `/predictions/${item.id}/restore` })
    expect(again.json<{ code: string }>().code).toBe('SPS_API_DELETED_SCAN_NOT_FOUND')
    expect(await storedCount(app)).toBe(1)
  })

  test('a scan that reused the idempotency key meanwhile blocks the restore (409), losing nothing', async ({
    app,
  }) => {
    const send = async () =>
      postMultipart(app, [{ name: 'img', filename: '5.png', value: await colourImage(5) }], {
        'idempotency-key': 'k-5',
      })
    const first = (await send()).json<Item>()
    expect((await app.inject({ method: 'DELETE', url: `/predictions/${first.id}` })).statusCode).toBe(200)
    const second = (await send()).json<Item>()
    expect(second.id).not.toBe(first.id)
    const blocked = await app.inject({ method: 'POST', url: `/predictions/${first.id}/restore` })
    expect(blocked.statusCode).toBe(409)
    expect(blocked.json<{ code: string }>().code).toBe('SPS_API_RESTORE_CONFLICT')
    expect(await storedCount(app)).toBe(1)
    // Once the newer scan is gone, the first one can come back.
    expect((await app.inject({ method: 'DELETE', url: `/predictions/${second.id}` })).statusCode).toBe(200)
    expect((await app.inject({ method: 'POST', url: `/predictions/${first.id}/restore` })).statusCode).toBe(
      200,
    )
    expect((await app.inject({ method: 'GET', url: `/predictions/${first.id}` })).statusCode).toBe(200)
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

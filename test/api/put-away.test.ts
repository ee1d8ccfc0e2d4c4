import { createApiKey } from '../../src/auth/index.js'
import { describe, expect, test, testDrivers, type TestApp } from '../fixtures.js'
import { colourImage, postMultipart } from './api-harness.js'

interface ScanAnswer {
  id: string
  predicted_label: string
  status: 'counted' | 'needs_review'
  site: string | null
  bin: string | null
  bin_reason: string | null
  put_away: { bin: string; outcome: string; expected_bin: string | null } | null
}

interface BinStock {
  site: string | null
  bin: string | null
  capacity: number | null
  count: number
  shelved: number
  is_over_capacity: boolean
  per_label: Record<string, number>
}

async function scanPhoto(app: TestApp, n: number, fields: Record<string, string> = {}): Promise<ScanAnswer> {
  const res = await postMultipart(app, [
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: 'img', filename: `ball-${n}.png`, value: await colourImage(n) },
  ])
  expect(res.statusCode, res.body).toBe(200)
  return res.json<ScanAnswer>()
}

/** Assigns both of the tiny model's ball types to bins at `site`. */
async function assignBoth(app: TestApp, site = 'main', capacity: number | null = null): Promise<void> {
  for (const [label, bin] of [
    ['basketball', 'A3-B'],
    ['tennis_ball', 'T1'],
  ] as const) {
    const res = await app.inject({ method: 'PUT', url: `/bins/${site}/${label}`, payload: { bin, capacity } })
    expect(res.statusCode).toBe(200)
  }
}

const binOf = (label: string) => (label === 'basketball' ? 'A3-B' : 'T1')

function putAway(app: TestApp, id: string, payload: Record<string, unknown> = {}) {
  return app.inject({ method: 'POST', url: `/predictions/${id}/put-away`, payload })
}

async function stockByBin(app: TestApp, query = ''): Promise<BinStock[]> {
  const res = await app.inject({ method: 'GET', url: `/stock?group_by=bin${query}` })
  expect(res.statusCode).toBe(200)
  return res.json<{ bins: BinStock[] }>().bins
}

describe.each(testDrivers)('put-away answers (%s)', (driver) => {
  // Threshold 0: every scan counts, so each one has a bin to name.
  test.override({ driver, appOptions: { serving: { threshold: 0 } } })

  test('a scan answers its site and the bin its ball type is assigned to there', async ({ app }) => {
    await assignBoth(app)
    const answer = await scanPhoto(app, 3)
    expect(answer).toMatchObject({
      status: 'counted',
      site: 'main',
      bin: binOf(answer.predicted_label),
      bin_reason: null,
      put_away: null,
    })
    // The stored scan answers the same, and lists its confirmations (none yet).
    const stored = await app.inject({ method: 'GET', url: `/predictions/${answer.id}` })
    expect(stored.json()).toMatchObject({ bin: answer.bin, site: 'main', put_aways: [] })
  })

  test('with no assignment the answer says so instead of inventing a bin', async ({ app }) => {
    const answer = await scanPhoto(app, 4)
    expect(answer).toMatchObject({ site: 'main', bin: null, bin_reason: 'no_assignment' })
  })

  test('a scan names its site; another site answers from its own bins', async ({ app }) => {
    await assignBoth(app, 'main')
    await app.inject({ method: 'PUT', url: '/bins/shop/basketball', payload: { bin: 'S1' } })
    await app.inject({ method: 'PUT', url: '/bins/shop/tennis_ball', payload: { bin: 'S2' } })
    const answer = await scanPhoto(app, 5, { site: 'shop' })
    expect(answer.site).toBe('shop')
    expect(answer.bin).toBe(answer.predicted_label === 'basketball' ? 'S1' : 'S2')
  })

  test('a bad site name is refused with a clear error and nothing is stored', async ({ app }) => {
    const res = await postMultipart(app, [
      { name: 'site', value: 'no such site!' },
      { name: 'img', filename: 'a.png', value: await colourImage(6) },
    ])
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ code: 'SPS_PUTAWAY_SITE_INVALID', message: expect.stringMatching(/site/) })
    const history = await app.inject({ method: 'GET', url: '/history' })
    expect(history.json()).toMatchObject({ total: 0 })
  })

  test('the batch answers a bin per stored file', async ({ app }) => {
    await assignBoth(app)
    const res = await postMultipart(
      app,
      [
        { name: 'files', filename: 'a.png', value: await colourImage(7) },
        { name: 'files', filename: 'b.png', value: await colourImage(8) },
        { name: 'files', filename: 'c.txt', value: 'not an image' },
      ],
      {},
      '/predict/batch',
    )
    expect(res.statusCode).toBe(200)
    const { results } = res.json<{ results: Array<{ prediction: ScanAnswer | null }> }>()
    for (const r of results.slice(0, 2)) {
      expect(r.prediction?.bin).toBe(binOf(r.prediction?.predicted_label ?? ''))
    }
    expect(results[2]?.prediction).toBeNull()
  })

  test('the OpenAPI schema of POST /predict documents site, bin and bin_reason', async ({ app }) => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).body
    const predict = JSON.stringify(JSON.parse(doc).paths['/predict'].post)
    for (const field of ['"site"', '"bin"', '"bin_reason"', '"put_away"', 'no_assignment', 'needs_review']) {
      expect(predict).toContain(field)
    }
  })

  test('the first API version’s list keeps its shape', async ({ app }) => {
    await assignBoth(app)
    await scanPhoto(app, 9)
    const res = await app.inject({ method: 'GET', url: '/predictions' })
    const [item] = res.json<{ predictions: Array<Record<string, unknown>> }>().predictions
    expect(Object.keys(item ?? {}).sort()).toEqual([
      'all_scores',
      'confidence',
      'created_at',
      'filename',
      'id',
      'predicted_label',
    ])
  })
})

describe.each(testDrivers)('put-away of uncertain scans (%s)', (driver) => {
  // Threshold 1: every scan needs review.
  test.override({ driver, appOptions: { serving: { threshold: 1 } } })

  test('a scan that needs review answers no bin and says why; a correction gives it one', async ({ app }) => {
    await assignBoth(app)
    const answer = await scanPhoto(app, 3)
    expect(answer).toMatchObject({ status: 'needs_review', bin: null, bin_reason: 'needs_review' })
    const refused = await putAway(app, answer.id)
    expect(refused.statusCode).toBe(409)
    expect(refused.json()).toMatchObject({ code: 'SPS_PUTAWAY_NOT_SHELVABLE', message: /needs review/ })

    await app.inject({
      method: 'POST',
      url: `/predictions/${answer.id}/correction`,
      payload: { label: 'tennis_ball' },
    })
    const corrected = await app.inject({ method: 'GET', url: `/predictions/${answer.id}` })
    expect(corrected.json()).toMatchObject({ bin: 'T1', bin_reason: null })
    expect((await putAway(app, answer.id)).statusCode).toBe(201)

    await app.inject({
      method: 'POST',
      url: `/predictions/${answer.id}/correction`,
      payload: { label: 'not_a_ball' },
    })
    const notABall = await app.inject({ method: 'GET', url: `/predictions/${answer.id}` })
    expect(notABall.json()).toMatchObject({ bin: null, bin_reason: 'not_a_ball' })
  })
})

describe.each(testDrivers)('put-away confirmations and stock per bin (%s)', (driver) => {
  test.override({ driver, appOptions: { serving: { threshold: 0 } } })

  test('confirms shelved or shelved elsewhere; History shows it and the bin counts follow', async ({
    app,
  }) => {
    await assignBoth(app)
    const first = await scanPhoto(app, 3)
    const second = await scanPhoto(app, 3)
    const bin = binOf(first.predicted_label)
    const other = bin === 'T1' ? 'A3-B' : 'T1'

    const shelved = await putAway(app, first.id)
    expect(shelved.statusCode).toBe(201)
    expect(shelved.json()).toMatchObject({ bin, expected_bin: bin, outcome: 'shelved', site: 'main' })
    const elsewhere = await putAway(app, second.id, { bin: other })
    expect(elsewhere.json()).toMatchObject({ bin: other, expected_bin: bin, outcome: 'shelved_elsewhere' })

    const history = await app.inject({ method: 'GET', url: '/history' })
    const items = history.json<{ items: ScanAnswer[] }>().items
    expect(items.find((i) => i.id === first.id)?.put_away).toMatchObject({ bin, outcome: 'shelved' })
    expect(items.find((i) => i.id === second.id)?.put_away).toMatchObject({
      bin: other,
      outcome: 'shelved_elsewhere',
    })
    const stock = await stockByBin(app)
    expect(stock.find((b) => b.bin === bin)).toMatchObject({ count: 1, shelved: 1 })
    expect(stock.find((b) => b.bin === other)).toMatchObject({ count: 1, shelved: 1 })
  })

  test('refuses a bin the site does not have, a scan with no bin to confirm, and an unknown scan', async ({
    app,
  }) => {
    const unassigned = await scanPhoto(app, 4)
    const noBin = await putAway(app, unassigned.id)
    expect(noBin.statusCode).toBe(409)
    expect(noBin.json()).toMatchObject({ code: 'SPS_PUTAWAY_NO_BIN' })
    await assignBoth(app)
    const unknownBin = await putAway(app, unassigned.id, { bin: 'Z9' })
    expect(unknownBin.statusCode).toBe(400)
    expect(unknownBin.json()).toMatchObject({ code: 'SPS_PUTAWAY_BIN_NOT_FOUND', message: /"Z9"/ })
    const badLabel = await putAway(app, unassigned.id, { bin: 'a b' })
    expect(badLabel.json()).toMatchObject({ code: 'SPS_API_VALIDATION' })
    const missing = await putAway(app, '00000000-0000-4000-8000-000000000000')
    expect(missing.statusCode).toBe(404)
    const stored = await app.inject({ method: 'GET', url: `/predictions/${unassigned.id}` })
    expect(stored.json()).toMatchObject({ put_aways: [], put_away: null })
  })

  test('flags a bin over capacity, lists empty bins and the scans with no bin', async ({ app }) => {
    await assignBoth(app, 'main', 1)
    const scans = [await scanPhoto(app, 3), await scanPhoto(app, 3)]
    const full = binOf(scans[0]?.predicted_label ?? '')
    const empty = full === 'T1' ? 'A3-B' : 'T1'
    // A scan at a site without bins lands in the "no bin" line.
    await scanPhoto(app, 3, { site: 'annex' })
    const stock = await stockByBin(app)
    expect(stock).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ site: 'main', bin: full, capacity: 1, count: 2, is_over_capacity: true }),
        expect.objectContaining({ site: 'main', bin: empty, capacity: 1, count: 0, is_over_capacity: false }),
        expect.objectContaining({ site: 'annex', bin: null, count: 1, is_over_capacity: false }),
      ]),
    )
    expect(await stockByBin(app, '&site=annex')).toHaveLength(1)
    // The default grouping keeps its shape for old clients.
    const byLocation = await app.inject({ method: 'GET', url: '/stock' })
    expect(Object.keys(byLocation.json<object>()).sort()).toEqual(['items', 'per_label', 'total'])
  })

  test('a correction moves a scan to its new type’s bin, even after it was confirmed shelved', async ({
    app,
  }) => {
    await assignBoth(app)
    const answer = await scanPhoto(app, 3)
    const from = binOf(answer.predicted_label)
    const to = from === 'T1' ? 'A3-B' : 'T1'
    const newLabel = answer.predicted_label === 'basketball' ? 'tennis_ball' : 'basketball'
    await putAway(app, answer.id)
    expect((await stockByBin(app)).find((b) => b.bin === from)).toMatchObject({ count: 1, shelved: 1 })
    await app.inject({
      method: 'POST',
      url: `/predictions/${answer.id}/correction`,
      payload: { label: newLabel },
    })
    const stock = await stockByBin(app)
    expect(stock.find((b) => b.bin === from)).toMatchObject({ count: 0, shelved: 0 })
    expect(stock.find((b) => b.bin === to)).toMatchObject({
      count: 1,
      shelved: 0,
      per_label: { [newLabel]: 1 },
    })
    // Confirming again after the correction counts it as shelved in its new bin.
    await putAway(app, answer.id)
    expect((await stockByBin(app)).find((b) => b.bin === to)).toMatchObject({ count: 1, shelved: 1 })
  })
})

describe('put-away confirmations with auth on', () => {
  test.override({ appOptions: { env: { SPORTSCAN_AUTH: 'required' }, serving: { threshold: 0 } } })

  test('the scanning key confirms and is recorded; a viewer key may not confirm', async ({
    app,
    database,
  }) => {
    const db = database.handle.db
    const admin = { authorization: `Bearer ${(await createApiKey(db, { name: 'boss', role: 'admin' })).key}` }
    const scanner = {
      authorization: `Bearer ${(await createApiKey(db, { name: 'belt-3', role: 'scanner' })).key}`,
    }
    const viewer = {
      authorization: `Bearer ${(await createApiKey(db, { name: 'wall', role: 'viewer' })).key}`,
    }
    for (const [label, bin] of [
      ['basketball', 'A3-B'],
      ['tennis_ball', 'T1'],
    ]) {
      await app.inject({ method: 'PUT', url: `/bins/main/${label}`, payload: { bin }, headers: admin })
    }
    const res = await postMultipart(
      app,
      [{ name: 'img', filename: 'a.png', value: await colourImage(3) }],
      scanner,
    )
    const { id, bin } = res.json<ScanAnswer>()
    const url = `/predictions/${id}/put-away`
    const refused = await app.inject({ method: 'POST', url, payload: {}, headers: viewer })
    expect(refused.statusCode).toBe(403)
    const confirmed = await app.inject({ method: 'POST', url, payload: {}, headers: scanner })
    expect(confirmed.json()).toMatchObject({ bin, outcome: 'shelved', confirmed_by: 'belt-3' })
  })
})

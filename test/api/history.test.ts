import { mkdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, test, testDrivers, type TestApp } from '../fixtures.js'
import { colourImage, multipart, postMultipart } from './api-harness.js'

interface Item {
  id: string
  predicted_label: string
  status: string
  location: string | null
  created_at: string
  corrected_label: string | null
}
interface Page {
  total: number
  items: Item[]
  next_cursor: string | null
}

// The dashboard build the routes serve, written once for the file.
const webDir = path.join(os.tmpdir(), `sportscan-web-${process.pid}-${Date.now().toString(36)}`)
beforeAll(async () => {
  await mkdir(path.join(webDir, 'assets'), { recursive: true })
  await writeFile(path.join(webDir, 'index.html'), '<!doctype html><title>dashboard</title>')
  await writeFile(path.join(webDir, 'assets', 'app.js'), 'console.log(1)')
})
afterAll(async () => {
  await rm(webDir, { recursive: true, force: true })
})

async function scan(app: TestApp, n: number, location = 'A'): Promise<Item> {
  const res = await postMultipart(app, [
    { name: 'img', filename: `${n}.png`, value: await colourImage(n) },
    { name: 'location', value: location },
  ])
  expect(res.statusCode).toBe(200)
  return res.json<Item>()
}

async function get<T>(app: TestApp, url: string, status = 200): Promise<T> {
  const res = await app.inject({ method: 'GET', url, headers: { accept: 'application/json' } })
  expect(res.statusCode, res.body).toBe(status)
  return res.json<T>()
}

describe.each(testDrivers)('reading the history (%s)', (driver) => {
  test.override({ driver, appOptions: { serving: { threshold: 0.9 }, webDir } })

  test('pages newest first with a cursor, never skipping or repeating a row', async ({ app }) => {
    const made: Item[] = []
    for (let i = 0; i < 7; i++) made.push(await scan(app, i))
    const seen: string[] = []
    let url = '/history?limit=3'
    for (;;) {
      const page = await get<Page>(app, url)
      expect(page.total).toBe(7)
      expect(page.items.length).toBeLessThanOrEqual(3)
      seen.push(...page.items.map((i) => i.id))
      if (!page.next_cursor) break
      url = `/history?limit=3&cursor=${encodeURIComponent(page.next_cursor)}`
    }
    expect(seen).toEqual(made.map((m) => m.id).reverse())
  })

  test('keeps rows created in the same millisecond apart', async ({ app }) => {
    await Promise.all([0, 1, 2, 3, 4, 5].map((i) => scan(app, i)))
    // Same created_at for all: order falls back on id, and the cursor must carry microseconds and id.
    await app.db.db.execute(sql`update predictions set created_at = '2026-01-01T00:00:00.123456Z'`)
    const first = await get<Page>(app, '/history?limit=4')
    const second = await get<Page>(app, `/history?limit=4&cursor=${first.next_cursor ?? ''}`)
    const ids = [...first.items, ...second.items].map((i) => i.id)
    expect(new Set(ids).size).toBe(6)
    expect(second.next_cursor).toBeNull()
  })

  test('filters by label, status, location and time', async ({ app }) => {
    const made = [
      await scan(app, 1, 'A'),
      await scan(app, 2, 'B'),
      await scan(app, 3, 'B'),
      await scan(app, 4, 'A'),
    ]
    const label = made[0]?.predicted_label ?? ''
    const byLabel = await get<Page>(app, `/history?label=${label}`)
    expect(byLabel.total).toBe(made.filter((m) => m.predicted_label === label).length)
    expect(byLabel.items.every((i) => i.predicted_label === label)).toBe(true)
    const byStatus = await get<Page>(app, '/history?status=needs_review')
    expect(byStatus.total).toBe(made.filter((m) => m.status === 'needs_review').length)
    const byLocation = await get<Page>(app, '/history?location=B')
    expect(byLocation.items.map((i) => i.location)).toEqual(['B', 'B'])
    expect((await get<Page>(app, '/history?from=2000-01-01&to=2000-01-02')).total).toBe(0)
    const from = made[2]?.created_at ?? ''
    expect((await get<Page>(app, `/history?from=${encodeURIComponent(from)}`)).total).toBe(2)
  })

  test.for([
    ['/history?limit=0'],
    ['/history?limit=100000'],
    ['/history?limit=-5'],
    ['/history?limit=abc'],
    ['/history?status=lost'],
    ['/history?from=yesterday'],
    ['/history?cursor=not-a-cursor'],
    ['/predictions?skip=-1'],
    ['/predictions/not-a-uuid'],
  ] as const)('answers 400 with the schema error for %s', async ([url], { app }) => {
    const body = await get<{ code: string; message: string }>(app, url, 400)
    expect(body.code).toMatch(/^SPS_API_(VALIDATION|CURSOR_INVALID)$/)
    expect(body.message.length).toBeGreaterThan(0)
  })

  test('exports the history as CSV, formula-like text neutralised', async ({ app }) => {
    const body = multipart([
      { name: 'img', filename: '=cmd.png', value: await colourImage(1) },
      { name: 'location', value: 'x,y' },
    ])
    await app.inject({ method: 'POST', url: '/predict', payload: body.payload, headers: body.headers })
    const res = await app.inject({ method: 'GET', url: '/history.csv' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/csv/)
    const lines = res.body.trim().split('\r\n')
    expect(lines[0]).toBe(
      'id,created_at,filename,predicted_label,corrected_label,confidence,status,location,source,model,' +
        'site,bin,bin_reason,shelved_in,shelved_outcome',
    )
    expect(lines).toHaveLength(2)
    // The default site, and no bin assigned on a fresh server.
    expect(lines[1]).toMatch(/,main,,no_assignment,,$/)
    expect(lines[1]).toContain(",'=cmd.png,")
    expect(lines[1]).toContain(',"x,y",')
  })

  test('gets and deletes one prediction; 404 afterwards', async ({ app }) => {
    const made = await scan(app, 1)
    // This app runs without STORE_IMAGES.
    expect(await get(app, `/predictions/${made.id}/image`, 404)).toMatchObject({
      code: 'SPS_API_IMAGE_NOT_KEPT',
    })
    expect((await get<Item>(app, `/predictions/${made.id}`)).id).toBe(made.id)
    const del = await app.inject({ method: 'DELETE', url: `/predictions/${made.id}` })
    expect(del.json()).toEqual({ deleted: true, id: made.id, restore_url: `/predictions/${made.id}/restore` })
    expect(await get(app, `/predictions/${made.id}`, 404)).toMatchObject({
      code: 'SPS_API_PREDICTION_NOT_FOUND',
    })
    const again = await app.inject({ method: 'DELETE', url: `/predictions/${made.id}` })
    expect(again.statusCode).toBe(404)
  })

  test('reports stats: per label, per day, average confidence, share needing review, v1 fields', async ({
    app,
  }) => {
    const made = [await scan(app, 1, 'A'), await scan(app, 2, 'A'), await scan(app, 3, 'B')]
    const stats = await get<
      Record<string, unknown> & { per_day: Array<{ count: number }>; average_confidence: number }
    >(app, '/stats')
    const review = made.filter((m) => m.status === 'needs_review').length
    const perCategory: Record<string, number> = {}
    for (const m of made) perCategory[m.predicted_label] = (perCategory[m.predicted_label] ?? 0) + 1
    expect(stats).toMatchObject({
      total: 3,
      total_predictions: 3,
      needs_review: review,
      needs_review_share: review / 3,
      predictions_per_category: perCategory,
      model_loaded: true,
    })
    expect(stats.per_day.map((d) => d.count)).toEqual([3])
    expect(stats.average_confidence).toBeGreaterThan(0.5)
    expect((await get<{ total: number }>(app, '/stats?location=B')).total).toBe(1)
  })

  test('stock follows corrections; not_a_ball removes a scan from stock', async ({ app }) => {
    const made = [await scan(app, 1), await scan(app, 2), await scan(app, 3), await scan(app, 4)]
    const counted = made.filter((m) => m.status === 'counted')
    const stock0 = await get<{ total: number; per_label: Record<string, number> }>(app, '/stock')
    expect(stock0.total).toBe(counted.length)

    const target = counted[0] ?? made[0]
    if (!target) throw new Error('no scan')
    const wasCounted = target.status === 'counted'
    const fix = await app.inject({
      method: 'POST',
      url: `/predictions/${target.id}/correction`,
      payload: { label: 'volleyball' },
    })
    expect(fix.statusCode).toBe(201)
    expect(fix.json()).toMatchObject({
      prediction_id: target.id,
      old_label: target.predicted_label,
      new_label: 'volleyball',
    })
    const stock1 = await get<{ total: number; per_label: Record<string, number> }>(app, '/stock')
    expect(stock1.per_label.volleyball).toBe(1)
    expect(stock1.total).toBe(counted.length + (wasCounted ? 0 : 1))

    const drop = await app.inject({
      method: 'POST',
      url: `/predictions/${target.id}/correction`,
      payload: { label: 'not_a_ball' },
    })
    expect(drop.json()).toMatchObject({ old_label: 'volleyball', new_label: 'not_a_ball' })
    const stock2 = await get<{ total: number; per_label: Record<string, number> }>(app, '/stock')
    expect(stock2.per_label.volleyball).toBeUndefined()
    expect(stock2.total).toBe(counted.length - (wasCounted ? 1 : 0))

    const shown = await get<Item & { corrections: unknown[] }>(app, `/predictions/${target.id}`)
    expect(shown.corrected_label).toBe('not_a_ball')
    expect(shown.corrections).toHaveLength(2)
  })

  test('refuses a correction to an unknown label (400) or of an unknown scan (404)', async ({ app }) => {
    const made = await scan(app, 1)
    const bad = await app.inject({
      method: 'POST',
      url: `/predictions/${made.id}/correction`,
      payload: { label: 'frisbee' },
    })
    expect(bad.statusCode).toBe(400)
    const missing = await app.inject({
      method: 'POST',
      url: '/predictions/00000000-0000-4000-8000-000000000000/correction',
      payload: { label: 'baseball' },
    })
    expect(missing.statusCode).toBe(404)
  })

  test('serves the v1 API: GET /predictions?skip&limit, DELETE /predictions, GET / as JSON', async ({
    app,
  }) => {
    const made = [await scan(app, 1), await scan(app, 2), await scan(app, 3)]
    const page = await get<{ total: number; predictions: Array<Record<string, unknown>> }>(
      app,
      '/predictions?skip=1&limit=1',
    )
    expect(page.total).toBe(3)
    expect(page.predictions).toHaveLength(1)
    expect(Object.keys(page.predictions[0] ?? {}).sort()).toEqual(
      ['all_scores', 'confidence', 'created_at', 'filename', 'id', 'predicted_label'].sort(),
    )
    expect(page.predictions[0]?.id).toBe(made[1]?.id)
    expect(await get(app, '/')).toEqual({
      message: expect.any(String),
      status: 'ok',
      model_loaded: true,
      categories: ['basketball', 'tennis_ball'],
    })
    const cleared = await app.inject({ method: 'DELETE', url: '/predictions' })
    expect(cleared.json()).toMatchObject({ deleted: 3 })
    expect((await get<Page>(app, '/history')).total).toBe(0)
  })

  test('serves the dashboard to browsers and JSON 404s to API clients', async ({ app }) => {
    const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }
    const root = await app.inject({ method: 'GET', url: '/', headers: html })
    expect(root.headers['content-type']).toMatch(/text\/html/)
    expect(root.body).toContain('dashboard')
    const asset = await app.inject({ method: 'GET', url: '/assets/app.js' })
    expect(asset.statusCode).toBe(200)
    const deepLink = await app.inject({ method: 'GET', url: '/review/queue', headers: html })
    expect(deepLink.statusCode).toBe(200)
    expect(deepLink.body).toContain('dashboard')
    const apiMiss = await app.inject({ method: 'GET', url: '/history/nope', headers: html })
    expect(apiMiss.statusCode).toBe(404)
    expect(apiMiss.json()).toMatchObject({ code: 'SPS_API_ROUTE_NOT_FOUND' })
    const jsonMiss = await app.inject({ method: 'GET', url: '/review/queue' })
    expect(jsonMiss.statusCode).toBe(404)
    expect(jsonMiss.json()).toMatchObject({ code: 'SPS_API_ROUTE_NOT_FOUND' })
    const postMiss = await app.inject({ method: 'POST', url: '/nowhere', headers: html })
    expect(postMiss.statusCode).toBe(404)
  })

  test('describes itself: /openapi.json, /docs, /categories, /models, /health, /ready, /metrics', async ({
    app,
  }) => {
    const spec = await get<{ openapi: string; paths: Record<string, unknown> }>(app, '/openapi.json')
    expect(spec.openapi).toMatch(/^3\./)
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/predict',
        '/predict/batch',
        '/history',
        '/history.csv',
        '/stats',
        '/stock',
        '/models',
        '/predictions/{id}',
        '/predictions/{id}/correction',
        '/health',
        '/ready',
      ]),
    )
    const docs = await app.inject({ method: 'GET', url: '/docs/' })
    expect(docs.statusCode).toBe(200)
    expect(await get(app, '/categories')).toEqual({ categories: ['basketball', 'tennis_ball'], count: 2 })
    expect(await get(app, '/models')).toEqual({
      serving: {
        ref: 'tiny@1',
        origin: 'bundled',
        name: 'tiny',
        version: '1',
        metrics: {},
        model_card_url: null,
        confusion_matrix_url: null,
        learning_curves_url: null,
      },
      models: [],
    })
    expect(await get(app, '/health')).toMatchObject({ status: 'ok', model_loaded: true, model: 'tiny@1' })
    expect(await get(app, '/ready')).toEqual({ status: 'ready', model_loaded: true, database: 'up' })
    await scan(app, 1)
    const metrics = await app.inject({ method: 'GET', url: '/metrics' })
    expect(metrics.body).toMatch(/sportscan_predictions_total\{label="\w+",status="\w+"\} 1/)
  })
})

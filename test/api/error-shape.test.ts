import type { InjectOptions } from 'fastify'
import { describe, expect, test, testDrivers, type InjectResponse, type TestApp } from '../fixtures.js'
import { colourImage, postMultipart } from './api-harness.js'

interface Operation {
  method: string
  path: string
  spec: Record<string, unknown>
}

/** Every documented operation, read from the app's own OpenAPI document. */
async function operations(app: TestApp): Promise<Operation[]> {
  const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
    paths: Record<string, Record<string, Record<string, unknown>>>
  }>()
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'post', 'put', 'delete'].includes(method))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, spec: op })),
  )
}

/** Every path parameter filled with a value no route accepts. */
function badPath(path: string): string {
  return path.replace(/\{[^}]+\}/g, 'not%20valid%20%E2%9C%97')
}

function expectErrorShape(res: InjectResponse, what: string): void {
  expect(res.statusCode, what).toBeGreaterThanOrEqual(400)
  expect(res.statusCode, what).toBeLessThan(500)
  const body = res.json<Record<string, unknown>>()
  expect(Object.keys(body).sort(), what).toEqual(['code', 'message'])
  expect(body['code'], what).toMatch(/^SPS_[A-Z0-9_]+$/)
  expect(String(body['message']), what).not.toMatch(/anyOf|must match a schema|FST_/)
}

describe.each(testDrivers)('one error shape everywhere (%s)', (driver) => {
  test.override({ driver })

  test('every documented route answers bad input with {code, message} and an SPS_ code', async ({ app }) => {
    const ops = await operations(app)
    expect(ops.length).toBeGreaterThan(20)
    let tried = 0
    for (const op of ops) {
      const params = Array.isArray(op.spec['parameters']) ? op.spec['parameters'] : []
      const hasPathParams = op.path.includes('{')
      const queryNames = params
        .filter(
          (p): p is { in: string; name: string } => typeof p === 'object' && p !== null && p.in === 'query',
        )
        .map((p) => p.name)
      const hasBody = op.spec['requestBody'] !== undefined
      if (!hasPathParams && queryNames.length === 0 && !hasBody) continue
      const query = queryNames.map((name) => `${name}=%E2%9C%97%20nope`).join('&')
      const url = `${hasPathParams ? badPath(op.path) : op.path}${query === '' ? '' : `?${query}`}`
      const res = await app.inject({
        method: op.method as InjectOptions['method'],
        url,
        ...(hasBody
          ? { payload: '{"unexpected": true}', headers: { 'content-type': 'application/json' } }
          : {}),
      })
      // A route may find nothing to refuse (an optional filter it ignores); it must still not fail.
      if (res.statusCode < 400) continue
      tried++
      expectErrorShape(res, `${op.method} ${url}`)
    }
    expect(tried).toBeGreaterThan(15)
  })

  test("Fastify's own errors come out as SPS codes: wrong media type, bad JSON, unknown route", async ({
    app,
  }) => {
    const id = '0b9f7c1e-3d7a-4c61-9d64-6f1f1b3f4a10'
    const media = await app.inject({
      method: 'POST',
      url: `/predictions/${id}/correction`,
      payload: 'label=golf_ball',
      headers: { 'content-type': 'application/xml' },
    })
    expect(media.statusCode).toBe(415)
    expect(media.json()).toMatchObject({ code: 'SPS_API_MEDIA_TYPE_UNSUPPORTED' })
    expect(media.json<{ message: string }>().message).toContain('application/json')
    const badJson = await app.inject({
      method: 'POST',
      url: `/predictions/${id}/correction`,
      payload: '{"label": ',
      headers: { 'content-type': 'application/json' },
    })
    expectErrorShape(badJson, 'bad JSON')
    expect(badJson.json()).toMatchObject({ code: 'SPS_API_BODY_INVALID' })
    expectErrorShape(await app.inject({ method: 'GET', url: '/nope' }), 'unknown route')
  })

  test('a value outside a union names the allowed values', async ({ app }) => {
    const id = '0b9f7c1e-3d7a-4c61-9d64-6f1f1b3f4a10'
    const res = await app.inject({
      method: 'POST',
      url: `/predictions/${id}/correction`,
      payload: { label: 'ping_pong' },
    })
    expect(res.statusCode).toBe(400)
    const { code, message } = res.json<{ code: string; message: string }>()
    expect(code).toBe('SPS_API_VALIDATION')
    expect(message).toMatch(/^body field "label" must be one of: .*golf_ball.*not_a_ball/)
    const status = await app.inject({ method: 'GET', url: '/history?status=lost' })
    expect(status.json<{ message: string }>().message).toBe(
      'query parameter "status" must be one of: counted, needs_review',
    )
  })

  test('/history?label=nope is a 400 listing the ball types, not an empty page', async ({ app }) => {
    for (const url of ['/history?label=nope', '/history.csv?label=nope']) {
      const res = await app.inject({ method: 'GET', url })
      expect(res.statusCode, url).toBe(400)
      expect(res.json(), url).toEqual({
        code: 'SPS_API_FIELD_INVALID',
        message: expect.stringMatching(/^field "label" "nope" is not a ball type; use one of: .*basketball/),
      })
    }
  })

  test('two files in one POST /predict -> 400 SPS_API_TOO_MANY_FILES', async ({ app }) => {
    const res = await postMultipart(app, [
      { name: 'img', filename: 'a.png', value: await colourImage(1) },
      { name: 'img', filename: 'b.png', value: await colourImage(2) },
    ])
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'SPS_API_TOO_MANY_FILES' })
  })

  test('431: headers too large answer {code, message} over a real socket', async ({ app }) => {
    const address = await app.server.listen({ port: 0, host: '127.0.0.1' })
    const res = await fetch(`${address}/health`, { headers: { 'x-big': 'x'.repeat(20_000) } })
    expect(res.status).toBe(431)
    expect(await res.json()).toEqual({ code: 'SPS_API_HEADERS_TOO_LARGE', message: expect.any(String) })
  })
})

describe.each(testDrivers)("the first API version's clients (%s)", (driver) => {
  test.override({ driver })

  test('an integer id gets 404 with a message saying ids are UUIDs now', async ({ app }) => {
    for (const [method, url] of [
      ['GET', '/predictions/123'],
      ['DELETE', '/predictions/123'],
      ['GET', '/predictions/123/image'],
    ] as const) {
      const res = await app.inject({ method, url })
      expect(res.statusCode, url).toBe(404)
      expect(res.json(), url).toEqual({
        code: 'SPS_API_LEGACY_ID',
        message: expect.stringContaining('ids are UUIDs'),
      })
    }
    // Any other malformed id stays a 400 that says what an id looks like.
    const other = await app.inject({ method: 'GET', url: '/predictions/abc' })
    expect(other.statusCode).toBe(400)
    expect(other.json<{ message: string }>().message).toMatch(/path parameter "id" must be a UUID/)
  })

  test('/health carries the database field, the last known state', async ({ app }) => {
    const res = await app.inject({ method: 'GET', url: '/health' })
    expect(res.json()).toMatchObject({ status: 'ok', model_loaded: true, database: 'connected' })
    expect(Date.parse(res.json<{ database_checked_at: string }>().database_checked_at)).not.toBeNaN()
  })
})

import { ROLES, createApiKey, revokeApiKey, type RequiredRole, type Role } from '../../src/auth/index.js'
import { describe, expect, test, testDrivers, type TestApp } from '../fixtures.js'
import { colourImage, multipart } from './api-harness.js'

/**
 * The access table: every route the API registers and the role it needs. A new route must be added here,
 * so no route ships with an access level nobody chose.
 */
const EXPECTED_ROLES: Record<string, RequiredRole> = {
  'GET /': 'public',
  'GET /health': 'public',
  'GET /ready': 'public',
  'GET /metrics': 'public',
  'GET /openapi.json': 'public',
  'POST /predict': 'scanner',
  'POST /predict/batch': 'scanner',
  'GET /predictions': 'viewer',
  'GET /predictions/:id': 'viewer',
  'GET /predictions/:id/image': 'viewer',
  'GET /history': 'viewer',
  'GET /history.csv': 'viewer',
  'GET /stats': 'viewer',
  'GET /stock': 'viewer',
  'GET /categories': 'viewer',
  'GET /models': 'viewer',
  'POST /predictions/:id/correction': 'reviewer',
  'GET /review': 'viewer',
  'POST /predictions/:id/flag': 'reviewer',
  'DELETE /predictions/:id/flag': 'reviewer',
  'DELETE /predictions/:id/corrections/:correction_id': 'reviewer',
  'GET /capabilities': 'public',
  'GET /retrain': 'viewer',
  'POST /retrain': 'admin',
  'DELETE /predictions': 'admin',
  'DELETE /predictions/:id': 'admin',
  'POST /predictions/:id/restore': 'admin',
  'PUT /models/:name/aliases/:alias': 'admin',
  'GET /sites': 'signed-in',
  'GET /bins': 'signed-in',
  'GET /bins.csv': 'signed-in',
  'PUT /bins/:site/:label': 'admin',
  'DELETE /bins/:site/:label': 'admin',
  'POST /bins/import': 'admin',
  'POST /predictions/:id/put-away': 'scanner',
}

/** Routes another change is adding (issue 7 / Grad-CAM): checked once they are registered. */
const UPCOMING_ROLES: Record<string, RequiredRole> = {
  'GET /predictions/:id/explain': 'viewer',
  'GET /models/:name/:version/files/:file': 'viewer',
}

/** What each role may call, spelled out rather than derived, so the test does not share the code's logic. */
const ALLOWED: Record<Role, ReadonlySet<RequiredRole>> = {
  scanner: new Set(['public', 'signed-in', 'scanner']),
  viewer: new Set(['public', 'signed-in', 'viewer']),
  reviewer: new Set(['public', 'signed-in', 'viewer', 'reviewer']),
  admin: new Set(['public', 'signed-in', 'scanner', 'viewer', 'reviewer', 'admin']),
}

const SOME_ID = '00000000-0000-4000-8000-000000000000'
const concreteUrl = (url: string) =>
  url
    .replace(':id', SOME_ID)
    .replace(':name', 'nosuchmodel')
    .replace(':alias', 'staging')
    .replace(':version', '1')
    .replace(':file', 'model.json')
    .replace(':site', 'main')
    .replace(':label', 'basketball')

/** One key per role, made in the test's (emptied) database. */
const it = test.extend('keys', async ({ database }) => {
  const keys = {} as Record<Role, string>
  for (const role of ROLES) {
    keys[role] = (await createApiKey(database.handle.db, { name: `${role}-key`, role })).key
  }
  return keys
})

function call(app: TestApp, method: string, url: string, key?: string) {
  return app.inject({
    method: method as 'GET',
    url: concreteUrl(url),
    headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
  })
}

describe.each(testDrivers)('access control (%s)', (driver) => {
  it.override({ driver, appOptions: { env: { SPORTSCAN_AUTH: 'required' } } })

  it('every registered route declares the role in the access table', ({ app }) => {
    const registered = app.server.routeRoles.filter(
      (r) => r.method !== 'HEAD' && r.method !== 'OPTIONS' && !r.url.startsWith('/docs'),
    )
    const table = Object.fromEntries(registered.map((r) => [`${r.method} ${r.url}`, r.role]))
    const upcoming = Object.fromEntries(Object.entries(UPCOMING_ROLES).filter(([route]) => route in table))
    expect(table).toEqual({ ...EXPECTED_ROLES, ...upcoming })
    // Swagger UI's own routes are public; nothing else may be implicit.
    for (const r of app.server.routeRoles.filter((r) => r.url.startsWith('/docs')))
      expect(r.role).toBe('public')
  })

  it('answers 401 SPS_AUTH_REQUIRED without a key on every non-public route, and serves public ones', async ({
    app,
  }) => {
    for (const { method, url, role } of app.server.routeRoles) {
      if (method === 'OPTIONS') continue
      const res = await call(app, method, url)
      if (role === 'public') {
        expect([401, 403], `${method} ${url}`).not.toContain(res.statusCode)
      } else {
        expect(res.statusCode, `${method} ${url}`).toBe(401)
        expect(res.headers['www-authenticate']).toBe('Bearer')
        if (method !== 'HEAD')
          expect(res.json()).toEqual({ code: 'SPS_AUTH_REQUIRED', message: expect.any(String) })
      }
    }
  })

  it.for(ROLES)('a %s key can call exactly the routes its role allows', async (role, { app, keys }) => {
    for (const { method, url, role: needed } of app.server.routeRoles) {
      if (method === 'OPTIONS' || method === 'HEAD' || url.startsWith('/docs')) continue
      const res = await call(app, method, url, keys[role])
      const where = `${role} -> ${method} ${url}: ${res.body.slice(0, 120)}`
      if (ALLOWED[role].has(needed)) {
        expect([401, 403], where).not.toContain(res.statusCode)
        expect(res.statusCode, where).toBeLessThan(500)
      } else {
        expect(res.statusCode, where).toBe(403)
        expect(res.json<{ code: string }>().code).toBe('SPS_AUTH_FORBIDDEN')
      }
    }
  })

  it.for([
    ['an unknown key', () => 'sps_abcdef12_' + 'A'.repeat(43)],
    ['a malformed key', () => 'not-a-key'],
    [
      'a known prefix with a wrong secret',
      (keys: Record<Role, string>) => keys.admin.slice(0, 14) + 'B'.repeat(43),
    ],
  ] as const)('answers 401 SPS_AUTH_KEY_INVALID for %s', async ([, key], { app, keys }) => {
    const res = await call(app, 'GET', '/stock', key(keys))
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ code: 'SPS_AUTH_KEY_INVALID', message: expect.any(String) })
  })

  it('refuses a key sent other than as a Bearer token', async ({ app, keys }) => {
    const res = await app.inject({
      method: 'GET',
      url: '/stock',
      headers: { authorization: `Basic ${keys.admin}` },
    })
    expect(res.statusCode).toBe(401)
  })

  it('a revoked key stops working on the very next request (even with its verification cached)', async ({
    app,
    database,
  }) => {
    const { key, info } = await createApiKey(database.handle.db, { name: 'to-revoke', role: 'viewer' })
    expect((await call(app, 'GET', '/stock', key)).statusCode).toBe(200)
    expect((await call(app, 'GET', '/stock', key)).statusCode).toBe(200)
    await revokeApiKey(database.handle.db, info.prefix)
    const res = await call(app, 'GET', '/stock', key)
    expect(res.statusCode).toBe(401)
    expect(res.json<{ code: string }>().code).toBe('SPS_AUTH_KEY_INVALID')
  })

  it('a scanner stores a scan; a reviewer correction records the key name', async ({ app, keys }) => {
    const body = multipart([{ name: 'img', filename: 'a.png', value: await colourImage(5) }])
    const scan = await app.inject({
      method: 'POST',
      url: '/predict',
      payload: body.payload,
      headers: { ...body.headers, authorization: `Bearer ${keys.scanner}` },
    })
    expect(scan.statusCode).toBe(200)
    const id = scan.json<{ id: string }>().id
    const corrected = await app.inject({
      method: 'POST',
      url: `/predictions/${id}/correction`,
      payload: { label: 'not_a_ball' },
      headers: { authorization: `Bearer ${keys.reviewer}` },
    })
    expect(corrected.statusCode).toBe(201)
    expect(corrected.json()).toMatchObject({ corrected_by: 'reviewer-key', new_label: 'not_a_ball' })
  })
})

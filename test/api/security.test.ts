import { readFile } from 'node:fs/promises'
import path from 'node:path'
import Fastify from 'fastify'
import { pino } from 'pino'
import { handleError } from '../../src/api/errors.js'
import { authPlugin } from '../../src/api/plugins/auth.js'
import { securityPlugin } from '../../src/api/plugins/security.js'
import { createApiKey } from '../../src/auth/index.js'
import { describe, expect, test } from '../fixtures.js'

describe('security headers, CORS, limits', () => {
  // No model: these tests never predict.
  test.override({ appOptions: { model: null } })

  test('sends helmet headers and a CSP without inline scripts on every answer', async ({ app }) => {
    for (const url of ['/', '/health', '/stock', '/nope']) {
      const res = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } })
      const csp = res.headers['content-security-policy']
      expect(csp, url).toContain("script-src 'self'")
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/)
      expect(csp).toContain("frame-ancestors 'none'")
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN')
      expect(res.headers['x-powered-by']).toBeUndefined()
    }
  })

  test("the dashboard's page needs no inline script, so the CSP lets it run", async () => {
    const html = await readFile(path.resolve('src/web/index.html'), 'utf8')
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    expect(scripts.length).toBeGreaterThan(0)
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc=/)
      expect(body?.trim()).toBe('')
    }
  })

  test('answers no CORS headers by default', async ({ app }) => {
    const res = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { origin: 'https://evil.example' },
    })
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })

  test('allows exactly the configured origins, preflight included', async ({ makeApp }) => {
    const app = await makeApp({
      model: null,
      env: { SPORTSCAN_CORS_ORIGINS: 'https://dash.example, https://ops.example' },
    })
    const allowed = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { origin: 'https://ops.example' },
    })
    expect(allowed.headers['access-control-allow-origin']).toBe('https://ops.example')
    const other = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { origin: 'https://evil.example' },
    })
    expect(other.headers['access-control-allow-origin']).toBeUndefined()
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/predict',
      headers: {
        origin: 'https://dash.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    })
    expect(preflight.statusCode).toBe(204)
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/)
  })

  test('refuses a JSON body over 64 KiB with 413, and bad JSON with 400 and no stack trace', async ({
    app,
  }) => {
    const url = '/predictions/00000000-0000-4000-8000-000000000000/correction'
    const big = await app.inject({
      method: 'POST',
      url,
      payload: JSON.stringify({ label: 'x'.repeat(70_000) }),
      headers: { 'content-type': 'application/json' },
    })
    expect(big.statusCode).toBe(413)
    const bad = await app.inject({
      method: 'POST',
      url,
      payload: '{"label": ',
      headers: { 'content-type': 'application/json' },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toEqual({ code: expect.any(String), message: expect.any(String) })
    expect(bad.body).not.toMatch(/\bat .*\.(js|ts):\d+/)
  })

  test('refuses SPORTSCAN_AUTH=off when listening beyond loopback', async ({ makeApp }) => {
    await expect(
      makeApp({ model: null, env: { SPORTSCAN_AUTH: 'off', HOST: '0.0.0.0' } }),
    ).rejects.toMatchObject({
      code: 'SPS_AUTH_OFF_BEYOND_LOOPBACK',
    })
  })

  test('takes the client address from X-Forwarded-For only when SPORTSCAN_TRUST_PROXY trusts the proxy', async ({
    makeApp,
  }) => {
    // Fastify logs each request with the client address it settled on (request.ip).
    const ipSeen = async (env: Record<string, string>) => {
      const lines: string[] = []
      const app = await makeApp({
        model: null,
        env,
        log: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }),
      })
      await app.inject({
        method: 'GET',
        url: '/health',
        remoteAddress: '10.0.0.7',
        headers: { 'x-forwarded-for': '203.0.113.9, 198.51.100.1' },
      })
      const incoming = lines
        .map((l) => JSON.parse(l) as { msg?: string; req?: { remoteAddress?: string } })
        .find((l) => l.msg === 'incoming request')
      return incoming?.req?.remoteAddress
    }
    // Untrusted: anybody could pick their rate-limit bucket by sending the header.
    expect(await ipSeen({})).toBe('10.0.0.7')
    // One hop (the ingress): the address it appended, not what the client claimed before it.
    expect(await ipSeen({ SPORTSCAN_TRUST_PROXY: '1' })).toBe('198.51.100.1')
    expect(await ipSeen({ SPORTSCAN_TRUST_PROXY: '10.0.0.0/8' })).toBe('198.51.100.1')
    expect(await ipSeen({ SPORTSCAN_TRUST_PROXY: 'true' })).toBe('203.0.113.9')
  })

  test('rate-limits per key (or per IP without one) with 429 SPS_API_RATE_LIMITED; public routes never', async ({
    database,
  }) => {
    const app = Fastify()
    app.setErrorHandler(handleError)
    await app.register(securityPlugin, { authMode: 'required', corsOrigins: [], rateLimitPerMinute: 3 })
    await app.register(authPlugin, { db: database.handle.db, mode: 'required' })
    app.get('/limited', { config: { role: 'viewer' } }, async () => ({ ok: true }))
    app.get('/open', { config: { role: 'public' } }, async () => ({ ok: true }))
    await app.ready()
    try {
      const get = (url: string, key?: string) =>
        app.inject({ method: 'GET', url, headers: key ? { authorization: `Bearer ${key}` } : {} })
      const keyA = (await createApiKey(database.handle.db, { name: 'a', role: 'viewer' })).key
      const keyB = (await createApiKey(database.handle.db, { name: 'b', role: 'viewer' })).key
      for (let i = 0; i < 3; i++) expect((await get('/limited', keyA)).statusCode).toBe(200)
      const limited = await get('/limited', keyA)
      expect(limited.statusCode).toBe(429)
      expect(limited.json()).toEqual({ code: 'SPS_API_RATE_LIMITED', message: expect.any(String) })
      expect(limited.headers['retry-after']).toBeDefined()
      // Another key has its own bucket.
      expect((await get('/limited', keyB)).statusCode).toBe(200)
      // Anonymous callers are limited by IP, before any key check: a flood of guesses costs no scrypt.
      for (let i = 0; i < 3; i++) expect((await get('/limited')).statusCode).toBe(401)
      expect((await get('/limited')).statusCode).toBe(429)
      for (let i = 0; i < 6; i++) expect((await get('/open', keyA)).statusCode).toBe(200)
    } finally {
      await app.close()
    }
  })
})

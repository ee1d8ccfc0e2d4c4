import { createApiKey } from '../../src/auth/index.js'
import { describe, expect, test, testDrivers, type TestApp } from '../fixtures.js'

const CSV = [
  'site,label,bin,capacity',
  'main,basketball,A3-B,2',
  'main,tennis_ball,T1,',
  'shop,basketball,S1,5',
].join('\n')

function importCsv(app: TestApp, csv: string, query = '', headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: `/bins/import${query}`,
    payload: csv,
    headers: { 'content-type': 'text/csv', ...headers },
  })
}

async function listBins(app: TestApp, query = '') {
  const res = await app.inject({ method: 'GET', url: `/bins${query}` })
  expect(res.statusCode).toBe(200)
  return res.json<{ items: Array<Record<string, unknown>> }>().items
}

describe.each(testDrivers)('bin assignments (%s)', (driver) => {
  test.override({ driver })

  test('PUT assigns a ball type to a bin (creating it), GET lists it, DELETE removes it', async ({ app }) => {
    const put = await app.inject({
      method: 'PUT',
      url: '/bins/main/basketball',
      payload: { bin: 'A3-B', capacity: 40 },
    })
    expect(put.statusCode).toBe(200)
    expect(put.json()).toMatchObject({ site: 'main', label: 'basketball', bin: 'A3-B', capacity: 40 })
    // Capacity left out keeps the bin's; a second type may share the bin.
    await app.inject({ method: 'PUT', url: '/bins/main/volleyball', payload: { bin: 'A3-B' } })
    expect(await listBins(app, '?site=main')).toMatchObject([
      { label: 'basketball', bin: 'A3-B', capacity: 40 },
      { label: 'volleyball', bin: 'A3-B', capacity: 40 },
    ])
    // Moving the type to another bin: the old one stays while volleyball uses it.
    const moved = await app.inject({ method: 'PUT', url: '/bins/main/basketball', payload: { bin: 'B1' } })
    expect(moved.json()).toMatchObject({ bin: 'B1', capacity: null })
    const del = await app.inject({ method: 'DELETE', url: '/bins/main/basketball' })
    expect(del.statusCode).toBe(200)
    expect(await listBins(app)).toMatchObject([{ label: 'volleyball', bin: 'A3-B' }])
    const sites = await app.inject({ method: 'GET', url: '/sites' })
    expect(sites.json()).toEqual({ default_site: 'main', items: [{ site: 'main', bins: 1, assignments: 1 }] })
  })

  test('GET /sites offers the default site before it has any bin', async ({ app }) => {
    const sites = await app.inject({ method: 'GET', url: '/sites' })
    expect(sites.json()).toEqual({ default_site: 'main', items: [{ site: 'main', bins: 0, assignments: 0 }] })
  })

  test('imports a CSV plan, exports it back byte for byte, and --replace keeps only the file', async ({
    app,
  }) => {
    const res = await importCsv(app, CSV)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ imported: 3, sites: ['main', 'shop'] })
    const csv = await app.inject({ method: 'GET', url: '/bins.csv' })
    expect(csv.headers['content-type']).toMatch(/^text\/csv/)
    expect(csv.body).toBe(`${CSV}\n`)
    expect((await app.inject({ method: 'GET', url: '/bins.csv?site=shop' })).body).toBe(
      'site,label,bin,capacity\nshop,basketball,S1,5\n',
    )
    // Without replace an import adds; with it, main keeps only the file's line and shop is untouched.
    await importCsv(app, 'site,label,bin\nmain,golf_ball,G1', '?replace=1')
    expect((await listBins(app)).map((a) => `${String(a.site)}/${String(a.label)}=${String(a.bin)}`)).toEqual(
      ['main/golf_ball=G1', 'shop/basketball=S1'],
    )
  })

  test('a CSV with bad lines imports nothing and names every bad line', async ({ app }) => {
    await importCsv(app, CSV)
    const bad = [
      'site,label,bin,capacity',
      'main,volleyball,V1,',
      'main,frisbee,F1,',
      'main,golf_ball,"G 1",',
      'main,golf_ball,G2,-3',
      'main,tennis_ball,T1,1,extra',
    ].join('\n')
    const res = await importCsv(app, bad)
    expect(res.statusCode).toBe(400)
    const body = res.json<{ code: string; message: string }>()
    expect(body.code).toBe('SPS_PUTAWAY_CSV_INVALID')
    expect(body.message).toMatch(/line 3: "frisbee" is not a ball type/)
    expect(body.message).toMatch(/line 4: bin "G 1" is not a valid bin label/)
    expect(body.message).toMatch(/line 5: capacity "-3"/)
    expect(body.message).toMatch(/line 6: 5 fields, the header has 4/)
    expect(await listBins(app)).toHaveLength(3)
    expect((await listBins(app)).some((a) => a.label === 'volleyball')).toBe(false)
  })

  test.for([
    ['an unknown ball type', 'PUT', '/bins/main/frisbee', { bin: 'A1' }, 400, 'SPS_API_VALIDATION'],
    ['a bad site name', 'PUT', '/bins/a%20b/basketball', { bin: 'A1' }, 400, 'SPS_API_VALIDATION'],
    ['a bin label with a comma', 'PUT', '/bins/main/basketball', { bin: 'A,1' }, 400, 'SPS_API_VALIDATION'],
    [
      'a capacity of 0',
      'PUT',
      '/bins/main/basketball',
      { bin: 'A1', capacity: 0 },
      400,
      'SPS_API_VALIDATION',
    ],
    ['an unknown field', 'PUT', '/bins/main/basketball', { bin: 'A1', size: 3 }, 400, 'SPS_API_VALIDATION'],
    [
      'a type with no bin',
      'DELETE',
      '/bins/main/basketball',
      undefined,
      404,
      'SPS_PUTAWAY_ASSIGNMENT_NOT_FOUND',
    ],
  ] as const)('answers %s with a clear error', async ([, method, url, payload, status, code], { app }) => {
    const res = await app.inject({ method, url, ...(payload === undefined ? {} : { payload }) })
    expect(res.statusCode).toBe(status)
    expect(res.json()).toEqual({ code, message: expect.any(String) })
    expect(await listBins(app)).toEqual([])
  })

  test('an import that is not CSV, or empty, is refused', async ({ app }) => {
    const json = await app.inject({ method: 'POST', url: '/bins/import', payload: { csv: 'x' } })
    expect(json.statusCode).toBe(400)
    const empty = await importCsv(app, '# just a comment\n')
    expect(empty.json()).toMatchObject({ code: 'SPS_PUTAWAY_CSV_INVALID', message: /empty/ })
    const header = await importCsv(app, 'site,ball,bin\nmain,basketball,A1')
    expect(header.json<{ message: string }>().message).toMatch(/missing label; unknown ball/)
  })
})

describe('bin assignments with auth on', () => {
  test.override({ appOptions: { env: { SPORTSCAN_AUTH: 'required' } } })

  test('every key reads the plan, only an admin changes it, and the change records the key name', async ({
    app,
    database,
  }) => {
    const db = database.handle.db
    const admin = (await createApiKey(db, { name: 'boss', role: 'admin' })).key
    const scanner = (await createApiKey(db, { name: 'belt-3', role: 'scanner' })).key
    const viewer = (await createApiKey(db, { name: 'wall', role: 'viewer' })).key
    const as = (key: string) => ({ authorization: `Bearer ${key}` })
    const refused = await app.inject({
      method: 'PUT',
      url: '/bins/main/basketball',
      payload: { bin: 'A1' },
      headers: as(scanner),
    })
    expect(refused.statusCode).toBe(403)
    expect((await importCsv(app, CSV, '', as(viewer))).statusCode).toBe(403)
    const put = await app.inject({
      method: 'PUT',
      url: '/bins/main/basketball',
      payload: { bin: 'A1' },
      headers: as(admin),
    })
    expect(put.json()).toMatchObject({ bin: 'A1', updated_by: 'boss' })
    for (const key of [scanner, viewer]) {
      const read = await app.inject({ method: 'GET', url: '/bins', headers: as(key) })
      expect(read.json()).toMatchObject({ items: [{ label: 'basketball', bin: 'A1' }] })
    }
    expect((await app.inject({ method: 'GET', url: '/bins' })).statusCode).toBe(401)
  })
})

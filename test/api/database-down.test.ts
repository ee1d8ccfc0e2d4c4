import net from 'node:net'
import path from 'node:path'
import { openDatabase, type DatabaseHandle } from '../../src/db/index.js'
import { describe, expect, testDrivers, test, type TestApp } from '../fixtures.js'
import { colourImage, postMultipart } from './api-harness.js'

/** A TCP proxy in front of PostgreSQL that the test can cut and restore, like a database restart. */
async function startProxy(target: URL, port = 0) {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('proxy has no port')
  return {
    port: address.port,
    async stop() {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

async function scan(app: TestApp, n: number) {
  return postMultipart(app, [{ name: 'img', filename: `${n}.png`, value: await colourImage(n) }])
}

async function countRows(handle: DatabaseHandle): Promise<number> {
  const rows = await handle.db.query.predictions.findMany({ columns: { id: true } })
  return rows.length
}

describe.each(testDrivers)('database down (%s)', (driver) => {
  test.override({ driver })

  test('answers 503 SPS_DB_UNAVAILABLE, stores nothing partial, and recovers', async ({
    tmpDir,
    log,
    database,
    makeApp,
  }) => {
    if (driver === 'pglite') {
      // The embedded database only goes away with its handle; it comes back when the process reopens it.
      const config = { driver: 'pglite' as const, dir: path.join(tmpDir, 'db') }
      const handle = await openDatabase(config, log)
      const app = await makeApp({ db: handle })
      expect((await scan(app, 1)).statusCode).toBe(200)
      await handle.close()
      const down = await scan(app, 2)
      expect(down.statusCode).toBe(503)
      expect(down.json()).toEqual({ code: 'SPS_DB_UNAVAILABLE', message: expect.any(String) })
      expect((await app.inject({ method: 'GET', url: '/history' })).statusCode).toBe(503)
      expect((await app.inject({ method: 'GET', url: '/ready' })).json()).toMatchObject({
        database: 'down',
      })
      // Liveness reports the last known state (the check /ready just made), without waiting on the database.
      expect((await app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({
        status: 'ok',
        database: 'disconnected',
      })
      const reopened = await openDatabase(config, log)
      expect(await countRows(reopened)).toBe(1)
      await reopened.close()
      return
    }

    if (database.config.driver !== 'pg') throw new Error('expected pg')
    const target = new URL(database.config.url)
    let proxy = await startProxy(target)
    const viaProxy = new URL(target)
    viaProxy.hostname = '127.0.0.1'
    viaProxy.port = String(proxy.port)
    const handle = await openDatabase({ driver: 'pg', url: viaProxy.toString(), poolSize: 4 }, log)
    try {
      const api = await makeApp({ db: handle })
      expect((await scan(api, 1)).statusCode).toBe(200)
      await proxy.stop()
      const down = await scan(api, 2)
      expect(down.statusCode).toBe(503)
      expect(down.json()).toEqual({ code: 'SPS_DB_UNAVAILABLE', message: expect.any(String) })
      const ready = await api.inject({ method: 'GET', url: '/ready' })
      expect(ready.statusCode).toBe(503)
      expect(ready.json()).toMatchObject({ database: 'down' })

      proxy = await startProxy(target, proxy.port)
      // No restart of the app: the pool reconnects by itself.
      await expect.poll(async () => (await scan(api, 3)).statusCode, { timeout: 20_000 }).toBe(200)
      expect((await api.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200)
      expect(await countRows(database.handle)).toBe(2)
    } finally {
      await handle.close()
      await proxy.stop()
    }
  })
})

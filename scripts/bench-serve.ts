/**
 * End-to-end serving benchmark (issue 7): starts the real server on PostgreSQL (a throw-away database created
 * and dropped here), warms up, then posts a ~35 KB JPEG to /predict with autocannon (a separate process, so
 * the load generator's CPU is not counted as the server's) at 1, 8 and 32 connections. Prints req/s,
 * latency, errors, rows stored vs 2xx answers, RSS, server CPU-ms per request, and the raw rate of decode +
 * inference on the same classifier (no HTTP, no database) with the efficiency ratio.
 *
 *   npm run bench:serve [-- --seconds 30 --connections 1,8,32] [--peer-url http://127.0.0.1:8801/predict]
 * --peer-url runs the same load (same body, connections and duration) against another service right after,
 * e.g. the original design's Python stack (../shared/peers/seed-py), and prints both side by side.
 * Per request, the server's CPU is split into decode and inference (each measured alone on the same image and
 * classifier), PostgreSQL (its server processes' CPU during the run, from /proc) and the rest (HTTP,
 * multipart, hashing, the pg client, JSON).
 * DATABASE_URL: a PostgreSQL server URL (default postgres://postgres@127.0.0.1:5432/postgres); the
 * runtime, threads and batching come from the usual SPORTSCAN_* variables.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import sharp from 'sharp'
import { startServer } from '../src/api/start-server.js'
import { loadConfig } from '../src/config/index.js'
import { preprocessImage } from '../src/data/index.js'
import { createLogger } from '../src/log/index.js'
import { initBackend } from '../src/model/backend/index.js'
import { findJpeg, prepareModel } from './bench-inputs.js'
import { autocannon, multipartBody, table } from './bench-load.js'
import { cpuMsPerItem, postgresCpuMs, postgresCpuMsBetween } from './bench-cost.js'

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback
}
const SECONDS = Number(arg('seconds', '30'))
const CONNECTIONS = arg('connections', '1,8,32').split(',').map(Number)
/** sharp's libvips threads per image (default: one per core); the server does not change it. */
const SHARP_THREADS = arg('sharp-threads', '')
const WARMUP_SECONDS = Math.min(5, Math.max(2, SECONDS / 5))
const PEER_URL = arg('peer-url', '')

interface LoadResult {
  connections: number
  requestsPerSecond: number
  p50: number
  p99: number
  errors: number
  timeouts: number
  non2xx: number
  ok: number
  rowsStored: number
  cpuMsPerRequest: number
  /** PostgreSQL server processes' CPU per request (undefined without /proc). */
  dbCpuMsPerRequest: number | undefined
  rssBeforeMb: number
  rssAfterMb: number
}

const mb = (bytes: number) => bytes / 1024 / 1024
const perRequest = (ms: number | undefined, requests: number) =>
  ms === undefined ? undefined : ms / Math.max(1, requests)

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const dbName = `sportscan_bench_${randomBytes(4).toString('hex')}`
  const dbUrl = new URL(adminUrl)
  dbUrl.pathname = `/${dbName}`
  const admin = new pg.Client({ connectionString: adminUrl })
  admin.on('error', (err) => console.error('admin connection:', err.message))
  await admin.connect()
  await admin.query(`CREATE DATABASE ${dbName}`)
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'sportscan-bench-serve-'))
  let server: Awaited<ReturnType<typeof startServer>> | undefined
  try {
    if (SHARP_THREADS !== '') sharp.concurrency(Number(SHARP_THREADS))
    const log = createLogger({ level: 'error' })
    await initBackend({ log })
    const { dir, label } = await prepareModel(tmp)
    const jpeg = await findJpeg()
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: dbUrl.toString(),
      SPORTSCAN_HOME: path.join(tmp, 'home'),
      SPORTSCAN_BUNDLED_MODEL: dir,
      PORT: '0',
    })
    server = await startServer({ config, log })
    const { serving } = config
    console.log(
      `model: ${label}\nJPEG: ${jpeg.label}\nruntime ${serving.runtime}, ${serving.inferenceThreads} ORT thread(s), ${serving.inferenceWorkers} worker(s), ` +
        `max batch ${serving.maxBatchSize}, window ${serving.batchWindowMs} ms, DB pool ${config.db.driver === 'pg' ? config.db.poolSize : '-'}, ` +
        `UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}, sharp threads ${sharp.concurrency()}\n${os.cpus().length} cores, load average ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}, ${SECONDS} s per run\n`,
    )
    const { body, contentType } = multipartBody(jpeg.bytes)
    const bodyFile = path.join(tmp, 'body.bin')
    await writeFile(bodyFile, body)
    const url = `${server.url}/predict`
    const db = new pg.Client({ connectionString: dbUrl.toString() })
    await db.connect()
    const countRows = async () =>
      Number((await db.query<{ n: string }>('SELECT count(*)::text AS n FROM predictions')).rows[0]?.n ?? 0)
    /**
     * The row count once requests still running when the load generator stopped have been stored: autocannon
     * does not count answers that arrive after its deadline, so rows may exceed 2xx by at most the connections.
     */
    const settledRows = async () => {
      let previous = -1
      let current = await countRows()
      while (current !== previous) {
        await new Promise((resolve) => setTimeout(resolve, 300))
        previous = current
        current = await countRows()
      }
      return current
    }

    // One request by hand first: a misconfigured run should stop here, not print a table of errors.
    const probe = await fetch(url, {
      method: 'POST',
      body: new Uint8Array(body),
      headers: { 'content-type': contentType },
    })
    if (!probe.ok) throw new Error(`probe request answered ${probe.status}: ${await probe.text()}`)

    console.log(`warm-up: ${WARMUP_SECONDS} s at 8 connections`)
    await autocannon(url, bodyFile, contentType, 8, WARMUP_SECONDS)

    const results: LoadResult[] = []
    for (const connections of CONNECTIONS) {
      const rowsBefore = await settledRows()
      const rssBefore = process.memoryUsage().rss
      const cpuStart = process.cpuUsage()
      const pgStart = await postgresCpuMs()
      const r = await autocannon(url, bodyFile, contentType, connections, SECONDS)
      const cpu = process.cpuUsage(cpuStart)
      const pgEnd = await postgresCpuMs()
      const rowsStored = (await settledRows()) - rowsBefore
      const result: LoadResult = {
        connections,
        requestsPerSecond: r.requestsPerSecond,
        p50: r.p50,
        p99: r.p99,
        errors: r.errors,
        timeouts: r.timeouts,
        non2xx: r.non2xx,
        ok: r.ok,
        rowsStored,
        cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, r.total),
        dbCpuMsPerRequest: perRequest(postgresCpuMsBetween(pgStart, pgEnd), r.total),
        rssBeforeMb: mb(rssBefore),
        rssAfterMb: mb(process.memoryUsage().rss),
      }
      results.push(result)
      console.log(
        `  ${connections} connections: ${r.requestsPerSecond.toFixed(1)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`,
      )
    }
    await db.end()

    // Raw rate: the same served classifier (runtime, threads, batching) on decode + inference only.
    const raw = await rawRate(server, jpeg.bytes, config.serving.maxPixels)
    const cost = await stageCosts(server, jpeg.bytes, config.serving.maxPixels)

    const rows = [
      [
        'connections',
        'req/s',
        'p50 ms',
        'p99 ms',
        'errors',
        'non-2xx',
        '2xx',
        'rows stored',
        'late',
        'CPU ms/req',
        'RSS MB before',
        'RSS MB after',
        'efficiency',
      ],
      ...results.map((r) => [
        String(r.connections),
        r.requestsPerSecond.toFixed(1),
        String(r.p50),
        String(r.p99),
        String(r.errors + r.timeouts),
        String(r.non2xx),
        String(r.ok),
        String(r.rowsStored),
        String(r.rowsStored - r.ok),
        r.cpuMsPerRequest.toFixed(2),
        r.rssBeforeMb.toFixed(0),
        r.rssAfterMb.toFixed(0),
        (r.requestsPerSecond / raw.best.imagesPerSecond).toFixed(2),
      ]),
    ]
    console.log(`\n${table(rows)}`)
    console.log(
      'late: rows stored for requests answered after the load generator stopped counting (at most the connections);' +
        '\nCPU ms/req: this process (server) only; PostgreSQL and autocannon run in other processes',
    )
    const f = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(2))
    console.log(
      `\nper-request CPU ms (decode and inference measured alone: ${f(cost.decode)} and ${f(cost.single)} at batch 1, ${f(cost.batched)} per image in batches of 8):\n` +
        table([
          ['connections', 'total (server)', 'decode', 'inference', 'rest', 'PostgreSQL'],
          ...results.map((r) => {
            const inference = r.connections === 1 ? cost.single : cost.batched
            return [
              String(r.connections),
              f(r.cpuMsPerRequest),
              f(cost.decode),
              f(inference),
              f(r.cpuMsPerRequest - cost.decode - inference),
              f(r.dbCpuMsPerRequest),
            ]
          }),
        ]),
    )
    console.log(
      `\nraw decode + inference (no HTTP/DB; efficiency = req/s over the faster of the two):` +
        `\n  8 loops of decode + predict: ${raw.loops.imagesPerSecond.toFixed(1)} images/s, ${raw.loops.cpuMsPerImage.toFixed(2)} CPU ms/image` +
        `\n  8 decodes, then a batch of 8: ${raw.batched.imagesPerSecond.toFixed(1)} images/s, ${raw.batched.cpuMsPerImage.toFixed(2)} CPU ms/image` +
        `\nload average after: ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
    )
    if (PEER_URL !== '') await runPeer(PEER_URL, bodyFile, contentType, results)
  } finally {
    await server?.close()
    // Without FORCE first: forcing kills connections the server may not have closed yet, and a killed
    // connection without an error listener would crash this process before it cleans up.
    await admin
      .query(`DROP DATABASE IF EXISTS ${dbName}`)
      .catch(async () => {
        await new Promise((resolve) => setTimeout(resolve, 2000))
        await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
      })
      .catch((err: unknown) => console.error(`could not drop ${dbName}:`, err))
    await admin.end()
    await rm(tmp, { recursive: true, force: true })
  }
}

/**
 * Decode + predict through the served classifier (same runtime, threads and micro-batcher), no HTTP or
 * database, measured two ways: 8 independent loops (as the 8-connection run), and 8 decodes at once followed
 * by one batch of 8. The faster is the raw rate, so the efficiency ratio is never flattered by a slow baseline.
 */
async function rawRate(server: Awaited<ReturnType<typeof startServer>>, jpeg: Buffer, maxPixels: number) {
  const seconds = Math.min(SECONDS, 10)
  const models = server.models
  const first = models.acquire()
  const spec = first.classifier.preprocess
  first.release()
  const decode = () => preprocessImage(jpeg, spec, { maxPixels })
  const predict = async (batch: Float32Array[]) => {
    const lease = models.acquire()
    try {
      await lease.classifier.predict(batch)
    } finally {
      lease.release()
    }
  }
  const measure = async (loops: number, step: () => Promise<number>) => {
    for (let i = 0; i < 5; i++) await step()
    let images = 0
    const cpuStart = process.cpuUsage()
    const start = performance.now()
    await Promise.all(
      Array.from({ length: loops }, async () => {
        while (performance.now() - start < seconds * 1000) {
          // Not `images += await step()`: that reads `images` before awaiting and loses the other loops' counts.
          const n = await step()
          images += n
        }
      }),
    )
    const wallMs = performance.now() - start
    const cpu = process.cpuUsage(cpuStart)
    return {
      imagesPerSecond: (images * 1000) / wallMs,
      cpuMsPerImage: (cpu.user + cpu.system) / 1000 / images,
    }
  }
  const loops = await measure(8, async () => {
    await predict([await decode()])
    return 1
  })
  const batched = await measure(1, async () => {
    await predict(await Promise.all(Array.from({ length: 8 }, decode)))
    return 8
  })
  return { loops, batched, best: loops.imagesPerSecond >= batched.imagesPerSecond ? loops : batched }
}

/** CPU ms per image of decode alone and of inference alone (batch 1 and batch 8), on the served classifier. */
async function stageCosts(server: Awaited<ReturnType<typeof startServer>>, jpeg: Buffer, maxPixels: number) {
  const lease = server.models.acquire()
  try {
    const { classifier } = lease
    const image = await preprocessImage(jpeg, classifier.preprocess, { maxPixels })
    const eight = Array.from({ length: 8 }, () => image)
    return {
      decode: await cpuMsPerItem(100, 1, () => preprocessImage(jpeg, classifier.preprocess, { maxPixels })),
      single: await cpuMsPerItem(100, 1, () => classifier.predict([image])),
      batched: await cpuMsPerItem(25, 8, () => classifier.predict(eight)),
    }
  } finally {
    lease.release()
  }
}

/** The same load against another service, right after this one, and the ratio at each connection count. */
async function runPeer(peerUrl: string, bodyFile: string, contentType: string, ours: LoadResult[]) {
  console.log(`\npeer ${peerUrl}: warm-up ${WARMUP_SECONDS} s at 8 connections`)
  await autocannon(peerUrl, bodyFile, contentType, 8, WARMUP_SECONDS)
  const rows = [
    [
      'connections',
      'peer req/s',
      'p50 ms',
      'p99 ms',
      'errors',
      'non-2xx',
      'PostgreSQL CPU ms/req',
      'ours / peer',
    ],
  ]
  for (const mine of ours) {
    const pgStart = await postgresCpuMs()
    const r = await autocannon(peerUrl, bodyFile, contentType, mine.connections, SECONDS)
    const pgEnd = await postgresCpuMs()
    const db = perRequest(postgresCpuMsBetween(pgStart, pgEnd), r.total)?.toFixed(2) ?? '-'
    rows.push([
      String(mine.connections),
      r.requestsPerSecond.toFixed(1),
      String(r.p50),
      String(r.p99),
      String(r.errors + r.timeouts),
      String(r.non2xx),
      db,
      r.requestsPerSecond > 0 ? `${(mine.requestsPerSecond / r.requestsPerSecond).toFixed(2)}x` : '-',
    ])
    console.log(`  ${mine.connections} connections: ${r.requestsPerSecond.toFixed(1)} req/s, p99 ${r.p99} ms`)
  }
  console.log(`\n${table(rows)}`)
}

await main()

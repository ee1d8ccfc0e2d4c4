/**
 * Soak test (issue 8; not in CI): starts the real server (`sportscan serve`, a child process) on PostgreSQL in
 * a throw-away database, keeps N connections posting a real JPEG to /predict for a while, restarts the
 * PostgreSQL cluster in the middle, and prints errors by kind, rows stored vs 2xx answers (must be equal) and
 * the server's RSS trend. Exits 1 when rows and 2xx answers differ or the server died.
 *
 *   npm run test:soak [-- --seconds 300 --connections 32 --restart-at 0.5 --no-restart]
 * DATABASE_URL: a PostgreSQL server URL (default postgres://postgres@127.0.0.1:5432/postgres); the soak
 * database is created beside it and dropped at the end. The model is the bundled one, else a random seed-cnn.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { initBackend } from '../src/model/index.js'
import { findJpeg, prepareModel } from './bench-inputs.js'

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback
}
const SECONDS = Number(arg('seconds', '300'))
const CONNECTIONS = Number(arg('connections', '32'))
const RESTART_AT = Number(arg('restart-at', '0.5'))
const RESTART = !process.argv.includes('--no-restart')
/** A request that takes longer than this counts as a timeout (the server's own limit is 120 s). */
const REQUEST_TIMEOUT_MS = 30_000
const RSS_SAMPLE_MS = 5_000
const baseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

async function countRows(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ n: string }>('select count(*)::text as n from predictions')
    return Number(rows[0]?.n ?? 'NaN')
  } finally {
    await client.end()
  }
}

/** Restarts the local cluster the way an operator would (the database is not ours to kill -9). */
async function restartPostgres(): Promise<string> {
  const versions = await readdir('/etc/postgresql')
  const version = versions.sort().at(-1)
  if (!version) throw new Error('no cluster under /etc/postgresql')
  const args = ['--skip-systemctl-redirect', version, 'main', 'restart']
  await promisify(execFile)('pg_ctlcluster', args)
  return `pg_ctlcluster ${args.join(' ')}`
}

async function readRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 'NaN')
  return kb / 1024
}

/** Starts `sportscan serve` on a free port and resolves with its URL once it listens. */
function startServerProcess(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--host', '127.0.0.1', '--port', '0'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  return new Promise((resolve, reject) => {
    let out = ''
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const url = /SportScan API on (http:\/\/\S+)/.exec(out)?.[1]
      if (url) resolve({ child, url })
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${out}`)))
  })
}

async function main(): Promise<number> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'sportscan-soak-'))
  const dbName = `sportscan_soak_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`
  const dbUrl = new URL(baseUrl)
  dbUrl.pathname = `/${dbName}`
  await adminQuery(`CREATE DATABASE ${dbName}`)
  let server: ChildProcess | undefined
  try {
    // Building the stand-in model needs a TF.js backend in this process too.
    await initBackend()
    const [model, jpeg] = await Promise.all([prepareModel(tmp), findJpeg()])
    console.log(`soak: ${CONNECTIONS} connections for ${SECONDS} s, database ${dbName}`)
    console.log(`model: ${model.label}; image: ${jpeg.label}`)
    const started = await startServerProcess({
      ...process.env,
      DATABASE_URL: dbUrl.toString(),
      SPORTSCAN_HOME: path.join(tmp, 'home'),
      SPORTSCAN_BUNDLED_MODEL: model.dir,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    })
    server = started.child
    const pid = server.pid ?? 0
    let serverExit: string | undefined
    server.once('exit', (code, signal) => {
      serverExit = `server exited early (code ${code}, signal ${signal})`
    })
    console.log(`server: ${started.url} (pid ${pid})`)

    const errors = new Map<string, number>()
    const addError = (kind: string) => errors.set(kind, (errors.get(kind) ?? 0) + 1)
    let ok = 0
    let sent = 0
    const rss: Array<{ t: number; mb: number }> = []
    const startedAt = Date.now()
    const deadline = startedAt + SECONDS * 1000
    const elapsed = () => (Date.now() - startedAt) / 1000

    const post = async () => {
      const form = new FormData()
      form.append('img', new Blob([new Uint8Array(jpeg.bytes)], { type: 'image/jpeg' }), 'soak.jpg')
      sent++
      try {
        const res = await fetch(`${started.url}/predict`, {
          method: 'POST',
          body: form,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        })
        const body = await res.text()
        if (res.ok) {
          ok++
          return
        }
        const code = /"code":"([A-Z0-9_]+)"/.exec(body)?.[1] ?? 'no code'
        addError(`HTTP ${res.status} ${code}`)
        // A 503 asks for a retry later: back off like a client honouring Retry-After would (briefly).
        if (res.status === 503) await sleep(250)
      } catch (err) {
        const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err
        addError(
          `network ${cause instanceof Error ? ((cause as { code?: string }).code ?? cause.name) : String(cause)}`,
        )
        await sleep(250)
      }
    }
    const worker = async () => {
      while (Date.now() < deadline && serverExit === undefined) await post()
    }

    const sampler = setInterval(() => {
      readRssMb(pid).then(
        (mb) => rss.push({ t: elapsed(), mb }),
        () => undefined,
      )
    }, RSS_SAMPLE_MS)
    const progress = setInterval(() => {
      const errCount = [...errors.values()].reduce((a, b) => a + b, 0)
      console.log(
        `  t=${elapsed().toFixed(0)}s sent=${sent} 2xx=${ok} errors=${errCount} rss=${rss.at(-1)?.mb.toFixed(0) ?? '?'} MB`,
      )
    }, 10_000)

    let restartNote = 'no database restart (--no-restart)'
    const restart = RESTART
      ? (async () => {
          await sleep(SECONDS * 1000 * RESTART_AT)
          const at = elapsed()
          const command = await restartPostgres()
          restartNote = `database restarted at t=${at.toFixed(1)}s (${command}, took ${(elapsed() - at).toFixed(1)} s)`
          console.log(`  ${restartNote}`)
        })()
      : Promise.resolve()

    await Promise.all([...Array.from({ length: CONNECTIONS }, worker), restart])
    clearInterval(sampler)
    clearInterval(progress)
    rss.push({ t: elapsed(), mb: await readRssMb(pid).catch(() => Number.NaN) })

    const rows = await countRows(dbUrl.toString())
    const seconds = elapsed()
    console.log('')
    console.log(
      `duration: ${seconds.toFixed(1)} s, requests: ${sent}, 2xx: ${ok} (${(ok / seconds).toFixed(1)}/s)`,
    )
    console.log(restartNote)
    console.log('errors by kind:')
    if (errors.size === 0) console.log('  none')
    for (const [kind, n] of [...errors.entries()].sort((a, b) => b[1] - a[1])) console.log(`  ${kind}: ${n}`)
    console.log(`rows stored: ${rows}, 2xx answers: ${ok} -> ${rows === ok ? 'EQUAL' : 'MISMATCH'}`)
    const step = Math.max(1, Math.floor(rss.length / 8))
    const trend = rss.filter((_, i) => i % step === 0 || i === rss.length - 1)
    console.log(`server RSS (MB): ${trend.map((s) => `t=${s.t.toFixed(0)}s ${s.mb.toFixed(0)}`).join(', ')}`)
    if (serverExit) console.log(serverExit)
    return rows === ok && serverExit === undefined ? 0 : 1
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve))
      server.kill('SIGTERM')
      await exited
    }
    await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch((err: unknown) =>
      console.error(`could not drop ${dbName}: ${String(err)}`),
    )
    await rm(tmp, { recursive: true, force: true })
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  },
)

/** The load side of bench:serve: autocannon in its own process, the request body, and the printed tables. */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'

/**
 * The load generator, run in its own Node process. autocannon's CLI reads `-i` bodies as UTF-8 text, which
 * mangles a JPEG, so the child uses its API with the body as a Buffer and prints the JSON summary.
 */
const LOAD_CLIENT = `
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'
const [url, bodyFile, contentType, connections, duration] = process.argv.slice(1)
const result = await autocannon({
  url, method: 'POST', body: readFileSync(bodyFile), headers: { 'content-type': contentType },
  connections: Number(connections), duration: Number(duration),
})
process.stdout.write(JSON.stringify(result))
`

export async function autocannon(
  url: string,
  bodyFile: string,
  contentType: string,
  connections: number,
  seconds: number,
) {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      LOAD_CLIENT,
      url,
      bodyFile,
      contentType,
      String(connections),
      String(seconds),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: process.cwd() },
  )
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  let err = ''
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  if (code !== 0) throw new Error(`autocannon exited ${code}: ${err}`)
  const parsed: unknown = JSON.parse(out)
  const num = (o: unknown, ...keys: string[]): number => {
    let v: unknown = o
    for (const k of keys)
      v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined
    return typeof v === 'number' ? v : 0
  }
  return {
    requestsPerSecond: num(parsed, 'requests', 'average'),
    total: num(parsed, 'requests', 'total'),
    p50: num(parsed, 'latency', 'p50'),
    p99: num(parsed, 'latency', 'p99'),
    errors: num(parsed, 'errors'),
    timeouts: num(parsed, 'timeouts'),
    non2xx: num(parsed, 'non2xx'),
    ok: num(parsed, '2xx'),
  }
}

export function multipartBody(jpeg: Buffer): { body: Buffer; contentType: string } {
  const boundary = `----sportscan${randomBytes(8).toString('hex')}`
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="location"\r\n\r\nbench\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="img"; filename="ball.jpg"\r\n` +
        'content-type: image/jpeg\r\n\r\n',
    ),
    jpeg,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return { body, contentType: `multipart/form-data; boundary=${boundary}` }
}

export function table(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '))
    .join('\n')
}

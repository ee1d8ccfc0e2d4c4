import { spawn } from 'node:child_process'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'
import { openDatabase, tables } from '../../src/db/index.js'
import { createSilentLogger } from '../../src/log/index.js'
import { onTestFinished } from 'vitest'
import { describe, expect, test } from '../fixtures.js'
import { colourImage, multipart, writeTinyModel } from './api-harness.js'

/** Whether a new TCP connection to `url` is refused. */
function isRefused(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname)
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(true))
  })
}

/** Resolves once the server stops accepting connections (it closes its listener first on SIGTERM). */
async function untilRefused(url: URL): Promise<void> {
  while (!(await isRefused(url))) await new Promise((resolve) => setTimeout(resolve, 50))
}

/** Resolves with the first match of `pattern` in what the child printed so far. */
function waitFor(
  output: { text: string },
  pattern: RegExp,
  stream: NodeJS.ReadableStream,
): Promise<RegExpExecArray> {
  return new Promise((resolve) => {
    const check = () => {
      const match = pattern.exec(output.text)
      if (match) {
        stream.off('data', check)
        resolve(match)
      }
    }
    stream.on('data', check)
    check()
  })
}

describe('graceful shutdown', () => {
  test('on SIGTERM: refuses new connections, finishes the upload in flight, commits it, exits 0', async ({
    tmpDir,
  }) => {
    const modelDir = await writeTinyModel(path.join(tmpDir, 'model'))
    const home = path.join(tmpDir, 'home')
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SPORTSCAN_HOME: home,
      SPORTSCAN_BUNDLED_MODEL: modelDir,
      SPORTSCAN_RUNTIME: 'tfjs',
      LOG_LEVEL: 'info',
    }
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--host', '127.0.0.1', '--port', '0'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    // Also on a timeout, when the finally below never runs: no server may outlive the test.
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL')
    })
    const output = { text: '' }
    const append = (chunk: Buffer) => {
      output.text += chunk.toString()
    }
    child.stdout.on('data', append)
    child.stderr.on('data', append)
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    try {
      const url = new URL((await waitFor(output, /SportScan API on (http:\/\/\S+)/, child.stdout))[1] ?? '')

      // An upload whose body is only half sent when SIGTERM arrives.
      const { payload, headers } = multipart([
        { name: 'img', filename: 'slow.png', value: await colourImage(9, 64) },
      ])
      const half = Math.floor(payload.length / 2)
      const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          url,
          {
            method: 'POST',
            path: '/predict',
            headers: { ...headers, 'content-length': String(payload.length) },
          },
          (res) => {
            let body = ''
            res.on('data', (c: Buffer) => (body += c.toString()))
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
          },
        )
        req.on('error', reject)
        req.write(payload.subarray(0, half))
        // The rest goes once the server has stopped listening (below).
        void untilRefused(url).then(() => req.end(payload.subarray(half)), reject)
      })
      // Let the request reach its handler before the signal.
      await new Promise((resolve) => setTimeout(resolve, 500))
      child.kill('SIGTERM')

      const answer = await response.catch((err: unknown) => {
        throw new Error(`${String(err)}\n${output.text}`)
      })
      expect(answer.status).toBe(200)
      const id = (JSON.parse(answer.body) as { id: string }).id
      expect(await exited).toBe(0)
      // Loopback with SPORTSCAN_AUTH unset (auto): the startup log says auth is off.
      expect(output.text).toMatch(/"auth":"off".*"sportscan API listening"/)

      const db = await openDatabase({ driver: 'pglite', dir: path.join(home, 'db') }, createSilentLogger())
      try {
        const rows = await db.db.select({ id: tables.predictions.id }).from(tables.predictions)
        expect(rows.map((r) => r.id)).toEqual([id])
      } finally {
        await db.close()
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  }, 120_000)
})

import { spawn, type ChildProcess } from 'node:child_process'
import { access, readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { onTestFinished } from 'vitest'
import { describe, expect, test } from '../fixtures.js'
import { parseDockerfile } from './helpers/dockerfile.js'
import { REPO_ROOT, repoPath } from './helpers/repo-files.js'

/** A port that was free a moment ago (the server binds it right after). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

// bounded, and shorter than the test's own timeout so a failure shows the server's output
const READY_DEADLINE_MS = 100_000

async function waitForReady(url: string, child: ChildProcess, output: () => string): Promise<Response> {
  const deadline = Date.now() + READY_DEADLINE_MS
  let last = 'no answer'
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output()}`)
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) })
      if (response.status === 200) return response
      last = `${response.status} ${await response.text()}`
    } catch {
      // not listening yet: try again
    }
    await sleep(500)
  }
  throw new Error(`${url} never answered 200 (last: ${last}):\n${output()}`)
}

describe("the image's start command, run on this machine with the image's environment", () => {
  test(
    'serves /health and /ready, then drains and exits 0 on SIGTERM',
    { timeout: 150_000 },
    async ({ tmpDir }) => {
      const { runtime } = parseDockerfile(await readFile(repoPath('Dockerfile'), 'utf8'))
      const [command, ...args] = runtime.cmd ?? []
      expect(command).toBe('node')
      const entry = repoPath(args[0] ?? '')
      await access(entry).catch(() => {
        throw new Error(`${entry} is missing: run \`npm run build\` first (npm ci does it through prepare)`)
      })

      // the image's WORKDIR is this checkout; paths inside the image map onto it
      const workdir = runtime.workdir ?? '/app'
      const env: Record<string, string> = {}
      for (const [key, value] of Object.entries(runtime.env)) {
        env[key] = value.startsWith(`${workdir}/`)
          ? path.join(REPO_ROOT, value.slice(workdir.length + 1))
          : value
      }
      const bundledModel = env.SPORTSCAN_BUNDLED_MODEL ?? ''
      await access(path.join(bundledModel, 'model.json')).catch(() => {
        throw new Error(
          `the image's bundled model ${bundledModel} is not in the checkout (models/ must hold it)`,
        )
      })
      const port = await freePort()
      // the image's HOST is 0.0.0.0; a test listens on loopback only. SPORTSCAN_HOME is the volume.
      Object.assign(env, { HOST: '127.0.0.1', PORT: String(port), SPORTSCAN_HOME: tmpDir, LOG_LEVEL: 'warn' })

      const child = spawn(process.execPath, args, {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let output = ''
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
      // also on a timeout or failure: never leave a server behind
      onTestFinished(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      })
      try {
        const ready = await waitForReady(`http://127.0.0.1:${port}/ready`, child, () => output)
        expect(ready.status).toBe(200)
        const health = await fetch(`http://127.0.0.1:${port}/health`)
        expect(health.status).toBe(200)
      } finally {
        if (child.exitCode === null) child.kill('SIGTERM')
      }
      // what tini forwards on `docker stop` / pod deletion: the server must close cleanly
      expect(await exited).toBe(0)
    },
  )
})

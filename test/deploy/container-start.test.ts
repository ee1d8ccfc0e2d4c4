import { spawn, type ChildProcess } from 'node:child_process'
import { access, readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
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

async function waitForReady(url: string, child: ChildProcess, output: () => string): Promise<Response> {
  // bounded: model load + migrations on 2 shared cores take seconds, never minutes
  for (let attempt = 0; attempt < 240; attempt++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output()}`)
    try {
      const response = await fetch(url)
      if (response.status === 200) return response
    } catch {
      // not listening yet: try again
    }
    await sleep(500)
  }
  throw new Error(`${url} never answered 200:\n${output()}`)
}

describe("the image's start command, run on this machine with the image's environment", () => {
  test('serves /health and /ready, then drains and exits 0 on SIGTERM', async ({ tmpDir }) => {
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
  })
})

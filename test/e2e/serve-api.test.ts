import { spawn } from 'node:child_process'
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { startServer } from '../../src/api/start-server.js'
import { loadConfig } from '../../src/config/index.js'
import { colourImage, writeTinyModel } from '../api/api-harness.js'
import { describe, expect, test } from '../fixtures.js'

/** A real photo from SPORTSCAN_DATASET when set (missing folder = failure), else a generated image. */
async function samplePhoto(): Promise<{ name: string; bytes: Buffer }> {
  const dataset = process.env.SPORTSCAN_DATASET
  if (!dataset) return { name: 'generated.jpg', bytes: await colourImage(7, 64, 'jpeg') }
  if (!(await stat(dataset).catch(() => undefined))?.isDirectory()) {
    throw new Error(`SPORTSCAN_DATASET=${dataset} is set but is not a folder`)
  }
  const dir = path.join(dataset, 'basketball')
  const files = (await readdir(dir)).filter((f) => f.endsWith('.jpg')).sort()
  const first = files[0]
  if (!first) throw new Error(`no .jpg under ${dir}`)
  return { name: first, bytes: await readFile(path.join(dir, first)) }
}

async function postPhoto(url: string, photo: { name: string; bytes: Buffer }) {
  const form = new FormData()
  form.set('img', new Blob([new Uint8Array(photo.bytes)], { type: 'image/jpeg' }), photo.name)
  form.set('location', 'e2e-shelf')
  return fetch(`${url}/predict`, { method: 'POST', body: form })
}

describe('sportscan serve (real HTTP)', () => {
  test('answers a photo on a free port, and the embedded history survives a restart', async ({
    tmpDir,
    log,
  }) => {
    const modelDir = await writeTinyModel(path.join(tmpDir, 'bundled-model'))
    const config = loadConfig({
      SPORTSCAN_HOME: path.join(tmpDir, 'home'),
      PORT: '0',
      SPORTSCAN_BUNDLED_MODEL: modelDir,
    })
    const photo = await samplePhoto()

    const first = await startServer({ config, log })
    let id: string
    try {
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const res = await postPhoto(first.url, photo)
      expect(res.status).toBe(200)
      const body = (await res.json()) as {
        id: string
        filename: string
        predicted_label: string
        location: string
      }
      expect(body).toMatchObject({ filename: photo.name, location: 'e2e-shelf' })
      expect(['basketball', 'tennis_ball']).toContain(body.predicted_label)
      id = body.id
      const ready = await fetch(`${first.url}/ready`)
      expect(ready.status).toBe(200)
    } finally {
      await first.close()
    }

    const second = await startServer({ config, log })
    try {
      const history = (await (await fetch(`${second.url}/history`)).json()) as {
        items: Array<{ id: string }>
      }
      expect(history.items.map((i) => i.id)).toEqual([id])
    } finally {
      await second.close()
    }
  })

  test('`sportscan serve` starts from the CLI and exits 0 on SIGTERM', async ({ tmpDir }) => {
    const modelDir = await writeTinyModel(path.join(tmpDir, 'bundled-model'))
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: {
        ...process.env,
        SPORTSCAN_HOME: path.join(tmpDir, 'home'),
        SPORTSCAN_BUNDLED_MODEL: modelDir,
        LOG_LEVEL: 'warn',
        DATABASE_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      await expect
        .poll(() => /on (http:\/\/\S+) /.exec(stdout)?.[1], { timeout: 90_000, interval: 200 })
        .toMatch(/^http:/)
      const url = /on (http:\/\/\S+) /.exec(stdout)?.[1] ?? ''
      const health = (await (await fetch(`${url}/health`)).json()) as {
        status: string
        model_loaded: boolean
      }
      expect(health).toMatchObject({ status: 'ok', model_loaded: true })
      child.kill('SIGTERM')
      expect(await exited, stderr).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})

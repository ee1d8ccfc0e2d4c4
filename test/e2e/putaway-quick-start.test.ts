import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { startServer } from '../../src/api/start-server.js'
import { loadConfig } from '../../src/config/index.js'
import { parseBinsCsv } from '../../src/putaway/index.js'
import { colourImage, writeTinyModel } from '../api/api-harness.js'
import { describe, expect, test } from '../fixtures.js'

const run = promisify(execFile)
const SAMPLE = 'docs/bins-sample.csv'

/** The README's put-away steps on a fresh home with the embedded database, no external server. */
describe('Quick start: put-away with the sample plan of docs/', () => {
  test('sportscan bins import loads it, the served answer names the bin, and the API imports it too', async ({
    tmpDir,
    log,
  }) => {
    // The embedded database, whatever the shell points DATABASE_URL at.
    const { DATABASE_URL: _ignored, ...inherited } = process.env
    const env = { ...inherited, SPORTSCAN_HOME: path.join(tmpDir, 'home'), LOG_LEVEL: 'silent' }
    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env, encoding: 'utf8' })

    const imported = await cli('bins', 'import', SAMPLE)
    expect(imported.stdout).toBe('imported 15 bin assignments for site(s) main\n')
    expect((await cli('bins', 'list')).stdout).toMatch(/^main\s+basketball\s+A3-B\s+24$/m)

    const plan = new Map(parseBinsCsv(await readFile(SAMPLE, 'utf8')).map((r) => [r.ballLabel, r.binLabel]))
    const config = loadConfig({
      SPORTSCAN_HOME: env.SPORTSCAN_HOME,
      PORT: '0',
      SPORTSCAN_THRESHOLD: '0',
      SPORTSCAN_BUNDLED_MODEL: await writeTinyModel(path.join(tmpDir, 'model')),
    })
    const server = await startServer({ config, log })
    try {
      const form = new FormData()
      form.set('img', new Blob([new Uint8Array(await colourImage(3))], { type: 'image/png' }), 'ball.png')
      const answer = (await (
        await fetch(`${server.url}/predict`, { method: 'POST', body: form })
      ).json()) as {
        predicted_label: string
        site: string
        bin: string | null
      }
      expect(answer.site).toBe('main')
      expect(answer.bin).toBe(plan.get(answer.predicted_label))
      // While the server holds the embedded database, the same file goes in through the API (README's curl).
      const viaApi = await fetch(`${server.url}/bins/import`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: await readFile(SAMPLE, 'utf8'),
      })
      expect(await viaApi.json()).toEqual({ imported: 15, sites: ['main'] })
    } finally {
      await server.close()
    }
  })
})

import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../src/api/start-server.js'
import { createApiKey } from '../../src/auth/index.js'
import { loadConfig } from '../../src/config/index.js'
import { openDatabase } from '../../src/db/index.js'
import { createSilentLogger } from '../../src/log/index.js'
import { initBackend } from '../../src/model/backend/index.js'
import { promoteAlias, registerModel } from '../../src/registry/index.js'
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  evaluationMetrics,
  exists,
  pickPhoto,
  writeConvModel,
} from './browser-fixtures.js'

const hasChromium = await exists(CHROMIUM)

describe.skipIf(!hasChromium)('dashboard in Chromium against a server that requires API keys', () => {
  let home = ''
  let server: RunningServer | undefined
  let browser: Browser | undefined
  let adminKey = ''

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'sportscan-web-auth-'))
    const log = createSilentLogger()
    const webDir = path.join(home, 'web')
    await build({
      configFile: path.resolve('src/web/vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: webDir, emptyOutDir: true },
    })
    const config = loadConfig({
      SPORTSCAN_HOME: home,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      STORE_IMAGES: '1',
      SPORTSCAN_AUTH: 'required',
      SPORTSCAN_BUNDLED_MODEL: path.join(home, 'no-bundled-model'),
    })
    const modelDir = path.join(home, 'model-artifact')
    await initBackend({ log })
    await writeConvModel(modelDir)
    const db = await openDatabase(config.db, log)
    try {
      const registered = await registerModel(db.db, {
        home,
        name: config.serving.modelName,
        artifactDir: modelDir,
        architecture: 'tiny-conv',
        metrics: evaluationMetrics(16, 4),
      })
      await promoteAlias(db.db, registered.ref, 'production')
      adminKey = (await createApiKey(db.db, { name: 'dashboard-e2e', role: 'admin' })).key
    } finally {
      await db.close()
    }
    server = await startServer({ config, log, webDir })
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    if (home !== '') await rm(home, { recursive: true, force: true })
  })

  it('asks for a key, then scans and lists history with the key the user saved', async () => {
    if (browser === undefined || server === undefined) throw new Error('not started')
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(error.message))

    await page.goto(`${server.url}/scans`)
    const refused = page.getByRole('alert')
    await refused.waitFor()
    expect(await refused.innerText()).toMatch(/key/i)

    await page.getByText('Sign in').click()
    await page.getByLabel('API key').fill(adminKey)
    await page.getByRole('button', { name: 'Save key' }).click()
    await page.getByRole('link', { name: 'Scan', exact: true }).click()
    await page.getByTestId('file-input').setInputFiles(await pickPhoto())
    await page.locator('[data-testid=predicted-label], [role=alert]').first().waitFor()
    expect(await page.getByRole('alert').count()).toBe(0)

    await page.getByRole('link', { name: 'History' }).click()
    const row = page.getByTestId('history-row').first()
    await row.waitFor()
    // The kept photo needs the key too: it arrives only because the dashboard fetches it with the header.
    const thumbnail = row.locator('img.thumb')
    await expect
      .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true)
    // Only the refused requests before signing in may appear in the console.
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([])
    await page.close()
  })
})

import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../src/api/start-server.js'
import { loadConfig } from '../../src/config/index.js'
import { createSilentLogger } from '../../src/log/index.js'
import { createApiClient } from '../../src/web/src/lib/api-client.js'
import { EMPTY_HISTORY_FILTERS } from '../../src/web/src/lib/query-string.js'
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  exists,
  horizontalOverflow,
  navigationRows,
  openWatchedPage,
  pickPhoto,
} from './browser-fixtures.js'

const SCREENSHOTS = path.resolve('test-artifacts/screenshots')
const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 375, height: 812 }
const hasChromium = await exists(CHROMIUM)

/**
 * The dashboard as a fresh clone shows it: default settings (photos not kept), an empty database and the
 * bundled model serving. Every page must say what to do next, ask for nothing the server does not have,
 * and fit a phone.
 */
describe.skipIf(!hasChromium)('dashboard on a fresh clone (defaults, bundled model)', () => {
  let home = ''
  let server: RunningServer | undefined
  let browser: Browser | undefined

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'sportscan-fresh-e2e-'))
    const webDir = path.join(home, 'web')
    await build({
      configFile: path.resolve('src/web/vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: webDir, emptyOutDir: true },
    })
    // Only what a new user sets: nothing but a home and a port (STORE_IMAGES stays at its default, off).
    const config = loadConfig({ SPORTSCAN_HOME: home, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent' })
    server = await startServer({ config, log: createSilentLogger(), webDir })
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })
    await mkdir(SCREENSHOTS, { recursive: true })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    if (home !== '') await rm(home, { recursive: true, force: true })
  })

  function baseUrl(): string {
    if (server === undefined) throw new Error('server not started')
    return server.url
  }

  function theBrowser(): Browser {
    if (browser === undefined) throw new Error('browser not started')
    return browser
  }

  it('empty History and review queue each say, once, that nothing was scanned and where to start', async () => {
    const { page, problems } = await openWatchedPage(theBrowser(), DESKTOP)
    await page.goto(`${baseUrl()}/scans`)
    const empty = page.getByTestId('history-empty')
    await empty.waitFor()
    expect(await empty.innerText()).toMatch(/^No scans yet\. Scan a ball/)
    expect(await page.getByText(/No scans/).count()).toBe(1)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'fresh-history-empty-desktop.png'), fullPage: true })

    await page.goto(`${baseUrl()}/queue`)
    const queue = page.getByTestId('review-empty')
    await queue.waitFor()
    expect(await queue.innerText()).toContain('no ball has been scanned')
    expect(await queue.innerText()).not.toContain('has been checked')
    await page.screenshot({ path: path.join(SCREENSHOTS, 'fresh-review-empty-desktop.png'), fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  })

  it('the Models page shows the bundled model that serves, with its figures and model card', async () => {
    const served = await createApiClient({ baseUrl: baseUrl() }).health()
    expect(served.model).toMatch(/^sports-ball-cnn@bundled-/)
    const { page, problems } = await openWatchedPage(theBrowser(), DESKTOP)
    await page.goto(`${baseUrl()}/registry`)
    const card = page.getByTestId('model-card').filter({ hasText: 'bundled with the app' })
    await card.waitFor()
    const text = await card.innerText()
    expect(text).toContain('serving now')
    expect(text).not.toContain('No model')
    expect(text).toMatch(/Accuracy\s+\d+\.\d%/)
    await card.getByText('F1 per ball type').click()
    expect(await card.locator('details table tbody tr').count()).toBeGreaterThan(10)
    await card.getByText('Model card', { exact: true }).click()
    await expect(card.getByTestId('model-card-text').innerText()).resolves.toContain(
      '# Model card: sports-ball-cnn',
    )
    // The plots are real PNGs the browser decodes.
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll<HTMLImageElement>('.model__images img')).every(
        (img) => img.complete && img.naturalWidth > 0,
      ),
    )
    expect(await card.locator('.model__images img').count()).toBe(2)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'fresh-models-desktop.png'), fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  })

  it('with photos not kept, History has no photo column and asks for no photo', async () => {
    const { page, problems } = await openWatchedPage(theBrowser(), DESKTOP)
    const photo = await pickPhoto()
    await page.goto(`${baseUrl()}/`)
    await page.getByTestId('file-input').setInputFiles(photo)
    await page.getByTestId('predicted-label').waitFor()
    await page.getByTestId('heatmap').waitFor()
    await page.screenshot({ path: path.join(SCREENSHOTS, 'fresh-scan-desktop.png'), fullPage: true })
    const photoRequests: string[] = []
    page.on('request', (request) => {
      if (/\/predictions\/[^/]+\/image/.test(request.url())) photoRequests.push(request.url())
    })
    await page.goto(`${baseUrl()}/scans`)
    await page.getByTestId('history-row').first().waitFor()
    expect(await page.locator('.cell-thumb, img.thumb').count()).toBe(0)
    expect(photoRequests).toEqual([])
    const total = (
      await createApiClient({ baseUrl: baseUrl() }).history(EMPTY_HISTORY_FILTERS, { limit: 1, cursor: null })
    ).total
    expect(total).toBe(1)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'fresh-history-desktop.png'), fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  })

  it('at 375 px every page fits, with a one-row navigation', async () => {
    const { page, problems } = await openWatchedPage(theBrowser(), PHONE)
    for (const [pagePath, name] of [
      ['/', 'scan'],
      ['/scans', 'history'],
      ['/queue', 'review'],
      ['/reports', 'stock'],
      ['/registry', 'models'],
    ] as const) {
      await page.goto(`${baseUrl()}${pagePath}`)
      await page.locator('h1').waitFor()
      await page.waitForLoadState('networkidle')
      expect(await horizontalOverflow(page), `${name} is wider than the phone`).toBeLessThanOrEqual(0)
      expect(await navigationRows(page), `${name}: navigation wraps`).toBe(1)
      // Icons are bundled SVG, drawn the same without an emoji font: no emoji in the text at all.
      const links = page.locator('nav[aria-label=Main] a')
      expect(await links.locator('svg.icon').count()).toBe(await links.count())
      const emoji = await page.evaluate(
        () => document.body.innerText.match(/\p{Extended_Pictographic}/gu) ?? [],
      )
      expect(emoji, `${name} shows emoji`).toEqual([])
      // The screen as the phone shows it: a full-page capture would draw the fixed tab bar mid-page.
      await page.screenshot({ path: path.join(SCREENSHOTS, `fresh-${name}-phone.png`) })
    }
    expect(problems).toEqual([])
    await page.close()
  })
})

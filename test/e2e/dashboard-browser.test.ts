import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import sharp from 'sharp'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../src/api/start-server.js'
import { loadConfig } from '../../src/config/index.js'
import { BALL_LABELS } from '../../src/data/index.js'
import { openDatabase } from '../../src/db/index.js'
import { createSilentLogger } from '../../src/log/index.js'
import { initBackend } from '../../src/model/backend/index.js'
import { REPORTED_THRESHOLDS } from '../../src/model/index.js'
import { promoteAlias, registerModel } from '../../src/registry/index.js'
import { createApiClient, type ApiClient } from '../../src/web/src/lib/api-client.js'
import { describeBallType } from '../../src/web/src/lib/ball-types.js'
import { ApiError } from '../../src/web/src/lib/errors.js'
import type { Prediction } from '../../src/web/src/lib/prediction.js'
import { EMPTY_HISTORY_FILTERS } from '../../src/web/src/lib/query-string.js'
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  evaluationMetrics,
  exists,
  openWatchedPage,
  pickPhoto,
  writeConvModel,
  type WatchedPage,
} from './browser-fixtures.js'

const SCREENSHOTS = path.resolve('test-artifacts/screenshots')
const DESKTOP = { width: 1280, height: 900 }
const PHONE = { width: 375, height: 800 }
/** Fixture metrics registered with the model, so the Models page has figures to show. */
const FIXTURE_METRICS = evaluationMetrics(16, 4)
/** Metrics of a second, newer version that is registered but not production, for the promote button. */
const CANDIDATE_METRICS = evaluationMetrics(16, 6)

const hasChromium = await exists(CHROMIUM)
if (!hasChromium && process.env['CI'] !== undefined) {
  throw new Error(`${CHROMIUM} is missing: CI must run "apt-get install -y chromium" before the tests`)
}

describe.skipIf(!hasChromium)('dashboard in Chromium against the real server', () => {
  let home = ''
  let server: RunningServer | undefined
  let browser: Browser | undefined
  let photo: { name: string; mimeType: string; buffer: Buffer }
  let modelRef = ''
  let candidateRef = ''

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'sportscan-web-e2e-'))
    const log = createSilentLogger()
    const webDir = path.join(home, 'web')
    // Build the current source, so the test never runs against a stale dist/web.
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
      // Every scan counts, so the stock page has something to show with an untrained model.
      SPORTSCAN_THRESHOLD: '0',
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
        metrics: FIXTURE_METRICS,
      })
      await promoteAlias(db.db, registered.ref, 'production')
      modelRef = registered.ref
      const candidate = await registerModel(db.db, {
        home,
        name: config.serving.modelName,
        artifactDir: modelDir,
        architecture: 'tiny-conv',
        metrics: CANDIDATE_METRICS,
      })
      candidateRef = candidate.ref
    } finally {
      await db.close()
    }
    server = await startServer({ config, log, webDir })
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })
    photo = await pickPhoto()
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

  async function openPage(viewport: { width: number; height: number }): Promise<WatchedPage> {
    if (browser === undefined) throw new Error('browser not started')
    return openWatchedPage(browser, viewport)
  }

  /** The dashboard's own API client, run in Node: it also checks its decoders against the real answers. */
  function api(): ApiClient {
    return createApiClient({ baseUrl: baseUrl() })
  }

  async function historyTotal(): Promise<number> {
    return (await api().history(EMPTY_HISTORY_FILTERS, { limit: 1, cursor: null })).total
  }

  async function latestPrediction(): Promise<Prediction> {
    const [latest] = (await api().history(EMPTY_HISTORY_FILTERS, { limit: 1, cursor: null })).items
    if (latest === undefined) throw new Error('no prediction stored')
    return latest
  }

  async function scan(page: Page, location: string): Promise<void> {
    await page.goto(`${baseUrl()}/`)
    await page.getByLabel('Location (optional)').fill(location)
    await page.getByTestId('file-input').setInputFiles(photo)
    // Wait for the answer or an error, and show the error's text rather than a bare timeout.
    await page.locator('[data-testid=predicted-label], [role=alert]').first().waitFor()
    const alert = page.getByRole('alert')
    if ((await alert.count()) > 0) throw new Error(`scan failed in the page: ${await alert.innerText()}`)
  }

  it('scans a photo: the label, confidence, top-5 bars and model appear, and the row is stored', async () => {
    const { page, problems } = await openPage(DESKTOP)
    await scan(page, 'Aisle 7')
    const stored = await latestPrediction()
    expect(stored.location).toBe('Aisle 7')
    expect(stored.model).toBe(modelRef)
    await expect(page.getByTestId('predicted-label').innerText()).resolves.toContain(
      describeBallType(stored.predictedLabel).name,
    )
    expect(await page.locator('.prob-bars__row').count()).toBe(5)
    await page.getByText(`Recognising with model ${modelRef}.`).waitFor()
    await expect(page.locator('.facts').innerText()).resolves.toContain(modelRef)
    // This server lists the Grad-CAM route, so the overlay must show: a real decoded PNG the photo's size.
    expect((await api().capabilities()).explainPath).toBe('/predictions/{id}/explain')
    const heatmap = page.getByTestId('heatmap')
    await heatmap.waitFor()
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid=heatmap]')
      return img !== null && img.complete && img.naturalWidth > 0
    })
    // The overlay is the upright photo shrunk to fit 512 px: ask sharp for that size rather than assume one.
    const { info } = await sharp(photo.buffer)
      .rotate()
      .resize({ width: 512, height: 512, fit: 'inside', withoutEnlargement: true })
      .toBuffer({ resolveWithObject: true })
    expect(await heatmap.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([
      info.width,
      info.height,
    ])
    await page.screenshot({ path: path.join(SCREENSHOTS, 'scan-desktop.png'), fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  })

  it('shows the server’s readable message for a file that is not an image, and stores nothing', async () => {
    const notAnImage = {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a photo at all\n'),
    }
    const before = await historyTotal()
    const refused = await api()
      .predict(new Blob([notAnImage.buffer], { type: notAnImage.mimeType }), notAnImage.name, '')
      .catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(ApiError)
    const { status, message } = refused instanceof ApiError ? refused : { status: 0, message: '' }
    expect(status).toBeGreaterThanOrEqual(400)
    expect(status).toBeLessThan(500)

    const { page, problems } = await openPage(DESKTOP)
    await page.goto(`${baseUrl()}/`)
    await page.getByTestId('file-input').setInputFiles(notAnImage)
    const alert = page.getByRole('alert')
    await alert.waitFor()
    expect(await alert.innerText()).toContain(message)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'scan-error-desktop.png'), fullPage: true })
    expect(await historyTotal()).toBe(before)
    // The browser itself logs the refused upload's status; nothing else may appear.
    expect(problems.filter((p) => !/status of 4\d\d|^HTTP 4\d\d .*\/predict$/.test(p))).toEqual([])
    await page.close()
  })

  it('lists the scan on the history page, reached from the navigation bar with the keyboard', async () => {
    const stored = await latestPrediction()
    const { page, problems } = await openPage(DESKTOP)
    await page.goto(`${baseUrl()}/`)
    await page.getByRole('link', { name: 'History' }).focus()
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'History', level: 1 }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/scans')
    const firstRow = page.getByTestId('history-row').first()
    await firstRow.waitFor()
    const text = await firstRow.innerText()
    expect(text).toContain(describeBallType(stored.predictedLabel).name)
    expect(text).toContain('Aisle 7')
    // STORE_IMAGES=1: the row shows the kept photo, decoded by the browser.
    const thumbnail = firstRow.locator('img.thumb')
    await thumbnail.scrollIntoViewIfNeeded()
    await expect
      .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'history-desktop.png'), fullPage: true })
    // Every scan counted (threshold 0), so filtering on "needs review" empties the table.
    await page.getByLabel('Status').selectOption('needs_review')
    await page.getByRole('button', { name: 'Apply' }).click()
    await page.getByText('No scans match these filters.').waitFor()
    await page.getByRole('button', { name: 'Reset' }).click()
    await page.getByTestId('history-row').first().waitFor()
    expect(problems).toEqual([])
    await page.close()
  })

  it('shows the stock count and the report totals the API gives', async () => {
    const stored = await latestPrediction()
    const stock = await api().stock()
    const expected = stock
      .filter((i) => i.label === stored.predictedLabel)
      .reduce((sum, i) => sum + i.count, 0)
    expect(expected).toBeGreaterThan(0)
    const stats = await api().stats({ from: '', to: '', location: '' })

    const { page, problems } = await openPage(DESKTOP)
    // A deep link (reload) of a page path gets the dashboard, not JSON.
    await page.goto(`${baseUrl()}/reports`)
    const table = page.getByTestId('stock-table')
    await table.waitFor()
    const row = table.locator('tbody tr', { hasText: describeBallType(stored.predictedLabel).name })
    await expect(row.locator('td').last().innerText()).resolves.toBe(String(expected))
    await expect(page.getByTestId('stats-total').innerText()).resolves.toBe(
      stats.total.toLocaleString('en-US'),
    )
    await page.locator('svg.chart').first().waitFor()
    await page.screenshot({ path: path.join(SCREENSHOTS, 'stock-desktop.png'), fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  })

  it('sends filters the server accepts: dates, label, status, location, for history, CSV and stats', async () => {
    const stored = await latestPrediction()
    const day = new Date(stored.createdAt)
    const today = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`
    const filters = {
      label: stored.predictedLabel,
      status: 'counted',
      location: 'Aisle 7',
      from: today,
      to: today,
    }
    const page = await api().history(filters, { limit: 5, cursor: null })
    expect(page.items.map((item) => item.id)).toContain(stored.id)
    expect(page.items.every((item) => item.location === 'Aisle 7')).toBe(true)
    const otherLabel = stored.predictedLabel === 'volleyball' ? 'baseball' : 'volleyball'
    expect((await api().history({ ...filters, label: otherLabel }, { limit: 5, cursor: null })).total).toBe(0)
    const csv = await (await api().download(api().historyCsvUrl(filters))).text()
    expect(csv).toContain(stored.id)
    const stats = await api().stats({ location: 'Aisle 7', from: today, to: today })
    expect(stats.total).toBe(page.total)
  })

  it('fixes a confident wrong scan from its History row with the keyboard: stock moves, Undo moves it back', async () => {
    const { page, problems } = await openPage(DESKTOP)
    await scan(page, 'Bay 9')
    const stored = await latestPrediction()
    // A confident answer (threshold 0): it counted at once and never entered the review queue.
    expect(stored.status).toBe('counted')
    const wrong = stored.predictedLabel
    const right = wrong === 'table_tennis_ball' ? 'golf_ball' : 'table_tennis_ball'
    const countAt = async (label: string) =>
      (await api().stock())
        .filter((i) => i.location === 'Bay 9' && i.label === label)
        .reduce((sum, i) => sum + i.count, 0)
    expect([await countAt(wrong), await countAt(right)]).toEqual([1, 0])

    await page.goto(`${baseUrl()}/scans`)
    const row = page.getByTestId('history-row').filter({ hasText: 'Bay 9' })
    await row.waitFor()
    await row.locator('summary').focus()
    await page.keyboard.press('Enter')
    const select = row.getByLabel('Right ball type')
    await select.focus()
    await select.selectOption(right)
    await row.getByRole('button', { name: 'Correct' }).focus()
    await page.keyboard.press('Enter')
    const notice = page.getByTestId('change-notice')
    await notice.getByText(`corrected to ${describeBallType(right).name}`).waitFor()
    expect([await countAt(wrong), await countAt(right)]).toEqual([0, 1])
    await expect(row.locator('.cell-label').innerText()).resolves.toContain(describeBallType(right).name)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'history-corrected-desktop.png'), fullPage: true })

    // The stock table agrees: the right type's total includes this scan.
    const expectedTotal = (await api().stock())
      .filter((i) => i.label === right)
      .reduce((sum, i) => sum + i.count, 0)
    const stockPage = await openPage(DESKTOP)
    await stockPage.page.goto(`${baseUrl()}/reports`)
    const stockRow = stockPage.page
      .getByTestId('stock-table')
      .locator('tbody tr', { hasText: describeBallType(right).name })
    await expect(stockRow.locator('td').last().innerText()).resolves.toBe(String(expectedTotal))
    expect(stockPage.problems).toEqual([])
    await stockPage.page.close()

    // Focus moved to Undo: Enter takes the correction back.
    await expect(page.evaluate(() => document.activeElement?.textContent?.trim())).resolves.toBe('Undo')
    await page.keyboard.press('Enter')
    await notice.getByText(/^Undone:/).waitFor()
    expect([await countAt(wrong), await countAt(right)]).toEqual([1, 0])
    expect((await api().prediction(stored.id)).correctedLabel).toBeNull()
    expect(problems).toEqual([])
    await page.close()
  })

  it('from the scan result: flag (and undo), mark not a ball, delete (and undo)', async () => {
    const { page, problems } = await openPage(DESKTOP)
    await scan(page, 'Bay 10')
    const stored = await latestPrediction()
    const inStock = async () =>
      (await api().stock()).filter((i) => i.location === 'Bay 10').reduce((sum, i) => sum + i.count, 0)
    const queued = async () => (await api().reviewQueue(200)).items.some((i) => i.id === stored.id)
    const notice = page.getByTestId('change-notice')

    await page.getByRole('button', { name: 'Flag for review' }).click()
    await notice.getByText('sent to the review queue').waitFor()
    expect(await queued()).toBe(true)
    await page.getByRole('button', { name: 'Unflag' }).waitFor()
    await notice.getByRole('button', { name: 'Undo' }).click()
    await notice.getByText(/^Undone:/).waitFor()
    expect(await queued()).toBe(false)

    await page.getByRole('button', { name: 'Not a ball' }).click()
    await notice.getByText('marked as not a ball').waitFor()
    expect(await inStock()).toBe(0)
    await page.getByTestId('corrected-label').waitFor()
    await page.screenshot({ path: path.join(SCREENSHOTS, 'scan-actions-desktop.png'), fullPage: true })

    const before = await historyTotal()
    page.once('dialog', (dialog) => void dialog.accept())
    await page.getByRole('button', { name: 'Delete' }).click()
    await notice.getByText('deleted').waitFor()
    expect(await historyTotal()).toBe(before - 1)
    await expect(page.getByTestId('predicted-label').count()).resolves.toBe(0)
    // The delete is undone like the rest: the scan is back, with its "not a ball" correction.
    await page.keyboard.press('Enter') // focus moved to Undo
    await notice.getByText(/^Undone: .* deleted\./).waitFor()
    expect(await historyTotal()).toBe(before)
    expect((await api().prediction(stored.id)).correctedLabel).toBe('not_a_ball')
    expect(problems).toEqual([])
    await page.close()
  })

  it('refuses a 1x1 image with the minimum size, and shows no broken image', async () => {
    const { page, problems } = await openPage(DESKTOP)
    const tiny = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#e2711d' } })
      .png()
      .toBuffer()
    const before = await historyTotal()
    await page.goto(`${baseUrl()}/`)
    await page
      .getByTestId('file-input')
      .setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: tiny })
    const alert = page.getByRole('alert')
    await alert.waitFor()
    expect(await alert.innerText()).toMatch(/1x1 pixels.*at least 32x32/)
    expect(await page.locator('main img').count()).toBe(0)
    expect(await historyTotal()).toBe(before)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'scan-too-small-desktop.png'), fullPage: true })
    expect(problems.filter((p) => !/status of 4\d\d|^HTTP 4\d\d .*\/predict$/.test(p))).toEqual([])
    await page.close()
  })

  it('shows the registered model as production with its metrics', async () => {
    const { page, problems } = await openPage(DESKTOP)
    await page.goto(`${baseUrl()}/registry`)
    const card = page.getByTestId('model-card').filter({ hasText: '★ production' })
    await card.waitFor()
    const text = await card.innerText()
    expect(text).toContain(`v${modelRef.split('@')[1] ?? ''}`)
    expect(text).toContain(`${(Number(FIXTURE_METRICS['accuracy']) * 100).toFixed(1)}%`)
    // The confusion counts in the metrics render as a table with one row per ball type.
    await card.getByText('Confusion matrix', { exact: true }).click()
    expect(await card.locator('table.confusion tbody tr').count()).toBe(BALL_LABELS.length)
    // The review trade-off: every fixture scan has confidence 0.9, and 4 of the 16 are right.
    await card.getByText('Review threshold trade-off', { exact: true }).click()
    const thresholdRows = card
      .locator('details', { hasText: 'Review threshold trade-off' })
      .locator('tbody tr')
    expect(await thresholdRows.count()).toBe(REPORTED_THRESHOLDS.length)
    expect(await thresholdRows.last().innerText()).toMatch(/0\.90\s+100\.0%\s+25\.0%/)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'models-desktop.png'), fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  })

  it('signs in with an API key: kept across reloads and sent as a Bearer token', async () => {
    const { page, problems } = await openPage(DESKTOP)
    await page.goto(`${baseUrl()}/`)
    await page.getByText('Sign in').click()
    await page.getByLabel('API key').fill('sk_e2e_0123456789')
    await page.getByRole('button', { name: 'Save key' }).click()
    await page.getByText('Key sk_e…6789').waitFor()
    await page.reload()
    const request = page.waitForRequest((r) => new URL(r.url()).pathname === '/history')
    await page.getByRole('link', { name: 'History' }).click()
    expect((await request).headers()['authorization']).toBe('Bearer sk_e2e_0123456789')
    await page.getByText('Key sk_e…6789').click()
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByText('Sign in').waitFor()
    expect(problems).toEqual([])
    await page.close()
  })

  it('fits every page into a 375 px wide phone screen without sideways scrolling', async () => {
    const { page, problems } = await openPage(PHONE)
    await scan(page, 'Shelf 2')
    const pages = [
      { path: null, name: 'scan', ready: '[data-testid=predicted-label]' },
      { path: '/scans', name: 'history', ready: '[data-testid=history-row]' },
      { path: '/reports', name: 'stock', ready: '[data-testid=stock-table]' },
      { path: '/registry', name: 'models', ready: '[data-testid=model-card]' },
      { path: '/queue', name: 'review', ready: 'h1' },
    ]
    for (const entry of pages) {
      if (entry.path !== null) await page.goto(`${baseUrl()}${entry.path}`)
      await page.locator(entry.ready).first().waitFor()
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow, `${entry.name} page is wider than the phone`).toBeLessThanOrEqual(0)
      // The navigation is one row of tabs: every link's top edge is the same.
      const tops = await page
        .locator('nav[aria-label=Main] a')
        .evaluateAll((links) => links.map((link) => Math.round(link.getBoundingClientRect().top)))
      expect(new Set(tops).size, `${entry.name}: navigation wraps`).toBe(1)
      await page.screenshot({ path: path.join(SCREENSHOTS, `${entry.name}-phone.png`), fullPage: true })
    }
    // The stock table keeps the ball type and the total in view inside its box.
    await page.goto(`${baseUrl()}/reports`)
    const table = page.getByTestId('stock-table')
    await table.waitFor()
    const box = await page.locator('.table-scroll').first().boundingBox()
    const first = await table.locator('tbody tr').first().locator('th').boundingBox()
    const total = await table.locator('tbody tr').first().locator('td').last().boundingBox()
    if (box === null || first === null || total === null) throw new Error('stock table not laid out')
    expect(first.x).toBeGreaterThanOrEqual(box.x - 1)
    expect(total.x + total.width).toBeLessThanOrEqual(box.x + box.width + 1)
    expect(problems).toEqual([])
    await page.close()
  })

  // Last: it changes the model every later scan would use.
  it('promotes a candidate from the Models page, and the server switches to it', async () => {
    const { page, problems } = await openPage(DESKTOP)
    await page.goto(`${baseUrl()}/registry`)
    const candidate = page
      .getByTestId('model-card')
      .filter({ hasText: `v${candidateRef.split('@')[1] ?? ''}` })
    await candidate.waitFor()
    expect(await candidate.innerText()).not.toContain('★ production')
    page.once('dialog', (dialog) => void dialog.accept())
    await candidate.getByRole('button', { name: 'Promote to production' }).click()
    await candidate.getByText('★ production').waitFor()
    expect(await page.getByText('★ production').count()).toBe(1)
    // The alias change reaches the serving model through NOTIFY.
    await expect.poll(async () => (await api().health()).model, { timeout: 30_000 }).toBe(candidateRef)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'models-promoted-desktop.png'), fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  })

  it('review queue: a scan sent for review is shown, the X key corrects it, and stock drops', async () => {
    const { page, problems } = await openPage(DESKTOP)
    await scan(page, 'Dock 2')
    const stored = await latestPrediction()
    // Every scan counts at threshold 0, so staff flag this one to put it in the queue.
    const flagged = await fetch(`${baseUrl()}/predictions/${stored.id}/flag`, { method: 'POST' })
    expect(flagged.status).toBe(200)
    const inStock = async () =>
      (await api().stock()).filter((i) => i.location === 'Dock 2').reduce((sum, i) => sum + i.count, 0)
    expect(await inStock()).toBe(1)

    await page.goto(`${baseUrl()}/queue`)
    const card = page.getByTestId('review-card')
    await card.waitFor()
    await expect(card.innerText()).resolves.toContain(stored.filename)
    await card.locator('img').waitFor()
    await page.screenshot({ path: path.join(SCREENSHOTS, 'review-desktop.png'), fullPage: true })
    await page.keyboard.press('x')
    await page.getByTestId('review-empty').waitFor()

    expect(await inStock()).toBe(0)
    const queue = await api().reviewQueue(10)
    expect(queue.items.map((i) => i.id)).not.toContain(stored.id)
    const shown = await fetch(`${baseUrl()}/predictions/${stored.id}`).then((r) => r.json())
    expect(shown).toMatchObject({ corrected_label: 'not_a_ball' })
    expect(problems).toEqual([])
    await page.close()
  })
})

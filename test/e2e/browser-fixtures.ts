import { access, readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { BALL_LABELS } from '../../src/data/index.js'
import { computeClassificationMetrics, saveModelArtifact } from '../../src/model/index.js'

/** Chromium from Debian's package (`apt-get install -y chromium`); never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-gpu',
]

export async function exists(file: string): Promise<boolean> {
  try {
    await access(file)
    return true
  } catch {
    return false
  }
}

/** A photo from the shared dataset when SPORTSCAN_DATASET is set (it must exist then), else a generated one. */
export async function pickPhoto(): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const dataset = process.env['SPORTSCAN_DATASET']
  if (dataset !== undefined && dataset !== '') {
    const classDir = path.join(dataset, 'basketball')
    const entries = await readdir(classDir).catch((err: unknown) => {
      throw new Error(`SPORTSCAN_DATASET is set but ${classDir} cannot be read`, { cause: err })
    })
    const files = entries.filter((f) => f.endsWith('.jpg')).sort()
    const [first] = files
    if (first === undefined) throw new Error(`no .jpg in ${classDir}`)
    return { name: first, mimeType: 'image/jpeg', buffer: await readFile(path.join(classDir, first)) }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240">
    <rect width="320" height="240" fill="#e8eef5"/><circle cx="160" cy="120" r="90" fill="#e2711d"/>
    <path d="M70 120 H250 M160 30 V210" stroke="#222" stroke-width="5"/></svg>`
  const buffer = await sharp(Buffer.from(svg)).jpeg().toBuffer()
  return { name: 'generated-ball.jpg', mimeType: 'image/jpeg', buffer }
}

/** A real (untrained) conv net over all 15 labels: answers are arbitrary but real, and it has a conv layer. */
export async function writeConvModel(dir: string): Promise<void> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [16, 16, 3],
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
      }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({
        units: BALL_LABELS.length,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
      }),
    ],
  })
  await saveModelArtifact(dir, { model, labels: BALL_LABELS, preprocess: { size: 16, fit: 'stretch' } })
  model.dispose()
}

/**
 * Metrics shaped as the pipeline's evaluate step records them, for `count` test images of which the first
 * `correct` are classified right: the Models page shows what the registry holds, whatever the numbers.
 */
export function evaluationMetrics(count: number, correct: number): Record<string, unknown> {
  const actual = Array.from({ length: count }, (_, i) => i % BALL_LABELS.length)
  const probs = actual.map((label, i) => {
    const predicted = i < correct ? label : (label + 1) % BALL_LABELS.length
    return BALL_LABELS.map((_, j) => (j === predicted ? 0.9 : 0.1 / (BALL_LABELS.length - 1)))
  })
  const scored = computeClassificationMetrics(probs, actual, BALL_LABELS)
  return { ...scored, subset: 'test', temperature: 1 }
}

export interface WatchedPage {
  page: Page
  /** Console errors, uncaught exceptions and failed requests seen so far. */
  problems: string[]
}

/** A new page that records every console error, page error, 4xx/5xx answer and failed request. */
export async function openWatchedPage(
  browser: Browser,
  viewport: { width: number; height: number },
): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport })
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.url()}`)
  })
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? ''
    // Leaving a page cancels its pending requests (ERR_ABORTED): the test navigated, nothing failed.
    if (!reason.includes('ERR_ABORTED')) problems.push(`request failed: ${request.url()} ${reason}`)
  })
  return { page, problems }
}

/** Sideways overflow of the whole page, in CSS pixels (0 when it fits). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
}

/** Distinct top edges of the main navigation's links: 1 when it is one row. */
export async function navigationRows(page: Page): Promise<number> {
  const tops = await page
    .locator('nav[aria-label=Main] a')
    .evaluateAll((links) => links.map((link) => Math.round(link.getBoundingClientRect().top)))
  return new Set(tops).size
}

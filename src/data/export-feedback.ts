import { copyFile, link, mkdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { NOT_A_BALL, listFeedback, type Queryable } from '../db/index.js'
import type { Logger } from '../log/index.js'
import { tempPathFor } from './atomic-write.js'
import { decodeImageInfo } from './image-info.js'
import { keptImagePath } from './kept-images.js'
import { isBallLabel } from './labels.js'

export interface ExportFeedbackOptions {
  /** SPORTSCAN_HOME: kept photos are read from `<home>/images/<sha256>`. */
  home: string
  db: Queryable
  log: Logger
  /** Only scans whose latest correction is at or after this instant; all corrected scans without it. */
  since?: Date
}

export interface ExportedFeedback {
  /** Relative to the output folder: `<label>/<sha256>.<ext>`. */
  path: string
  label: string
  predictionId: string
  /** The photo's content hash, as in dataset manifests. */
  sha256: string
}

export interface ExportFeedbackResult {
  outDir: string
  exported: ExportedFeedback[]
  /** Corrected scans left out, with why (`not_a_ball`, photo not kept). */
  skipped: Array<{ predictionId: string; reason: string }>
}

/**
 * Writes the photos of corrected scans as a class-per-folder set under `outDir`, each under its final label.
 * Files are named by content hash, so the same photo scanned twice is one file (its latest correction wins)
 * and importing the folder again yields the same dataset version. `not_a_ball` scans go into no class: the
 * model knows only the ball classes, so there is nothing to teach it with them.
 */
export async function exportFeedback(
  outDir: string,
  options: ExportFeedbackOptions,
): Promise<ExportFeedbackResult> {
  const root = path.resolve(outDir)
  const items = await listFeedback(options.db, options.since ? { since: options.since } : {})
  const latestBySha = new Map(items.map((item) => [item.imageSha256, item]))
  const skipped: ExportFeedbackResult['skipped'] = []
  const exported: ExportedFeedback[] = []
  for (const item of items) {
    if (latestBySha.get(item.imageSha256) !== item) {
      skipped.push({ predictionId: item.predictionId, reason: 'same photo corrected again later' })
      continue
    }
    if (item.label === NOT_A_BALL) {
      skipped.push({ predictionId: item.predictionId, reason: 'not a ball' })
      continue
    }
    if (!isBallLabel(item.label)) {
      skipped.push({ predictionId: item.predictionId, reason: `unknown label "${item.label}"` })
      continue
    }
    const source = keptImagePath(options.home, item.imageSha256)
    const info = source ? await decodeImageInfo(source).catch(() => undefined) : undefined
    if (!source || !info) {
      skipped.push({ predictionId: item.predictionId, reason: 'photo not kept (STORE_IMAGES was off)' })
      continue
    }
    const relative = `${item.label}/${item.imageSha256}.${info.format === 'jpeg' ? 'jpg' : info.format}`
    await placeFile(source, path.join(root, relative))
    exported.push({
      path: relative,
      label: item.label,
      predictionId: item.predictionId,
      sha256: item.imageSha256,
    })
  }
  options.log.info({ outDir: root, exported: exported.length, skipped: skipped.length }, 'feedback exported')
  return { outDir: root, exported, skipped }
}

/** Hard-links (kept images never change in place) or copies, through a temp name and a rename. */
async function placeFile(source: string, target: string): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true })
  const temp = tempPathFor(target)
  try {
    await link(source, temp).catch(() => copyFile(source, temp))
    await rename(temp, target)
  } catch (err) {
    await rm(temp, { force: true })
    throw err
  }
}

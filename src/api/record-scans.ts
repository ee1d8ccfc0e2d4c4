import { createHash } from 'node:crypto'
import { keepImage, preprocessImage } from '../data/index.js'
import { type PredictionRow, findPredictionsByIdempotencyKeys } from '../db/index.js'
import type { ApiContext } from './api-context.js'
import { checkUploadImage } from './check-upload-image.js'
import {
  EmptyUploadError,
  HeicNotSupportedError,
  IdempotencyKeyReusedError,
  NotAnImageError,
  isDatabaseUnreachable,
} from './errors.js'
import { isHeic, sniffImageFormat } from './image-format.js'
import type { Upload } from './read-uploads.js'

export type ScanOutcome =
  { row: PredictionRow; isNew: boolean; error?: undefined } | { error: Error; row?: undefined }

export interface ScanMeta {
  location: string | null
  source: string | null
  /** Site whose bins answer the scan (already checked). */
  site: string
  /** The request's Idempotency-Key; a batch derives one key per file (`<key>#<index>`). */
  idempotencyKey: string | null
  isBatch: boolean
}

interface Prepared {
  index: number
  upload: Upload
  sha256: string
  key: string | null
  pixels: Float32Array
}

/**
 * Classifies uploads and stores one prediction row per good file, in upload order. A file that is not a
 * usable image fails alone; a database outage fails the whole call (503) rather than answering half a batch.
 * A retried key answers the rows stored the first time and runs nothing again.
 */
export async function recordScans(
  ctx: ApiContext,
  uploads: Upload[],
  meta: ScanMeta,
): Promise<ScanOutcome[]> {
  const keys = uploads.map((_, i) =>
    meta.idempotencyKey === null ? null : meta.isBatch ? `${meta.idempotencyKey}#${i}` : meta.idempotencyKey,
  )
  const shas = uploads.map((u) => createHash('sha256').update(u.bytes).digest('hex'))
  const existing = new Map(
    (
      await findPredictionsByIdempotencyKeys(
        ctx.db.db,
        keys.filter((k): k is string => k !== null),
      )
    ).map((row) => [row.idempotencyKey, row]),
  )
  const outcomes: Array<ScanOutcome | undefined> = uploads.map((upload, i) => {
    const previous = existing.get(keys[i] ?? null)
    if (previous) {
      return previous.imageSha256 === shas[i]
        ? { row: previous, isNew: false }
        : { error: new IdempotencyKeyReusedError() }
    }
    if (upload.error) return { error: upload.error }
    if (upload.bytes.length === 0) return { error: new EmptyUploadError(upload.filename) }
    if (!sniffImageFormat(upload.bytes)) return { error: new NotAnImageError(upload.filename) }
    if (isHeic(upload.bytes)) return { error: new HeicNotSupportedError(upload.filename) }
    return undefined
  })
  if (outcomes.every((o) => o !== undefined)) return outcomes

  const lease = ctx.models.acquire()
  try {
    const { classifier } = lease
    const prepared: Prepared[] = []
    await Promise.all(
      uploads.map(async (upload, index) => {
        if (outcomes[index] !== undefined) return
        try {
          await checkUploadImage(upload.bytes, upload.filename, ctx.config.serving.maxPixels)
          const pixels = await preprocessImage(upload.bytes, classifier.preprocess, {
            maxPixels: ctx.config.serving.maxPixels,
          })
          prepared.push({ index, upload, sha256: shas[index] ?? '', key: keys[index] ?? null, pixels })
        } catch (err) {
          outcomes[index] = { error: err instanceof Error ? err : new Error(String(err)) }
        }
      }),
    )
    prepared.sort((a, b) => a.index - b.index)
    const probabilities = prepared.length > 0 ? await classifier.predict(prepared.map((p) => p.pixels)) : []
    // All rows at once: the scan writer puts those ready together into one INSERT.
    await Promise.all(
      prepared.map(async (item, i) => {
        const probs = probabilities[i]
        if (!probs)
          throw new Error(`classifier returned ${probabilities.length} results for ${prepared.length} images`)
        const allScores: Record<string, number> = {}
        let best = 0
        classifier.labels.forEach((label, j) => {
          allScores[label] = probs[j] ?? 0
          if ((probs[j] ?? 0) > (probs[best] ?? 0)) best = j
        })
        const confidence = probs[best] ?? 0
        if (ctx.config.serving.storeImages) await keepImage(ctx.config.home, item.sha256, item.upload.bytes)
        else ctx.recentUploads.remember(item.sha256, item.upload.bytes)
        try {
          const stored = await ctx.scans.insert({
            filename: item.upload.filename,
            predictedLabel: classifier.labels[best] ?? 'unknown',
            confidence,
            allScores,
            model: classifier.ref,
            location: meta.location,
            site: meta.site,
            source: meta.source,
            status: confidence >= ctx.config.serving.threshold ? 'counted' : 'needs_review',
            idempotencyKey: item.key,
            imageSha256: item.sha256,
            imageBytes: item.upload.bytes.length,
          })
          outcomes[item.index] =
            stored.isNew || stored.row.imageSha256 === item.sha256
              ? stored
              : { error: new IdempotencyKeyReusedError() }
        } catch (err) {
          if (isDatabaseUnreachable(err)) throw err
          outcomes[item.index] = { error: err instanceof Error ? err : new Error(String(err)) }
        }
      }),
    )
  } finally {
    lease.release()
  }
  return outcomes.map((o) => o ?? { error: new Error('upload was not processed') })
}

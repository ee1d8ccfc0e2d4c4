import { Readable } from 'node:stream'
import { listPredictionHistory, type HistoryCursor, type PredictionFilters } from '../db/index.js'
import type { ApiContext } from './api-context.js'
import { toScanAnswers } from './bin-fields.js'

const COLUMNS = [
  'id',
  'created_at',
  'filename',
  'predicted_label',
  'corrected_label',
  'confidence',
  'status',
  'location',
  'source',
  'model',
  // Put-away, after the original columns so spreadsheets built on those keep working.
  'site',
  'bin',
  'bin_reason',
  'shelved_in',
  'shelved_outcome',
] as const
const PAGE_SIZE = 500

/** Streams the filtered history as CSV, newest first, page by page, so a long history is never held whole. */
export function historyCsvStream(ctx: ApiContext, filters: PredictionFilters): Readable {
  async function* lines() {
    yield `${COLUMNS.join(',')}\r\n`
    let cursor: HistoryCursor | undefined
    do {
      const page = await listPredictionHistory(ctx.db.db, filters, { limit: PAGE_SIZE, cursor })
      const answers = await toScanAnswers(ctx, page.items)
      for (const [i, p] of page.items.entries()) {
        const answer = answers[i]
        const values = [
          p.id,
          p.createdAt.toISOString(),
          p.filename,
          p.predictedLabel,
          p.correctedLabel ?? '',
          String(p.confidence),
          p.status,
          p.location ?? '',
          p.source ?? '',
          p.model,
          p.site ?? '',
          answer?.bin ?? '',
          answer?.bin_reason ?? '',
          answer?.put_away?.bin ?? '',
          answer?.put_away?.outcome ?? '',
        ]
        yield `${values.map(csvField).join(',')}\r\n`
      }
      cursor = page.nextCursor ?? undefined
    } while (cursor)
  }
  return Readable.from(lines())
}

/** RFC 4180 quoting, plus a leading apostrophe on formula-like text so spreadsheets never execute a filename. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

import { Readable } from 'node:stream'
import {
  type Queryable,
  listPredictionHistory,
  type HistoryCursor,
  type PredictionFilters,
} from '../db/index.js'

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
] as const
const PAGE_SIZE = 500

/** Streams the filtered history as CSV, newest first, page by page, so a long history is never held whole. */
export function historyCsvStream(db: Queryable, filters: PredictionFilters): Readable {
  async function* lines() {
    yield `${COLUMNS.join(',')}\r\n`
    let cursor: HistoryCursor | undefined
    do {
      const page = await listPredictionHistory(db, filters, { limit: PAGE_SIZE, cursor })
      for (const p of page.items) {
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

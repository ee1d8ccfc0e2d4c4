import { ResponseShapeError } from './errors.js'
import {
  expectArray,
  expectObject,
  firstPresent,
  isJsonObject,
  readOptionalNumber,
  readOptionalString,
  toNumberRecord,
  type JsonObject,
} from './json-reader.js'

/** How many balls of one type are in stock at one location (`null`: no location given when scanned). */
export interface StockEntry {
  label: string
  location: string | null
  count: number
}

export interface DayStats {
  /** `YYYY-MM-DD` */
  day: string
  count: number
  averageConfidence: number | null
  needsReview: number | null
}

export interface LabelStats {
  label: string
  count: number
  averageConfidence: number | null
}

export interface Stats {
  total: number
  /** Null when there is no scan in the period (the API then sends 0). */
  averageConfidence: number | null
  perLabel: readonly LabelStats[]
  perDay: readonly DayStats[]
  needsReviewShare: number | null
}

function readLabel(obj: JsonObject, what: string): string {
  const label = firstPresent(obj, ['label', 'predicted_label'])
  if (typeof label !== 'string') throw new ResponseShapeError(what, '"label" is not text')
  return label
}

function decodeStockEntry(value: unknown): StockEntry {
  const what = 'stock entry'
  const obj = expectObject(value, what)
  const count = firstPresent(obj, ['count', 'quantity'])
  if (typeof count !== 'number' || !Number.isFinite(count)) {
    throw new ResponseShapeError(what, '"count" is not a number')
  }
  return { label: readLabel(obj, what), location: readOptionalString(obj, 'location', what), count }
}

export function decodeStock(value: unknown): StockEntry[] {
  const list = Array.isArray(value)
    ? value
    : firstPresent(expectObject(value, 'stock'), ['items', 'stock', 'entries'])
  return expectArray(list, 'stock').map(decodeStockEntry)
}

function decodeDay(value: unknown): DayStats {
  const what = 'day of stats'
  const obj = expectObject(value, what)
  const day = firstPresent(obj, ['day', 'date'])
  if (typeof day !== 'string') throw new ResponseShapeError(what, '"day" is not text')
  const count = firstPresent(obj, ['count', 'total'])
  if (typeof count !== 'number') throw new ResponseShapeError(what, '"count" is not a number')
  return {
    day: day.slice(0, 10),
    count,
    averageConfidence: readOptionalNumber(obj, 'average_confidence', what),
    needsReview: readOptionalNumber(obj, 'needs_review', what),
  }
}

function decodePerDay(value: unknown): DayStats[] {
  if (value === undefined) return []
  const days = isJsonObject(value)
    ? Object.entries(toNumberRecord(value, 'counts per day')).map(([day, count]) => ({
        day: day.slice(0, 10),
        count,
        averageConfidence: null,
        needsReview: null,
      }))
    : expectArray(value, 'counts per day').map(decodeDay)
  return days.sort((a, b) => a.day.localeCompare(b.day))
}

/** Per-label counts as a list of `{label, count, average_confidence}` or a `{label: count}` map; most first. */
function decodePerLabel(value: unknown): LabelStats[] {
  if (value === undefined) return []
  const list = isJsonObject(value)
    ? Object.entries(toNumberRecord(value, 'counts per label')).map(([label, count]) => ({
        label,
        count,
        averageConfidence: null,
      }))
    : expectArray(value, 'counts per label').map((entry) => {
        const obj = expectObject(entry, 'label stats')
        const count = obj['count']
        if (typeof count !== 'number') throw new ResponseShapeError('label stats', '"count" is not a number')
        return {
          label: readLabel(obj, 'label stats'),
          count,
          averageConfidence: readOptionalNumber(obj, 'average_confidence', 'label stats'),
        }
      })
  return list.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
}

export function decodeStats(value: unknown): Stats {
  const what = 'stats'
  const obj = expectObject(value, what)
  const total = firstPresent(obj, ['total', 'total_predictions'])
  if (typeof total !== 'number') throw new ResponseShapeError(what, '"total" is not a number')
  const share = firstPresent(obj, ['needs_review_share', 'review_share', 'share_needing_review'])
  return {
    total,
    averageConfidence: total === 0 ? null : readOptionalNumber(obj, 'average_confidence', what),
    perLabel: decodePerLabel(
      firstPresent(obj, ['per_label', 'counts_per_label', 'by_label', 'predictions_per_category']),
    ),
    perDay: decodePerDay(firstPresent(obj, ['per_day', 'counts_per_day', 'by_day', 'daily'])),
    needsReviewShare: typeof share === 'number' && total > 0 ? share : null,
  }
}

export interface StockTable {
  locations: string[]
  rows: { label: string; total: number; byLocation: Record<string, number> }[]
  total: number
}

/** Labels down, locations across, for the stock table; scans without a location go under "(none)". */
export function pivotStock(entries: readonly StockEntry[], noLocation = '(none)'): StockTable {
  const locations = new Set<string>()
  const byLabel = new Map<string, Record<string, number>>()
  for (const entry of entries) {
    const location = entry.location ?? noLocation
    locations.add(location)
    const row = byLabel.get(entry.label) ?? {}
    row[location] = (row[location] ?? 0) + entry.count
    byLabel.set(entry.label, row)
  }
  const rows = [...byLabel.entries()]
    .map(([label, byLocation]) => ({
      label,
      byLocation,
      total: Object.values(byLocation).reduce((sum, n) => sum + n, 0),
    }))
    .sort((a, b) => b.total - a.total || a.label.localeCompare(b.label))
  return {
    locations: [...locations].sort(),
    rows,
    total: rows.reduce((sum, row) => sum + row.total, 0),
  }
}

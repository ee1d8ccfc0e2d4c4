import type { paths } from './api-schema.generated.js'

/** Filters as the forms hold them: empty string means "any"; dates are `YYYY-MM-DD` from `<input type=date>`. */
export interface HistoryFilters {
  label: string
  status: string
  location: string
  from: string
  to: string
}

export interface ReportFilters {
  location: string
  from: string
  to: string
}

export const EMPTY_HISTORY_FILTERS: Readonly<HistoryFilters> = {
  label: '',
  status: '',
  location: '',
  from: '',
  to: '',
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/

function parseDay(day: string): [number, number, number] | null {
  const match = DAY.exec(day)
  if (match === null) return null
  return [Number(match[1]), Number(match[2]) - 1, Number(match[3])]
}

/** Start of a calendar day in the user's time zone, as an ISO instant. */
export function dayStartIso(day: string): string | null {
  const parts = parseDay(day)
  return parts === null ? null : new Date(parts[0], parts[1], parts[2]).toISOString()
}

/** Last millisecond of a calendar day in the user's time zone, so "to" includes that whole day. */
export function dayEndIso(day: string): string | null {
  const parts = parseDay(day)
  return parts === null ? null : new Date(parts[0], parts[1], parts[2] + 1, 0, 0, 0, -1).toISOString()
}

type GetQuery<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } }
  ? NonNullable<Q>
  : never

/** The query `GET /history.csv` takes (the filters), as the server documents it. */
export type HistoryFilterQuery = GetQuery<'/history.csv'>
/** The query `GET /history` takes: the filters and the page. */
export type HistoryQuery = GetQuery<'/history'>
/** The query `GET /stats` takes. */
export type ReportQuery = GetQuery<'/stats'>

const STATUSES = ['counted', 'needs_review'] as const

function trimmed(value: string): string | undefined {
  const text = value.trim()
  return text === '' ? undefined : text
}

function dates(from: string, to: string): { from?: string; to?: string } {
  const fromIso = dayStartIso(from)
  const toIso = dayEndIso(to)
  return { ...(fromIso === null ? {} : { from: fromIso }), ...(toIso === null ? {} : { to: toIso }) }
}

/** The history filters as query parameters; empty ones are left out. */
export function historyFilterQuery(filters: Readonly<HistoryFilters>): HistoryFilterQuery {
  const label = trimmed(filters.label)
  const status = STATUSES.find((s) => s === filters.status.trim())
  const location = trimmed(filters.location)
  return {
    ...(label === undefined ? {} : { label }),
    ...(status === undefined ? {} : { status }),
    ...(location === undefined ? {} : { location }),
    ...dates(filters.from, filters.to),
  }
}

/** Query parameters for one page of `GET /history`. */
export function historyQuery(
  filters: Readonly<HistoryFilters>,
  page: { limit: number; cursor?: string | null },
): HistoryQuery {
  const cursor = page.cursor ?? ''
  return { limit: page.limit, ...(cursor === '' ? {} : { cursor }), ...historyFilterQuery(filters) }
}

/** Query parameters for `GET /stats`. */
export function reportQuery(filters: Readonly<ReportFilters>): ReportQuery {
  const location = trimmed(filters.location)
  return { ...(location === undefined ? {} : { location }), ...dates(filters.from, filters.to) }
}

/** A query object as a query string (without `?`), keeping the object's order. */
export function toSearch(query: Readonly<Record<string, string | number | undefined>>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value))
  return params.toString()
}

/** Query string (without `?`) for `GET /history` and `GET /history.csv`; empty filters are left out. */
export function buildHistoryQuery(
  filters: Readonly<HistoryFilters>,
  page: { limit?: number; cursor?: string | null } = {},
): string {
  return page.limit === undefined
    ? toSearch(historyFilterQuery(filters))
    : toSearch(historyQuery(filters, { limit: page.limit, cursor: page.cursor ?? null }))
}

/** Query string for `GET /stats`. */
export function buildReportQuery(filters: Readonly<ReportFilters>): string {
  return toSearch(reportQuery(filters))
}

export function withQuery(path: string, query: string): string {
  return query === '' ? path : `${path}?${query}`
}

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

function setDates(params: URLSearchParams, from: string, to: string): void {
  const fromIso = dayStartIso(from)
  const toIso = dayEndIso(to)
  if (fromIso !== null) params.set('from', fromIso)
  if (toIso !== null) params.set('to', toIso)
}

function setIfPresent(params: URLSearchParams, key: string, value: string): void {
  const trimmed = value.trim()
  if (trimmed !== '') params.set(key, trimmed)
}

/** Query string (without `?`) for `GET /history` and `GET /history.csv`; empty filters are left out. */
export function buildHistoryQuery(
  filters: Readonly<HistoryFilters>,
  page: { limit?: number; cursor?: string | null } = {},
): string {
  const params = new URLSearchParams()
  if (page.limit !== undefined) params.set('limit', String(page.limit))
  if (page.cursor !== undefined && page.cursor !== null && page.cursor !== '') {
    params.set('cursor', page.cursor)
  }
  setIfPresent(params, 'label', filters.label)
  setIfPresent(params, 'status', filters.status)
  setIfPresent(params, 'location', filters.location)
  setDates(params, filters.from, filters.to)
  return params.toString()
}

/** Query string for `GET /stats`. */
export function buildReportQuery(filters: Readonly<ReportFilters>): string {
  const params = new URLSearchParams()
  setIfPresent(params, 'location', filters.location)
  setDates(params, filters.from, filters.to)
  return params.toString()
}

export function withQuery(path: string, query: string): string {
  return query === '' ? path : `${path}?${query}`
}

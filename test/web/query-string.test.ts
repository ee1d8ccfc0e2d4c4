import { describe, expect, it } from 'vitest'
import {
  buildHistoryQuery,
  buildReportQuery,
  dayEndIso,
  dayStartIso,
  EMPTY_HISTORY_FILTERS,
  withQuery,
} from '../../src/web/src/lib/query-string.js'

describe('buildHistoryQuery', () => {
  it('leaves out empty filters and a null cursor', () => {
    expect(buildHistoryQuery(EMPTY_HISTORY_FILTERS, { limit: 20, cursor: null })).toBe('limit=20')
  })

  it('passes label, status, trimmed location and cursor', () => {
    const query = buildHistoryQuery(
      { ...EMPTY_HISTORY_FILTERS, label: 'tennis_ball', status: 'needs_review', location: '  Aisle 3 & B ' },
      { limit: 50, cursor: 'abc==' },
    )
    const params = new URLSearchParams(query)
    expect(params.get('label')).toBe('tennis_ball')
    expect(params.get('status')).toBe('needs_review')
    expect(params.get('location')).toBe('Aisle 3 & B')
    expect(params.get('cursor')).toBe('abc==')
    expect(params.get('limit')).toBe('50')
  })

  it('turns calendar days into an inclusive range of instants in local time', () => {
    const params = new URLSearchParams(
      buildHistoryQuery({ ...EMPTY_HISTORY_FILTERS, from: '2026-11-01', to: '2026-11-03' }),
    )
    expect(params.get('from')).toBe(new Date(2026, 10, 1).toISOString())
    const to = new Date(params.get('to') ?? '')
    expect(to.getTime()).toBe(new Date(2026, 10, 4).getTime() - 1)
  })

  it('ignores dates that are not YYYY-MM-DD', () => {
    expect(buildHistoryQuery({ ...EMPTY_HISTORY_FILTERS, from: 'yesterday', to: '2026-13' })).toBe('')
  })
})

describe('dayStartIso / dayEndIso', () => {
  it('answers null for malformed days', () => {
    expect(dayStartIso('')).toBeNull()
    expect(dayEndIso('2026/11/01')).toBeNull()
  })

  it('spans exactly one day minus a millisecond', () => {
    const start = new Date(dayStartIso('2026-03-29') ?? '').getTime()
    const end = new Date(dayEndIso('2026-03-29') ?? '').getTime()
    expect(end).toBeGreaterThan(start)
    expect(new Date(end + 1).getDate()).toBe(30)
  })
})

describe('buildReportQuery', () => {
  it('sends location and dates only when set', () => {
    expect(buildReportQuery({ location: '', from: '', to: '' })).toBe('')
    const params = new URLSearchParams(buildReportQuery({ location: 'Depot', from: '2026-11-02', to: '' }))
    expect([...params.keys()]).toEqual(['location', 'from'])
  })
})

describe('withQuery', () => {
  it('adds ? only when there is a query', () => {
    expect(withQuery('/stats', '')).toBe('/stats')
    expect(withQuery('/stats', 'a=1')).toBe('/stats?a=1')
  })
})

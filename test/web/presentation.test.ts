import { describe, expect, it } from 'vitest'
import { BALL_LABELS } from '../../src/data/labels.js'
import { describeBallType, knownBallLabels } from '../../src/web/src/lib/ball-types.js'
import { formatDay, formatPercent } from '../../src/web/src/lib/format.js'
import { matchRoute, PAGE_ROUTES } from '../../src/web/src/lib/routes.js'

describe('describeBallType', () => {
  it('has a friendly name and its own swatch colour for every label the model knows', () => {
    expect([...knownBallLabels()].sort()).toEqual([...BALL_LABELS].sort())
    for (const label of BALL_LABELS) {
      const ball = describeBallType(label)
      expect(ball.name).not.toContain('_')
      expect(ball.colour).toMatch(/^#[0-9a-f]{6}$/)
    }
  })

  it('still reads well for a label it does not know', () => {
    expect(describeBallType('ice_ball')).toEqual({ label: 'ice_ball', name: 'Ice ball', colour: '#9ca3af' })
  })
})

describe('formatPercent', () => {
  it('shows one decimal by default and a dash for missing values', () => {
    expect(formatPercent(0.8734)).toBe('87.3%')
    expect(formatPercent(1, 0)).toBe('100%')
    expect(formatPercent(null)).toBe('–')
  })
})

describe('formatDay', () => {
  it('keeps the calendar day whatever the time zone', () => {
    expect(formatDay('2026-11-01', 'en-GB')).toBe('1 Nov')
    expect(formatDay('not a day')).toBe('not a day')
  })
})

describe('matchRoute', () => {
  it('maps paths to pages, tolerating a trailing slash', () => {
    expect(matchRoute('/scans').id).toBe('history')
    expect(matchRoute('/reports/').id).toBe('stock')
    expect(matchRoute('/registry').id).toBe('models')
  })

  it('shows the scan page for the root and unknown paths', () => {
    expect(matchRoute('/').id).toBe('scan')
    expect(matchRoute('/nope').id).toBe('scan')
  })

  it('never uses a path the API answers with JSON', () => {
    const apiPaths = [
      '/predict',
      '/predictions',
      '/history',
      '/stats',
      '/stock',
      '/categories',
      '/models',
      '/health',
    ]
    for (const route of PAGE_ROUTES) expect(apiPaths).not.toContain(route.path)
  })
})

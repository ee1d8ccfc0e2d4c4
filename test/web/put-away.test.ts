import { describe, expect, it } from 'vitest'
import { ResponseShapeError } from '../../src/web/src/lib/errors.js'
import { decodePrediction } from '../../src/web/src/lib/prediction.js'
import { binsOf, decodeBinStock, decodeSites, describeNoBin } from '../../src/web/src/lib/put-away.js'

const answer = {
  id: '0b9f7c1e-3d7a-4c61-9d64-6f1f1b3f4a10',
  filename: 'ball.jpg',
  predicted_label: 'basketball',
  confidence: 0.91,
  all_scores: { basketball: 0.91 },
  model: 'sportscan@3',
  location: null,
  status: 'counted',
  created_at: '2026-11-26T18:00:00.000Z',
  site: 'main',
  bin: 'A3-B',
  bin_reason: null,
  put_away: {
    id: 1,
    prediction_id: '0b9f7c1e-3d7a-4c61-9d64-6f1f1b3f4a10',
    site: 'main',
    bin: 'B1',
    expected_bin: 'A3-B',
    outcome: 'shelved_elsewhere',
    confirmed_by: 'belt-3',
    created_at: '2026-11-26T18:01:00.000Z',
  },
}

describe('put-away fields of a scan answer', () => {
  it('reads site, bin and the latest confirmation', () => {
    expect(decodePrediction(answer)).toMatchObject({
      site: 'main',
      bin: 'A3-B',
      binReason: null,
      putAway: { bin: 'B1', expectedBin: 'A3-B', outcome: 'shelved_elsewhere', confirmedBy: 'belt-3' },
    })
  })

  it('rejects an unknown reason or outcome instead of guessing', () => {
    expect(() => decodePrediction({ ...answer, bin: null, bin_reason: 'lost' })).toThrow(ResponseShapeError)
    expect(() =>
      decodePrediction({ ...answer, put_away: { ...answer.put_away, outcome: 'dropped' } }),
    ).toThrow(/outcome/)
  })

  it('says why there is no bin in words a worker reads', () => {
    expect(describeNoBin('needs_review', 'basketball', 'main')).toMatch(/^Do not shelve it yet/)
    expect(describeNoBin('no_assignment', 'basketball', 'main')).toBe(
      'No bin is assigned to Basketball at site main. An admin can assign one on the Bins page.',
    )
  })
})

describe('bins and stock per bin', () => {
  it('lists distinct bins in shelf order', () => {
    const rows = ['A10', 'A2', 'A2', 'B1'].map((bin, i) => ({
      site: 'main',
      label: `l${i}`,
      bin,
      capacity: null,
    }))
    expect(binsOf(rows)).toEqual(['A2', 'A10', 'B1'])
  })

  it('reads sites and bin stock', () => {
    expect(decodeSites({ default_site: 'main', items: [{ site: 'main', bins: 2, assignments: 3 }] })).toEqual(
      {
        defaultSite: 'main',
        sites: ['main'],
      },
    )
    const bins = decodeBinStock({
      total: 3,
      per_label: {},
      bins: [
        {
          site: 'main',
          bin: 'A1',
          capacity: 2,
          count: 3,
          shelved: 1,
          is_over_capacity: true,
          per_label: { basketball: 3 },
        },
      ],
    })
    expect(bins).toEqual([
      {
        site: 'main',
        bin: 'A1',
        capacity: 2,
        count: 3,
        shelved: 1,
        isOverCapacity: true,
        perLabel: { basketball: 3 },
      },
    ])
  })
})

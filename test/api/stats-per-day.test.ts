import { sql } from 'drizzle-orm'
import { describe, expect, test, testDrivers } from '../fixtures.js'
import { colourImage, multipart } from './api-harness.js'

interface Day {
  day: string
  count: number
  average_confidence: number
}

describe.each(testDrivers)('GET /stats per_day average confidence (%s)', (driver) => {
  test.override({ driver })

  test('averages the confidence of each UTC day separately', async ({ app }) => {
    const made: Array<{ id: string; confidence: number }> = []
    for (const n of [1, 2, 3, 4, 5]) {
      const body = multipart([{ name: 'img', filename: `${n}.png`, value: await colourImage(n) }])
      const res = await app.inject({ method: 'POST', url: '/predict', ...body })
      made.push(res.json())
    }
    const days = ['2026-03-01', '2026-03-01', '2026-03-02', '2026-03-02', '2026-03-02']
    for (const [i, m] of made.entries()) {
      const at = `${days[i]}T12:00:00Z`
      await app.db.db.execute(sql`update predictions set created_at = ${at} where id = ${m.id}`)
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    const stats = (await app.inject({ method: 'GET', url: '/stats' })).json<{ per_day: Day[] }>()
    expect(stats.per_day.map((d) => [d.day, d.count])).toEqual([
      ['2026-03-01', 2],
      ['2026-03-02', 3],
    ])
    expect(stats.per_day[0]?.average_confidence).toBeCloseTo(
      mean(made.slice(0, 2).map((m) => m.confidence)),
      5,
    )
    expect(stats.per_day[1]?.average_confidence).toBeCloseTo(mean(made.slice(2).map((m) => m.confidence)), 5)
  })
})

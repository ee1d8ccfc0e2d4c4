import { Type, type Static } from 'typebox'
import type { PredictionFilters } from '../../db/index.js'

const DateOrDateTime = Type.Union([Type.String({ format: 'date-time' }), Type.String({ format: 'date' })], {
  description: 'ISO date (UTC midnight) or date-time',
})

/** Filters shared by /history, /history.csv and /stats. */
export const FilterQuery = Type.Object({
  label: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  status: Type.Optional(Type.Union([Type.Literal('counted'), Type.Literal('needs_review')])),
  location: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  from: Type.Optional(DateOrDateTime),
  to: Type.Optional(DateOrDateTime),
})
export type FilterQueryValue = Static<typeof FilterQuery>

export function toFilters(query: FilterQueryValue): PredictionFilters {
  return {
    label: query.label,
    status: query.status,
    location: query.location,
    from: query.from === undefined ? undefined : new Date(query.from),
    to: query.to === undefined ? undefined : new Date(query.to),
  }
}

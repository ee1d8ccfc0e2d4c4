import { Type, type Static } from 'typebox'
import type { BinAnswer } from '../../putaway/index.js'
import type { PutAwayRow } from '../../db/index.js'

export const PutAwaySchema = Type.Object(
  {
    id: Type.Integer(),
    prediction_id: Type.String({ format: 'uuid' }),
    site: Type.String(),
    bin: Type.String({ description: 'Where the worker shelved the ball' }),
    expected_bin: Type.Union([Type.String(), Type.Null()], { description: 'The bin the answer named then' }),
    outcome: Type.Union([Type.Literal('shelved'), Type.Literal('shelved_elsewhere')]),
    confirmed_by: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String({ format: 'date-time' }),
  },
  { description: "A worker's confirmation that the ball was shelved" },
)
export type PutAway = Static<typeof PutAwaySchema>

/** What a scan answer adds for put-away: the bin the ball goes in, or why there is none. */
export const BinFieldsSchema = Type.Object({
  bin: Type.Union([Type.String(), Type.Null()], {
    description:
      "The bin the ball belongs in at the scan's site; null when there is none to name (bin_reason)",
  }),
  bin_reason: Type.Union(
    [Type.Literal('needs_review'), Type.Literal('not_a_ball'), Type.Literal('no_assignment'), Type.Null()],
    {
      description:
        'Why bin is null: needs_review (unsure scan: do not shelve it yet), not_a_ball (a reviewer said so), ' +
        'no_assignment (no bin is assigned to this ball type at the site)',
    },
  ),
  put_away: Type.Union([PutAwaySchema, Type.Null()], { description: 'The latest shelving confirmation' }),
})
export type BinFields = Static<typeof BinFieldsSchema>

export function toPutAway(row: PutAwayRow): PutAway {
  return {
    id: row.id,
    prediction_id: row.predictionId,
    site: row.site,
    bin: row.binLabel,
    expected_bin: row.expectedBinLabel,
    outcome: row.outcome,
    confirmed_by: row.confirmedBy,
    created_at: row.createdAt.toISOString(),
  }
}

export function toBinFields(answer: BinAnswer, putAway: PutAwayRow | undefined): BinFields {
  return { bin: answer.bin, bin_reason: answer.reason, put_away: putAway ? toPutAway(putAway) : null }
}

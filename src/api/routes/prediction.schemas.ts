import { Type, type Static } from 'typebox'
import { type PredictionRow, type PredictionView } from '../../db/index.js'

export const ErrorSchema = Type.Object(
  { code: Type.String(), message: Type.String() },
  { $id: 'Error', description: 'Every error answer: a stable code and a readable message' },
)

/** The error answers shared by most routes. */
export const errorResponses = {
  400: ErrorSchema,
  404: ErrorSchema,
  503: ErrorSchema,
} as const

export const PredictionSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  filename: Type.String(),
  predicted_label: Type.String(),
  confidence: Type.Number(),
  all_scores: Type.Record(Type.String(), Type.Number()),
  model: Type.String({ description: 'name@version of the model that answered' }),
  location: Type.Union([Type.String(), Type.Null()]),
  site: Type.Union([Type.String(), Type.Null()], {
    description: 'Site whose bins the scan was answered for; null on scans from before put-away',
  }),
  source: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  status: Type.Union([Type.Literal('counted'), Type.Literal('needs_review')]),
  corrected_label: Type.Union([Type.String(), Type.Null()], {
    description: 'Label a reviewer gave the scan last; null when never corrected',
  }),
  is_flagged: Type.Boolean({ description: 'Sent to the review queue by staff' }),
})
export type Prediction = Static<typeof PredictionSchema>

export const PredictionIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

/** The snake_case shape of the API; stored columns are camelCase. */
export function toPrediction(row: PredictionRow | PredictionView): Prediction {
  return {
    id: row.id,
    filename: row.filename,
    predicted_label: row.predictedLabel,
    confidence: row.confidence,
    all_scores: row.allScores,
    model: row.model,
    location: row.location,
    site: row.site,
    source: row.source,
    created_at: row.createdAt.toISOString(),
    status: row.status,
    corrected_label: 'correctedLabel' in row ? row.correctedLabel : null,
    is_flagged: row.isFlagged,
  }
}

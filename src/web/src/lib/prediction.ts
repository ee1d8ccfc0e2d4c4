import { ResponseShapeError } from './errors.js'
import {
  expectArray,
  expectObject,
  type JsonObject,
  readNumber,
  readOneOf,
  readOptionalString,
  readString,
  toNumberRecord,
} from './json-reader.js'
import { decodeBinFields, type BinFields } from './put-away.js'

export type PredictionStatus = 'counted' | 'needs_review'

/** One stored scan, as `POST /predict` and `GET /history` answer it, with where the ball goes. */
export interface Prediction extends BinFields {
  id: string
  filename: string
  predictedLabel: string
  confidence: number
  allScores: Readonly<Record<string, number>>
  model: string
  location: string | null
  status: PredictionStatus
  createdAt: string
  /** Label a reviewer gave the scan last; null when never corrected. */
  correctedLabel: string | null
  /** Set when the API says where a kept photo can be fetched. */
  imageUrl: string | null
  /** Sent to the review queue by staff. */
  isFlagged: boolean
}

export interface HistoryPage {
  total: number
  items: readonly Prediction[]
  nextCursor: string | null
}

function readStatus(obj: JsonObject, what: string): PredictionStatus {
  return readOneOf(obj, 'status', ['counted', 'needs_review'], what)
}

export function decodePrediction(value: unknown): Prediction {
  const what = 'prediction'
  const obj = expectObject(value, what)
  const id = obj['id']
  if (typeof id !== 'string' && typeof id !== 'number') throw new ResponseShapeError(what, '"id" is missing')
  return {
    id: String(id),
    filename: readOptionalString(obj, 'filename', what) ?? '',
    predictedLabel: readString(obj, 'predicted_label', what),
    confidence: readNumber(obj, 'confidence', what),
    allScores: toNumberRecord(obj['all_scores'] ?? {}, what),
    model: readOptionalString(obj, 'model', what) ?? '',
    location: readOptionalString(obj, 'location', what),
    status: readStatus(obj, what),
    createdAt: readString(obj, 'created_at', what),
    correctedLabel: readOptionalString(obj, 'corrected_label', what),
    imageUrl: readOptionalString(obj, 'image_url', what),
    ...decodeBinFields(obj, what),
    isFlagged: obj['is_flagged'] === true,
  }
}

export function decodeHistoryPage(value: unknown): HistoryPage {
  const what = 'history page'
  const obj = expectObject(value, what)
  const cursor = obj['next_cursor']
  if (cursor !== null && cursor !== undefined && typeof cursor !== 'string') {
    throw new ResponseShapeError(what, '"next_cursor" is not text')
  }
  return {
    total: readNumber(obj, 'total', what),
    items: expectArray(obj['items'], what).map(decodePrediction),
    nextCursor: typeof cursor === 'string' && cursor !== '' ? cursor : null,
  }
}

export interface ScoredLabel {
  label: string
  probability: number
}

/** The `count` most likely labels, most likely first; ties keep the label order stable. */
export function topScores(allScores: Readonly<Record<string, number>>, count: number): ScoredLabel[] {
  return Object.entries(allScores)
    .map(([label, probability]) => ({ label, probability }))
    .sort((a, b) => b.probability - a.probability || a.label.localeCompare(b.label))
    .slice(0, Math.max(0, count))
}

export function decodeCategories(value: unknown): string[] {
  const what = 'categories'
  const obj = expectObject(value, what)
  return expectArray(obj['categories'], what).map((entry) => {
    if (typeof entry !== 'string') throw new ResponseShapeError(what, 'a category is not text')
    return entry
  })
}

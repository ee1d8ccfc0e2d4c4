import {
  expectArray,
  expectObject,
  readNumber,
  readOneOf,
  readOptionalNumber,
  readOptionalString,
  readString,
  toNumberRecord,
} from './json-reader.js'
import { decodePrediction, type Prediction } from './prediction.js'

/** A scan waiting in the review queue: the stored prediction plus why it is there and its photo. */
export interface ReviewItem extends Prediction {
  isFlagged: boolean
  topGuesses: ReadonlyArray<{ label: string; score: number }>
}

export interface ReviewQueue {
  total: number
  items: readonly ReviewItem[]
}

export function decodeReviewQueue(value: unknown): ReviewQueue {
  const what = 'review queue'
  const obj = expectObject(value, what)
  return {
    total: readNumber(obj, 'total', what),
    items: expectArray(obj['items'], what).map((raw) => {
      const item = expectObject(raw, what)
      return {
        ...decodePrediction(item),
        isFlagged: item['is_flagged'] === true,
        topGuesses: expectArray(item['top_guesses'] ?? [], what).map((g) => {
          const guess = expectObject(g, what)
          return { label: readString(guess, 'label', what), score: readNumber(guess, 'score', what) }
        }),
      }
    }),
  }
}

export interface GateDecision {
  id: number
  candidateRef: string
  baselineRef: string | null
  decision: 'promoted' | 'rejected'
  reason: string
  candidateTestAccuracy: number
  baselineTestAccuracy: number | null
  candidateFeedbackAccuracy: number | null
  baselineFeedbackAccuracy: number | null
  testCount: number
  feedbackCount: number
  createdAt: string
}

export interface RetrainJob {
  id: string
  state: 'running' | 'succeeded' | 'failed'
  lines: readonly string[]
  outcome: { candidateRef: string; decision: string; reason: string } | null
  error: string | null
}

export interface RetrainStatus {
  isAvailable: boolean
  job: RetrainJob | null
  decisions: readonly GateDecision[]
}

function decodeDecision(value: unknown): GateDecision {
  const what = 'gate decision'
  const obj = expectObject(value, what)
  const decision = readOneOf(obj, 'decision', ['promoted', 'rejected'], what)
  return {
    id: readNumber(obj, 'id', what),
    candidateRef: readString(obj, 'candidate_ref', what),
    baselineRef: readOptionalString(obj, 'baseline_ref', what),
    decision,
    reason: readString(obj, 'reason', what),
    candidateTestAccuracy: readNumber(obj, 'candidate_test_accuracy', what),
    baselineTestAccuracy: readOptionalNumber(obj, 'baseline_test_accuracy', what),
    candidateFeedbackAccuracy: readOptionalNumber(obj, 'candidate_feedback_accuracy', what),
    baselineFeedbackAccuracy: readOptionalNumber(obj, 'baseline_feedback_accuracy', what),
    testCount: readNumber(obj, 'test_count', what),
    feedbackCount: readNumber(obj, 'feedback_count', what),
    createdAt: readString(obj, 'created_at', what),
  }
}

function decodeJob(value: unknown): RetrainJob {
  const what = 'retraining job'
  const obj = expectObject(value, what)
  const state = readOneOf(obj, 'state', ['running', 'succeeded', 'failed'], what)
  const outcome = obj['outcome'] == null ? null : expectObject(obj['outcome'], what)
  const error = obj['error'] == null ? null : expectObject(obj['error'], what)
  return {
    id: readString(obj, 'id', what),
    state,
    lines: expectArray(obj['lines'] ?? [], what).map(String),
    outcome: outcome
      ? {
          candidateRef: readString(outcome, 'candidate_ref', what),
          decision: readString(outcome, 'decision', what),
          reason: readString(outcome, 'reason', what),
        }
      : null,
    error: error ? readString(error, 'message', what) : null,
  }
}

/** Starting a job answers the job alone (202). */
export const decodeRetrainJob = decodeJob

export function decodeRetrainStatus(value: unknown): RetrainStatus {
  const what = 'retraining status'
  const obj = expectObject(value, what)
  return {
    isAvailable: obj['is_available'] === true,
    job: obj['job'] == null ? null : decodeJob(obj['job']),
    decisions: expectArray(obj['decisions'] ?? [], what).map(decodeDecision),
  }
}

export interface DriftDay {
  day: string
  count: number
  lowConfidenceShare: number
  distance: number | null
  warnings: readonly string[]
}

export interface Drift {
  trainingDistribution: Readonly<Record<string, number>> | null
  days: readonly DriftDay[]
  hasWarning: boolean
}

/** The `drift` part of `GET /stats`; null from a server that does not report it. */
export function decodeDrift(stats: unknown): Drift | null {
  const what = 'drift'
  const raw = expectObject(stats, 'stats')['drift']
  if (raw == null) return null
  const obj = expectObject(raw, what)
  const training = obj['training_distribution']
  return {
    trainingDistribution: training == null ? null : toNumberRecord(training, what),
    days: expectArray(obj['per_day'], what).map((d) => {
      const day = expectObject(d, what)
      return {
        day: readString(day, 'day', what),
        count: readNumber(day, 'count', what),
        lowConfidenceShare: readNumber(day, 'low_confidence_share', what),
        distance: readOptionalNumber(day, 'distance', what),
        warnings: expectArray(day['warnings'] ?? [], what).map(String),
      }
    }),
    hasWarning: obj['has_warning'] === true,
  }
}

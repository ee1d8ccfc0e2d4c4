import type { ApiClient } from './api-client.js'
import { describeBallType } from './ball-types.js'
import { isAllowed, type ApiCapabilities } from './capabilities.js'
import type { Prediction } from './prediction.js'

export const NOT_A_BALL = 'not_a_ball'

/** What a worker can do to one stored scan, from the scan result or a History row. */
export type ScanCommand =
  { kind: 'correct'; label: string } | { kind: 'flag'; isFlagged: boolean } | { kind: 'delete' }

/** A change that happened, with what is needed to take it back. */
export type ScanChange =
  | {
      kind: 'correct'
      predictionId: string
      filename: string
      label: string
      correctionId: number
      wasFlagged: boolean
    }
  | { kind: 'flag'; predictionId: string; filename: string; isFlagged: boolean }
  | { kind: 'delete'; predictionId: string; filename: string }

/** Which commands the caller's role allows: the routes need reviewer to correct or flag, admin to delete. */
export function allowedCommands(caps: Pick<ApiCapabilities, 'role'>): {
  canReview: boolean
  canDelete: boolean
} {
  return { canReview: isAllowed(caps, 'reviewer'), canDelete: isAllowed(caps, 'admin') }
}

/** The label a scan counts as now: a reviewer's, else the model's. */
export function currentLabel(prediction: Pick<Prediction, 'predictedLabel' | 'correctedLabel'>): string {
  return prediction.correctedLabel ?? prediction.predictedLabel
}

/** Sends one command; answers the change made, so it can be described and undone. */
export async function applyScanCommand(
  api: ApiClient,
  prediction: Pick<Prediction, 'id' | 'filename' | 'isFlagged'>,
  command: ScanCommand,
): Promise<ScanChange> {
  const base = { predictionId: prediction.id, filename: prediction.filename }
  switch (command.kind) {
    case 'correct': {
      const correctionId = await api.correct(prediction.id, command.label)
      return {
        ...base,
        kind: 'correct',
        label: command.label,
        correctionId,
        wasFlagged: prediction.isFlagged,
      }
    }
    case 'flag':
      await api.setFlag(prediction.id, command.isFlagged)
      return { ...base, kind: 'flag', isFlagged: command.isFlagged }
    case 'delete':
      await api.deletePrediction(prediction.id)
      return { ...base, kind: 'delete' }
  }
}

/** Takes a change back: the correction row goes (stock moves back), the flag flips back, a deleted scan returns. */
export async function undoScanChange(api: ApiClient, change: ScanChange): Promise<void> {
  switch (change.kind) {
    case 'correct':
      return api.undoCorrection(change.predictionId, change.correctionId, change.wasFlagged)
    case 'flag':
      return api.setFlag(change.predictionId, !change.isFlagged)
    case 'delete':
      return api.restorePrediction(change.predictionId)
  }
}

/** One line for the status area: what happened to which scan. */
export function describeScanChange(change: ScanChange): string {
  switch (change.kind) {
    case 'correct':
      return change.label === NOT_A_BALL
        ? `${change.filename} marked as not a ball; it no longer counts as stock.`
        : `${change.filename} corrected to ${describeBallType(change.label).name}; stock moved.`
    case 'flag':
      return change.isFlagged
        ? `${change.filename} sent to the review queue.`
        : `${change.filename} taken out of the review queue.`
    case 'delete':
      return `${change.filename} deleted.`
  }
}

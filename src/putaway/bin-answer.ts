import { NOT_A_BALL } from '../db/index.js'

/**
 * Why an answer names no bin:
 * - `needs_review`: the model is unsure and no person has confirmed the label, so the ball is not shelved yet;
 * - `not_a_ball`: a reviewer said the photo shows no ball;
 * - `no_assignment`: the ball type has no bin at the scan's site (nothing is invented).
 */
export const BIN_REASONS = ['needs_review', 'not_a_ball', 'no_assignment'] as const
export type BinReason = (typeof BIN_REASONS)[number]

export interface BinAnswer {
  bin: string | null
  reason: BinReason | null
}

export interface ScanForBin {
  status: 'counted' | 'needs_review'
  predictedLabel: string
  /** The latest correction's label; a correction is a person's word, so it makes an unsure scan shelvable. */
  correctedLabel: string | null
}

/** The label a scan counts under now: the latest correction, else the model's. */
export function currentLabel(scan: ScanForBin): string {
  return scan.correctedLabel ?? scan.predictedLabel
}

/** Where a scanned ball goes, given the bin its current label is assigned to at the scan's site. */
export function answerBin(scan: ScanForBin, assignedBin: string | undefined): BinAnswer {
  if (scan.correctedLabel === NOT_A_BALL) return { bin: null, reason: 'not_a_ball' }
  if (scan.status === 'needs_review' && scan.correctedLabel === null)
    return { bin: null, reason: 'needs_review' }
  if (assignedBin === undefined) return { bin: null, reason: 'no_assignment' }
  return { bin: assignedBin, reason: null }
}

/**
 * One model's scores for the gate: accuracy on the fixed test split and on the held-out corrected scans
 * (null when none were held out: no scan was corrected, or too few to spare one).
 */
export interface GateScores {
  testAccuracy: number
  feedbackAccuracy: number | null
}

export interface GateVerdict {
  decision: 'promoted' | 'rejected'
  reason: string
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`

/**
 * The retraining gate: a candidate replaces production only if it is not worse on the fixed test split
 * (within `testTolerance`, for evaluation noise on a small test set) and strictly better on the corrected scans
 * it never trained on, so a promoted model has learnt from people's corrections without forgetting the rest.
 * Without held-out corrections the test split alone decides. With no baseline (nothing in production and no
 * bundled model) there is nothing to lose.
 */
export function decideGate(
  candidate: GateScores,
  baseline: GateScores | undefined,
  options: { testTolerance?: number } = {},
): GateVerdict {
  if (!baseline) return { decision: 'promoted', reason: 'no production model to compare with' }
  const tolerance = options.testTolerance ?? 0
  const test = `test ${pct(candidate.testAccuracy)} vs ${pct(baseline.testAccuracy)}`
  if (candidate.testAccuracy < baseline.testAccuracy - tolerance) {
    return { decision: 'rejected', reason: `worse on the test split (${test})` }
  }
  if (candidate.feedbackAccuracy === null || baseline.feedbackAccuracy === null) {
    return { decision: 'promoted', reason: `${test}; no held-out corrected scans, the test split decided` }
  }
  const feedback = `held-out corrected scans ${pct(candidate.feedbackAccuracy)} vs ${pct(baseline.feedbackAccuracy)}`
  if (!(candidate.feedbackAccuracy > baseline.feedbackAccuracy)) {
    return { decision: 'rejected', reason: `not better on the held-out corrected scans (${feedback})` }
  }
  return { decision: 'promoted', reason: `${test}; ${feedback}` }
}

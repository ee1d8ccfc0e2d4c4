/** One model's scores for the gate: accuracy on the fixed test split and on the corrected scans. */
export interface GateScores {
  testAccuracy: number
  feedbackAccuracy: number
}

export interface GateVerdict {
  decision: 'promoted' | 'rejected'
  reason: string
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`

/**
 * The retraining gate: a candidate replaces production only if it is not worse on the fixed test split
 * (within `testTolerance`, for evaluation noise on a small test set) and strictly better on the scans people
 * corrected, so a promoted model has learnt from its mistakes without forgetting the rest. With no baseline
 * (nothing in production and no bundled model) there is nothing to lose.
 */
export function decideGate(
  candidate: GateScores,
  baseline: GateScores | undefined,
  options: { testTolerance?: number } = {},
): GateVerdict {
  if (!baseline) return { decision: 'promoted', reason: 'no production model to compare with' }
  const tolerance = options.testTolerance ?? 0
  const test = `test ${pct(candidate.testAccuracy)} vs ${pct(baseline.testAccuracy)}`
  const feedback = `corrected scans ${pct(candidate.feedbackAccuracy)} vs ${pct(baseline.feedbackAccuracy)}`
  if (candidate.testAccuracy < baseline.testAccuracy - tolerance) {
    return { decision: 'rejected', reason: `worse on the test split (${test})` }
  }
  if (!(candidate.feedbackAccuracy > baseline.feedbackAccuracy)) {
    return { decision: 'rejected', reason: `not better on the corrected scans (${feedback})` }
  }
  return { decision: 'promoted', reason: `${test}; ${feedback}` }
}

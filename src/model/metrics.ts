import { ModelInputError } from './errors.js'
import { expectedCalibrationError } from './calibration.js'

export interface ClassMetrics {
  precision: number
  recall: number
  f1: number
  /** True instances of the class in the evaluated set. */
  support: number
}

export interface ClassificationMetrics {
  n: number
  accuracy: number
  /** Mean F1 over the classes present in the truth or the predictions (scikit-learn's default). */
  macroF1: number
  labels: string[]
  perClass: Record<string, ClassMetrics>
  /** confusion[true][predicted] counts, rows and columns in `labels` order. */
  confusion: number[][]
  /** Expected calibration error of the top-1 confidence, 15 equal-width bins. */
  ece: number
  /** What a review threshold would do: share of samples at or above it, and their accuracy. */
  byThreshold: ThresholdPoint[]
}

/**
 * Scans whose confidence reaches the serving threshold are counted as stock without a look; the rest wait for
 * review. `coverage` is the counted share, `accuracy` how many of those are right (null when none reach it).
 */
export interface ThresholdPoint {
  threshold: number
  coverage: number
  accuracy: number | null
}

/** Thresholds every evaluation reports, so SPORTSCAN_THRESHOLD can be chosen from the trade-off. */
export const REPORTED_THRESHOLDS: readonly number[] = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]

/** Coverage and accuracy of the samples whose top-1 confidence is at least each threshold. */
export function accuracyByThreshold(
  probs: readonly ArrayLike<number>[],
  actual: readonly number[],
  thresholds: readonly number[] = REPORTED_THRESHOLDS,
): ThresholdPoint[] {
  const top = probs.map((p, i) => {
    const k = argMax(p)
    return { confidence: p[k] ?? 0, correct: k === actual[i] }
  })
  return thresholds.map((threshold) => {
    const kept = top.filter((t) => t.confidence >= threshold)
    return {
      threshold,
      coverage: top.length > 0 ? kept.length / top.length : 0,
      accuracy: kept.length > 0 ? kept.filter((t) => t.correct).length / kept.length : null,
    }
  })
}

/** Index of the largest value; ties go to the lower index (as argMax does). */
export function argMax(values: ArrayLike<number>): number {
  let best = 0
  for (let i = 1; i < values.length; i++) if ((values[i] ?? -Infinity) > (values[best] ?? -Infinity)) best = i
  return best
}

export function confusionMatrix(
  actual: readonly number[],
  predicted: readonly number[],
  numClasses: number,
): number[][] {
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0))
  actual.forEach((truth, i) => {
    const row = matrix[truth]
    const guess = predicted[i]
    if (row === undefined || guess === undefined || guess < 0 || guess >= numClasses) {
      throw new ModelInputError(`label ${truth} or prediction ${String(guess)} is outside [0, ${numClasses})`)
    }
    row[guess] = (row[guess] ?? 0) + 1
  })
  return matrix
}

/** Precision, recall, F1 and support per class from a confusion matrix; 0 where a ratio has no denominator. */
export function perClassMetrics(confusion: readonly (readonly number[])[]): ClassMetrics[] {
  return confusion.map((row, k) => {
    const tp = row[k] ?? 0
    const support = row.reduce((a, b) => a + b, 0)
    const predicted = confusion.reduce((sum, r) => sum + (r[k] ?? 0), 0)
    const precision = predicted > 0 ? tp / predicted : 0
    const recall = support > 0 ? tp / support : 0
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0
    return { precision, recall, f1, support }
  })
}

/**
 * Accuracy, macro-F1, per-class table, confusion matrix, ECE and the threshold table (REPORTED_THRESHOLDS plus
 * `extraThresholds`) from predicted probabilities (one array per sample, in `labels` order) and true classes.
 */
export function computeClassificationMetrics(
  probs: readonly ArrayLike<number>[],
  actual: readonly number[],
  labels: readonly string[],
  options: { extraThresholds?: readonly number[] } = {},
): ClassificationMetrics {
  if (probs.length !== actual.length) {
    throw new ModelInputError(`${probs.length} predictions but ${actual.length} labels`)
  }
  const predicted = probs.map((p) => {
    if (p.length !== labels.length)
      throw new ModelInputError(`a prediction has ${p.length} values, expected ${labels.length}`)
    return argMax(p)
  })
  const confusion = confusionMatrix(actual, predicted, labels.length)
  const classes = perClassMetrics(confusion)
  const correct = predicted.filter((p, i) => p === actual[i]).length
  const present = classes.filter((c, k) => c.support > 0 || confusion.some((row) => (row[k] ?? 0) > 0))
  const perClass: Record<string, ClassMetrics> = {}
  labels.forEach((label, k) => {
    const c = classes[k]
    if (c) perClass[label] = c
  })
  return {
    n: actual.length,
    accuracy: actual.length > 0 ? correct / actual.length : 0,
    macroF1: present.length > 0 ? present.reduce((sum, c) => sum + c.f1, 0) / present.length : 0,
    labels: [...labels],
    perClass,
    confusion,
    ece: expectedCalibrationError(probs, actual),
    byThreshold: accuracyByThreshold(
      probs,
      actual,
      [...new Set([...REPORTED_THRESHOLDS, ...(options.extraThresholds ?? [])])].sort((a, b) => a - b),
    ),
  }
}

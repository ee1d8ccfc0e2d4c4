import { formatPercent } from './format.js'

// Names for the metrics the pipeline's evaluate step records (src/pipeline/steps/evaluate.ts).
const METRIC_NAMES: Readonly<Record<string, string>> = {
  n: 'Images evaluated',
  ece: 'Calibration error (ECE)',
  eceUncalibrated: 'ECE before temperature scaling',
  temperature: 'Temperature',
  accuracyFullView: 'Accuracy on whole photos (one view each)',
  training_seconds: 'Training time (s)',
  trainingSeconds: 'Training time (s)',
}

/** `training_seconds` / `trainingSeconds` -> "Training seconds" (known keys get a fixed name). */
export function metricName(key: string): string {
  const known = METRIC_NAMES[key]
  if (known !== undefined) return known
  const words = key
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** Rates (accuracy, F1, calibration error…) read as percentages; counts, seconds, temperature as numbers. */
export function formatMetric(key: string, value: number): string {
  const isRate = /accuracy|f1|precision|recall|ece|rate|share/i.test(key) && value >= 0 && value <= 1
  return isRate ? formatPercent(value) : value.toLocaleString(undefined, { maximumFractionDigits: 3 })
}

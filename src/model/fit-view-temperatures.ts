import type { ViewTemperatures } from './artifact.js'
import { fitTemperature } from './calibration.js'
import type { Classifier } from './classifier.js'
import { evaluateClassifier } from './evaluate.js'
import { TEST_VIEW_PRESETS, type TestViewPreset } from './test-time-views.js'

export interface ViewCalibration {
  temperatures: ViewTemperatures
  /** Validation accuracy and temperature per preset, for the record. */
  byPreset: Partial<Record<TestViewPreset, { accuracy: number; temperature: number }>>
}

export interface FitViewTemperaturesOptions {
  /** An uncalibrated (T = 1) classifier answering through `preset`'s views. */
  classifierFor: (preset: TestViewPreset) => Classifier | Promise<Classifier>
  /** Whether to dispose each classifier after use (not when they share one network the caller keeps). */
  dispose: boolean
  images: readonly Float32Array[]
  labels: readonly number[]
  signal?: AbortSignal
  onPreset?: (preset: TestViewPreset, accuracy: number, temperature: number) => void
}

/**
 * A temperature per test-time view preset, each fitted on the validation photos through that preset's
 * views, so a server can trade views for speed without a retrain and its confidences stay calibrated.
 * Nothing to fit on (no validation photos) gives no temperatures.
 */
export async function fitViewTemperatures(options: FitViewTemperaturesOptions): Promise<ViewCalibration> {
  const temperatures: ViewTemperatures = {}
  const byPreset: ViewCalibration['byPreset'] = {}
  if (options.images.length === 0) return { temperatures, byPreset }
  for (const preset of Object.keys(TEST_VIEW_PRESETS) as TestViewPreset[]) {
    const classifier = await options.classifierFor(preset)
    try {
      const onVal = await evaluateClassifier(classifier, options.images, options.labels, {
        ...(options.signal ? { signal: options.signal } : {}),
      })
      const temperature = fitTemperature(onVal.probs, options.labels)
      temperatures[preset] = temperature
      byPreset[preset] = { accuracy: onVal.metrics.accuracy, temperature }
      options.onPreset?.(preset, onVal.metrics.accuracy, temperature)
    } finally {
      if (options.dispose) await classifier.dispose()
    }
  }
  return { temperatures, byPreset }
}

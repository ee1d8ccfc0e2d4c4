import { describe, expect, it } from 'vitest'
import { formatMetric, metricName } from '../../src/web/src/lib/metric-format.js'

describe('metricName', () => {
  it('names the metrics the evaluate step records', () => {
    expect(metricName('n')).toBe('Images evaluated')
    expect(metricName('eceUncalibrated')).toBe('ECE before temperature scaling')
    expect(metricName('accuracyFullView')).toBe('Accuracy on whole photos (one view each)')
  })

  it('turns other snake_case and camelCase keys into a sentence', () => {
    expect(metricName('val_loss')).toBe('Val loss')
    expect(metricName('bestEpoch')).toBe('Best epoch')
  })
})

describe('formatMetric', () => {
  it('shows rates as percentages', () => {
    expect(formatMetric('ece', 0.0525)).toBe('5.3%')
    expect(formatMetric('val_accuracy', 0.5)).toBe('50.0%')
    expect(formatMetric('accuracyFullView', 0.657)).toBe('65.7%')
  })

  it('shows counts, temperature and seconds as numbers, even between 0 and 1', () => {
    expect(formatMetric('temperature', 1)).toBe((1).toLocaleString())
    expect(formatMetric('temperature', 0.85)).toBe((0.85).toLocaleString())
    expect(formatMetric('n', 368)).toBe((368).toLocaleString())
  })
})

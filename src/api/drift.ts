import type { Config } from '../config/index.js'
import type { DailyLabelCounts } from '../db/index.js'

export interface DriftDay {
  day: string
  count: number
  lowConfidenceShare: number
  /** Share of the day's scans per predicted label. */
  distribution: Record<string, number>
  /** Total variation distance (0..1) from the training distribution; null without one. */
  distance: number | null
  /** Why the day warns; empty when it does not. */
  warnings: string[]
}

/** Shares that sum to 1 (an empty count map stays empty). */
export function toDistribution(counts: Readonly<Record<string, number>>): Record<string, number> {
  const total = Object.values(counts).reduce((a, b) => a + b, 0)
  return total === 0 ? {} : Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / total]))
}

/** Half the L1 distance: the share of scans that would have to change class to match the other mix. */
export function totalVariation(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>) {
  const labels = new Set([...Object.keys(a), ...Object.keys(b)])
  let sum = 0
  for (const label of labels) sum += Math.abs((a[label] ?? 0) - (b[label] ?? 0))
  return sum / 2
}

/**
 * Per day: the share of scans below the confidence threshold and how far the predicted-class mix is from
 * the training data's, each checked against its bound. Days with too few scans never warn.
 */
export function computeDrift(
  days: readonly DailyLabelCounts[],
  training: Readonly<Record<string, number>> | null,
  bounds: Config['drift'],
): DriftDay[] {
  return days.map((d) => {
    const distribution = toDistribution(d.perLabel)
    const lowConfidenceShare = d.count === 0 ? 0 : d.lowConfidence / d.count
    const distance = training === null ? null : totalVariation(distribution, training)
    const warnings: string[] = []
    if (d.count >= bounds.minScans) {
      if (lowConfidenceShare > bounds.maxLowConfidenceShare) {
        warnings.push(
          `${(lowConfidenceShare * 100).toFixed(0)}% of scans below the threshold (bound ${(bounds.maxLowConfidenceShare * 100).toFixed(0)}%)`,
        )
      }
      if (distance !== null && distance > bounds.maxDistance) {
        warnings.push(
          `predicted classes ${distance.toFixed(2)} from the training mix (bound ${bounds.maxDistance.toFixed(2)})`,
        )
      }
    }
    return { day: d.day, count: d.count, lowConfidenceShare, distribution, distance, warnings }
  })
}

import type { DatasetManifest } from './dataset-manifest.js'
import type { BallLabel } from './labels.js'

export interface Spread {
  min: number
  median: number
  max: number
}

export interface DatasetStats {
  version: string
  imageCount: number
  /** Total stored bytes of the entries. */
  bytes: number
  /** Per class, in BALL_LABELS order; classes without images are absent. */
  classCounts: Partial<Record<BallLabel, number>>
  formats: Record<string, number>
  /** Pixels; `undefined` for an empty manifest. */
  width: Spread | undefined
  height: Spread | undefined
}

/** Class counts and image size statistics, computed from the manifest alone (no image is read). */
export function datasetStats(manifest: DatasetManifest): DatasetStats {
  const classCounts: Partial<Record<BallLabel, number>> = {}
  for (const label of manifest.classes) classCounts[label] = 0
  const formats: Record<string, number> = {}
  let bytes = 0
  for (const e of manifest.entries) {
    classCounts[e.label] = (classCounts[e.label] ?? 0) + 1
    formats[e.format] = (formats[e.format] ?? 0) + 1
    bytes += e.bytes
  }
  return {
    version: manifest.version,
    imageCount: manifest.entries.length,
    bytes,
    classCounts,
    formats,
    width: spreadOf(manifest.entries.map((e) => e.width)),
    height: spreadOf(manifest.entries.map((e) => e.height)),
  }
}

function spreadOf(values: number[]): Spread | undefined {
  if (values.length === 0) return undefined
  const sorted = values.slice().sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
  return { min: sorted[0] as number, median, max: sorted[sorted.length - 1] as number }
}

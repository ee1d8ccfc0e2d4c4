import { hashFile } from './content-hash.js'
import { loadManifest } from './load-dataset.js'
import { mapConcurrent } from './map-concurrent.js'
import { splitFromFile, splitStratified, type DatasetSplit } from './split.js'

/** What a registered model records about its data: the dataset version and how its split was made. */
export interface ModelDataRecord {
  datasetVersion: string | null
  /** The pipeline's split summary: `{kind: 'stratified', valFraction, testFraction, seed}` or `{kind: 'file', sha256, valFraction, seed}`. */
  split: Record<string, unknown> | null
}

export type TrainingOverlap =
  { isChecked: true; scored: number; inTrain: number; inVal: number } | { isChecked: false; reason: string }

/**
 * How many of the photos about to be scored the model saw in training or validation, by content hash: the
 * model's split is rebuilt from its dataset manifest and split summary, as the pipeline's split step made it.
 * A split file is only known by its hash, so the same file must be given (`splitFile`) to rebuild it.
 */
export async function findTrainingOverlap(
  home: string,
  record: ModelDataRecord,
  scoredFiles: readonly string[],
  options: { splitFile?: string } = {},
): Promise<TrainingOverlap> {
  const split = await rebuildSplit(home, record, options.splitFile)
  if (!('train' in split)) return split
  const train = new Set(split.train.map((e) => e.sha256))
  const val = new Set(split.val.map((e) => e.sha256))
  const hashes = await mapConcurrent(scoredFiles, 8, async (file) => (await hashFile(file)).sha256)
  return {
    isChecked: true,
    scored: scoredFiles.length,
    inTrain: hashes.filter((h) => train.has(h)).length,
    inVal: hashes.filter((h) => val.has(h) && !train.has(h)).length,
  }
}

async function rebuildSplit(
  home: string,
  record: ModelDataRecord,
  splitFile: string | undefined,
): Promise<DatasetSplit | { isChecked: false; reason: string }> {
  const summary = record.split
  if (record.datasetVersion === null || summary === null) {
    return { isChecked: false, reason: 'the model records no dataset version or split' }
  }
  const num = (key: string) => (typeof summary[key] === 'number' ? summary[key] : undefined)
  const [valFraction, seed] = [num('valFraction'), num('seed')]
  if (valFraction === undefined || seed === undefined) {
    return { isChecked: false, reason: 'the model records a split without its fractions and seed' }
  }
  const manifest = await loadManifest(home, record.datasetVersion)
  if (summary['kind'] === 'stratified') {
    const testFraction = num('testFraction')
    if (testFraction === undefined) return { isChecked: false, reason: 'the split has no test fraction' }
    return splitStratified(manifest, {
      train: 1 - valFraction - testFraction,
      val: valFraction,
      test: testFraction,
      seed,
    })
  }
  if (splitFile === undefined || (await hashFile(splitFile)).sha256 !== summary['sha256']) {
    const name = typeof summary['file'] === 'string' ? summary['file'] : 'its split file'
    return {
      isChecked: false,
      reason: `the model was split by ${name}: give that file as --split-file to check`,
    }
  }
  return splitFromFile(manifest, splitFile, { valFraction, seed })
}

import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { mapConcurrent, preprocessImage } from '../data/index.js'
import type { Logger } from '../log/index.js'
import { ARTIFACT_FILES } from './artifact.js'
import type { Classifier } from './classifier.js'
import { EmptyEvaluationError, EvaluationSourceError, UnknownClassError } from './errors.js'
import { listClassFolderImages, listSplitSubsetImages, type LabelledFile } from './list-labelled-images.js'
import type { ClassificationMetrics } from './metrics.js'
import { computeClassificationMetrics } from './metrics.js'
import { writeConfusionMatrixPng } from './plots/confusion-matrix.js'

export interface EvaluateDirectoryOptions {
  /** A class-per-folder directory. */
  dataDir: string
  /** Evaluate only `subset` of this split file's lists (paths relative to `dataDir`). */
  splitFile?: string
  /** `test` (default), `train` or `val`. */
  subset?: string
  /** Where metrics.json and confusion-matrix.png go; nothing is written without it. */
  outDir?: string
  maxPixels?: number
  /** Confidence thresholds reported besides REPORTED_THRESHOLDS (e.g. the configured serving threshold). */
  thresholds?: readonly number[]
  /** Images decoded per forward pass; default 32. */
  batchSize?: number
  log: Logger
  signal?: AbortSignal
  onProgress?: (progress: { done: number; total: number }) => void
}

/** What `sportscan evaluate --json` prints: the model's ref and its metrics. */
export interface DirectoryEvaluation extends ClassificationMetrics {
  model: string
}

/**
 * Scores a classifier on a folder of labelled photos (all of it, or a split file's subset), preprocessing
 * each image exactly as serving does. Class folders the model does not know are an error naming them all;
 * the folder may hold only some of the model's classes.
 */
export async function evaluateDirectory(
  classifier: Classifier,
  options: EvaluateDirectoryOptions,
): Promise<DirectoryEvaluation> {
  const { log, signal } = options
  const files = options.splitFile
    ? await listSplitSubsetImages(options.dataDir, options.splitFile, options.subset ?? 'test')
    : await listClassFolderImages(options.dataDir)
  const labelIndex = new Map(classifier.labels.map((label, i) => [label, i]))
  const unknown = [...new Set(files.map((f) => f.label).filter((label) => !labelIndex.has(label)))]
  if (unknown.length > 0) throw new UnknownClassError(unknown.sort(), classifier.ref)
  if (files.length === 0) throw new EmptyEvaluationError(`no images under ${options.dataDir}`)
  log.info({ model: classifier.ref, images: files.length }, 'evaluating')

  const batchSize = options.batchSize ?? 32
  const probs: Float32Array[] = []
  const actual: number[] = []
  // Decoding and inference go batch by batch, so memory stays flat whatever the folder's size.
  for (let start = 0; start < files.length; start += batchSize) {
    const batch = files.slice(start, start + batchSize)
    const images = await mapConcurrent(
      batch,
      4,
      (file) => preprocess(file, classifier, options.maxPixels),
      signal,
    )
    probs.push(...(await classifier.predict(images)))
    actual.push(...batch.map((f) => labelIndex.get(f.label) ?? 0))
    options.onProgress?.({ done: probs.length, total: files.length })
  }
  const metrics = computeClassificationMetrics(probs, actual, classifier.labels, {
    ...(options.thresholds ? { extraThresholds: options.thresholds } : {}),
  })
  const result: DirectoryEvaluation = { model: classifier.ref, ...metrics }
  if (options.outDir) {
    await mkdir(options.outDir, { recursive: true })
    const subset = options.splitFile ? ` · ${options.subset ?? 'test'} subset` : ''
    await Promise.all([
      writeFile(path.join(options.outDir, ARTIFACT_FILES.metrics), `${JSON.stringify(result, null, 2)}\n`),
      writeConfusionMatrixPng(
        path.join(options.outDir, ARTIFACT_FILES.confusionMatrix),
        result.confusion,
        result.labels,
        {
          title: `${classifier.ref}${subset} (n=${result.n}, accuracy ${(result.accuracy * 100).toFixed(1)}%)`,
        },
      ),
    ])
    log.info({ outDir: options.outDir }, 'evaluation written')
  }
  return result
}

async function preprocess(
  file: LabelledFile,
  classifier: Classifier,
  maxPixels: number | undefined,
): Promise<Float32Array> {
  try {
    return await preprocessImage(
      file.absolutePath,
      classifier.preprocess,
      maxPixels === undefined ? {} : { maxPixels },
    )
  } catch (err) {
    throw new EvaluationSourceError(
      `${file.relativePath}: ${err instanceof Error ? err.message : String(err)}`,
      err,
    )
  }
}

import { access } from 'node:fs/promises'
import path from 'node:path'
import { evaluateDirectory, initBackend, loadClassifier } from '../../model/index.js'
import type { Database } from '../../db/index.js'
import type { Logger } from '../../log/index.js'
import { AliasNotFoundError, resolveModelRef } from '../../registry/index.js'
import type { GateScores } from './gate-decision.js'

export interface ScoredModel extends GateScores {
  ref: string
  testCount: number
  feedbackCount: number
}

export interface GateData {
  /** The merged dataset laid out as folders; the split file's test list is relative to it. */
  dataDir: string
  splitFile: string
  /** The exported corrected scans, class per folder. */
  feedbackDir: string
  log: Logger
  signal?: AbortSignal
}

/**
 * Scores one model artifact the way serving sees photos (same preprocessing), on the fixed test split and on
 * the corrected scans. Argmax accuracy does not depend on the calibration temperature.
 */
export async function scoreModel(dir: string, ref: string, data: GateData): Promise<ScoredModel> {
  await initBackend({ log: data.log })
  const classifier = await loadClassifier(dir, { log: data.log, ref })
  try {
    const common = { log: data.log, ...(data.signal ? { signal: data.signal } : {}) }
    const test = await evaluateDirectory(classifier, {
      dataDir: data.dataDir,
      splitFile: data.splitFile,
      subset: 'test',
      ...common,
    })
    const feedback = await evaluateDirectory(classifier, { dataDir: data.feedbackDir, ...common })
    return {
      ref,
      testAccuracy: test.accuracy,
      testCount: test.n,
      feedbackAccuracy: feedback.accuracy,
      feedbackCount: feedback.n,
    }
  } finally {
    await classifier.dispose()
  }
}

/**
 * What a candidate must beat: the registry's `production` version, else the bundled model that serving falls
 * back to (when its folder exists), else nothing.
 */
export async function locateBaseline(
  db: Database,
  modelName: string,
  bundledModelDir: string | undefined,
): Promise<{ dir: string; ref: string } | undefined> {
  try {
    const production = await resolveModelRef(db, `${modelName}@production`)
    return { dir: production.artifactPath, ref: production.ref }
  } catch (err) {
    if (!(err instanceof AliasNotFoundError)) throw err
  }
  if (bundledModelDir === undefined) return undefined
  const hasModel = await access(path.join(bundledModelDir, 'model.json')).then(
    () => true,
    () => false,
  )
  return hasModel ? { dir: bundledModelDir, ref: `bundled:${path.basename(bundledModelDir)}` } : undefined
}

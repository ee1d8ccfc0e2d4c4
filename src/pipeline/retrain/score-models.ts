import type { Database } from '../../db/index.js'
import type { Logger } from '../../log/index.js'
import { evaluateDirectory, initBackend, loadServedModel } from '../../model/index.js'
import {
  NoServedModelError,
  resolveServedModel,
  type ServedModel,
  type ServingPolicy,
} from '../../registry/index.js'
import type { GateScores } from './gate-decision.js'

export interface ScoredModel extends GateScores {
  /** What the model reports (`name@version`, or the bundled artifact's own). */
  ref: string
  testCount: number
  /** Held-out corrected scans scored (0 when none were held out). */
  feedbackCount: number
}

export interface GateData {
  /** The merged dataset laid out as folders; the split file's test list is relative to it. */
  dataDir: string
  splitFile: string
  /** The held-out corrected scans, class per folder; undefined when none were held out. */
  heldOutDir: string | undefined
  /** SportScan home (ONNX exports of registry models are cached there). */
  home: string
  log: Logger
  signal?: AbortSignal
}

/**
 * Scores a model as it is served (same views and temperature, same preprocessing) on the fixed test split and
 * on the held-out corrected scans, through the runtime and precision the server would use (model's
 * chooseRuntime): an int8 model is gated on its int8 answers.
 */
export async function scoreModel(served: ServedModel, data: GateData): Promise<ScoredModel> {
  await initBackend({ log: data.log })
  const { classifier } = await loadServedModel(served, { home: data.home, log: data.log })
  try {
    const common = { log: data.log, ...(data.signal ? { signal: data.signal } : {}) }
    const test = await evaluateDirectory(classifier, {
      dataDir: data.dataDir,
      splitFile: data.splitFile,
      subset: 'test',
      ...common,
    })
    const feedback = data.heldOutDir
      ? await evaluateDirectory(classifier, { dataDir: data.heldOutDir, ...common })
      : undefined
    return {
      ref: classifier.ref,
      testAccuracy: test.accuracy,
      testCount: test.n,
      feedbackAccuracy: feedback?.accuracy ?? null,
      feedbackCount: feedback?.n ?? 0,
    }
  } finally {
    await classifier.dispose()
  }
}

/** What a candidate must beat: the model served now (production, else the bundled one), or nothing. */
export async function locateBaseline(db: Database, serving: ServingPolicy): Promise<ServedModel | undefined> {
  try {
    return await resolveServedModel(db, serving)
  } catch (err) {
    if (err instanceof NoServedModelError) return undefined
    throw err
  }
}

import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  exportFeedback,
  importDataset,
  listDatasets,
  materializeDataset,
  resolveDatasetVersion,
} from '../../data/index.js'
import { insertGateDecision, type Database, type GateDecisionRow, type GateHoldout } from '../../db/index.js'
import {
  AliasNotFoundError,
  promoteAlias,
  resolveModelRef,
  resolveServedModel,
  type ServingPolicy,
} from '../../registry/index.js'
import { DEFAULT_PIPELINE_FILE } from '../default-pipeline-file.js'
import { defaultStepTypes } from '../default-step-types.js'
import { NoFeedbackError } from '../errors.js'
import { loadPipeline } from '../resolve-pipeline.js'
import { runPipeline } from '../run-pipeline.js'
import type { StepServices } from '../step-type.js'
import { decideGate } from './gate-decision.js'
import { holdOutFeedback, moveHeldOut } from './hold-out-feedback.js'
import { extendSplitWithFeedback } from './retrain-split.js'
import { locateBaseline, scoreModel, type ScoredModel } from './score-models.js'

export interface RetrainOptions extends StepServices {
  /** Fixed split file (`{"train": [...], "test": [...]}`) of the base dataset; its test list is the gate's. */
  splitFile: string
  /** How the served model answers (its registry name, bundled folder, runtime, views): both models are scored so. */
  serving: ServingPolicy
  /** Only scans corrected at or after this instant; every corrected scan without it. */
  since?: Date
  /** Dataset version (or unique prefix) to merge the feedback onto; default: production's, else the newest. */
  baseVersion?: string
  /** A class-per-folder dataset to import (same content, same version) and merge the feedback onto instead. */
  baseDir?: string
  /** `key=value` pipeline param overrides (e.g. `epochs=1`); data, split and promote are set here. */
  overrides?: readonly string[]
  pipelineFile?: string
  /** Largest drop in test accuracy still counted as "not worse". */
  testTolerance?: number
  /** Share of the corrected scans (stratified by label) held out of training for the gate to score on. */
  holdoutFraction: number
  holdoutSeed: number
  /** With no corrected scan, train on the base dataset and let the test split decide (a code change). */
  allowNoFeedback?: boolean
  onProgress?: (line: string) => void
}

export interface RetrainResult {
  candidateRef: string
  datasetVersion: string
  runId: string
  exported: number
  holdout: GateHoldout
  candidate: ScoredModel
  baseline: ScoredModel | null
  decision: GateDecisionRow
}

/**
 * The retraining loop: export the corrected scans, hold part of them out (stratified, seeded), merge the rest
 * into a new dataset version, train and register a candidate (alias `staging`) through the pipeline, score it
 * and the served model on the fixed test split and on the held-out scans, record the gate's decision, and
 * promote the candidate to `production` if it passed.
 */
export async function retrainWithGate(options: RetrainOptions): Promise<RetrainResult> {
  const { home, db, log, signal, serving } = options
  const say = (line: string) => {
    log.info(line)
    options.onProgress?.(line)
  }
  const workDir = path.join(home, 'retrain', new Date().toISOString().replace(/[:.]/g, '-'))
  const services = { home, db, log, ...(signal ? { signal } : {}) }

  const feedbackDir = path.join(workDir, 'feedback')
  await mkdir(feedbackDir, { recursive: true })
  const feedback = await exportFeedback(feedbackDir, {
    home,
    db,
    log,
    ...(options.since ? { since: options.since } : {}),
  })
  if (feedback.exported.length === 0 && !options.allowNoFeedback) {
    throw new NoFeedbackError(options.since, feedback.skipped.length)
  }
  const split = holdOutFeedback(feedback.exported, {
    fraction: options.holdoutFraction,
    seed: options.holdoutSeed,
  })
  const heldOutDir = split.heldOut.length > 0 ? path.join(workDir, 'held-out') : undefined
  if (heldOutDir) await moveHeldOut(feedbackDir, heldOutDir, split.heldOut)
  const holdout: GateHoldout = {
    seed: split.seed,
    fraction: split.fraction,
    trainedOn: split.trainedOn.length,
    scans: split.heldOut.map(({ predictionId, label, sha256 }) => ({ predictionId, label, sha256 })),
  }
  await writeFile(path.join(workDir, 'holdout.json'), `${JSON.stringify(holdout, null, 2)}\n`)
  say(
    `exported ${feedback.exported.length} corrected scan(s) (${feedback.skipped.length} left out): ` +
      `${split.trainedOn.length} to train on, ${split.heldOut.length} held out for the gate (seed ${split.seed})`,
  )

  const baseVersion = options.baseDir
    ? (await importDataset(options.baseDir, services)).version
    : await resolveBaseVersion(db, serving.modelName, options.baseVersion)
  const merged = await importDataset(feedbackDir, { ...services, ...(baseVersion ? { baseVersion } : {}) })
  say(
    `dataset ${merged.version.slice(0, 12)}: ${merged.manifest.entries.length} images (base ${baseVersion?.slice(0, 12) ?? 'none'})`,
  )
  // Named by version: the prep step's cache sees the same folder listing for the same content.
  const dataDir = await materializeDataset(
    home,
    merged.manifest,
    path.join(home, 'retrain', 'datasets', merged.version),
    signal ? { signal } : {},
  )
  const heldOutBytes = new Set(split.heldOut.map((s) => s.sha256))
  const extended = await extendSplitWithFeedback(options.splitFile, merged.manifest, heldOutBytes)
  const splitFile = path.join(workDir, 'split.json')
  await writeFile(splitFile, `${JSON.stringify(extended.split)}\n`)
  say(
    `split: ${extended.added} unlisted photo(s) added to train; kept out: ${extended.leaked} (test photos), ` +
      `${extended.withheld} (held-out scans)`,
  )

  const pipeline = await loadPipeline(options.pipelineFile ?? DEFAULT_PIPELINE_FILE, {
    stepTypes: defaultStepTypes(),
    // Ours last, so a caller's override cannot train on another folder or skip the staging alias.
    overrides: [
      ...(options.overrides ?? []),
      `data=${dataDir}`,
      `split=${splitFile}`,
      `modelName=${serving.modelName}`,
      'promote=staging',
    ],
  })
  const run = await runPipeline(pipeline, {
    ...services,
    codeVersion: options.codeVersion,
    onEvent: (event) => {
      if (event.type === 'step-progress') say(`${event.step}: ${event.message}`)
      else if (event.type === 'step-cached') say(`${event.step}: cached`)
      else if (event.type === 'step-done') say(`${event.step}: done in ${event.seconds.toFixed(1)} s`)
    },
  })
  if (run.error) throw run.error
  const ref = run.steps.find((s) => s.type === 'register')?.outputs.ref
  if (typeof ref !== 'string') throw new Error(`pipeline ${pipeline.name} registered no model`)

  const gateData = { dataDir, splitFile, heldOutDir, home: options.home, log, ...(signal ? { signal } : {}) }
  const candidateModel = await resolveServedModel(db, serving, { model: ref })
  const baselineModel = await locateBaseline(db, serving)
  const candidate = await scoreModel(candidateModel, gateData)
  const baseline = baselineModel ? await scoreModel(baselineModel, gateData) : null
  const verdict = decideGate(candidate, baseline ?? undefined, {
    ...(options.testTolerance === undefined ? {} : { testTolerance: options.testTolerance }),
  })
  // Recorded before the alias moves: a crash in between leaves a decision to act on, never a silent promotion.
  const decision = await insertGateDecision(db, {
    candidateModelId: (await resolveModelRef(db, ref)).row.id,
    candidateRef: ref,
    baselineRef: baseline?.ref ?? null,
    decision: verdict.decision,
    reason: verdict.reason,
    candidateTestAccuracy: candidate.testAccuracy,
    baselineTestAccuracy: baseline?.testAccuracy ?? null,
    candidateFeedbackAccuracy: candidate.feedbackAccuracy,
    baselineFeedbackAccuracy: baseline?.feedbackAccuracy ?? null,
    testCount: candidate.testCount,
    feedbackCount: candidate.feedbackCount,
    datasetVersion: merged.version,
    feedbackSince: options.since ?? null,
    holdout,
  })
  if (verdict.decision === 'promoted') await promoteAlias(db, ref, 'production')
  say(`${ref} ${verdict.decision}: ${verdict.reason}`)
  return {
    candidateRef: ref,
    datasetVersion: merged.version,
    runId: run.runId,
    exported: feedback.exported.length,
    holdout,
    candidate,
    baseline,
    decision,
  }
}

/** The version to merge onto: the one given, else production's training data, else the newest import. */
async function resolveBaseVersion(
  db: Database,
  modelName: string,
  given: string | undefined,
): Promise<string | undefined> {
  if (given !== undefined) return resolveDatasetVersion(db, given)
  try {
    const production = await resolveModelRef(db, `${modelName}@production`)
    if (production.row.datasetVersion) return production.row.datasetVersion
  } catch (err) {
    if (!(err instanceof AliasNotFoundError)) throw err
  }
  return (await listDatasets(db))[0]?.version
}

import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { insertPipelineRun, updatePipelineRun } from '../db/index.js'
import { StepFailedError } from './errors.js'
import type { ResolvedPipeline } from './resolve-pipeline.js'
import { cleanupStepCacheTmp, stepCacheRoot } from './step-cache.js'
import { executeStep, writeStepRecord, type ExecuteStepOptions, type StepRecord } from './run-step.js'
import type { JsonValue } from './step-type.js'

/** One step as recorded in `pipeline_runs.steps`. */
export interface StepSummary {
  name: string
  type: string
  status: 'succeeded' | 'cached' | 'failed' | 'skipped'
  isCached: boolean
  seconds: number
  key: string | null
  outputs: Record<string, JsonValue>
  error?: string
}

export interface PipelineRunResult {
  runId: string
  runDir: string
  status: 'succeeded' | 'failed'
  steps: StepSummary[]
  /** Every object-valued output of kind `metrics`, merged in step order. */
  metrics: Record<string, JsonValue>
  seconds: number
  error?: StepFailedError
}

export interface RunPipelineOptions extends ExecuteStepOptions {
  /** Where step records go; defaults to `<home>/pipeline-runs/<runId>`. */
  runDir?: string
}

/**
 * Runs every step in dependency order, each from the cache when its key is unchanged, and records the run
 * in `pipeline_runs`. A failing step stops the run; the results of steps before it stay cached.
 */
export async function runPipeline(
  pipeline: ResolvedPipeline,
  options: RunPipelineOptions,
): Promise<PipelineRunResult> {
  const started = performance.now()
  const row = await insertPipelineRun(options.db, { pipeline: pipeline.name, params: pipeline.params })
  const runDir = options.runDir ?? path.join(options.home, 'pipeline-runs', row.id)
  const log = options.log.child({ pipeline: pipeline.name, runId: row.id })
  const records = new Map<string, StepRecord>()
  const steps: StepSummary[] = pipeline.steps.map((s) => ({
    name: s.name,
    type: s.type.name,
    status: 'skipped',
    isCached: false,
    seconds: 0,
    key: null,
    outputs: {},
  }))
  const metrics: Record<string, JsonValue> = {}
  let error: StepFailedError | undefined
  // Housekeeping only: a failure to tidy old temp folders must not stop a run.
  await cleanupStepCacheTmp(stepCacheRoot(options.home)).then(
    (removed) => removed.length > 0 && log.info({ removed }, 'removed temp folders of dead step runs'),
    (err: unknown) => log.warn({ err }, 'could not clean up step cache temp folders'),
  )

  for (const [i, step] of pipeline.steps.entries()) {
    const summary = steps[i]
    if (!summary) continue
    try {
      const record = await executeStep(step, records, { ...options, log })
      records.set(step.name, record)
      await writeStepRecord(runDir, record)
      Object.assign(summary, {
        status: record.isCached ? 'cached' : 'succeeded',
        isCached: record.isCached,
        seconds: record.seconds,
        key: record.key,
        outputs: record.outputs,
      })
      for (const [name, port] of Object.entries(step.type.outputs)) {
        const value = record.outputs[name]
        if (port.kind === 'metrics' && value && typeof value === 'object' && !Array.isArray(value)) {
          Object.assign(metrics, value)
        }
      }
    } catch (err) {
      error = err instanceof StepFailedError ? err : new StepFailedError(step.name, err)
      Object.assign(summary, { status: 'failed', error: error.message })
      // Not logged as an error here: the caller gets it in the result and reports it once.
      log.debug({ err: error, step: step.name }, 'pipeline step failed')
    }
    await updatePipelineRun(options.db, row.id, { steps: steps.map((s) => ({ ...s })) })
    if (error) break
  }

  const status = error ? 'failed' : 'succeeded'
  await updatePipelineRun(options.db, row.id, {
    status,
    metrics,
    error: error?.message ?? null,
    finishedAt: new Date(),
  })
  return {
    runId: row.id,
    runDir,
    status,
    steps,
    metrics,
    seconds: (performance.now() - started) / 1000,
    ...(error ? { error } : {}),
  }
}

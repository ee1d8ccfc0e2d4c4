import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import { StepFailedError, StepInputMissingError, StepOutputInvalidError, UnknownStepError } from './errors.js'
import type { ResolvedPipeline, ResolvedStep } from './resolve-pipeline.js'
import {
  beginStepResult,
  computeStepKey,
  readStepResult,
  removeStepResult,
  stepCacheRoot,
  type CacheEntry,
} from './step-cache.js'
import type { JsonValue, StepServices } from './step-type.js'

const JsonRecordSchema = Type.Record(Type.String(), Type.Unsafe<JsonValue>(Type.Unknown()))

/** What a finished step hands downstream; also written to `<runDir>/steps/<name>.json`. */
export const StepRecordSchema = Type.Object({
  name: Type.String(),
  type: Type.String(),
  key: Type.String(),
  isCached: Type.Boolean(),
  /** Seconds this run spent on the step (near 0 when cached). */
  seconds: Type.Number(),
  /** Seconds the step took when it actually ran. */
  computeSeconds: Type.Number(),
  /** Outputs with path outputs made absolute. */
  outputs: JsonRecordSchema,
  /** Output identities for downstream keys: values as-is, files as `<key>:<output>`. */
  identities: JsonRecordSchema,
})
export type StepRecord = Static<typeof StepRecordSchema>

export type StepEvent =
  | { type: 'step-start'; step: string; key: string }
  | { type: 'step-cached'; step: string; key: string }
  | { type: 'step-progress'; step: string; message: string }
  | { type: 'step-done'; step: string; key: string; seconds: number }
  | { type: 'step-failed'; step: string; error: StepFailedError }

export interface ExecuteStepOptions extends StepServices {
  onEvent?: (event: StepEvent) => void
}

/**
 * Runs one step, or takes its cached result, given the records of the steps it depends on. The key is
 * known before any work, so an unchanged step costs only hashing its fingerprint.
 */
export async function executeStep(
  step: ResolvedStep,
  upstream: ReadonlyMap<string, StepRecord>,
  options: ExecuteStepOptions,
): Promise<StepRecord> {
  const started = performance.now()
  const emit = options.onEvent ?? (() => undefined)
  const { onEvent: _onEvent, ...services } = options
  const inputs: Record<string, JsonValue> = {}
  const inputIdentities: Record<string, JsonValue> = {}
  for (const [name, ref] of Object.entries(step.inputs)) {
    const record = upstream.get(ref.step)
    const value = record?.outputs[ref.output]
    const identity = record?.identities[ref.output]
    if (!record || value === undefined || identity === undefined) {
      throw new StepFailedError(step.name, new Error(`input "${name}" has no value from step "${ref.step}"`))
    }
    inputs[name] = value
    inputIdentities[name] = identity
  }

  let key: string
  try {
    const fingerprint = step.type.fingerprint ? await step.type.fingerprint(step.params) : null
    key = computeStepKey({
      type: step.type.name,
      version: step.type.version,
      params: step.params,
      inputs: inputIdentities,
      fingerprint,
    })
  } catch (err) {
    throw fail(step.name, err, emit)
  }

  const cacheRoot = stepCacheRoot(options.home)
  let entry = await readStepResult(cacheRoot, key)
  if (entry && step.type.isResultValid && !(await step.type.isResultValid(entry, services))) {
    options.log.warn({ step: step.name, key }, 'cached step result no longer valid; running the step again')
    await removeStepResult(cacheRoot, key)
    entry = undefined
  }
  if (entry) {
    emit({ type: 'step-cached', step: step.name, key })
    return toRecord(step, entry, true, (performance.now() - started) / 1000)
  }

  emit({ type: 'step-start', step: step.name, key })
  await mkdir(cacheRoot, { recursive: true })
  const pending = await beginStepResult(cacheRoot, key)
  try {
    const runStarted = performance.now()
    const outputs = await step.type.run({
      ...services,
      stepName: step.name,
      params: step.params,
      inputs,
      outDir: pending.outDir,
      progress: (message) => emit({ type: 'step-progress', step: step.name, message }),
    })
    checkOutputs(step, outputs, pending.outDir)
    const seconds = (performance.now() - runStarted) / 1000
    entry = await pending.commit({
      type: step.type.name,
      outputs,
      seconds,
      createdAt: new Date().toISOString(),
    })
  } catch (err) {
    await pending.discard()
    throw fail(step.name, err, emit)
  }
  const record = toRecord(step, entry, false, (performance.now() - started) / 1000)
  emit({ type: 'step-done', step: step.name, key, seconds: record.seconds })
  return record
}

function fail(stepName: string, err: unknown, emit: (e: StepEvent) => void): StepFailedError {
  const error = err instanceof StepFailedError ? err : new StepFailedError(stepName, err)
  emit({ type: 'step-failed', step: stepName, error })
  return error
}

function checkOutputs(step: ResolvedStep, outputs: Record<string, JsonValue>, outDir: string): void {
  for (const [name, port] of Object.entries(step.type.outputs)) {
    const value = outputs[name]
    if (value === undefined) throw new StepOutputInvalidError(step.name, `output "${name}" is missing`)
    if (port.isPath) {
      const inside = typeof value === 'string' ? path.resolve(outDir, value) : ''
      if (!inside.startsWith(outDir + path.sep) && inside !== outDir) {
        throw new StepOutputInvalidError(step.name, `output "${name}" must be a path inside the step folder`)
      }
    }
  }
}

function toRecord(step: ResolvedStep, entry: CacheEntry, isCached: boolean, seconds: number): StepRecord {
  const outputs: Record<string, JsonValue> = {}
  const identities: Record<string, JsonValue> = {}
  for (const [name, port] of Object.entries(step.type.outputs)) {
    const value = entry.outputs[name] ?? null
    outputs[name] = port.isPath && typeof value === 'string' ? path.join(entry.outDir, value) : value
    identities[name] = port.isPath ? `${entry.key}:${name}` : value
  }
  return {
    name: step.name,
    type: step.type.name,
    key: entry.key,
    isCached,
    seconds,
    computeSeconds: entry.seconds,
    outputs,
    identities,
  }
}

function recordPath(runDir: string, stepName: string): string {
  return path.join(runDir, 'steps', `${stepName}.json`)
}

/** Saves a step's record in the run folder, atomically, for later steps run on their own. */
export async function writeStepRecord(runDir: string, record: StepRecord): Promise<void> {
  const file = recordPath(runDir, record.name)
  await mkdir(path.dirname(file), { recursive: true })
  const tmp = `${file}.tmp-${process.pid}`
  await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`)
  await rename(tmp, file)
}

async function readStepRecord(runDir: string, step: string, needer: string): Promise<StepRecord> {
  try {
    return Value.Parse(StepRecordSchema, JSON.parse(await readFile(recordPath(runDir, step), 'utf8')))
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') throw new StepInputMissingError(needer, step, runDir)
    throw err
  }
}

/**
 * Runs one step of a pipeline on its own (what an Argo task does): upstream results are read from
 * `<runDir>/steps/<name>.json`, written by earlier `runPipelineStep` calls or a full run.
 */
export async function runPipelineStep(
  pipeline: ResolvedPipeline,
  stepName: string,
  options: ExecuteStepOptions & { runDir: string },
): Promise<StepRecord> {
  const step = pipeline.steps.find((s) => s.name === stepName)
  if (!step)
    throw new UnknownStepError(
      stepName,
      pipeline.steps.map((s) => s.name),
    )
  const upstream = new Map<string, StepRecord>()
  for (const name of step.dependsOn) upstream.set(name, await readStepRecord(options.runDir, name, stepName))
  const { runDir, ...rest } = options
  const record = await executeStep(step, upstream, rest)
  await writeStepRecord(runDir, record)
  return record
}

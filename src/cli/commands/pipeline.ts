import path from 'node:path'
import type { Command } from 'commander'
import {
  DEFAULT_PIPELINE_FILE,
  defaultStepTypes,
  listPipelineRuns,
  loadPipeline,
  runPipeline,
  runPipelineStep,
  type PipelineRunResult,
  type StepEvent,
} from '../../pipeline/index.js'
import { resolveCodeVersion } from '../../registry/index.js'
import type { CliContext } from '../context.js'

interface RunOptions {
  data?: string
  set: string[]
  json?: boolean
}

const collect = (value: string, previous: string[]) => [...previous, value]

export function register(program: Command, getContext: () => CliContext): void {
  const pipeline = program
    .command('pipeline')
    .description('Run the training pipeline (YAML) with cached steps.')

  pipeline
    .command('run [file]')
    .description('Run every step of a pipeline; unchanged steps come from the cache.')
    .option('--data <dir>', 'dataset folder, one sub-folder per class (sets the `data` param)')
    .option('--set <key=value>', 'override a param, e.g. --set epochs=3 (repeatable)', collect, [])
    .option('--json', 'print the run summary as JSON (progress goes to stderr)')
    .action(async (file: string | undefined, options: RunOptions) => {
      const ctx = getContext()
      const print = options.json ? (line: string) => console.error(line) : (line: string) => console.log(line)
      const resolved = await loadPipeline(file ?? DEFAULT_PIPELINE_FILE, {
        stepTypes: defaultStepTypes(),
        overrides: withData(options),
      })
      const services = await servicesFor(ctx)
      print(`pipeline ${resolved.name}: ${resolved.steps.map((s) => s.name).join(' -> ')}`)
      const result = await withAbortOnSigint((signal) =>
        runPipeline(resolved, { ...services, signal, onEvent: printEvent(print) }),
      )
      if (options.json) console.log(JSON.stringify(toJson(result), null, 2))
      else printSummary(result, print)
      if (result.error) throw result.error
    })

  pipeline
    .command('step <name> [file]')
    .description('Run one step alone (e.g. an Argo task), reading upstream results from --run-dir.')
    .requiredOption('--run-dir <dir>', 'folder holding steps/<name>.json records of earlier steps')
    .option('--data <dir>', 'dataset folder (sets the `data` param)')
    .option('--set <key=value>', 'override a param (repeatable)', collect, [])
    .action(async (name: string, file: string | undefined, options: RunOptions & { runDir: string }) => {
      const ctx = getContext()
      const resolved = await loadPipeline(file ?? DEFAULT_PIPELINE_FILE, {
        stepTypes: defaultStepTypes(),
        overrides: withData(options),
      })
      const services = await servicesFor(ctx)
      const print = (line: string) => console.log(line)
      const record = await withAbortOnSigint((signal) =>
        runPipelineStep(resolved, name, {
          ...services,
          signal,
          runDir: path.resolve(options.runDir),
          onEvent: printEvent(print),
        }),
      )
      console.log(JSON.stringify(record.outputs, null, 2))
    })

  registerRunsCommand(pipeline, getContext)
}

function registerRunsCommand(pipeline: Command, getContext: () => CliContext): void {
  pipeline
    .command('runs')
    .description('List recent pipeline runs: status, steps (cached or ran), metrics.')
    .option('--limit <n>', 'how many runs', (v) => Number.parseInt(v, 10), 10)
    .option('--json', 'print the runs as JSON')
    .action(async (options: { limit: number; json?: boolean }) => {
      const ctx = getContext()
      const runs = await listPipelineRuns((await ctx.db()).db, options.limit)
      if (options.json) {
        console.log(JSON.stringify(runs, null, 2))
        return
      }
      if (runs.length === 0) console.log('no pipeline runs yet')
      for (const run of runs) {
        const steps = run.steps
          .map((s) => `${String(s.name)}:${s.isCached === true ? 'cached' : String(s.status)}`)
          .join(' ')
        const accuracy = run.metrics?.accuracy
        const score = typeof accuracy === 'number' ? ` acc ${(accuracy * 100).toFixed(1)}%` : ''
        console.log(
          `${run.id}  ${run.startedAt.toISOString().slice(0, 19).replace('T', ' ')}  ${run.pipeline}  ${run.status}${score}  ${steps}`,
        )
        if (run.error) console.log(`  ${run.error}`)
      }
    })
}

function withData(options: RunOptions): string[] {
  return options.data === undefined ? options.set : [`data=${options.data}`, ...options.set]
}

async function servicesFor(ctx: CliContext) {
  const [handle, codeVersion] = await Promise.all([
    ctx.db(),
    resolveCodeVersion({ configured: ctx.config.codeVersion }),
  ])
  return { home: ctx.config.home, db: handle.db, log: ctx.log, codeVersion }
}

/** Ctrl-C aborts the running step cleanly (its partial output is discarded, the run recorded as failed). */
async function withAbortOnSigint<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  const onSigint = () => controller.abort(new Error('interrupted'))
  process.once('SIGINT', onSigint)
  try {
    return await run(controller.signal)
  } finally {
    process.off('SIGINT', onSigint)
  }
}

function printEvent(print: (line: string) => void) {
  return (event: StepEvent) => {
    switch (event.type) {
      case 'step-start':
        print(`${event.step}: running (key ${event.key.slice(0, 12)})`)
        break
      case 'step-cached':
        print(`${event.step}: cached (key ${event.key.slice(0, 12)})`)
        break
      case 'step-progress':
        print(`${event.step}: ${event.message}`)
        break
      case 'step-done':
        print(`${event.step}: done in ${event.seconds.toFixed(1)} s`)
        break
      case 'step-failed':
        print(`${event.step}: failed`)
        break
    }
  }
}

function printSummary(result: PipelineRunResult, print: (line: string) => void): void {
  const cached = result.steps.filter((s) => s.isCached).length
  const ran = result.steps.filter((s) => s.status === 'succeeded').length
  const parts = [`${ran} ran`, `${cached} cached`]
  if (cached === result.steps.length) parts.push('nothing to do')
  const ref = result.steps.find((s) => s.type === 'register')?.outputs.ref
  const { accuracy, macroF1 } = result.metrics
  const scores =
    typeof accuracy === 'number'
      ? `, test accuracy ${(accuracy * 100).toFixed(1)}%${typeof macroF1 === 'number' ? `, macro-F1 ${macroF1.toFixed(3)}` : ''}`
      : ''
  print(
    `pipeline ${result.status} in ${result.seconds.toFixed(1)} s (${parts.join(', ')})${typeof ref === 'string' ? `: ${ref}` : ''}${scores}; run ${result.runId}`,
  )
}

function toJson(result: PipelineRunResult) {
  return {
    runId: result.runId,
    status: result.status,
    seconds: result.seconds,
    steps: result.steps,
    metrics: result.metrics,
    error: result.error?.message ?? null,
  }
}

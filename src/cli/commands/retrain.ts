import { InvalidArgumentError, type Command } from 'commander'
import { retrainWithGate, type RetrainResult } from '../../pipeline/index.js'
import { resolveCodeVersion } from '../../registry/index.js'
import type { CliContext } from '../context.js'
import { parseDate } from '../parse-date.js'

interface RetrainCliOptions {
  since?: Date
  base?: string
  splitFile?: string
  set: string[]
  modelName?: string
  tolerance?: number
  json?: boolean
}

const collect = (value: string, previous: string[]) => [...previous, value]

/** `sportscan retrain`: feedback -> merged dataset -> candidate (staging) -> gate -> production or not. */
export function register(program: Command, getContext: () => CliContext): void {
  program
    .command('retrain')
    .description(
      'Train a candidate on the corrected scans merged into the base dataset, register it as staging, and ' +
        'promote it to production only if it is not worse on the fixed test split and better on the corrected scans.',
    )
    .option('--since <date>', 'only scans corrected at or after this date (UTC)', parseDate)
    .option('--base <version>', "dataset version to merge onto (default: production's, else the newest)")
    .option('--split-file <file>', 'fixed split file (default: SPORTSCAN_RETRAIN_SPLIT)')
    .option('--set <key=value>', 'pipeline param override, e.g. --set epochs=5 (repeatable)', collect, [])
    .option('--model-name <name>', 'registry name of the model', 'sports-ball-cnn')
    .option('--tolerance <fraction>', 'largest test accuracy drop counted as not worse (0..1)', parseFraction)
    .option('--json', 'print the decision as JSON (progress goes to stderr)')
    .action(async (options: RetrainCliOptions) => {
      const ctx = getContext()
      const splitFile = options.splitFile ?? ctx.config.retrain.splitFile
      if (!splitFile) throw new Error('no fixed split: pass --split-file or set SPORTSCAN_RETRAIN_SPLIT')
      const print = options.json ? (line: string) => console.error(line) : (line: string) => console.log(line)
      const [handle, codeVersion] = await Promise.all([
        ctx.db(),
        resolveCodeVersion({ configured: ctx.config.codeVersion }),
      ])
      const controller = new AbortController()
      const onSigint = () => controller.abort(new Error('interrupted'))
      process.once('SIGINT', onSigint)
      try {
        const result = await retrainWithGate({
          home: ctx.config.home,
          db: handle.db,
          log: ctx.log,
          codeVersion,
          signal: controller.signal,
          splitFile,
          overrides: [...ctx.config.retrain.overrides, ...options.set],
          bundledModelDir: ctx.config.serving.bundledModelDir,
          testTolerance: options.tolerance ?? ctx.config.retrain.testTolerance,
          onProgress: print,
          ...(options.since ? { since: options.since } : {}),
          ...(options.base ? { baseVersion: options.base } : {}),
          ...(options.modelName ? { modelName: options.modelName } : {}),
        })
        if (options.json) console.log(JSON.stringify(toJson(result), null, 2))
        else printDecision(result)
      } finally {
        process.off('SIGINT', onSigint)
      }
    })
}

function parseFraction(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !(n >= 0 && n <= 1))
    throw new InvalidArgumentError('expected a number from 0 to 1')
  return n
}

function printDecision(result: RetrainResult): void {
  const pct = (v: number | null | undefined) => (v == null ? '-' : `${(v * 100).toFixed(1)}%`)
  const { candidate, baseline, decision } = result
  console.log(`candidate ${result.candidateRef} on dataset ${result.datasetVersion.slice(0, 12)}`)
  console.log(`                 candidate  ${baseline?.ref ?? '(no baseline)'}`)
  console.log(
    `test split       ${pct(candidate.testAccuracy).padStart(9)}  ${pct(baseline?.testAccuracy)}  (n=${candidate.testCount})`,
  )
  console.log(
    `corrected scans  ${pct(candidate.feedbackAccuracy).padStart(9)}  ${pct(baseline?.feedbackAccuracy)}  (n=${candidate.feedbackCount})`,
  )
  console.log(`decision: ${decision.decision} (${decision.reason})`)
}

function toJson(result: RetrainResult) {
  return {
    candidate: result.candidate,
    baseline: result.baseline,
    datasetVersion: result.datasetVersion,
    runId: result.runId,
    exported: result.exported,
    decision: result.decision.decision,
    reason: result.decision.reason,
    decisionId: result.decision.id,
  }
}

import { CommanderError, InvalidArgumentError, type Command } from 'commander'
import { retrainWithGate, type RetrainResult } from '../../pipeline/index.js'
import { resolveCodeVersion } from '../../registry/index.js'
import type { CliContext } from '../context.js'
import { parseDate } from '../parse-date.js'

interface RetrainCliOptions {
  since?: Date
  base?: string
  data?: string
  allowNoFeedback?: boolean
  splitFile?: string
  pipeline?: string
  set: string[]
  modelName?: string
  tolerance?: number
  json?: boolean
}

const collect = (value: string, previous: string[]) => [...previous, value]

/** Exit status when the gate refuses the candidate: a verdict, not a crash (the CronJob does not retry it). */
export const GATE_REFUSED_EXIT_CODE = 3

/** `sportscan retrain`: feedback -> merged dataset -> candidate (staging) -> gate -> production or not. */
export function register(program: Command, getContext: () => CliContext): void {
  program
    .command('retrain')
    .description(
      'Train a candidate on the corrected scans merged into the base dataset (part of them held out), register ' +
        'it as staging, and promote it to production only if it is not worse on the fixed test split and better ' +
        `on the held-out corrected scans. Exit status ${GATE_REFUSED_EXIT_CODE} when the gate refuses it.`,
    )
    .option('--since <date>', 'only scans corrected at or after this date (UTC)', parseDate)
    .option('--base <version>', "dataset version to merge onto (default: production's, else the newest)")
    .option('--data <dir>', 'import this class-per-folder dataset and merge onto it instead of --base')
    .option(
      '--allow-no-feedback',
      'with no corrected scan, retrain on the base dataset alone (test split decides)',
    )
    .option('--split-file <file>', 'fixed split file (default: SPORTSCAN_RETRAIN_SPLIT)')
    .option('--pipeline <file>', 'pipeline YAML that trains the candidate (default: the bundled one)')
    .option('--set <key=value>', 'pipeline param override, e.g. --set epochs=5 (repeatable)', collect, [])
    .option('--model-name <name>', 'registry name of the model (default: SPORTSCAN_MODEL_NAME)')
    .option('--tolerance <fraction>', 'largest test accuracy drop counted as not worse (0..1)', parseFraction)
    .option('--json', 'print the decision as one line of JSON (progress goes to stderr)')
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
          serving: { ...ctx.config.serving, modelName: options.modelName ?? ctx.config.serving.modelName },
          overrides: [...ctx.config.retrain.overrides, ...options.set],
          testTolerance: options.tolerance ?? ctx.config.retrain.testTolerance,
          holdoutFraction: ctx.config.retrain.holdoutFraction,
          holdoutSeed: ctx.config.retrain.holdoutSeed,
          allowNoFeedback: options.allowNoFeedback === true,
          onProgress: print,
          ...(options.pipeline ? { pipelineFile: options.pipeline } : {}),
          ...(options.since ? { since: options.since } : {}),
          ...(options.base ? { baseVersion: options.base } : {}),
          ...(options.data ? { baseDir: options.data } : {}),
        })
        if (options.json) console.log(JSON.stringify(toJson(result)))
        else printDecision(result)
        if (result.decision.decision === 'rejected') {
          throw new CommanderError(GATE_REFUSED_EXIT_CODE, 'sportscan.gateRefused', result.decision.reason)
        }
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
    `held-out scans   ${pct(candidate.feedbackAccuracy).padStart(9)}  ${pct(baseline?.feedbackAccuracy)}  (n=${candidate.feedbackCount}, seed ${result.holdout.seed})`,
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
    holdout: result.holdout,
    decision: result.decision.decision,
    reason: result.decision.reason,
    decisionId: result.decision.id,
  }
}

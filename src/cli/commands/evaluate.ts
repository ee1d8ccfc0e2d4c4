import path from 'node:path'
import { Presets, SingleBar } from 'cli-progress'
import { Option, type Command } from 'commander'
import {
  evaluateDirectory,
  initBackend,
  listClassFolderImages,
  listSplitSubsetImages,
  loadServedModel,
  TEST_VIEW_PRESETS,
  type DirectoryEvaluation,
  type TestViewPreset,
} from '../../model/index.js'
import { findTrainingOverlap, type TrainingOverlap } from '../../data/index.js'
import { getModel, resolveServedModel, servedModelInFolder, type ServedModel } from '../../registry/index.js'
import type { CliContext } from '../context.js'

interface EvaluateOptions {
  data: string
  model?: string
  splitFile?: string
  subset: string
  json?: boolean
  out?: string
  testViews?: string
  precision?: 'auto' | 'int8' | 'fp32'
}

export function register(program: Command, getContext: () => CliContext): void {
  program
    .command('evaluate')
    .description('Score a model on a class-per-folder directory (or a split file subset of it).')
    .requiredOption('--data <dir>', 'folder with one sub-folder per class')
    .option(
      '--model <dir-or-ref>',
      'artifact folder, or a registered name@version / name@production (default: the served model)',
    )
    .option(
      '--split-file <file>',
      'evaluate only one list of this split file ({"train": [...], "test": [...]})',
    )
    .option('--subset <name>', 'which list of the split file: test, train or val', 'test')
    .addOption(
      new Option(
        '--test-views <preset>',
        'answer through these views instead of SPORTSCAN_TEST_VIEWS',
      ).choices(Object.keys(TEST_VIEW_PRESETS)),
    )
    .addOption(
      new Option('--precision <p>', 'int8, fp32 or auto instead of SPORTSCAN_PRECISION').choices([
        'auto',
        'int8',
        'fp32',
      ]),
    )
    .option('--json', 'print one JSON object')
    .option(
      '--out <dir>',
      'where metrics.json and confusion-matrix.png go (default: under SPORTSCAN_HOME/evaluations)',
    )
    .action(async (options: EvaluateOptions) => {
      const ctx = getContext()
      // The same resolver as `serve` and the retraining gate: the model and the views it answers through. A
      // folder needs no database, so it can be scored beside a server holding the embedded one.
      const policy = {
        ...ctx.config.serving,
        testViews: (options.testViews as TestViewPreset | undefined) ?? ctx.config.serving.testViews,
        precision: options.precision ?? ctx.config.serving.precision,
      }
      const served =
        (options.model === undefined ? undefined : await servedModelInFolder(options.model, policy)) ??
        (await resolveServedModel(
          (await ctx.db()).db,
          policy,
          options.model === undefined ? {} : { model: options.model },
        ))
      const overlap = await checkTrainingOverlap(ctx, served, options)
      const backend = await initBackend({ log: ctx.log })
      // The runtime and precision the server would use (model's chooseRuntime), so the figures are the served ones.
      const { classifier, choice } = await loadServedModel(served, { home: ctx.config.home, log: ctx.log })
      const how =
        choice.runtime === 'onnx' ? { runtime: 'onnx', precision: choice.precision } : { runtime: 'tfjs' }
      const outDir =
        options.out ??
        path.join(
          ctx.config.home,
          'evaluations',
          `${new Date().toISOString().replace(/[:.]/g, '-')}-${classifier.ref.replace(/[^\w.-]+/g, '_')}`,
        )
      ctx.log.info(
        { model: classifier.ref, artifact: served.dir, origin: served.origin, backend, ...how },
        'model loaded',
      )
      const bar = new SingleBar(
        {
          format: 'evaluating [{bar}] {value}/{total} {percentage}% eta {eta}s',
          stream: process.stderr,
          hideCursor: true,
        },
        Presets.shades_classic,
      )
      let result: DirectoryEvaluation
      try {
        result = await evaluateDirectory(classifier, {
          dataDir: options.data,
          ...(options.splitFile ? { splitFile: options.splitFile, subset: options.subset } : {}),
          outDir,
          thresholds: [ctx.config.serving.threshold],
          log: ctx.log,
          onProgress: ({ done, total }) => {
            if (!bar.isActive) bar.start(total, done)
            else bar.update(done)
          },
        })
      } finally {
        bar.stop()
        await classifier.dispose()
      }
      if (options.json) {
        console.log(JSON.stringify({ ...result, ...how, trainingOverlap: overlap }))
        return
      }
      console.log(`runtime   ${how.runtime}${how.precision ? ` (${how.precision})` : ''}`)
      printReport(result, outDir, ctx.config.serving.threshold)
      // Last, after the figures, so it is what the reader sees (stderr: stdout stays the report).
      warnAboutOverlap(overlap)
    })
}

function printReport(result: DirectoryEvaluation, outDir: string, servingThreshold: number): void {
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`
  console.log(`model     ${result.model}`)
  console.log(`images    ${result.n}`)
  console.log(`accuracy  ${pct(result.accuracy)}`)
  console.log(`macro F1  ${result.macroF1.toFixed(3)}`)
  console.log(`ECE       ${result.ece.toFixed(3)}`)
  console.log('')
  const width = Math.max(5, ...result.labels.map((l) => l.length))
  console.log(`${'class'.padEnd(width)}  precision  recall     f1  support`)
  for (const label of result.labels) {
    const c = result.perClass[label]
    if (!c || c.support === 0) continue
    console.log(
      `${label.padEnd(width)}  ${pct(c.precision).padStart(9)}  ${pct(c.recall).padStart(6)}  ${c.f1.toFixed(3).padStart(5)}  ${String(c.support).padStart(7)}`,
    )
  }
  console.log('')
  // The trade-off behind SPORTSCAN_THRESHOLD: scans below it wait for review instead of counting as stock.
  console.log('confidence >=  counted  right among counted')
  for (const point of result.byThreshold) {
    const mark = Math.abs(point.threshold - servingThreshold) < 1e-9 ? '  <- SPORTSCAN_THRESHOLD' : ''
    const right = point.accuracy === null ? '-' : pct(point.accuracy)
    console.log(
      `${point.threshold.toFixed(2).padStart(13)}  ${pct(point.coverage).padStart(7)}  ${right.padStart(17)}${mark}`,
    )
  }
  console.log('')
  console.log(`written to ${outDir} (metrics.json, confusion-matrix.png)`)
}

/** Whether the photos to score were in the model's training or validation split (registry models only). */
async function checkTrainingOverlap(
  ctx: CliContext,
  served: ServedModel,
  options: EvaluateOptions,
): Promise<TrainingOverlap> {
  if (served.origin !== 'registry' || served.ref === undefined) {
    return { isChecked: false, reason: `a ${served.origin} model records no training split` }
  }
  const model = await getModel((await ctx.db()).db, served.ref)
  const files = options.splitFile
    ? await listSplitSubsetImages(options.data, options.splitFile, options.subset)
    : await listClassFolderImages(options.data)
  return findTrainingOverlap(
    ctx.config.home,
    { datasetVersion: model.row.datasetVersion, split: model.row.split ?? null },
    files.map((f) => f.absolutePath),
    options.splitFile ? { splitFile: options.splitFile } : {},
  )
}

function warnAboutOverlap(overlap: TrainingOverlap): void {
  if (!overlap.isChecked) {
    console.error(`note: photos were not checked against the training split (${overlap.reason})`)
    return
  }
  if (overlap.inTrain + overlap.inVal === 0) return
  console.error(
    `warning: ${overlap.inTrain} of the ${overlap.scored} photos scored were in the model's training split and ` +
      `${overlap.inVal} in its validation split (same content): the figures above overstate how it does on new photos`,
  )
}

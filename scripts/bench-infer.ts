/**
 * Raw inference rates of the serving model, without HTTP or database (issue 7's denominator):
 * TF.js wasm at batch 1 and 8; ONNX Runtime (CPU) with 1 and 2 intra-op threads at batch 1, 8 and 32;
 * sharp decode + preprocess of a ~35 KB JPEG; and decode + ORT inference in sequence.
 * Uses the bundled model (SPORTSCAN_BUNDLED_MODEL, default models/sports-ball-cnn) when present, else a
 * seed-cnn with random weights at 64x64. Reads a JPEG from SPORTSCAN_DATASET or generates one.
 * Reports wall time (what a caller waits) and process CPU time (less sensitive to other jobs on the cores).
 *
 * Last, the served model as the server runs it (SPORTSCAN_PRECISION: the int8 twin when it ships one) beside the
 * bundled model it replaced (from git history, or --baseline <rev>), decode included: photos/s of both.
 *
 *   npm run bench:infer [-- --seconds 3] [--baseline <git rev>]
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { loadConfig } from '../src/config/index.js'
import { preprocessImage } from '../src/data/index.js'
import { initBackend } from '../src/model/backend/index.js'
import {
  loadClassifier,
  loadServedModel,
  ONNX_INT8_MODEL_FILE,
  type Classifier,
  type PrecisionChoice,
} from '../src/model/index.js'
import { loadOnnxClassifier } from '../src/model/onnx/index.js'
import { extractPreviousBundled } from './bench-baseline.js'
import { findJpeg, prepareModel } from './bench-inputs.js'

const secondsArg = process.argv.indexOf('--seconds')
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 3
const baselineArg = process.argv.indexOf('--baseline')
const BASELINE = baselineArg > 0 ? process.argv[baselineArg + 1] : undefined

interface Row {
  what: string
  batch: number
  imagesPerSecond: number
  msPerImage: number
  cpuMsPerImage: number
}

const rows: Row[] = []

/** Runs `step` (which handles `batch` images) repeatedly for about SECONDS after a warm-up. */
async function measure(what: string, batch: number, step: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 3; i++) await step()
  let images = 0
  const cpuStart = process.cpuUsage()
  const start = performance.now()
  while (performance.now() - start < SECONDS * 1000) {
    await step()
    images += batch
  }
  const wallMs = performance.now() - start
  const cpu = process.cpuUsage(cpuStart)
  const row = {
    what,
    batch,
    imagesPerSecond: (images * 1000) / wallMs,
    msPerImage: wallMs / images,
    cpuMsPerImage: (cpu.user + cpu.system) / 1000 / images,
  }
  rows.push(row)
  console.log(
    `  ${what}, batch ${batch}: ${row.imagesPerSecond.toFixed(1)} images/s, ${row.msPerImage.toFixed(2)} ms/image`,
  )
}

function imagesFor(classifier: Classifier, count: number): Float32Array[] {
  const pixels = classifier.preprocess.size * classifier.preprocess.size * 3
  return Array.from({ length: count }, (_, i) =>
    Float32Array.from({ length: pixels }, (_, j) => ((i * 7919 + j) % 255) / 255),
  )
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'sportscan-bench-infer-'))
  try {
    // The backend first: building the fallback model already needs one.
    const backend = await initBackend({ preferred: 'wasm', threads: 1 })
    const { dir, onnxFile, label } = await prepareModel(tmp)
    const jpeg = await findJpeg()
    console.log(
      `model: ${label}\nONNX: ${onnxFile}\nJPEG: ${jpeg.label}\n${os.cpus().length} cores, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}, ${SECONDS} s per row\n`,
    )

    console.log(`TF.js (${backend} backend, 1 thread):`)
    const tfjs = await loadClassifier(dir)
    for (const batch of [1, 8]) {
      const images = imagesFor(tfjs, batch)
      await measure(`TF.js ${backend}`, batch, () => tfjs.predict(images))
    }
    const spec = tfjs.preprocess
    // Parity on this model and backend, so a figure below never comes from a runtime that answers differently.
    const probe = await loadOnnxClassifier(dir, { file: onnxFile })
    const parityImages = imagesFor(tfjs, 8)
    const [fromTfjs, fromOrt] = await Promise.all([tfjs.predict(parityImages), probe.predict(parityImages)])
    const parity = Math.max(
      ...fromTfjs.flatMap((row, i) => Array.from(row, (p, k) => Math.abs(p - (fromOrt[i]?.[k] ?? 0)))),
    )
    console.log(`  parity TF.js ${backend} vs ORT, 8 images: max abs difference ${parity.toExponential(2)}`)
    await probe.dispose()
    await tfjs.dispose()
    tf.disposeVariables()

    console.log('ONNX Runtime (CPU):')
    for (const threads of [1, 2]) {
      const ort = await loadOnnxClassifier(dir, { file: onnxFile, intraOpThreads: threads })
      for (const batch of [1, 8, 32]) {
        const images = imagesFor(ort, batch)
        await measure(`ORT ${threads} thread${threads > 1 ? 's' : ''}`, batch, () => ort.predict(images))
      }
      await ort.dispose()
    }
    // Spinning threads burn CPU while waiting; on shared cores that CPU may be worth more than the latency.
    const calm = await loadOnnxClassifier(dir, { file: onnxFile, intraOpThreads: 2, isSpinning: false })
    for (const batch of [1, 8]) {
      const images = imagesFor(calm, batch)
      await measure('ORT 2 threads, no spin', batch, () => calm.predict(images))
    }
    await calm.dispose()

    console.log('Decode + preprocess (sharp):')
    await measure(`sharp decode+resize to ${spec.size}px`, 1, () => preprocessImage(jpeg.bytes, spec))
    const ort = await loadOnnxClassifier(dir, { file: onnxFile, intraOpThreads: 1 })
    await measure('decode + ORT 1 thread', 1, async () =>
      ort.predict([await preprocessImage(jpeg.bytes, spec)]),
    )
    await ort.dispose()

    await compareServed(dir, tmp, jpeg.bytes)

    const header = ['what', 'batch', 'images/s', 'ms/image', 'CPU ms/image']
    const table = [
      header,
      ...rows.map((r) => [
        r.what,
        String(r.batch),
        r.imagesPerSecond.toFixed(1),
        r.msPerImage.toFixed(2),
        r.cpuMsPerImage.toFixed(2),
      ]),
    ]
    const widths = header.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)))
    console.log(
      `\nload average after: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    )
    for (const row of table)
      console.log(
        row.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '),
      )
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
}

/** Photos/s of decode + predict, as served (1 ORT thread, default precision), now and before the last change. */
async function compareServed(dir: string, tmp: string, jpeg: Buffer): Promise<void> {
  const previous = await extractPreviousBundled(path.join(tmp, 'previous'), BASELINE)
  const models: Array<[string, string]> = [['served model', dir]]
  if ('dir' in previous) models.push([`bundled model at ${previous.rev}`, previous.dir])
  else console.log(`(no earlier bundled model to compare: ${previous.skipped})`)
  console.log(
    `As served (decode + predict, 1 ORT thread, SPORTSCAN_PRECISION=${loadConfig().serving.precision}):`,
  )
  const { precision } = loadConfig().serving
  // The served model also in int8 when its twin ships, so the card can show what int8 buys.
  const runs: Array<[string, string, PrecisionChoice]> = [
    ...models.map(([name, modelDir]): [string, string, PrecisionChoice] => [name, modelDir, precision]),
    ...(precision !== 'int8' && existsSync(path.join(dir, ONNX_INT8_MODEL_FILE))
      ? [['served model', dir, 'int8'] as [string, string, PrecisionChoice]]
      : []),
  ]
  for (const [name, modelDir, runPrecision] of runs) {
    const spec = {
      dir: modelDir,
      runtime: 'auto' as const,
      precision: runPrecision,
      testViews: 'model' as const,
    }
    const { classifier, choice } = await loadServedModel(spec, { home: tmp, intraOpThreads: 1 })
    const how = choice.runtime === 'onnx' ? `onnx ${choice.precision}` : 'tfjs'
    await measure(`${name} (${classifier.ref}, ${how}) photos`, 1, async () =>
      classifier.predict([await preprocessImage(jpeg, classifier.preprocess)]),
    )
    await classifier.dispose()
  }
}

await main()

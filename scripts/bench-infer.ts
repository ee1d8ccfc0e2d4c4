/**
 * Raw inference rates of the serving model, without HTTP or database (issue 7's denominator):
 * TF.js wasm at batch 1 and 8; ONNX Runtime (CPU) with 1 and 2 intra-op threads at batch 1, 8 and 32;
 * sharp decode + preprocess of a ~35 KB JPEG; and decode + ORT inference in sequence.
 * Uses the bundled model (SPORTSCAN_BUNDLED_MODEL, default models/sports-ball-cnn) when present, else a
 * seed-cnn with random weights at 64x64. Reads a JPEG from SPORTSCAN_DATASET or generates one.
 * Reports wall time (what a caller waits) and process CPU time (less sensitive to other jobs on the cores).
 *
 *   npm run bench:infer [-- --seconds 3]
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import sharp from 'sharp'
import { loadConfig } from '../src/config/index.js'
import { preprocessImage } from '../src/data/index.js'
import { initBackend } from '../src/model/backend/index.js'
import { getArchitecture, loadClassifier, saveModelArtifact, type Classifier } from '../src/model/index.js'
import { ensureOnnx, loadOnnxClassifier, ONNX_MODEL_FILE } from '../src/model/onnx/index.js'

const TARGET_JPEG_BYTES = 35 * 1024
const secondsArg = process.argv.indexOf('--seconds')
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 3

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

async function prepareModel(tmp: string): Promise<{ dir: string; onnxFile: string; label: string }> {
  const bundled = loadConfig().serving.bundledModelDir
  const hasBundled = await stat(path.join(bundled, 'model.json')).then(
    (s) => s.isFile(),
    () => false,
  )
  let dir = bundled
  let label = `bundled model ${bundled}`
  if (!hasBundled) {
    dir = path.join(tmp, 'seed-cnn')
    label = 'seed-cnn, random weights, 64x64 (no bundled model found)'
    const model = getArchitecture('seed-cnn').build({ inputSize: 64, numClasses: 15, seed: 1 })
    await saveModelArtifact(dir, {
      model,
      labels: Array.from({ length: 15 }, (_, i) => `class${i}`),
      preprocess: { size: 64, fit: 'stretch' },
    })
    model.dispose()
  }
  // An existing model.onnx is used as shipped; otherwise export to the temp folder, never into the repo.
  const shipped = path.join(dir, ONNX_MODEL_FILE)
  const hasShipped = await stat(shipped).then(
    () => true,
    () => false,
  )
  const { file } = await ensureOnnx(dir, { file: hasShipped ? shipped : path.join(tmp, ONNX_MODEL_FILE) })
  return { dir, onnxFile: file, label }
}

async function findJpeg(): Promise<{ bytes: Buffer; label: string }> {
  const dataset = process.env.SPORTSCAN_DATASET
  if (dataset) {
    let best: { file: string; size: number } | undefined
    for (const cls of await readdir(dataset)) {
      const folder = path.join(dataset, cls)
      if (!(await stat(folder)).isDirectory()) continue
      for (const name of await readdir(folder)) {
        if (!/\.jpe?g$/i.test(name)) continue
        const file = path.join(folder, name)
        const { size } = await stat(file)
        if (!best || Math.abs(size - TARGET_JPEG_BYTES) < Math.abs(best.size - TARGET_JPEG_BYTES))
          best = { file, size }
      }
    }
    if (!best) throw new Error(`no JPEG under SPORTSCAN_DATASET=${dataset}`)
    return {
      bytes: await readFile(best.file),
      label: `${path.relative(dataset, best.file)} (${(best.size / 1024).toFixed(1)} KB)`,
    }
  }
  // A noisy gradient photo stand-in; lower the quality until it is about 35 KB like the dataset's photos.
  const base = sharp({
    create: {
      width: 400,
      height: 300,
      channels: 3,
      background: '#6a8cb0',
      noise: { type: 'gaussian', mean: 120, sigma: 25 },
    },
  })
  const raw = await base.png().toBuffer()
  let bytes = await sharp(raw).blur(1.2).jpeg({ quality: 90 }).toBuffer()
  for (let quality = 85; bytes.length > TARGET_JPEG_BYTES && quality > 20; quality -= 5) {
    bytes = await sharp(raw).blur(1.2).jpeg({ quality }).toBuffer()
  }
  return { bytes, label: `generated 400x300 JPEG (${(bytes.length / 1024).toFixed(1)} KB)` }
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

await main()

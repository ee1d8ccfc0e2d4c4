/**
 * Training speed on the real training images: one epoch of `seed-cnn` (end to end on TF.js wasm with our
 * gradient kernels) and the production transfer run (frozen-backbone features on onnxruntime, then head epochs).
 * Usage: npm run bench:train -- [--data ../shared/datasets/sports-balls] [--split ../shared/datasets/sports-balls-split.json]
 *        [--images 1465] [--views 8] [--head-epochs 60] [--skip seed-cnn|transfer]
 * Prints seconds per epoch and ms per training image, and the ratio to PyTorch: measured on this machine at the
 * same time when a Python with torch is found (scripts/pytorch/seed_cnn_epoch.py; SPORTSCAN_PYTHON names the
 * interpreter, e.g. Debian's `apt-get install python3-torch` gives /usr/bin/python3), and always to the
 * issue's 23 s per epoch measured on this kind of machine.
 */
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs, promisify } from 'node:util'
import pino from 'pino'
import { BALL_LABELS, createAugmenter, mapConcurrent, preprocessImage } from '../src/data/index.js'
import { getArchitecture, initBackend, trainModel, trainTransfer } from '../src/model/index.js'

const PYTORCH_S_PER_EPOCH = 23
const PYTORCH_TRAIN_IMAGES = 1465

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: process.env.SPORTSCAN_DATASET ?? '../shared/datasets/sports-balls' },
    split: {
      type: 'string',
      default: process.env.SPORTSCAN_SPLIT_FILE ?? '../shared/datasets/sports-balls-split.json',
    },
    images: { type: 'string', default: '1465' },
    views: { type: 'string', default: '8' },
    'head-epochs': { type: 'string', default: '60' },
    skip: { type: 'string', default: '' },
  },
})
const log = pino({ level: 'warn' })
const split = JSON.parse(await readFile(values.split, 'utf8')) as { train: string[] }
const files = split.train.slice(0, Number(values.images))
const labels = files.map((f) => BALL_LABELS.indexOf(f.split('/')[0] as (typeof BALL_LABELS)[number]))
const threads = os.availableParallelism()
await initBackend({ preferred: 'wasm', threads, log })
const load = (size: number) =>
  mapConcurrent(files, 4, (f) => preprocessImage(path.join(values.data, f), { size, fit: 'stretch' }))
const rows: string[][] = [['run', 'images', 'what', 's', 'ms/image', 'x PyTorch (23 s)', 'x PyTorch here']]
const fmt = (v: number, d = 1) => v.toFixed(d)

interface PytorchEpoch {
  torch: string
  threads: number
  seconds: number
}

/** The second epoch of scripts/pytorch/seed_cnn_epoch.py, or undefined when no Python here has torch. */
async function measurePytorch(images: number): Promise<PytorchEpoch | undefined> {
  const script = path.join(import.meta.dirname, 'pytorch', 'seed_cnn_epoch.py')
  const candidates = process.env.SPORTSCAN_PYTHON
    ? [process.env.SPORTSCAN_PYTHON]
    : ['/usr/bin/python3', 'python3']
  for (const python of candidates) {
    try {
      const args = [script, '--images', String(images), '--epochs', '2', '--threads', String(threads)]
      const { stdout } = await promisify(execFile)(python, args, { timeout: 600_000 })
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
        torch: string
        threads: number
        epochs: number[]
      }
      return { torch: result.torch, threads: result.threads, seconds: result.epochs.at(-1)! }
    } catch (err) {
      if (process.env.SPORTSCAN_PYTHON) throw err
    }
  }
  return undefined
}

if (values.skip !== 'seed-cnn') {
  // Measured first, so the two runs never share the cores.
  const pytorch = await measurePytorch(files.length)
  if (pytorch)
    rows.push([
      `seed-cnn 64px, PyTorch ${pytorch.torch}`,
      String(files.length),
      'epoch (2nd)',
      fmt(pytorch.seconds),
      fmt((pytorch.seconds * 1000) / files.length),
      fmt(pytorch.seconds / ((PYTORCH_S_PER_EPOCH * files.length) / PYTORCH_TRAIN_IMAGES), 2),
      '1.00',
    ])
  const images = await load(64)
  const model = getArchitecture('seed-cnn').build({ inputSize: 64, numClasses: BALL_LABELS.length, seed: 1 })
  const result = await trainModel({
    model,
    train: { images, labels },
    val: { images: [], labels: [] },
    augment: createAugmenter({}, 1),
    params: { epochs: 2, batchSize: 32, earlyStoppingPatience: 0 },
    seed: 1,
    log,
  })
  // The first epoch includes kernel warm-up (XNNPACK packing, wasm compilation); the second is steady state.
  const epoch = result.history.at(-1)!.seconds
  const perImage = (epoch * 1000) / images.length
  const pytorchPerImage = (PYTORCH_S_PER_EPOCH * 1000) / PYTORCH_TRAIN_IMAGES
  rows.push([
    'seed-cnn 64px, wasm',
    String(images.length),
    'epoch (2nd)',
    fmt(epoch),
    fmt(perImage),
    fmt(perImage / pytorchPerImage, 2),
    pytorch ? fmt(epoch / pytorch.seconds, 2) : 'no torch',
  ])
  rows.push(['', '', 'epoch at 1465 images', fmt((perImage * PYTORCH_TRAIN_IMAGES) / 1000), '', '', ''])
  model.dispose()
}

if (values.skip !== 'transfer') {
  const images = await load(224)
  const views = Number(values.views)
  const epochs = Number(values['head-epochs'])
  const result = await trainTransfer({
    inputSize: 224,
    numClasses: BALL_LABELS.length,
    train: { images, labels },
    val: { images: [], labels: [] },
    augment: createAugmenter({ scale: [0.5, 1], rotationDeg: 20 }, 1),
    seed: 1,
    log,
    params: {
      backbone: 'nsfwjs:mobilenet_v2',
      featureNodes: ['block_13_expand_relu', 'block_12_add', 'block_14_add'],
      views,
      epochs,
      batchSize: 64,
      earlyStoppingPatience: 0,
    },
  })
  const headEpoch = result.seconds / Math.max(1, result.history.length)
  const featureMs = (result.featureSeconds * 1000) / (images.length * views)
  rows.push([
    `transfer 224px (${result.runtime})`,
    String(images.length),
    `features x${views} views`,
    fmt(result.featureSeconds),
    fmt(featureMs),
    '',
    '',
  ])
  rows.push([
    '',
    '',
    `head epoch (x${epochs})`,
    fmt(headEpoch, 2),
    fmt((headEpoch * 1000) / images.length, 3),
    '',
    '',
  ])
  rows.push(['', '', 'whole training', fmt(result.featureSeconds + result.seconds), '', '', ''])
  result.model.dispose()
}

const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)))
for (const r of rows) console.log(r.map((v, c) => v.padEnd(widths[c]!)).join('  '))
console.log(
  `(threads: ${threads}; "x PyTorch (23 s)": the issue's ${PYTORCH_S_PER_EPOCH} s per seed-cnn epoch on ${PYTORCH_TRAIN_IMAGES} images; ` +
    '"x PyTorch here": the same model in PyTorch on this machine just before, on in-memory tensors without augmentation)',
)
process.exit(0)

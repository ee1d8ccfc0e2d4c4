/**
 * Training speed on the real training images: epochs of `seed-cnn` (end to end on TF.js wasm with our
 * gradient kernels) and the production transfer run (frozen-backbone features on onnxruntime, then head epochs).
 * Usage: npm run bench:train -- [--data ../shared/datasets/sports-balls] [--split ../shared/datasets/sports-balls-split.json]
 *        [--images 1465] [--views 8] [--head-epochs 60] [--skip seed-cnn|transfer] [--rounds 2]
 * Prints seconds per epoch and ms per training image, and the ratio to PyTorch: measured on this machine between
 * our epochs (--rounds steady-state epochs after one warm-up) when a Python with torch is found (scripts/pytorch/seed_cnn_epoch.py; SPORTSCAN_PYTHON names the
 * interpreter, e.g. Debian's `apt-get install python3-torch` gives /usr/bin/python3), and always to the
 * issue's 23 s per epoch measured on this kind of machine.
 */
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs, promisify } from 'node:util'
import pino from 'pino'
import {
  BALL_LABELS,
  FROZEN_BACKBONE_AUGMENT,
  createAugmenter,
  mapConcurrent,
  preprocessImage,
} from '../src/data/index.js'
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
    rounds: { type: 'string', default: '2' },
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
  // PyTorch runs before our first epoch and after each one, never beside it, so each of our steady-state
  // epochs is compared with the PyTorch runs just before and after it: shared machines drift over minutes.
  const rounds = Math.max(1, Number(values.rounds))
  const pytorch: PytorchEpoch[] = []
  const measure = async () => {
    const run = await measurePytorch(files.length)
    if (run) pytorch.push(run)
  }
  await measure()
  const images = await load(64)
  const model = getArchitecture('seed-cnn').build({ inputSize: 64, numClasses: BALL_LABELS.length, seed: 1 })
  const result = await trainModel({
    model,
    train: { images, labels },
    val: { images: [], labels: [] },
    augment: createAugmenter({}, 1),
    // The first epoch includes kernel warm-up (wasm compilation, XNNPACK set-up); the rest are steady state.
    params: { epochs: rounds + 1, batchSize: 32, earlyStoppingPatience: 0 },
    seed: 1,
    log,
    onEpoch: pytorch.length > 0 ? measure : undefined,
  })
  const pytorchPerImage = (PYTORCH_S_PER_EPOCH * 1000) / PYTORCH_TRAIN_IMAGES
  const ratios: number[] = []
  for (let e = 1; e < result.history.length; e++) {
    const epoch = result.history[e]!.seconds
    const perImage = (epoch * 1000) / images.length
    const around = [pytorch[e], pytorch[e + 1]].filter((p) => p !== undefined)
    const reference = around.reduce((sum, p) => sum + p.seconds, 0) / Math.max(1, around.length)
    if (around.length > 0) {
      ratios.push(epoch / reference)
      rows.push([
        `seed-cnn 64px, PyTorch ${around[0]!.torch}`,
        String(files.length),
        `epochs around ours (${around.map((p) => fmt(p.seconds)).join(', ')})`,
        fmt(reference),
        fmt((reference * 1000) / files.length),
        fmt(reference / ((PYTORCH_S_PER_EPOCH * files.length) / PYTORCH_TRAIN_IMAGES), 2),
        '1.00',
      ])
    }
    rows.push([
      'seed-cnn 64px, wasm',
      String(images.length),
      `epoch ${e + 1}`,
      fmt(epoch),
      fmt(perImage),
      fmt(perImage / pytorchPerImage, 2),
      around.length > 0 ? fmt(epoch / reference, 2) : 'no torch',
    ])
  }
  if (ratios.length > 1) {
    const sorted = [...ratios].sort((x, y) => x - y)
    rows.push([
      '',
      '',
      'median ratio to PyTorch here',
      '',
      '',
      '',
      fmt(sorted[Math.floor(sorted.length / 2)]!, 2),
    ])
  }
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
    augment: createAugmenter(FROZEN_BACKBONE_AUGMENT, 1),
    seed: 1,
    log,
    params: {
      // The catalogue's MobileNetV2 with its default feature node and the linear head; no fine-tuning here.
      backbone: 'imagenet:mobilenet_v2',
      featureNodes: [],
      fineTuneEpochs: 0,
      views,
      epochs,
      batchSize: 64,
      earlyStoppingPatience: 0,
    },
  })
  const headEpoch = result.seconds / Math.max(1, result.history.length)
  const featureMs = (result.featureSeconds * 1000) / (images.length * views)
  rows.push([
    `transfer 224px, conv head (${result.runtime})`,
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
    '"x PyTorch here": the same model in PyTorch on this machine, the mean of its runs just before and after that epoch, on in-memory tensors without augmentation)',
)
process.exit(0)

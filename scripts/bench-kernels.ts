/**
 * Training speed of the `seed-cnn` baseline per TF.js backend, with a per-kernel breakdown.
 * Usage: npm run bench:kernels -- [--backends wasm,cpu] [--threads 2] [--steps 5] [--rounds 2] [--cpu-steps 1]
 *        [--cpu-batch 8]
 *        [--detail] (also lists the 40 slowest kernel calls with their shapes)
 * Reports wall time (what a user waits) and process CPU time (less sensitive to other jobs on shared cores).
 */
import os from 'node:os'
import { parseArgs } from 'node:util'
import * as tf from '@tensorflow/tfjs'
import { getArchitecture } from '../src/model/index.js'
import { initBackend, type BackendName } from '../src/model/backend/index.js'

const IMAGE_SIZE = 64
const CLASSES = 15
const BATCH = 32
const TRAIN_IMAGES = 1465
const PYTORCH_S_PER_EPOCH = 23

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,cpu' },
    threads: { type: 'string', default: String(os.availableParallelism()) },
    steps: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    'cpu-steps': { type: 'string', default: '1' },
    // The cpu backend needs minutes per batch of 32; a smaller batch gives its ms/image sooner.
    'cpu-batch': { type: 'string', default: '8' },
    detail: { type: 'boolean', default: false },
  },
})

/** seed-cnn from the architecture registry: the model `sportscan train` and the pipeline train. */
function buildSeedCnn(): tf.LayersModel {
  const model = getArchitecture('seed-cnn').build({ inputSize: IMAGE_SIZE, numClasses: CLASSES, seed: 1 })
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] })
  return model
}

interface StepTiming {
  wallMs: number
  cpuMs: number
}

async function timeStep(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): Promise<StepTiming> {
  const cpuStart = process.cpuUsage()
  const start = performance.now()
  await model.trainOnBatch(xs, ys)
  const cpu = process.cpuUsage(cpuStart)
  return { wallMs: performance.now() - start, cpuMs: (cpu.user + cpu.system) / 1000 }
}

async function profileStep(
  model: tf.LayersModel,
  xs: tf.Tensor,
  ys: tf.Tensor,
  isDetailed: boolean,
): Promise<Map<string, number>> {
  // Otherwise the profiler downloads every output to look for NaNs, which dwarfs the kernels.
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false)
  const info = await tf.profile(async () => {
    await model.trainOnBatch(xs, ys)
  })
  const byKernel = new Map<string, number>()
  const calls: { label: string; ms: number }[] = []
  for (const kernel of info.kernels) {
    const ms = typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0
    byKernel.set(kernel.name, (byKernel.get(kernel.name) ?? 0) + ms)
    calls.push({
      label: `${kernel.name} ${JSON.stringify(kernel.inputShapes)} -> ${JSON.stringify(kernel.outputShapes)}`,
      ms,
    })
  }
  if (isDetailed) {
    console.log('slowest kernel calls:')
    for (const call of calls.sort((a, b) => b.ms - a.ms).slice(0, 40))
      console.log(`  ${fmt(call.ms).padStart(8)} ms  ${call.label}`)
  }
  return byKernel
}

const fmt = (n: number, digits = 1) => n.toFixed(digits)

async function benchBackend(
  backend: BackendName,
  batch: number,
  steps: number,
  rounds: number,
  threads: number,
): Promise<void> {
  const actual = await initBackend({ preferred: backend, threads })
  if (actual !== backend) {
    console.log(`${backend}: not available (got ${actual}), skipped`)
    return
  }
  const model = buildSeedCnn()
  const xs = tf.randomUniform([batch, IMAGE_SIZE, IMAGE_SIZE, 3])
  const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, CLASSES, 'int32'), CLASSES).toFloat())
  console.log(
    `\n== ${backend}${backend === 'wasm' ? ` (threads ${threads})` : ''}: seed-cnn, batch ${batch}, ${IMAGE_SIZE}x${IMAGE_SIZE}x3`,
  )
  await timeStep(model, xs, ys) // warm-up: XNNPACK operator creation, weight init
  const tensorsBefore = tf.memory().numTensors
  for (let round = 1; round <= rounds; round++) {
    const timings: StepTiming[] = []
    for (let i = 0; i < steps; i++) {
      timings.push(await timeStep(model, xs, ys))
      process.stdout.write('.')
    }
    const wall = timings.reduce((s, t) => s + t.wallMs, 0) / steps / batch
    const cpu = timings.reduce((s, t) => s + t.cpuMs, 0) / steps / batch
    const best = Math.min(...timings.map((t) => t.wallMs)) / batch
    const epochS = (wall * TRAIN_IMAGES) / 1000
    console.log(
      `\nround ${round}: ${fmt(wall)} ms/image wall (best step ${fmt(best)}), ${fmt(cpu)} ms/image CPU, ` +
        `${fmt(epochS)} s/epoch of ${TRAIN_IMAGES} images = ${fmt(epochS / PYTORCH_S_PER_EPOCH, 2)}x PyTorch (~${PYTORCH_S_PER_EPOCH} s)`,
    )
    // What one uncontended core would take: on shared cores the wall time mostly measures the other jobs.
    const cpuEpochS = (cpu * TRAIN_IMAGES) / 1000
    console.log(
      `  CPU time per epoch: ${fmt(cpuEpochS)} s (${fmt(cpuEpochS / PYTORCH_S_PER_EPOCH, 2)}x PyTorch's wall time)`,
    )
  }
  console.log(`tensors leaked per step: ${(tf.memory().numTensors - tensorsBefore) / (steps * rounds)}`)
  const byKernel = await profileStep(model, xs, ys, values.detail)
  const total = [...byKernel.values()].reduce((a, b) => a + b, 0)
  console.log(`per-kernel time for one step (${fmt(total, 0)} ms in kernels):`)
  for (const [name, ms] of [...byKernel.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`  ${name.padEnd(36)} ${fmt(ms).padStart(8)} ms  ${fmt((100 * ms) / total).padStart(5)}%`)
  }
  model.dispose()
  tf.dispose([xs, ys])
}

const threads = Number(values.threads)
for (const name of values.backends.split(',')) {
  if (name !== 'wasm' && name !== 'cpu' && name !== 'tensorflow') throw new Error(`unknown backend ${name}`)
  const isCpu = name === 'cpu'
  await benchBackend(
    name,
    isCpu ? Number(values['cpu-batch']) : BATCH,
    isCpu ? Number(values['cpu-steps']) : Number(values.steps),
    isCpu ? 1 : Number(values.rounds),
    threads,
  )
}
// The wasm backend's thread pool keeps the event loop alive after the last step; the report is complete.
process.exit(0)

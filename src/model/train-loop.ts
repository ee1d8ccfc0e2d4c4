import * as tf from '@tensorflow/tfjs'
import { createSeededRandom, deriveSeed, shuffled, type RandomSource } from '../data/index.js'
import type { Logger } from '../log/index.js'
import { AdamW } from './adamw.js'
import { withTrainingKernels } from './backend/index.js'
import { sampleSymmetricBeta } from './beta-sample.js'
import { TrainingAbortedError, ModelInputError } from './errors.js'
import { cosineLearningRate, PlateauScheduler, type LearningRateSchedule } from './learning-rate.js'

export interface LabelledImages {
  /**
   * Model inputs: preprocessed images (inputSize x inputSize x 3 in [0, 1]), or, for a head trained on frozen
   * backbone features, one feature map per image in the model's input shape.
   */
  images: Float32Array[]
  /** Class index per image. */
  labels: number[]
}

export interface TrainParams {
  epochs: number
  /** Default 32. */
  batchSize?: number
  /** Initial (peak, for cosine) rate; default 1e-3. */
  learningRate?: number
  /** Decoupled weight decay on kernels (AdamW); default 0 = plain Adam. */
  weightDecay?: number
  /** Mixes one-hot targets with the uniform distribution; default 0. */
  labelSmoothing?: number
  /** Stop after this many epochs without a better validation accuracy; default 10, 0 disables. */
  earlyStoppingPatience?: number
  /** Default `plateau`. */
  lrSchedule?: LearningRateSchedule
  /** Plateau: factor (default 0.5), patience in epochs on validation loss (default 3). */
  reduceLrFactor?: number
  reduceLrPatience?: number
  /** Floor for plateau and cosine; default 1e-6. */
  minLearningRate?: number
  /** Cosine: epochs of linear warm-up; default 0. */
  warmupEpochs?: number
  /** Mixup: each batch blends with a shuffled copy of itself by a Beta(alpha, alpha) weight; default 0 = off. */
  mixupAlpha?: number
}

/**
 * Augments one input (a copy, never in place); may be async, e.g. served by a worker pool. `size` is the
 * input's side for image models (feature-map models ignore it).
 */
export type ImageAugmenter = (image: Float32Array, size: number) => Float32Array | Promise<Float32Array>

export interface EpochMetrics {
  /** 1-based. */
  epoch: number
  loss: number
  acc: number
  /** NaN when there is no validation data. */
  valLoss: number
  valAcc: number
  /** Rate used during this epoch (the last one, for per-step schedules). */
  lr: number
  seconds: number
}

export interface TrainOptions {
  model: tf.LayersModel
  train: LabelledImages
  val: LabelledImages
  params: TrainParams
  augment?: ImageAugmenter
  seed: number
  onEpoch?: (metrics: EpochMetrics) => void | Promise<void>
  /** After every training step: for progress bars within long epochs. */
  onBatch?: (progress: { epoch: number; batch: number; batches: number }) => void
  log: Logger
  signal?: AbortSignal
}

export interface TrainResult {
  history: EpochMetrics[]
  /** 1-based epoch whose weights the model holds on return. */
  bestEpoch: number
  seconds: number
  stoppedEarly: boolean
}

const EPSILON = 1e-7
const EVAL_BATCH = 64

/**
 * Trains `model` in place with a custom loop (not `model.fit`): per-sample augmentation on the fly, a seeded
 * shuffle per epoch, AdamW, reduce-on-plateau or cosine schedule, early stopping on validation accuracy.
 * On return the model holds the best epoch's weights (BN statistics included).
 */
export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  // Our wasm kernels (backprops the stock backend lacks, faster reductions) only while training runs.
  return withTrainingKernels(() => runTraining(options))
}

async function runTraining(options: TrainOptions): Promise<TrainResult> {
  const { model, train, val, params, augment, seed, onEpoch, onBatch, log, signal } = options
  const shape = inputShape(model)
  const numClasses = outputUnits(model)
  checkData('train', train, shape.pixels, numClasses)
  checkData('validation', val, shape.pixels, numClasses)
  if (train.images.length === 0) throw new ModelInputError('no training images')
  const batchSize = params.batchSize ?? 32
  const baseLr = params.learningRate ?? 1e-3
  const minLr = params.minLearningRate ?? 1e-6
  const schedule = params.lrSchedule ?? 'plateau'
  const patience = params.earlyStoppingPatience ?? 10
  const smoothing = params.labelSmoothing ?? 0
  const mixupAlpha = params.mixupAlpha ?? 0
  const stepsPerEpoch = Math.ceil(train.images.length / batchSize)
  const totalSteps = params.epochs * stepsPerEpoch
  const warmupSteps = Math.round((params.warmupEpochs ?? 0) * stepsPerEpoch)
  const plateau = new PlateauScheduler(params.reduceLrFactor ?? 0.5, params.reduceLrPatience ?? 3, minLr)

  // LayerVariable.read() returns the backing tf.Variable; model.fit gathers its variables the same way.
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable)
  const optimizer = new AdamW(variables, { learningRate: baseLr, weightDecay: params.weightDecay ?? 0 })
  const history: EpochMetrics[] = []
  let best: { epoch: number; acc: number; loss: number; weights: tf.Tensor[] } | undefined
  let stoppedEarly = false
  const started = performance.now()
  try {
    for (let epoch = 1; epoch <= params.epochs; epoch++) {
      const epochStarted = performance.now()
      const order = shuffled(
        train.images.map((_, i) => i),
        createSeededRandom(deriveSeed(seed, `epoch-${epoch}`)),
      )
      const batches = Array.from({ length: stepsPerEpoch }, (_, b) =>
        order.slice(b * batchSize, (b + 1) * batchSize),
      )
      const mixRandom = createSeededRandom(deriveSeed(seed, `mixup-${epoch}`))
      let lossSum = 0
      let correct = 0
      // The next batch is prepared while the current step runs, which overlaps when `augment` is async.
      let pending = prepareBatch(train, batches[0] ?? [], augment, shape, numClasses, smoothing)
      for (let b = 0; b < batches.length; b++) {
        const batch = await pending
        // Checked after the await, so no prepared batch is left behind un-awaited.
        if (signal?.aborted) throw new TrainingAbortedError(epoch, signal.reason)
        if (b + 1 < batches.length) {
          pending = prepareBatch(train, batches[b + 1] ?? [], augment, shape, numClasses, smoothing)
        }
        if (schedule === 'cosine') {
          optimizer.learningRate = cosineLearningRate(
            (epoch - 1) * stepsPerEpoch + b,
            totalSteps,
            baseLr,
            minLr,
            warmupSteps,
          )
        }
        if (mixupAlpha > 0) mixBatch(batch, sampleSymmetricBeta(mixupAlpha, mixRandom), mixRandom)
        let step: ReturnType<typeof trainStep>
        try {
          step = trainStep(model, optimizer, variables, batch, shape.dims)
        } catch (err) {
          // The step's error is the one to report; the prefetched batch must not surface as an unhandled rejection.
          pending.catch(() => undefined)
          throw err
        }
        const [lossValue, correctValue] = await Promise.all([step.loss.data(), step.correct.data()])
        tf.dispose([step.loss, step.correct])
        lossSum += (lossValue[0] ?? Number.NaN) * batch.count
        correct += correctValue[0] ?? 0
        onBatch?.({ epoch, batch: b + 1, batches: batches.length })
      }
      const evaluation =
        val.images.length > 0 ? await evaluateLoss(model, val, shape.dims, numClasses) : undefined
      const metrics: EpochMetrics = {
        epoch,
        loss: lossSum / train.images.length,
        acc: correct / train.images.length,
        valLoss: evaluation?.loss ?? Number.NaN,
        valAcc: evaluation?.acc ?? Number.NaN,
        lr: optimizer.learningRate,
        seconds: (performance.now() - epochStarted) / 1000,
      }
      history.push(metrics)
      log.info(metrics, 'epoch done')
      await onEpoch?.(metrics)

      // Without validation data, the training figures stand in (a run on tiny data still keeps its best epoch).
      const monitoredAcc = evaluation ? metrics.valAcc : metrics.acc
      const monitoredLoss = evaluation ? metrics.valLoss : metrics.loss
      if (!best || monitoredAcc > best.acc || (monitoredAcc === best.acc && monitoredLoss < best.loss)) {
        if (best) tf.dispose(best.weights)
        best = {
          epoch,
          acc: monitoredAcc,
          loss: monitoredLoss,
          weights: model.getWeights().map((w) => w.clone()),
        }
      } else if (patience > 0 && epoch - best.epoch >= patience) {
        stoppedEarly = true
        log.info({ epoch, bestEpoch: best.epoch, bestAcc: best.acc }, 'early stopping')
        break
      }
      if (schedule === 'plateau') {
        const next = plateau.next(monitoredLoss, optimizer.learningRate)
        if (next !== optimizer.learningRate) log.info({ epoch, lr: next }, 'reducing learning rate')
        optimizer.learningRate = next
      }
    }
    if (best) model.setWeights(best.weights)
    return {
      history,
      bestEpoch: best?.epoch ?? 0,
      seconds: (performance.now() - started) / 1000,
      stoppedEarly,
    }
  } finally {
    if (best) tf.dispose(best.weights)
    optimizer.dispose()
  }
}

interface PreparedBatch {
  xs: Float32Array
  ys: Float32Array
  count: number
}

async function prepareBatch(
  data: LabelledImages,
  indices: readonly number[],
  augment: ImageAugmenter | undefined,
  shape: InputShape,
  numClasses: number,
  smoothing: number,
): Promise<PreparedBatch> {
  const { pixels, size } = shape
  const xs = new Float32Array(indices.length * pixels)
  const ys = new Float32Array(indices.length * numClasses).fill(smoothing / numClasses)
  const images = await Promise.all(
    indices.map(async (i) => {
      const image = data.images[i] ?? new Float32Array(pixels)
      return augment ? await augment(image, size) : image
    }),
  )
  images.forEach((image, row) => {
    if (image.length !== pixels)
      throw new ModelInputError(`augmenter returned ${image.length} values, expected ${pixels}`)
    xs.set(image, row * pixels)
    const label = data.labels[indices[row] ?? 0] ?? 0
    ys[row * numClasses + label] = 1 - smoothing + smoothing / numClasses
  })
  return { xs, ys, count: indices.length }
}

/** Blends each sample (pixels and targets) with a partner from a seeded permutation of the batch, in place. */
function mixBatch(batch: PreparedBatch, lambda: number, random: RandomSource): void {
  const partner = shuffled(
    Array.from({ length: batch.count }, (_, i) => i),
    random,
  )
  const pixels = batch.xs.length / batch.count
  const classes = batch.ys.length / batch.count
  const xs = batch.xs.slice()
  const ys = batch.ys.slice()
  for (let i = 0; i < batch.count; i++) {
    const j = partner[i] ?? i
    for (let p = 0; p < pixels; p++) {
      batch.xs[i * pixels + p] = lambda * (xs[i * pixels + p] ?? 0) + (1 - lambda) * (xs[j * pixels + p] ?? 0)
    }
    for (let k = 0; k < classes; k++) {
      batch.ys[i * classes + k] =
        lambda * (ys[i * classes + k] ?? 0) + (1 - lambda) * (ys[j * classes + k] ?? 0)
    }
  }
}

function trainStep(
  model: tf.LayersModel,
  optimizer: AdamW,
  variables: tf.Variable[],
  batch: PreparedBatch,
  dims: readonly number[],
): { loss: tf.Tensor; correct: tf.Tensor } {
  let correct: tf.Tensor | undefined
  const loss = tf.tidy(() => {
    const xs = tf.tensor(batch.xs, [batch.count, ...dims])
    const ys = tf.tensor2d(batch.ys, [batch.count, batch.ys.length / batch.count])
    const { value, grads } = tf.variableGrads(() => {
      const probs = model.apply(xs, { training: true }) as tf.Tensor
      // Kept out of the gradient scope's clean-up; disposed by the caller after reading.
      correct = tf.keep(countCorrect(probs, ys))
      let total = crossEntropy(probs, ys)
      for (const penalty of model.calculateLosses()) total = tf.add(total, penalty)
      return total as tf.Scalar
    }, variables)
    optimizer.applyGradients(grads)
    return value
  })
  return { loss, correct: correct ?? tf.scalar(0) }
}

/** Mean categorical cross-entropy of probabilities (the models end in softmax). */
function crossEntropy(probs: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.mean(tf.neg(tf.sum(tf.mul(targets, tf.log(tf.clipByValue(probs, EPSILON, 1))), -1)))
}

function countCorrect(probs: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  return tf.sum(tf.cast(tf.equal(tf.argMax(probs, -1), tf.argMax(targets, -1)), 'float32'))
}

async function evaluateLoss(
  model: tf.LayersModel,
  data: LabelledImages,
  dims: readonly number[],
  numClasses: number,
): Promise<{ loss: number; acc: number }> {
  const pixels = dims.reduce((a, b) => a * b, 1)
  let lossSum = 0
  let correct = 0
  for (let start = 0; start < data.images.length; start += EVAL_BATCH) {
    const count = Math.min(EVAL_BATCH, data.images.length - start)
    const xs = new Float32Array(count * pixels)
    const ys = new Float32Array(count * numClasses)
    for (let row = 0; row < count; row++) {
      xs.set(data.images[start + row] ?? new Float32Array(pixels), row * pixels)
      ys[row * numClasses + (data.labels[start + row] ?? 0)] = 1
    }
    const [lossT, correctT] = tf.tidy(() => {
      const probs = model.predict(tf.tensor(xs, [count, ...dims])) as tf.Tensor
      const targets = tf.tensor2d(ys, [count, numClasses])
      return [tf.mul(crossEntropy(probs, targets), count), countCorrect(probs, targets)]
    })
    const [l, c] = await Promise.all([lossT.data(), correctT.data()])
    tf.dispose([lossT, correctT])
    lossSum += l[0] ?? Number.NaN
    correct += c[0] ?? 0
  }
  return { loss: lossSum / data.images.length, acc: correct / data.images.length }
}

interface InputShape {
  /** Per-sample dimensions without the batch axis: [size, size, 3] for image models. */
  dims: number[]
  /** Values per sample. */
  pixels: number
  /** Square side for image models, else the first dimension (passed to augmenters). */
  size: number
}

/** Any fixed per-sample shape: images for end-to-end models, feature maps for heads on a frozen backbone. */
function inputShape(model: tf.LayersModel): InputShape {
  const shape = model.inputs[0]?.shape
  const dims = (shape ?? []).slice(1)
  if (!shape || dims.length === 0 || dims.some((d) => typeof d !== 'number' || d <= 0)) {
    throw new ModelInputError(
      `model input must have a fixed shape after the batch axis, got ${JSON.stringify(shape)}`,
    )
  }
  const fixed = dims as number[]
  return { dims: fixed, pixels: fixed.reduce((a, b) => a * b, 1), size: fixed[0] ?? 0 }
}

function outputUnits(model: tf.LayersModel): number {
  const shape = model.outputs[0]?.shape
  const units = shape?.[shape.length - 1]
  if (typeof units !== 'number') throw new ModelInputError('model output has no fixed class count')
  return units
}

function checkData(what: string, data: LabelledImages, pixels: number, numClasses: number): void {
  if (data.images.length !== data.labels.length) {
    throw new ModelInputError(`${what}: ${data.images.length} images but ${data.labels.length} labels`)
  }
  data.images.forEach((image, i) => {
    if (image.length !== pixels)
      throw new ModelInputError(`${what} image ${i} has ${image.length} values, expected ${pixels}`)
  })
  data.labels.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new ModelInputError(`${what} label ${i} is ${label}, expected an integer in [0, ${numClasses})`)
    }
  })
}

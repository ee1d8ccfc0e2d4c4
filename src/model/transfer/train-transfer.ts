import type * as tf from '@tensorflow/tfjs'
import { createSeededRandom, deriveSeed } from '../../data/index.js'
import type { Logger } from '../../log/index.js'
import { ModelInputError } from '../errors.js'
import {
  trainModel,
  type EpochMetrics,
  type ImageAugmenter,
  type LabelledImages,
  type TrainParams,
  type TrainResult,
} from '../train-loop.js'
import { catalogCredit } from './backbone-catalog.js'
import { createFeatureRunner } from './extract-features.js'
import {
  buildConvHead,
  buildFeatureExtractor,
  buildHead,
  composeClassifier,
  type HeadKind,
} from './feature-model.js'
import { loadBackbone } from './load-backbone.js'

export interface TransferParams extends TrainParams {
  /** Catalogued npm backbone, local model.json (or its folder), or http(s) URL: see loadBackbone. */
  backbone: string
  /** Backbone layers whose pooled outputs, concatenated, are the frozen features. */
  featureNodes: readonly string[]
  /** Feature sets per training image: the plain image plus views-1 augmented copies; default 8. */
  views?: number
  /** Head dropout; default 0.3. */
  dropout?: number
  /** `linear` (default): pooled features of every node; `conv`: a small conv net on one node's feature map. */
  head?: HeadKind
  /** Conv head: filters of its first conv; default 128. */
  headWidth?: number
}

export interface TransferOptions {
  inputSize: number
  numClasses: number
  train: LabelledImages
  val: LabelledImages
  params: TransferParams
  /** Draws augmented copies of training images for the extra views. */
  augment?: (image: Float32Array, size: number) => Float32Array
  seed: number
  log: Logger
  signal?: AbortSignal
  onProgress?: (message: string) => void
  onEpoch?: (metrics: EpochMetrics) => void | Promise<void>
}

export interface TransferResult extends TrainResult {
  /** Image in, probabilities out: frozen backbone, pooling, trained head. */
  model: tf.LayersModel
  featureSize: number
  /** Seconds spent computing features (all views). */
  featureSeconds: number
  runtime: 'onnxruntime' | 'tfjs'
  credit?: string
}

/**
 * Transfer learning with a frozen backbone: features of every image are computed once (plus augmented views
 * of the training images), then only the small head trains, for many epochs, in seconds. Each epoch shows
 * every training image once, in one of its views drawn at random, so augmentation still varies per epoch.
 */
export async function trainTransfer(options: TransferOptions): Promise<TransferResult> {
  const { params, log } = options
  const views = params.views ?? 8
  if (!Number.isInteger(views) || views < 1)
    throw new ModelInputError(`views must be a positive integer, got ${views}`)
  const backbone = await loadBackbone(params.backbone, { inputSize: options.inputSize })
  const headKind = params.head ?? 'linear'
  const extractor = buildFeatureExtractor(backbone, params.featureNodes, params.backbone, headKind)
  const featureShape = extractor.outputs[0]!.shape.slice(1) as number[]
  const featureSize = featureShape.reduce((a, b) => a * b, 1)
  const runner = await createFeatureRunner(extractor, {
    log,
    signal: options.signal,
  })
  const started = performance.now()
  let trainViews: Float32Array[][]
  let valFeatures: Float32Array[]
  try {
    const total = options.train.images.length * views + options.val.images.length
    let done = 0
    let lastReport = 0
    const progress = (n: number): void => {
      done += n
      const now = performance.now()
      if (now - lastReport > 5000 || done === total) {
        lastReport = now
        options.onProgress?.(
          `features (${runner.runtime}): ${done}/${total} images, ${((now - started) / 1000).toFixed(0)} s`,
        )
      }
    }
    trainViews = []
    for (let v = 0; v < views; v++) {
      const augment = v === 0 ? undefined : options.augment
      const batch = await runBatched(runner.run, options.train.images, augment, options.inputSize, progress)
      batch.forEach((f, i) => (trainViews[i] ??= []).push(f))
    }
    valFeatures = await runBatched(runner.run, options.val.images, undefined, options.inputSize, progress)
  } finally {
    await runner.release()
  }
  const featureSeconds = (performance.now() - started) / 1000
  log.info({ featureSize, views, featureSeconds, runtime: runner.runtime }, 'backbone features ready')

  const headOptions = { numClasses: options.numClasses, dropout: params.dropout ?? 0.3, seed: options.seed }
  const head =
    headKind === 'conv'
      ? buildConvHead(featureShape, { ...headOptions, width: params.headWidth })
      : buildHead(featureSize, headOptions)
  const plain = trainViews.map((v) => v[0]!)
  const viewsOf = new Map(plain.map((f, i) => [f, trainViews[i]!]))
  const pick = createSeededRandom(deriveSeed(options.seed, 'views'))
  // trainModel hands the "augmenter" the plain feature vector; it answers one of that image's views.
  const drawView: ImageAugmenter = (features) => {
    const all = viewsOf.get(features) ?? [features]
    return all[Math.floor(pick() * all.length)] ?? features
  }
  const result = await trainModel({
    model: head,
    train: { images: plain, labels: options.train.labels },
    val: { images: valFeatures, labels: options.val.labels },
    params,
    augment: views > 1 ? drawView : undefined,
    seed: options.seed,
    log,
    signal: options.signal,
    onEpoch: options.onEpoch,
  })
  return {
    ...result,
    model: composeClassifier(extractor, head),
    featureSize,
    featureSeconds,
    runtime: runner.runtime,
    credit: catalogCredit(params.backbone),
  }
}

async function runBatched(
  run: (images: readonly Float32Array[]) => Promise<Float32Array[]>,
  images: readonly Float32Array[],
  augment: ((image: Float32Array, size: number) => Float32Array) | undefined,
  size: number,
  progress: (n: number) => void,
): Promise<Float32Array[]> {
  const out: Float32Array[] = []
  // Augmented copies are made a chunk at a time: a whole view of 224 px images would take ~0.8 GB.
  for (let start = 0; start < images.length; start += 64) {
    const chunk = images.slice(start, start + 64).map((image) => (augment ? augment(image, size) : image))
    out.push(...(await run(chunk)))
    progress(chunk.length)
  }
  return out
}

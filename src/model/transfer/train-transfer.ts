import * as tf from '@tensorflow/tfjs'
import type { InputScaling } from '../../data/index.js'
import type { Logger } from '../../log/index.js'
import type { WeightSteps } from '../tflite/index.js'
import { ModelInputError } from '../errors.js'
import {
  trainModel,
  type EpochMetrics,
  type LabelledImages,
  type TrainParams,
  type TrainResult,
} from '../train-loop.js'
import { computeViews, viewPicker } from './cached-views.js'
import { createFeatureRunner } from './extract-features.js'
import {
  buildConvHead,
  buildFeatureExtractor,
  buildHead,
  composeClassifier,
  type HeadKind,
} from './feature-model.js'
import { loadBackbone } from './load-backbone.js'
import { splitBackbone } from './split-backbone.js'

export interface TransferParams extends TrainParams {
  /** Catalogued backbone, .tflite file, local model.json (or its folder), or http(s) URL: see loadBackbone. */
  backbone: string
  /** Backbone layers the head reads; empty: the catalogue's feature node. */
  featureNodes: readonly string[]
  /** The backbone's input range, for files that do not say it (see loadBackbone). */
  inputScaling?: InputScaling
  /** Feature sets per training image: the plain image plus views-1 augmented copies; default 8. */
  views?: number
  /** Head dropout; default 0.3. */
  dropout?: number
  /** `linear` (default): pooled features of every node; `conv`: a small conv net on one node's feature map. */
  head?: HeadKind
  /** Conv head: filters of its first conv; default 128. */
  headWidth?: number
  /**
   * Fine-tuning: after the head has trained, the backbone layers after this one train with it on the cached
   * output of this layer; empty (default) keeps the whole backbone frozen. `catalog` takes the catalogue's cut.
   */
  fineTuneFrom?: string
  /** Fine-tuning epochs; default 0 (off). */
  fineTuneEpochs?: number
  /** Fine-tuning learning rate (peak of its cosine schedule); default 1e-4. */
  fineTuneLearningRate?: number
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
  onEpoch?: (metrics: EpochMetrics, stage: TransferStage) => void | Promise<void>
}

/** `head`: the head alone on frozen features; `fine-tune`: the backbone's last layers with it. */
export type TransferStage = 'head' | 'fine-tune'

export interface TransferResult extends TrainResult {
  /** Image in ([0, 1] RGB), probabilities out: input scaling, backbone, head. */
  model: tf.LayersModel
  featureSize: number
  featureNodes: string[]
  inputScaling: InputScaling
  /** Seconds spent computing features and cached maps (all views). */
  featureSeconds: number
  runtime: 'onnxruntime' | 'tfjs'
  credit?: string
  /**
   * Weight steps of the quantised source file for the layers that did not train (all of them without fine-tuning):
   * an int8 export keeps them instead of rounding anew.
   */
  keptWeightSteps: Record<string, WeightSteps>
  /** The fine-tuning stage, when it ran: its cut, epochs and result. */
  fineTune?: { from: string; trainableWeights: number; isKept: boolean } & TrainResult
}

/**
 * Transfer learning: features of every image are computed once (plus augmented views of the training images)
 * and a small head trains on them; then, with fine-tuning, the backbone's layers after `fineTuneFrom` train
 * together with the head on the cached output of that layer, at a lower rate (linear probe, then fine-tune:
 * the head starts good, so the pretrained features move little). Each epoch shows every training image once,
 * in one of its views drawn at random.
 */
export async function trainTransfer(options: TransferOptions): Promise<TransferResult> {
  const { params, log } = options
  const views = params.views ?? 8
  if (!Number.isInteger(views) || views < 1)
    throw new ModelInputError(`views must be a positive integer, got ${views}`)
  const backbone = await loadBackbone(params.backbone, {
    inputSize: options.inputSize,
    inputScaling: params.inputScaling,
  })
  const headKind = params.head ?? 'linear'
  const featureNodes =
    params.featureNodes.length > 0 ? [...params.featureNodes] : [backbone.defaults?.featureNode ?? '']
  const extractor = buildFeatureExtractor(backbone.model, featureNodes, params.backbone, headKind)
  const cut =
    params.fineTuneFrom === 'catalog' ? backbone.defaults?.fineTuneFrom : params.fineTuneFrom || undefined
  const fineTuneEpochs = cut ? (params.fineTuneEpochs ?? 0) : 0
  if (params.fineTuneFrom === 'catalog' && !cut) {
    throw new ModelInputError(`fineTuneFrom=catalog needs a catalogued backbone, not ${params.backbone}`)
  }
  if (fineTuneEpochs > 0 && featureNodes.length !== 1) {
    throw new ModelInputError('fine-tuning reads one feature node; name one in featureNodes')
  }
  const split =
    fineTuneEpochs > 0 ? splitBackbone(backbone.model, cut!, featureNodes[0]!, params.backbone) : undefined
  // The tail on cached maps gives the head's features when fine-tuning: the same numbers as the extractor.
  const tailFeatures = split
    ? buildFeatureExtractor(split.tail, featureNodes, params.backbone, headKind)
    : undefined
  const featureShape = extractor.outputs[0]!.shape.slice(1) as number[]
  const featureSize = featureShape.reduce((a, b) => a * b, 1)

  const started = performance.now()
  const cache = await computeViews({
    model: split ? split.frozen : extractor,
    train: options.train.images,
    val: options.val.images,
    views,
    size: options.inputSize,
    augment: options.augment,
    log,
    signal: options.signal,
    onProgress: options.onProgress,
    label: split ? `maps at ${cut}` : 'features',
  })
  let trainFeatures = cache.train
  let valFeatures = cache.val
  if (tailFeatures) {
    const runner = await createFeatureRunner(tailFeatures, { log, signal: options.signal })
    try {
      trainFeatures = []
      for (const perImage of cache.train) trainFeatures.push(await runner.run(perImage))
      valFeatures = await runner.run(cache.val)
    } finally {
      await runner.release()
    }
  }
  const featureSeconds = (performance.now() - started) / 1000
  log.info({ featureSize, views, featureSeconds, runtime: cache.runtime }, 'backbone features ready')

  const headOptions = { numClasses: options.numClasses, dropout: params.dropout ?? 0.3, seed: options.seed }
  const head =
    headKind === 'conv'
      ? buildConvHead(featureShape, { ...headOptions, width: params.headWidth })
      : buildHead(featureSize, headOptions)
  const headResult = await trainModel({
    model: head,
    train: { images: trainFeatures.map((v) => v[0]!), labels: options.train.labels },
    val: { images: valFeatures, labels: options.val.labels },
    params,
    augment: views > 1 ? viewPicker(trainFeatures, options.seed, 'views') : undefined,
    seed: options.seed,
    log,
    signal: options.signal,
    onEpoch: (m) => options.onEpoch?.(m, 'head'),
  })

  let fineTune: TransferResult['fineTune']
  if (split && tailFeatures) {
    const tuned = composeClassifier(tailFeatures, head)
    const trainable = tuned.trainableWeights.reduce((n, w) => n + w.read().size, 0)
    options.onProgress?.(
      `fine-tuning the backbone after ${cut} (${trainable} weights) for ${fineTuneEpochs} epochs`,
    )
    // Kept only if it beats the head alone on validation: a few hundred photos can pull features apart.
    const headOnly = tuned.getWeights().map((w) => w.clone())
    const headBest = bestValAcc(headResult)
    const result = await trainModel({
      model: tuned,
      train: { images: cache.train.map((v) => v[0]!), labels: options.train.labels },
      val: { images: cache.val, labels: options.val.labels },
      params: {
        ...params,
        epochs: fineTuneEpochs,
        learningRate: params.fineTuneLearningRate ?? 1e-4,
        lrSchedule: 'cosine',
        warmupEpochs: 0,
        earlyStoppingPatience: 0,
      },
      augment: views > 1 ? viewPicker(cache.train, options.seed, 'fine-tune-views') : undefined,
      seed: options.seed,
      log,
      signal: options.signal,
      onEpoch: (m) => options.onEpoch?.(m, 'fine-tune'),
    })
    const isKept = !(bestValAcc(result) < headBest)
    if (!isKept) {
      tuned.setWeights(headOnly)
      log.info(
        { headBest, fineTuneBest: bestValAcc(result) },
        'fine-tuning did not beat the head on validation: dropped',
      )
    }
    tf.dispose(headOnly)
    fineTune = { from: cut!, trainableWeights: trainable, isKept, ...result }
  }
  const trained = new Set(fineTune?.isKept ? split!.tail.layers.map((l) => l.name) : [])
  const keptWeightSteps = Object.fromEntries(
    [...backbone.weightSteps].filter(([layer]) => !trained.has(layer)),
  )
  return {
    ...headResult,
    model: composeClassifier(extractor, head),
    keptWeightSteps,
    featureSize,
    featureNodes,
    inputScaling: backbone.inputScaling,
    featureSeconds,
    runtime: cache.runtime,
    credit: backbone.credit,
    fineTune,
  }
}

function bestValAcc(result: TrainResult): number {
  return result.history.find((h) => h.epoch === result.bestEpoch)?.valAcc ?? Number.NaN
}

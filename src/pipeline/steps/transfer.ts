import { writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Type } from 'typebox'
import {
  BALL_LABELS,
  FROZEN_BACKBONE_AUGMENT,
  STRONG_AUGMENT,
  createAugmenter,
  deriveSeed,
  type InputScaling,
} from '../../data/index.js'
import {
  ARTIFACT_FILES,
  initBackend,
  saveModelArtifact,
  trainTransfer,
  writeLearningCurvesPng,
  type EpochMetrics,
} from '../../model/index.js'
import { defineStep } from '../step-type.js'
import { formatEpoch } from './format-epoch.js'
import { loopParamProperties, loopParams } from './loop-params.js'
import { readSplitImages } from './split-images.js'
import { toJson } from './step-inputs.js'

/** Named input ranges a user's backbone file may need (catalogued backbones and quantised files say theirs). */
const INPUT_SCALINGS: Readonly<Record<string, InputScaling>> = {
  unit: { kind: 'unit' },
  symmetric: { kind: 'symmetric' },
  imagenet: { kind: 'mean-std', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
}

/**
 * Transfer learning: a pretrained backbone's features of every training view are computed once, a small head
 * trains on them, then (with fineTuneEpochs) the backbone's last blocks train with the head on the cached
 * output of the block before them. The saved classifier is one layers model, [0, 1] RGB in.
 */
export const transferStep = defineStep({
  name: 'transfer',
  version: '1',
  description: 'pretrained backbone + trained head, optionally fine-tuning the last blocks on cached maps',
  inputs: { tensors: { kind: 'tensors' }, split: { kind: 'split' } },
  outputs: {
    model: { kind: 'model', isPath: true, description: 'model artifact folder (best epoch), uncalibrated' },
    training: { kind: 'training', description: 'backbone, params, history summary, seconds' },
  },
  params: Type.Object(
    {
      /** A catalogued backbone (models/backbones), a .tflite file, a TF.js layers model.json/folder or URL. */
      backbone: Type.String({ minLength: 1, default: 'imagenet:mobilenet_v2' }),
      /** The backbone's input range when its file does not say it: auto, unit, symmetric or imagenet. */
      inputScaling: Type.Union(
        ['auto', ...Object.keys(INPUT_SCALINGS)].map((k) => Type.Literal(k)),
        { default: 'auto' },
      ),
      /** Comma-separated layers the head reads; empty: the catalogue's feature node. */
      featureNodes: Type.String({ default: '' }),
      /** `linear` on pooled features of every node, or `conv` (two separable convs) on one node's map. */
      head: Type.Union([Type.Literal('linear'), Type.Literal('conv')], { default: 'linear' }),
      /** Feature sets per training image (the plain image plus augmented copies). */
      views: Type.Integer({ minimum: 1, maximum: 64, default: 8 }),
      dropout: Type.Number({ minimum: 0, maximum: 0.95, default: 0.3 }),
      /** Layer after which the backbone trains with the head: `catalog` (the catalogue's), a name, or `` (frozen). */
      fineTuneFrom: Type.String({ default: 'catalog' }),
      fineTuneEpochs: Type.Integer({ minimum: 0, default: 6 }),
      fineTuneLearningRate: Type.Number({ exclusiveMinimum: 0, default: 1e-4 }),
      ...loopParamProperties({
        epochs: 30,
        batchSize: 64,
        learningRate: 1e-3,
        weightDecay: 0.1,
        labelSmoothing: 0.1,
        lrSchedule: 'cosine',
        warmupEpochs: 0,
        mixupAlpha: 0,
        earlyStoppingPatience: 0,
        reduceLrPatience: 3,
        reduceLrFactor: 0.5,
      }),
      /** The training views: `frozen` (crops down to half the area, flips, rotation, colour), `strong`, `none`. */
      augmentation: Type.Union([Type.Literal('frozen'), Type.Literal('strong'), Type.Literal('none')], {
        default: 'frozen',
      }),
      seed: Type.Integer({ default: 42 }),
    },
    { additionalProperties: false },
  ),
  async run(ctx) {
    const p = ctx.params
    // Fine-tuning is the one job that pays for both cores (XNNPACK threads); the count does not change results.
    const backend = await initBackend({ log: ctx.log, threads: os.availableParallelism() })
    const { store, train, val } = await readSplitImages(ctx.inputs)
    const featureNodes = p.featureNodes
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n.length > 0)
    ctx.progress(
      `${p.backbone} on ${backend}: ${train.images.length} train, ${val.images.length} validation images at ${store.spec.size}x${store.spec.size}`,
    )
    const epochsOf = { head: p.epochs, 'fine-tune': p.fineTuneEpochs }
    const result = await trainTransfer({
      inputSize: store.spec.size,
      numClasses: BALL_LABELS.length,
      train,
      val,
      augment:
        p.augmentation === 'none'
          ? undefined
          : createAugmenter(
              p.augmentation === 'strong' ? STRONG_AUGMENT : FROZEN_BACKBONE_AUGMENT,
              deriveSeed(p.seed, 'augment'),
            ),
      seed: p.seed,
      log: ctx.log,
      signal: ctx.signal,
      onProgress: (message) => ctx.progress(message),
      onEpoch: (m: EpochMetrics, stage) => {
        // Head epochs take well under a second: report every tenth; fine-tuning epochs each.
        if (stage === 'fine-tune' || m.epoch % 10 === 0 || m.epoch === p.epochs) {
          ctx.progress(`${stage} ${formatEpoch(m, epochsOf[stage])}`)
        }
      },
      params: {
        backbone: p.backbone,
        inputScaling: p.inputScaling === 'auto' ? undefined : INPUT_SCALINGS[p.inputScaling],
        featureNodes,
        head: p.head,
        views: p.augmentation === 'none' ? 1 : p.views,
        dropout: p.dropout,
        fineTuneFrom: p.fineTuneFrom,
        fineTuneEpochs: p.fineTuneEpochs,
        fineTuneLearningRate: p.fineTuneLearningRate,
        ...loopParams(p),
      },
    })
    try {
      const modelDir = path.join(ctx.outDir, 'model')
      await saveModelArtifact(modelDir, {
        model: result.model,
        labels: BALL_LABELS,
        preprocess: { ...store.spec, inputScaling: result.inputScaling },
      })
      const history = [
        ...result.history,
        ...(result.fineTune?.history ?? []).map((h) => ({ ...h, epoch: h.epoch + result.history.length })),
      ]
      const bestEpoch = result.fineTune?.isKept
        ? result.fineTune.bestEpoch + result.history.length
        : result.bestEpoch
      await writeLearningCurvesPng(path.join(modelDir, ARTIFACT_FILES.learningCurves), history, {
        bestEpoch,
        title: result.fineTune
          ? `${p.backbone}: head, then fine-tuning from epoch ${result.history.length + 1}`
          : `${p.backbone}: head learning curves`,
      })
      await writeFile(path.join(modelDir, 'history.json'), `${JSON.stringify(history, null, 2)}\n`)
      if (Object.keys(result.keptWeightSteps).length > 0) {
        const quantization = { source: p.backbone, weights: result.keptWeightSteps }
        await writeFile(path.join(modelDir, ARTIFACT_FILES.quantization), `${JSON.stringify(quantization)}\n`)
      }
      const fineTuneSeconds = result.fineTune?.seconds ?? 0
      ctx.progress(
        `features ${result.featureSeconds.toFixed(1)} s on ${result.runtime}, head ${result.seconds.toFixed(1)} s (best epoch ${result.bestEpoch})` +
          (result.fineTune
            ? `, fine-tuning ${fineTuneSeconds.toFixed(1)} s (best epoch ${result.fineTune.bestEpoch})`
            : ''),
      )
      return {
        model: 'model',
        training: toJson({
          architecture: 'transfer',
          backend,
          params: { ...p, imageSize: store.spec.size, fit: store.spec.fit },
          backbone: {
            source: p.backbone,
            featureNodes: result.featureNodes,
            head: p.head,
            featureSize: result.featureSize,
            inputScaling: result.inputScaling,
            credit: result.credit ?? null,
            fineTuneFrom: result.fineTune?.from ?? null,
            fineTunedWeights: result.fineTune?.trainableWeights ?? 0,
            fineTuneKept: result.fineTune?.isKept ?? null,
          },
          featureRuntime: result.runtime,
          featureSeconds: result.featureSeconds,
          seconds: result.featureSeconds + result.seconds + fineTuneSeconds,
          secondsPerEpoch: result.seconds / Math.max(1, result.history.length),
          epochsRun: history.length,
          bestEpoch,
          stoppedEarly: result.stoppedEarly,
          best: history.find((h) => h.epoch === bestEpoch) ?? null,
        }),
      }
    } finally {
      result.model.dispose()
    }
  },
})

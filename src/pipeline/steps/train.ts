import { writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Type } from 'typebox'
import { BALL_LABELS, NO_AUGMENT, STRONG_AUGMENT, createAugmenter, deriveSeed } from '../../data/index.js'
import {
  ARTIFACT_FILES,
  getArchitecture,
  initBackend,
  InvalidArchitectureParamError,
  saveModelArtifact,
  trainModel,
  writeLearningCurvesPng,
  type EpochMetrics,
} from '../../model/index.js'
import { defineStep } from '../step-type.js'
import { loopParams } from './train-params.js'
import { TRANSFER, runTransfer } from './train-transfer.js'
import { readStoredSplit } from './split-file.js'
import { stringInput, toJson } from './step-inputs.js'
import { readTensorStore, selectImages } from './tensor-store.js'

export const trainStep = defineStep({
  name: 'train',
  version: '4',
  description: 'train an architecture from the registry on the train subset, early-stopping on validation',
  inputs: { tensors: { kind: 'tensors' }, split: { kind: 'split' } },
  outputs: {
    model: { kind: 'model', isPath: true, description: 'model artifact folder (best epoch), uncalibrated' },
    training: { kind: 'training', description: 'architecture, params, history summary, seconds' },
  },
  params: Type.Object(
    {
      /** A registry architecture trained end to end, or `transfer`: a frozen backbone plus a trained head. */
      architecture: Type.String({ minLength: 1, default: 'seed-cnn' }),
      /** The architecture's own options, e.g. `{ widths: [32, 64, 128], stemStride: 2 }`; the builder checks them. */
      architectureParams: Type.Record(Type.String(), Type.Unknown(), { default: {} }),
      /** transfer: catalogued npm backbone, local model.json (or folder) or http(s) URL of a layers model. */
      backbone: Type.String({ minLength: 1, default: 'nsfwjs:mobilenet_v2' }),
      /** transfer: comma-separated backbone layer names whose pooled outputs are the features. */
      featureNodes: Type.String({ minLength: 1, default: 'block_13_expand_relu,block_12_add,block_14_add' }),
      /** transfer: `linear` on pooled features of every node, or `conv` (two separable convs) on one node's map. */
      head: Type.Union([Type.Literal('linear'), Type.Literal('conv')], { default: 'linear' }),
      /** transfer: feature sets per training image (the plain image plus augmented copies). */
      views: Type.Integer({ minimum: 1, maximum: 64, default: 8 }),
      dropout: Type.Number({ minimum: 0, maximum: 0.95, default: 0.3 }),
      epochs: Type.Integer({ minimum: 1 }),
      batchSize: Type.Integer({ minimum: 1, default: 32 }),
      learningRate: Type.Number({ exclusiveMinimum: 0, default: 1e-3 }),
      weightDecay: Type.Number({ minimum: 0, default: 0 }),
      labelSmoothing: Type.Number({ minimum: 0, maximum: 1, default: 0 }),
      lrSchedule: Type.Union([Type.Literal('plateau'), Type.Literal('cosine')], { default: 'plateau' }),
      /** Cosine: epochs of linear warm-up before the decay. */
      warmupEpochs: Type.Number({ minimum: 0, default: 0 }),
      /** Mixup's Beta(alpha, alpha); 0 turns it off. */
      mixupAlpha: Type.Number({ minimum: 0, maximum: 10, default: 0 }),
      /** Epochs without a better validation accuracy before stopping; 0 disables early stopping. */
      earlyStoppingPatience: Type.Integer({ minimum: 0, default: 10 }),
      reduceLrPatience: Type.Integer({ minimum: 1, default: 3 }),
      reduceLrFactor: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.5 }),
      /** `strong` adds wide crops, cutout and more colour change: the from-scratch recipe. */
      augmentation: Type.Union([Type.Literal('default'), Type.Literal('strong'), Type.Literal('none')], {
        default: 'default',
      }),
      seed: Type.Integer({ default: 42 }),
    },
    { additionalProperties: false },
  ),
  async run(ctx) {
    const p = ctx.params
    // Training is the one job that pays for both cores (XNNPACK threads); the count does not change results.
    const backend = await initBackend({ log: ctx.log, threads: os.availableParallelism() })
    const store = await readTensorStore(stringInput(ctx.inputs, 'tensors'))
    const split = await readStoredSplit(stringInput(ctx.inputs, 'split'))
    const train = selectImages(store, split.train)
    const val = selectImages(store, split.val)
    ctx.progress(
      `${p.architecture} on ${backend}: ${train.images.length} train, ${val.images.length} validation images at ${store.spec.size}x${store.spec.size}`,
    )
    if (p.architecture === TRANSFER) {
      // Silently ignoring them would train something other than what the user asked for.
      const [ignored] = Object.keys(p.architectureParams)
      if (ignored !== undefined) {
        throw new InvalidArchitectureParamError(
          TRANSFER,
          `architectureParams.${ignored}`,
          'does not apply: a transfer run takes backbone, featureNodes, views and dropout',
        )
      }
      return runTransfer(ctx, { params: p, backend, spec: store.spec, train, val })
    }
    const model = getArchitecture(p.architecture).build({
      ...p.architectureParams,
      inputSize: store.spec.size,
      numClasses: BALL_LABELS.length,
      seed: p.seed,
    })
    try {
      const augment = createAugmenter(AUGMENT_PRESETS[p.augmentation], deriveSeed(p.seed, 'augment'))
      const result = await trainModel({
        model,
        train,
        val,
        augment,
        seed: p.seed,
        log: ctx.log,
        signal: ctx.signal,
        params: loopParams(p),
        onEpoch: (m) => ctx.progress(formatEpoch(m, p.epochs)),
        // Epochs take minutes on a shared CPU: a line per quarter shows the run is alive.
        onBatch: ({ epoch, batch, batches }) => {
          const quarter = Math.ceil(batches / 4)
          if (batches >= 8 && batch % quarter === 0 && batch < batches) {
            ctx.progress(`epoch ${epoch}/${p.epochs}: batch ${batch}/${batches}`)
          }
        },
      })
      const modelDir = path.join(ctx.outDir, 'model')
      await saveModelArtifact(modelDir, { model, labels: BALL_LABELS, preprocess: store.spec })
      await writeLearningCurvesPng(path.join(modelDir, ARTIFACT_FILES.learningCurves), result.history, {
        bestEpoch: result.bestEpoch,
        title: `${p.architecture}: learning curves`,
      })
      await writeFile(path.join(modelDir, 'history.json'), `${JSON.stringify(result.history, null, 2)}\n`)
      const epochSeconds = result.history.map((h) => h.seconds)
      ctx.progress(
        `best epoch ${result.bestEpoch} of ${result.history.length}${result.stoppedEarly ? ' (stopped early)' : ''}, ${result.seconds.toFixed(1)} s`,
      )
      return {
        model: 'model',
        training: toJson({
          architecture: p.architecture,
          backend,
          params: { ...p, imageSize: store.spec.size, fit: store.spec.fit },
          seconds: result.seconds,
          secondsPerEpoch: epochSeconds.reduce((a, b) => a + b, 0) / Math.max(1, epochSeconds.length),
          epochsRun: result.history.length,
          bestEpoch: result.bestEpoch,
          stoppedEarly: result.stoppedEarly,
          best: result.history.find((h) => h.epoch === result.bestEpoch) ?? null,
        }),
      }
    } finally {
      model.dispose()
    }
  },
})

const AUGMENT_PRESETS = { default: {}, strong: STRONG_AUGMENT, none: NO_AUGMENT } as const

function formatEpoch(m: EpochMetrics, epochs: number): string {
  const f = (v: number, digits = 4) => (Number.isFinite(v) ? v.toFixed(digits) : '-')
  return `epoch ${m.epoch}/${epochs} loss ${f(m.loss)} acc ${f(m.acc)} val_loss ${f(m.valLoss)} val_acc ${f(m.valAcc)} lr ${m.lr.toExponential(1)} ${m.seconds.toFixed(1)} s`
}

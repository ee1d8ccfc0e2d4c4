import { writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Type } from 'typebox'
import { BALL_LABELS, NO_AUGMENT, STRONG_AUGMENT, createAugmenter, deriveSeed } from '../../data/index.js'
import {
  ARTIFACT_FILES,
  getArchitecture,
  initBackend,
  saveModelArtifact,
  trainModel,
  writeLearningCurvesPng,
} from '../../model/index.js'
import { defineStep } from '../step-type.js'
import { formatEpoch } from './format-epoch.js'
import { loopParamProperties, loopParams } from './loop-params.js'
import { readSplitImages } from './split-images.js'
import { toJson } from './step-inputs.js'

export const trainStep = defineStep({
  name: 'train',
  version: '5',
  description: 'train a CNN from the architecture registry end to end, early-stopping on validation',
  inputs: { tensors: { kind: 'tensors' }, split: { kind: 'split' } },
  outputs: {
    model: { kind: 'model', isPath: true, description: 'model artifact folder (best epoch), uncalibrated' },
    training: { kind: 'training', description: 'architecture, params, history summary, seconds' },
  },
  params: Type.Object(
    {
      /** A CNN from the architecture registry, trained end to end (seed-cnn, resnet-small, sep-cnn). */
      architecture: Type.String({ minLength: 1, default: 'seed-cnn' }),
      /** The architecture's own options, e.g. `{ widths: [32, 64, 128], stemStride: 2 }`; the builder checks them. */
      architectureParams: Type.Record(Type.String(), Type.Unknown(), { default: {} }),
      ...loopParamProperties({
        epochs: 30,
        batchSize: 32,
        learningRate: 1e-3,
        weightDecay: 0,
        labelSmoothing: 0,
        lrSchedule: 'plateau',
        warmupEpochs: 0,
        mixupAlpha: 0,
        earlyStoppingPatience: 10,
        reduceLrPatience: 3,
        reduceLrFactor: 0.5,
      }),
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
    const { store, train, val } = await readSplitImages(ctx.inputs)
    ctx.progress(
      `${p.architecture} on ${backend}: ${train.images.length} train, ${val.images.length} validation images at ${store.spec.size}x${store.spec.size}`,
    )
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

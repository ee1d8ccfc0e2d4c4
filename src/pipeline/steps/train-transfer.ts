import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  BALL_LABELS,
  FROZEN_BACKBONE_AUGMENT,
  STRONG_AUGMENT,
  createAugmenter,
  deriveSeed,
  type PreprocessSpec,
} from '../../data/index.js'
import {
  ARTIFACT_FILES,
  saveModelArtifact,
  trainTransfer,
  writeLearningCurvesPng,
  type LabelledImages,
} from '../../model/index.js'
import type { JsonValue, StepContext } from '../step-type.js'
import { toJson } from './step-inputs.js'
import { loopParams, type LoopStepParams } from './train-params.js'

/** The `architecture` value that selects transfer learning instead of an architecture from the registry. */
export const TRANSFER = 'transfer'

interface TransferStepParams extends LoopStepParams {
  architecture: string
  backbone: string
  featureNodes: string
  head: 'linear' | 'conv'
  views: number
  dropout: number
  augmentation: 'default' | 'strong' | 'none'
  seed: number
}

interface TransferRun {
  params: TransferStepParams
  backend: string
  spec: PreprocessSpec
  train: LabelledImages
  val: LabelledImages
}

/** The train step's transfer branch: frozen backbone features, trained head, one saved classifier. */
export async function runTransfer(
  ctx: StepContext<unknown>,
  run: TransferRun,
): Promise<Record<string, JsonValue>> {
  const p = run.params
  const featureNodes = p.featureNodes
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n.length > 0)
  const result = await trainTransfer({
    inputSize: run.spec.size,
    numClasses: BALL_LABELS.length,
    train: run.train,
    val: run.val,
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
    onEpoch: (m) => {
      // Head epochs take well under a second: report every tenth.
      if (m.epoch % 10 === 0 || m.epoch === p.epochs) {
        ctx.progress(
          `head epoch ${m.epoch}/${p.epochs} loss ${m.loss.toFixed(4)} acc ${m.acc.toFixed(4)} val_acc ${Number.isFinite(m.valAcc) ? m.valAcc.toFixed(4) : '-'}`,
        )
      }
    },
    params: {
      backbone: p.backbone,
      featureNodes,
      head: p.head,
      views: p.augmentation === 'none' ? 1 : p.views,
      dropout: p.dropout,
      ...loopParams(p),
    },
  })
  try {
    const modelDir = path.join(ctx.outDir, 'model')
    await saveModelArtifact(modelDir, { model: result.model, labels: BALL_LABELS, preprocess: run.spec })
    await writeLearningCurvesPng(path.join(modelDir, ARTIFACT_FILES.learningCurves), result.history, {
      bestEpoch: result.bestEpoch,
      title: `transfer (${p.backbone}): head learning curves`,
    })
    await writeFile(path.join(modelDir, 'history.json'), `${JSON.stringify(result.history, null, 2)}\n`)
    const headSeconds = result.seconds
    ctx.progress(
      `best head epoch ${result.bestEpoch} of ${result.history.length}; features ${result.featureSeconds.toFixed(1)} s on ${result.runtime}, head ${headSeconds.toFixed(1)} s`,
    )
    return {
      model: 'model',
      training: toJson({
        architecture: TRANSFER,
        backend: run.backend,
        params: { ...p, imageSize: run.spec.size, fit: run.spec.fit },
        backbone: {
          source: p.backbone,
          featureNodes,
          head: p.head,
          featureSize: result.featureSize,
          credit: result.credit ?? null,
        },
        featureRuntime: result.runtime,
        featureSeconds: result.featureSeconds,
        seconds: result.featureSeconds + headSeconds,
        secondsPerEpoch: headSeconds / Math.max(1, result.history.length),
        epochsRun: result.history.length,
        bestEpoch: result.bestEpoch,
        stoppedEarly: result.stoppedEarly,
        best: result.history.find((h) => h.epoch === result.bestEpoch) ?? null,
      }),
    }
  } finally {
    result.model.dispose()
  }
}

import { Type } from 'typebox'
import type { TrainParams } from '../../model/index.js'

/** The training loop's knobs, with the defaults of the step that declares them. */
export interface LoopDefaults {
  epochs: number
  batchSize: number
  learningRate: number
  weightDecay: number
  labelSmoothing: number
  lrSchedule: 'plateau' | 'cosine'
  warmupEpochs: number
  mixupAlpha: number
  earlyStoppingPatience: number
  reduceLrPatience: number
  reduceLrFactor: number
}

/**
 * TypeBox properties of the loop's params. Each training step passes its own defaults (a head on frozen
 * features and a CNN from scratch want different ones), so a step's schema is the one place its defaults live.
 */
export function loopParamProperties(d: LoopDefaults) {
  return {
    epochs: Type.Integer({ minimum: 1, default: d.epochs }),
    batchSize: Type.Integer({ minimum: 1, default: d.batchSize }),
    learningRate: Type.Number({ exclusiveMinimum: 0, default: d.learningRate }),
    /** Decoupled (AdamW): kernels shrink by lr x weightDecay per step; 0 is plain Adam. */
    weightDecay: Type.Number({ minimum: 0, default: d.weightDecay }),
    labelSmoothing: Type.Number({ minimum: 0, maximum: 1, default: d.labelSmoothing }),
    lrSchedule: Type.Union([Type.Literal('plateau'), Type.Literal('cosine')], { default: d.lrSchedule }),
    /** Cosine: epochs of linear warm-up before the decay. */
    warmupEpochs: Type.Number({ minimum: 0, default: d.warmupEpochs }),
    /** Mixup's Beta(alpha, alpha); 0 turns it off. */
    mixupAlpha: Type.Number({ minimum: 0, maximum: 10, default: d.mixupAlpha }),
    /** Epochs without a better validation accuracy before stopping; 0 disables early stopping. */
    earlyStoppingPatience: Type.Integer({ minimum: 0, default: d.earlyStoppingPatience }),
    reduceLrPatience: Type.Integer({ minimum: 1, default: d.reduceLrPatience }),
    reduceLrFactor: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: d.reduceLrFactor }),
  }
}

export function loopParams(p: LoopDefaults): Required<TrainParams> {
  return {
    epochs: p.epochs,
    batchSize: p.batchSize,
    learningRate: p.learningRate,
    weightDecay: p.weightDecay,
    labelSmoothing: p.labelSmoothing,
    lrSchedule: p.lrSchedule,
    warmupEpochs: p.warmupEpochs,
    mixupAlpha: p.mixupAlpha,
    earlyStoppingPatience: p.earlyStoppingPatience,
    reduceLrPatience: p.reduceLrPatience,
    reduceLrFactor: p.reduceLrFactor,
    minLearningRate: 1e-6,
  }
}

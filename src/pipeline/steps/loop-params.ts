import type { TrainParams } from '../../model/index.js'

/** The train step's params that drive the training loop, shared by its end-to-end and transfer branches. */
export interface LoopStepParams {
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

export function loopParams(p: LoopStepParams): TrainParams {
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
  }
}

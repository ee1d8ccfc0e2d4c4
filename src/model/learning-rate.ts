/** Learning-rate policies the training loop supports; `plateau` is what issue 2's baseline asks for. */
export type LearningRateSchedule = 'plateau' | 'cosine' | 'constant'

/**
 * Cosine decay from `base` to `min` over `totalSteps`, after a linear warm-up of `warmupSteps`
 * (warm-up keeps Adam's first noisy steps from wrecking BN statistics at high rates).
 */
export function cosineLearningRate(
  step: number,
  totalSteps: number,
  base: number,
  min: number,
  warmupSteps: number,
): number {
  if (warmupSteps > 0 && step < warmupSteps) return base * ((step + 1) / warmupSteps)
  const span = Math.max(1, totalSteps - warmupSteps)
  const t = Math.min(1, (step - warmupSteps) / span)
  return min + 0.5 * (base - min) * (1 + Math.cos(Math.PI * t))
}

/** Reduce-on-plateau: multiplies the rate by `factor` after `patience` epochs without improvement. */
export class PlateauScheduler {
  private best = Number.POSITIVE_INFINITY
  private waited = 0

  constructor(
    private readonly factor: number,
    private readonly patience: number,
    private readonly min: number,
    /** Improvements smaller than this do not count (noise in the validation loss). */
    private readonly minDelta = 1e-4,
  ) {}

  /** Given this epoch's monitored loss and the current rate, returns the rate for the next epoch. */
  next(monitored: number, lr: number): number {
    if (monitored < this.best - this.minDelta) {
      this.best = monitored
      this.waited = 0
      return lr
    }
    this.waited++
    if (this.waited < this.patience || lr <= this.min) return lr
    this.waited = 0
    return Math.max(this.min, lr * this.factor)
  }
}

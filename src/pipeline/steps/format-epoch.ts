import type { EpochMetrics } from '../../model/index.js'

/** One progress line per epoch, the same for every training step. */
export function formatEpoch(m: EpochMetrics, epochs: number): string {
  const f = (v: number, digits = 4) => (Number.isFinite(v) ? v.toFixed(digits) : '-')
  return `epoch ${m.epoch}/${epochs} loss ${f(m.loss)} acc ${f(m.acc)} val_loss ${f(m.valLoss)} val_acc ${f(m.valAcc)} lr ${m.lr.toExponential(1)} ${m.seconds.toFixed(1)} s`
}

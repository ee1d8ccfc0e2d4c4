import type { RandomSource } from '../data/index.js'

/** Standard normal by Box-Muller (one of the pair; simplicity over speed, it runs once per batch). */
function sampleNormal(random: RandomSource): number {
  const u = 1 - random()
  const v = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shapes below 1 use the U^(1/shape) boost. */
export function sampleGamma(shape: number, random: RandomSource): number {
  if (shape < 1) return sampleGamma(shape + 1, random) * (1 - random()) ** (1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    const x = sampleNormal(random)
    const v = (1 + c * x) ** 3
    if (v <= 0) continue
    const u = 1 - random()
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v
  }
}

/** Beta(alpha, alpha): the mixing weight of mixup (Zhang et al. 2018). */
export function sampleSymmetricBeta(alpha: number, random: RandomSource): number {
  const a = sampleGamma(alpha, random)
  const b = sampleGamma(alpha, random)
  return a + b > 0 ? a / (a + b) : 0.5
}

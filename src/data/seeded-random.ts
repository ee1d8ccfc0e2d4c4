/** A deterministic source of uniform numbers in [0, 1). */
export type RandomSource = () => number

/**
 * mulberry32: a tiny 32-bit PRNG. Not cryptographic; chosen because it is fast, has a full 2^32 period
 * and gives the same sequence on every platform, which is what reproducible splits and augmentation need.
 */
export function createSeededRandom(seed: number): RandomSource {
  let state = hashSeed(seed)
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Uniform float in [min, max). */
export function randomBetween(random: RandomSource, min: number, max: number): number {
  return min + (max - min) * random()
}

/** Uniform integer in [0, n). */
export function randomInt(random: RandomSource, n: number): number {
  return Math.floor(random() * n)
}

/** Fisher-Yates shuffle of a copy; the input is left untouched. */
export function shuffled<T>(items: readonly T[], random: RandomSource): T[] {
  const out = items.slice()
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1)
    const tmp = out[i] as T
    out[i] = out[j] as T
    out[j] = tmp
  }
  return out
}

/** Derives an independent seed from a base seed and a label (e.g. one stream per class or per worker). */
export function deriveSeed(seed: number, label: string | number): number {
  let h = hashSeed(seed) ^ 0x9e3779b9
  const text = String(label)
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  }
  return hashSeed(h)
}

// Spreads nearby seeds (0, 1, 2...) into unrelated states; plain mulberry32 starts correlate for them.
function hashSeed(seed: number): number {
  let h = Math.trunc(seed) | 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

import { CHANNELS } from './preprocess.js'
import { InvalidAugmentParamsError } from './errors.js'
import { createSeededRandom, type RandomSource } from './seeded-random.js'

/**
 * On-the-fly augmentation of one preprocessed image (Float32Array, HWC RGB in [0, 1], size x size).
 * Pure TypeScript so it runs in worker threads without TF.js.
 */
export interface AugmentParams {
  /** Maximum rotation either way, in degrees. */
  rotationDeg: number
  /**
   * Random-resized-crop: the crop covers a fraction of the image area drawn from [min, max] (1 = whole image,
   * below 1 zooms in), then is resized back to the full size.
   */
  scale: [number, number]
  /** Crop width / height drawn log-uniformly from [min, max]; [1, 1] keeps crops square. */
  aspectRatio: [number, number]
  /** Maximum translation either way, as a fraction of the image side. */
  shift: number
  /** Probability of a left-right mirror. */
  flipProbability: number
  /** Maximum additive brightness change either way, in [0, 1] pixel units. */
  brightness: number
  /** Maximum relative contrast change either way (0.2: factor in [0.8, 1.2]), around the image mean. */
  contrast: number
  /** Probability of blanking one square patch with the image mean (cutout). */
  cutoutProbability: number
  /** Side of the cutout patch, as a fraction of the image side. */
  cutoutSize: number
  /** How pixels outside the source are filled: mirrored (`reflect`) or the nearest edge pixel (`edge`). */
  fill: 'reflect' | 'edge'
}

/** Moderate settings for photos of balls: the object stays in view, colours stay plausible. */
export const DEFAULT_AUGMENT: Readonly<AugmentParams> = Object.freeze({
  rotationDeg: 15,
  scale: [0.7, 1] as [number, number],
  aspectRatio: [0.85, 1 / 0.85] as [number, number],
  shift: 0.1,
  flipProbability: 0.5,
  brightness: 0.1,
  contrast: 0.15,
  cutoutProbability: 0,
  cutoutSize: 0.25,
  fill: 'reflect' as const,
})

/**
 * Views for a frozen backbone: each is computed once and reused, so they should differ more than the
 * default's (crops down to half the area, rotation up to 20 degrees).
 */
export const FROZEN_BACKBONE_AUGMENT: Readonly<AugmentParams> = Object.freeze({
  ...DEFAULT_AUGMENT,
  rotationDeg: 20,
  scale: [0.5, 1] as [number, number],
})

/**
 * The from-scratch recipe: random-resized crops down to a third of the area, wider rotation and colour changes,
 * and cutout on half the images. A network that learns from 1.5k photos without pretrained features needs them.
 */
export const STRONG_AUGMENT: Readonly<AugmentParams> = Object.freeze({
  ...DEFAULT_AUGMENT,
  rotationDeg: 25,
  scale: [0.35, 1] as [number, number],
  aspectRatio: [0.75, 1 / 0.75] as [number, number],
  brightness: 0.2,
  contrast: 0.3,
  cutoutProbability: 0.5,
  cutoutSize: 0.3,
})

/** Parameters that change nothing: the augmenter returns a copy of its input. */
export const NO_AUGMENT: Readonly<AugmentParams> = Object.freeze({
  rotationDeg: 0,
  scale: [1, 1] as [number, number],
  aspectRatio: [1, 1] as [number, number],
  shift: 0,
  flipProbability: 0,
  brightness: 0,
  contrast: 0,
  cutoutProbability: 0,
  cutoutSize: 0,
  fill: 'reflect' as const,
})

export type Augmenter = (image: Float32Array, size: number) => Float32Array

/**
 * Returns a function that augments one image per call, drawing from its own PRNG seeded with `seed`: the same
 * seed and the same sequence of calls give the same images. Each call draws a fixed count of random numbers,
 * so switching one transform off does not change the others' draws. Give each worker its own seed
 * (`deriveSeed(seed, workerIndex)`).
 */
export function createAugmenter(params: Partial<AugmentParams>, seed: number): Augmenter {
  const p: AugmentParams = { ...DEFAULT_AUGMENT, ...params }
  checkParams(p)
  const random = createSeededRandom(seed)
  return (image, size) => {
    if (image.length !== size * size * CHANNELS) {
      throw new InvalidAugmentParamsError(
        `image has ${image.length} values, expected ${size}x${size}x${CHANNELS}`,
      )
    }
    const draw = drawTransform(p, random)
    const out = resample(image, size, draw, p.fill)
    adjustColour(out, draw.brightness, draw.contrast)
    if (draw.cutout) applyCutout(out, size, p.cutoutSize, draw.cutoutX, draw.cutoutY)
    return out
  }
}

interface Draw {
  flip: boolean
  angleRad: number
  /** Crop side over image side, horizontally and vertically. */
  cropW: number
  cropH: number
  /** Centre offset of the sampled window, in pixels. */
  offsetX: number
  offsetY: number
  brightness: number
  contrast: number
  cutout: boolean
  cutoutX: number
  cutoutY: number
}

function drawTransform(p: AugmentParams, random: RandomSource): Draw {
  const r = Array.from({ length: 13 }, () => random())
  const at = (i: number) => r[i] as number
  const area = p.scale[0] + (p.scale[1] - p.scale[0]) * at(2)
  const logRatio =
    Math.log(p.aspectRatio[0]) + (Math.log(p.aspectRatio[1]) - Math.log(p.aspectRatio[0])) * at(3)
  const ratio = Math.exp(logRatio)
  const cropW = Math.min(1, Math.sqrt(area * ratio))
  const cropH = Math.min(1, Math.sqrt(area / ratio))
  return {
    flip: at(0) < p.flipProbability,
    angleRad: (((at(1) * 2 - 1) * p.rotationDeg) / 180) * Math.PI,
    cropW,
    cropH,
    // A crop smaller than the image may sit anywhere inside it; shift then moves the whole view.
    offsetX: (at(4) - 0.5) * (1 - cropW) + (at(6) * 2 - 1) * p.shift,
    offsetY: (at(5) - 0.5) * (1 - cropH) + (at(7) * 2 - 1) * p.shift,
    brightness: (at(8) * 2 - 1) * p.brightness,
    contrast: 1 + (at(9) * 2 - 1) * p.contrast,
    cutout: at(10) < p.cutoutProbability,
    cutoutX: at(11),
    cutoutY: at(12),
  }
}

/** Bilinear inverse mapping: for each output pixel, where in the source it comes from. */
function resample(image: Float32Array, size: number, d: Draw, fill: AugmentParams['fill']): Float32Array {
  const out = new Float32Array(image.length)
  const half = size / 2
  const cos = Math.cos(d.angleRad)
  const sin = Math.sin(d.angleRad)
  const offX = d.offsetX * size
  const offY = d.offsetY * size
  const wrap = fill === 'reflect' ? reflectIndex : clampIndex
  for (let y = 0; y < size; y++) {
    const v = (y + 0.5 - half) * d.cropH
    for (let x = 0; x < size; x++) {
      const u = (d.flip ? half - x - 0.5 : x + 0.5 - half) * d.cropW
      const sx = cos * u - sin * v + half + offX - 0.5
      const sy = sin * u + cos * v + half + offY - 0.5
      const x0 = Math.floor(sx)
      const y0 = Math.floor(sy)
      const fx = sx - x0
      const fy = sy - y0
      const xa = wrap(x0, size)
      const xb = wrap(x0 + 1, size)
      const ya = wrap(y0, size)
      const yb = wrap(y0 + 1, size)
      const o = (y * size + x) * CHANNELS
      const i00 = (ya * size + xa) * CHANNELS
      const i01 = (ya * size + xb) * CHANNELS
      const i10 = (yb * size + xa) * CHANNELS
      const i11 = (yb * size + xb) * CHANNELS
      for (let c = 0; c < CHANNELS; c++) {
        const top = (image[i00 + c] as number) * (1 - fx) + (image[i01 + c] as number) * fx
        const bottom = (image[i10 + c] as number) * (1 - fx) + (image[i11 + c] as number) * fx
        out[o + c] = top * (1 - fy) + bottom * fy
      }
    }
  }
  return out
}

/** Mirror about the edge pixels (d c b | a b c d | c b a), so no seam of repeated pixels appears. */
function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0
  const period = 2 * (n - 1)
  const m = ((i % period) + period) % period
  return m < n ? m : period - m
}

function clampIndex(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i
}

function adjustColour(image: Float32Array, brightness: number, contrast: number): void {
  if (brightness === 0 && contrast === 1) return
  let sum = 0
  for (let i = 0; i < image.length; i++) sum += image[i] as number
  const mean = sum / image.length
  for (let i = 0; i < image.length; i++) {
    const value = ((image[i] as number) - mean) * contrast + mean + brightness
    image[i] = value < 0 ? 0 : value > 1 ? 1 : value
  }
}

function applyCutout(image: Float32Array, size: number, fraction: number, rx: number, ry: number): void {
  const side = Math.max(1, Math.round(size * fraction))
  const x0 = Math.floor(rx * (size - side + 1))
  const y0 = Math.floor(ry * (size - side + 1))
  let sum = 0
  for (let i = 0; i < image.length; i++) sum += image[i] as number
  const mean = sum / image.length
  for (let y = y0; y < Math.min(size, y0 + side); y++) {
    image.fill(mean, (y * size + x0) * CHANNELS, (y * size + Math.min(size, x0 + side)) * CHANNELS)
  }
}

function checkParams(p: AugmentParams): void {
  const problems: string[] = []
  const range = (name: string, [lo, hi]: [number, number], min: number, max: number) => {
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && min <= lo && lo <= hi && hi <= max)) {
      problems.push(`${name} must be [min, max] within [${min}, ${max}], got [${lo}, ${hi}]`)
    }
  }
  const within = (name: string, value: number, min: number, max: number) => {
    if (!(Number.isFinite(value) && value >= min && value <= max)) {
      problems.push(`${name} must be in [${min}, ${max}], got ${value}`)
    }
  }
  within('rotationDeg', p.rotationDeg, 0, 180)
  range('scale', p.scale, Number.MIN_VALUE, 1)
  range('aspectRatio', p.aspectRatio, Number.MIN_VALUE, Number.MAX_VALUE)
  within('shift', p.shift, 0, 1)
  within('flipProbability', p.flipProbability, 0, 1)
  within('brightness', p.brightness, 0, 1)
  within('contrast', p.contrast, 0, 1)
  within('cutoutProbability', p.cutoutProbability, 0, 1)
  within('cutoutSize', p.cutoutSize, 0, 1)
  if (p.fill !== 'reflect' && p.fill !== 'edge') problems.push(`fill must be "reflect" or "edge"`)
  if (problems.length > 0) throw new InvalidAugmentParamsError(problems.join('; '))
}

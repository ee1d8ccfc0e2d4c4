import { describe, expect, test } from '../fixtures.js'
import {
  createAugmenter,
  createSeededRandom,
  DEFAULT_AUGMENT,
  InvalidAugmentParamsError,
  NO_AUGMENT,
  STRONG_AUGMENT,
} from '../../src/data/index.js'

const size = 16

/** A random but fixed image: HWC RGB in [0, 1]. */
function noiseImage(seed: number): Float32Array {
  const random = createSeededRandom(seed)
  return Float32Array.from({ length: size * size * 3 }, () => random())
}

/** Left half black, right half white. */
function halfImage(): Float32Array {
  const img = new Float32Array(size * size * 3)
  for (let y = 0; y < size; y++)
    for (let x = size / 2; x < size; x++) img.fill(1, (y * size + x) * 3, (y * size + x) * 3 + 3)
  return img
}

const at = (img: Float32Array, x: number, y: number, c = 0) => img[(y * size + x) * 3 + c] ?? Number.NaN

describe('createAugmenter', () => {
  test('changes nothing with zero parameters', () => {
    const image = noiseImage(1)
    const out = createAugmenter(NO_AUGMENT, 5)(image, size)
    expect(out).toEqual(image)
    expect(out).not.toBe(image)
  })

  test('mirrors left-right, and mirroring twice gives the image back exactly', () => {
    const flip = createAugmenter({ ...NO_AUGMENT, flipProbability: 1 }, 1)
    const image = halfImage()
    const once = flip(image, size)
    expect(at(once, 0, 3)).toBe(1)
    expect(at(once, size - 1, 3)).toBe(0)
    const noise = noiseImage(2)
    expect(flip(flip(noise, size), size)).toEqual(noise)
  })

  test('is reproducible for a seed and differs across seeds', () => {
    const image = noiseImage(3)
    const run = (seed: number) => {
      const augment = createAugmenter(DEFAULT_AUGMENT, seed)
      return [augment(image, size), augment(image, size)]
    }
    const [a1, a2] = run(7)
    const [b1, b2] = run(7)
    expect(a1).toEqual(b1)
    expect(a2).toEqual(b2)
    expect(a1).not.toEqual(a2)
    expect(run(8)[0]).not.toEqual(a1)
  })

  test('keeps every value in [0, 1] under strong settings', () => {
    const augment = createAugmenter(
      {
        rotationDeg: 45,
        scale: [0.3, 1],
        aspectRatio: [0.5, 2],
        shift: 0.3,
        flipProbability: 0.5,
        brightness: 0.5,
        contrast: 0.8,
        cutoutProbability: 1,
        cutoutSize: 0.4,
        fill: 'edge',
      },
      11,
    )
    for (let i = 0; i < 20; i++) {
      const out = augment(noiseImage(i), size)
      expect(out).toHaveLength(size * size * 3)
      expect(out.every((v) => v >= 0 && v <= 1)).toBe(true)
    }
  })

  test('rotates about the centre: a radially symmetric image stays put, a ramp does not', () => {
    const radial = new Float32Array(size * size * 3)
    const ramp = new Float32Array(size * size * 3)
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const r = Math.hypot(x + 0.5 - size / 2, y + 0.5 - size / 2)
        radial.fill(0.5 + 0.5 * Math.cos((r * Math.PI) / size), (y * size + x) * 3, (y * size + x) * 3 + 3)
        ramp.fill(x / size, (y * size + x) * 3, (y * size + x) * 3 + 3)
      }
    }
    const rotate = createAugmenter({ ...NO_AUGMENT, rotationDeg: 40 }, 3)
    const inner = (img: Float32Array, ref: Float32Array) => {
      let worst = 0
      for (let y = 4; y < size - 4; y++)
        for (let x = 4; x < size - 4; x++) worst = Math.max(worst, Math.abs(at(img, x, y) - at(ref, x, y)))
      return worst
    }
    for (let i = 0; i < 5; i++) expect(inner(rotate(radial, size), radial)).toBeLessThan(0.03)
    const moved = Array.from({ length: 5 }, () => inner(rotate(ramp, size), ramp))
    expect(Math.max(...moved)).toBeGreaterThan(0.05)
  })

  test('brightens by adding a constant within the bound', () => {
    const image = new Float32Array(size * size * 3).fill(0.5)
    const augment = createAugmenter({ ...NO_AUGMENT, brightness: 0.2 }, 4)
    for (let i = 0; i < 10; i++) {
      const out = augment(image, size)
      const delta = (out[0] ?? 0) - 0.5
      expect(Math.abs(delta)).toBeLessThanOrEqual(0.2 + 1e-6)
      expect(out.every((v) => Math.abs(v - (out[0] ?? 0)) < 1e-6)).toBe(true)
    }
  })

  test('zooming to a quarter of the area halves the slope of a horizontal ramp', () => {
    // value = x / size: bilinear sampling reproduces a ramp exactly, so the zoom factor shows in the slope.
    const ramp = new Float32Array(size * size * 3)
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) ramp.fill(x / size, (y * size + x) * 3, (y * size + x) * 3 + 3)
    const zoom = createAugmenter({ ...NO_AUGMENT, scale: [0.25, 0.25] }, 1)
    for (let i = 0; i < 5; i++) {
      const out = zoom(ramp, size)
      for (let y = 0; y < size; y++) {
        // The outermost columns may sample past the last pixel centre (reflected), so check the inside.
        for (let x = 1; x + 2 < size; x++)
          expect(at(out, x + 1, y) - at(out, x, y)).toBeCloseTo(0.5 / size, 5)
      }
    }
  })

  test('the strong preset blanks a patch on about half the images; the default never does', () => {
    // Cutout fills a square with one value; resampled noise almost never repeats a value 16 times.
    const hasPatch = (img: Float32Array) => {
      const counts = new Map<number, number>()
      for (let i = 0; i < img.length; i += 3) counts.set(img[i] ?? 0, (counts.get(img[i] ?? 0) ?? 0) + 1)
      return Math.max(...counts.values()) >= 16
    }
    const patched = (params: typeof DEFAULT_AUGMENT) => {
      const augment = createAugmenter(params, 21)
      return Array.from({ length: 40 }, (_, i) => hasPatch(augment(noiseImage(100 + i), size))).filter(
        Boolean,
      ).length
    }
    const strong = patched(STRONG_AUGMENT)
    expect(strong).toBeGreaterThanOrEqual(10)
    expect(strong).toBeLessThanOrEqual(30)
    expect(patched(DEFAULT_AUGMENT)).toBe(0)
  })

  test('refuses out-of-range parameters and a wrongly sized image', () => {
    expect(() => createAugmenter({ scale: [0.5, 1.5] }, 1)).toThrow(InvalidAugmentParamsError)
    expect(() => createAugmenter({ flipProbability: 2 }, 1)).toThrow(InvalidAugmentParamsError)
    expect(() => createAugmenter(NO_AUGMENT, 1)(new Float32Array(10), size)).toThrow(
      InvalidAugmentParamsError,
    )
  })
})

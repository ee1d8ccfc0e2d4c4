import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, test } from '../fixtures.js'
import {
  decodeImageInfo,
  ImageDecodeError,
  ImageTooLargeError,
  preprocessImage,
  UnsupportedImageFormatError,
  type PreprocessSpec,
} from '../../src/data/index.js'
import { makeImage, writeTree } from './images.js'

const spec: PreprocessSpec = { size: 8, fit: 'stretch' }

/** Mean of each channel over all pixels of an HWC RGB tensor. */
function channelMeans(pixels: Float32Array): [number, number, number] {
  const sums = [0, 0, 0]
  pixels.forEach((value, i) => {
    sums[i % 3] = (sums[i % 3] ?? 0) + value
  })
  const n = pixels.length / 3
  const [r = 0, g = 0, b = 0] = sums
  return [r / n, g / n, b / n]
}

describe('preprocessImage', () => {
  test('returns size x size x 3 values in [0, 1] for a JPEG', async () => {
    const out = await preprocessImage(await makeImage('jpeg', { colour: '#ff8000' }), spec)
    expect(out).toHaveLength(8 * 8 * 3)
    expect(Math.min(...out)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...out)).toBeLessThanOrEqual(1)
    const [r, g, b] = channelMeans(out)
    expect(r).toBeGreaterThan(0.9)
    expect(g).toBeGreaterThan(0.4)
    expect(g).toBeLessThan(0.6)
    expect(b).toBeLessThan(0.1)
  })

  test('turns a greyscale PNG into three equal channels', async () => {
    const grey = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#808080' } })
      .toColourspace('b-w')
      .png()
      .toBuffer()
    expect((await sharp(grey).metadata()).channels).toBe(1)
    const out = await preprocessImage(grey, spec)
    for (let i = 0; i < out.length; i += 3) {
      expect(out[i]).toBeCloseTo(128 / 255, 2)
      expect(out[i + 1]).toBe(out[i])
      expect(out[i + 2]).toBe(out[i])
    }
  })

  test('flattens a transparent RGBA PNG onto white', async () => {
    const rgba = await sharp({
      create: { width: 10, height: 10, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer()
    const out = await preprocessImage(rgba, spec)
    expect(Math.min(...out)).toBeGreaterThan(0.99)
  })

  test('converts a CMYK JPEG to RGB', async () => {
    // Red is C0 M100 Y100 K0: read naively as RGB it would come out cyan.
    const cmyk = await sharp({ create: { width: 12, height: 12, channels: 3, background: '#ff0000' } })
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer()
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk')
    const [r, g, b] = channelMeans(await preprocessImage(cmyk, spec))
    expect(r).toBeGreaterThan(0.8)
    expect(g).toBeLessThan(0.1)
    expect(b).toBeLessThan(0.1)
  })

  test('honours EXIF orientation (a 6 = rotated 90° clockwise)', async () => {
    // Left half red, right half blue, stored as is with orientation 6: shown upright, red is on top.
    const raw = Buffer.alloc(20 * 10 * 3)
    for (let y = 0; y < 10; y++) {
      for (let x = 0; x < 20; x++) raw.set(x < 10 ? [255, 0, 0] : [0, 0, 255], (y * 20 + x) * 3)
    }
    const jpeg = await sharp(raw, { raw: { width: 20, height: 10, channels: 3 } })
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer()
    const info = await decodeImageInfo(jpeg)
    expect([info.width, info.height]).toEqual([10, 20])
    const out = await preprocessImage(jpeg, { size: 4, fit: 'stretch' })
    const pixel = (x: number, y: number) => Array.from(out.subarray((y * 4 + x) * 3, (y * 4 + x) * 3 + 3))
    expect(pixel(1, 0)[0]).toBeGreaterThan(0.8)
    expect(pixel(1, 0)[2]).toBeLessThan(0.2)
    expect(pixel(1, 3)[2]).toBeGreaterThan(0.8)
    expect(pixel(1, 3)[0]).toBeLessThan(0.2)
  })

  test('uses only the first frame of an animated GIF', async () => {
    const frame = (colour: string) =>
      sharp({ create: { width: 10, height: 8, channels: 3, background: colour } })
        .png()
        .toBuffer()
    const gif = await sharp([await frame('#ff0000'), await frame('#0000ff')], { join: { animated: true } })
      .gif()
      .toBuffer()
    expect(await decodeImageInfo(gif)).toEqual({ format: 'gif', width: 10, height: 8, pages: 2 })
    const [r, g, b] = channelMeans(await preprocessImage(gif, spec))
    expect(r).toBeGreaterThan(0.9)
    expect(g + b).toBeLessThan(0.1)
  })

  test('scales a 16-bit PNG to [0, 1] like an 8-bit one', async () => {
    const base = sharp({ create: { width: 10, height: 8, channels: 3, background: '#806040' } })
    const png16 = await base.clone().toColourspace('rgb16').png().toBuffer()
    expect((await sharp(png16).metadata()).depth).toBe('ushort')
    const png8 = await base.clone().png().toBuffer()
    const a = await preprocessImage(png16, spec)
    const b = await preprocessImage(png8, spec)
    for (let i = 0; i < a.length; i++) expect(Math.abs((a[i] ?? 0) - (b[i] ?? 0))).toBeLessThan(1.5 / 255)
  })

  test('reads a file path the same as its bytes', async ({ tmpDir }) => {
    const png = await makeImage('png', { colour: '#22aa44' })
    await writeTree(tmpDir, { 'a.png': png })
    expect(await preprocessImage(path.join(tmpDir, 'a.png'), spec)).toEqual(await preprocessImage(png, spec))
  })

  test('rejects a truncated JPEG, zero bytes and text with ImageDecodeError', async () => {
    const jpeg = await makeImage('jpeg', { width: 200, height: 150 })
    await expect(preprocessImage(jpeg.subarray(0, jpeg.length >> 1), spec)).rejects.toBeInstanceOf(
      ImageDecodeError,
    )
    await expect(preprocessImage(Buffer.alloc(0), spec)).rejects.toMatchObject({
      code: 'SPS_DATA_IMAGE_UNDECODABLE',
      message: expect.stringContaining('empty'),
    })
    await expect(preprocessImage(Buffer.from('hello, not an image'), spec)).rejects.toBeInstanceOf(
      ImageDecodeError,
    )
  })

  test('names an empty file as empty, by path too', async ({ tmpDir }) => {
    await writeTree(tmpDir, { 'empty.jpg': Buffer.alloc(0) })
    await expect(preprocessImage(path.join(tmpDir, 'empty.jpg'), spec)).rejects.toThrow(
      'not a decodable image: empty file',
    )
  })

  test('reports the real pixel count of an image over the limit', async () => {
    const png = await makeImage('png', { width: 300, height: 200 })
    const err = await preprocessImage(png, spec, { maxPixels: 1000 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ImageTooLargeError)
    expect(err).toMatchObject({ pixels: 60_000, maxPixels: 1000, code: 'SPS_DATA_IMAGE_TOO_LARGE' })
  })

  test('refuses vector formats such as SVG', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
    )
    await expect(preprocessImage(svg, spec)).rejects.toBeInstanceOf(UnsupportedImageFormatError)
  })
})

describe('decodeImageInfo', () => {
  test.each(['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif'] as const)(
    'reads format and size of %s',
    async (format) => {
      const info = await decodeImageInfo(await makeImage(format, { width: 30, height: 20 }))
      expect(info).toEqual({ format, width: 30, height: 20, pages: 1 })
    },
  )
})

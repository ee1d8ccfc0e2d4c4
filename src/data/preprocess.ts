import sharp from 'sharp'
import { ImageDecodeError, ImageTooLargeError } from './errors.js'

/** How a model wants its pixels; stored with every model so serving repeats exactly what training did. */
export interface PreprocessSpec {
  /** Square input side, in pixels. */
  size: number
  /** `stretch` ignores aspect ratio (the seed model's way); `cover` crops the centre to a square first. */
  fit: 'stretch' | 'cover'
}

export interface PreprocessOptions {
  /** Refuse images whose decoded pixel count exceeds this (decompression bombs). */
  maxPixels?: number
}

/** Channels per pixel in every tensor SportScan makes: RGB, height x width x 3, values in [0, 1]. */
export const CHANNELS = 3

/**
 * The one preprocessing path, shared by training, evaluation and serving: decode (first frame only),
 * honour EXIF orientation, flatten alpha onto white, convert any colour space to sRGB, resize, scale to [0, 1].
 */
export async function preprocessImage(
  input: Buffer | string,
  spec: PreprocessSpec,
  options: PreprocessOptions = {},
): Promise<Float32Array> {
  const maxPixels = options.maxPixels ?? 100_000_000
  let data: Buffer
  try {
    const image = sharp(input, { limitInputPixels: maxPixels, failOn: 'error', pages: 1 })
    const { data: raw, info } = await image
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .resize(spec.size, spec.size, { fit: spec.fit === 'cover' ? 'cover' : 'fill', kernel: 'lanczos3' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== CHANNELS || raw.length !== spec.size * spec.size * CHANNELS) {
      throw new ImageDecodeError(`unexpected decoded layout (${info.channels} channels)`)
    }
    data = raw
  } catch (err) {
    throw toDataError(err, maxPixels)
  }
  const out = new Float32Array(data.length)
  for (let i = 0; i < data.length; i++) out[i] = data[i]! / 255
  return out
}

function toDataError(err: unknown, maxPixels: number): Error {
  if (err instanceof ImageDecodeError) return err
  const message = err instanceof Error ? err.message : String(err)
  const match = /exceeds pixel limit/i.test(message)
  if (match) return new ImageTooLargeError(Number.NaN, maxPixels)
  return new ImageDecodeError(message.replace(/^Input (buffer|file) /, ''), err)
}

import { stat } from 'node:fs/promises'
import sharp, { type Sharp } from 'sharp'
import type { InputScaling } from './input-scaling.js'
import { ImageDecodeError } from './errors.js'
import { checkImageInfo, DEFAULT_MAX_PIXELS, decodeOptions, toImageError } from './image-info.js'

/** How a model wants its pixels; stored with every model so serving repeats exactly what training did. */
export interface PreprocessSpec {
  /** Square input side, in pixels. */
  size: number
  /** `stretch` ignores aspect ratio (the seed model's way); `cover` crops the centre to a square first. */
  fit: 'stretch' | 'cover'
  /**
   * The backbone's own input range. Pixels stay [0, 1] RGB: the model applies this mapping as its first layer,
   * and the record tells other serving stacks what the network inside expects.
   */
  inputScaling?: InputScaling
}

export interface PreprocessOptions {
  /** Refuse images whose decoded pixel count exceeds this (decompression bombs). */
  maxPixels?: number
}

/** Channels per pixel in every tensor SportScan makes: RGB, height x width x 3, values in [0, 1]. */
export const CHANNELS = 3

/**
 * The one preprocessing path, shared by training, evaluation and serving: decode (first frame only),
 * honour EXIF orientation, flatten alpha onto white, convert any colour space (greyscale, CMYK) to sRGB,
 * resize, scale to [0, 1]. Returns `size * size * 3` floats, row-major HWC.
 * Throws ImageDecodeError, ImageTooLargeError (with the real pixel count) or UnsupportedImageFormatError.
 */
export async function preprocessImage(
  input: Buffer | string,
  spec: PreprocessSpec,
  options: PreprocessOptions = {},
): Promise<Float32Array> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS
  if (typeof input !== 'string' && input.length === 0) throw new ImageDecodeError('empty file')
  // One sharp instance reads the header, then decodes: bombs and odd formats are refused from the header
  // (with the real pixel count, hence no limit on the instance) before any pixel is decoded.
  const image = sharp(input, { ...decodeOptions(maxPixels), limitInputPixels: false })
  try {
    checkImageInfo(await image.metadata(), maxPixels)
  } catch (err) {
    // sharp calls an empty file an unsupported format; say what it is (only on this failure path).
    if (typeof input === 'string' && (await stat(input).catch(() => undefined))?.size === 0) {
      throw new ImageDecodeError('empty file', err)
    }
    throw toImageError(err, maxPixels)
  }
  const data = await decodeRgb(image, spec, maxPixels)
  const out = new Float32Array(data.length)
  for (let i = 0; i < data.length; i++) out[i] = (data[i] ?? 0) / 255
  return out
}

/**
 * Decodes every pixel of the first page through the same pipeline as `preprocessImage`, at a tiny size,
 * so an import rejects exactly the files training would fail on (truncated JPEGs pass a header read).
 */
export async function verifyImageDecodes(
  input: Buffer | string,
  options: PreprocessOptions = {},
): Promise<void> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS
  await decodeRgb(sharp(input, decodeOptions(maxPixels)), { size: 8, fit: 'stretch' }, maxPixels)
}

async function decodeRgb(image: Sharp, spec: PreprocessSpec, maxPixels: number): Promise<Buffer> {
  try {
    const { data, info } = await image
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .resize(spec.size, spec.size, { fit: spec.fit === 'cover' ? 'cover' : 'fill', kernel: 'lanczos3' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== CHANNELS || data.length !== spec.size * spec.size * CHANNELS) {
      throw new ImageDecodeError(`unexpected decoded layout (${info.channels} channels)`)
    }
    return data
  } catch (err) {
    throw toImageError(err, maxPixels)
  }
}

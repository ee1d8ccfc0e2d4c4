import sharp from 'sharp'
import type { InputScaling } from './input-scaling.js'
import { ImageDecodeError } from './errors.js'
import { DEFAULT_MAX_PIXELS, decodeImageInfo, decodeOptions, toImageError } from './image-info.js'

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
  // Header first: rejects bombs and odd formats before any pixel is decoded, and knows the real size.
  await decodeImageInfo(input, { maxPixels })
  const data = await decodeRgb(input, spec, maxPixels)
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
  await decodeRgb(input, { size: 8, fit: 'stretch' }, options.maxPixels ?? DEFAULT_MAX_PIXELS)
}

async function decodeRgb(input: Buffer | string, spec: PreprocessSpec, maxPixels: number): Promise<Buffer> {
  try {
    const { data, info } = await sharp(input, decodeOptions(maxPixels))
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

import { stat } from 'node:fs/promises'
import sharp, { type Metadata, type SharpOptions } from 'sharp'
import { ImageDecodeError, ImageTooLargeError, UnsupportedImageFormatError } from './errors.js'

/** Formats SportScan accepts, as sharp names them (AVIF reports as `heif`); vector and document formats are not photos. */
export const ACCEPTED_IMAGE_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif'] as const

/** Decoded pixel limit when the caller gives none (decompression bombs). */
export const DEFAULT_MAX_PIXELS = 100_000_000

export interface ImageInfo {
  /** `jpeg`, `png`, `webp`, `gif`, `tiff`, `avif` or `heif`. */
  format: string
  /** Pixels after EXIF orientation, of the first page. */
  width: number
  height: number
  /** Frames or pages in the file (1 for still images); only the first is ever used. */
  pages: number
}

export interface DecodeImageInfoOptions {
  maxPixels?: number
}

/**
 * Reads format and size from the header only (cheap: no pixel decoding), and checks the format is accepted
 * and the first page fits under `maxPixels`. A truncated file can pass this; `preprocessImage` or
 * `verifyImageDecodes` decode the pixels.
 */
export async function decodeImageInfo(
  input: Buffer | string,
  options: DecodeImageInfoOptions = {},
): Promise<ImageInfo> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS
  if (typeof input !== 'string' && input.length === 0) throw new ImageDecodeError('empty file')
  let metadata: Metadata
  try {
    // No pixel limit here: the header is read only to learn the real size and report it.
    metadata = await sharp(input, { limitInputPixels: false, pages: 1 }).metadata()
  } catch (err) {
    // sharp calls an empty file an unsupported format; say what it is (only on this failure path).
    if (typeof input === 'string' && (await stat(input).catch(() => undefined))?.size === 0) {
      throw new ImageDecodeError('empty file', err)
    }
    throw toImageError(err, maxPixels)
  }
  return checkImageInfo(metadata, maxPixels)
}

/**
 * What decodeImageInfo checks, on a header already read (preprocessImage reads it from the same sharp instance
 * that then decodes the pixels, so an upload is parsed once).
 */
export function checkImageInfo(metadata: Metadata, maxPixels: number): ImageInfo {
  const format = metadata.format
  if (!format || !(ACCEPTED_IMAGE_FORMATS as readonly string[]).includes(format)) {
    throw new UnsupportedImageFormatError(format ?? 'unknown')
  }
  const width = metadata.autoOrient?.width ?? metadata.width
  const height = metadata.pageHeight ?? metadata.autoOrient?.height ?? metadata.height
  if (!width || !height) throw new ImageDecodeError('image has no width or height')
  const pixels = (metadata.width ?? width) * (metadata.pageHeight ?? metadata.height ?? height)
  if (pixels > maxPixels) throw new ImageTooLargeError(pixels, maxPixels)
  return {
    format: format === 'heif' && metadata.compression === 'av1' ? 'avif' : format,
    width,
    height,
    pages: metadata.pages ?? 1,
  }
}

/** Options every sharp decode in SportScan uses, so import-time checks and preprocessing agree. */
export function decodeOptions(maxPixels: number): SharpOptions {
  return { limitInputPixels: maxPixels, failOn: 'error', pages: 1 }
}

/** Turns a sharp failure into a typed data error with a short reason. */
export function toImageError(err: unknown, maxPixels: number): Error {
  if (
    err instanceof ImageDecodeError ||
    err instanceof ImageTooLargeError ||
    err instanceof UnsupportedImageFormatError
  ) {
    return err
  }
  const message = err instanceof Error ? err.message : String(err)
  if (/exceeds pixel limit/i.test(message)) return new ImageTooLargeError(Number.NaN, maxPixels)
  if (/buffer is empty|file is empty/i.test(message)) return new ImageDecodeError('empty file', err)
  if (/unsupported image format/i.test(message)) {
    return new ImageDecodeError('unrecognised image format', err)
  }
  // libvips keeps one process-wide error buffer, so under concurrent decodes the detail sharp appends can be
  // empty or another image's: a failed header read is named by what it means, without that detail.
  if (/has corrupt header/i.test(message)) return new ImageDecodeError('truncated or corrupt header', err)
  if (/missing|no such file/i.test(message)) return new ImageDecodeError(firstLine(message), err)
  return new ImageDecodeError(firstLine(message).replace(/^Input (buffer|file) /i, ''), err)
}

/** libvips repeats its decoder's complaints line after line; the first says what went wrong. */
function firstLine(message: string): string {
  return message.split('\n', 1)[0]?.trim() ?? message
}

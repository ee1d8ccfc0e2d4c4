import { decodeImageInfo } from '../data/index.js'
import { HeicNotSupportedError, ImageTooSmallError } from './errors.js'

/**
 * Shortest side, in pixels, a photo needs to be worth classifying. Below it a ball is a few pixels wide and
 * any answer (a 1x1 "basketball") would be noise counted as stock.
 */
export const MIN_IMAGE_SIDE_PX = 32

/**
 * Refuses, from the header alone, uploads the model cannot answer for: HEIC (HEVC-coded HEIF, the iPhone
 * default, which this sharp build cannot decode) and photos smaller than MIN_IMAGE_SIDE_PX.
 */
export async function checkUploadImage(bytes: Buffer, filename: string, maxPixels: number): Promise<void> {
  const info = await decodeImageInfo(bytes, { maxPixels })
  // decodeImageInfo names AV1-coded HEIF "avif"; what is left as "heif" is HEVC-coded, i.e. HEIC.
  if (info.format === 'heif') throw new HeicNotSupportedError(filename)
  if (Math.min(info.width, info.height) < MIN_IMAGE_SIDE_PX) {
    throw new ImageTooSmallError(filename, info.width, info.height, MIN_IMAGE_SIDE_PX)
  }
}

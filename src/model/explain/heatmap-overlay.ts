import sharp from 'sharp'
import { DEFAULT_MAX_PIXELS, type PreprocessSpec } from '../../data/index.js'
import { ModelInputError } from '../errors.js'

export interface HeatmapOverlayOptions {
  /** Weight of the colour ramp over the photo, 0..1. */
  alpha?: number
  /** Long side of the PNG; the photo is never enlarged. */
  maxSide?: number
  /** How the model saw the photo: with `cover`, the CAM spans only the centre square. */
  fit?: PreprocessSpec['fit']
  maxPixels?: number
}

export interface HeatmapOverlay {
  png: Buffer
  width: number
  height: number
}

const DEFAULT_ALPHA = 0.45
const DEFAULT_MAX_SIDE = 512

/**
 * Draws a CAM over the photo it explains: the photo is decoded like `preprocessImage` does (first frame,
 * EXIF rotation, alpha on white, sRGB), shrunk to at most `maxSide`, the CAM is upscaled to it, mapped to
 * the jet ramp and blended in. Returns a PNG.
 */
export async function renderHeatmapOverlay(
  originalImage: Buffer,
  cam: Float32Array,
  camSize: { width: number; height: number },
  options: HeatmapOverlayOptions = {},
): Promise<HeatmapOverlay> {
  const alpha = Math.min(1, Math.max(0, options.alpha ?? DEFAULT_ALPHA))
  const maxSide = options.maxSide ?? DEFAULT_MAX_SIDE
  if (cam.length !== camSize.width * camSize.height || cam.length === 0) {
    throw new ModelInputError(`CAM has ${cam.length} values, expected ${camSize.width}x${camSize.height}`)
  }
  // The same decode limits as data/preprocess.ts: first page only, refuse bombs and broken files.
  const decode = {
    limitInputPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS,
    failOn: 'error',
    pages: 1,
  } as const
  const photo = await sharp(originalImage, decode)
    .rotate()
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  const { width, height } = photo.info
  const heat = await upscaleCam(cam, camSize, width, height, options.fit ?? 'stretch')
  const out = Buffer.alloc(width * height * 3)
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] = jet((heat[i] ?? 0) / 255)
    out[i * 3] = blend(photo.data[i * 3] ?? 0, r, alpha)
    out[i * 3 + 1] = blend(photo.data[i * 3 + 1] ?? 0, g, alpha)
    out[i * 3 + 2] = blend(photo.data[i * 3 + 2] ?? 0, b, alpha)
  }
  const png = await sharp(out, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer()
  return { png, width, height }
}

/** The CAM as one byte per output pixel; with `cover`, placed over the centre square the model saw. */
async function upscaleCam(
  cam: Float32Array,
  camSize: { width: number; height: number },
  width: number,
  height: number,
  fit: PreprocessSpec['fit'],
): Promise<Buffer> {
  const grey = Buffer.from(cam.map((v) => Math.round(Math.min(1, Math.max(0, v)) * 255)))
  const source = sharp(grey, { raw: { width: camSize.width, height: camSize.height, channels: 1 } })
  if (fit === 'stretch') {
    return source.resize(width, height, { fit: 'fill', kernel: 'cubic' }).extractChannel(0).raw().toBuffer()
  }
  const side = Math.min(width, height)
  const left = Math.floor((width - side) / 2)
  const top = Math.floor((height - side) / 2)
  return source
    .resize(side, side, { fit: 'fill', kernel: 'cubic' })
    .extend({
      left,
      top,
      right: width - side - left,
      bottom: height - side - top,
      background: { r: 0, g: 0, b: 0 },
    })
    .extractChannel(0)
    .raw()
    .toBuffer()
}

/** The classic jet ramp: blue (0) through cyan, yellow to red (1). */
export function jet(v: number): [number, number, number] {
  const channel = (centre: number) =>
    Math.round(255 * Math.min(1, Math.max(0, 1.5 - Math.abs(4 * v - centre))))
  return [channel(3), channel(2), channel(1)]
}

function blend(photo: number, colour: number, alpha: number): number {
  return Math.round(photo * (1 - alpha) + colour * alpha)
}

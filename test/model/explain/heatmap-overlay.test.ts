import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { renderHeatmapOverlay } from '../../../src/model/index.js'

/** An 8x8 CAM hot in its top-left quadrant only. */
function topLeftCam(): Float32Array {
  return Float32Array.from({ length: 64 }, (_, i) => (i % 8 < 4 && i < 32 ? 1 : 0))
}

async function grey(width: number, height: number, orientation?: number): Promise<Buffer> {
  const image = sharp({
    create: { width, height, channels: 3, background: { r: 128, g: 128, b: 128 } },
  }).jpeg()
  return orientation === undefined ? image.toBuffer() : image.withMetadata({ orientation }).toBuffer()
}

async function pixel(png: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
  const at = (y * info.width + x) * info.channels
  return [data[at] ?? 0, data[at + 1] ?? 0, data[at + 2] ?? 0]
}

describe('renderHeatmapOverlay', () => {
  it('keeps a small photo at its size and paints the hot quadrant red, the cold one blue', async () => {
    const overlay = await renderHeatmapOverlay(await grey(300, 200), topLeftCam(), { width: 8, height: 8 })
    const meta = await sharp(overlay.png).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 300, 200])
    const [hotR = 0, , hotB = 0] = await pixel(overlay.png, 20, 20)
    const [coldR = 0, , coldB = 0] = await pixel(overlay.png, 280, 180)
    expect(hotR).toBeGreaterThan(hotB + 50)
    expect(coldB).toBeGreaterThan(coldR + 50)
  })

  it('caps the long side at 512 px and follows EXIF rotation like preprocessing does', async () => {
    const big = await renderHeatmapOverlay(await grey(2000, 1000), topLeftCam(), { width: 8, height: 8 })
    expect([big.width, big.height]).toEqual([512, 256])
    // Orientation 6: stored landscape, shown (and preprocessed) portrait.
    const rotated = await renderHeatmapOverlay(await grey(200, 100, 6), topLeftCam(), { width: 8, height: 8 })
    const meta = await sharp(rotated.png).metadata()
    expect([meta.width, meta.height]).toEqual([100, 200])
  })

  it('places the CAM over the centre square for cover-fit models', async () => {
    const overlay = await renderHeatmapOverlay(
      await grey(400, 200),
      new Float32Array(64).fill(1),
      { width: 8, height: 8 },
      { fit: 'cover' },
    )
    const [edgeR = 0, , edgeB = 0] = await pixel(overlay.png, 5, 100)
    const [centreR = 0, , centreB = 0] = await pixel(overlay.png, 200, 100)
    expect(centreR).toBeGreaterThan(centreB + 50)
    expect(edgeB).toBeGreaterThan(edgeR + 50)
  })

  it('refuses a CAM that does not match its size', async () => {
    await expect(
      renderHeatmapOverlay(await grey(10, 10), new Float32Array(3), { width: 2, height: 2 }),
    ).rejects.toThrow(expect.objectContaining({ code: 'SPS_MODEL_INPUT_INVALID' }))
  })
})

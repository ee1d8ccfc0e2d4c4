import * as tf from '@tensorflow/tfjs'
import sharp from 'sharp'
import { initBackend } from '../../src/model/backend/index.js'
import { saveModelArtifact } from '../../src/model/index.js'
import type { InjectResponse, TestApp } from '../helpers/test-app.js'

/** Two labels, so confidences spread over [0.5, 1] and a threshold splits counted from needs_review. */
export const TINY_LABELS = ['basketball', 'tennis_ball'] as const
export const TINY_SIZE = 8

/**
 * Writes a real (untrained) TF.js model artifact: 8x8 RGB -> dense softmax, with seeded weights so every run
 * gives the same answers for the same image.
 */
export async function writeTinyModel(
  dir: string,
  options: { seed?: number; version?: number; labels?: readonly string[] } = {},
): Promise<string> {
  const labels = options.labels ?? TINY_LABELS
  // Serving picks its TF.js backend this way too (start-server.ts).
  await initBackend()
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [TINY_SIZE, TINY_SIZE, 3] }),
      tf.layers.dense({
        units: labels.length,
        activation: 'softmax',
        kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 1, seed: options.seed ?? 7 }),
      }),
    ],
  })
  await saveModelArtifact(dir, {
    model,
    labels,
    preprocess: { size: TINY_SIZE, fit: 'stretch' },
    metadata: { name: 'tiny', version: options.version ?? 1 },
  })
  model.dispose()
  return dir
}

/** A small PNG of one colour (32 px: the smallest the API accepts); `n` picks a distinct colour. */
export async function colourImage(n: number, size = 32, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const background = { r: (n * 53) % 256, g: (n * 97 + 40) % 256, b: (n * 151 + 90) % 256 }
  const image = sharp({ create: { width: size, height: size, channels: 3, background } })
  return format === 'png' ? image.png().toBuffer() : image.jpeg().toBuffer()
}

/** A multipart/form-data body built by hand, so tests control every byte (bad names, odd filenames). */
export function multipart(
  parts: Array<{ name: string; filename?: string; contentType?: string; value: Buffer | string }>,
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----sportscan${Math.random().toString(16).slice(2)}`
  const chunks: Buffer[] = []
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`
    if (part.filename !== undefined) head += `; filename="${part.filename}"`
    head += '\r\n'
    if (part.filename !== undefined)
      head += `Content-Type: ${part.contentType ?? 'application/octet-stream'}\r\n`
    chunks.push(
      Buffer.from(`${head}\r\n`),
      Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value),
      Buffer.from('\r\n'),
    )
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}

/** POSTs a multipart body (default: to /predict). */
export async function postMultipart(
  app: TestApp,
  parts: Parameters<typeof multipart>[0],
  headers: Record<string, string> = {},
  url = '/predict',
): Promise<InjectResponse> {
  const body = multipart(parts)
  return app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, ...headers } })
}

/** Rows in the history. */
export async function storedCount(app: TestApp): Promise<number> {
  return (await app.inject({ method: 'GET', url: '/history?limit=1' })).json<{ total: number }>().total
}

/** Counted stock over all labels. */
export async function stockTotal(app: TestApp): Promise<number> {
  return (await app.inject({ method: 'GET', url: '/stock' })).json<{ total: number }>().total
}

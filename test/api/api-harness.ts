import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import sharp from 'sharp'
import { buildApp, type ApiApp } from '../../src/api/build-app.js'
import { ModelHolder, type ModelSource } from '../../src/api/model-holder.js'
import { loadConfig, type Config } from '../../src/config/index.js'
import type { DatabaseHandle } from '../../src/db/index.js'
import { createSilentLogger } from '../../src/log/index.js'
import { initBackend } from '../../src/model/backend/index.js'
import { loadClassifier, saveModelArtifact, type Classifier } from '../../src/model/index.js'

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

/** A small PNG of one colour; `n` picks a distinct colour. */
export async function colourImage(n: number, size = 16, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const background = { r: (n * 53) % 256, g: (n * 97 + 40) % 256, b: (n * 151 + 90) % 256 }
  const image = sharp({ create: { width: size, height: size, channels: 3, background } })
  return format === 'png' ? image.png().toBuffer() : image.jpeg().toBuffer()
}

export interface TestApi {
  app: ApiApp
  holder: ModelHolder
  config: Readonly<Config>
  home: string
  close(): Promise<void>
}

/** buildApp over the given database with a model holder serving the tiny model in `modelDir`. */
export async function startTestApi(
  db: DatabaseHandle,
  modelDir: string,
  serving: Partial<Config['serving']> = {},
  options: {
    loadModel?: boolean
    webDir?: string
    /** How the holder loads the model; TF.js `loadClassifier` by default. */
    load?: (source: ModelSource, home: string) => Promise<Classifier>
  } = {},
): Promise<TestApi> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'sportscan-api-'))
  const base = loadConfig({ SPORTSCAN_HOME: home })
  const config: Config = { ...base, serving: { ...base.serving, ...serving } }
  const log = createSilentLogger()
  const holder = new ModelHolder({
    locate: async () => ({
      key: `dir:${modelDir}`,
      dir: modelDir,
      origin: 'bundled',
      runtime: config.serving.runtime,
      testViews: config.serving.testViews,
    }),
    load: (source) => (options.load ? options.load(source, home) : loadClassifier(source.dir, { log })),
    log,
  })
  if (options.loadModel !== false) await holder.refresh()
  const app = await buildApp(config, { db, log, models: holder, version: 'test', webDir: options.webDir })
  return {
    app,
    holder,
    config,
    home,
    async close() {
      await app.close()
      await holder.close()
      await rm(home, { recursive: true, force: true })
    },
  }
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

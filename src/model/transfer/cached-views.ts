import type * as tf from '@tensorflow/tfjs'
import { createSeededRandom, deriveSeed } from '../../data/index.js'
import type { Logger } from '../../log/index.js'
import type { ImageAugmenter } from '../train-loop.js'
import { createFeatureRunner } from './extract-features.js'

export interface ComputeViewsOptions {
  /** The frozen part: image in, features or a feature map out. */
  model: tf.LayersModel
  train: readonly Float32Array[]
  val: readonly Float32Array[]
  /** Per training image: the plain image plus views-1 augmented copies. */
  views: number
  size: number
  augment?: (image: Float32Array, size: number) => Float32Array
  log: Logger
  signal?: AbortSignal
  onProgress?: (message: string) => void
  /** What is computed, for progress lines (`features`, `maps at <layer>`). */
  label: string
}

export interface CachedViews {
  /** Per training image, its views' outputs (flattened); [i][0] is the plain image's. */
  train: Float32Array[][]
  val: Float32Array[]
  runtime: 'onnxruntime' | 'tfjs'
}

/** Runs the frozen part once over every training view and every validation image. */
export async function computeViews(options: ComputeViewsOptions): Promise<CachedViews> {
  const runner = await createFeatureRunner(options.model, { log: options.log, signal: options.signal })
  const started = performance.now()
  const total = options.train.length * options.views + options.val.length
  let done = 0
  let lastReport = 0
  const progress = (n: number): void => {
    done += n
    const now = performance.now()
    if (now - lastReport > 5000 || done === total) {
      lastReport = now
      options.onProgress?.(
        `${options.label} (${runner.runtime}): ${done}/${total} images, ${((now - started) / 1000).toFixed(0)} s`,
      )
    }
  }
  try {
    const train: Float32Array[][] = options.train.map(() => [])
    for (let v = 0; v < options.views; v++) {
      const augment = v === 0 ? undefined : options.augment
      const outputs = await runChunked(runner.run, options.train, augment, options.size, progress)
      outputs.forEach((f, i) => train[i]!.push(f))
    }
    const val = await runChunked(runner.run, options.val, undefined, options.size, progress)
    return { train, val, runtime: runner.runtime }
  } finally {
    await runner.release()
  }
}

async function runChunked(
  run: (images: readonly Float32Array[]) => Promise<Float32Array[]>,
  images: readonly Float32Array[],
  augment: ((image: Float32Array, size: number) => Float32Array) | undefined,
  size: number,
  progress: (n: number) => void,
): Promise<Float32Array[]> {
  const out: Float32Array[] = []
  // Augmented copies are made a chunk at a time: a whole view of 224 px images would take ~0.8 GB.
  for (let start = 0; start < images.length; start += 64) {
    const chunk = images.slice(start, start + 64).map((image) => (augment ? augment(image, size) : image))
    out.push(...(await run(chunk)))
    progress(chunk.length)
  }
  return out
}

/**
 * trainModel hands its augmenter the plain sample (views[i][0]); this answers one of that sample's views,
 * drawn with a seeded random source, so each epoch sees every image once in a varying view.
 */
export function viewPicker(views: readonly Float32Array[][], seed: number, stream: string): ImageAugmenter {
  const of = new Map(views.map((v) => [v[0]!, v]))
  const pick = createSeededRandom(deriveSeed(seed, stream))
  return (sample) => {
    const all = of.get(sample) ?? [sample]
    return all[Math.floor(pick() * all.length)] ?? sample
  }
}

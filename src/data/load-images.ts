import os from 'node:os'
import type { DatasetEntry } from './dataset-manifest.js'
import { resolveEntryPath } from './load-dataset.js'
import { BlobMissingError } from './errors.js'
import { mapConcurrent } from './map-concurrent.js'
import { hasObject } from './object-store.js'
import { preprocessImage, type PreprocessOptions, type PreprocessSpec } from './preprocess.js'

export interface LoadImagesOptions extends PreprocessOptions {
  concurrency?: number
  onProgress?: (progress: { done: number; total: number }) => void
  signal?: AbortSignal
}

/**
 * Preprocesses stored dataset images for training or evaluation, in entry order. Each array is exactly what
 * `preprocessImage(file, spec)` returns at inference time for the same bytes: this calls it, nothing else.
 * Throws BlobMissingError when the object store lost an entry's bytes.
 */
export async function loadImages(
  home: string,
  entries: readonly DatasetEntry[],
  spec: PreprocessSpec,
  options: LoadImagesOptions = {},
): Promise<Float32Array[]> {
  const { onProgress, signal } = options
  const concurrency = options.concurrency ?? Math.max(2, os.availableParallelism() * 2)
  let done = 0
  return mapConcurrent(
    entries,
    concurrency,
    async (entry) => {
      const file = resolveEntryPath(home, entry)
      const pixels = await preprocessImage(file, spec, options).catch(async (err: unknown) => {
        throw (await hasObject(home, entry.sha256)) ? err : new BlobMissingError(entry.sha256, entry.path)
      })
      onProgress?.({ done: ++done, total: entries.length })
      return pixels
    },
    signal,
  )
}

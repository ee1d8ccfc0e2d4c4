import { copyFile, link, mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import type { DatasetManifest } from './dataset-manifest.js'
import { mapConcurrent } from './map-concurrent.js'
import { objectPath } from './object-store.js'

/**
 * Lays a dataset version out as a class-per-folder directory (its entries' paths, hard-linked from the
 * object store, copied where links fail). Importing that folder gives back the same version, which is how
 * the training pipeline, which reads folders, trains on a merged version. An existing `dir` is replaced.
 */
export async function materializeDataset(
  home: string,
  manifest: DatasetManifest,
  dir: string,
  options: { signal?: AbortSignal } = {},
): Promise<string> {
  const root = path.resolve(dir)
  await rm(root, { recursive: true, force: true })
  await mkdir(root, { recursive: true })
  await mapConcurrent(
    manifest.entries,
    8,
    async (entry) => {
      const target = path.join(root, ...entry.path.split('/'))
      await mkdir(path.dirname(target), { recursive: true })
      const source = objectPath(home, entry.sha256)
      await link(source, target).catch(() => copyFile(source, target))
    },
    options.signal,
  )
  return root
}

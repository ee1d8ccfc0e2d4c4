import { mkdir, readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { Type } from 'typebox'
import {
  DatasetSourceError,
  importDataset,
  loadImages,
  loadManifest,
  resolveDatasetVersion,
} from '../../data/index.js'
import { defineStep, type JsonValue } from '../step-type.js'
import { createProgressReporter } from './progress-throttle.js'
import { writeTensorStore } from './tensor-store.js'

/**
 * Imports the dataset folder (content-addressed: same images, same version) and decodes every image once at
 * the model's input size, so training and evaluation read ready pixels instead of decoding JPEGs per epoch.
 */
export const prepStep = defineStep({
  name: 'prep',
  version: '1',
  description: 'import a class-per-folder dataset and preprocess every image once',
  inputs: {},
  outputs: {
    dataset: { kind: 'dataset', description: 'dataset version (SHA-256 of its manifest)' },
    tensors: { kind: 'tensors', isPath: true, description: 'preprocessed pixels + index' },
  },
  params: Type.Object(
    {
      data: Type.String({ minLength: 1, description: 'folder with one sub-folder per class' }),
      imageSize: Type.Integer({ minimum: 8, maximum: 512 }),
      fit: Type.Union([Type.Literal('stretch'), Type.Literal('cover')], { default: 'stretch' }),
    },
    { additionalProperties: false },
  ),
  // A listing (path, size, mtime) identifies the folder without reading every byte; import still hashes.
  async fingerprint(params) {
    const dir = path.resolve(params.data)
    const info = await stat(dir).catch((err: unknown) => {
      throw new DatasetSourceError(`"${dir}" does not exist (pass --data <dir>)`, err)
    })
    if (!info.isDirectory()) throw new DatasetSourceError(`"${dir}" is not a folder`)
    return listFiles(dir)
  },
  // The dataset must still be known to this home and this database (which may have been switched).
  async isResultValid(result, services) {
    const version = result.outputs.dataset
    if (typeof version !== 'string') return false
    return Promise.all([
      loadManifest(services.home, version),
      resolveDatasetVersion(services.db, version),
    ]).then(
      () => true,
      () => false,
    )
  },
  async run(ctx) {
    const dataDir = path.resolve(ctx.params.data)
    const reporters = new Map<string, (done: number, total: number) => void>()
    const importing = (phase: string, done: number, total: number) => {
      let report = reporters.get(phase)
      if (!report) reporters.set(phase, (report = createProgressReporter(ctx.progress, `import: ${phase}`)))
      report(done, total)
    }
    const imported = await importDataset(dataDir, {
      home: ctx.home,
      db: ctx.db,
      log: ctx.log,
      signal: ctx.signal,
      onProgress: (p) => importing(p.phase, p.done, p.total),
    })
    ctx.progress(
      `dataset ${imported.version.slice(0, 12)}: ${imported.manifest.entries.length} images, ${imported.manifest.classes.length} classes${imported.skipped.length ? `, ${imported.skipped.length} skipped` : ''}`,
    )
    for (const skipped of imported.skipped) ctx.progress(`skipped ${skipped.path}: ${skipped.reason}`)
    const spec = { size: ctx.params.imageSize, fit: ctx.params.fit }
    const decoding = createProgressReporter(ctx.progress, `preprocessing at ${spec.size}x${spec.size}`)
    const images = await loadImages(ctx.home, imported.manifest.entries, spec, {
      signal: ctx.signal,
      onProgress: (p) => decoding(p.done, p.total),
    })
    const tensorsDir = path.join(ctx.outDir, 'tensors')
    await mkdir(tensorsDir, { recursive: true })
    await writeTensorStore(tensorsDir, spec, imported.manifest.entries, images)
    return { dataset: imported.version, tensors: 'tensors' }
  },
})

async function listFiles(root: string): Promise<JsonValue> {
  const out: JsonValue[] = []
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true })
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name
      if (entry.isDirectory()) await walk(path.join(dir, entry.name), relPath)
      else if (entry.isFile()) {
        const info = await stat(path.join(dir, entry.name))
        out.push([relPath, info.size, Math.round(info.mtimeMs)])
      }
    }
  }
  await walk(root, '')
  return out
}

import { createRequire } from 'node:module'
import path from 'node:path'
import type * as tf from '@tensorflow/tfjs'
import { BackboneError } from '../errors.js'

/**
 * Pretrained backbones that install from the npm registry with their weights (no download at run time).
 * nsfwjs (MIT, github.com/infinitered/nsfwjs) ships ImageNet-initialised Keras models fine-tuned for its own
 * task as UMD files: one module holding the topology and weight manifest, one base64 string per weight shard.
 */
interface CatalogEntry {
  package: string
  folder: string
  shards: number
  /** Last backbone layer kept: everything after it is the package's own classification head. */
  lastLayer: string
  credit: string
}

const CATALOG: Readonly<Record<string, CatalogEntry>> = {
  'nsfwjs:mobilenet_v2': {
    package: 'nsfwjs',
    folder: 'dist/models/mobilenet_v2',
    shards: 1,
    lastLayer: 'out_relu',
    credit: 'MobileNetV2 (Sandler et al. 2018) weights from nsfwjs by Infinite Red, MIT licence',
  },
  'nsfwjs:inception_v3': {
    package: 'nsfwjs',
    folder: 'dist/models/inception_v3',
    shards: 6,
    lastLayer: 'mixed10',
    credit: 'InceptionV3 (Szegedy et al. 2016) weights from nsfwjs by Infinite Red, MIT licence',
  },
}

export function isCatalogBackbone(source: string): boolean {
  return Object.hasOwn(CATALOG, source)
}

export function listCatalogBackbones(): string[] {
  return Object.keys(CATALOG)
}

export function catalogCredit(source: string): string | undefined {
  return CATALOG[source]?.credit
}

export interface CatalogArtifacts {
  artifacts: tf.io.ModelArtifacts
  lastLayer: string
}

/** Reads a catalogued backbone's topology and weights from node_modules. */
export function readCatalogBackbone(source: string): CatalogArtifacts {
  const entry = CATALOG[source]
  if (!entry)
    throw new BackboneError(source, `unknown; the catalogue has ${listCatalogBackbones().join(', ')}`)
  const require = createRequire(import.meta.url)
  let root: string
  try {
    // The package's exports map hides its folders; its main entry shows where it is installed.
    const main = require.resolve(entry.package)
    root = main.slice(0, main.lastIndexOf(`${path.sep}dist${path.sep}`))
  } catch (err) {
    throw new BackboneError(
      source,
      `needs the npm package "${entry.package}" (npm install ${entry.package})`,
      err,
    )
  }
  const folder = path.join(root, entry.folder)
  const model = require(path.join(folder, 'model.min.js')) as {
    modelTopology?: unknown
    weightsManifest?: Array<{ weights: tf.io.WeightsManifestEntry[] }>
  }
  const weightSpecs = model.weightsManifest?.flatMap((g) => g.weights)
  if (!model.modelTopology || !weightSpecs) throw new BackboneError(source, `${folder} holds no layers model`)
  const shards = Array.from({ length: entry.shards }, (_, i) => {
    const text = require(path.join(folder, `group1-shard${i + 1}of${entry.shards}.min.js`)) as string
    return Buffer.from(text, 'base64')
  })
  const bytes = Buffer.concat(shards)
  return {
    artifacts: {
      modelTopology: model.modelTopology as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs,
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    },
    lastLayer: entry.lastLayer,
  }
}

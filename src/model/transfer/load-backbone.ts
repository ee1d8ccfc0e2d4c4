import { stat } from 'node:fs/promises'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { readLayersModelArtifacts } from '../artifact.js'
import { BackboneError } from '../errors.js'
import { isCatalogBackbone, readCatalogBackbone } from './backbone-catalog.js'

export interface LoadBackboneOptions {
  /** Square input side the backbone is rebuilt for (convolutional backbones take any size). */
  inputSize: number
}

interface KerasLayerJson {
  class_name: string
  name?: string
  config: { name?: string; batch_input_shape?: unknown[]; batch_shape?: unknown[] }
}
interface KerasModelConfig {
  layers: KerasLayerJson[]
  input_layers?: unknown[]
  output_layers?: unknown[]
}

/**
 * Loads a TF.js layers model to take features from:
 * - a catalogued npm backbone (`nsfwjs:mobilenet_v2`, see backbone-catalog.ts);
 * - a local `model.json` (or the folder holding it) with its weight files beside it;
 * - an `http(s)://` URL of a `model.json` (fetched with its weights).
 * Its input is rebuilt as [batch, inputSize, inputSize, 3]. Graph models (tfjs-converter `graph-model`) are
 * refused with a hint: the classifier saved at the end must be one layers model for serving and ONNX.
 */
export async function loadBackbone(source: string, options: LoadBackboneOptions): Promise<tf.LayersModel> {
  let artifacts: tf.io.ModelArtifacts
  let lastLayer: string | undefined
  if (isCatalogBackbone(source)) {
    ;({ artifacts, lastLayer } = readCatalogBackbone(source))
  } else if (/^https?:\/\//.test(source)) {
    artifacts = await fetchArtifacts(source)
  } else {
    artifacts = await readLocal(source)
  }
  if ((artifacts.format ?? '') === 'graph-model') {
    throw new BackboneError(
      source,
      'is a TF.js graph model; give a layers model (tensorflowjs_converter --output_format tfjs_layers_model)',
    )
  }
  const topology = reshapeInput(source, artifacts.modelTopology, options.inputSize, lastLayer)
  try {
    // Not strict: a catalogued backbone's manifest still lists the weights of the head cut off above.
    return await tf.loadLayersModel(tf.io.fromMemory({ ...artifacts, modelTopology: topology }), {
      strict: lastLayer === undefined,
    })
  } catch (err) {
    throw new BackboneError(source, 'TF.js could not build it', err)
  }
}

async function readLocal(source: string): Promise<tf.io.ModelArtifacts> {
  const info = await stat(source).catch((err: unknown) => {
    throw new BackboneError(source, 'no such file or folder', err)
  })
  const [dir, file] = info.isDirectory()
    ? [source, 'model.json']
    : [path.dirname(source), path.basename(source)]
  try {
    return await readLayersModelArtifacts(dir, file)
  } catch (err) {
    throw new BackboneError(source, err instanceof Error ? err.message : String(err), err)
  }
}

async function fetchArtifacts(url: string): Promise<tf.io.ModelArtifacts> {
  try {
    const handler = tf.io.http(url)
    if (!handler.load) throw new Error('the http handler cannot load')
    return await handler.load()
  } catch (err) {
    throw new BackboneError(url, 'could not be downloaded', err)
  }
}

/** A copy of the topology with the input resized and, for catalogued models, the package's own head removed. */
function reshapeInput(
  source: string,
  topology: tf.io.ModelArtifacts['modelTopology'],
  inputSize: number,
  lastLayer: string | undefined,
): object {
  const copy = JSON.parse(JSON.stringify(topology ?? null)) as {
    model_config?: { class_name?: string; config: KerasModelConfig }
    class_name?: string
    config?: KerasModelConfig
  } | null
  const config = copy?.model_config?.config ?? copy?.config
  const input = config?.layers?.[0]
  if (!copy || !config || !Array.isArray(config.layers) || input?.class_name !== 'InputLayer') {
    throw new BackboneError(source, 'is not a functional layers model starting with an InputLayer')
  }
  const shape = [null, inputSize, inputSize, 3]
  if (input.config.batch_shape) input.config.batch_shape = shape
  else input.config.batch_input_shape = shape
  if (lastLayer !== undefined) {
    const cut = config.layers.findIndex((l) => (l.name ?? l.config.name) === lastLayer)
    if (cut < 0) throw new BackboneError(source, `has no layer ${lastLayer}`)
    config.layers.splice(cut + 1)
    config.output_layers = [[lastLayer, 0, 0]]
  }
  return copy
}

import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import type { InputScaling } from '../../data/index.js'
import { readLayersModelArtifacts } from '../artifact.js'
import { BackboneError } from '../errors.js'
import { readTflite, tfliteToLayers, type ImportedTflite, type WeightSteps } from '../tflite/index.js'
import { catalogEntry, catalogFile, isCatalogBackbone, type CatalogEntry } from './backbone-catalog.js'
import { withInputScaling } from './input-scaling-layer.js'

export interface LoadBackboneOptions {
  /** Square input side the backbone is rebuilt for (convolutional backbones take any size). */
  inputSize: number
  /**
   * The range the network was trained on. Catalogued backbones and quantised TFLite files say it themselves;
   * for a TF.js layers model it defaults to [0, 1] (a Keras model that scales its own input), and a float
   * TFLite file must be told.
   */
  inputScaling?: InputScaling
}

export interface LoadedBackbone {
  /** Takes [0, 1] RGB: the input scaling is its first layer (see withInputScaling). */
  model: tf.LayersModel
  inputScaling: InputScaling
  format: 'tflite' | 'layers'
  /** Catalogued backbones: where the weights come from and their licence. */
  credit?: string
  /** Catalogued backbones: default feature node and fine-tuning cut. */
  defaults?: Pick<CatalogEntry, 'featureNode' | 'fineTuneFrom'>
  /** A quantised TFLite file's weight steps by layer name, for an int8 export that keeps them. */
  weightSteps: ReadonlyMap<string, WeightSteps>
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
 * Loads a network to take features from:
 * - a catalogued backbone (`imagenet:mobilenet_v2`, see backbone-catalog.ts), committed under models/backbones;
 * - a TensorFlow Lite file (`*.tflite`: float, or uint8/int8 quantised, dequantised on import);
 * - a local TF.js layers `model.json` (or the folder holding it) with its weight files beside it;
 * - an `http(s)://` URL of a TF.js layers `model.json` (fetched with its weights).
 * Its input is rebuilt as [batch, inputSize, inputSize, 3] and takes [0, 1] RGB. TF.js graph models are
 * refused with a hint: the classifier saved at the end must be one layers model for serving and ONNX.
 */
export async function loadBackbone(source: string, options: LoadBackboneOptions): Promise<LoadedBackbone> {
  const entry = isCatalogBackbone(source) ? catalogEntry(source) : undefined
  const file = entry ? catalogFile(entry) : source
  const isTflite = entry ? entry.format === 'tflite' : /\.tflite$/i.test(source)
  let raw: tf.LayersModel
  let weightSteps: ReadonlyMap<string, WeightSteps> = new Map()
  let scaling: InputScaling | undefined = entry?.inputScaling ?? options.inputScaling
  if (isTflite) {
    const imported = await importTflite(source, file, options.inputSize)
    raw = imported.model
    weightSteps = imported.weightSteps
    if (imported.inputScaling && !entry) scaling = options.inputScaling ?? imported.inputScaling
    if (!scaling) {
      throw new BackboneError(
        source,
        'has a float input, so its input range is unknown: set inputScaling (unit, symmetric or imagenet)',
      )
    }
  } else {
    raw = await loadLayers(source, file, options.inputSize)
  }
  const inputScaling = scaling ?? { kind: 'unit' as const }
  return {
    model: withInputScaling(raw, inputScaling, source),
    inputScaling,
    format: isTflite ? 'tflite' : 'layers',
    credit: entry?.credit,
    defaults: entry ? { featureNode: entry.featureNode, fineTuneFrom: entry.fineTuneFrom } : undefined,
    weightSteps,
  }
}

async function importTflite(source: string, file: string, inputSize: number): Promise<ImportedTflite> {
  const bytes = await readFile(file).catch((err: unknown) => {
    throw new BackboneError(source, `cannot read ${file}`, err)
  })
  try {
    return tfliteToLayers(readTflite(bytes, source), { source, inputSize })
  } catch (err) {
    throw new BackboneError(source, err instanceof Error ? err.message : String(err), err)
  }
}

async function loadLayers(source: string, file: string, inputSize: number): Promise<tf.LayersModel> {
  const artifacts = /^https?:\/\//.test(file) ? await fetchArtifacts(file) : await readLocal(file)
  if ((artifacts.format ?? '') === 'graph-model') {
    throw new BackboneError(
      source,
      'is a TF.js graph model; give a layers model (tensorflowjs_converter --output_format tfjs_layers_model)',
    )
  }
  const topology = reshapeInput(source, artifacts.modelTopology, inputSize)
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ ...artifacts, modelTopology: topology }))
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

/** A copy of the topology with the input resized. */
function reshapeInput(
  source: string,
  topology: tf.io.ModelArtifacts['modelTopology'],
  inputSize: number,
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
  return copy
}

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { parseInputScaling, type PreprocessSpec } from '../data/index.js'
import { ModelArtifactError } from './errors.js'
import {
  checkViews,
  FULL_VIEW,
  isFullViewOnly,
  selectViews,
  TEST_VIEW_PRESETS,
  type TestTimeView,
  type TestViewPreset,
} from './test-time-views.js'

/** File names inside a model artifact folder; the registry and the API read the same names. */
export const ARTIFACT_FILES = {
  model: 'model.json',
  weights: 'weights.bin',
  labels: 'labels.json',
  preprocess: 'preprocess.json',
  calibration: 'calibration.json',
  views: 'views.json',
  metrics: 'metrics.json',
  metadata: 'metadata.json',
  confusionMatrix: 'confusion-matrix.png',
  learningCurves: 'learning-curves.png',
  /** The integer steps of a backbone's weights as its quantised source file stored them (see WeightSteps). */
  quantization: 'quantization.json',
} as const

export interface ModelMetadata {
  name: string
  version: number | string
}

export interface ModelArtifactInput {
  model: tf.LayersModel
  labels: readonly string[]
  preprocess: PreprocessSpec
  /** Temperature fitted on validation data; omitted means uncalibrated (T = 1). */
  temperature?: number
  /** Test-time views each answer combines; omitted means the whole image once. */
  views?: readonly TestTimeView[]
  /** Temperatures fitted through other view presets, so a server may answer with one of those instead. */
  viewTemperatures?: ViewTemperatures
  /** Any JSON-serialisable metrics, written as metrics.json. */
  metrics?: unknown
  metadata?: ModelMetadata
}

/** A calibration temperature per test-time view preset. */
export type ViewTemperatures = Partial<Record<TestViewPreset, number>>

/** The parts of an artifact folder besides the network itself. */
export interface ArtifactSidecar {
  labels: string[]
  preprocess: PreprocessSpec
  temperature: number
  /** The whole image once unless the artifact has a views file. */
  views: readonly TestTimeView[]
  /** calibration.json's temperatures for other view presets (empty when it has none). */
  viewTemperatures: ViewTemperatures
  /** The int8 ONNX twin's own temperatures (calibration.json `int8`), when it has been calibrated. */
  int8?: { temperature: number; viewTemperatures: ViewTemperatures }
  metadata?: ModelMetadata
}

/** Which numbers the ONNX model computes in: the float export or its int8 twin (model.int8.onnx). */
export type Precision = 'fp32' | 'int8'

/**
 * Writes a model artifact folder: TF.js layers-format `model.json` + `weights.bin` (through a custom
 * save handler, since tfjs-node's file:// handler is not installed) and the JSON sidecars.
 */
export async function saveModelArtifact(dir: string, input: ModelArtifactInput): Promise<void> {
  const units = outputUnits(input.model)
  if (units !== undefined && units !== input.labels.length) {
    throw new ModelArtifactError(dir, `model has ${units} outputs but ${input.labels.length} labels`)
  }
  await mkdir(dir, { recursive: true })
  await input.model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData
        ? tf.io.CompositeArrayBuffer.join(artifacts.weightData)
        : new ArrayBuffer(0)
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${ARTIFACT_FILES.weights}`], weights: artifacts.weightSpecs ?? [] }],
      }
      await writeFile(path.join(dir, ARTIFACT_FILES.weights), new Uint8Array(weightData))
      await writeFile(path.join(dir, ARTIFACT_FILES.model), JSON.stringify(modelJson))
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weightData.byteLength,
        },
      }
    }),
  )
  const writes: Array<Promise<void>> = [
    writeJson(path.join(dir, ARTIFACT_FILES.labels), input.labels),
    writeJson(path.join(dir, ARTIFACT_FILES.preprocess), input.preprocess),
  ]
  // Optional sidecars left from an earlier save would silently change the model's meaning: remove them.
  const optional: Array<[string, unknown]> = [
    [
      ARTIFACT_FILES.calibration,
      input.temperature === undefined
        ? undefined
        : {
            temperature: input.temperature,
            ...(input.viewTemperatures ? { byTestViews: input.viewTemperatures } : {}),
          },
    ],
    [ARTIFACT_FILES.views, input.views && !isFullViewOnly(input.views) ? input.views : undefined],
    [ARTIFACT_FILES.metrics, input.metrics],
    [ARTIFACT_FILES.metadata, input.metadata],
  ]
  for (const [name, value] of optional) {
    const file = path.join(dir, name)
    writes.push(value === undefined ? rm(file, { force: true }) : writeJson(file, value))
  }
  await Promise.all(writes)
}

/** Reads `model.json` and its weight files into a TF.js layers model. */
export async function loadLayersModelFromDir(dir: string): Promise<tf.LayersModel> {
  const artifacts = await readLayersModelArtifacts(dir)
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts))
  } catch (err) {
    throw new ModelArtifactError(dir, 'TF.js could not build the model', err)
  }
}

/**
 * Reads a TF.js layers model's JSON (default `model.json`) and every weight file its manifest names (which
 * must sit in the same folder) without building the model, so a caller can adjust the topology first.
 */
export async function readLayersModelArtifacts(
  dir: string,
  jsonFile: string = ARTIFACT_FILES.model,
): Promise<tf.io.ModelArtifacts> {
  const modelJson = await readJson(dir, jsonFile)
  if (
    !isRecord(modelJson) ||
    !isRecord(modelJson.modelTopology) ||
    !Array.isArray(modelJson.weightsManifest)
  ) {
    throw new ModelArtifactError(dir, `${jsonFile} is not a TF.js layers model`)
  }
  const weightSpecs: tf.io.WeightsManifestEntry[] = []
  const buffers: ArrayBuffer[] = []
  for (const group of modelJson.weightsManifest) {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new ModelArtifactError(dir, `${jsonFile} has a malformed weightsManifest`)
    }
    for (const spec of group.weights) {
      if (!isWeightSpec(spec)) throw new ModelArtifactError(dir, 'a weight entry lacks name, shape or dtype')
      weightSpecs.push(spec)
    }
    for (const file of group.paths) {
      if (typeof file !== 'string') throw new ModelArtifactError(dir, 'a weight path is not a string')
      const resolved = path.resolve(dir, file)
      if (path.dirname(resolved) !== path.resolve(dir)) {
        throw new ModelArtifactError(dir, `weight file ${file} lies outside the folder`)
      }
      const bytes = await readFile(resolved).catch((err: unknown) => {
        throw new ModelArtifactError(dir, `cannot read ${file}`, err)
      })
      buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
    }
  }
  return {
    format: typeof modelJson.format === 'string' ? modelJson.format : undefined,
    modelTopology: modelJson.modelTopology,
    weightSpecs,
    weightData: tf.io.CompositeArrayBuffer.join(buffers),
  }
}

/** Reads labels, preprocessing spec, calibration and metadata of an artifact folder. */
export async function readArtifactSidecar(dir: string): Promise<ArtifactSidecar> {
  const [labels, preprocess, calibration, views, metadata] = await Promise.all([
    readJson(dir, ARTIFACT_FILES.labels),
    readJson(dir, ARTIFACT_FILES.preprocess),
    readJson(dir, ARTIFACT_FILES.calibration, true),
    readJson(dir, ARTIFACT_FILES.views, true),
    readJson(dir, ARTIFACT_FILES.metadata, true),
  ])
  if (!Array.isArray(labels) || labels.length === 0 || !labels.every((l) => typeof l === 'string')) {
    throw new ModelArtifactError(dir, `${ARTIFACT_FILES.labels} must be a non-empty array of strings`)
  }
  if (
    !isRecord(preprocess) ||
    typeof preprocess.size !== 'number' ||
    !Number.isInteger(preprocess.size) ||
    preprocess.size < 1 ||
    (preprocess.fit !== 'stretch' && preprocess.fit !== 'cover')
  ) {
    throw new ModelArtifactError(
      dir,
      `${ARTIFACT_FILES.preprocess} must be {size: integer, fit: stretch|cover}`,
    )
  }
  const inputScaling = parseInputScaling(preprocess.inputScaling)
  let temperature = 1
  let viewTemperatures: ViewTemperatures = {}
  let int8: ArtifactSidecar['int8']
  if (calibration !== undefined) {
    if (
      !isRecord(calibration) ||
      typeof calibration.temperature !== 'number' ||
      !(calibration.temperature > 0)
    ) {
      throw new ModelArtifactError(
        dir,
        `${ARTIFACT_FILES.calibration} must be {temperature: positive number}`,
      )
    }
    temperature = calibration.temperature
    const byTestViews = calibration.byTestViews ?? {}
    if (
      !isRecord(byTestViews) ||
      !Object.entries(byTestViews).every(
        ([name, t]) => Object.hasOwn(TEST_VIEW_PRESETS, name) && typeof t === 'number' && t > 0,
      )
    ) {
      throw new ModelArtifactError(
        dir,
        `${ARTIFACT_FILES.calibration} byTestViews must map view presets to positive temperatures`,
      )
    }
    viewTemperatures = byTestViews as ViewTemperatures
    int8 = parseTemperatures(calibration.int8)
    if (calibration.int8 !== undefined && !int8) {
      throw new ModelArtifactError(
        dir,
        `${ARTIFACT_FILES.calibration} int8 must be {temperature, byTestViews}`,
      )
    }
  }
  const viewsProblem = views === undefined ? undefined : checkViews(views)
  if (viewsProblem) throw new ModelArtifactError(dir, `${ARTIFACT_FILES.views} ${viewsProblem}`)
  const sidecar: ArtifactSidecar = {
    labels: labels.filter((l): l is string => typeof l === 'string'),
    preprocess: {
      size: preprocess.size,
      fit: preprocess.fit,
      ...(inputScaling ? { inputScaling } : {}),
    },
    temperature,
    viewTemperatures,
    views:
      views === undefined ? FULL_VIEW : (views as TestTimeView[]).map(({ crop, flip }) => ({ crop, flip })),
    ...(int8 ? { int8 } : {}),
  }
  if (metadata !== undefined) {
    if (
      !isRecord(metadata) ||
      typeof metadata.name !== 'string' ||
      (typeof metadata.version !== 'string' && typeof metadata.version !== 'number')
    ) {
      throw new ModelArtifactError(dir, `${ARTIFACT_FILES.metadata} must be {name, version}`)
    }
    sidecar.metadata = { name: metadata.name, version: metadata.version }
  }
  return sidecar
}

/**
 * The views and temperature to serve the artifact in `dir` with: its own, or `preset` when its calibration has a
 * temperature for it. A preset it was not calibrated for is refused, naming what it can serve.
 */
export function resolveServedViews(
  dir: string,
  sidecar: ArtifactSidecar,
  preset: TestViewPreset | 'model' | undefined,
  precision: Precision = 'fp32',
): { views: readonly TestTimeView[]; temperature: number } {
  if (precision === 'int8' && !sidecar.int8) {
    throw new ModelArtifactError(dir, 'has no calibrated int8 model (model.int8.onnx, calibration.json int8)')
  }
  const own = precision === 'int8' && sidecar.int8 ? { views: sidecar.views, ...sidecar.int8 } : sidecar
  const chosen = selectViews(own, preset)
  if (chosen) return chosen
  const known = ['model', ...Object.keys(own.viewTemperatures)].join(', ')
  throw new ModelArtifactError(
    dir,
    `has no temperature for test views "${String(preset)}" (it can serve: ${known}); a retrain calibrates every preset`,
  )
}

/** Adds the int8 twin's temperatures to an artifact's calibration.json (the float ones stay as they are). */
export async function writeInt8Calibration(
  dir: string,
  int8: { temperature: number; byTestViews: ViewTemperatures },
): Promise<void> {
  const current = await readJson(dir, ARTIFACT_FILES.calibration, true)
  const base = isRecord(current) ? current : { temperature: 1 }
  await writeJson(path.join(dir, ARTIFACT_FILES.calibration), { ...base, int8 })
}

function parseTemperatures(value: unknown): ArtifactSidecar['int8'] {
  if (!isRecord(value) || typeof value.temperature !== 'number' || !(value.temperature > 0)) return undefined
  const by = value.byTestViews ?? {}
  if (
    !isRecord(by) ||
    !Object.entries(by).every(
      ([name, t]) => Object.hasOwn(TEST_VIEW_PRESETS, name) && typeof t === 'number' && t > 0,
    )
  ) {
    return undefined
  }
  return { temperature: value.temperature, viewTemperatures: by as ViewTemperatures }
}

function outputUnits(model: tf.LayersModel): number | undefined {
  const shape = model.outputs[0]?.shape
  const last = shape?.[shape.length - 1]
  return typeof last === 'number' ? last : undefined
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`)
}

async function readJson(dir: string, name: string, optional = false): Promise<unknown> {
  let text: string
  try {
    text = await readFile(path.join(dir, name), 'utf8')
  } catch (err) {
    if (optional && isRecord(err) && err.code === 'ENOENT') return undefined
    throw new ModelArtifactError(dir, `cannot read ${name}`, err)
  }
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw new ModelArtifactError(dir, `${name} is not valid JSON`, err)
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const WEIGHT_DTYPES = new Set<unknown>(['float32', 'int32', 'bool', 'string', 'complex64'])

function isWeightSpec(value: unknown): value is tf.io.WeightsManifestEntry {
  return (
    isRecord(value) &&
    typeof value.name === 'string' &&
    Array.isArray(value.shape) &&
    value.shape.every((d) => typeof d === 'number') &&
    WEIGHT_DTYPES.has(value.dtype)
  )
}

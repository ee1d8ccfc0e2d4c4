import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import type { Logger } from '../log/index.js'
import { CHANNELS } from '../data/index.js'
import { loadLayersModelFromDir, readArtifactSidecar, resolveServedViews } from './artifact.js'
import type { Classifier } from './classifier.js'
import { ModelArtifactError, ModelInputError } from './errors.js'
import {
  isFullViewOnly,
  withTestTimeViews,
  type TestTimeView,
  type TestViewPreset,
} from './test-time-views.js'
import { packBatch } from './pack-batch.js'

export interface LoadClassifierOptions {
  /** `name@version` to report; defaults to metadata.json's, else `<folder name>@local`. */
  ref?: string
  /** Answer with this view preset instead of the model's own views (it must be calibrated for it). */
  testViews?: TestViewPreset | 'model'
  log?: Logger
}

/** Probabilities below this are clamped before log(), so temperature scaling never sees -Infinity. */
const MIN_PROBABILITY = 1e-7

/**
 * Loads an artifact folder written by `saveModelArtifact` as a Classifier on the current TF.js backend
 * (the caller picks the backend first, e.g. with `initBackend`).
 */
export async function loadClassifier(dir: string, options: LoadClassifierOptions = {}): Promise<Classifier> {
  await tf.ready()
  const sidecar = await readArtifactSidecar(dir)
  const served = resolveServedViews(dir, sidecar, options.testViews)
  const model = await loadLayersModelFromDir(dir)
  const outputShape = model.outputs[0]?.shape
  const units = outputShape?.[outputShape.length - 1]
  if (units !== sidecar.labels.length) {
    model.dispose()
    throw new ModelArtifactError(
      dir,
      `model has ${String(units)} outputs but ${sidecar.labels.length} labels`,
    )
  }
  const ref =
    options.ref ??
    (sidecar.metadata
      ? `${sidecar.metadata.name}@${sidecar.metadata.version}`
      : `${path.basename(path.resolve(dir))}@local`)
  return createLayersClassifier(model, { ...sidecar, ...served, ref, log: options.log })
}

export interface LayersClassifierOptions {
  ref: string
  labels: readonly string[]
  preprocess: { size: number; fit: 'stretch' | 'cover' }
  temperature?: number
  /** Test-time views each answer combines; default the whole image once. */
  views?: readonly TestTimeView[]
  log?: Logger
}

/** Wraps an in-memory softmax model as a Classifier; the Classifier owns (and disposes) the model. */
export function createLayersClassifier(model: tf.LayersModel, options: LayersClassifierOptions): Classifier {
  const { views } = options
  if (!views || isFullViewOnly(views)) return createSingleViewClassifier(model, options)
  const raw = createSingleViewClassifier(model, { ...options, temperature: 1 })
  return withTestTimeViews(raw, views, options.temperature ?? 1)
}

function createSingleViewClassifier(model: tf.LayersModel, options: LayersClassifierOptions): Classifier {
  const { ref, preprocess } = options
  const labels = Object.freeze([...options.labels])
  const temperature = options.temperature ?? 1
  const pixels = preprocess.size * preprocess.size * CHANNELS
  let isDisposed = false
  const views = options.views?.length ?? 1
  options.log?.debug(
    { ref, labels: labels.length, size: preprocess.size, temperature, views },
    'classifier loaded',
  )
  return {
    ref,
    labels,
    preprocess: { ...preprocess },
    async predict(batch) {
      if (isDisposed) throw new ModelInputError(`classifier ${ref} was disposed`)
      if (batch.length === 0) return []
      const flat = packBatch(batch, pixels)
      const probs = tf.tidy(() => {
        const input = tf.tensor4d(flat, [batch.length, preprocess.size, preprocess.size, CHANNELS])
        const out = model.predict(input)
        const p = Array.isArray(out) ? out[0] : out
        if (p === undefined) throw new ModelInputError('model produced no output')
        return temperature === 1 ? p : applyTemperature(p, temperature)
      })
      let values: Float32Array
      try {
        values = Float32Array.from(await probs.data())
      } finally {
        probs.dispose()
      }
      const k = labels.length
      return batch.map((_, i) => values.slice(i * k, (i + 1) * k))
    },
    async dispose() {
      if (isDisposed) return
      isDisposed = true
      model.dispose()
    },
  }
}

/** softmax(log(p) / T): temperature scaling of a model that outputs softmax rather than logits. */
export function applyTemperature(probs: tf.Tensor, temperature: number): tf.Tensor {
  return tf.tidy(() => tf.softmax(tf.div(tf.log(tf.clipByValue(probs, MIN_PROBABILITY, 1)), temperature)))
}

import { readFile } from 'node:fs/promises'
import path from 'node:path'
import * as ort from 'onnxruntime-node'
import { CHANNELS } from '../../data/index.js'
import type { Logger } from '../../log/index.js'
import { readArtifactSidecar, resolveServedViews, type Precision } from '../artifact.js'
import { scaleProbabilities } from '../calibration.js'
import type { Classifier } from '../classifier.js'
import { ModelInputError } from '../errors.js'
import {
  isFullViewOnly,
  TEST_VIEW_PRESETS,
  withTestTimeViews,
  type TestViewPreset,
} from '../test-time-views.js'
import { OnnxInferenceError, OnnxModelError } from './errors.js'
import { packBatch } from '../pack-batch.js'

/** The ONNX file inside an artifact folder (written by `ensureOnnx` or `sportscan models export`). */
export const ONNX_MODEL_FILE = 'model.onnx'
/** Its int8 twin (QDQ: int8 weights, uint8 activations calibrated on training photos), written by the pipeline. */
export const ONNX_INT8_MODEL_FILE = 'model.int8.onnx'

export interface LoadOnnxClassifierOptions {
  /** ONNX Runtime intra-op threads (default 1: one core per session, so a worker pool can use the rest). */
  intraOpThreads?: number
  /**
   * Whether idle intra-op threads spin-wait for work (ORT's default, true): lower latency on idle cores, but
   * burnt CPU that other workers could use when the cores are shared.
   */
  isSpinning?: boolean
  /** Answer with this view preset instead of the model's own views (it must be calibrated for it). */
  testViews?: TestViewPreset | 'model'
  /** The .onnx file; default `<dir>/model.onnx`, or `<dir>/model.int8.onnx` for int8. */
  file?: string
  /** `int8` answers with the int8 twin's own temperatures (calibration.json `int8`); default fp32. */
  precision?: Precision
  /**
   * Raw probabilities (temperature 1) through `testViews`' views, even for a twin not calibrated yet: what
   * fitting its temperature needs.
   */
  isUncalibrated?: boolean
  /** `name@version` to report; defaults to metadata.json's, else `<folder name>@local`. */
  ref?: string
  log?: Logger
}

/**
 * Loads an artifact folder's `model.onnx` with onnxruntime-node (CPU) as a Classifier: the same labels,
 * preprocessing spec and temperature (calibration.json) as `loadClassifier`, so both answer alike.
 */
export async function loadOnnxClassifier(
  dir: string,
  options: LoadOnnxClassifierOptions = {},
): Promise<Classifier> {
  const sidecar = await readArtifactSidecar(dir)
  const precision = options.precision ?? 'fp32'
  const served = options.isUncalibrated
    ? {
        views:
          options.testViews === undefined || options.testViews === 'model'
            ? sidecar.views
            : TEST_VIEW_PRESETS[options.testViews],
        temperature: 1,
      }
    : resolveServedViews(dir, sidecar, options.testViews, precision)
  const file = options.file ?? path.join(dir, precision === 'int8' ? ONNX_INT8_MODEL_FILE : ONNX_MODEL_FILE)
  const bytes = await readFile(file).catch((err: unknown) => {
    throw new OnnxModelError(file, 'cannot read the file', err)
  })
  const intraOpThreads = options.intraOpThreads ?? 1
  let session: ort.InferenceSession
  try {
    session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: intraOpThreads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
      extra: { session: { intra_op: { allow_spinning: options.isSpinning === false ? '0' : '1' } } },
    })
  } catch (err) {
    throw new OnnxModelError(file, 'ONNX Runtime cannot load it', err)
  }
  const { size } = sidecar.preprocess
  const k = sidecar.labels.length
  const [inputName, outputName] = [session.inputNames[0], session.outputNames[0]]
  const mismatch = checkSignature(session, size, k)
  if (inputName === undefined || outputName === undefined || mismatch !== undefined) {
    await session.release()
    throw new OnnxModelError(file, mismatch ?? 'the graph has no input or output')
  }
  const ref =
    options.ref ??
    (sidecar.metadata
      ? `${sidecar.metadata.name}@${sidecar.metadata.version}`
      : `${path.basename(path.resolve(dir))}@local`)
  const labels = Object.freeze([...sidecar.labels])
  // With several views the temperature applies to their combined answer, not to each view's.
  const isSingleView = isFullViewOnly(served.views)
  const temperature = isSingleView ? served.temperature : 1
  const pixels = size * size * CHANNELS
  let isDisposed = false
  options.log?.debug(
    {
      ref,
      file,
      labels: k,
      size,
      temperature: served.temperature,
      views: served.views.length,
      precision,
      intraOpThreads,
    },
    'ONNX classifier loaded',
  )
  const classifier: Classifier = {
    ref,
    labels,
    preprocess: { ...sidecar.preprocess },
    async predict(batch) {
      if (isDisposed) throw new ModelInputError(`classifier ${ref} was disposed`)
      if (batch.length === 0) return []
      const flat = packBatch(batch, pixels)
      let values: Float32Array
      try {
        const input = new ort.Tensor('float32', flat, [batch.length, size, size, CHANNELS])
        const result = await session.run({ [inputName]: input })
        const data = result[outputName]?.data
        if (!(data instanceof Float32Array) || data.length !== batch.length * k) {
          throw new Error(`output ${outputName} is not ${batch.length} x ${k} float32 values`)
        }
        values = data
      } catch (err) {
        throw new OnnxInferenceError(ref, err)
      }
      return batch.map((_, i) => {
        const row = values.slice(i * k, (i + 1) * k)
        return temperature === 1 ? row : scaleProbabilities(row, temperature)
      })
    },
    async dispose() {
      if (isDisposed) return
      isDisposed = true
      await session.release()
    },
  }
  return isSingleView ? classifier : withTestTimeViews(classifier, served.views, served.temperature)
}

/** Why the graph does not take [batch, size, size, 3] images or give [batch, classes], if it does not. */
function checkSignature(session: ort.InferenceSession, size: number, classes: number): string | undefined {
  const input = session.inputMetadata[0]
  const output = session.outputMetadata[0]
  if (input?.isTensor === true) {
    const [, h, w, c] = input.shape
    if (input.shape.length !== 4 || h !== size || w !== size || c !== CHANNELS) {
      return `input is [${input.shape.join(', ')}], expected [batch, ${size}, ${size}, ${CHANNELS}] (preprocess.json)`
    }
  }
  if (output?.isTensor === true) {
    if (output.shape.length !== 2 || output.shape[1] !== classes) {
      return `output is [${output.shape.join(', ')}], expected [batch, ${classes}] (labels.json)`
    }
  }
  return undefined
}

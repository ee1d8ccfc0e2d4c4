import type { Logger } from '../../log/index.js'
import { readArtifactSidecar, resolveServedViews, type Precision } from '../artifact.js'
import type { Classifier } from '../classifier.js'
import { loadClassifier } from '../load-classifier.js'
import { loadOnnxClassifier } from '../onnx/load-onnx-classifier.js'
import type { TestViewPreset } from '../test-time-views.js'
import { servedOnnxFile, type PrecisionChoice } from './served-onnx-file.js'

/** How a model answers: the registry's ServedModel has these fields (model/ does not import registry/). */
export interface ServedModelSpec {
  dir: string
  ref?: string
  runtime: 'auto' | 'onnx' | 'tfjs'
  precision: PrecisionChoice
  testViews: TestViewPreset | 'model'
}

/** What serving decided: TF.js, or ONNX Runtime with this file in this precision. */
export type RuntimeChoice = { runtime: 'tfjs' } | { runtime: 'onnx'; file: string; precision: Precision }

/**
 * The one place that decides how a served model runs, for the server, `sportscan evaluate` and the retraining
 * gate alike: `onnx` (int8 twin or float graph, per `precision`), `tfjs`, or `auto` (ONNX when the model
 * exports, else TF.js). int8 asked of TF.js is refused: TF.js runs the float weights.
 */
export async function chooseRuntime(
  spec: ServedModelSpec,
  options: { home: string; log?: Logger },
): Promise<RuntimeChoice> {
  if (spec.runtime === 'tfjs') {
    if (spec.precision === 'int8') {
      throw new Error('SPORTSCAN_PRECISION=int8 needs the ONNX runtime (SPORTSCAN_RUNTIME=onnx or auto)')
    }
    return { runtime: 'tfjs' }
  }
  try {
    return {
      runtime: 'onnx',
      ...(await servedOnnxFile(spec.dir, spec.precision, { ...options, ref: spec.ref })),
    }
  } catch (err) {
    if (spec.runtime === 'onnx' || spec.precision === 'int8') throw err
    options.log?.warn({ err, dir: spec.dir }, 'ONNX Runtime cannot serve this model; falling back to TF.js')
    return { runtime: 'tfjs' }
  }
}

/** Loads the served model in this thread, as chooseRuntime decides (the server may use a worker pool instead). */
export async function loadServedModel(
  spec: ServedModelSpec,
  options: { home: string; log?: Logger; intraOpThreads?: number },
): Promise<{ classifier: Classifier; choice: RuntimeChoice }> {
  // Views first: a preset the model has no temperature for fails before any export is written.
  resolveServedViews(spec.dir, await readArtifactSidecar(spec.dir), spec.testViews)
  const choice = await chooseRuntime(spec, options)
  const common = { testViews: spec.testViews, ...(spec.ref ? { ref: spec.ref } : {}), log: options.log }
  if (choice.runtime === 'tfjs') return { classifier: await loadClassifier(spec.dir, common), choice }
  try {
    const classifier = await loadOnnxClassifier(spec.dir, {
      ...common,
      file: choice.file,
      precision: choice.precision,
      intraOpThreads: options.intraOpThreads ?? 1,
      // Spin-waiting intra-op threads doubled the CPU per request (bench:serve, 2 threads: 24-26 CPU ms vs
      // 10-11 with 1) on cores shared with sharp, the event loop and PostgreSQL.
      isSpinning: false,
    })
    return { classifier, choice }
  } catch (err) {
    if (spec.runtime === 'onnx' || spec.precision === 'int8') throw err
    options.log?.warn({ err, dir: spec.dir }, 'ONNX Runtime cannot load this model; falling back to TF.js')
    return { classifier: await loadClassifier(spec.dir, common), choice: { runtime: 'tfjs' } }
  }
}

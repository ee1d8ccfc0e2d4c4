import { cp, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Type } from 'typebox'
import { createSeededRandom, shuffled } from '../../data/index.js'
import {
  ARTIFACT_FILES,
  computeClassificationMetrics,
  evaluateClassifier,
  expectedCalibrationError,
  fitViewTemperatures,
  initBackend,
  loadOnnxClassifier,
  ONNX_INT8_MODEL_FILE,
  ONNX_MODEL_FILE,
  readArtifactSidecar,
  scaleProbabilities,
  writeInt8Calibration,
  writeInt8OnnxForArtifact,
  writeOnnxForArtifact,
  type Precision,
  type TestViewPreset,
} from '../../model/index.js'
import { defineStep } from '../step-type.js'
import { readStoredSplit } from './split-file.js'
import { objectInput, stringInput, toJson } from './step-inputs.js'
import { readTensorStore, selectImages } from './tensor-store.js'

/**
 * Ships the evaluated model for ONNX Runtime: its float graph (model.onnx) and an int8 twin (model.int8.onnx)
 * whose activation ranges are measured on a seeded sample of training photos. The twin gets its own
 * temperatures, fitted on validation like the float ones (rounding changes how sure the network sounds), and
 * is scored on the same subset as evaluate so the model card can show what int8 costs.
 */
export const quantizeStep = defineStep({
  name: 'quantize',
  version: '1',
  description: 'ONNX export, int8 twin calibrated on training photos, its temperatures and test metrics',
  inputs: {
    model: { kind: 'model' },
    metrics: { kind: 'metrics' },
    tensors: { kind: 'tensors' },
    split: { kind: 'split' },
  },
  outputs: {
    model: { kind: 'model', isPath: true, description: 'the artifact with model.onnx and model.int8.onnx' },
    metrics: { kind: 'metrics', description: "evaluate's metrics with an int8 block" },
  },
  params: Type.Object(
    {
      calibrationImages: Type.Integer({
        minimum: 1,
        default: 128,
        description: 'training photos ranges come from',
      }),
      clipShare: Type.Number({ minimum: 0, maximum: 0.01, default: 1e-4 }),
      seed: Type.Integer({ default: 42 }),
    },
    { additionalProperties: false },
  ),
  async run(ctx) {
    // The float export reads the TF.js artifact: the backend must be up even when every earlier step was cached.
    await initBackend({ log: ctx.log })
    const evaluatedDir = stringInput(ctx.inputs, 'model')
    const fp32Metrics = objectInput(ctx.inputs, 'metrics')
    const store = await readTensorStore(stringInput(ctx.inputs, 'tensors'))
    const split = await readStoredSplit(stringInput(ctx.inputs, 'split'))
    const modelDir = path.join(ctx.outDir, 'model')
    await cp(evaluatedDir, modelDir, { recursive: true })

    await writeOnnxForArtifact(modelDir, path.join(modelDir, ONNX_MODEL_FILE), { log: ctx.log })
    const sample = shuffled(split.train, createSeededRandom(ctx.params.seed)).slice(
      0,
      ctx.params.calibrationImages,
    )
    ctx.progress(`int8: measuring activation ranges on ${sample.length} training photos`)
    const written = await writeInt8OnnxForArtifact(modelDir, path.join(modelDir, ONNX_INT8_MODEL_FILE), {
      calibrationImages: selectImages(store, sample).images,
      clipShare: ctx.params.clipShare,
      log: ctx.log,
    })
    ctx.progress(
      `int8: ${written.activations} activations quantised, ${written.keptWeights} weight tensors keep their source file's steps (${(written.bytes / 1e6).toFixed(1)} MB)`,
    )

    const raw = (precision: Precision, preset: TestViewPreset | 'model') =>
      loadOnnxClassifier(modelDir, { precision, testViews: preset, isUncalibrated: true, intraOpThreads: 2 })
    const val = selectImages(store, split.val)
    const { temperatures: byTestViews } = await fitViewTemperatures({
      classifierFor: (preset) => raw('int8', preset),
      dispose: true,
      ...val,
      signal: ctx.signal,
      onPreset: (preset, accuracy, t) =>
        ctx.progress(
          `int8 validation through ${preset} views: ${(accuracy * 100).toFixed(1)}%, temperature ${t.toFixed(3)}`,
        ),
    })
    const servedPreset = fp32Metrics.testViews as TestViewPreset
    const temperature = byTestViews[servedPreset] ?? 1
    await writeInt8Calibration(modelDir, { temperature, byTestViews })

    // Both ONNX graphs through the model's own views on the subset evaluate scored: accuracy and agreement.
    const subsetName = fp32Metrics.subset === 'val' ? 'val' : 'test'
    const subset = selectImages(store, split[subsetName])
    const sidecar = await readArtifactSidecar(modelDir)
    const probsOf = async (precision: Precision) => {
      const classifier = await raw(precision, 'model')
      try {
        return (await evaluateClassifier(classifier, subset.images, subset.labels, { signal: ctx.signal }))
          .probs
      } finally {
        await classifier.dispose()
      }
    }
    const int8Raw = await probsOf('int8')
    const fp32Raw = await probsOf('fp32')
    const int8Probs = int8Raw.map((p) => scaleProbabilities(p, temperature))
    const scored = computeClassificationMetrics(int8Probs, subset.labels, sidecar.labels)
    const top = (p: Float32Array) => p.indexOf(Math.max(...p))
    const agreement =
      int8Raw.filter((p, i) => top(p) === top(fp32Raw[i]!)).length / Math.max(1, int8Raw.length)
    const int8 = {
      accuracy: scored.accuracy,
      macroF1: scored.macroF1,
      ece: scored.ece,
      eceUncalibrated: expectedCalibrationError(int8Raw, subset.labels),
      temperature,
      agreementWithFp32: agreement,
      perClass: scored.perClass,
      calibrationImages: sample.length,
      bytes: written.bytes,
    }
    const metrics = toJson({ ...fp32Metrics, int8 })
    await writeFile(path.join(modelDir, ARTIFACT_FILES.metrics), `${JSON.stringify(metrics, null, 2)}\n`)
    ctx.progress(
      `int8 ${subsetName} accuracy ${(scored.accuracy * 100).toFixed(1)}% (float ${(Number(fp32Metrics.accuracy) * 100).toFixed(1)}%), same answer as float on ${(agreement * 100).toFixed(1)}%`,
    )
    return { model: 'model', metrics }
  },
})

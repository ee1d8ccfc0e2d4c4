import { copyFile } from 'node:fs/promises'
import path from 'node:path'
import { Type } from 'typebox'
import {
  ARTIFACT_FILES,
  computeClassificationMetrics,
  createLayersClassifier,
  evaluateClassifier,
  expectedCalibrationError,
  fitViewTemperatures,
  initBackend,
  isFullViewOnly,
  loadLayersModelFromDir,
  readArtifactSidecar,
  saveModelArtifact,
  scaleProbabilities,
  TEST_VIEW_PRESETS,
  writeConfusionMatrixPng,
  type TestViewPreset,
} from '../../model/index.js'
import { defineStep } from '../step-type.js'
import { readStoredSplit } from './split-file.js'
import { stringInput, toJson } from './step-inputs.js'
import { readTensorStore, selectImages } from './tensor-store.js'

const PRESET_NAMES = Object.keys(TEST_VIEW_PRESETS) as TestViewPreset[]

/**
 * Scores the trained model on a held-out subset and writes the final artifact: the trained network, the
 * test-time views it answers from, a temperature fitted on validation through those views (so confidences
 * mean what they say), metrics and a confusion matrix.
 */
export const evaluateStep = defineStep({
  name: 'evaluate',
  version: '3',
  description: 'test-time views, test-subset metrics, confusion matrix, temperature fitted on validation',
  inputs: { model: { kind: 'model' }, tensors: { kind: 'tensors' }, split: { kind: 'split' } },
  outputs: {
    model: { kind: 'model', isPath: true, description: 'calibrated artifact with metrics and plots' },
    metrics: { kind: 'metrics', description: 'accuracy, macroF1, perClass, confusion, ece, temperature' },
  },
  params: Type.Object(
    {
      subset: Type.Union([Type.Literal('test'), Type.Literal('val')], { default: 'test' }),
      calibrate: Type.Boolean({ default: true }),
      testViews: Type.Union(
        PRESET_NAMES.map((name) => Type.Literal(name)),
        { default: 'full', description: 'views each answer averages: full, centre, centre-flip, multi-crop' },
      ),
    },
    { additionalProperties: false },
  ),
  async run(ctx) {
    await initBackend({ log: ctx.log })
    const trainedDir = stringInput(ctx.inputs, 'model')
    const store = await readTensorStore(stringInput(ctx.inputs, 'tensors'))
    const split = await readStoredSplit(stringInput(ctx.inputs, 'split'))
    const subset = selectImages(store, split[ctx.params.subset])
    if (subset.images.length === 0) throw new Error(`the ${ctx.params.subset} subset is empty`)
    const val = selectImages(store, split.val)
    const sidecar = await readArtifactSidecar(trainedDir)
    const model = await loadLayersModelFromDir(trainedDir)
    const views = TEST_VIEW_PRESETS[ctx.params.testViews]
    // Uncalibrated (T = 1) so temperatures are fitted on raw probabilities. These share `model`: only the
    // chosen one is disposed, which disposes it.
    const classifierFor = (preset: TestViewPreset) =>
      createLayersClassifier(model, {
        ref: `${ctx.stepName}@${preset}`,
        labels: sidecar.labels,
        preprocess: sidecar.preprocess,
        views: TEST_VIEW_PRESETS[preset],
        log: ctx.log,
      })
    const classifier = classifierFor(ctx.params.testViews)
    try {
      // Every preset is calibrated on validation, so a server can trade views for speed without a retrain.
      const calibration = await fitViewTemperatures({
        classifierFor: (preset) => (preset === ctx.params.testViews ? classifier : classifierFor(preset)),
        // They share `model`, which the chosen classifier disposes below.
        dispose: false,
        ...(ctx.params.calibrate ? val : { images: [], labels: [] }),
        signal: ctx.signal,
        onPreset: (preset, accuracy, t) =>
          ctx.progress(
            `validation through ${preset} views: ${(accuracy * 100).toFixed(1)}%, temperature ${t.toFixed(3)} (${val.images.length} images)`,
          ),
      })
      const viewTemperatures = calibration.temperatures
      const validationByTestViews = calibration.byPreset
      const temperature = viewTemperatures[ctx.params.testViews] ?? 1
      const raw = await evaluateClassifier(classifier, subset.images, subset.labels, { signal: ctx.signal })
      const probs = raw.probs.map((p) => scaleProbabilities(p, temperature))
      const scored = computeClassificationMetrics(probs, subset.labels, sidecar.labels)
      // What the views buy, on the same images: the whole image once through the same network.
      const fullView = isFullViewOnly(views)
        ? scored.accuracy
        : (
            await evaluateClassifier(classifierFor('full'), subset.images, subset.labels, {
              signal: ctx.signal,
            })
          ).metrics.accuracy
      const metrics = toJson({
        ...scored,
        subset: ctx.params.subset,
        testViews: ctx.params.testViews,
        views,
        accuracyFullView: fullView,
        validationByTestViews,
        temperature,
        eceUncalibrated: expectedCalibrationError(raw.probs, subset.labels),
      })
      const modelDir = path.join(ctx.outDir, 'model')
      await saveModelArtifact(modelDir, {
        model,
        labels: sidecar.labels,
        preprocess: sidecar.preprocess,
        temperature,
        views,
        viewTemperatures,
        metrics,
      })
      await writeConfusionMatrixPng(
        path.join(modelDir, ARTIFACT_FILES.confusionMatrix),
        scored.confusion,
        scored.labels,
        { title: `Confusion matrix (${ctx.params.subset}, n=${scored.n})` },
      )
      for (const file of [ARTIFACT_FILES.learningCurves, 'history.json', ARTIFACT_FILES.quantization]) {
        await copyFile(path.join(trainedDir, file), path.join(modelDir, file)).catch((err: unknown) => {
          if ((err as { code?: unknown }).code !== 'ENOENT') throw err
        })
      }
      ctx.progress(
        `${ctx.params.subset} accuracy ${(scored.accuracy * 100).toFixed(1)}%, macro-F1 ${scored.macroF1.toFixed(3)}, n=${scored.n}`,
      )
      return { model: 'model', metrics }
    } finally {
      await classifier.dispose()
    }
  },
})

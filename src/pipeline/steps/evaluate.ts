import { copyFile } from 'node:fs/promises'
import path from 'node:path'
import { Type } from 'typebox'
import {
  ARTIFACT_FILES,
  computeClassificationMetrics,
  createLayersClassifier,
  evaluateClassifier,
  expectedCalibrationError,
  fitTemperature,
  initBackend,
  loadLayersModelFromDir,
  readArtifactSidecar,
  saveModelArtifact,
  scaleProbabilities,
  writeConfusionMatrixPng,
} from '../../model/index.js'
import { defineStep } from '../step-type.js'
import { readStoredSplit } from './split-file.js'
import { stringInput, toJson } from './step-inputs.js'
import { readTensorStore, selectImages } from './tensor-store.js'

/**
 * Scores the trained model on a held-out subset and writes the final artifact: the trained network plus a
 * temperature fitted on validation (so confidences mean what they say), metrics and a confusion matrix.
 */
export const evaluateStep = defineStep({
  name: 'evaluate',
  version: '1',
  description: 'test-subset metrics, confusion matrix, temperature fitted on validation',
  inputs: { model: { kind: 'model' }, tensors: { kind: 'tensors' }, split: { kind: 'split' } },
  outputs: {
    model: { kind: 'model', isPath: true, description: 'calibrated artifact with metrics and plots' },
    metrics: { kind: 'metrics', description: 'accuracy, macroF1, perClass, confusion, ece, temperature' },
  },
  params: Type.Object(
    {
      subset: Type.Union([Type.Literal('test'), Type.Literal('val')], { default: 'test' }),
      calibrate: Type.Boolean({ default: true }),
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
    // Uncalibrated (T = 1) so the temperature is fitted on raw probabilities.
    const classifier = createLayersClassifier(model, {
      ref: `${ctx.stepName}@local`,
      labels: sidecar.labels,
      preprocess: sidecar.preprocess,
      log: ctx.log,
    })
    try {
      let temperature = 1
      if (ctx.params.calibrate && val.images.length > 0) {
        const onVal = await evaluateClassifier(classifier, val.images, val.labels, { signal: ctx.signal })
        temperature = fitTemperature(onVal.probs, val.labels)
        ctx.progress(`temperature ${temperature.toFixed(3)} fitted on ${val.images.length} validation images`)
      }
      const raw = await evaluateClassifier(classifier, subset.images, subset.labels, { signal: ctx.signal })
      const probs = raw.probs.map((p) => scaleProbabilities(p, temperature))
      const scored = computeClassificationMetrics(probs, subset.labels, sidecar.labels)
      const metrics = toJson({
        ...scored,
        subset: ctx.params.subset,
        temperature,
        eceUncalibrated: expectedCalibrationError(raw.probs, subset.labels),
      })
      const modelDir = path.join(ctx.outDir, 'model')
      await saveModelArtifact(modelDir, {
        model,
        labels: sidecar.labels,
        preprocess: sidecar.preprocess,
        temperature,
        metrics,
      })
      await writeConfusionMatrixPng(
        path.join(modelDir, ARTIFACT_FILES.confusionMatrix),
        scored.confusion,
        scored.labels,
        { title: `Confusion matrix (${ctx.params.subset}, n=${scored.n})` },
      )
      for (const file of [ARTIFACT_FILES.learningCurves, 'history.json']) {
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

import { access, readFile } from 'node:fs/promises'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { describe, expect, test } from '../fixtures.js'
import { BALL_LABELS } from '../../src/data/index.js'
import { evaluateDirectory, loadClassifier, saveModelArtifact } from '../../src/model/index.js'
import { buildTinyModel } from './tiny-model.js'

const datasetDir = process.env.SPORTSCAN_DATASET
const splitFile =
  process.env.SPORTSCAN_SPLIT_FILE ||
  (datasetDir ? path.join(path.dirname(datasetDir), 'sports-balls-split.json') : '')

// Runs only when SPORTSCAN_DATASET is set (CI sets it); a set but missing folder must fail, not skip.
describe.runIf(Boolean(datasetDir))('evaluating on the real sports-balls test split', () => {
  test('scores every listed test image, each under its class folder', async ({ tmpDir, log }) => {
    const dir = datasetDir ?? ''
    await expect(access(dir), `SPORTSCAN_DATASET=${dir} does not exist`).resolves.toBeUndefined()
    await tf.setBackend('cpu')
    // An untrained 16 px model: this checks the listing and the bookkeeping, not accuracy.
    const model = buildTinyModel(16, BALL_LABELS.length, 1)
    const modelDir = path.join(tmpDir, 'model')
    await saveModelArtifact(modelDir, {
      model,
      labels: BALL_LABELS,
      preprocess: { size: 16, fit: 'stretch' },
    })
    model.dispose()
    const classifier = await loadClassifier(modelDir)
    const split = JSON.parse(await readFile(splitFile, 'utf8')) as { test: string[] }
    const result = await evaluateDirectory(classifier, {
      dataDir: dir,
      splitFile,
      subset: 'test',
      log,
      batchSize: 64,
    })
    await classifier.dispose()
    expect(result.n).toBe(split.test.length)
    expect(result.confusion.flat().reduce((a, b) => a + b, 0)).toBe(split.test.length)
    for (const label of BALL_LABELS) {
      expect(result.perClass[label]?.support).toBe(split.test.filter((p) => p.startsWith(`${label}/`)).length)
    }
  })
})

import path from 'node:path'
import { readFile, writeFile } from 'node:fs/promises'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, test } from '../fixtures.js'
import { getArchitecture, loadClassifier, saveModelArtifact } from '../../src/model/index.js'
import { buildTinyModel, randomImages } from './tiny-model.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const preprocess = { size: 16, fit: 'stretch' } as const

describe('loadClassifier', () => {
  test('predicts exactly what the saved in-memory model predicts', async ({ tmpDir }) => {
    const model = buildTinyModel()
    const images = randomImages(5)
    const expected = tf.tidy(() => model.predict(tf.tensor4d(flatten(images), [5, 16, 16, 3])) as tf.Tensor)
    const expectedValues = await expected.data()
    expected.dispose()

    await saveModelArtifact(tmpDir, {
      model,
      labels: ['a', 'b', 'c'],
      preprocess,
      metadata: { name: 'tiny', version: 3 },
    })
    model.dispose()
    const classifier = await loadClassifier(tmpDir)
    expect(classifier.ref).toBe('tiny@3')
    expect(classifier.labels).toEqual(['a', 'b', 'c'])
    expect(classifier.preprocess).toEqual(preprocess)
    const got = await classifier.predict(images)
    expect(got).toHaveLength(5)
    got.forEach((row, i) => {
      expect(row).toBeInstanceOf(Float32Array)
      expect(row).toHaveLength(3)
      for (let j = 0; j < 3; j++) expect(row[j]).toBeCloseTo(expectedValues[i * 3 + j]!, 6)
    })
    await classifier.dispose()
  })

  for (const name of ['seed-cnn', 'resnet-small', 'sep-cnn']) {
    test(`round-trips the ${name} architecture`, async ({ tmpDir }) => {
      const model = getArchitecture(name).build({ inputSize: 16, numClasses: 3, seed: 4, widths: [8, 16] })
      const images = randomImages(2)
      const expected = tf.tidy(() => model.predict(tf.tensor4d(flatten(images), [2, 16, 16, 3])) as tf.Tensor)
      const expectedValues = await expected.data()
      expected.dispose()
      await saveModelArtifact(tmpDir, { model, labels: ['a', 'b', 'c'], preprocess })
      model.dispose()
      const classifier = await loadClassifier(tmpDir)
      const got = await classifier.predict(images)
      got.flatMap((row) => Array.from(row)).forEach((v, i) => expect(v).toBeCloseTo(expectedValues[i]!, 6))
      await classifier.dispose()
    })
  }

  test('applies the calibration temperature as softmax(log(p) / T)', async ({ tmpDir }) => {
    const model = buildTinyModel()
    const images = randomImages(2)
    const plainDir = path.join(tmpDir, 'plain')
    const warmDir = path.join(tmpDir, 'warm')
    await saveModelArtifact(plainDir, { model, labels: ['a', 'b', 'c'], preprocess })
    await saveModelArtifact(warmDir, { model, labels: ['a', 'b', 'c'], preprocess, temperature: 2 })
    // saving again without a temperature drops the earlier calibration
    await saveModelArtifact(plainDir, { model, labels: ['a', 'b', 'c'], preprocess, temperature: 3 })
    await saveModelArtifact(plainDir, { model, labels: ['a', 'b', 'c'], preprocess })
    const plain = await loadClassifier(plainDir, { ref: 'plain@1' })
    const warm = await loadClassifier(warmDir)
    expect(plain.ref).toBe('plain@1')
    expect(warm.ref).toBe('warm@local')
    const [p] = await plain.predict(images.slice(0, 1))
    model.dispose()
    const [q] = await warm.predict(images.slice(0, 1))
    const roots = Array.from(p!, (v) => Math.sqrt(v))
    const sum = roots.reduce((a, b) => a + b, 0)
    roots.forEach((r, j) => expect(q![j]).toBeCloseTo(r / sum, 5))
    await Promise.all([plain.dispose(), warm.dispose()])
  })

  test('keeps the tensor count flat across predictions', async ({ tmpDir }) => {
    const model = buildTinyModel()
    await saveModelArtifact(tmpDir, { model, labels: ['a', 'b', 'c'], preprocess, temperature: 1.5 })
    model.dispose()
    const classifier = await loadClassifier(tmpDir)
    await classifier.predict(randomImages(3))
    const before = tf.memory().numTensors
    for (let i = 0; i < 3; i++) await classifier.predict(randomImages(4))
    expect(tf.memory().numTensors).toBe(before)
    await classifier.dispose()
  })

  test('refuses images of the wrong size and labels that do not match the outputs', async ({ tmpDir }) => {
    const model = buildTinyModel()
    await expect(saveModelArtifact(tmpDir, { model, labels: ['a', 'b'], preprocess })).rejects.toMatchObject({
      code: 'SPS_MODEL_ARTIFACT_INVALID',
    })
    await saveModelArtifact(tmpDir, { model, labels: ['a', 'b', 'c'], preprocess })
    model.dispose()
    const classifier = await loadClassifier(tmpDir)
    await expect(classifier.predict([new Float32Array(10)])).rejects.toMatchObject({
      code: 'SPS_MODEL_INPUT_INVALID',
    })
    await classifier.dispose()
    await writeFile(path.join(tmpDir, 'labels.json'), JSON.stringify(['a', 'b']))
    await expect(loadClassifier(tmpDir)).rejects.toMatchObject({ code: 'SPS_MODEL_ARTIFACT_INVALID' })
  })

  test('writes a standard TF.js layers model.json', async ({ tmpDir }) => {
    const model = buildTinyModel()
    await saveModelArtifact(tmpDir, {
      model,
      labels: ['a', 'b', 'c'],
      preprocess,
      metrics: { accuracy: 0.5 },
    })
    model.dispose()
    const json = JSON.parse(await readFile(path.join(tmpDir, 'model.json'), 'utf8')) as {
      format: string
      weightsManifest: Array<{ paths: string[] }>
    }
    expect(json.format).toBe('layers-model')
    expect(json.weightsManifest[0]!.paths).toEqual(['./weights.bin'])
    expect(JSON.parse(await readFile(path.join(tmpDir, 'metrics.json'), 'utf8'))).toEqual({ accuracy: 0.5 })
  })

  test('fails with a typed error for a folder that is not an artifact', async ({ tmpDir }) => {
    await expect(loadClassifier(tmpDir)).rejects.toMatchObject({ code: 'SPS_MODEL_ARTIFACT_INVALID' })
  })
})

function flatten(images: Float32Array[]): Float32Array {
  const out = new Float32Array(images.length * images[0]!.length)
  images.forEach((img, i) => out.set(img, i * img.length))
  return out
}

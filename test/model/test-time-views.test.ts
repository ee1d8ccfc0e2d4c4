import { readFile, writeFile } from 'node:fs/promises'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, test } from '../fixtures.js'
import {
  combineViews,
  loadClassifier,
  loadOnnxClassifier,
  readArtifactSidecar,
  selectViews,
  renderView,
  saveModelArtifact,
  scaleProbabilities,
  TEST_VIEW_PRESETS,
  writeOnnxForArtifact,
  ModelArtifactError,
} from '../../src/model/index.js'
import { buildTinyModel, randomImages } from './tiny-model.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** An image whose pixel (y, x) holds (y, x, 0.5) in its channels, so any resampling shows in the values. */
function coordinateImage(size: number): Float32Array {
  const image = new Float32Array(size * size * 3)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) image.set([y, x, 0.5], (y * size + x) * 3)
  }
  return image
}

const pixel = (image: Float32Array, size: number, y: number, x: number): number[] =>
  Array.from(image.subarray((y * size + x) * 3, (y * size + x) * 3 + 3))

describe('renderView', () => {
  test('returns the whole image itself, mirrors columns, and keeps the centre of a crop', () => {
    const size = 5
    const image = coordinateImage(size)
    expect(renderView(image, size, { crop: 1, flip: false })).toBe(image)
    const mirrored = renderView(image, size, { crop: 1, flip: true })
    expect(pixel(mirrored, size, 1, 0)).toEqual([1, 4, 0.5])
    expect(pixel(mirrored, size, 3, 4)).toEqual([3, 0, 0.5])
    // A crop of 0.5 maps the output grid onto source coordinates 1..3 (the centre half), linearly.
    const cropped = renderView(image, size, { crop: 0.5, flip: false })
    expect(pixel(cropped, size, 0, 0)).toEqual([1, 1, 0.5])
    expect(pixel(cropped, size, 2, 2)).toEqual([2, 2, 0.5])
    expect(pixel(cropped, size, 4, 1)).toEqual([3, 1.5, 0.5])
    const both = renderView(image, size, { crop: 0.5, flip: true })
    expect(pixel(both, size, 4, 1)).toEqual([3, 2.5, 0.5])
  })
})

describe('combineViews', () => {
  test('is the temperature-scaled geometric mean of the views, and one view is plain temperature scaling', () => {
    const a = Float32Array.from([0.7, 0.2, 0.1])
    const b = Float32Array.from([0.1, 0.6, 0.3])
    const combined = combineViews([a, b], 0.5)
    const mean = [0, 1, 2].map((k) => (Math.log(a[k]!) + Math.log(b[k]!)) / 2 / 0.5)
    const sum = mean.reduce((s, v) => s + Math.exp(v), 0)
    combined.forEach((v, k) => expect(v).toBeCloseTo(Math.exp(mean[k]!) / sum, 6))
    const single = combineViews([a], 0.7)
    const scaled = scaleProbabilities(a, 0.7)
    single.forEach((v, k) => expect(v).toBeCloseTo(scaled[k]!, 6))
  })
})

describe('a model artifact with test-time views', () => {
  const preprocess = { size: 16, fit: 'stretch' } as const
  const views = TEST_VIEW_PRESETS['multi-crop']

  test('answers each image from its views on TF.js and on ONNX Runtime alike', async ({ tmpDir }) => {
    const model = buildTinyModel()
    const images = randomImages(3)
    const temperature = 0.8
    // What the artifact must answer: each view through the network, combined.
    const perView = views.map((view) => {
      const batch = images.map((image) => renderView(image, 16, view))
      const flat = new Float32Array(batch.length * 16 * 16 * 3)
      batch.forEach((image, i) => flat.set(image, i * image.length))
      return tf
        .tidy(() => model.predict(tf.tensor4d(flat, [batch.length, 16, 16, 3])) as tf.Tensor)
        .arraySync()
    }) as number[][][]
    const expected = images.map((_, i) =>
      combineViews(
        perView.map((rows) => rows[i]!),
        temperature,
      ),
    )
    await saveModelArtifact(tmpDir, { model, labels: ['a', 'b', 'c'], preprocess, temperature, views })
    model.dispose()
    expect((await readArtifactSidecar(tmpDir)).views).toEqual(views)
    await writeOnnxForArtifact(tmpDir, `${tmpDir}/model.onnx`)
    for (const classifier of [await loadClassifier(tmpDir), await loadOnnxClassifier(tmpDir)]) {
      expect(classifier.preprocess).toEqual(preprocess)
      const got = await classifier.predict(images)
      expect(got).toHaveLength(3)
      got.forEach((row, i) => row.forEach((v, k) => expect(v).toBeCloseTo(expected[i]![k]!, 4)))
      await classifier.dispose()
    }
  })

  test('a whole-image-only model writes no views file, and a malformed one is refused by name', async ({
    tmpDir,
  }) => {
    const model = buildTinyModel()
    await saveModelArtifact(tmpDir, {
      model,
      labels: ['a', 'b', 'c'],
      preprocess,
      views: TEST_VIEW_PRESETS.full,
    })
    await expect(readFile(`${tmpDir}/views.json`)).rejects.toMatchObject({ code: 'ENOENT' })
    expect((await readArtifactSidecar(tmpDir)).views).toEqual(TEST_VIEW_PRESETS.full)
    await writeFile(`${tmpDir}/views.json`, JSON.stringify([{ crop: 1.5, flip: false }]))
    const err = await readArtifactSidecar(tmpDir).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ModelArtifactError)
    expect((err as Error).message).toMatch(/views\.json crop must be in \(0, 1\]/)
    model.dispose()
  })

  test('serves another calibrated preset on request, and refuses one it has no temperature for', async ({
    tmpDir,
  }) => {
    const model = buildTinyModel()
    const images = randomImages(2)
    const plain = tf
      .tidy(
        () =>
          model.predict(
            tf.tensor4d(Float32Array.from(images.flatMap((i) => Array.from(i))), [2, 16, 16, 3]),
          ) as tf.Tensor,
      )
      .arraySync() as number[][]
    await saveModelArtifact(tmpDir, {
      model,
      labels: ['a', 'b', 'c'],
      preprocess,
      temperature: 0.8,
      views: TEST_VIEW_PRESETS['centre-flip'],
      viewTemperatures: { full: 1.5, 'centre-flip': 0.8 },
    })
    await writeOnnxForArtifact(tmpDir, `${tmpDir}/model.onnx`)
    model.dispose()
    expect((await readArtifactSidecar(tmpDir)).viewTemperatures).toEqual({ full: 1.5, 'centre-flip': 0.8 })
    for (const load of [loadClassifier, loadOnnxClassifier]) {
      const classifier = await load(tmpDir, { testViews: 'full' })
      const got = await classifier.predict(images)
      got.forEach((row, i) => {
        const expected = scaleProbabilities(plain[i]!, 1.5)
        row.forEach((v, k) => expect(v).toBeCloseTo(expected[k]!, 4))
      })
      await classifier.dispose()
      const err = await load(tmpDir, { testViews: 'centre' }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ModelArtifactError)
      expect((err as Error).message).toMatch(
        /no temperature for test views "centre" \(it can serve: model, full, centre-flip\)/,
      )
    }
  })
})

describe('selectViews', () => {
  const own = { views: TEST_VIEW_PRESETS.centre, temperature: 0.7, viewTemperatures: { full: 1.1 } }

  test("keeps the model's own views for model, undefined or the preset it already uses", () => {
    for (const preset of ['model', undefined, 'centre'] as const) {
      expect(selectViews(own, preset)).toEqual({ views: own.views, temperature: 0.7 })
    }
    expect(selectViews(own, 'full')).toEqual({ views: TEST_VIEW_PRESETS.full, temperature: 1.1 })
    expect(selectViews(own, 'multi-crop')).toBeUndefined()
  })
})

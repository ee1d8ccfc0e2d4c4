import { access, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, test } from '../../fixtures.js'
import { inputScalingAffine, preprocessImage } from '../../../src/data/index.js'
import { BackboneError } from '../../../src/model/index.js'
import {
  BACKBONES_DIR,
  catalogEntry,
  catalogFile,
  INPUT_SCALING_LAYER,
  listCatalogBackbones,
  loadBackbone,
} from '../../../src/model/transfer/index.js'
import { readTflite, tfliteToLayers } from '../../../src/model/tflite/index.js'
import { writeTinyTflite } from '../tflite/tiny-tflite.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const datasetDir = process.env.SPORTSCAN_DATASET

describe('the backbone catalogue', () => {
  test('every entry is committed with its weights, licence and provenance, and names layers it has', async () => {
    expect(listCatalogBackbones()).toEqual(['imagenet:mobilenet_v2', 'imagenet:mobilenet_v1'])
    for (const id of listCatalogBackbones()) {
      const entry = catalogEntry(id)!
      const folder = path.join(BACKBONES_DIR, entry.folder)
      await expect(access(catalogFile(entry)), id).resolves.toBeUndefined()
      const files = await readdir(folder)
      expect(files, id).toEqual(expect.arrayContaining(['LICENSE', 'README.md']))
      expect(await readFile(path.join(folder, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0/)
      expect(await readFile(path.join(folder, 'README.md'), 'utf8')).toMatch(/Apache-2\.0/)
      const { model } = await loadBackbone(id, { inputSize: 64 })
      expect(model.getLayer(entry.featureNode).outputShape, id).toHaveLength(4)
      expect(() => model.getLayer(entry.fineTuneFrom), id).not.toThrow()
      model.dispose()
    }
  })

  test("each entry's input scaling is the model's first layer: [0, 1] pixels become the range it was trained on", async () => {
    // MobileNetV2 (uint8 input 0.0078125 * (q - 128)) and MobileNet v1 ([-1, 1]).
    const want = {
      'imagenet:mobilenet_v2': (x: number) => 0.0078125 * (255 * x - 128),
      'imagenet:mobilenet_v1': (x: number) => 2 * x - 1,
    }
    for (const [id, map] of Object.entries(want)) {
      const { model, inputScaling } = await loadBackbone(id, { inputSize: 32 })
      expect(inputScaling).toEqual(catalogEntry(id)!.inputScaling)
      const layer = model.getLayer(INPUT_SCALING_LAYER)
      expect(layer.trainable).toBe(false)
      const scaled = tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor })
      const pixels = [0, 0.25, 0.5, 1]
      // a 32x32 image whose pixels cycle through those grey levels
      const x = tf.tensor4d(
        Array.from({ length: 32 * 32 * 3 }, (_, i) => pixels[Math.floor(i / 3) % pixels.length]!),
        [1, 32, 32, 3],
      )
      const got = Array.from((scaled.predict(x) as tf.Tensor).dataSync()).slice(0, pixels.length * 3)
      got.forEach((v, i) => expect(v, `${id} pixel ${i}`).toBeCloseTo(map(pixels[Math.floor(i / 3)]!), 5))
      model.dispose()
    }
  })

  test('a .tflite path loads through the importer; a float one must be told its input range', async ({
    tmpDir,
  }) => {
    const file = path.join(tmpDir, 'float.tflite')
    await writeFile(
      file,
      writeTinyTflite({
        tensors: [
          { name: 'image', shape: [1, 4, 4, 3], type: 'FLOAT32' },
          {
            name: 'mean/axes',
            shape: [2],
            type: 'INT32',
            data: new Uint8Array(Int32Array.from([1, 2]).buffer),
          },
          { name: 'pooled', shape: [1, 3], type: 'FLOAT32' },
        ],
        inputs: [0],
        outputs: [2],
        ops: [{ code: 40, inputs: [0, 1], outputs: [2], options: { kind: 'mean', keepDims: false } }],
      }),
    )
    await expect(loadBackbone(file, { inputSize: 8 })).rejects.toThrow(BackboneError)
    await expect(loadBackbone(file, { inputSize: 8 })).rejects.toThrow(/set inputScaling/)
    const loaded = await loadBackbone(file, { inputSize: 8, inputScaling: { kind: 'symmetric' } })
    expect(loaded.format).toBe('tflite')
    const out = loaded.model.predict(tf.fill([1, 8, 8, 3], 0.75)) as tf.Tensor
    expect(Array.from(out.dataSync()).map((v) => Number(v.toFixed(5)))).toEqual([0.5, 0.5, 0.5])
  })
})

// The shipped MobileNetV2 is a complete ImageNet classifier (1001 classes, 0 = background): its own answer on
// dataset photos of ImageNet's ball classes shows the import (ops, weights, dequantisation, input range) is right.
describe.runIf(Boolean(datasetDir))('the imported MobileNetV2 on dataset photos', () => {
  test('names the ImageNet ball class of clear photos of it, e.g. "basketball" for a basketball', async () => {
    const dir = datasetDir ?? ''
    await expect(access(dir), `SPORTSCAN_DATASET=${dir} does not exist`).resolves.toBeUndefined()
    const entry = catalogEntry('imagenet:mobilenet_v2')!
    const { model, inputScaling } = tfliteToLayers(readTflite(await readFile(catalogFile(entry))), {
      source: entry.file,
    })
    const { scale, offset } = inputScalingAffine(inputScaling!)
    // ImageNet indices (+1 for the background class): basketball 430, soccer ball 805, tennis ball 852,
    // volleyball 890, golf ball 574, rugby ball 768.
    const photos: Array<[string, number]> = [
      ['basketball/basketball_107.jpg', 431],
      ['football/football_1004.jpg', 806],
      ['tennis_ball/tennis_1.jpg', 853],
      ['volleyball/volleyball_107.jpg', 891],
    ]
    let hits = 0
    for (const [photo, want] of photos) {
      const pixels = await preprocessImage(path.join(dir, photo), { size: 224, fit: 'cover' })
      const x = pixels.map((v, i) => v * scale[i % 3]! + offset[i % 3]!)
      const probs = (model.predict(tf.tensor4d(x, [1, 224, 224, 3])) as tf.Tensor).dataSync()
      const top = probs.indexOf(Math.max(...probs))
      if (top === want) hits++
    }
    expect(hits).toBeGreaterThanOrEqual(3)
    model.dispose()
  })
})

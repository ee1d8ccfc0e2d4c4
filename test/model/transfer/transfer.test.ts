import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'
import { beforeAll, describe, expect, test } from '../../fixtures.js'
import { BackboneError, loadBackbone, trainTransfer } from '../../../src/model/index.js'
import { buildFeatureExtractor, INPUT_SCALING_LAYER } from '../../../src/model/transfer/index.js'
import { exportOnnx } from '../../../src/model/onnx/index.js'
import { createAugmenter } from '../../../src/data/index.js'
import { colourSquares } from '../colour-squares.js'
import { saveTinyBackbone } from './tiny-backbone.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function batch(images: Float32Array[], size: number): tf.Tensor4D {
  const flat = new Float32Array(images.length * size * size * 3)
  images.forEach((image, i) => flat.set(image, i * image.length))
  return tf.tensor4d(flat, [images.length, size, size, 3])
}

/** Largest gap between TF.js's probabilities and those of the model exported to ONNX, on 16 px images. */
async function onnxDifference(
  model: tf.LayersModel,
  images: Float32Array[],
  probs: tf.Tensor,
): Promise<number> {
  const session = await ort.InferenceSession.create(exportOnnx(model))
  const out = await session.run({
    [session.inputNames[0]!]: new ort.Tensor('float32', batch(images, 16).dataSync() as Float32Array, [
      images.length,
      16,
      16,
      3,
    ]),
  })
  await session.release()
  const onnxProbs = out[session.outputNames[0]!]!.data as Float32Array
  return Math.max(...probs.dataSync().map((p, i) => Math.abs(p - onnxProbs[i]!)))
}

describe('loadBackbone', () => {
  test('loads a layers model from a folder or its model.json, rebuilt for another input size, weights intact', async ({
    tmpDir,
  }) => {
    const original = await saveTinyBackbone(tmpDir)
    for (const source of [tmpDir, path.join(tmpDir, 'model.json')]) {
      const { model: loaded, inputScaling } = await loadBackbone(source, { inputSize: 24 })
      expect(inputScaling).toEqual({ kind: 'unit' })
      expect(loaded.inputs[0]!.shape).toEqual([null, 24, 24, 3])
      const [a, b] = [
        original.getLayer('block_b').getWeights()[0]!,
        loaded.getLayer('block_b').getWeights()[0]!,
      ]
      expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBe(0)
    }
  })

  test('refuses a missing path, a graph model and an unknown feature node, naming the problem', async ({
    tmpDir,
  }) => {
    await expect(loadBackbone(path.join(tmpDir, 'nope'), { inputSize: 16 })).rejects.toThrow(BackboneError)
    const graphDir = path.join(tmpDir, 'graph')
    await saveTinyBackbone(graphDir)
    await writeFile(
      path.join(graphDir, 'model.json'),
      JSON.stringify({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] }),
    )
    await expect(loadBackbone(graphDir, { inputSize: 16 })).rejects.toThrow(/graph model/)
    const { model: backbone } = await loadBackbone(
      await saveTinyBackbone(path.join(tmpDir, 'ok')).then(() => path.join(tmpDir, 'ok')),
      { inputSize: 16 },
    )
    expect(() => buildFeatureExtractor(backbone, ['no_such_layer'], 'ok')).toThrow(/no layer "no_such_layer"/)
    expect(() => buildFeatureExtractor(backbone, ['pool_b'], 'ok')).toThrow(/feature map/)
  })

  test('a declared input scaling becomes the first layer: [0, 1] pixels in, the range the network wants after', async ({
    tmpDir,
  }) => {
    await saveTinyBackbone(tmpDir)
    const raw = await loadBackbone(tmpDir, { inputSize: 16 })
    const scaled = await loadBackbone(tmpDir, { inputSize: 16, inputScaling: { kind: 'symmetric' } })
    expect(scaled.model.layers[1]!.name).toBe(INPUT_SCALING_LAYER)
    expect(scaled.model.getLayer(INPUT_SCALING_LAYER).trainable).toBe(false)
    const pixels = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 4)
    const want = raw.model.predict(tf.sub(tf.mul(pixels, 2), 1)) as tf.Tensor
    const got = scaled.model.predict(pixels) as tf.Tensor
    expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-6)
  })
})

describe('trainTransfer', () => {
  test('trains a head on frozen features of a user backbone; the saved classifier is one model, same on ONNX', async ({
    tmpDir,
    log,
  }) => {
    await saveTinyBackbone(tmpDir)
    const train = colourSquares(8, 16, 1)
    const val = colourSquares(4, 16, 2)
    const before = (await loadBackbone(tmpDir, { inputSize: 16 })).model
      .getLayer('block_a')
      .getWeights()[0]!
      .dataSync()
    const progress: string[] = []
    const result = await trainTransfer({
      inputSize: 16,
      numClasses: 3,
      train,
      val,
      augment: createAugmenter({ rotationDeg: 10 }, 5),
      seed: 1,
      log,
      onProgress: (m) => progress.push(m),
      params: {
        backbone: tmpDir,
        featureNodes: ['block_a', 'block_b'],
        views: 3,
        epochs: 40,
        batchSize: 8,
        learningRate: 0.01,
        earlyStoppingPatience: 0,
      },
    })
    // pooled block_a (6) and block_b (8) channels
    expect(result.featureSize).toBe(14)
    expect(result.runtime).toBe('onnxruntime')
    expect(progress.at(-1)).toMatch(/features \(onnxruntime\): 84\/84 images/)
    expect(result.history.at(-1)!.valAcc).toBeGreaterThanOrEqual(0.9)

    const model = result.model
    expect(model.inputs[0]!.shape).toEqual([null, 16, 16, 3])
    expect(model.outputs[0]!.shape).toEqual([null, 3])
    // the backbone stayed frozen
    expect(Array.from(model.getLayer('block_a').getWeights()[0]!.dataSync())).toEqual(Array.from(before))
    const test = colourSquares(3, 16, 9)
    const probs = model.predict(batch(test.images, 16)) as tf.Tensor
    const predicted = Array.from(probs.argMax(-1).dataSync())
    expect(predicted.filter((p, i) => p === test.labels[i]).length).toBeGreaterThanOrEqual(8)

    expect(await onnxDifference(model, test.images, probs)).toBeLessThanOrEqual(1e-4)
    model.dispose()
  })

  test('a conv head trains on one feature map; the classifier stays one flat model, same on ONNX', async ({
    tmpDir,
    log,
  }) => {
    await saveTinyBackbone(tmpDir)
    const { model: backbone } = await loadBackbone(tmpDir, { inputSize: 16 })
    expect(buildFeatureExtractor(backbone, ['block_b'], 'tiny', 'conv').outputs[0]!.shape).toEqual([
      null,
      8,
      8,
      8,
    ])
    expect(() => buildFeatureExtractor(backbone, ['block_a', 'block_b'], 'tiny', 'conv')).toThrow(
      /one feature map; 2 nodes/,
    )
    const result = await trainTransfer({
      inputSize: 16,
      numClasses: 3,
      train: colourSquares(8, 16, 1),
      val: colourSquares(4, 16, 2),
      augment: createAugmenter({ rotationDeg: 10 }, 5),
      seed: 1,
      log,
      params: {
        backbone: tmpDir,
        featureNodes: ['block_b'],
        head: 'conv',
        headWidth: 8,
        views: 2,
        epochs: 20,
        batchSize: 8,
        learningRate: 0.01,
        earlyStoppingPatience: 0,
      },
    })
    // the whole 8x8x8 map of block_b, not its pooled 8 channels
    expect(result.featureSize).toBe(512)
    expect(result.runtime).toBe('onnxruntime')
    const model = result.model
    const names = model.layers.map((l) => l.name)
    expect(names).toEqual(expect.arrayContaining(['block_b', 'head_conv1', 'head_conv2', 'head_classifier']))
    expect(names).not.toContain('pool_b')
    const test = colourSquares(3, 16, 9)
    const probs = model.predict(batch(test.images, 16)) as tf.Tensor
    const predicted = Array.from(probs.argMax(-1).dataSync())
    expect(predicted.filter((p, i) => p === test.labels[i]).length).toBeGreaterThanOrEqual(7)

    expect(await onnxDifference(model, test.images, probs)).toBeLessThanOrEqual(1e-4)
    model.dispose()
  })
})

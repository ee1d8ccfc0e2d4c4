import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, test } from '../../fixtures.js'
import { createAugmenter } from '../../../src/data/index.js'
import { BackboneError, trainTransfer } from '../../../src/model/index.js'
import { loadBackbone, splitBackbone } from '../../../src/model/transfer/index.js'
import { colourSquares } from '../colour-squares.js'
import { saveTinyBackbone } from './tiny-backbone.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function residualModel(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 3], name: 'image' })
  const a = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'a' })
    .apply(input) as tf.SymbolicTensor
  const b = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'b' })
    .apply(a) as tf.SymbolicTensor
  const sum = tf.layers.add({ name: 'sum' }).apply([a, b]) as tf.SymbolicTensor
  const c = tf.layers.conv2d({ filters: 4, kernelSize: 1, name: 'c' }).apply(sum) as tf.SymbolicTensor
  return tf.model({ inputs: input, outputs: c })
}

describe('splitBackbone', () => {
  test('frozen part and tail share layers: the tail on the frozen output gives the whole model', () => {
    const model = residualModel()
    const { frozen, tail } = splitBackbone(model, 'sum', 'c', 'residual')
    expect(frozen.outputs[0]!.shape).toEqual([null, 8, 8, 4])
    expect(tail.layers.map((l) => l.name)).toEqual(['tail_input', 'c'])
    expect(tail.getLayer('c')).toBe(model.getLayer('c'))
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 1)
    const whole = model.predict(x) as tf.Tensor
    const split = tail.predict(frozen.predict(x) as tf.Tensor) as tf.Tensor
    expect(tf.max(tf.abs(tf.sub(whole, split))).dataSync()[0]).toBeLessThan(1e-6)
  })

  test('refuses a cut inside a residual block, naming the layer that reads across it', () => {
    expect(() => splitBackbone(residualModel(), 'b', 'c', 'residual')).toThrow(BackboneError)
    expect(() => splitBackbone(residualModel(), 'b', 'c', 'residual')).toThrow(
      /layer "sum" also reads a tensor from before the cut/,
    )
    expect(() => splitBackbone(residualModel(), 'c', 'a', 'residual')).toThrow(/does not come after/)
  })
})

describe('trainTransfer with fine-tuning', () => {
  test('the head trains first, then the layers after the cut train with it; the layers before stay as they were', async ({
    tmpDir,
    log,
  }) => {
    await saveTinyBackbone(tmpDir)
    const original = (await loadBackbone(tmpDir, { inputSize: 16 })).model
    const [a0, b0] = ['block_a', 'block_b'].map((n) => original.getLayer(n).getWeights()[0]!.dataSync())
    const stages: string[] = []
    const result = await trainTransfer({
      inputSize: 16,
      numClasses: 3,
      train: colourSquares(8, 16, 1),
      val: colourSquares(4, 16, 2),
      augment: createAugmenter({ rotationDeg: 10 }, 5),
      seed: 1,
      log,
      onEpoch: (_, stage) => void stages.push(stage),
      params: {
        backbone: tmpDir,
        featureNodes: ['block_b'],
        views: 2,
        epochs: 40,
        batchSize: 8,
        learningRate: 0.01,
        earlyStoppingPatience: 0,
        fineTuneFrom: 'pool_a',
        fineTuneEpochs: 3,
        fineTuneLearningRate: 0.003,
      },
    })
    expect(stages).toEqual([...Array(40).fill('head'), 'fine-tune', 'fine-tune', 'fine-tune'])
    expect(result.fineTune).toMatchObject({ from: 'pool_a', isKept: true })
    // block_b's kernel and bias (3*3*6*8 + 8) plus the head's dense layer and batch norm
    expect(result.fineTune!.trainableWeights).toBeGreaterThan(3 * 3 * 6 * 8)
    const model = result.model
    expect(Array.from(model.getLayer('block_a').getWeights()[0]!.dataSync())).toEqual(Array.from(a0!))
    expect(Array.from(model.getLayer('block_b').getWeights()[0]!.dataSync())).not.toEqual(Array.from(b0!))
    const test = colourSquares(3, 16, 9)
    const flat = new Float32Array(test.images.length * 16 * 16 * 3)
    test.images.forEach((image, i) => flat.set(image, i * image.length))
    const probs = model.predict(tf.tensor4d(flat, [test.images.length, 16, 16, 3])) as tf.Tensor
    const predicted = Array.from(probs.argMax(-1).dataSync())
    expect(predicted.filter((p, i) => p === test.labels[i]).length).toBeGreaterThanOrEqual(7)
    model.dispose()
  })

  test('refuses fineTuneFrom=catalog for a backbone that is not catalogued', async ({ tmpDir, log }) => {
    await saveTinyBackbone(tmpDir)
    await expect(
      trainTransfer({
        inputSize: 16,
        numClasses: 3,
        train: colourSquares(2, 16, 1),
        val: colourSquares(1, 16, 2),
        seed: 1,
        log,
        params: {
          backbone: tmpDir,
          featureNodes: ['block_b'],
          epochs: 1,
          fineTuneFrom: 'catalog',
          fineTuneEpochs: 1,
        },
      }),
    ).rejects.toThrow(/fineTuneFrom=catalog needs a catalogued backbone/)
  })
})

import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { batchNormalization } from '../../../src/model/architectures/batch-normalization.js'
import { acquireTrainingKernels, initBackend } from '../../../src/model/backend/index.js'
import { seededValues } from '../backend/seeded-random.js'
import { maxAbsDifference } from '../backend/compare.js'

const CONFIG = { momentum: 0.9, epsilon: 1e-5 } as const
const SHAPE = [4, 5, 5, 6]

/** One training call and its gradients through the layer, with the weights the stock layer starts from. */
function trainStep(layer: tf.layers.Layer): { y: number[]; grads: number[][]; moving: number[][] } {
  return tf.tidy(() => {
    const x = tf.add(tf.tensor(seededValues(600, 5), SHAPE), 2)
    const weights = tf.tensor(seededValues(600, 6), SHAPE)
    layer.build(x.shape)
    const [gamma, beta] = layer.trainableWeights
    gamma!.write(tf.tensor1d(seededValues(6, 7)))
    beta!.write(tf.tensor1d(seededValues(6, 8)))
    const y = layer.apply(x, { training: true }) as tf.Tensor
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, weights)),
      layer.trainableWeights.map((w) => w.read() as tf.Variable),
    )
    return {
      y: Array.from(y.dataSync()),
      grads: Object.values(grads).map((g) => Array.from(g.dataSync())),
      moving: layer.nonTrainableWeights.map((w) => Array.from(w.read().dataSync())),
    }
  })
}

function expectClose(actual: number[], expected: number[]): void {
  expect(maxAbsDifference(actual, expected)).toBeLessThan(1e-4)
}

beforeAll(async () => {
  await initBackend({ preferred: 'wasm' })
  // Gradients on wasm need training's kernels, registered for the whole file.
  acquireTrainingKernels()
})

describe('batchNormalization (training-fused layer)', () => {
  it('trains like tf.layers.batchNormalization: output, scale/offset gradients, moving statistics', () => {
    const ours = trainStep(batchNormalization(CONFIG))
    const stock = trainStep(tf.layers.batchNormalization(CONFIG))
    expectClose(ours.y, stock.y)
    expect(ours.grads).toHaveLength(2)
    ours.grads.forEach((g, i) => expectClose(g, stock.grads[i]!))
    // Two training calls each moved the averages away from their initial 0 and 1.
    expect(ours.moving[0]!.some((v) => Math.abs(v) > 0.1)).toBe(true)
    ours.moving.forEach((m, i) => expectClose(m, stock.moving[i]!))
  })

  it('takes the fused path in training (no FusedBatchNorm kernel) and the stock one in inference', async () => {
    const layer = batchNormalization(CONFIG)
    const x = tf.randomNormal([2, 3, 3, 4])
    layer.build(x.shape)
    const kernelsOf = async (training: boolean) =>
      (await tf.profile(() => layer.apply(x, { training }) as tf.Tensor)).kernelNames
    expect(await kernelsOf(true)).not.toContain('FusedBatchNorm')
    expect(await kernelsOf(false)).toContain('FusedBatchNorm')
    x.dispose()
  })

  it('saves under the stock class name, so saved models load without it', async () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [3], units: 4 }), batchNormalization(CONFIG)],
    })
    const saved = model.toJSON(null, false) as { config: { layers: { class_name: string }[] } }
    expect(saved.config.layers.map((l) => l.class_name)).toEqual(['Dense', 'BatchNormalization'])
    let artifacts: tf.io.ModelArtifacts | undefined
    await model.save(
      tf.io.withSaveHandler(
        async (a) => (
          (artifacts = a),
          { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
        ),
      ),
    )
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!))
    const input = tf.tensor2d([[1, 2, 3]])
    expectClose(
      Array.from((loaded.predict(input) as tf.Tensor).dataSync()),
      Array.from((model.predict(input) as tf.Tensor).dataSync()),
    )
  })
})

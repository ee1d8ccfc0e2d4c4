import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, test } from '../fixtures.js'
import { trainModel, type EpochMetrics } from '../../src/model/index.js'
import { buildTinyModel } from './tiny-model.js'
import { colourSquares } from './colour-squares.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const train = colourSquares(8, 16, 1)
const val = colourSquares(4, 16, 2)

async function accuracyOf(model: tf.LayersModel, data: { images: Float32Array[]; labels: number[] }) {
  const flat = new Float32Array(data.images.length * 16 * 16 * 3)
  data.images.forEach((img, i) => flat.set(img, i * img.length))
  const predicted = tf.tidy(() =>
    (model.predict(tf.tensor4d(flat, [data.images.length, 16, 16, 3])) as tf.Tensor).argMax(-1),
  )
  const values = await predicted.data()
  predicted.dispose()
  return data.labels.filter((label, i) => values[i] === label).length / data.labels.length
}

describe('trainModel', () => {
  test('learns coloured squares, reports each epoch and restores the best epoch', async ({ log }) => {
    const model = buildTinyModel(16, 3, 3)
    const seen: EpochMetrics[] = []
    const result = await trainModel({
      model,
      train,
      val,
      params: { epochs: 6, batchSize: 8, learningRate: 0.05, earlyStoppingPatience: 0 },
      seed: 1,
      log,
      onEpoch: (m) => {
        seen.push(m)
      },
    })
    expect(result.history).toHaveLength(6)
    expect(seen).toEqual(result.history)
    for (const m of result.history) {
      expect(Object.keys(m).sort()).toEqual(['acc', 'epoch', 'loss', 'lr', 'seconds', 'valAcc', 'valLoss'])
      expect(Number.isFinite(m.loss) && Number.isFinite(m.valLoss)).toBe(true)
    }
    const best = result.history[result.bestEpoch - 1]!
    expect(best.valAcc).toBe(Math.max(...result.history.map((m) => m.valAcc)))
    expect(best.valAcc).toBeGreaterThanOrEqual(0.9)
    expect(await accuracyOf(model, val)).toBeCloseTo(best.valAcc, 10)
    expect(result.stoppedEarly).toBe(false)
    model.dispose()
  })

  test('keeps the tensor count flat across epochs', async ({ log }) => {
    const model = buildTinyModel(16, 3, 4)
    const counts: number[] = []
    await trainModel({
      model,
      train,
      val,
      params: { epochs: 4, batchSize: 8, learningRate: 0.01, earlyStoppingPatience: 0, reduceLrPatience: 1 },
      seed: 2,
      log,
      onEpoch: () => {
        counts.push(tf.memory().numTensors)
      },
    })
    expect(new Set(counts.slice(1)).size).toBe(1)
    const before = tf.memory().numTensors
    model.dispose()
    expect(tf.memory().numTensors).toBeLessThan(before)
  })

  test('stops early when validation accuracy stalls', async ({ log }) => {
    // Without BN, a zero learning rate freezes the model entirely, so validation accuracy cannot move.
    const model = buildTinyModel(16, 3, 5, { batchNorm: false })
    const result = await trainModel({
      model,
      train,
      val,
      params: { epochs: 10, batchSize: 8, learningRate: 0, earlyStoppingPatience: 2 },
      seed: 3,
      log,
    })
    expect(result.stoppedEarly).toBe(true)
    expect(result.history).toHaveLength(3)
    expect(result.bestEpoch).toBe(1)
    model.dispose()
  })

  test('applies the augmenter to every training sample of every epoch and is repeatable by seed', async ({
    log,
  }) => {
    const run = async () => {
      let calls = 0
      const model = buildTinyModel(16, 3, 6)
      const result = await trainModel({
        model,
        train,
        val,
        params: { epochs: 2, batchSize: 5, learningRate: 0.01, labelSmoothing: 0.1, lrSchedule: 'cosine' },
        seed: 9,
        log,
        augment: async (image) => {
          calls++
          return Float32Array.from(image, (v) => 1 - v)
        },
      })
      model.dispose()
      return { calls, losses: result.history.map((m) => m.loss) }
    }
    const a = await run()
    const b = await run()
    expect(a.calls).toBe(2 * train.images.length)
    expect(a.losses).toEqual(b.losses)
  })

  test('trains with mixup, reporting every batch, repeatably', async ({ log }) => {
    const run = async () => {
      const model = buildTinyModel(16, 3, 10)
      const batches: string[] = []
      const result = await trainModel({
        model,
        train,
        val,
        params: { epochs: 2, batchSize: 10, learningRate: 0.05, mixupAlpha: 0.4 },
        seed: 6,
        log,
        onBatch: ({ epoch, batch, batches: total }) => batches.push(`${epoch}:${batch}/${total}`),
      })
      model.dispose()
      return { batches, losses: result.history.map((m) => m.loss) }
    }
    const a = await run()
    expect(a.batches).toEqual(['1:1/3', '1:2/3', '1:3/3', '2:1/3', '2:2/3', '2:3/3'])
    expect(a.losses.every(Number.isFinite)).toBe(true)
    expect((await run()).losses).toEqual(a.losses)
  })

  test('reduces the learning rate on a plateau, never below the floor', async ({ log }) => {
    const model = buildTinyModel(16, 3, 7, { batchNorm: false })
    const result = await trainModel({
      model,
      train,
      val,
      params: {
        epochs: 5,
        batchSize: 8,
        // So small that the validation loss cannot improve by the scheduler's minimum delta: a plateau.
        learningRate: 1e-9,
        earlyStoppingPatience: 0,
        reduceLrPatience: 1,
        reduceLrFactor: 0.5,
        minLearningRate: 3e-10,
      },
      seed: 4,
      log,
    })
    expect(result.history.map((m) => Math.round(m.lr * 1e10))).toEqual([10, 10, 5, 3, 3])
    model.dispose()
  })

  test('stops with a typed error when aborted, without leaking tensors', async ({ log }) => {
    const model = buildTinyModel(16, 3, 8)
    const before = tf.memory().numTensors
    const controller = new AbortController()
    await expect(
      trainModel({
        model,
        train,
        val,
        params: { epochs: 5, batchSize: 8 },
        seed: 5,
        log,
        signal: controller.signal,
        onEpoch: () => controller.abort(),
      }),
    ).rejects.toMatchObject({ code: 'SPS_MODEL_TRAINING_ABORTED' })
    expect(tf.memory().numTensors).toBe(before)
    model.dispose()
  })

  test('rejects labels outside the model outputs', async ({ log }) => {
    const model = buildTinyModel(16, 3, 9)
    await expect(
      trainModel({
        model,
        train: { images: train.images.slice(0, 1), labels: [3] },
        val,
        params: { epochs: 1 },
        seed: 1,
        log,
      }),
    ).rejects.toMatchObject({ code: 'SPS_MODEL_INPUT_INVALID' })
    model.dispose()
  })
})

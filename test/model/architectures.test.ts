import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, test } from '../fixtures.js'
import { getArchitecture, listArchitectures } from '../../src/model/index.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('architecture registry', () => {
  test('lists seed-cnn and the GAP architectures, and rejects unknown names with a typed error', () => {
    expect(listArchitectures()).toEqual(expect.arrayContaining(['seed-cnn', 'resnet-small', 'sep-cnn']))
    expect(() => getArchitecture('vgg-99')).toThrow(
      expect.objectContaining({ code: 'SPS_MODEL_ARCHITECTURE_UNKNOWN' }),
    )
  })

  test('seed-cnn has the original layer sequence and parameter count', () => {
    const model = getArchitecture('seed-cnn').build({ inputSize: 64, numClasses: 15, seed: 1 })
    const kinds = model.layers.map((l) => l.getClassName())
    const group = (n: number) => Array<string[]>(n).fill(['Conv2D', 'BatchNormalization']).flat()
    expect(kinds).toEqual([
      ...group(1),
      'MaxPooling2D',
      'Dropout',
      ...group(2),
      'MaxPooling2D',
      'Dropout',
      ...group(3),
      'MaxPooling2D',
      'Dropout',
      'Flatten',
      'Dense',
      'BatchNormalization',
      'Dropout',
      'Dense',
    ])
    // Hand-computed: convs 896 + 18,496 + 36,928 + 73,856 + 2 x 147,584; BN 4 x (32 + 64 + 64 + 3 x 128 + 512);
    // Dense 8x8x128 x 512 + 512 and 512 x 15 + 15.
    expect(model.countParams()).toBe(4_632_079)
    expect(model.outputs[0]!.shape).toEqual([null, 15])
    model.dispose()
  })

  test.each(['seed-cnn', 'resnet-small', 'sep-cnn'])(
    '%s outputs probabilities for a 16x16 batch',
    async (name) => {
      const model = getArchitecture(name).build({ inputSize: 16, numClasses: 3, seed: 2, widths: [8, 16] })
      const out = tf.tidy(
        () => model.predict(tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 3)) as tf.Tensor,
      )
      expect(out.shape).toEqual([2, 3])
      const sums = await out.sum(1).data()
      sums.forEach((s) => expect(s).toBeCloseTo(1, 5))
      out.dispose()
      model.dispose()
    },
  )

  test('the same seed builds the same weights', async () => {
    const a = getArchitecture('resnet-small').build({ inputSize: 16, numClasses: 3, seed: 5, widths: [8] })
    const b = getArchitecture('resnet-small').build({ inputSize: 16, numClasses: 3, seed: 5, widths: [8] })
    const [wa, wb] = [a.getWeights()[0]!, b.getWeights()[0]!]
    expect(Array.from(await wa.data())).toEqual(Array.from(await wb.data()))
    a.dispose()
    b.dispose()
  })

  test('rejects bad parameters with a typed error naming them', () => {
    expect(() =>
      getArchitecture('resnet-small').build({ inputSize: 16, numClasses: 3, widths: 'wide' }),
    ).toThrow(/widths/)
    expect(() => getArchitecture('sep-cnn').build({ inputSize: 16, numClasses: 3, dropout: 2 })).toThrow(
      expect.objectContaining({ code: 'SPS_MODEL_ARCHITECTURE_PARAM_INVALID' }),
    )
  })
})

import * as tf from '@tensorflow/tfjs'
import { withTrainingKernels } from '../../../src/model/backend/index.js'
import { createSeededRandom } from '../../../src/data/index.js'

/** Corners a bright square can sit in; the corner is the class. */
export const CORNERS = ['top-left', 'bottom-right'] as const

/** Noisy dark `size`x`size` images with a bright square in the corner its label names. */
export function cornerSquares(
  perClass: number,
  size = 16,
  seed = 3,
): { images: Float32Array[]; labels: number[] } {
  const random = createSeededRandom(seed)
  const side = Math.floor(size / 4)
  const images: Float32Array[] = []
  const labels: number[] = []
  for (let n = 0; n < perClass; n++) {
    CORNERS.forEach((_, label) => {
      const image = new Float32Array(size * size * 3)
      // Jitter keeps the square inside its quadrant but not always on the same pixels.
      const jitter = Math.floor(random() * 2)
      const origin = label === 0 ? 1 + jitter : size - side - 1 - jitter
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const inside = x >= origin && x < origin + side && y >= origin && y < origin + side
          for (let c = 0; c < 3; c++)
            image[(y * size + x) * 3 + c] = inside ? 0.9 + random() * 0.1 : random() * 0.3
        }
      }
      images.push(image)
      labels.push(label)
    })
  }
  return { images, labels }
}

/** Conv -> conv -> flatten -> softmax: the flatten head keeps where in the image a feature fired. */
export function buildCornerModel(size = 16, seed = 5): tf.LayersModel {
  const model = tf.sequential()
  const kernel = (s: number) => tf.initializers.glorotUniform({ seed: s })
  model.add(
    tf.layers.conv2d({
      inputShape: [size, size, 3],
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: kernel(seed),
    }),
  )
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }))
  model.add(
    tf.layers.conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: kernel(seed + 1),
      name: 'last_conv',
    }),
  )
  model.add(tf.layers.flatten())
  model.add(
    tf.layers.dense({ units: CORNERS.length, activation: 'softmax', kernelInitializer: kernel(seed + 2) }),
  )
  return model
}

/** Trains the corner model for a few epochs; it separates the corners within them. */
export async function trainCornerModel(size = 16): Promise<tf.LayersModel> {
  const model = buildCornerModel(size)
  const { images, labels } = cornerSquares(12, size)
  const xs = tf.tensor4d(concat(images), [images.length, size, size, 3])
  const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), CORNERS.length)
  model.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy' })
  // model.fit, not trainModel: it needs the training kernels held for it.
  await withTrainingKernels(() => model.fit(xs, ys, { epochs: 15, batchSize: 8, shuffle: false, verbose: 0 }))
  xs.dispose()
  ys.dispose()
  return model
}

function concat(images: Float32Array[]): Float32Array {
  const out = new Float32Array(images.reduce((n, i) => n + i.length, 0))
  let offset = 0
  for (const image of images) {
    out.set(image, offset)
    offset += image.length
  }
  return out
}

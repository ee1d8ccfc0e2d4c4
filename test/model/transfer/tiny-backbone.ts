import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'

/**
 * A small "pretrained" backbone for transfer tests: two named conv blocks, saved as a plain TF.js layers
 * model (model.json + weights.bin), the format tensorflowjs_converter writes for Keras models.
 */
export async function saveTinyBackbone(dir: string, size = 16): Promise<tf.LayersModel> {
  const conv = (name: string, filters: number, seed: number) =>
    tf.layers.conv2d({
      filters,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      name,
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
    })
  const input = tf.input({ shape: [size, size, 3], name: 'image' })
  let x = conv('block_a', 6, 3).apply(input) as tf.SymbolicTensor
  x = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool_a' }).apply(x) as tf.SymbolicTensor
  x = conv('block_b', 8, 4).apply(x) as tf.SymbolicTensor
  x = tf.layers.globalAveragePooling2d({ name: 'pool_b' }).apply(x) as tf.SymbolicTensor
  const out = tf.layers
    .dense({ units: 5, activation: 'softmax', name: 'own_head' })
    .apply(x) as tf.SymbolicTensor
  const model = tf.model({ inputs: input, outputs: out })
  await mkdir(dir, { recursive: true })
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData!)
      await writeFile(path.join(dir, 'weights.bin'), new Uint8Array(weights))
      const json = {
        format: 'layers-model',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      }
      await writeFile(path.join(dir, 'model.json'), JSON.stringify(json))
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    }),
  )
  return model
}

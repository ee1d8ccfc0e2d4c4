import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'
import type { Logger } from '../../log/index.js'
import { exportOnnx } from '../onnx/index.js'

export interface ExtractFeaturesOptions {
  log: Logger
  /** Images per run; default 16. */
  batchSize?: number
  /** Runtime threads; default 2. */
  threads?: number
  signal?: AbortSignal
}

export interface FeatureRunner {
  run(images: readonly Float32Array[]): Promise<Float32Array[]>
  /** Which runtime runs the backbone. */
  readonly runtime: 'onnxruntime' | 'tfjs'
  release(): Promise<void>
}

/**
 * Returns a function that maps images to the extractor's outputs (flattened, one array per image). The frozen
 * backbone only runs forward, so it runs on onnxruntime (our exporter's graph, ~8x faster than TF.js wasm on this
 * CNN); when the graph cannot be exported or loaded, TF.js runs it instead, with the same numbers to 1e-4.
 */
export async function createFeatureRunner(
  extractor: tf.LayersModel,
  options: ExtractFeaturesOptions,
): Promise<FeatureRunner> {
  const batchSize = options.batchSize ?? 16
  // Feature maps (a conv head's input) leave flattened: ONNX export wants one [batch, n] output.
  const output = extractor.outputs[0]!
  const model =
    output.shape.length > 2
      ? tf.model({
          inputs: extractor.inputs,
          outputs: tf.layers.flatten().apply(output) as tf.SymbolicTensor,
        })
      : extractor
  const [, h, w, c] = extractor.inputs[0]!.shape as number[]
  const pixels = (h ?? 0) * (w ?? 0) * (c ?? 0)
  const size = model.outputs[0]!.shape[1] as number
  let session: ort.InferenceSession | undefined
  try {
    session = await ort.InferenceSession.create(exportOnnx(model), {
      intraOpNumThreads: options.threads ?? 2,
      interOpNumThreads: 1,
    })
  } catch (err) {
    options.log.warn({ err }, 'frozen backbone runs on TF.js: onnxruntime could not take it')
  }
  const run = async (images: readonly Float32Array[]): Promise<Float32Array[]> => {
    const out: Float32Array[] = []
    for (let start = 0; start < images.length; start += batchSize) {
      if (options.signal?.aborted) throw options.signal.reason
      const chunk = images.slice(start, start + batchSize)
      const flat = new Float32Array(chunk.length * pixels)
      chunk.forEach((image, i) => flat.set(image, i * pixels))
      let values: Float32Array
      if (session) {
        const result = await session.run({
          [session.inputNames[0]!]: new ort.Tensor('float32', flat, [chunk.length, h!, w!, c!]),
        })
        values = result[session.outputNames[0]!]!.data as Float32Array
      } else {
        const y = tf.tidy(() => model.predict(tf.tensor4d(flat, [chunk.length, h!, w!, c!])) as tf.Tensor)
        values = (await y.data()) as Float32Array
        y.dispose()
      }
      for (let i = 0; i < chunk.length; i++) out.push(values.slice(i * size, (i + 1) * size))
    }
    return out
  }
  return {
    run,
    runtime: session ? 'onnxruntime' : 'tfjs',
    release: async () => {
      await session?.release()
    },
  }
}

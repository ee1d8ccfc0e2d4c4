/**
 * Worker-thread entry for Grad-CAM (piscina). Grad-CAM runs TF.js synchronously for as long as a forward
 * pass and a backward pass through the head take (seconds for the bundled network), so the server runs it
 * here and its event loop keeps answering scans meanwhile. The worker keeps the one layers model it last
 * loaded; another model (a swap) replaces it.
 */
import * as tf from '@tensorflow/tfjs'
import { gradCam, initBackend, loadLayersModelFromDir } from '../model/index.js'

export interface ExplainTask {
  /** Identifies the served model: a new key loads `dir` again. */
  modelKey: string
  dir: string
  /** Preprocessed photo (size x size x 3), as the classifier sees it. */
  pixels: Float32Array
  size: number
  classIndex: number
}

export type ExplainOutcome =
  | { cam: Float32Array; width: number; height: number }
  // Structured clone drops an error's code, so a model Grad-CAM cannot explain is an answer, not a throw.
  | { unavailable: string }

let loaded: { key: string; model: Promise<tf.LayersModel> } | undefined

async function modelFor(task: ExplainTask): Promise<tf.LayersModel> {
  if (loaded?.key !== task.modelKey) {
    const previous = loaded
    loaded = { key: task.modelKey, model: loadLayersModelFromDir(task.dir) }
    if (previous) (await previous.model.catch(() => undefined))?.dispose()
  }
  const current = loaded
  try {
    return await current.model
  } catch (err) {
    // A failed load is not kept: the next explanation tries again.
    if (loaded === current) loaded = undefined
    throw err
  }
}

export default async function explainInWorker(task: ExplainTask): Promise<ExplainOutcome> {
  await initBackend()
  const model = await modelFor(task)
  const input = tf.tensor4d(task.pixels, [1, task.size, task.size, 3])
  try {
    const { cam, width, height } = gradCam(model, input, task.classIndex)
    return { cam, width, height }
  } catch (err) {
    // A model without a convolution (or with a nested graph) cannot be explained this way.
    if ((err as { code?: unknown }).code === 'SPS_MODEL_INPUT_INVALID')
      return { unavailable: (err as Error).message }
    throw err
  } finally {
    input.dispose()
  }
}

import * as tf from '@tensorflow/tfjs'
import { preprocessImage } from '../data/index.js'
import type { Logger } from '../log/index.js'
import { gradCam, loadLayersModelFromDir, renderHeatmapOverlay, type Classifier } from '../model/index.js'
import { ExplanationUnavailableError } from './errors.js'
import type { ModelSource } from './model-holder.js'

export interface ExplainRequest {
  predictionId: string
  /** The label to explain (the prediction's own). */
  label: string
  image: Buffer
  classifier: Classifier
  source: ModelSource
}

export interface ExplainerOptions {
  log: Logger
  maxPixels: number
  /** Overlays kept in memory, so reopening a scan does not run Grad-CAM again. */
  cacheSize?: number
}

interface LoadedModel {
  key: string
  model: Promise<tf.LayersModel>
}

/**
 * Grad-CAM overlays for stored scans. The served Classifier may run on ONNX and hides its network, so the
 * TF.js layers model is loaded here, lazily, from the served model's artifact folder: only for the
 * current model, and only on the first explanation asked for, since plain /predict never needs it.
 * Runs are serialised: Grad-CAM is CPU-heavy and two at once would only slow each other down.
 */
export class Explainer {
  private loaded: LoadedModel | undefined
  private queue: Promise<unknown> = Promise.resolve()
  private readonly cache = new Map<string, Buffer>()
  private readonly cacheSize: number

  constructor(private readonly options: ExplainerOptions) {
    this.cacheSize = options.cacheSize ?? 32
  }

  async explain(request: ExplainRequest): Promise<Buffer> {
    const cacheKey = `${request.source.key}\n${request.predictionId}`
    const cached = this.cache.get(cacheKey)
    if (cached) return cached
    const run = this.queue.catch(() => undefined).then(() => this.render(request))
    this.queue = run
    const png = await run
    this.cache.set(cacheKey, png)
    if (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value
      if (oldest !== undefined) this.cache.delete(oldest)
    }
    return png
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined)
    await this.unload()
    this.cache.clear()
  }

  private async render(request: ExplainRequest): Promise<Buffer> {
    const { classifier, predictionId } = request
    const classIndex = classifier.labels.indexOf(request.label)
    if (classIndex < 0) {
      throw new ExplanationUnavailableError(predictionId, `the model has no label "${request.label}"`)
    }
    const model = await this.model(request.source)
    const { size } = classifier.preprocess
    const pixels = await preprocessImage(request.image, classifier.preprocess, {
      maxPixels: this.options.maxPixels,
    })
    const input = tf.tensor4d(pixels, [1, size, size, 3])
    let result
    try {
      result = gradCam(model, input, classIndex)
    } catch (err) {
      // A model without a convolution (or with a nested graph) cannot be explained this way.
      if ((err as { code?: unknown }).code === 'SPS_MODEL_INPUT_INVALID') {
        throw new ExplanationUnavailableError(predictionId, (err as Error).message, err)
      }
      throw err
    } finally {
      input.dispose()
    }
    const overlay = await renderHeatmapOverlay(
      request.image,
      result.cam,
      { width: result.width, height: result.height },
      { fit: classifier.preprocess.fit, maxPixels: this.options.maxPixels },
    )
    return overlay.png
  }

  private async model(source: ModelSource): Promise<tf.LayersModel> {
    if (this.loaded?.key !== source.key) {
      await this.unload()
      // Explanations of the old model are stale once another one serves.
      this.cache.clear()
      this.options.log.info({ dir: source.dir }, 'loading the layers model for explanations')
      this.loaded = { key: source.key, model: loadLayersModelFromDir(source.dir) }
    }
    const loaded = this.loaded
    try {
      return await loaded.model
    } catch (err) {
      if (this.loaded === loaded) this.loaded = undefined
      throw err
    }
  }

  private async unload(): Promise<void> {
    const previous = this.loaded
    this.loaded = undefined
    if (previous) (await previous.model.catch(() => undefined))?.dispose()
  }
}

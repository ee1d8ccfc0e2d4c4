import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Piscina } from 'piscina'
import { preprocessImage } from '../data/index.js'
import type { Logger } from '../log/index.js'
import { renderHeatmapOverlay, type Classifier } from '../model/index.js'
import { ExplanationUnavailableError } from './errors.js'
import type { ExplainOutcome, ExplainTask } from './explain-worker.js'
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

// Under tsx (dev, tests) this module is .ts and so is the worker; built, both are .js.
const here = fileURLToPath(import.meta.url)
const workerFile = path.join(path.dirname(here), `explain-worker${path.extname(here)}`)
const workerExecArgv = path.extname(here) === '.ts' ? ['--import', 'tsx'] : []
/** How long the Grad-CAM worker (and the model it holds) stays after its last explanation. */
const WORKER_IDLE_MS = 5 * 60_000

let sharedPool: Piscina<ExplainTask, ExplainOutcome> | undefined

/**
 * One Grad-CAM worker per process, whatever the number of apps in it (tests build many): starting one costs
 * seconds, and two would only compete for the same cores. Piscina unrefs an idle worker, so it never keeps
 * a finished process alive, and it exits after WORKER_IDLE_MS.
 */
function gradCamPool(): Piscina<ExplainTask, ExplainOutcome> {
  sharedPool ??= new Piscina<ExplainTask, ExplainOutcome>({
    filename: workerFile,
    execArgv: workerExecArgv,
    minThreads: 0,
    maxThreads: 1,
    concurrentTasksPerWorker: 1,
    idleTimeout: WORKER_IDLE_MS,
  })
  return sharedPool
}

/**
 * Grad-CAM overlays for stored scans. The served Classifier may run on ONNX and hides its network, so a
 * worker thread loads the TF.js layers model from the served model's artifact folder, lazily, on the first
 * explanation asked for (plain /predict never needs it), and runs Grad-CAM there: seconds of synchronous
 * TF.js that must not stall the event loop. One worker: two Grad-CAMs at once would only slow each other
 * down, and it exits when idle so the model's memory goes with it. Decoding and the overlay use sharp,
 * which already works off the event loop.
 */
export class Explainer {
  private readonly cache = new Map<string, Buffer>()
  private readonly cacheSize: number
  private modelKey: string | undefined

  constructor(private readonly options: ExplainerOptions) {
    this.cacheSize = options.cacheSize ?? 32
  }

  async explain(request: ExplainRequest): Promise<Buffer> {
    if (this.modelKey !== request.source.key) {
      // Explanations of the old model are stale once another one serves.
      this.cache.clear()
      this.modelKey = request.source.key
      this.options.log.info({ dir: request.source.dir }, 'explanations now use the served layers model')
    }
    const cacheKey = `${request.source.key}\n${request.predictionId}`
    const cached = this.cache.get(cacheKey)
    if (cached) return cached
    const png = await this.render(request)
    this.cache.set(cacheKey, png)
    if (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value
      if (oldest !== undefined) this.cache.delete(oldest)
    }
    return png
  }

  /** Forgets this app's overlays; the shared worker stays for other apps and exits when idle. */
  close(): void {
    this.cache.clear()
  }

  private async render(request: ExplainRequest): Promise<Buffer> {
    const { classifier, predictionId } = request
    const classIndex = classifier.labels.indexOf(request.label)
    if (classIndex < 0) {
      throw new ExplanationUnavailableError(predictionId, `the model has no label "${request.label}"`)
    }
    const { size } = classifier.preprocess
    const pixels = await preprocessImage(request.image, classifier.preprocess, {
      maxPixels: this.options.maxPixels,
    })
    const outcome = await gradCamPool().run(
      { modelKey: request.source.key, dir: request.source.dir, pixels, size, classIndex },
      { transferList: [pixels.buffer as ArrayBuffer] },
    )
    if ('unavailable' in outcome) throw new ExplanationUnavailableError(predictionId, outcome.unavailable)
    const overlay = await renderHeatmapOverlay(
      request.image,
      outcome.cam,
      { width: outcome.width, height: outcome.height },
      { fit: classifier.preprocess.fit, maxPixels: this.options.maxPixels },
    )
    return overlay.png
  }
}

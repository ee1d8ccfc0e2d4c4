import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Piscina } from 'piscina'
import type { Logger } from '../../log/index.js'
import {
  loadOnnxClassifier,
  type Classifier,
  type Precision,
  type TestViewPreset,
} from '../../model/index.js'
import type { OnnxWorkerTask } from './onnx-worker.js'

export interface PooledOnnxOptions {
  file: string
  precision: Precision
  ref?: string
  /** Worker threads, each with its own ORT session. */
  workers: number
  intraOpThreads: number
  /** View preset to answer with instead of the model's own. */
  testViews?: TestViewPreset | 'model'
  log?: Logger
}

// Under tsx (dev, tests, benchmarks) this module is .ts and so is the worker; built, both are .js.
const here = fileURLToPath(import.meta.url)
const workerFile = path.join(path.dirname(here), `onnx-worker${path.extname(here)}`)
const workerExecArgv = path.extname(here) === '.ts' ? ['--import', 'tsx'] : []

/**
 * An ONNX classifier whose inference runs in a pool of worker threads. The model is first loaded here once,
 * so a bad file fails at load time (as with the in-process classifier), then released: only workers keep
 * sessions. Results equal the in-process classifier's (same file, same code in the worker).
 */
export async function loadPooledOnnxClassifier(dir: string, options: PooledOnnxOptions): Promise<Classifier> {
  const { testViews } = options
  const probe = await loadOnnxClassifier(dir, {
    file: options.file,
    precision: options.precision,
    ref: options.ref,
    intraOpThreads: 1,
    testViews,
  })
  const { ref, labels, preprocess } = probe
  await probe.dispose()
  const pool = new Piscina<OnnxWorkerTask, Float32Array[]>({
    filename: workerFile,
    execArgv: workerExecArgv,
    minThreads: options.workers,
    maxThreads: options.workers,
    idleTimeout: Number.POSITIVE_INFINITY,
    // One task per worker at a time: ORT runs synchronously there anyway.
    concurrentTasksPerWorker: 1,
  })
  options.log?.debug({ ref, workers: options.workers, file: options.file }, 'ONNX worker pool started')
  let isDisposed = false
  return {
    ref,
    labels,
    preprocess,
    async predict(images) {
      if (images.length === 0) return []
      return pool.run({
        dir,
        file: options.file,
        precision: options.precision,
        ref,
        intraOpThreads: options.intraOpThreads,
        testViews,
        images,
      })
    },
    async dispose() {
      if (isDisposed) return
      isDisposed = true
      // Lets queued tasks finish: a swap disposes only after the last lease, so none should be left.
      await pool.close()
    },
  }
}

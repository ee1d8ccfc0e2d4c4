import { createHash } from 'node:crypto'
import { access, mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Config } from '../../config/index.js'
import type { Logger } from '../../log/index.js'
import {
  ONNX_MODEL_FILE,
  ensureOnnx,
  loadClassifier,
  loadOnnxClassifier,
  type Classifier,
} from '../../model/index.js'
import type { ModelSource } from '../model-holder.js'
import { withMicroBatching } from './batching-classifier.js'
import { loadPooledOnnxClassifier } from './pooled-onnx-classifier.js'

export type ServingRuntime = Config['serving']['runtime']

export interface LoadServedClassifierOptions {
  /** Threads and batching; which runtime and views come with the source (the registry's resolver). */
  serving: Pick<Config['serving'], 'inferenceThreads' | 'inferenceWorkers' | 'batchWindowMs' | 'maxBatchSize'>
  /** SportScan home: exported ONNX files of registry models are cached under `<home>/onnx-cache/`. */
  home: string
  log: Logger
}

/**
 * Loads the model to serve with the configured runtime: `onnx` (ONNX Runtime, exporting the TF.js artifact
 * on first use), `tfjs`, or `auto` (ONNX when the artifact exports and loads, else TF.js). onnxruntime-node's
 * `run` blocks the calling thread (1.30: a synchronous native call behind setImmediate), but for 3-4 CPU ms
 * per image against TF.js wasm's 13-20; `inferenceWorkers` > 0 moves it to worker threads instead.
 */
export async function loadServedClassifier(
  source: ModelSource,
  options: LoadServedClassifierOptions,
): Promise<{ classifier: Classifier; runtime: 'onnx' | 'tfjs' }> {
  const { serving, log } = options
  const loaded = await loadWithRuntime(source, options)
  log.info(
    {
      model: loaded.classifier.ref,
      runtime: loaded.runtime,
      threads: loaded.runtime === 'onnx' ? serving.inferenceThreads : 1,
      workers: loaded.runtime === 'onnx' ? serving.inferenceWorkers : 0,
      maxBatchSize: serving.maxBatchSize,
      batchWindowMs: serving.batchWindowMs,
      testViews: source.testViews,
    },
    'serving runtime chosen',
  )
  return {
    classifier: withMicroBatching(loaded.classifier, {
      maxBatchSize: serving.maxBatchSize,
      windowMs: serving.batchWindowMs,
    }),
    runtime: loaded.runtime,
  }
}

async function loadWithRuntime(
  source: ModelSource,
  options: LoadServedClassifierOptions,
): Promise<{ classifier: Classifier; runtime: 'onnx' | 'tfjs' }> {
  const { serving, log } = options
  const tfjs = async () => ({
    classifier: await loadClassifier(source.dir, { ref: source.ref, testViews: source.testViews, log }),
    runtime: 'tfjs' as const,
  })
  if (source.runtime === 'tfjs') return tfjs()
  try {
    const file = await onnxFileFor(source, options)
    if (serving.inferenceWorkers > 0) {
      const classifier = await loadPooledOnnxClassifier(source.dir, {
        file,
        ref: source.ref,
        workers: serving.inferenceWorkers,
        intraOpThreads: serving.inferenceThreads,
        testViews: source.testViews,
        log,
      })
      return { classifier, runtime: 'onnx' }
    }
    const classifier = await loadOnnxClassifier(source.dir, {
      file,
      ref: source.ref,
      intraOpThreads: serving.inferenceThreads,
      // Spin-waiting intra-op threads doubled the CPU per request (bench:serve, 2 threads: 24-26 CPU ms vs
      // 10-11 with 1) on cores shared with sharp, the event loop and PostgreSQL.
      isSpinning: false,
      testViews: source.testViews,
      log,
    })
    return { classifier, runtime: 'onnx' }
  } catch (err) {
    if (source.runtime === 'onnx') throw err
    log.warn({ err, dir: source.dir }, 'ONNX Runtime cannot serve this model; falling back to TF.js')
    return tfjs()
  }
}

/**
 * Where the model's ONNX file is, exporting it when missing. A shipped `model.onnx` is used as is; otherwise
 * the export goes to `<home>/onnx-cache/`, never into the artifact (registry artifacts are immutable). The
 * cache name comes from the model's content, so a changed bundled model never reuses a stale export.
 */
async function onnxFileFor(source: ModelSource, options: LoadServedClassifierOptions): Promise<string> {
  const shipped = path.join(source.dir, ONNX_MODEL_FILE)
  if (await exists(shipped)) return shipped
  const cacheDir = path.join(options.home, 'onnx-cache')
  await mkdir(cacheDir, { recursive: true })
  const name = (source.ref ?? path.basename(path.resolve(source.dir))).replace(/[^\w.-]+/g, '-')
  const file = path.join(cacheDir, `${name}-${await contentHash(source.dir)}.onnx`)
  await ensureOnnx(source.dir, { file, log: options.log })
  return file
}

/** Hash of the files that define the exported graph: the topology (with weight manifest) and the weights. */
async function contentHash(dir: string): Promise<string> {
  const hash = createHash('sha256')
  const modelJson = await readFile(path.join(dir, 'model.json'))
  hash.update(modelJson)
  const manifest: unknown = JSON.parse(modelJson.toString('utf8'))
  for (const weightFile of weightPaths(manifest)) {
    hash.update(await readFile(path.join(dir, weightFile)))
  }
  return hash.digest('hex').slice(0, 16)
}

function weightPaths(manifest: unknown): string[] {
  if (typeof manifest !== 'object' || manifest === null || !('weightsManifest' in manifest)) return []
  const groups = manifest.weightsManifest
  if (!Array.isArray(groups)) return []
  return groups.flatMap((group: unknown) =>
    typeof group === 'object' && group !== null && 'paths' in group && Array.isArray(group.paths)
      ? group.paths.filter((p: unknown): p is string => typeof p === 'string' && !p.includes('..'))
      : [],
  )
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  )
}

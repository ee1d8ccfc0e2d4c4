import * as tf from '@tensorflow/tfjs'
import { getThreadsCount, setThreadsCount, setWasmPaths, version_wasm } from '@tensorflow/tfjs-backend-wasm'
import type { Logger } from '../../log/index.js'
import { BackendUnavailableError } from './errors.js'
import { wasmKernelSet } from './register-wasm-gradient-kernels.js'
import { wasmBinaryFolder } from './wasm-paths.js'
import { withThreadedWasm } from './wasm-threads.js'

export type BackendName = 'tensorflow' | 'wasm' | 'cpu'

export interface InitBackendOptions {
  /** Tried first; the others follow in the order tensorflow, wasm, cpu. */
  preferred?: BackendName
  /**
   * XNNPACK threads for the wasm backend (default 1). Above 1, the threaded-SIMD binary is started with the
   * shims in wasm-threads.ts; if that fails, wasm runs single-threaded. A wasm module cannot be restarted,
   * so only the first start counts: a later call asking for another count is logged as a warning.
   */
  threads?: number
  log?: Logger
}

const ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu']
const starts = new Map<BackendName, Promise<boolean>>()

// tfjs-node is deliberately not a dependency (its native binary cannot install everywhere, including our CI);
// when someone installs it, it is picked up here. A variable specifier keeps TypeScript from requiring it.
const TFJS_NODE = '@tensorflow/tfjs-node'

async function startTensorflow(log: Logger | undefined): Promise<boolean> {
  try {
    await import(TFJS_NODE)
  } catch (err) {
    log?.debug({ err }, '@tensorflow/tfjs-node is not installed; skipping the native backend')
    return false
  }
  return tf.setBackend('tensorflow')
}

/**
 * The version our gradient kernels and thread shim were written against (they call the backend's internals);
 * package.json pins it exactly, and a different one refuses to start rather than compute wrong gradients.
 */
export const WASM_BACKEND_VERSION = '4.22.0'

async function startWasm(threads: number, log: Logger | undefined): Promise<boolean> {
  if (version_wasm !== WASM_BACKEND_VERSION) {
    throw new BackendUnavailableError(
      `wasm ${version_wasm}`,
      new Error(
        `@tensorflow/tfjs-backend-wasm ${version_wasm} is installed; SportScan's kernels need ${WASM_BACKEND_VERSION}`,
      ),
    )
  }
  // Stock kernels only: training registers its own for as long as it runs (training-kernels.ts).
  setWasmPaths(wasmBinaryFolder())
  if (threads > 1) {
    const isThreaded = await withThreadedWasm(threads, () => tf.setBackend('wasm')).catch((err: unknown) => {
      log?.warn({ err, threads }, 'threaded wasm failed to start; using one thread')
      return false
    })
    if (isThreaded) return true
    // The engine keeps the backend's factory after a failed start, so the next setBackend retries it.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)
    setThreadsCount(1)
  }
  return tf.setBackend('wasm')
}

function start(name: BackendName, options: InitBackendOptions): Promise<boolean> {
  let started = starts.get(name)
  if (started === undefined) {
    const { log, threads = 1 } = options
    started =
      name === 'tensorflow'
        ? startTensorflow(log)
        : name === 'wasm'
          ? startWasm(threads, log)
          : tf.setBackend('cpu')
    starts.set(name, started)
  }
  return started
}

/**
 * Makes TF.js use the best backend available and returns its name: `preferred` if given and it starts,
 * else tfjs-node, else wasm (with our conv-net gradient kernels registered), else cpu. Safe to call many
 * times: each backend starts once, and later calls only switch TF.js back to it.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendName> {
  const order =
    options.preferred === undefined
      ? ORDER
      : [options.preferred, ...ORDER.filter((n) => n !== options.preferred)]
  const failures: unknown[] = []
  for (const name of order) {
    const isStarted = await start(name, options).catch((err: unknown) => {
      failures.push(err)
      return false
    })
    if (!isStarted) continue
    if (tf.getBackend() !== name) await tf.setBackend(name)
    await tf.ready()
    const threads = name === 'wasm' ? getThreadsCount() : undefined
    const asked = options.threads ?? 1
    if (threads !== undefined && threads < asked) {
      // Typically a retrain inside the server: the server started wasm first, with its own count.
      options.log?.warn(
        { backend: name, threads, asked },
        `the wasm backend already runs ${threads} thread(s) in this process and cannot restart; ${asked} asked for`,
      )
    }
    options.log?.info(
      { backend: name, threads, kernels: name === 'wasm' ? wasmKernelSet() : 'stock' },
      'TF.js backend ready',
    )
    return name
  }
  throw new BackendUnavailableError(order.join(', '), failures[0])
}

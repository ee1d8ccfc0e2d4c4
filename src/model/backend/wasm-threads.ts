import { mkdtemp, rm } from 'node:fs/promises'
import { writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm'

// tfjs-backend-wasm disables its threaded build in Node (tensorflow/tfjs#3830) because Emscripten's pthread
// workers are handed blob: URLs, which Node's Worker refuses, and because XNNPACK sizes its pool to half of
// os.cpus(). Both are fixable from outside: while the backend starts we turn the two generated scripts into
// temporary .cjs files and report enough cores for the requested thread count.
const MAIN_SCRIPT_MARK = 'var WasmBackendModuleThreadedSimd'
// The main script is the body of a bundled factory function that refers to these rollup helpers.
const MAIN_SCRIPT_PRELUDE =
  "var require$$0 = require('fs'), require$$1 = require('path'), require$$3 = require('perf_hooks'), " +
  "require$$4 = require('os'), commonjsGlobal = globalThis;\n"

/**
 * Runs `start` (which must create the wasm backend) with the shims that let the threaded-SIMD binary start
 * `threads` XNNPACK threads in Node (the C++ side caps it at 8), then removes the shims and the temporary
 * scripts. While it runs (~1-2 s), `os.cpus()` reports `threads * 2` entries and `Blob` is a subclass.
 */
export async function withThreadedWasm<T>(threads: number, start: () => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(os.tmpdir(), 'sportscan-wasm-'))
  const mainScript = join(dir, 'main.cjs')
  const OriginalBlob = globalThis.Blob
  const originalCreateObjectURL = URL.createObjectURL.bind(URL)
  const originalCpus = os.cpus.bind(os)
  const texts = new WeakMap<Blob, string>()
  let workerFiles = 0

  class CapturingBlob extends OriginalBlob {
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      super(parts, options)
      const text = (parts ?? []).map((part) => (typeof part === 'string' ? part : '')).join('')
      texts.set(this, text)
      // Workers import the main script themselves, so it must be on disk before any of them starts; a
      // constructor cannot await, hence the sync write (start-up only, never on a request path).
      if (text.startsWith(MAIN_SCRIPT_MARK)) writeFileSync(mainScript, MAIN_SCRIPT_PRELUDE + text)
    }
  }
  const createObjectURL = (blob: Blob): string => {
    const text = texts.get(blob)
    if (text === undefined || text.startsWith(MAIN_SCRIPT_MARK)) return originalCreateObjectURL(blob)
    const file = join(dir, `worker-${workerFiles++}.cjs`)
    // Inside a worker, the main script arrives as a Blob again; point it at the file instead.
    writeFileSync(file, `URL.createObjectURL = () => ${JSON.stringify(mainScript)};\n${text}`)
    return file
  }
  const cpus = originalCpus()
  const reportedCpus = Array.from({ length: threads * 2 }, (_, i) => cpus[i % Math.max(1, cpus.length)])

  globalThis.Blob = CapturingBlob
  URL.createObjectURL = createObjectURL
  os.cpus = () => reportedCpus.filter((cpu) => cpu !== undefined)
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true)
  setThreadsCount(threads)
  try {
    return await start()
  } finally {
    globalThis.Blob = OriginalBlob
    URL.createObjectURL = originalCreateObjectURL
    os.cpus = originalCpus
    // Workers have read their scripts once the backend is up.
    await rm(dir, { recursive: true, force: true })
  }
}

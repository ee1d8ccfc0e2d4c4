import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * Folder holding the tfjs-backend-wasm `.wasm` binaries, resolved through Node's module lookup so it is the
 * same whether this file runs from src/ (tsx, vitest) or from dist/.
 */
export function wasmBinaryFolder(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/'
}

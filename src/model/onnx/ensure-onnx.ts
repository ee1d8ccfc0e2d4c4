import { access } from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from '../../data/index.js'
import type { Logger } from '../../log/index.js'
import { loadLayersModelFromDir, readArtifactSidecar } from '../artifact.js'
import { exportOnnx, type ExportOnnxOptions } from './export-onnx.js'
import { ONNX_MODEL_FILE } from './load-onnx-classifier.js'

export interface WriteOnnxOptions {
  opset?: number
  log?: Logger
}

export interface EnsureOnnxOptions extends WriteOnnxOptions {
  /**
   * Where the ONNX file lives; default `<artifactDir>/model.onnx`. Registered artifacts are immutable, so a
   * server that serves one from the registry passes a cache path outside the registry folder here.
   */
  file?: string
}

/**
 * Exports an artifact folder's TF.js model to `file`, atomically (temp file + rename in the same folder), so
 * a reader never sees half a model. Labels, preprocessing, temperature and test-time views go into the ONNX metadata too, for
 * serving stacks that only get the .onnx file. Returns the number of bytes written.
 */
export async function writeOnnxForArtifact(
  artifactDir: string,
  file: string,
  options: WriteOnnxOptions = {},
): Promise<number> {
  const [sidecar, model] = await Promise.all([
    readArtifactSidecar(artifactDir),
    loadLayersModelFromDir(artifactDir),
  ])
  let bytes: Uint8Array
  try {
    const exportOptions: ExportOnnxOptions = {
      opset: options.opset,
      metadata: {
        labels: JSON.stringify(sidecar.labels),
        preprocess: JSON.stringify(sidecar.preprocess),
        temperature: String(sidecar.temperature),
        views: JSON.stringify(sidecar.views),
        ...(sidecar.metadata ? { ref: `${sidecar.metadata.name}@${sidecar.metadata.version}` } : {}),
      },
    }
    bytes = exportOnnx(model, exportOptions)
  } finally {
    model.dispose()
  }
  await writeFileAtomic(file, bytes)
  options.log?.info({ artifactDir, file, bytes: bytes.length }, 'ONNX model written')
  return bytes.length
}

/**
 * Makes sure the artifact has an ONNX twin, exporting it when missing. Artifacts never change once written,
 * so an existing file is trusted as is. Returns its path and whether this call wrote it.
 */
export async function ensureOnnx(
  artifactDir: string,
  options: EnsureOnnxOptions = {},
): Promise<{ file: string; isCreated: boolean }> {
  const file = options.file ?? path.join(artifactDir, ONNX_MODEL_FILE)
  try {
    await access(file)
    return { file, isCreated: false }
  } catch (err) {
    if (!(err instanceof Error && 'code' in err && err.code === 'ENOENT')) throw err
  }
  await writeOnnxForArtifact(artifactDir, file, options)
  return { file, isCreated: true }
}

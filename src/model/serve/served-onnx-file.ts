import { createHash } from 'node:crypto'
import { access, mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Logger } from '../../log/index.js'
import { readArtifactSidecar, type Precision } from '../artifact.js'
import { ModelArtifactError } from '../errors.js'
import { ensureOnnx } from '../onnx/ensure-onnx.js'
import { ONNX_INT8_MODEL_FILE, ONNX_MODEL_FILE } from '../onnx/load-onnx-classifier.js'

/** `auto`: int8 when the artifact ships a calibrated int8 twin, else fp32. */
export type PrecisionChoice = Precision | 'auto'

/**
 * The ONNX file to serve an artifact from, and in which precision. int8 is the pipeline's model.int8.onnx
 * (never made at serving time: it needs calibration photos); fp32 is a shipped model.onnx, else an export
 * cached under `<home>/onnx-cache/` (registry artifacts are immutable), named after the model's content so a
 * changed model never reuses a stale export.
 */
export async function servedOnnxFile(
  dir: string,
  choice: PrecisionChoice,
  options: { home: string; ref?: string; log?: Logger },
): Promise<{ file: string; precision: Precision }> {
  if (choice !== 'fp32') {
    const int8 = path.join(dir, ONNX_INT8_MODEL_FILE)
    const isCalibrated = (await exists(int8)) && (await readArtifactSidecar(dir)).int8 !== undefined
    if (isCalibrated) return { file: int8, precision: 'int8' }
    if (choice === 'int8') {
      throw new ModelArtifactError(
        dir,
        `has no calibrated int8 twin (${ONNX_INT8_MODEL_FILE} and calibration.json's int8 block, written by the pipeline's quantize step); serve it with SPORTSCAN_PRECISION=fp32 or auto`,
      )
    }
  }
  const shipped = path.join(dir, ONNX_MODEL_FILE)
  if (await exists(shipped)) return { file: shipped, precision: 'fp32' }
  const cacheDir = path.join(options.home, 'onnx-cache')
  await mkdir(cacheDir, { recursive: true })
  const name = (options.ref ?? path.basename(path.resolve(dir))).replace(/[^\w.-]+/g, '-')
  const file = path.join(cacheDir, `${name}-${await contentHash(dir)}.onnx`)
  await ensureOnnx(dir, { file, ...(options.log ? { log: options.log } : {}) })
  return { file, precision: 'fp32' }
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

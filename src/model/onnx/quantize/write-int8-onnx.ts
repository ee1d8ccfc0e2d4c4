import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from '../../../data/index.js'
import type { Logger } from '../../../log/index.js'
import { ARTIFACT_FILES, loadLayersModelFromDir, readArtifactSidecar } from '../../artifact.js'
import { buildOnnxModel } from '../export-onnx.js'
import { encodeOnnxModel } from '../onnx-model.js'
import { calibrateRanges } from './calibrate-ranges.js'
import { activationsToQuantize, quantizeQdq, type WeightQuantization } from './quantize-qdq.js'

export interface WriteInt8OnnxOptions {
  /** Preprocessed training photos ([0, 1] RGB at the model's size) the activation ranges are measured on. */
  calibrationImages: readonly Float32Array[]
  /** Share of values clipped at each end of an activation's range (see calibrateRanges); default 1e-4. */
  clipShare?: number
  log?: Logger
}

/** Layer name -> the integer steps its source file stored (quantization.json, written by transfer training). */
type StoredSteps = Record<string, { kind: 'conv' | 'depthwise'; scale: number[]; zeroPoint: number[] }>

/**
 * Writes the artifact's int8 twin: the float ONNX graph rewritten in QDQ form (see quantizeQdq) with activation
 * ranges measured on `calibrationImages`. Weights of layers listed in the artifact's quantization.json keep the
 * integer steps of the file they came from; the others get int8 per output channel. Atomic like ensureOnnx.
 */
export async function writeInt8OnnxForArtifact(
  artifactDir: string,
  file: string,
  options: WriteInt8OnnxOptions,
): Promise<{ bytes: number; activations: number; keptWeights: number }> {
  const [sidecar, model, steps] = await Promise.all([
    readArtifactSidecar(artifactDir),
    loadLayersModelFromDir(artifactDir),
    readStoredSteps(artifactDir),
  ])
  let float
  try {
    float = buildOnnxModel(model, {
      metadata: {
        labels: JSON.stringify(sidecar.labels),
        preprocess: JSON.stringify(sidecar.preprocess),
        views: JSON.stringify(sidecar.views),
        precision: 'int8',
        ...(sidecar.metadata ? { ref: `${sidecar.metadata.name}@${sidecar.metadata.version}` } : {}),
      },
    })
  } finally {
    model.dispose()
  }
  const weightQuantization = new Map<string, WeightQuantization>()
  for (const [layer, s] of Object.entries(steps)) {
    weightQuantization.set(`${layer}/${s.kind === 'depthwise' ? 'depthwise_kernel' : 'kernel'}`, s)
  }
  const tensors = activationsToQuantize(float)
  const started = performance.now()
  const ranges = await calibrateRanges(float, tensors, options.calibrationImages, {
    clipShare: options.clipShare ?? 1e-4,
  })
  const bytes = encodeOnnxModel(quantizeQdq(float, { ranges, weightQuantization }))
  await writeFileAtomic(file, bytes)
  const keptWeights = [...weightQuantization.keys()].filter((name) =>
    float.graph.initializers.some((t) => t.name === name),
  ).length
  options.log?.info(
    {
      artifactDir,
      file,
      bytes: bytes.length,
      activations: tensors.length,
      keptWeights,
      calibrationImages: options.calibrationImages.length,
      seconds: (performance.now() - started) / 1000,
    },
    'int8 ONNX model written',
  )
  return { bytes: bytes.length, activations: tensors.length, keptWeights }
}

async function readStoredSteps(dir: string): Promise<StoredSteps> {
  try {
    const parsed = JSON.parse(await readFile(path.join(dir, ARTIFACT_FILES.quantization), 'utf8')) as {
      weights?: StoredSteps
    }
    return parsed.weights ?? {}
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return {}
    throw err
  }
}

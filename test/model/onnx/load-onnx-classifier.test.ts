import { stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, test } from '../../fixtures.js'
import { getArchitecture, loadClassifier, saveModelArtifact } from '../../../src/model/index.js'
import {
  ensureOnnx,
  loadOnnxClassifier,
  ONNX_MODEL_FILE,
  OnnxModelError,
} from '../../../src/model/onnx/index.js'
import { maxAbsDifference, randomiseBatchNorm, randomValues } from './onnx-parity.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const SIZE = 16
const LABELS = ['football', 'tennis_ball', 'golf_ball', 'volleyball']

async function writeArtifact(dir: string, temperature?: number): Promise<void> {
  const model = getArchitecture('resnet-small').build({
    inputSize: SIZE,
    numClasses: LABELS.length,
    seed: 4,
    widths: [8, 16],
  })
  randomiseBatchNorm(model, 8)
  await saveModelArtifact(dir, {
    model,
    labels: LABELS,
    preprocess: { size: SIZE, fit: 'cover' },
    temperature,
    metadata: { name: 'balls', version: 7 },
  })
  model.dispose()
}

function images(count: number, seed: number): Float32Array[] {
  return Array.from({ length: count }, (_, i) => randomValues(SIZE * SIZE * 3, seed + i))
}

describe('loadOnnxClassifier', () => {
  test('answers like the TF.js classifier of the same artifact, temperature included', async ({ tmpDir }) => {
    await writeArtifact(tmpDir, 2.5)
    const { file, isCreated } = await ensureOnnx(tmpDir)
    expect(isCreated).toBe(true)
    expect(file).toBe(path.join(tmpDir, ONNX_MODEL_FILE))

    const reference = await loadClassifier(tmpDir)
    const onnx = await loadOnnxClassifier(tmpDir)
    expect(onnx.ref).toBe('balls@7')
    expect(onnx.labels).toEqual(LABELS)
    expect(onnx.preprocess).toEqual({ size: SIZE, fit: 'cover' })
    const batch = images(6, 1)
    const [expected, got] = await Promise.all([reference.predict(batch), onnx.predict(batch)])
    expect(got).toHaveLength(6)
    got.forEach((row, i) => {
      expect(row).toBeInstanceOf(Float32Array)
      expect(maxAbsDifference(row, expected[i] ?? [])).toBeLessThanOrEqual(1e-4)
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
    })
    expect(await onnx.predict([])).toEqual([])
    await Promise.all([reference.dispose(), onnx.dispose()])
    await expect(onnx.predict(batch)).rejects.toMatchObject({ code: 'SPS_MODEL_INPUT_INVALID' })
  })

  test('runs concurrent batches on two intra-op threads without mixing answers', async ({ tmpDir }) => {
    await writeArtifact(tmpDir)
    await ensureOnnx(tmpDir)
    const onnx = await loadOnnxClassifier(tmpDir, { intraOpThreads: 2, isSpinning: false })
    const batches = [images(1, 10), images(3, 20), images(2, 30)]
    const together = await Promise.all(batches.map((b) => onnx.predict(b)))
    for (const [i, batch] of batches.entries()) {
      const alone = await onnx.predict(batch)
      expect(
        maxAbsDifference(
          together[i]?.flatMap((r) => [...r]) ?? [],
          alone.flatMap((r) => [...r]),
        ),
      ).toBe(0)
    }
    await onnx.dispose()
  })

  test('rejects an image of the wrong size', async ({ tmpDir }) => {
    await writeArtifact(tmpDir)
    await ensureOnnx(tmpDir)
    const onnx = await loadOnnxClassifier(tmpDir)
    await expect(onnx.predict([new Float32Array(10)])).rejects.toMatchObject({
      code: 'SPS_MODEL_INPUT_INVALID',
    })
    await onnx.dispose()
  })

  test('refuses an ONNX file whose classes do not match labels.json', async ({ tmpDir }) => {
    await writeArtifact(tmpDir)
    await ensureOnnx(tmpDir)
    await writeFile(path.join(tmpDir, 'labels.json'), JSON.stringify(['a', 'b', 'c']))
    const error = await loadOnnxClassifier(tmpDir).catch((err: unknown) => err)
    expect(error).toBeInstanceOf(OnnxModelError)
    expect(String(error)).toContain('[batch, 3]')
  })

  test('reports a missing model.onnx with its path', async ({ tmpDir }) => {
    await writeArtifact(tmpDir)
    await expect(loadOnnxClassifier(tmpDir)).rejects.toMatchObject({ code: 'SPS_ONNX_MODEL_INVALID' })
  })
})

describe('ensureOnnx', () => {
  test('keeps an existing file and writes to a chosen path without touching the artifact', async ({
    tmpDir,
  }) => {
    const dir = path.join(tmpDir, 'artifact')
    await writeArtifact(dir)
    const first = await ensureOnnx(dir)
    const before = await stat(first.file)
    const again = await ensureOnnx(dir)
    expect(again).toEqual({ file: first.file, isCreated: false })
    expect((await stat(again.file)).mtimeMs).toBe(before.mtimeMs)

    const elsewhere = path.join(tmpDir, 'cache.onnx')
    expect(await ensureOnnx(dir, { file: elsewhere })).toEqual({ file: elsewhere, isCreated: true })
    expect((await stat(elsewhere)).size).toBe(before.size)
  })
})

import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, test } from '../../fixtures.js'
import { getArchitecture, saveModelArtifact, writeInt8Calibration } from '../../../src/model/index.js'
import {
  activationsToQuantize,
  buildOnnxModel,
  ensureOnnx,
  loadOnnxClassifier,
  ONNX_INT8_MODEL_FILE,
  quantizeQdq,
  writeInt8OnnxForArtifact,
} from '../../../src/model/onnx/index.js'
import { maxAbsDifference, randomiseBatchNorm, randomValues } from './onnx-parity.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const SIZE = 16
const LABELS = ['football', 'tennis_ball', 'golf_ball']

function buildModel(): tf.LayersModel {
  const model = getArchitecture('resnet-small').build({
    inputSize: SIZE,
    numClasses: LABELS.length,
    seed: 3,
    widths: [8, 16],
  })
  randomiseBatchNorm(model, 5)
  return model
}

const images = (count: number, seed: number) =>
  Array.from({ length: count }, (_, i) => randomValues(SIZE * SIZE * 3, seed + i))

describe('int8 ONNX (QDQ)', () => {
  test('int8 weights per output channel, uint8 activations on every Conv/Add input, bias int32', () => {
    const model = buildModel()
    const float = buildOnnxModel(model)
    model.dispose()
    const tensors = activationsToQuantize(float)
    const ranges = new Map(tensors.map((name) => [name, { min: -2, max: 3 }]))
    const q = quantizeQdq(float, { ranges })
    const convs = float.graph.nodes.filter((n) => n.opType === 'Conv')
    expect(convs.length).toBeGreaterThan(2)
    const quantizeNodes = q.graph.nodes.filter((n) => n.opType === 'QuantizeLinear')
    expect(quantizeNodes.map((n) => n.inputs[0]).sort()).toEqual([...tensors].sort())
    for (const conv of convs) {
      const rewritten = q.graph.nodes.find((n) => n.name === conv.name)!
      const weight = q.graph.initializers.find((t) => t.name === `${conv.inputs[1]}/int8`)
      expect(weight?.dataType, conv.name).toBe('int8')
      expect(weight?.dims).toEqual(float.graph.initializers.find((t) => t.name === conv.inputs[1])?.dims)
      expect(rewritten.inputs[0]).toMatch(/\/dequantized$/)
      expect(rewritten.inputs[1]).toBe(`${conv.inputs[1]}/dequantized`)
      if (conv.inputs[2] !== undefined) {
        expect(q.graph.initializers.find((t) => t.name === `${conv.inputs[2]}/int32`)?.dataType).toBe('int32')
      }
    }
    // The float weights are gone: the file carries integers only.
    expect(q.graph.initializers.some((t) => t.name === convs[0]!.inputs[1])).toBe(false)
    expect(() => quantizeQdq(float, { ranges: new Map() })).toThrow(/no calibrated range/)
  })

  test("a weight's own steps (a quantised source file's) are kept, not chosen anew", () => {
    const model = buildModel()
    const float = buildOnnxModel(model)
    model.dispose()
    const conv = float.graph.nodes.find((n) => n.opType === 'Conv')!
    const w = float.graph.initializers.find((t) => t.name === conv.inputs[1])!
    const channels = w.dims[0]!
    const hint = { scale: Array.from({ length: channels }, (_, c) => 0.01 * (c + 1)), zeroPoint: [0] }
    const ranges = new Map(activationsToQuantize(float).map((name) => [name, { min: 0, max: 1 }]))
    const q = quantizeQdq(float, { ranges, weightQuantization: new Map([[w.name, hint]]) })
    const scale = q.graph.initializers.find((t) => t.name === `${w.name}/scale`)
    expect(Array.from(scale!.data as Float32Array)).toEqual(Array.from(Float32Array.from(hint.scale)))
  })

  test('ONNX Runtime runs the twin calibrated on sample images; it answers like the float graph', async ({
    tmpDir,
  }) => {
    const model = buildModel()
    await saveModelArtifact(tmpDir, { model, labels: LABELS, preprocess: { size: SIZE, fit: 'stretch' } })
    model.dispose()
    await ensureOnnx(tmpDir)
    const written = await writeInt8OnnxForArtifact(tmpDir, path.join(tmpDir, ONNX_INT8_MODEL_FILE), {
      calibrationImages: images(24, 100),
    })
    expect(written.activations).toBeGreaterThan(2)
    expect(written.keptWeights).toBe(0)

    // Not calibrated yet: int8 refuses to serve, raw probabilities are there for fitting.
    await expect(loadOnnxClassifier(tmpDir, { precision: 'int8' })).rejects.toThrow(/no calibrated int8/)
    const raw = await loadOnnxClassifier(tmpDir, { precision: 'int8', isUncalibrated: true })
    const float = await loadOnnxClassifier(tmpDir)
    const batch = images(12, 7)
    const [q, f] = await Promise.all([raw.predict(batch), float.predict(batch)])
    q.forEach((row, i) => expect(maxAbsDifference(row, f[i]!)).toBeLessThan(0.1))
    expect(q.some((row, i) => maxAbsDifference(row, f[i]!) > 0)).toBe(true)
    await Promise.all([raw.dispose(), float.dispose()])

    await writeInt8Calibration(tmpDir, { temperature: 2, byTestViews: { full: 2 } })
    const calibration = JSON.parse(await readFile(path.join(tmpDir, 'calibration.json'), 'utf8'))
    expect(calibration).toMatchObject({ temperature: 1, int8: { temperature: 2 } })
    const served = await loadOnnxClassifier(tmpDir, { precision: 'int8' })
    const [softer] = await served.predict(batch.slice(0, 1))
    expect(Math.max(...softer!)).toBeLessThan(Math.max(...q[0]!))
    await served.dispose()
    await writeFile(path.join(tmpDir, ONNX_INT8_MODEL_FILE), 'not onnx')
    await expect(loadOnnxClassifier(tmpDir, { precision: 'int8' })).rejects.toThrow(
      /ONNX Runtime cannot load/,
    )
  })
})

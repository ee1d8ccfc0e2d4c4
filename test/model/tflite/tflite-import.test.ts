import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'
import { beforeAll, describe, expect, test } from '../../fixtures.js'
import { createSeededRandom } from '../../../src/data/index.js'
import { exportOnnx } from '../../../src/model/onnx/index.js'
import {
  dequantize,
  readTflite,
  tfliteToLayers,
  TfliteFormatError,
  TfliteUnsupportedOpError,
} from '../../../src/model/tflite/index.js'
import { float32Bytes, int32Bytes, int8Bytes, writeTinyTflite, type TinyTensor } from './tiny-tflite.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const random = createSeededRandom(11)
const ints = (n: number, lo: number, hi: number): number[] =>
  Array.from({ length: n }, () => lo + Math.floor(random() * (hi - lo + 1)))

/** real = scale[c] * (q - zero[c]) with c the index along `axis`: the TFLite rule, written out for the test. */
function real(q: number[], shape: number[], scale: number[], zero: number[], axis: number): number[] {
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1)
  return q.map((v, i) => {
    const c = scale.length === 1 ? 0 : Math.floor(i / inner) % shape[axis]!
    return scale[c]! * (v - (zero[c] ?? zero[0]!))
  })
}

// A small quantised network in the shape of a MobileNetV2 block: uint8 input, per-channel int8 convolutions
// (fused ReLU6 / ReLU), a stride-2 SAME depthwise conv, a residual add, a global mean, an asymmetric uint8
// fully connected layer with a float bias, softmax.
const inScale = 1 / 128
const convScales = [0.02, 0.01, 0.03, 0.015]
const dwScales = [0.05, 0.04, 0.02, 0.03]
const q = {
  conv: ints(4 * 3 * 3 * 3, -100, 100),
  convBias: ints(4, -500, 500),
  dw: ints(3 * 3 * 4, -100, 100),
  dwBias: ints(4, -20, 20),
  pw: ints(4 * 4, -50, 50),
  fc: ints(3 * 4, 60, 140),
}
const fcBias = [0.1, -0.2, 0.05]
const tensors: TinyTensor[] = [
  { name: 'image', shape: [1, 6, 6, 3], type: 'UINT8', scale: [inScale], zeroPoint: [128] },
  { name: 'conv/w', shape: [4, 3, 3, 3], type: 'INT8', data: int8Bytes(q.conv), scale: convScales, axis: 0 },
  {
    name: 'conv/b',
    shape: [4],
    type: 'INT32',
    data: int32Bytes(q.convBias),
    scale: convScales.map((s) => s * inScale),
  },
  {
    name: 'block/conv/Relu6;block/conv/BiasAdd',
    shape: [1, 6, 6, 4],
    type: 'UINT8',
    scale: [0.03],
    zeroPoint: [0],
  },
  { name: 'dw/w', shape: [1, 3, 3, 4], type: 'INT8', data: int8Bytes(q.dw), scale: dwScales, axis: 3 },
  {
    name: 'dw/b',
    shape: [4],
    type: 'INT32',
    data: int32Bytes(q.dwBias),
    scale: dwScales.map((s) => s * 0.03),
  },
  { name: 'block/depthwise', shape: [1, 3, 3, 4], type: 'UINT8', scale: [0.05], zeroPoint: [128] },
  { name: 'pw/w', shape: [4, 1, 1, 4], type: 'INT8', data: int8Bytes(q.pw), scale: [0.05] },
  { name: 'block/project/Relu', shape: [1, 3, 3, 4], type: 'UINT8', scale: [0.05], zeroPoint: [0] },
  { name: 'block/add', shape: [1, 3, 3, 4], type: 'UINT8', scale: [0.05], zeroPoint: [128] },
  { name: 'mean/axes', shape: [2], type: 'INT32', data: int32Bytes([1, 2]) },
  { name: 'pool', shape: [1, 4], type: 'UINT8', scale: [0.05], zeroPoint: [128] },
  {
    name: 'fc/w',
    shape: [3, 4],
    type: 'UINT8',
    data: Uint8Array.from(q.fc),
    scale: [0.04],
    zeroPoint: [100],
  },
  { name: 'fc/b', shape: [3], type: 'FLOAT32', data: float32Bytes(fcBias) },
  { name: 'logits', shape: [1, 3], type: 'UINT8', scale: [0.1], zeroPoint: [128] },
  { name: 'probabilities', shape: [1, 3], type: 'UINT8', scale: [1 / 256], zeroPoint: [0] },
]
const RELU6 = 3
const RELU = 1
const tiny = () =>
  writeTinyTflite({
    tensors,
    inputs: [0],
    outputs: [15],
    ops: [
      {
        code: 3,
        inputs: [0, 1, 2],
        outputs: [3],
        options: { kind: 'conv', stride: 1, padding: 'same', activation: RELU6 },
      },
      {
        code: 4,
        inputs: [3, 4, 5],
        outputs: [6],
        options: { kind: 'depthwise', stride: 2, padding: 'same', multiplier: 1 },
      },
      {
        code: 3,
        inputs: [6, 7, -1],
        outputs: [8],
        options: { kind: 'conv', stride: 1, padding: 'valid', activation: RELU },
      },
      { code: 0, inputs: [6, 8], outputs: [9], options: { kind: 'add' } },
      { code: 40, inputs: [9, 10], outputs: [11], options: { kind: 'mean', keepDims: false } },
      { code: 9, inputs: [11, 12, 13], outputs: [14], options: { kind: 'fc' } },
      { code: 25, inputs: [14], outputs: [15], options: { kind: 'softmax' } },
    ],
  })

/** The same network written with TF.js ops on hand-dequantised weights. */
function reference(x: tf.Tensor4D): tf.Tensor {
  return tf.tidy(() => {
    const convW = tf.transpose(
      tf.tensor4d(real(q.conv, [4, 3, 3, 3], convScales, [0], 0), [4, 3, 3, 3]),
      [1, 2, 3, 0],
    )
    const convB = tf.tensor1d(
      real(
        q.convBias,
        [4],
        convScales.map((s) => s * inScale),
        [0],
        0,
      ),
    )
    let h = tf.clipByValue(tf.add(tf.conv2d(x, convW as tf.Tensor4D, 1, 'same'), convB), 0, 6)
    const dwW = tf.tensor4d(real(q.dw, [1, 3, 3, 4], dwScales, [0], 3), [3, 3, 4, 1])
    const dwB = tf.tensor1d(
      real(
        q.dwBias,
        [4],
        dwScales.map((s) => s * 0.03),
        [0],
        0,
      ),
    )
    const d = tf.add(tf.depthwiseConv2d(h as tf.Tensor4D, dwW, 2, 'same'), dwB)
    const pwW = tf.transpose(
      tf.tensor4d(real(q.pw, [4, 1, 1, 4], [0.05], [0], 0), [4, 1, 1, 4]),
      [1, 2, 3, 0],
    )
    const p = tf.relu(tf.conv2d(d as tf.Tensor4D, pwW as tf.Tensor4D, 1, 'valid'))
    h = tf.mean(tf.add(d, p), [1, 2])
    const fcW = tf.tensor2d(real(q.fc, [3, 4], [0.04], [100], 0), [3, 4])
    return tf.softmax(tf.add(tf.matMul(h as tf.Tensor2D, fcW, false, true), tf.tensor1d(fcBias)))
  })
}

describe('readTflite', () => {
  test('reads ops, shapes, constants and per-channel quantisation through the schema', () => {
    const graph = readTflite(tiny())
    expect(graph.description).toBe('tiny test graph')
    expect(graph.operators.map((o) => o.op)).toEqual([
      'CONV_2D',
      'DEPTHWISE_CONV_2D',
      'CONV_2D',
      'ADD',
      'MEAN',
      'FULLY_CONNECTED',
      'SOFTMAX',
    ])
    expect(graph.operators[1]!.options).toMatchObject({ kind: 'depthwise', strides: [2, 2], padding: 'same' })
    const dw = graph.tensors[4]!
    expect(dw.quantization).toMatchObject({ axis: 3, zeroPoint: [0, 0, 0, 0] })
    expect(Array.from(dw.quantization!.scale)).toEqual(Array.from(Float32Array.from(dwScales)))
    expect(Array.from(dequantize(dw))).toEqual(
      Array.from(
        Float32Array.from(real(q.dw, [1, 3, 3, 4], Array.from(Float32Array.from(dwScales)), [0], 3)),
      ),
    )
    expect(Array.from(dequantize(graph.tensors[13]!))).toEqual(Array.from(Float32Array.from(fcBias)))
  })

  test('refuses a file that is not TensorFlow Lite, and a damaged one, with SPS_MODEL_TFLITE_INVALID', () => {
    expect(() => readTflite(new TextEncoder().encode('{"format": "layers-model"}'), 'x.tflite')).toThrow(
      TfliteFormatError,
    )
    const bytes = tiny()
    const cut = bytes.slice(0, 64)
    const error = (() => {
      try {
        readTflite(cut, 'cut.tflite')
      } catch (err) {
        return err
      }
    })()
    expect(error).toBeInstanceOf(TfliteFormatError)
    expect((error as TfliteFormatError).code).toBe('SPS_MODEL_TFLITE_INVALID')
  })
})

describe('tfliteToLayers', () => {
  test('builds a TF.js model that computes what the TFLite graph means, and exports to ONNX unchanged', async () => {
    const { model, inputScaling, nativeInputSize } = tfliteToLayers(readTflite(tiny()), {
      source: 'tiny.tflite',
    })
    expect(nativeInputSize).toBe(6)
    expect(inputScaling).toEqual({ kind: 'quantized', scale: inScale, zeroPoint: 128 })
    // Layers are named after their TFLite tensors (the part before ";"), activations after the op's output.
    expect(model.getLayer('block/conv/Relu6').getClassName()).toBe('ReLU')
    const x = tf.randomUniform([2, 6, 6, 3], -1, 1, 'float32', 3) as tf.Tensor4D
    const got = model.predict(x) as tf.Tensor
    const want = reference(x)
    expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-5)
    const session = await ort.InferenceSession.create(exportOnnx(model))
    const out = await session.run({
      [session.inputNames[0]!]: new ort.Tensor('float32', x.dataSync() as Float32Array, [2, 6, 6, 3]),
    })
    await session.release()
    const onnx = out[session.outputNames[0]!]!.data as Float32Array
    const diff = Math.max(...(want.dataSync() as Float32Array).map((v, i) => Math.abs(v - onnx[i]!)))
    expect(diff).toBeLessThan(1e-5)
  })

  test("keeps the quantised weights' own steps by layer, so an int8 export reuses the file's integers", () => {
    const { model, weightSteps } = tfliteToLayers(readTflite(tiny()), { source: 'tiny.tflite' })
    const steps = [...weightSteps]
    // the stem and pointwise convolutions and the depthwise one; the float dense head has none
    expect(steps.map(([, s]) => s.kind).sort()).toEqual(['conv', 'conv', 'depthwise'])
    for (const [layer] of steps) expect(() => model.getLayer(layer)).not.toThrow()
    const depthwise = steps.find(([, s]) => s.kind === 'depthwise')![1]
    depthwise.scale.forEach((v, c) => expect(v).toBeCloseTo(dwScales[c]!, 7))
    expect(depthwise.zeroPoint.every((z) => z === 0)).toBe(true)
    const pointwise = steps.filter(([, s]) => s.kind === 'conv' && Math.abs(s.scale[0]! - 0.05) < 1e-7)
    expect(pointwise).toHaveLength(1)
  })

  test('rebuilds the graph for another input size (a global mean stays global)', () => {
    const { model } = tfliteToLayers(readTflite(tiny()), { source: 'tiny.tflite', inputSize: 10 })
    expect(model.inputs[0]!.shape).toEqual([null, 10, 10, 3])
    expect(model.outputs[0]!.shape).toEqual([null, 3])
  })

  test('names the first unsupported op and lists the supported ones', () => {
    const bytes = writeTinyTflite({
      tensors: [
        { name: 'image', shape: [1, 4, 4, 3], type: 'FLOAT32' },
        { name: 'hswish', shape: [1, 4, 4, 3], type: 'FLOAT32' },
      ],
      inputs: [0],
      outputs: [1],
      ops: [{ code: 117, inputs: [0], outputs: [1], options: { kind: 'none' } }],
    })
    const graph = readTflite(bytes)
    expect(graph.operators[0]!.op).toBe('HARD_SWISH')
    expect(() => tfliteToLayers(graph, { source: 'v3.tflite' })).toThrow(TfliteUnsupportedOpError)
    expect(() => tfliteToLayers(graph, { source: 'v3.tflite' })).toThrow(
      /v3\.tflite: TensorFlow Lite op HARD_SWISH is not supported \(supported: .*CONV_2D.*\)/,
    )
  })
})

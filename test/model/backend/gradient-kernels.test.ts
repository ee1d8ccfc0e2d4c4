import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { acquireTrainingKernels, initBackend } from '../../../src/model/backend/index.js'
import { seededValues } from './seeded-random.js'

type Shape = [number, number, number, number]
type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]]

interface ConvCase {
  input: Shape
  filter: Shape
  strides: number
  pad: Pad
}

const MAX_ABS_ERROR = 1e-4

/** Runs one kernel on a backend from fixed values and returns its output values. */
async function runKernel(
  backend: string,
  kernel: string,
  inputs: Record<string, { values: Float32Array; shape: number[] }>,
  attrs: tf.NamedAttrMap,
): Promise<Float32Array> {
  const previous = tf.getBackend()
  await tf.setBackend(backend)
  try {
    return tf.tidy(() => {
      const tensors: tf.NamedTensorMap = {}
      for (const [name, { values, shape }] of Object.entries(inputs)) tensors[name] = tf.tensor(values, shape)
      const out = tf.engine().runKernel(kernel, tensors, attrs)
      if (Array.isArray(out) || !(out instanceof tf.Tensor)) throw new Error('expected one output tensor')
      return Float32Array.from(out.dataSync())
    })
  } finally {
    await tf.setBackend(previous)
  }
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length)
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)))
  return max
}

async function compareWithCpu(
  kernel: string,
  inputs: Record<string, { values: Float32Array; shape: number[] }>,
  attrs: tf.NamedAttrMap,
): Promise<number> {
  const wasm = await runKernel('wasm', kernel, inputs, attrs)
  const cpu = await runKernel('cpu', kernel, inputs, attrs)
  return maxAbsDifference(wasm, cpu)
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1)

function outShape(c: ConvCase, depthwise: boolean): number[] {
  return tf.backend_util.computeConv2DInfo(c.input, c.filter, c.strides, 1, c.pad, undefined, depthwise)
    .outShape
}

const describeCase = (c: ConvCase): string =>
  `x ${c.input.join('x')}, filter ${c.filter.join('x')}, stride ${c.strides}, pad ${JSON.stringify(c.pad)}`

const CONV_CASES: ConvCase[] = [
  { input: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { input: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { input: [2, 10, 11, 3], filter: [3, 3, 3, 5], strides: 2, pad: 'valid' },
  { input: [1, 8, 7, 2], filter: [2, 2, 2, 3], strides: 3, pad: 'valid' },
  { input: [3, 7, 7, 4], filter: [5, 5, 4, 2], strides: 2, pad: 'same' },
  { input: [2, 6, 6, 3], filter: [1, 1, 3, 5], strides: 1, pad: 'valid' },
  {
    input: [2, 8, 8, 3],
    filter: [3, 3, 3, 4],
    strides: 1,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  { input: [4, 16, 16, 8], filter: [3, 3, 8, 16], strides: 1, pad: 'same' },
  // inChannels >= 8 and outChannels >= inChannels: the filter gradient takes its other orientation.
  { input: [2, 10, 11, 8], filter: [3, 3, 8, 8], strides: 2, pad: 'valid' },
  { input: [2, 9, 9, 8], filter: [3, 3, 8, 12], strides: 2, pad: 'same' },
  { input: [1, 8, 7, 8], filter: [2, 2, 8, 9], strides: 3, pad: 'valid' },
  {
    input: [2, 8, 8, 8],
    filter: [3, 3, 8, 8],
    strides: 1,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
]

const DEPTHWISE_CASES: ConvCase[] = [
  { input: [2, 9, 9, 3], filter: [3, 3, 3, 1], strides: 1, pad: 'same' },
  { input: [2, 9, 9, 4], filter: [3, 3, 4, 1], strides: 2, pad: 'same' },
  { input: [2, 10, 11, 3], filter: [3, 3, 3, 2], strides: 2, pad: 'valid' },
  // No dilated case: tfjs-core's depthwise gradient refuses dilations > 1, and the cpu kernels ignore them.
  { input: [3, 7, 7, 5], filter: [5, 5, 5, 3], strides: 1, pad: 'same' },
  {
    input: [2, 8, 8, 3],
    filter: [3, 3, 3, 1],
    strides: 1,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
]

beforeAll(async () => {
  await initBackend({ preferred: 'wasm' })
  // The kernels under test are training's, registered for the whole file (serving keeps the stock ones).
  acquireTrainingKernels()
  expect(tf.getBackend()).toBe('wasm')
})

describe('Conv2DBackpropFilter on wasm', () => {
  it.each(CONV_CASES.map((c, i) => [describeCase(c), c, i] as const))(
    'matches cpu for %s',
    async (_, c, seed) => {
      const dyShape = outShape(c, false)
      const error = await compareWithCpu(
        'Conv2DBackpropFilter',
        {
          x: { values: seededValues(size(c.input), seed * 2 + 1), shape: c.input },
          dy: { values: seededValues(size(dyShape), seed * 2 + 2), shape: dyShape },
        },
        { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter },
      )
      expect(error).toBeLessThanOrEqual(MAX_ABS_ERROR)
    },
  )
})

describe('Conv2DBackpropInput on wasm', () => {
  it.each(CONV_CASES.map((c, i) => [describeCase(c), c, i] as const))(
    'matches cpu for %s',
    async (_, c, seed) => {
      const dyShape = outShape(c, false)
      const error = await compareWithCpu(
        'Conv2DBackpropInput',
        {
          dy: { values: seededValues(size(dyShape), seed * 2 + 101), shape: dyShape },
          filter: { values: seededValues(size(c.filter), seed * 2 + 102), shape: c.filter },
        },
        { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.input },
      )
      expect(error).toBeLessThanOrEqual(MAX_ABS_ERROR)
    },
  )
})

describe('DepthwiseConv2dNativeBackpropFilter on wasm', () => {
  it.each(DEPTHWISE_CASES.map((c, i) => [describeCase(c), c, i] as const))(
    'matches cpu for %s',
    async (_, c, seed) => {
      const dyShape = outShape(c, true)
      const error = await compareWithCpu(
        'DepthwiseConv2dNativeBackpropFilter',
        {
          x: { values: seededValues(size(c.input), seed * 2 + 201), shape: c.input },
          dy: { values: seededValues(size(dyShape), seed * 2 + 202), shape: dyShape },
        },
        { strides: c.strides, pad: c.pad, dilations: 1, filterShape: c.filter },
      )
      expect(error).toBeLessThanOrEqual(MAX_ABS_ERROR)
    },
  )
})

describe('DepthwiseConv2dNativeBackpropInput on wasm', () => {
  it.each(DEPTHWISE_CASES.map((c, i) => [describeCase(c), c, i] as const))(
    'matches cpu for %s',
    async (_, c, seed) => {
      const dyShape = outShape(c, true)
      const error = await compareWithCpu(
        'DepthwiseConv2dNativeBackpropInput',
        {
          dy: { values: seededValues(size(dyShape), seed * 2 + 301), shape: dyShape },
          filter: { values: seededValues(size(c.filter), seed * 2 + 302), shape: c.filter },
        },
        { strides: c.strides, pad: c.pad, dilations: 1, inputShape: c.input },
      )
      expect(error).toBeLessThanOrEqual(MAX_ABS_ERROR)
    },
  )
})

describe('gradient kernels on wasm', () => {
  it('free every intermediate tensor they allocate', () => {
    const c = CONV_CASES[1]
    if (c === undefined) throw new Error('no case')
    const x = tf.tensor(seededValues(size(c.input), 7), c.input)
    const filter = tf.tensor(seededValues(size(c.filter), 8), c.filter)
    const loss = (xx: tf.Tensor, ff: tf.Tensor) =>
      tf
        .conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, c.strides, 'same')
        .square()
        .sum()
    const step = () => tf.dispose(tf.grads(loss)([x, filter]))
    step()
    const before = tf.memory()
    for (let i = 0; i < 5; i++) step()
    const after = tf.memory()
    expect(after.numTensors).toBe(before.numTensors)
    expect(after.numBytes).toBe(before.numBytes)
    tf.dispose([x, filter])
  })
})

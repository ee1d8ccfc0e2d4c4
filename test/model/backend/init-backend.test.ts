import * as tf from '@tensorflow/tfjs'
// The stock wasm kernels, registered on import: what serving keeps and training replaces while it runs.
import '@tensorflow/tfjs-backend-wasm'
import { describe, expect, it } from 'vitest'
import { BATCH_NORM_GRAD_SUMS, batchNormGradSums } from '../../../src/model/backend/batch-norm-grad-sums.js'
import { conv2dBackpropFilter } from '../../../src/model/backend/conv2d-backprop-filter.js'
import { depthwiseConv2dBackpropFilter } from '../../../src/model/backend/depthwise-conv2d-backprop-filter.js'
import { depthwiseConv2dBackpropInput } from '../../../src/model/backend/depthwise-conv2d-backprop-input.js'
import {
  acquireTrainingKernels,
  initBackend,
  wasmKernelSet,
  WASM_GRADIENT_KERNELS,
} from '../../../src/model/backend/index.js'
import { trainModel } from '../../../src/model/index.js'
import { pino } from 'pino'
import { WASM_BACKEND_VERSION } from '../../../src/model/backend/init-backend.js'
import { version_wasm } from '@tensorflow/tfjs-backend-wasm'
import { readFileSync } from 'node:fs'
import { maxPoolGrad } from '../../../src/model/backend/max-pool-grad.js'

// Each test file runs in a fresh process, so nothing has replaced a kernel yet.
const stock = new Map(WASM_GRADIENT_KERNELS.map((name) => [name, tf.getKernel(name, 'wasm')?.kernelFunc]))

/** Kernels that are ours outright; the others wrap the stock kernel they replace. */
const OURS_OUTRIGHT: Partial<Record<string, tf.KernelFunc>> = {
  Conv2DBackpropFilter: conv2dBackpropFilter,
  DepthwiseConv2dNativeBackpropFilter: depthwiseConv2dBackpropFilter,
  DepthwiseConv2dNativeBackpropInput: depthwiseConv2dBackpropInput,
  MaxPoolGrad: maxPoolGrad,
  [BATCH_NORM_GRAD_SUMS]: batchNormGradSums,
}

describe('initBackend', () => {
  it('runs on the exact wasm backend version its kernels were written for, as package.json pins it', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      dependencies: Record<string, string>
    }
    expect(pkg.dependencies['@tensorflow/tfjs-backend-wasm']).toBe(WASM_BACKEND_VERSION)
    expect(version_wasm).toBe(WASM_BACKEND_VERSION)
  })

  it('falls back to wasm when tfjs-node is not installed, and keeps the stock kernels', async () => {
    const backend = await initBackend()
    // tfjs-node cannot install here; if a developer has it, it is the one picked.
    expect(['tensorflow', 'wasm']).toContain(backend)
    expect(tf.getBackend()).toBe(backend)
    for (const name of WASM_GRADIENT_KERNELS) {
      expect(tf.getKernel(name, 'wasm')?.kernelFunc === stock.get(name), name).toBe(true)
    }
    expect(wasmKernelSet()).toBe('stock')
  })

  it('registers our kernels while training holds them and puts the stock ones back after the last', async () => {
    await initBackend({ preferred: 'wasm' })
    const stockMeanGrad = tf.getGradient('Mean').gradFunc
    const first = acquireTrainingKernels()
    const second = acquireTrainingKernels()
    expect(wasmKernelSet()).toBe('training')
    for (const name of WASM_GRADIENT_KERNELS) {
      const registered = tf.getKernel(name, 'wasm')?.kernelFunc
      expect(registered, name).toBeDefined()
      // Not the stock kernel of that name, where wasm has one...
      expect(registered === stock.get(name), `${name} is still the stock kernel`).toBe(false)
      // ...and exactly ours where we wrote it whole.
      if (OURS_OUTRIGHT[name]) expect(registered, name).toBe(OURS_OUTRIGHT[name])
    }
    expect(tf.getGradient('Mean').gradFunc).not.toBe(stockMeanGrad)
    // The stock backend has kernels for most of these names: the list replaces them, it does not only add.
    expect([...stock.values()].filter(Boolean).length).toBeGreaterThanOrEqual(5)

    first()
    first() // a second call of the same release changes nothing
    expect(wasmKernelSet()).toBe('training')
    second()
    expect(wasmKernelSet()).toBe('stock')
    for (const name of WASM_GRADIENT_KERNELS) {
      expect(tf.getKernel(name, 'wasm')?.kernelFunc === stock.get(name), name).toBe(true)
    }
    expect(tf.getGradient('Mean').gradFunc).toBe(stockMeanGrad)
    // Stock kernels still compute after the swap back (their wasm bindings survived).
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2])
    expect(Array.from(await tf.matMul(x, x).data())).toEqual([7, 10, 15, 22])
    expect(Array.from(await tf.mean(x, 0).data())).toEqual([2, 3])
  })

  it('trains on our kernels and serves on the stock ones afterwards', async () => {
    await initBackend({ preferred: 'wasm' })
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, activation: 'relu' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    })
    const during: string[] = []
    const images = [0, 1, 2, 3].map((i) => new Float32Array(36).fill(i / 4))
    await trainModel({
      model,
      train: { images, labels: [0, 1, 0, 1] },
      val: { images: [], labels: [] },
      params: { epochs: 1, batchSize: 2 },
      seed: 1,
      log: pino({ level: 'silent' }),
      onBatch: () => during.push(wasmKernelSet()),
    })
    model.dispose()
    expect(during).toEqual(['training', 'training'])
    expect(wasmKernelSet()).toBe('stock')
  })

  it('says so when a later start asks for more threads than the running wasm module has', async () => {
    await initBackend({ preferred: 'wasm' })
    const lines: string[] = []
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) })
    await initBackend({ preferred: 'wasm', threads: 4, log })
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(records).toContainEqual(expect.objectContaining({ level: 40, threads: 1, asked: 4 }))
    expect(records).toContainEqual(
      expect.objectContaining({ msg: 'TF.js backend ready', backend: 'wasm', kernels: 'stock' }),
    )
  })

  it('can be called many times and switches back to the backend asked for', async () => {
    expect(await initBackend({ preferred: 'wasm' })).toBe('wasm')
    expect(await initBackend({ preferred: 'wasm' })).toBe('wasm')
    expect(await initBackend({ preferred: 'cpu' })).toBe('cpu')
    expect(tf.getBackend()).toBe('cpu')
    expect(await initBackend({ preferred: 'wasm' })).toBe('wasm')
    expect(tf.getBackend()).toBe('wasm')
    const kernels = WASM_GRADIENT_KERNELS.map((name) => tf.getKernel(name, 'wasm')?.kernelFunc)
    await initBackend({ preferred: 'wasm' })
    expect(WASM_GRADIENT_KERNELS.map((name) => tf.getKernel(name, 'wasm')?.kernelFunc)).toEqual(kernels)
  })
})

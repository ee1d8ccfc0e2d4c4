import * as tf from '@tensorflow/tfjs'
// The stock wasm kernels, registered on import: what this file sees before initBackend replaces some of them.
import '@tensorflow/tfjs-backend-wasm'
import { describe, expect, it } from 'vitest'
import { BATCH_NORM_GRAD_SUMS, batchNormGradSums } from '../../../src/model/backend/batch-norm-grad-sums.js'
import { conv2dBackpropFilter } from '../../../src/model/backend/conv2d-backprop-filter.js'
import { depthwiseConv2dBackpropFilter } from '../../../src/model/backend/depthwise-conv2d-backprop-filter.js'
import { depthwiseConv2dBackpropInput } from '../../../src/model/backend/depthwise-conv2d-backprop-input.js'
import { initBackend, WASM_GRADIENT_KERNELS } from '../../../src/model/backend/index.js'
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

  it('falls back to wasm when tfjs-node is not installed, with our gradient kernels registered', async () => {
    const backend = await initBackend()
    // tfjs-node cannot install here; if a developer has it, it is the one picked.
    expect(['tensorflow', 'wasm']).toContain(backend)
    expect(tf.getBackend()).toBe(backend)
    for (const name of WASM_GRADIENT_KERNELS) {
      const registered = tf.getKernel(name, 'wasm')?.kernelFunc
      expect(registered, name).toBeDefined()
      // Not the stock kernel of that name, where wasm has one...
      expect(registered === stock.get(name), `${name} is still the stock kernel`).toBe(false)
      // ...and exactly ours where we wrote it whole.
      if (OURS_OUTRIGHT[name]) expect(registered, name).toBe(OURS_OUTRIGHT[name])
    }
    // The stock backend has kernels for most of these names: the list replaces them, it does not only add.
    expect([...stock.values()].filter(Boolean).length).toBeGreaterThanOrEqual(5)
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

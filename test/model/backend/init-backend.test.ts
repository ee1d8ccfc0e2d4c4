import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { initBackend, WASM_GRADIENT_KERNELS } from '../../../src/model/backend/index.js'

describe('initBackend', () => {
  it('falls back to wasm when tfjs-node is not installed, with the gradient kernels registered', async () => {
    const backend = await initBackend()
    // tfjs-node cannot install here; if a developer has it, it is the one picked.
    expect(['tensorflow', 'wasm']).toContain(backend)
    expect(tf.getBackend()).toBe(backend)
    for (const name of WASM_GRADIENT_KERNELS) expect(tf.getKernel(name, 'wasm')).toBeDefined()
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

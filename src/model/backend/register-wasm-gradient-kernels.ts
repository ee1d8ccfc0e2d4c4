import * as tf from '@tensorflow/tfjs'
// Imported for its side effect first: the stock wasm kernels must be registered before we replace one.
import '@tensorflow/tfjs-backend-wasm'
import { conv2dBackpropFilter } from './conv2d-backprop-filter.js'
import { createConv2dBackpropInput } from './conv2d-backprop-input.js'
import { depthwiseConv2dBackpropFilter } from './depthwise-conv2d-backprop-filter.js'
import { depthwiseConv2dBackpropInput } from './depthwise-conv2d-backprop-input.js'

/** Kernels we add to (or, for Conv2DBackpropInput, replace in) the wasm backend, for conv-net training. */
export const WASM_GRADIENT_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
] as const
export type WasmGradientKernelName = (typeof WASM_GRADIENT_KERNELS)[number]

const ours = new Set<tf.KernelFunc>()

function createKernel(name: WasmGradientKernelName, stock: tf.KernelFunc | undefined): tf.KernelFunc {
  switch (name) {
    case 'Conv2DBackpropFilter':
      return conv2dBackpropFilter
    case 'Conv2DBackpropInput':
      // The stock one is a scalar loop; ours runs on XNNPACK and keeps the stock one for odd paddings.
      return createConv2dBackpropInput(stock)
    case 'DepthwiseConv2dNativeBackpropFilter':
      return depthwiseConv2dBackpropFilter
    case 'DepthwiseConv2dNativeBackpropInput':
      return depthwiseConv2dBackpropInput
  }
}

/** Registers our gradient kernels for the wasm backend; calling it again changes nothing. */
export function registerWasmGradientKernels(): readonly WasmGradientKernelName[] {
  for (const name of WASM_GRADIENT_KERNELS) {
    const existing = tf.getKernel(name, 'wasm')
    if (existing !== undefined && ours.has(existing.kernelFunc)) continue
    if (existing !== undefined) tf.unregisterKernel(name, 'wasm')
    const kernelFunc = createKernel(name, existing?.kernelFunc)
    ours.add(kernelFunc)
    // The stock kernel's setupFunc binds its wasm export; keeping it keeps our fallback to it working.
    const config: tf.KernelConfig = { kernelName: name, backendName: 'wasm', kernelFunc }
    if (existing?.setupFunc !== undefined) config.setupFunc = existing.setupFunc
    tf.registerKernel(config)
  }
  return WASM_GRADIENT_KERNELS
}

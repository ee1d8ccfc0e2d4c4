import * as tf from '@tensorflow/tfjs'
// Imported for its side effect first: the stock wasm kernels must be registered before we replace one.
import '@tensorflow/tfjs-backend-wasm'
import { createBatchMatMul } from './batch-mat-mul.js'
import { BATCH_NORM_GRAD_SUMS, batchNormGradSums } from './batch-norm-grad-sums.js'
import { conv2dBackpropFilter } from './conv2d-backprop-filter.js'
import { createConv2dBackpropInput } from './conv2d-backprop-input.js'
import { depthwiseConv2dBackpropFilter } from './depthwise-conv2d-backprop-filter.js'
import { depthwiseConv2dBackpropInput } from './depthwise-conv2d-backprop-input.js'
import { MissingKernelError } from './errors.js'
import { createFusedBatchNorm } from './fused-batch-norm.js'
import { createFusedBatchNormGrad } from './fused-batch-norm-grad.js'
import { createSharingIdentity } from './identity.js'
import { maxPoolGrad } from './max-pool-grad.js'
import { createMeanGrad } from './mean-grad.js'
import { createLeadingAxesReduction } from './reduce-leading-axes.js'
import { createTile } from './tile.js'

/**
 * Kernels we add to the wasm backend (Conv2DBackpropFilter, the depthwise backprops) or replace there with
 * faster ones (Conv2DBackpropInput, BatchMatMul, Tile, MaxPoolGrad, Sum, Mean, FusedBatchNorm, Identity), for
 * training.
 */
export const WASM_GRADIENT_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'BatchMatMul',
  'Tile',
  'MaxPoolGrad',
  'Sum',
  'Mean',
  'FusedBatchNorm',
  'Identity',
  BATCH_NORM_GRAD_SUMS,
] as const
export type WasmGradientKernelName = (typeof WASM_GRADIENT_KERNELS)[number]

/** Gradients we replace (for the wasm backend only; on other backends they call the stock ones). */
export const WASM_GRADIENT_OVERRIDES = ['FusedBatchNorm', 'Mean'] as const

const ours = new Set<tf.KernelFunc>()
const ourGradients = new Set<tf.GradConfig['gradFunc']>()
/** What we replaced, to put back: `undefined` where wasm had no kernel of that name. */
const stockKernels = new Map<WasmGradientKernelName, tf.KernelConfig | undefined>()
const stockGradients = new Map<string, tf.GradConfig>()

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
    case 'BatchMatMul':
      if (stock === undefined) throw new MissingKernelError(name)
      return createBatchMatMul(stock)
    case 'Tile':
      if (stock === undefined) throw new MissingKernelError(name)
      return createTile(stock)
    case 'MaxPoolGrad':
      return maxPoolGrad
    case 'Sum':
    case 'Mean':
      if (stock === undefined) throw new MissingKernelError(name)
      return createLeadingAxesReduction(name, stock)
    case 'FusedBatchNorm':
      if (stock === undefined) throw new MissingKernelError(name)
      return createFusedBatchNorm(stock)
    case 'Identity':
      if (stock === undefined) throw new MissingKernelError(name)
      return createSharingIdentity(stock)
    case BATCH_NORM_GRAD_SUMS:
      return batchNormGradSums
  }
}

function registerGradients(): void {
  for (const name of WASM_GRADIENT_OVERRIDES) {
    const stock = tf.getGradient(name)
    if (ourGradients.has(stock.gradFunc)) continue
    stockGradients.set(name, stock)
    const config = name === 'FusedBatchNorm' ? createFusedBatchNormGrad(stock) : createMeanGrad(stock)
    ourGradients.add(config.gradFunc)
    tf.registerGradient(config)
  }
}

/** Registers our kernels (and gradients) for the wasm backend; calling it again changes nothing. */
export function registerWasmGradientKernels(): readonly WasmGradientKernelName[] {
  registerGradients()
  for (const name of WASM_GRADIENT_KERNELS) {
    const existing = tf.getKernel(name, 'wasm')
    if (existing !== undefined && ours.has(existing.kernelFunc)) continue
    stockKernels.set(name, existing)
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

/**
 * Puts back the stock wasm kernels and gradients that registerWasmGradientKernels replaced (and removes the
 * ones it added), so inference in a long-lived process runs on the kernels TF.js ships. The stock setupFuncs
 * ran when the backend started (they stay bound), so the stock kernels work again as they were.
 */
export function restoreStockWasmKernels(): void {
  for (const [name, stock] of stockKernels) {
    const current = tf.getKernel(name, 'wasm')
    if (current !== undefined && !ours.has(current.kernelFunc)) continue
    if (current !== undefined) tf.unregisterKernel(name, 'wasm')
    if (stock !== undefined) tf.registerKernel(stock)
  }
  stockKernels.clear()
  for (const stock of stockGradients.values()) tf.registerGradient(stock)
  stockGradients.clear()
}

/** Whether the wasm backend currently runs our training kernels or the stock ones. */
export function wasmKernelSet(): 'training' | 'stock' {
  const probe = tf.getKernel('Conv2DBackpropFilter', 'wasm')
  return probe !== undefined && ours.has(probe.kernelFunc) ? 'training' : 'stock'
}

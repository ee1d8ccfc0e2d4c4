import * as tf from '@tensorflow/tfjs'
import { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { MissingKernelError, UnsupportedKernelInputError } from './errors.js'

/** The wasm backend behind a kernel call; our kernels only make sense there. */
export function asWasmBackend(kernel: string, backend: unknown): BackendWasm {
  if (!(backend instanceof BackendWasm))
    throw new UnsupportedKernelInputError(kernel, 'runs only on the wasm backend')
  return backend
}

export function requireInput(kernel: string, inputs: tf.NamedTensorInfoMap, name: string): tf.TensorInfo {
  const input = inputs[name]
  if (input === undefined) throw new UnsupportedKernelInputError(kernel, `missing input ${name}`)
  if (input.dtype !== 'float32')
    throw new UnsupportedKernelInputError(kernel, `input ${name} must be float32`)
  return input
}

/**
 * Runs another wasm kernel on TensorInfos, without going through the engine: no tensors are tracked, so the
 * caller frees what it gets with `release`.
 */
export function callWasmKernel(
  name: string,
  backend: BackendWasm,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap = {},
  kernelFunc?: tf.KernelFunc,
): tf.TensorInfo {
  const func = kernelFunc ?? tf.getKernel(name, 'wasm')?.kernelFunc
  if (func === undefined) throw new MissingKernelError(name)
  const out = func({ inputs, backend, attrs })
  if (Array.isArray(out)) throw new UnsupportedKernelInputError(name, 'expected a single output')
  return out
}

export function release(backend: BackendWasm, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId)
}

export function transpose(backend: BackendWasm, x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
  return callWasmKernel('Transpose', backend, { x }, { perm })
}

export function slice4D(
  backend: BackendWasm,
  x: tf.TensorInfo,
  begin: number[],
  size: number[],
): tf.TensorInfo {
  return callWasmKernel('Slice', backend, { x }, { begin, size })
}

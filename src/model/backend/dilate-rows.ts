import type { TensorInfo } from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { UnsupportedKernelInputError } from './errors.js'

/** A float32 view of a tensor's bytes in wasm memory; take it after the last allocation (growth detaches views). */
export function heapF32(backend: BackendWasm, info: TensorInfo): Float32Array {
  const view = backend.typedArrayFromHeap(info)
  if (!(view instanceof Float32Array))
    throw new UnsupportedKernelInputError('heap', `expected float32, got ${info.dtype}`)
  return view
}

/**
 * Spreads an NHWC tensor's rows and columns `stride` apart with zeros between them: a strided convolution's
 * input gradient is then a stride-1 convolution of this, which XNNPACK runs fast.
 */
export function dilateSpatially(
  backend: BackendWasm,
  x: TensorInfo,
  strideHeight: number,
  strideWidth: number,
): TensorInfo {
  const [batch = 0, height = 0, width = 0, channels = 0] = x.shape
  const outHeight = (height - 1) * strideHeight + 1
  const outWidth = (width - 1) * strideWidth + 1
  const out = backend.makeOutput([batch, outHeight, outWidth, channels], 'float32')
  const src = heapF32(backend, x)
  const dst = heapF32(backend, out)
  dst.fill(0)
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < height; y++) {
      for (let xPos = 0; xPos < width; xPos++) {
        const from = ((b * height + y) * width + xPos) * channels
        const to = ((b * outHeight + y * strideHeight) * outWidth + xPos * strideWidth) * channels
        dst.set(src.subarray(from, from + channels), to)
      }
    }
  }
  return out
}

/** dy spread by the strides (see dilateSpatially), or dy itself at stride 1; release it only if it differs. */
export function spreadByStrides(
  backend: BackendWasm,
  dy: TensorInfo,
  strideHeight: number,
  strideWidth: number,
): TensorInfo {
  return strideHeight > 1 || strideWidth > 1 ? dilateSpatially(backend, dy, strideHeight, strideWidth) : dy
}

import { TfliteFormatError } from './errors.js'
import type { TfliteTensor } from './read-tflite.js'

/** Integer element types a quantised constant may hold. */
function integers(tensor: TfliteTensor, data: Uint8Array): ArrayLike<number> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const n = elementCount(tensor)
  switch (tensor.type) {
    case 'UINT8':
      return data.subarray(0, n)
    case 'INT8':
      return new Int8Array(data.buffer, data.byteOffset, n)
    case 'INT16':
      return Int16Array.from({ length: n }, (_, i) => view.getInt16(i * 2, true))
    case 'INT32':
      return Int32Array.from({ length: n }, (_, i) => view.getInt32(i * 4, true))
    default:
      throw new TfliteFormatError('model', `tensor ${tensor.name} has quantisation but type ${tensor.type}`)
  }
}

export function elementCount(tensor: TfliteTensor): number {
  return tensor.shape.reduce((a, b) => a * b, 1)
}

/**
 * A constant tensor's real values, row-major in its TFLite shape: float32 as stored, float16 widened, and
 * quantised integers through real = scale * (q - zeroPoint), one scale for the tensor or one per slice along
 * the quantised dimension (per-channel weights).
 */
export function dequantize(tensor: TfliteTensor): Float32Array {
  const data = tensor.data
  if (!data) throw new TfliteFormatError('model', `tensor ${tensor.name} holds no constant data`)
  const n = elementCount(tensor)
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  if (tensor.type === 'FLOAT32')
    return Float32Array.from({ length: n }, (_, i) => view.getFloat32(i * 4, true))
  if (tensor.type === 'FLOAT16')
    return Float32Array.from({ length: n }, (_, i) => halfToFloat(view.getUint16(i * 2, true)))
  const q = tensor.quantization
  if (!q) {
    // Plain integers (shapes, padding amounts) are read as they are.
    return Float32Array.from(integers(tensor, data))
  }
  const values = integers(tensor, data)
  const out = new Float32Array(n)
  if (q.scale.length === 1) {
    const scale = q.scale[0]!
    const zero = q.zeroPoint[0] ?? 0
    for (let i = 0; i < n; i++) out[i] = scale * ((values[i] ?? 0) - zero)
    return out
  }
  const axis = q.axis
  const channels = tensor.shape[axis]
  if (channels !== q.scale.length) {
    throw new TfliteFormatError(
      'model',
      `tensor ${tensor.name} has ${q.scale.length} scales for ${channels ?? '?'} slices on axis ${axis}`,
    )
  }
  // Elements of one slice repeat every `inner` values; slices cycle with period channels * inner.
  const inner = tensor.shape.slice(axis + 1).reduce((a, b) => a * b, 1)
  for (let i = 0; i < n; i++) {
    const c = Math.floor(i / inner) % channels
    out[i] = q.scale[c]! * ((values[i] ?? 0) - (q.zeroPoint[c] ?? q.zeroPoint[0] ?? 0))
  }
  return out
}

/** Integer values of a constant (shapes, axes, paddings). */
export function readIntegers(tensor: TfliteTensor): number[] {
  const data = tensor.data
  if (!data) throw new TfliteFormatError('model', `tensor ${tensor.name} holds no constant data`)
  if (tensor.type === 'INT64') {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
    return Array.from({ length: elementCount(tensor) }, (_, i) => Number(view.getBigInt64(i * 8, true)))
  }
  return Array.from(integers(tensor, data))
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exponent = (h >> 10) & 0x1f
  const fraction = h & 0x3ff
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024)
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024)
}

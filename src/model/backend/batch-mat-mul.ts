import type * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { UnsupportedKernelInputError } from './errors.js'
import { asWasmBackend, callWasmKernel, release, requireInput, transpose } from './wasm-kernel-calls.js'

const NAME = 'BatchMatMul'
const PACK_COST = 4

/**
 * The stock wasm BatchMatMul is fast only for plain `a @ b` (XNNPACK's fully-connected op, which repacks `b`
 * on every call since weights change each step); with transposeA it falls to a scalar loop (~20x slower, the
 * dense layer's weight gradient). So transposes are made explicit, and when `b` is the bigger operand we
 * compute (b^T a^T)^T instead
 * when that repacks less.
 */
export function createBatchMatMul(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend: kernelBackend, attrs = {} } = args
    const backend = asWasmBackend(NAME, kernelBackend)
    const a = requireInput(NAME, inputs, 'a')
    const b = requireInput(NAME, inputs, 'b')
    const transposeA = attrs['transposeA'] === true
    const transposeB = attrs['transposeB'] === true
    const isSingleMatrix =
      a.shape.slice(0, -2).every((d) => d === 1) && b.shape.slice(0, -2).every((d) => d === 1)
    if (!isSingleMatrix) {
      if (!transposeA && !transposeB) return stock(args)
      return multiplyBatched(backend, stock, a, b, transposeA, transposeB)
    }
    const [aRows, aCols] = lastTwo(a.shape)
    const [bRows, bCols] = lastTwo(b.shape)
    const a2 = reshape(backend, a, [aRows, aCols])
    const b2 = reshape(backend, b, [bRows, bCols])
    const m = transposeA ? aCols : aRows
    const n = transposeB ? bRows : bCols
    const sizeA = aRows * aCols
    const sizeB = bRows * bCols
    // Rough costs in element moves: packing the right operand ~4x a transpose (measured on wasm SIMD).
    const costAsIs = PACK_COST * sizeB + (transposeA ? sizeA : 0) + (transposeB ? sizeB : 0)
    const costSwapped = PACK_COST * sizeA + (transposeB ? 0 : sizeB) + (transposeA ? 0 : sizeA) + m * n
    let product: tf.TensorInfo
    if (costAsIs <= costSwapped) {
      const left = transposeA ? transpose(backend, a2, [1, 0]) : a2
      const right = transposeB ? transpose(backend, b2, [1, 0]) : b2
      product = plain(backend, stock, left, right)
      if (left !== a2) release(backend, left)
      if (right !== b2) release(backend, right)
    } else {
      const left = transposeB ? b2 : transpose(backend, b2, [1, 0])
      const right = transposeA ? a2 : transpose(backend, a2, [1, 0])
      const productT = plain(backend, stock, left, right)
      product = transpose(backend, reshapeOwned(backend, productT, [n, m]), [1, 0])
      if (left !== b2) release(backend, left)
      if (right !== a2) release(backend, right)
    }
    release(backend, a2, b2)
    const outShape = [...(a.shape.length >= b.shape.length ? a.shape : b.shape).slice(0, -2), m, n]
    return reshapeOwned(backend, product, outShape)
  }
}

function lastTwo(shape: readonly number[]): [number, number] {
  const rows = shape[shape.length - 2]
  const cols = shape[shape.length - 1]
  if (rows === undefined || cols === undefined)
    throw new UnsupportedKernelInputError(NAME, 'inputs must be rank >= 2')
  return [rows, cols]
}

function plain(
  backend: BackendWasm,
  stock: tf.KernelFunc,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
): tf.TensorInfo {
  return callWasmKernel(NAME, backend, { a, b }, { transposeA: false, transposeB: false }, stock)
}

/** A new reference to the same data with another shape (wasm Reshape shares the buffer). */
function reshape(backend: BackendWasm, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return callWasmKernel('Reshape', backend, { x }, { shape })
}

/** Reshape, then drop the reference to the input: for intermediates we own. */
function reshapeOwned(backend: BackendWasm, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  const out = reshape(backend, x, shape)
  release(backend, x)
  return out
}

function multiplyBatched(
  backend: BackendWasm,
  stock: tf.KernelFunc,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): tf.TensorInfo {
  const swapLast = (rank: number) => [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2]
  const left = transposeA ? transpose(backend, a, swapLast(a.shape.length)) : a
  const right = transposeB ? transpose(backend, b, swapLast(b.shape.length)) : b
  const out = plain(backend, stock, left, right)
  if (left !== a) release(backend, left)
  if (right !== b) release(backend, right)
  return out
}

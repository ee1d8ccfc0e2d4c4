import type { NamedAttrMap, backend_util } from '@tensorflow/tfjs'
import { UnsupportedKernelInputError } from './errors.js'

/** Conv padding as tfjs-core's `computeConv2DInfo` takes it. */
export type ConvPad = 'same' | 'valid' | number | backend_util.ExplicitPadding
export type Shape4D = [number, number, number, number]
export type RoundingMode = 'floor' | 'round' | 'ceil'

// Kernel attributes arrive as an untyped map; these readers check them instead of casting.

export function readPair(kernel: string, attrs: NamedAttrMap, name: string): [number, number] {
  const value = attrs[name]
  if (typeof value === 'number') return [value, value]
  if (Array.isArray(value) && value.length === 2) {
    const [a, b] = value
    if (typeof a === 'number' && typeof b === 'number') return [a, b]
  }
  throw new UnsupportedKernelInputError(kernel, `attribute ${name} must be a number or a pair`)
}

export function readShape4D(kernel: string, attrs: NamedAttrMap, name: string): Shape4D {
  const value = attrs[name]
  if (Array.isArray(value) && value.length === 4 && value.every((v) => typeof v === 'number')) {
    const [a, b, c, d] = value
    if (typeof a === 'number' && typeof b === 'number' && typeof c === 'number' && typeof d === 'number') {
      return [a, b, c, d]
    }
  }
  throw new UnsupportedKernelInputError(kernel, `attribute ${name} must be a 4D shape`)
}

export function readPad(kernel: string, attrs: NamedAttrMap): ConvPad {
  const value = attrs['pad']
  // Returned as literals: tfjs' attribute type is also indexable, so comparing does not narrow it.
  if (value === 'same') return 'same'
  if (value === 'valid') return 'valid'
  if (typeof value === 'number') return value
  if (Array.isArray(value) && value.length === 4) {
    const rows: [number, number][] = []
    for (const row of value) {
      if (!Array.isArray(row) || row.length !== 2) break
      const [a, b] = row
      if (typeof a !== 'number' || typeof b !== 'number') break
      rows.push([a, b])
    }
    const [r0, r1, r2, r3] = rows
    if (r0 && r1 && r2 && r3) return [r0, r1, r2, r3]
  }
  throw new UnsupportedKernelInputError(
    kernel,
    'attribute pad must be "same", "valid", a number or explicit padding',
  )
}

export function readRoundingMode(attrs: NamedAttrMap): RoundingMode | undefined {
  const value = attrs['dimRoundingMode']
  if (value === 'floor') return 'floor'
  if (value === 'round') return 'round'
  return value === 'ceil' ? 'ceil' : undefined
}

export function requireNhwc(kernel: string, attrs: NamedAttrMap): void {
  const format = attrs['dataFormat']
  if (format !== undefined && format !== 'NHWC' && format !== 'channelsLast') {
    throw new UnsupportedKernelInputError(kernel, `only NHWC is supported, got ${String(format)}`)
  }
}

export function shape4D(kernel: string, shape: readonly number[]): Shape4D {
  const [a, b, c, d] = shape
  if (shape.length !== 4 || a === undefined || b === undefined || c === undefined || d === undefined) {
    throw new UnsupportedKernelInputError(kernel, `expected a rank-4 tensor, got shape [${shape.join(', ')}]`)
  }
  return [a, b, c, d]
}

/** Attributes of an NHWC convolution with explicit padding (stride 1 unless `dilations` says otherwise). */
export function explicitPadConvAttrs(
  pads: { top: number; bottom: number; left: number; right: number },
  dilations: [number, number] = [1, 1],
): NamedAttrMap {
  return {
    strides: [1, 1],
    pad: [
      [0, 0],
      [pads.top, pads.bottom],
      [pads.left, pads.right],
      [0, 0],
    ],
    dataFormat: 'NHWC',
    dilations,
  }
}

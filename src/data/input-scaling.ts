/**
 * How a network wants its pixels: every SportScan image is RGB in [0, 1] (preprocessImage), and a backbone
 * declares the range it was trained on. The one mapping from one to the other is `inputScalingAffine`; models
 * apply it as their first layer, so training, serving, ONNX export and Grad-CAM all see the same numbers.
 */
export type InputScaling =
  /** [0, 1] as decoded. */
  | { kind: 'unit' }
  /** [-1, 1]: x * 2 - 1 (MobileNet, Inception). */
  | { kind: 'symmetric' }
  /** (x - mean) / std per channel, with mean and std on the [0, 1] scale (ImageNet: 0.485, 0.456, 0.406...). */
  | { kind: 'mean-std'; mean: [number, number, number]; std: [number, number, number] }
  /** A quantised uint8 input: pixel q = 255 x stands for scale * (q - zeroPoint). */
  | { kind: 'quantized'; scale: number; zeroPoint: number }

export interface ChannelAffine {
  /** Per-channel multiplier and offset: model input = x * scale + offset. */
  scale: [number, number, number]
  offset: [number, number, number]
}

export function inputScalingAffine(scaling: InputScaling): ChannelAffine {
  switch (scaling.kind) {
    case 'unit':
      return { scale: [1, 1, 1], offset: [0, 0, 0] }
    case 'symmetric':
      return { scale: [2, 2, 2], offset: [-1, -1, -1] }
    case 'mean-std': {
      const { mean, std } = scaling
      return {
        scale: [1 / std[0], 1 / std[1], 1 / std[2]],
        offset: [-mean[0] / std[0], -mean[1] / std[1], -mean[2] / std[2]],
      }
    }
    case 'quantized': {
      const s = scaling.scale * 255
      const o = -scaling.scale * scaling.zeroPoint
      return { scale: [s, s, s], offset: [o, o, o] }
    }
  }
}

/** Short human form for logs and the model card: `[-1, 1]`, `uint8: 0.0078 * (q - 128)`. */
export function describeInputScaling(scaling: InputScaling): string {
  switch (scaling.kind) {
    case 'unit':
      return '[0, 1]'
    case 'symmetric':
      return '[-1, 1]'
    case 'mean-std':
      return `(x - [${scaling.mean.join(', ')}]) / [${scaling.std.join(', ')}]`
    case 'quantized':
      return `uint8: ${scaling.scale} * (q - ${scaling.zeroPoint})`
  }
}

function isTriple(v: unknown): v is [number, number, number] {
  return Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x))
}

/** The scaling a JSON record holds, or undefined when it is not one (records of other stacks stay readable). */
export function parseInputScaling(value: unknown): InputScaling | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as Record<string, unknown>
  switch (v.kind) {
    case 'unit':
    case 'symmetric':
      return { kind: v.kind }
    case 'mean-std':
      return isTriple(v.mean) && isTriple(v.std) && v.std.every((s) => s > 0)
        ? { kind: 'mean-std', mean: v.mean, std: v.std }
        : undefined
    case 'quantized':
      return typeof v.scale === 'number' && v.scale > 0 && typeof v.zeroPoint === 'number'
        ? { kind: 'quantized', scale: v.scale, zeroPoint: v.zeroPoint }
        : undefined
    default:
      return undefined
  }
}

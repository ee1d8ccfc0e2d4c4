import type { OnnxNode, OnnxModel, OnnxTensor } from '../onnx-model.js'
import type { TensorRange } from './calibrate-ranges.js'

/**
 * A weight's own quantisation, to keep instead of choosing one: real = scale[c] * (q - zeroPoint[c]) with q an
 * int8, per output channel (or one entry for the whole tensor). A backbone imported from a quantised TFLite
 * file keeps its file's steps this way, so its weights are the file's integers again, not re-rounded.
 */
export interface WeightQuantization {
  scale: readonly number[]
  zeroPoint: readonly number[]
}

/** Ops whose float inputs get quantised: ONNX Runtime then runs them on int8 kernels (QLinearConv...). */
const QUANTISED_OPS = new Set(['Conv', 'Add', 'GlobalAveragePool'])
/** Ops whose output is clamped at 0 below: their quantised output needs no negative steps. */
const NON_NEGATIVE_OPS = new Set(['Relu', 'Clip'])

export interface QuantizeQdqOptions {
  /** Calibrated ranges of the activation tensors `activationsToQuantize` named. */
  ranges: ReadonlyMap<string, TensorRange>
  /** Per weight initializer name: its own quantisation (see WeightQuantization). */
  weightQuantization?: ReadonlyMap<string, WeightQuantization>
}

/** The float activations the quantiser needs ranges for: every non-constant input of a quantised op. */
export function activationsToQuantize(model: OnnxModel): string[] {
  const constants = new Set(model.graph.initializers.map((t) => t.name))
  const names = new Set<string>()
  for (const node of model.graph.nodes) {
    if (!QUANTISED_OPS.has(node.opType)) continue
    const inputs = node.opType === 'Conv' ? node.inputs.slice(0, 1) : node.inputs
    for (const input of inputs) if (!constants.has(input)) names.add(input)
  }
  return [...names]
}

/**
 * Rewrites a float graph in ONNX's QDQ form: each activation feeding a Conv, Add or GlobalAveragePool passes
 * through QuantizeLinear -> DequantizeLinear (uint8, asymmetric, from its calibrated range), each Conv weight is
 * int8 per output channel (symmetric unless a WeightQuantization says otherwise) behind a DequantizeLinear, and
 * its bias int32 on the step input scale x weight scale. ONNX Runtime fuses these patterns into integer kernels
 * (QLinearConv, QLinearAdd...); what is left (the head, softmax) stays float.
 */
export function quantizeQdq(model: OnnxModel, options: QuantizeQdqOptions): OnnxModel {
  const initializers = new Map(model.graph.initializers.map((t) => [t.name, t]))
  const producers = new Map<string, OnnxNode>()
  for (const node of model.graph.nodes) for (const out of node.outputs) producers.set(out, node)
  const extra: OnnxTensor[] = []
  const used = new Set([
    ...initializers.keys(),
    ...model.graph.nodes.flatMap((n) => [...n.inputs, ...n.outputs]),
  ])
  const unique = (base: string): string => {
    let name = base
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`
    used.add(name)
    return name
  }

  // Activation scales, and the Q -> DQ pair each quantised activation goes through.
  const activation = new Map<string, { scale: number; dequantized: string; nodes: OnnxNode[] }>()
  for (const name of activationsToQuantize(model)) {
    const range = options.ranges.get(name)
    if (!range) throw new Error(`no calibrated range for tensor ${name}`)
    const producer = producers.get(name)
    const isNonNegative = producer !== undefined && NON_NEGATIVE_OPS.has(producer.opType)
    const { scale, zeroPoint } = uint8Steps(isNonNegative ? 0 : range.min, range.max)
    const scaleName = unique(`${name}/scale`)
    const zeroName = unique(`${name}/zero_point`)
    extra.push(
      { name: scaleName, dims: [], dataType: 'float', data: Float32Array.of(scale) },
      { name: zeroName, dims: [], dataType: 'uint8', data: Uint8Array.of(zeroPoint) },
    )
    const quantized = unique(`${name}/quantized`)
    const dequantized = unique(`${name}/dequantized`)
    activation.set(name, {
      scale,
      dequantized,
      nodes: [
        node('QuantizeLinear', [name, scaleName, zeroName], quantized),
        node('DequantizeLinear', [quantized, scaleName, zeroName], dequantized),
      ],
    })
  }

  const replaced = new Set<string>()
  const nodes: OnnxNode[] = []
  // Graph inputs that are quantised get their Q/DQ before any node.
  for (const input of model.graph.inputs) {
    const a = activation.get(input.name)
    if (a) nodes.push(...a.nodes)
  }
  for (const original of model.graph.nodes) {
    let current = original
    if (QUANTISED_OPS.has(original.opType)) {
      const count = original.opType === 'Conv' ? 1 : original.inputs.length
      const inputs = original.inputs.map((input, i) =>
        i < count ? (activation.get(input)?.dequantized ?? input) : input,
      )
      if (original.opType === 'Conv') {
        const xScale = activation.get(original.inputs[0]!)!.scale
        const weight = quantizeWeight(
          original,
          initializers,
          options.weightQuantization,
          extra,
          unique,
          nodes,
          replaced,
        )
        inputs[1] = weight.dequantized
        if (original.inputs[2] !== undefined) {
          const biasScales = Float32Array.from(weight.scales, (s) => s * xScale)
          inputs[2] = quantizeBias(original, biasScales, initializers, extra, unique, nodes, replaced)
        }
      }
      current = { ...original, inputs }
    }
    nodes.push(current)
    for (const out of current.outputs) {
      const a = activation.get(out)
      if (a) nodes.push(...a.nodes)
    }
  }
  return {
    ...model,
    graph: {
      ...model.graph,
      nodes,
      initializers: [...model.graph.initializers.filter((t) => !replaced.has(t.name)), ...extra],
    },
  }
}

function node(opType: string, inputs: string[], output: string, axis?: number): OnnxNode {
  return {
    opType,
    name: output,
    inputs,
    outputs: [output],
    attributes: axis === undefined ? [] : [{ name: 'axis', type: 'int', value: axis }],
  }
}

/** uint8 steps covering [min, max] and 0 (so zero padding stays exact). */
export function uint8Steps(min: number, max: number): { scale: number; zeroPoint: number } {
  const lo = Math.min(min, 0)
  const hi = Math.max(max, 0)
  const scale = hi > lo ? (hi - lo) / 255 : 1
  const zeroPoint = Math.min(255, Math.max(0, Math.round(-lo / scale)))
  return { scale, zeroPoint }
}

type Namer = (base: string) => string

function floatInitializer(
  initializers: Map<string, OnnxTensor>,
  name: string,
): Extract<OnnxTensor, { dataType: 'float' }> {
  const t = initializers.get(name)
  if (t?.dataType !== 'float') throw new Error(`Conv input ${name} is not a float initializer`)
  return t
}

/** int8 per output channel (axis 0 of ONNX's [out, in/group, kh, kw]) behind a DequantizeLinear. */
function quantizeWeight(
  conv: OnnxNode,
  initializers: Map<string, OnnxTensor>,
  hints: ReadonlyMap<string, WeightQuantization> | undefined,
  extra: OnnxTensor[],
  unique: Namer,
  nodes: OnnxNode[],
  replaced: Set<string>,
): { dequantized: string; scales: Float32Array } {
  const w = floatInitializer(initializers, conv.inputs[1]!)
  const channels = w.dims[0]!
  const per = w.data.length / channels
  const hint = hints?.get(w.name)
  const scales = new Float32Array(channels)
  const zeros = new Int8Array(channels)
  for (let c = 0; c < channels; c++) {
    if (hint) {
      scales[c] = hint.scale[hint.scale.length === 1 ? 0 : c]!
      zeros[c] = hint.zeroPoint[hint.zeroPoint.length === 1 ? 0 : c]!
      continue
    }
    let max = 0
    for (let i = c * per; i < (c + 1) * per; i++) max = Math.max(max, Math.abs(w.data[i]!))
    scales[c] = max > 0 ? max / 127 : 1
  }
  const q = new Int8Array(w.data.length)
  for (let i = 0; i < w.data.length; i++) {
    const c = Math.floor(i / per)
    q[i] = Math.max(-128, Math.min(127, Math.round(w.data[i]! / scales[c]!) + zeros[c]!))
  }
  const qName = unique(`${w.name}/int8`)
  const scaleName = unique(`${w.name}/scale`)
  const zeroName = unique(`${w.name}/zero_point`)
  extra.push(
    { name: qName, dims: w.dims, dataType: 'int8', data: q },
    { name: scaleName, dims: [channels], dataType: 'float', data: scales },
    { name: zeroName, dims: [channels], dataType: 'int8', data: zeros },
  )
  replaced.add(w.name)
  const out = unique(`${w.name}/dequantized`)
  nodes.push(node('DequantizeLinear', [qName, scaleName, zeroName], out, 0))
  return { dequantized: out, scales }
}

/** int32 on the scale input scale x weight scale, zero point 0: what integer convolutions add exactly. */
function quantizeBias(
  conv: OnnxNode,
  scales: Float32Array,
  initializers: Map<string, OnnxTensor>,
  extra: OnnxTensor[],
  unique: Namer,
  nodes: OnnxNode[],
  replaced: Set<string>,
): string {
  const b = floatInitializer(initializers, conv.inputs[2]!)
  const q = Int32Array.from(b.data, (v, c) => Math.round(v / scales[c]!))
  const qName = unique(`${b.name}/int32`)
  const scaleName = unique(`${b.name}/scale`)
  const zeroName = unique(`${b.name}/zero_point`)
  extra.push(
    { name: qName, dims: b.dims, dataType: 'int32', data: q },
    { name: scaleName, dims: [scales.length], dataType: 'float', data: scales },
    { name: zeroName, dims: [scales.length], dataType: 'int32', data: new Int32Array(scales.length) },
  )
  replaced.add(b.name)
  const out = unique(`${b.name}/dequantized`)
  nodes.push(node('DequantizeLinear', [qName, scaleName, zeroName], out, 0))
  return out
}

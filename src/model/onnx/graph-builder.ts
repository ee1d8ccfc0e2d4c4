import type { OnnxAttribute, OnnxNode, OnnxTensor } from './onnx-model.js'

/** Collects nodes and initialisers while the exporter walks the layers, keeping every tensor name unique. */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = []
  readonly initializers: OnnxTensor[] = []
  private readonly names = new Set<string>()

  /** Reserves `base`, or `base_2`, `base_3`... if taken. ONNX names must be unique across the graph. */
  uniqueName(base: string): string {
    let name = base
    for (let i = 2; this.names.has(name); i++) name = `${base}_${i}`
    this.names.add(name)
    return name
  }

  addFloats(base: string, dims: readonly number[], data: Float32Array): string {
    const name = this.uniqueName(base)
    this.initializers.push({ name, dims, dataType: 'float', data })
    return name
  }

  addInt64s(base: string, data: readonly number[]): string {
    const name = this.uniqueName(base)
    this.initializers.push({ name, dims: [data.length], dataType: 'int64', data })
    return name
  }

  /** Adds one node with one output; returns the output's name. */
  addNode(
    opType: string,
    inputs: readonly string[],
    outputBase: string,
    attributes: readonly OnnxAttribute[] = [],
  ): string {
    const output = this.uniqueName(outputBase)
    this.nodes.push({ opType, name: output, inputs, outputs: [output], attributes })
    return output
  }
}

import type * as tf from '@tensorflow/tfjs'

/** What every builder receives: the shape contract plus the architecture's own parameters (from the pipeline YAML). */
export interface ArchitectureOptions {
  /** Square input side in pixels (RGB). */
  inputSize: number
  numClasses: number
  /** Seeds the weight initialisers, so a training run is repeatable. */
  seed?: number
  [param: string]: unknown
}

export interface Architecture {
  readonly name: string
  readonly description: string
  /** Builds an uncompiled model whose output is softmax probabilities over `numClasses`. */
  build(options: ArchitectureOptions): tf.LayersModel
}

import type { PreprocessSpec } from '../data/index.js'

/**
 * A loaded model ready to answer: what serving, evaluation and the CLI all use, whatever runtime runs it
 * (TF.js now, ONNX Runtime later).
 */
export interface Classifier {
  /** `name@version`, as stored with each prediction. */
  readonly ref: string
  readonly labels: readonly string[]
  /** How images must be preprocessed for this model (`data/preprocess.ts` applies it). */
  readonly preprocess: PreprocessSpec
  /** Softmax probabilities (temperature-calibrated when the model has a temperature), one array per input. */
  predict(batch: Float32Array[]): Promise<Float32Array[]>
  dispose(): Promise<void>
}

import * as tf from '@tensorflow/tfjs'

export interface AdamWOptions {
  learningRate: number
  beta1?: number
  beta2?: number
  epsilon?: number
  /** Decoupled weight decay (Loshchilov & Hutter), applied to kernels only, not to biases or BN parameters. */
  weightDecay?: number
}

/**
 * Adam with decoupled weight decay and a learning rate the training loop may change between steps
 * (TF.js's own AdamOptimizer keeps its rate protected and has no weight decay). With weightDecay = 0
 * it is plain Adam.
 */
export class AdamW {
  learningRate: number
  private readonly beta1: number
  private readonly beta2: number
  private readonly epsilon: number
  private readonly weightDecay: number
  private readonly slots: Array<{ variable: tf.Variable; m: tf.Variable; v: tf.Variable; isKernel: boolean }>
  private steps = 0

  constructor(variables: readonly tf.Variable[], options: AdamWOptions) {
    this.learningRate = options.learningRate
    this.beta1 = options.beta1 ?? 0.9
    this.beta2 = options.beta2 ?? 0.999
    this.epsilon = options.epsilon ?? 1e-7
    this.weightDecay = options.weightDecay ?? 0
    this.slots = variables.map((variable) => ({
      variable,
      // tidy frees the zeros the variables copy from; variables themselves outlive it.
      m: tf.tidy(() => tf.variable(tf.zerosLike(variable), false)),
      v: tf.tidy(() => tf.variable(tf.zerosLike(variable), false)),
      // Conv and dense kernels have rank >= 2; biases and BN gamma/beta are vectors and are not decayed.
      isKernel: variable.rank >= 2,
    }))
  }

  /** Applies one update from gradients keyed by variable name (what `tf.variableGrads` returns). */
  applyGradients(grads: tf.NamedTensorMap): void {
    this.steps++
    const lr = this.learningRate
    const correction1 = 1 - this.beta1 ** this.steps
    const correction2 = 1 - this.beta2 ** this.steps
    tf.tidy(() => {
      for (const { variable, m, v, isKernel } of this.slots) {
        const g = grads[variable.name]
        if (g === undefined) continue
        const mNew = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1))
        const vNew = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2))
        m.assign(mNew)
        v.assign(vNew)
        const update = tf.div(
          tf.mul(mNew, lr / correction1),
          tf.add(tf.sqrt(tf.div(vNew, correction2)), this.epsilon),
        )
        const decayed =
          isKernel && this.weightDecay > 0 ? tf.mul(variable, 1 - lr * this.weightDecay) : variable
        variable.assign(tf.sub(decayed, update))
      }
    })
  }

  dispose(): void {
    for (const { m, v } of this.slots) {
      m.dispose()
      v.dispose()
    }
  }
}

import { ModelInputError } from './errors.js'

/** Probabilities are clamped here before log(), as in the TF.js path, so both agree. */
const MIN_PROBABILITY = 1e-7
const DEFAULT_BINS = 15

/**
 * Expected calibration error: samples binned by top-1 confidence into equal-width bins over (0, 1];
 * the support-weighted mean gap between each bin's accuracy and mean confidence.
 */
export function expectedCalibrationError(
  probs: readonly ArrayLike<number>[],
  actual: readonly number[],
  bins = DEFAULT_BINS,
): number {
  if (probs.length === 0) return 0
  const count = new Array<number>(bins).fill(0)
  const confSum = new Array<number>(bins).fill(0)
  const correctSum = new Array<number>(bins).fill(0)
  probs.forEach((p, i) => {
    let top = 0
    for (let k = 1; k < p.length; k++) if ((p[k] ?? 0) > (p[top] ?? 0)) top = k
    const confidence = p[top] ?? 0
    // Bin b holds (b/bins, (b+1)/bins]; a confidence of exactly 0 joins the first bin.
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(confidence * bins) - 1))
    count[b] = (count[b] ?? 0) + 1
    confSum[b] = (confSum[b] ?? 0) + confidence
    correctSum[b] = (correctSum[b] ?? 0) + (top === actual[i] ? 1 : 0)
  })
  let ece = 0
  for (let b = 0; b < bins; b++) {
    const n = count[b] ?? 0
    if (n > 0) ece += (n / probs.length) * Math.abs((correctSum[b] ?? 0) / n - (confSum[b] ?? 0) / n)
  }
  return ece
}

/** softmax(log(p) / T) of one probability vector (the JS twin of the classifier's tensor version). */
export function scaleProbabilities(probs: ArrayLike<number>, temperature: number): Float32Array {
  const logits = Array.from(probs, (p) => Math.log(Math.max(MIN_PROBABILITY, p)))
  return softmax(logits, temperature)
}

/** Mean negative log-likelihood of the true classes after temperature scaling of the given logits. */
export function temperatureNll(
  logits: readonly ArrayLike<number>[],
  actual: readonly number[],
  temperature: number,
): number {
  let total = 0
  logits.forEach((z, i) => {
    let max = -Infinity
    for (let k = 0; k < z.length; k++) max = Math.max(max, (z[k] ?? 0) / temperature)
    let sum = 0
    for (let k = 0; k < z.length; k++) sum += Math.exp((z[k] ?? 0) / temperature - max)
    total += max + Math.log(sum) - (z[actual[i] ?? 0] ?? 0) / temperature
  })
  return total / Math.max(1, logits.length)
}

export interface FitTemperatureOptions {
  /** What the arrays hold; probabilities are turned into logits with log(). Default `probabilities`. */
  inputs?: 'probabilities' | 'logits'
  /** Search interval for T; default [0.05, 20]. */
  min?: number
  max?: number
}

/**
 * Temperature scaling (Guo et al. 2017): the T minimising validation NLL of softmax(z / T). The NLL is
 * convex in 1/T, so a golden-section search over log T finds the minimum; 60 steps shrink the interval
 * below 1e-10 of its width.
 */
export function fitTemperature(
  outputs: readonly ArrayLike<number>[],
  actual: readonly number[],
  options: FitTemperatureOptions = {},
): number {
  if (outputs.length === 0) throw new ModelInputError('cannot fit a temperature on no samples')
  if (outputs.length !== actual.length)
    throw new ModelInputError(`${outputs.length} outputs but ${actual.length} labels`)
  const logits =
    options.inputs === 'logits'
      ? outputs
      : outputs.map((p) => Array.from(p, (v) => Math.log(Math.max(MIN_PROBABILITY, v))))
  const nll = (logT: number) => temperatureNll(logits, actual, Math.exp(logT))
  let lo = Math.log(options.min ?? 0.05)
  let hi = Math.log(options.max ?? 20)
  const ratio = (Math.sqrt(5) - 1) / 2
  let a = hi - ratio * (hi - lo)
  let b = lo + ratio * (hi - lo)
  let fa = nll(a)
  let fb = nll(b)
  for (let i = 0; i < 60; i++) {
    if (fa <= fb) {
      hi = b
      b = a
      fb = fa
      a = hi - ratio * (hi - lo)
      fa = nll(a)
    } else {
      lo = a
      a = b
      fa = fb
      b = lo + ratio * (hi - lo)
      fb = nll(b)
    }
  }
  return Math.exp((lo + hi) / 2)
}

function softmax(logits: readonly number[], temperature: number): Float32Array {
  const scaled = logits.map((z) => z / temperature)
  const max = Math.max(...scaled)
  const exps = scaled.map((z) => Math.exp(z - max))
  const sum = exps.reduce((a, b) => a + b, 0)
  return Float32Array.from(exps, (e) => e / sum)
}

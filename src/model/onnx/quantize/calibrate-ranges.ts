import * as ort from 'onnxruntime-node'
import { encodeOnnxModel, type OnnxModel } from '../onnx-model.js'

/** The range of values one tensor took over the calibration images. */
export interface TensorRange {
  min: number
  max: number
}

export interface CalibrateOptions {
  /** Images per run (intermediate maps of a 320 px MobileNet take ~50 MB per image); default 8. */
  batchSize?: number
  threads?: number
  /**
   * Share of the values clipped at each end (0: plain min/max). A few extreme activations otherwise stretch
   * a tensor's 256 steps over a range most values never use.
   */
  clipShare?: number
}

/**
 * Runs the float graph over calibration images with the named intermediate tensors exposed as outputs, and
 * returns each tensor's range (min/max, or the quantiles `clipShare` and 1 - `clipShare`, estimated from a
 * 2048-bin histogram over the observed min/max).
 */
export async function calibrateRanges(
  model: OnnxModel,
  tensors: readonly string[],
  images: readonly Float32Array[],
  options: CalibrateOptions = {},
): Promise<Map<string, TensorRange>> {
  const exposed: OnnxModel = {
    ...model,
    graph: { ...model.graph, outputs: [...model.graph.outputs, ...tensors.map((name) => ({ name }))] },
  }
  const session = await ort.InferenceSession.create(encodeOnnxModel(exposed), {
    intraOpNumThreads: options.threads ?? 2,
    interOpNumThreads: 1,
    // Constant folding and fusions would remove some of the tensors we ask for.
    graphOptimizationLevel: 'disabled',
    logSeverityLevel: 3,
  })
  const input = model.graph.inputs[0]!
  const [, h, w, c] = (input.shape ?? []) as number[]
  const pixels = (h ?? 0) * (w ?? 0) * (c ?? 0)
  const batchSize = options.batchSize ?? 8
  const run = async (visit: (values: Float32Array[]) => void): Promise<void> => {
    for (let start = 0; start < images.length; start += batchSize) {
      const chunk = images.slice(start, start + batchSize)
      const flat = new Float32Array(chunk.length * pixels)
      chunk.forEach((image, i) => flat.set(image, i * pixels))
      const out = await session.run({
        [input.name]: new ort.Tensor('float32', flat, [chunk.length, h!, w!, c!]),
      })
      visit(tensors.map((name) => out[name]!.data as Float32Array))
    }
  }
  const ranges = new Map<string, TensorRange>(
    tensors.map((name) => [name, { min: Infinity, max: -Infinity }]),
  )
  const share = options.clipShare ?? 0
  try {
    await run((values) =>
      values.forEach((v, t) => {
        const r = ranges.get(tensors[t]!)!
        for (const x of v) {
          if (x < r.min) r.min = x
          if (x > r.max) r.max = x
        }
      }),
    )
    if (share > 0) {
      // Second pass: histograms over the now known ranges (keeping every map in memory would take GBs).
      const BINS = 2048
      const counts = tensors.map(() => new Float64Array(BINS))
      await run((values) =>
        values.forEach((v, t) => {
          const r = ranges.get(tensors[t]!)!
          const width = (r.max - r.min) / BINS
          if (!(width > 0)) return
          const hist = counts[t]!
          for (const x of v) hist[Math.min(BINS - 1, Math.floor((x - r.min) / width))]! += 1
        }),
      )
      tensors.forEach((name, t) => {
        const r = ranges.get(name)!
        const hist = counts[t]!
        const total = hist.reduce((a, b) => a + b, 0)
        if (total === 0) return
        const width = (r.max - r.min) / BINS
        const cut = share * total
        let lo = 0
        for (let acc = 0; lo < BINS - 1 && acc + hist[lo]! <= cut; lo++) acc += hist[lo]!
        let hi = BINS - 1
        for (let acc = 0; hi > lo && acc + hist[hi]! <= cut; hi--) acc += hist[hi]!
        ranges.set(name, { min: r.min + lo * width, max: r.min + (hi + 1) * width })
      })
    }
  } finally {
    await session.release()
  }
  return ranges
}

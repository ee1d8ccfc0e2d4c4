import {
  applyActivation,
  booleanConfig,
  firstInput,
  NHWC_TO_NCHW_AXIS,
  numberConfig,
  readWeights,
  requireRank,
  stringConfig,
  unsupported,
  valuesOf,
  type LayerContext,
  type LayerConverter,
} from './layer-context.js'

const dense: LayerConverter = (ctx) => {
  const input = firstInput(ctx)
  requireRank(ctx, input, [2])
  const useBias = booleanConfig(ctx, 'useBias', true)
  const [kernel, bias] = readWeights(ctx, useBias ? 2 : 1)
  if (kernel === undefined || kernel.rank !== 2) throw unsupported(ctx, 'has no rank-2 kernel')
  const { b, layer } = ctx
  const inputs = [input.name, b.addFloats(`${layer.name}/kernel`, kernel.shape, valuesOf(kernel))]
  if (bias) inputs.push(b.addFloats(`${layer.name}/bias`, bias.shape, valuesOf(bias)))
  const out = b.addNode('Gemm', inputs, layer.name)
  return applyActivation(ctx, out, stringConfig(ctx, 'activation', 'linear'))
}

/** Inference-mode batch norm with the moving statistics; channels are axis 1 in NCHW and in [batch, c]. */
const batchNormalization: LayerConverter = (ctx) => {
  const input = firstInput(ctx)
  requireRank(ctx, input, [2, 4])
  const axis = numberConfig(ctx, 'axis', -1)
  if (axis !== -1 && axis !== input.shape.length - 1) {
    throw unsupported(ctx, `normalises axis ${axis}; only the channel axis (-1) is exported`)
  }
  const scale = booleanConfig(ctx, 'scale', true)
  const center = booleanConfig(ctx, 'center', true)
  const weights = readWeights(ctx, 2 + (scale ? 1 : 0) + (center ? 1 : 0))
  const [movingMean, movingVariance] = weights.slice(-2)
  if (movingMean === undefined || movingVariance === undefined)
    throw unsupported(ctx, 'lacks moving statistics')
  const channels = movingMean.size
  const gamma = scale ? weights[0] : undefined
  const beta = center ? weights[scale ? 1 : 0] : undefined
  const { b, layer } = ctx
  const inputs = [
    input.name,
    b.addFloats(
      `${layer.name}/gamma`,
      [channels],
      gamma ? valuesOf(gamma) : new Float32Array(channels).fill(1),
    ),
    b.addFloats(`${layer.name}/beta`, [channels], beta ? valuesOf(beta) : new Float32Array(channels)),
    b.addFloats(`${layer.name}/moving_mean`, [channels], valuesOf(movingMean)),
    b.addFloats(`${layer.name}/moving_variance`, [channels], valuesOf(movingVariance)),
  ]
  return b.addNode('BatchNormalization', inputs, layer.name, [
    { name: 'epsilon', type: 'float', value: numberConfig(ctx, 'epsilon', 1e-3) },
  ])
}

const activation: LayerConverter = (ctx) =>
  applyActivation(ctx, firstInput(ctx).name, stringConfig(ctx, 'activation'))

const relu: LayerConverter = (ctx) => {
  const input = firstInput(ctx)
  const maxValue = ctx.config.maxValue
  if (maxValue === undefined || maxValue === null) return ctx.b.addNode('Relu', [input.name], ctx.layer.name)
  if (typeof maxValue !== 'number') throw unsupported(ctx, 'has a non-numeric maxValue')
  const { b, layer } = ctx
  const min = b.addFloats(`${layer.name}/min`, [], Float32Array.of(0))
  const max = b.addFloats(`${layer.name}/max`, [], Float32Array.of(maxValue))
  return b.addNode('Clip', [input.name, min, max], layer.name)
}

function alphaUnary(
  op: 'LeakyRelu' | 'Elu' | 'ThresholdedRelu',
  key: string,
  fallback: number,
): LayerConverter {
  return (ctx) =>
    ctx.b.addNode(op, [firstInput(ctx).name], ctx.layer.name, [
      { name: 'alpha', type: 'float', value: numberConfig(ctx, key, fallback) },
    ])
}

const softmax: LayerConverter = (ctx) => {
  const input = firstInput(ctx)
  const axis = numberConfig(ctx, 'axis', -1)
  if (axis !== -1 && axis !== input.shape.length - 1)
    throw unsupported(ctx, `applies softmax on axis ${axis}`)
  return ctx.b.addNode('Softmax', [input.name], ctx.layer.name, [{ name: 'axis', type: 'int', value: 1 }])
}

/** TF.js flattens NHWC row-major, so NCHW goes back to NHWC first: the next Dense sees the same order. */
const flatten: LayerConverter = (ctx) => {
  const input = firstInput(ctx)
  requireRank(ctx, input, [2, 4])
  if (input.shape.length === 2) return input.name
  const { b, layer } = ctx
  const nhwc = b.addNode('Transpose', [input.name], `${layer.name}/to_nhwc`, [
    { name: 'perm', type: 'ints', value: [0, 2, 3, 1] },
  ])
  return b.addNode('Flatten', [nhwc], layer.name, [{ name: 'axis', type: 'int', value: 1 }])
}

/**
 * TF.js reshapes in NHWC row-major order: a rank-4 input goes back to NHWC first and a rank-4 result to NCHW
 * after, so the values land where TF.js puts them.
 */
const reshape: LayerConverter = (ctx) => {
  const input = firstInput(ctx)
  requireRank(ctx, input, [2, 4])
  const target = ctx.outputShape.slice(1)
  if (target.some((d) => typeof d !== 'number') || (target.length !== 1 && target.length !== 3)) {
    throw unsupported(
      ctx,
      `reshapes to [${target.join(', ')}]; only known rank-2 or rank-4 shapes are exported`,
    )
  }
  const { b, layer } = ctx
  const source =
    input.shape.length === 4
      ? b.addNode('Transpose', [input.name], `${layer.name}/to_nhwc`, [
          { name: 'perm', type: 'ints', value: [0, 2, 3, 1] },
        ])
      : input.name
  const shape = b.addInt64s(`${layer.name}/shape`, [-1, ...(target as number[])])
  const out = b.addNode('Reshape', [source, shape], target.length === 3 ? `${layer.name}/nhwc` : layer.name)
  if (target.length === 1) return out
  return b.addNode('Transpose', [out], layer.name, [{ name: 'perm', type: 'ints', value: [0, 3, 1, 2] }])
}

/** Dropout and noise layers only act while training. */
const identity: LayerConverter = (ctx) => firstInput(ctx).name

const rescaling: LayerConverter = (ctx) => {
  const input = firstInput(ctx)
  const { b, layer } = ctx
  const scale = b.addFloats(`${layer.name}/scale`, [], Float32Array.of(numberConfig(ctx, 'scale')))
  const offset = b.addFloats(`${layer.name}/offset`, [], Float32Array.of(numberConfig(ctx, 'offset', 0)))
  return b.addNode('Add', [b.addNode('Mul', [input.name, scale], `${layer.name}/scaled`), offset], layer.name)
}

function sameRankInputs(ctx: LayerContext): string[] {
  const rank = ctx.inputs[0]?.shape.length
  if (ctx.inputs.length < 2 || ctx.inputs.some((i) => i.shape.length !== rank)) {
    throw unsupported(ctx, 'needs two or more inputs of the same rank')
  }
  return ctx.inputs.map((i) => i.name)
}

/** Binary ONNX ops folded left over the inputs. */
function chained(op: 'Add' | 'Mul'): LayerConverter {
  return (ctx) => {
    const [first, ...rest] = sameRankInputs(ctx)
    let out = first ?? ''
    rest.forEach((next, i) => {
      out = ctx.b.addNode(op, [out, next], i === rest.length - 1 ? ctx.layer.name : `${ctx.layer.name}/${i}`)
    })
    return out
  }
}

function variadic(op: 'Mean' | 'Max' | 'Min'): LayerConverter {
  return (ctx) => ctx.b.addNode(op, sameRankInputs(ctx), ctx.layer.name)
}

const concatenate: LayerConverter = (ctx) => {
  const inputs = sameRankInputs(ctx)
  const rank = ctx.inputs[0]?.shape.length ?? 0
  const tfAxis = numberConfig(ctx, 'axis', -1)
  const normalised = tfAxis < 0 ? tfAxis + rank : tfAxis
  const axis = rank === 4 ? NHWC_TO_NCHW_AXIS[normalised] : normalised
  if (axis === undefined || normalised < 1 || normalised >= rank)
    throw unsupported(ctx, `concatenates on axis ${tfAxis}`)
  return ctx.b.addNode('Concat', inputs, ctx.layer.name, [{ name: 'axis', type: 'int', value: axis }])
}

export const CORE_LAYER_CONVERTERS: Readonly<Record<string, LayerConverter>> = {
  Dense: dense,
  BatchNormalization: batchNormalization,
  Activation: activation,
  ReLU: relu,
  LeakyReLU: alphaUnary('LeakyRelu', 'alpha', 0.3),
  ELU: alphaUnary('Elu', 'alpha', 1),
  ThresholdedReLU: alphaUnary('ThresholdedRelu', 'theta', 1),
  Softmax: softmax,
  Flatten: flatten,
  Reshape: reshape,
  Dropout: identity,
  SpatialDropout1D: identity,
  GaussianNoise: identity,
  GaussianDropout: identity,
  AlphaDropout: identity,
  Rescaling: rescaling,
  Add: chained('Add'),
  Multiply: chained('Mul'),
  Average: variadic('Mean'),
  Maximum: variadic('Max'),
  Minimum: variadic('Min'),
  Concatenate: concatenate,
}

import * as tf from '@tensorflow/tfjs'
import { readPad, readPair, readRoundingMode, type Shape4D } from './kernel-attrs.js'

/** Geometry of a depthwise convolution given its kernel attributes (the same for both gradients). */
export function depthwiseConvInfo(
  kernel: string,
  attrs: tf.NamedAttrMap,
  inShape: Shape4D,
  filterShape: Shape4D,
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    inShape,
    filterShape,
    readPair(kernel, attrs, 'strides'),
    attrs['dilations'] === undefined ? 1 : readPair(kernel, attrs, 'dilations'),
    readPad(kernel, attrs),
    readRoundingMode(attrs),
    true,
    'channelsLast',
  )
}

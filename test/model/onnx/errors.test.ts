import { describe, expect, test } from '../../fixtures.js'
import * as onnx from '../../../src/model/onnx/index.js'

describe('ONNX errors', () => {
  test('every exported error carries a distinct SPS_ONNX_* code', () => {
    const errors = [
      new onnx.UnsupportedLayerError('l', 'UpSampling2D'),
      new onnx.UnsupportedModelError('two inputs'),
      new onnx.UnsupportedOpsetError(9, onnx.MIN_OPSET, onnx.MAX_OPSET),
      new onnx.OnnxModelError('/m.onnx', 'missing'),
      new onnx.OnnxInferenceError('m@1', new Error('boom')),
    ]
    const codes = errors.map((e) => e.code)
    expect(new Set(codes).size).toBe(codes.length)
    for (const code of codes) expect(code).toMatch(/^SPS_ONNX_[A-Z_]+$/)
    const exported = Object.values(onnx).filter(
      (v: unknown) => typeof v === 'function' && v.prototype instanceof Error,
    )
    expect(exported).toHaveLength(errors.length)
  })
})

import { describe, expect, test } from '../fixtures.js'
import * as model from '../../src/model/index.js'

describe('model errors', () => {
  test('every error class of src/model carries a distinct, listed SPS_MODEL_ code', () => {
    const made: Record<string, Error & { code: string }> = {
      ModelArtifactError: new model.ModelArtifactError('/m', 'bad'),
      UnknownArchitectureError: new model.UnknownArchitectureError('x', ['seed-cnn']),
      InvalidArchitectureParamError: new model.InvalidArchitectureParamError('seed-cnn', 'widths', 'bad'),
      ModelInputError: new model.ModelInputError('bad'),
      TrainingAbortedError: new model.TrainingAbortedError(3),
      UnknownClassError: new model.UnknownClassError(['cats'], 'm@1'),
      EmptyEvaluationError: new model.EmptyEvaluationError('nothing'),
      EvaluationSourceError: new model.EvaluationSourceError('bad'),
      BackboneError: new model.BackboneError('x', 'bad'),
      TfliteFormatError: new model.TfliteFormatError('x.tflite', 'bad'),
      TfliteUnsupportedOpError: new model.TfliteUnsupportedOpError('x.tflite', 'HARD_SWISH', 'bad'),
    }
    const codes = Object.values(made).map((e) => e.code)
    expect(codes.slice().sort()).toEqual([...model.MODEL_ERROR_CODES].sort())
    expect(new Set(codes).size).toBe(codes.length)
    for (const code of codes) expect(code).toMatch(/^SPS_MODEL_[A-Z_]+$/)
  })

  test('messages name what went wrong', () => {
    expect(new model.UnknownClassError(['cats', 'dogs'], 'm@1').message).toBe(
      'model m@1 does not know the class folder(s): cats, dogs',
    )
    expect(new model.UnknownArchitectureError('vgg', ['seed-cnn', 'resnet-small']).message).toContain(
      'seed-cnn, resnet-small',
    )
  })
})

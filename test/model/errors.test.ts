import { describe, expect, test } from '../fixtures.js'
import * as model from '../../src/model/index.js'

describe('model errors', () => {
  test('messages name what went wrong', () => {
    expect(new model.UnknownClassError(['cats', 'dogs'], 'm@1').message).toBe(
      'model m@1 does not know the class folder(s): cats, dogs',
    )
    expect(new model.UnknownArchitectureError('vgg', ['seed-cnn', 'resnet-small']).message).toContain(
      'seed-cnn, resnet-small',
    )
  })
})

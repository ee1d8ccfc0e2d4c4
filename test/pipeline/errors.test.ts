import { describe, expect, test } from '../fixtures.js'
import * as pipeline from '../../src/pipeline/index.js'

describe('pipeline errors', () => {
  test('a failed step names the step and the cause code', () => {
    const cause = Object.assign(new Error('no such folder'), { code: 'SPS_DATA_SOURCE_INVALID' })
    expect(new pipeline.StepFailedError('prep', cause).message).toBe(
      'step "prep" failed [SPS_DATA_SOURCE_INVALID]: no such folder',
    )
  })
})

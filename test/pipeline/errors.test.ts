import { describe, expect, test } from '../fixtures.js'
import * as pipeline from '../../src/pipeline/index.js'

describe('pipeline errors', () => {
  test('every exported error class carries a distinct, listed SPS_PIPELINE_ code', () => {
    const made: Record<string, Error & { code: string }> = {
      PipelineOverrideError: new pipeline.PipelineOverrideError('epochs=x', 'expected an integer'),
      PipelineSpecError: new pipeline.PipelineSpecError('p.yaml', ['steps: missing']),
      StepFailedError: new pipeline.StepFailedError('train', new Error('boom')),
      StepInputMissingError: new pipeline.StepInputMissingError('train', 'prep', '/run'),
      StepOutputInvalidError: new pipeline.StepOutputInvalidError('train', 'output "model" is missing'),
      UnknownStepError: new pipeline.UnknownStepError('trian', ['prep', 'train']),
      NoFeedbackError: new pipeline.NoFeedbackError(new Date(0), 2),
    }
    const exported = Object.entries(pipeline)
      .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error)
      .map(([name]) => name)
      .sort()
    expect(Object.keys(made).sort()).toEqual(exported)
    const codes = Object.values(made).map((e) => e.code)
    expect(codes.slice().sort()).toEqual([...pipeline.PIPELINE_ERROR_CODES].sort())
    expect(new Set(codes).size).toBe(codes.length)
  })

  test('a failed step names the step and the cause code', () => {
    const cause = Object.assign(new Error('no such folder'), { code: 'SPS_DATA_SOURCE_INVALID' })
    expect(new pipeline.StepFailedError('prep', cause).message).toBe(
      'step "prep" failed [SPS_DATA_SOURCE_INVALID]: no such folder',
    )
  })
})

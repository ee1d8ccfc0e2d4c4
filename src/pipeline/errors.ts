/** The pipeline file cannot be used; `problems` lists every one found, each naming its place. */
export class PipelineSpecError extends Error {
  readonly code = 'SPS_PIPELINE_SPEC_INVALID'
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`pipeline ${file} is invalid:\n  - ${problems.join('\n  - ')}`)
  }
}

export class PipelineOverrideError extends Error {
  readonly code = 'SPS_PIPELINE_BAD_OVERRIDE'
  constructor(
    readonly override: string,
    reason: string,
  ) {
    super(`--set ${override}: ${reason}`)
  }
}

export class StepFailedError extends Error {
  readonly code = 'SPS_PIPELINE_STEP_FAILED'
  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    const code = (cause as { code?: unknown } | undefined)?.code
    // Our own codes help (they are documented); system codes like ENOENT already lead the message.
    const tag = typeof code === 'string' && code.startsWith('SPS_') ? ` [${code}]` : ''
    super(`step "${step}" failed${tag}: ${reason}`, { cause })
  }
}

export class StepInputMissingError extends Error {
  readonly code = 'SPS_PIPELINE_STEP_INPUT_MISSING'
  constructor(
    readonly step: string,
    readonly upstream: string,
    runDir: string,
  ) {
    super(
      `step "${step}" needs the result of step "${upstream}", which ${runDir} does not hold: run it first`,
    )
  }
}

export class StepOutputInvalidError extends Error {
  readonly code = 'SPS_PIPELINE_STEP_OUTPUT_INVALID'
  constructor(
    readonly step: string,
    reason: string,
  ) {
    super(`step "${step}" produced invalid outputs: ${reason}`)
  }
}

export class UnknownStepError extends Error {
  readonly code = 'SPS_PIPELINE_UNKNOWN_STEP'
  constructor(
    readonly step: string,
    known: readonly string[],
  ) {
    super(`pipeline has no step "${step}" (steps: ${known.join(', ')})`)
  }
}

export class NoFeedbackError extends Error {
  readonly code = 'SPS_PIPELINE_NO_FEEDBACK'
  constructor(since: Date | undefined, skipped: number) {
    super(
      `no corrected scan with a kept photo to learn from${since ? ` since ${since.toISOString()}` : ''}` +
        (skipped > 0 ? ` (${skipped} corrected scan(s) left out: not a ball, or photo not kept)` : ''),
    )
  }
}

/** Every code this concern throws; test/pipeline/errors.test.ts keeps it in step with the classes. */
export const PIPELINE_ERROR_CODES = [
  'SPS_PIPELINE_SPEC_INVALID',
  'SPS_PIPELINE_BAD_OVERRIDE',
  'SPS_PIPELINE_STEP_FAILED',
  'SPS_PIPELINE_STEP_INPUT_MISSING',
  'SPS_PIPELINE_STEP_OUTPUT_INVALID',
  'SPS_PIPELINE_UNKNOWN_STEP',
  'SPS_PIPELINE_NO_FEEDBACK',
  'SPS_PIPELINE_RENDER_INVALID',
] as const

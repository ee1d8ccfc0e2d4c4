import { randomUUID } from 'node:crypto'
import type { Logger } from '../log/index.js'
import {
  isDatabaseUnreachable,
  RetrainRunningError,
  RetrainUnavailableError,
  toErrorReply,
  type ErrorBody,
} from './errors.js'

export interface RetrainRequest {
  since?: Date
  baseVersion?: string
}

export interface RetrainOutcome {
  candidateRef: string
  decision: 'promoted' | 'rejected'
  reason: string
  decisionId: number
}

/**
 * Runs one retraining (feedback -> dataset -> candidate -> gate). The API knows no pipeline: whoever starts
 * the server (the CLI) passes this in, so `api` keeps importing only the layers below it.
 */
export type RetrainRunner = (
  request: RetrainRequest,
  hooks: { onProgress: (line: string) => void; signal: AbortSignal },
) => Promise<RetrainOutcome>

export interface RetrainJob {
  id: string
  state: 'running' | 'succeeded' | 'failed'
  startedAt: Date
  finishedAt: Date | null
  /** The latest progress lines, oldest first. */
  lines: string[]
  outcome: RetrainOutcome | null
  error: ErrorBody | null
}

const MAX_LINES = 40

/** At most one retraining at a time, in the background; the last one's state stays readable. */
export class RetrainJobs {
  private job: RetrainJob | undefined
  private running: { controller: AbortController; done: Promise<void> } | undefined

  constructor(
    private readonly runner: RetrainRunner | undefined,
    private readonly log: Logger,
  ) {}

  get isAvailable(): boolean {
    return this.runner !== undefined
  }

  current(): RetrainJob | undefined {
    return this.job
  }

  start(request: RetrainRequest): RetrainJob {
    if (!this.runner) throw new RetrainUnavailableError()
    if (this.job?.state === 'running') throw new RetrainRunningError(this.job.id)
    const job: RetrainJob = {
      id: randomUUID(),
      state: 'running',
      startedAt: new Date(),
      finishedAt: null,
      lines: [],
      outcome: null,
      error: null,
    }
    this.job = job
    const controller = new AbortController()
    const onProgress = (line: string) => {
      job.lines.push(line)
      if (job.lines.length > MAX_LINES) job.lines.splice(0, job.lines.length - MAX_LINES)
    }
    const done = this.runner(request, { onProgress, signal: controller.signal }).then(
      (outcome) => {
        Object.assign(job, { state: 'succeeded', outcome, finishedAt: new Date() })
      },
      (err: unknown) => {
        const error = describeJobError(err)
        if (toErrorReply(err).status >= 500) this.log.error({ err, job: job.id }, 'retraining failed')
        else this.log.warn({ code: error.code, job: job.id }, error.message)
        Object.assign(job, { state: 'failed', error, finishedAt: new Date() })
      },
    )
    this.running = { controller, done }
    return job
  }

  /** Aborts a running job and waits for it to wind down (server shutdown). */
  async close(): Promise<void> {
    if (!this.running) return
    this.running.controller.abort(new Error('server shutting down'))
    await this.running.done
  }
}

/**
 * What a failed job reports: its own SPS_* code and message, even for codes a request would answer with a bare
 * 500, since the reader is an operator who needs to know which step broke and why. An error without one of our
 * codes is a bug: it reads "Internal Server Error" as in a request, and the log keeps the detail.
 */
function describeJobError(err: unknown): ErrorBody {
  const code = (err as { code?: unknown } | undefined)?.code
  const isOurs = err instanceof Error && typeof code === 'string' && code.startsWith('SPS_')
  return isOurs && !isDatabaseUnreachable(err) ? { code, message: err.message } : toErrorReply(err).body
}

import { pino } from 'pino'
import type { RetrainRunner } from '../../src/api/index.js'
import { SplitFileError } from '../../src/data/index.js'
import { ModelArtifactError } from '../../src/model/index.js'
import { StepFailedError } from '../../src/pipeline/index.js'
import { describe, expect, test, type TestApp } from '../fixtures.js'

interface Job {
  state: string
  error: { code: string; message: string } | null
}

/** Starts a retraining job and waits for GET /retrain to report it finished. */
async function runJob(app: TestApp): Promise<Job> {
  const started = await app.inject({ method: 'POST', url: '/retrain', payload: {} })
  expect(started.statusCode, started.body).toBe(202)
  let job: Job | undefined
  await expect
    .poll(async () => {
      job = (await app.inject({ method: 'GET', url: '/retrain' })).json<{ job: Job }>().job
      return job.state
    })
    .not.toBe('running')
  if (!job) throw new Error('no job reported')
  return job
}

const failingWith =
  (err: unknown): RetrainRunner =>
  async () => {
    throw err
  }

describe('GET /retrain after a failed job', () => {
  const domainErrors = [
    new StepFailedError('train', new ModelArtifactError('/m', 'model.json is not JSON')),
    new SplitFileError('/data/split.json', 'is not JSON'),
  ]

  test.for(domainErrors.map((err) => [err.code, err] as const))(
    'reports the job’s own %s and message, though a request would answer it with a bare 500',
    async ([code, err], { makeApp }) => {
      const app = await makeApp({ retrain: failingWith(err) })
      expect(await runJob(app)).toMatchObject({ state: 'failed', error: { code, message: err.message } })
    },
  )

  test('reports an error without one of our codes as "Internal Server Error", keeping the detail in the log', async ({
    makeApp,
  }) => {
    const lines: string[] = []
    const log = pino({ level: 'error' }, { write: (line: string) => void lines.push(line) })
    const app = await makeApp({
      retrain: failingWith(new Error('connect to postgres://user:secret@db failed')),
      log,
    })
    const job = await runJob(app)
    expect(job).toMatchObject({
      state: 'failed',
      error: { code: 'SPS_API_INTERNAL', message: 'Internal Server Error' },
    })
    expect(lines.some((l) => l.includes('retraining failed') && l.includes('secret@db'))).toBe(true)
  })
})

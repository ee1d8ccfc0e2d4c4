import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, testDrivers, test } from '../fixtures.js'
import {
  createStepTypeRegistry,
  StepFailedError,
  StepInputMissingError,
  parsePipelineSpec,
  resolvePipeline,
  runPipeline,
  runPipelineStep,
  type StepEvent,
} from '../../src/pipeline/index.js'
import { selectPipelineRun } from '../../src/db/queries/pipeline-runs.js'
import { FAKE_PIPELINE, createFakeStepTypes } from './fake-steps.js'

function setup(overrides: string[] = []) {
  const runs = new Map<string, number>()
  const stepTypes = createFakeStepTypes(runs)
  const load = (extra: string[] = []) =>
    resolvePipeline(parsePipelineSpec(FAKE_PIPELINE, 'fake.yaml'), {
      file: 'fake.yaml',
      stepTypes,
      overrides: [...overrides, ...extra],
    })
  return { runs, load }
}

describe.each(testDrivers)('runPipeline (%s)', (driver) => {
  const it = test.override({ driver: driver })

  it('does no work on a second run, and re-runs only the steps downstream of a changed param', async ({
    database,
    tmpDir,
    log,
  }) => {
    const { runs, load } = setup()
    const services = { home: tmpDir, db: database.handle.db, log, codeVersion: 'test' }
    const events: StepEvent[] = []
    const first = await runPipeline(load(), { ...services, onEvent: (e) => events.push(e) })
    expect(first.status).toBe('succeeded')
    expect(first.steps.map((s) => [s.name, s.status])).toEqual([
      ['source', 'succeeded'],
      ['scale', 'succeeded'],
      ['report', 'succeeded'],
    ])
    expect(first.metrics).toEqual({ total: 6 })
    const summary = first.steps[2]?.outputs.summary
    expect(typeof summary === 'string' && (await readFile(summary, 'utf8'))).toBe('hello:3 -> 6')
    expect(events).toContainEqual({ type: 'step-progress', step: 'source', message: 'writing 3' })

    const second = await runPipeline(load(), services)
    expect(second.steps.map((s) => s.status)).toEqual(['cached', 'cached', 'cached'])
    expect(second.metrics).toEqual({ total: 6 })
    expect([...runs.values()]).toEqual([1, 1, 1])

    const third = await runPipeline(load(['factor=5']), services)
    expect(third.steps.map((s) => [s.name, s.status])).toEqual([
      ['source', 'cached'],
      ['scale', 'succeeded'],
      ['report', 'succeeded'],
    ])
    expect(third.metrics).toEqual({ total: 15 })
    expect(Object.fromEntries(runs)).toEqual({ source: 1, scale: 2, report: 2 })

    const row = await selectPipelineRun(database.handle.db, third.runId)
    expect(row).toMatchObject({
      pipeline: 'fake',
      status: 'succeeded',
      params: { value: 3, factor: 5, note: 'hello', shouldFail: false },
      metrics: { total: 15 },
      error: null,
    })
    expect(row?.finishedAt).toBeInstanceOf(Date)
    expect(row?.steps.map((s) => [s.name, s.status, s.isCached])).toEqual([
      ['source', 'cached', true],
      ['scale', 'succeeded', false],
      ['report', 'succeeded', false],
    ])
  })

  it('stops at a failing step, naming it, and keeps the earlier results cached', async ({
    database,
    tmpDir,
    log,
  }) => {
    const { runs, load } = setup()
    const services = { home: tmpDir, db: database.handle.db, log, codeVersion: 'test' }
    const failed = await runPipeline(load(['shouldFail=true']), services)
    expect(failed.status).toBe('failed')
    expect(failed.error).toBeInstanceOf(StepFailedError)
    expect(failed.error?.message).toBe('step "report" failed: the report exploded')
    expect(failed.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'failed'])
    const row = await selectPipelineRun(database.handle.db, failed.runId)
    expect(row).toMatchObject({ status: 'failed', error: 'step "report" failed: the report exploded' })

    // Nothing of the failed step is left in the cache, not even its temp folder.
    const cacheEntries = await readdir(path.join(tmpDir, 'pipeline-cache'))
    expect(cacheEntries.filter((n) => n.startsWith('.tmp-'))).toEqual([])
    expect(cacheEntries).toHaveLength(2)

    const fixed = await runPipeline(load(), services)
    expect(fixed.steps.map((s) => s.status)).toEqual(['cached', 'cached', 'succeeded'])
    expect(Object.fromEntries(runs)).toEqual({ source: 1, scale: 1, report: 2 })
  })

  it('ignores a half-written entry left by a killed run, and runs the step again', async ({
    database,
    tmpDir,
    log,
  }) => {
    const { runs, load } = setup()
    const services = { home: tmpDir, db: database.handle.db, log, codeVersion: 'test' }
    const first = await runPipeline(load(), services)
    const reportKey = first.steps[2]?.key
    expect(reportKey).toMatch(/^[0-9a-f]{64}$/)
    // A kill -9 mid-step leaves only a temp folder; a rename never happened, so the key is absent.
    const cache = path.join(tmpDir, 'pipeline-cache')
    await mkdir(path.join(cache, `.tmp-${reportKey?.slice(0, 16)}-dead`, 'out'), { recursive: true })
    await writeFile(path.join(cache, `.tmp-${reportKey?.slice(0, 16)}-dead`, 'out', 'x'), 'partial')
    await rm(path.join(cache, reportKey ?? ''), { recursive: true })
    const second = await runPipeline(load(), services)
    expect(second.steps.map((s) => s.status)).toEqual(['cached', 'cached', 'succeeded'])
    expect(runs.get('report')).toBe(2)
  })

  it('runs one step on its own from the records of its upstream steps in a run folder', async ({
    database,
    tmpDir,
    log,
  }) => {
    const { runs, load } = setup()
    const pipeline = load()
    const runDir = path.join(tmpDir, 'run')
    const options = { home: tmpDir, db: database.handle.db, log, codeVersion: 'test', runDir }
    await expect(runPipelineStep(pipeline, 'scale', options)).rejects.toBeInstanceOf(StepInputMissingError)
    const source = await runPipelineStep(pipeline, 'source', options)
    const scale = await runPipelineStep(pipeline, 'scale', options)
    const report = await runPipelineStep(pipeline, 'report', options)
    expect([source.isCached, scale.isCached, report.isCached]).toEqual([false, false, false])
    expect(report.outputs.metrics).toEqual({ total: 6 })
    expect((await readdir(path.join(runDir, 'steps'))).sort()).toEqual([
      'report.json',
      'scale.json',
      'source.json',
    ])
    // The same steps run as a whole pipeline are cache hits: keys do not depend on how a step is run.
    const whole = await runPipeline(pipeline, {
      home: tmpDir,
      db: database.handle.db,
      log,
      codeVersion: 'test',
    })
    expect(whole.steps.map((s) => s.status)).toEqual(['cached', 'cached', 'cached'])
    expect(whole.steps.map((s) => s.key)).toEqual([source.key, scale.key, report.key])
    expect([...runs.values()]).toEqual([1, 1, 1])
  })

  it('runs a cached step again when its result is no longer valid outside the cache', async ({
    database,
    tmpDir,
    log,
  }) => {
    const runs = new Map<string, number>()
    const base = createFakeStepTypes(runs)
    const source = base.get('source')
    if (!source) throw new Error('fake source step missing')
    let isValid = true
    const stepTypes = createStepTypeRegistry([
      ...[...base.values()].filter((t) => t.name !== 'source'),
      { ...source, isResultValid: async () => isValid },
    ])
    const pipeline = resolvePipeline(parsePipelineSpec(FAKE_PIPELINE, 'fake.yaml'), {
      file: 'fake.yaml',
      stepTypes,
    })
    const services = { home: tmpDir, db: database.handle.db, log, codeVersion: 'test' }
    await runPipeline(pipeline, services)
    isValid = false
    const again = await runPipeline(pipeline, services)
    // Same key, so the re-run source feeds the same identities downstream, which stay cached.
    expect(again.steps.map((s) => s.status)).toEqual(['succeeded', 'cached', 'cached'])
    expect(Object.fromEntries(runs)).toEqual({ source: 2, scale: 1, report: 1 })
  })
})

import { execFile } from 'node:child_process'
import { readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, test } from '../fixtures.js'
import { openDatabase, listGateDecisions } from '../../src/db/index.js'
import { makeImage, writeTree } from '../data/images.js'
import { REPO_ROOT, repoPath } from './helpers/repo-files.js'

const run = promisify(execFile)
const SCRIPT = 'deploy/scripts/retrain.sh'

/** Runs the gate script with only the given environment (plus PATH), as the image would. */
async function retrain(env: Record<string, string>) {
  return run('sh', [SCRIPT], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    (r) => ({ code: 0, ...r }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({
      code: err.code,
      stdout: err.stdout ?? '',
      stderr: err.stderr ?? '',
    }),
  )
}

describe('deploy/scripts/retrain.sh', () => {
  test('is POSIX sh that parses, and executable in the repository', async () => {
    await run('sh', ['-n', SCRIPT], { cwd: REPO_ROOT })
    expect((await stat(repoPath(SCRIPT))).mode & 0o111).not.toBe(0)
  })

  test('refuses to start without a dataset folder or with a missing one', async () => {
    const unset = await retrain({})
    expect(unset.code).not.toBe(0)
    expect(unset.stderr).toContain('DATASET_DIR')
    const missing = await retrain({ DATASET_DIR: '/nonexistent/sports-balls', SPLIT_FILE: 'x' })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('does not exist')
  })

  test('requires the fixed split file, so both models are scored on data the new one never saw', async ({
    tmpDir,
  }) => {
    const unset = await retrain({ DATASET_DIR: tmpDir })
    expect(unset.code).not.toBe(0)
    expect(unset.stderr).toContain('SPLIT_FILE')
    const missing = await retrain({ DATASET_DIR: tmpDir, SPLIT_FILE: path.join(tmpDir, 'split.json') })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/split file .* does not exist/)
  })
})

/**
 * A stand-in for the `sportscan` CLI (the script takes its command from SPORTSCAN): logs its arguments, prints
 * the decision line it is given and exits with the given status.
 */
const FAKE_CLI = `
import { appendFileSync } from 'node:fs'
appendFileSync(process.env.FAKE_LOG, JSON.stringify(process.argv.slice(2)) + '\\n')
if (process.env.FAKE_STDOUT) console.log(process.env.FAKE_STDOUT)
process.exit(Number(process.env.FAKE_EXIT ?? 0))
`

describe('deploy/scripts/retrain.sh hands over to `sportscan retrain`', () => {
  const withFakeCli = async (dir: string, env: Record<string, string>) => {
    await writeFile(path.join(dir, 'fake-sportscan.mjs'), FAKE_CLI)
    await writeFile(path.join(dir, 'split.json'), '{"train": [], "test": []}')
    const log = path.join(dir, 'calls.log')
    await writeFile(log, '')
    const result = await retrain({
      DATASET_DIR: dir,
      SPLIT_FILE: path.join(dir, 'split.json'),
      SPORTSCAN: `node ${path.join(dir, 'fake-sportscan.mjs')}`,
      SPORTSCAN_HOME: dir,
      FAKE_LOG: log,
      ...env,
    })
    const calls = (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as string[])
    const report = await readFile(path.join(dir, 'gate-report.json'), 'utf8').catch(() => undefined)
    return { ...result, calls, report }
  }

  test('passes dataset, split, tolerance, epochs and overrides, and reports the decision line', async ({
    tmpDir,
  }) => {
    const line = '{"decision":"promoted","reason":"test 70.0% vs 60.0%"}'
    const r = await withFakeCli(tmpDir, {
      FAKE_STDOUT: line,
      EPOCHS: '3',
      GATE_TOLERANCE: '0.01',
      RETRAIN_SINCE: '2026-06-01',
      PIPELINE_SET: 'head=linear batchSize=32',
    })
    expect(r.code).toBe(0)
    expect(r.calls).toEqual([
      [
        'retrain',
        '--data',
        tmpDir,
        '--split-file',
        path.join(tmpDir, 'split.json'),
        '--allow-no-feedback',
        '--json',
        '--since',
        '2026-06-01',
        '--tolerance',
        '0.01',
        '--set',
        'epochs=3',
        '--set',
        'head=linear',
        '--set',
        'batchSize=32',
      ],
    ])
    expect(r.report?.trim()).toBe(line)
    expect(r.stdout.trim()).toBe(line)
  })

  test('keeps exit code 3 (gate refused) with its report; a failure leaves no report', async ({ tmpDir }) => {
    const refused = await withFakeCli(tmpDir, { FAKE_STDOUT: '{"decision":"rejected"}', FAKE_EXIT: '3' })
    expect(refused.code).toBe(3)
    expect(refused.report?.trim()).toBe('{"decision":"rejected"}')
    const failed = await withFakeCli(tmpDir, { FAKE_EXIT: '1' })
    expect(failed.code).toBe(1)
    // the last decision's report stays; the failed run wrote none
    expect(failed.report?.trim()).toBe('{"decision":"rejected"}')
  })
})

describe('deploy/scripts/retrain.sh with the real CLI', () => {
  test('trains, gates and records its decision in gate_decisions', async ({ tmpDir, log }) => {
    const data = path.join(tmpDir, 'sports-balls')
    const colours = { basketball: '#e05010', golf_ball: '#f0f0f0', tennis_ball: '#c0e020' }
    const split: { train: string[]; test: string[] } = { train: [], test: [] }
    for (const [label, colour] of Object.entries(colours)) {
      for (let i = 0; i < 4; i++) {
        const rel = `${label}/${i}.png`
        await writeTree(data, { [rel]: await makeImage('png', { colour, width: 12 + i, height: 12 }) })
        ;(i === 3 ? split.test : split.train).push(rel)
      }
    }
    const splitFile = path.join(tmpDir, 'split.json')
    await writeFile(splitFile, JSON.stringify(split))
    const home = path.join(tmpDir, 'home')
    const r = await retrain({
      DATASET_DIR: data,
      SPLIT_FILE: splitFile,
      SPORTSCAN: `node --import tsx ${repoPath('src/cli/main.ts')}`,
      SPORTSCAN_HOME: home,
      // nothing served yet: the first candidate has nothing to beat
      SPORTSCAN_BUNDLED_MODEL: path.join(tmpDir, 'no-bundled-model'),
      SPORTSCAN_CODE_VERSION: 'test',
      LOG_LEVEL: 'warn',
      PIPELINE_FILE: repoPath('pipelines/from-scratch.yaml'),
      PIPELINE_SET:
        'architecture=seed-cnn imageSize=8 epochs=1 train.batchSize=4 train.earlyStoppingPatience=0 testViews=full',
    })
    expect(r.code, r.stderr).toBe(0)
    const report = JSON.parse(await readFile(path.join(home, 'gate-report.json'), 'utf8')) as {
      decision: string
      decisionId: number
      exported: number
    }
    expect(report).toMatchObject({ decision: 'promoted', exported: 0 })
    const db = await openDatabase({ driver: 'pglite', dir: path.join(home, 'db') }, log)
    try {
      const [recorded] = await listGateDecisions(db.db)
      expect(recorded).toMatchObject({
        id: report.decisionId,
        decision: 'promoted',
        baselineRef: null,
        testCount: 3,
        feedbackCount: 0,
      })
    } finally {
      await db.close()
    }
  })
})

import { execFile } from 'node:child_process'
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, test } from '../fixtures.js'
import { REPO_ROOT, repoPath } from './helpers/repo-files.js'

const run = promisify(execFile)
const SCRIPT = 'deploy/scripts/retrain.sh'

/** Runs the gate script with only the given environment (plus PATH), as the image would. */
async function retrain(env: Record<string, string>) {
  return run('sh', [SCRIPT], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', ...env } }).then(
    (r) => ({ code: 0, ...r }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({
      code: err.code,
      stdout: err.stdout ?? '',
      stderr: err.stderr ?? '',
    }),
  )
}

// What must hold before any training starts; the gate's decisions are checked below with a stand-in CLI.
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
 * A stand-in for the `sportscan` CLI (the script takes its command from SPORTSCAN): it answers `models show`
 * and `evaluate` with the accuracies given in its environment and logs every call, so the gate's decisions
 * are checked without training a model.
 */
const FAKE_CLI = `
import { appendFileSync } from 'node:fs'
const args = process.argv.slice(2)
appendFileSync(process.env.FAKE_LOG, JSON.stringify(args) + '\\n')
const say = (accuracy) => console.log(JSON.stringify({ accuracy, n: 376 }))
if (args[0] === 'models' && args[1] === 'show') console.log(JSON.stringify({ ref: 'sports-ball-cnn@7' }))
else if (args[0] === 'evaluate') {
  const model = args.includes('--model') ? args[args.indexOf('--model') + 1] : 'bundled'
  if (model === 'sports-ball-cnn@7') say(Number(process.env.FAKE_CANDIDATE))
  else if (model === 'sports-ball-cnn@production') {
    if (!process.env.FAKE_PRODUCTION) { console.error('alias production not found'); process.exit(1) }
    say(Number(process.env.FAKE_PRODUCTION))
  } else say(Number(process.env.FAKE_BUNDLED))
}
`

describe('deploy/scripts/retrain.sh gate', () => {
  const gate = async (dir: string, env: Record<string, string>) => {
    await writeFile(path.join(dir, 'fake-sportscan.mjs'), FAKE_CLI)
    await writeFile(path.join(dir, 'split.json'), '{"train": [], "test": []}')
    const log = path.join(dir, 'calls.log')
    await writeFile(log, '')
    const result = await retrain({
      DATASET_DIR: dir,
      SPLIT_FILE: path.join(dir, 'split.json'),
      SPORTSCAN: `node ${path.join(dir, 'fake-sportscan.mjs')}`,
      SPORTSCAN_HOME: dir,
      SPORTSCAN_BUNDLED_MODEL: path.join(dir, 'bundled'),
      FAKE_LOG: log,
      ...env,
    })
    const calls = (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as string[])
    const report = JSON.parse(await readFile(path.join(dir, 'gate-report.json'), 'utf8')) as Record<
      string,
      unknown
    >
    const promoted = calls.filter((c) => c[0] === 'models' && c[1] === 'promote')
    return { ...result, calls, report, promoted }
  }

  test('promotes a candidate not worse than production, pinned to its version', async ({ tmpDir }) => {
    const r = await gate(tmpDir, { FAKE_CANDIDATE: '0.65', FAKE_PRODUCTION: '0.6' })
    expect(r.code).toBe(0)
    expect(r.calls[0]?.slice(0, 2)).toEqual(['pipeline', 'run'])
    expect(r.promoted).toEqual([['models', 'promote', 'sports-ball-cnn@7', '--alias', 'production']])
    expect(r.report).toMatchObject({
      verdict: 'pass',
      promoted: true,
      baseline: 'sports-ball-cnn@production',
    })
  })

  test('refuses a worse candidate with exit code 3 and leaves production alone', async ({ tmpDir }) => {
    const r = await gate(tmpDir, { FAKE_CANDIDATE: '0.5', FAKE_PRODUCTION: '0.6' })
    expect(r.code).toBe(3)
    expect(r.promoted).toEqual([])
    expect(r.report).toMatchObject({ verdict: 'refuse', promoted: false, productionAccuracy: 0.6 })
  })

  test('without a production alias, the candidate must beat the bundled model the API serves', async ({
    tmpDir,
  }) => {
    await mkdir(path.join(tmpDir, 'bundled'), { recursive: true })
    await writeFile(path.join(tmpDir, 'bundled', 'model.json'), '{}')
    const r = await gate(tmpDir, { FAKE_CANDIDATE: '0.4', FAKE_BUNDLED: '0.625' })
    expect(r.code).toBe(3)
    expect(r.promoted).toEqual([])
    expect(r.report).toMatchObject({ baseline: 'bundled', productionAccuracy: 0.625, verdict: 'refuse' })
  })

  test('with nothing served yet the first model passes; PROMOTE=false only reports', async ({ tmpDir }) => {
    const r = await gate(tmpDir, { FAKE_CANDIDATE: '0.4', PROMOTE: 'false' })
    expect(r.code).toBe(0)
    expect(r.promoted).toEqual([])
    expect(r.report).toMatchObject({
      baseline: 'none',
      productionAccuracy: null,
      verdict: 'pass',
      promoted: false,
    })
  })
})

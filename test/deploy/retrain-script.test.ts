import { execFile } from 'node:child_process'
import { stat } from 'node:fs/promises'
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

// The pass/refuse paths need a trained model: they were run end to end by hand (docs/deploy.md, the gate);
// here, what must hold before any training starts.
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

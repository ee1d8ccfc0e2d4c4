import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, test } from '../../fixtures.js'
import { createKubernetesValidator } from '../../deploy/helpers/kubernetes-schema.js'
import { getPath, isK8sObject, parseYamlDocuments } from '../../deploy/helpers/manifest-object.js'
import { REPO_ROOT } from '../../deploy/helpers/repo-files.js'
import { parseStepArgs } from './round-trip.js'

const run = promisify(execFile)

async function sportscan(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: REPO_ROOT })
}

// the Argo target through the CLI is covered by test/deploy/argo-example.test.ts
describe('sportscan pipeline render', () => {
  test('writes a Kubernetes Job with the given --set values, and refuses an unknown param', async ({
    tmpDir,
  }) => {
    const out = path.join(tmpDir, 'job.yaml')
    await sportscan(
      ...['pipeline', 'render', '--target', 'k8s-jobs', '--image', 'sportscan:1.0.0', '--out', out],
      ...[
        '--set',
        'data=/data/sports-balls',
        '--set',
        'split=/data/sports-balls-split.json',
        '--namespace',
        'ml',
      ],
    )
    const [job] = parseYamlDocuments(await readFile(out, 'utf8'), out)
    if (!isK8sObject(job)) throw new Error('not a Kubernetes object')
    expect((await createKubernetesValidator()).validate(job)).toEqual([])
    expect(job.metadata.namespace).toBe('ml')
    const main = getPath(job, 'spec', 'template', 'spec', 'containers', 0, 'args')
    const sets = parseStepArgs(Array.isArray(main) ? main.map(String) : []).sets
    expect(sets.get('data')).toBe('/data/sports-balls')
    expect(sets.get('split')).toBe('/data/sports-balls-split.json')

    await expect(
      sportscan('pipeline', 'render', '--target', 'k8s-jobs', '--image', 'x:1', '--set', 'epoch=3'),
    ).rejects.toMatchObject({ stderr: expect.stringMatching(/SPS_PIPELINE_RENDER_INVALID.*\n?.*epoch/s) })
  })
})

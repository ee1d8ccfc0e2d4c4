import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, test } from '../../fixtures.js'
import { readPipelineSpec } from '../../../src/pipeline/index.js'
import { createArgoWorkflowValidator } from '../../deploy/helpers/argo-schema.js'
import { createKubernetesValidator } from '../../deploy/helpers/kubernetes-schema.js'
import { getPath, isK8sObject, parseYamlDocuments } from '../../deploy/helpers/manifest-object.js'
import { REPO_ROOT, repoPath } from '../../deploy/helpers/repo-files.js'
import { parseStepArgs } from './round-trip.js'

const run = promisify(execFile)
const PIPELINE = 'pipelines/sports-ball-classification.yaml'

async function sportscan(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: REPO_ROOT })
}

describe('sportscan pipeline render', () => {
  test('writes an Argo Workflow YAML whose steps and params are the pipeline file’s', async ({ tmpDir }) => {
    const out = path.join(tmpDir, 'workflow.yaml')
    await sportscan(
      'pipeline',
      'render',
      PIPELINE,
      '--target',
      'argo',
      '--image',
      'sportscan:1.0.0',
      '--out',
      out,
    )
    const text = await readFile(out, 'utf8')
    expect(text).not.toMatch(/[&*]a\d/)
    const [workflow] = parseYamlDocuments(text, out)
    if (workflow === undefined) throw new Error('empty output')
    expect((await createArgoWorkflowValidator()).validate(workflow)).toEqual([])
    const spec = await readPipelineSpec(repoPath(PIPELINE))
    const parameters = getPath(workflow, 'spec', 'arguments', 'parameters')
    expect(Array.isArray(parameters) ? parameters.map((p) => getPath(p, 'name')) : []).toEqual(
      Object.keys(spec.params ?? {}),
    )
    const templates = getPath(workflow, 'spec', 'templates')
    const stepNames = (Array.isArray(templates) ? templates : [])
      .map((t) => getPath(t, 'container', 'args'))
      .filter(Array.isArray)
      .map((args) => parseStepArgs(args.map(String)).step)
    expect(stepNames).toEqual(Object.keys(spec.steps))
  })

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

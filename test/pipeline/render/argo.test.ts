import { describe, expect, it } from 'vitest'
import { parsePipelineSpec, readPipelineSpec } from '../../../src/pipeline/index.js'
import {
  PipelineRenderError,
  renderArgoWorkflow,
  type RenderOptions,
} from '../../../src/pipeline/render/argo.js'
import { createArgoWorkflowValidator } from '../../deploy/helpers/argo-schema.js'
import { getPath, isJsonObject, type Json } from '../../deploy/helpers/manifest-object.js'
import { repoPath } from '../../deploy/helpers/repo-files.js'
import { declaredDependencies, declaredParams, DIAMOND, parseStepArgs } from './round-trip.js'

const OPTIONS: RenderOptions = {
  image: 'ghcr.io/sportscan/sportscan:0.1.0-abc123',
  pipelineFile: 'pipelines/sports-ball-classification.yaml',
  homeClaim: 'sportscan-home',
  datasetsClaim: 'sportscan-datasets',
  configMap: 'sportscan-config',
  databaseSecret: { name: 'sportscan-database', key: 'url' },
  serviceAccount: 'sportscan',
}

/** What a rendered Workflow says, read back: params with values, and per step its upstream and `--set`s. */
function readBack(workflow: Json) {
  const params = new Map<string, string | undefined>()
  for (const p of asList(getPath(workflow, 'spec', 'arguments', 'parameters'))) {
    const value = getPath(p, 'value')
    params.set(String(getPath(p, 'name')), typeof value === 'string' ? value : undefined)
  }
  const templates = asList(getPath(workflow, 'spec', 'templates'))
  const entry = String(getPath(workflow, 'spec', 'entrypoint'))
  const dag = templates.find((t) => getPath(t, 'name') === entry)
  const steps = new Map<string, { dependsOn: string[]; sets: Map<string, string>; image: Json | undefined }>()
  const taskToStep = new Map<string, string>()
  for (const task of asList(getPath(dag, 'dag', 'tasks'))) {
    const template = templates.find((t) => getPath(t, 'name') === getPath(task, 'template'))
    const args = asList(getPath(template, 'container', 'args')).map(String)
    const parsed = parseStepArgs(args)
    taskToStep.set(String(getPath(task, 'name')), parsed.step)
    steps.set(parsed.step, {
      dependsOn: asList(getPath(task, 'dependencies')).map(String),
      sets: parsed.sets,
      image: getPath(template, 'container', 'image'),
    })
  }
  for (const step of steps.values()) step.dependsOn = step.dependsOn.map((t) => taskToStep.get(t) ?? `?${t}`)
  return { params, steps }
}

function asList(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : []
}

describe('renderArgoWorkflow', () => {
  it('renders the real pipeline as a Workflow that validates against the Argo Workflows schema', async () => {
    const spec = await readPipelineSpec(repoPath('pipelines/sports-ball-classification.yaml'))
    const workflow: unknown = JSON.parse(JSON.stringify(renderArgoWorkflow(spec, OPTIONS)))
    if (!isJsonObject(workflow) || !isJsonObject(workflow.spec)) throw new Error('not a workflow')
    const validator = await createArgoWorkflowValidator()
    expect(validator.validate(workflow)).toEqual([])
    expect(validator.validate({ ...workflow, spec: { ...workflow.spec, entrypoints: 'x' } })).not.toEqual([])
  })

  it('round-trips every step, dependency and param of the real pipeline', async () => {
    const spec = await readPipelineSpec(repoPath('pipelines/sports-ball-classification.yaml'))
    const { params, steps } = readBack(JSON.parse(JSON.stringify(renderArgoWorkflow(spec, OPTIONS))))
    expect(Object.fromEntries(params)).toEqual(declaredParams(spec))
    expect([...steps.keys()].sort()).toEqual(Object.keys(spec.steps).sort())
    for (const [name, step] of steps) {
      expect(step.dependsOn.sort(), name).toEqual(declaredDependencies(spec, name).sort())
      // every workflow parameter reaches every step, by reference, so `argo submit -p` changes all of them
      expect(Object.fromEntries(step.sets), name).toEqual(
        Object.fromEntries([...params.keys()].map((p) => [p, `{{workflow.parameters.${p}}}`])),
      )
      expect(step.image).toBe(OPTIONS.image)
    }
  })

  it('shares one run folder per workflow on the SPORTSCAN_HOME claim, and the datasets read-only', () => {
    const workflow = renderArgoWorkflow(DIAMOND, OPTIONS)
    const runDirs = new Set(
      workflow.spec.templates
        .filter((t) => isJsonObject(t.container as Json))
        .map((t) => parseStepArgs(asList(getPath(t as Json, 'container', 'args')).map(String)).runDir),
    )
    expect([...runDirs]).toEqual(['/var/lib/sportscan/pipeline-runs/{{workflow.name}}'])
    expect(workflow.spec.volumes).toEqual(
      expect.arrayContaining([
        { name: 'home', persistentVolumeClaim: { claimName: 'sportscan-home' } },
        { name: 'datasets', persistentVolumeClaim: { claimName: 'sportscan-datasets', readOnly: true } },
      ]),
    )
  })

  it('runs independent steps in parallel: a diamond keeps both branches off each other', () => {
    const { steps } = readBack(JSON.parse(JSON.stringify(renderArgoWorkflow(DIAMOND, OPTIONS))))
    expect(steps.get('left_branch')?.dependsOn).toEqual(['source'])
    expect(steps.get('right')?.dependsOn).toEqual(['source'])
    expect(steps.get('sink')?.dependsOn.sort()).toEqual(['left_branch', 'right'])
  })

  it('writes render-time --set values as the parameters and refuses unknown ones', () => {
    const { params } = readBack(
      JSON.parse(JSON.stringify(renderArgoWorkflow(DIAMOND, { ...OPTIONS, overrides: { epochs: '3' } }))),
    )
    expect(params.get('epochs')).toBe('3')
    expect(params.get('name')).toBeUndefined()
    expect(() => renderArgoWorkflow(DIAMOND, { ...OPTIONS, overrides: { epoch: '3' } })).toThrow(
      PipelineRenderError,
    )
  })

  it('refuses a dependency cycle and a reference to a missing step, naming them', () => {
    const cyclic = parsePipelineSpec(
      `name: loop
steps:
  a: { type: t, inputs: { x: '\${steps.b.outputs.y}' } }
  b: { type: t, inputs: { x: '\${steps.a.outputs.y}' } }
`,
      'loop.yaml',
    )
    expect(() => renderArgoWorkflow(cyclic, OPTIONS)).toThrow(/cycle/)
    const dangling = parsePipelineSpec(
      `name: dangling
steps:
  a: { type: t, inputs: { x: '\${steps.nope.outputs.y}' } }
`,
      'dangling.yaml',
    )
    expect(() => renderArgoWorkflow(dangling, OPTIONS)).toThrow(/steps\.a\.inputs\.x/)
  })
})

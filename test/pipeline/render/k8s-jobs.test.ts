import { describe, expect, it } from 'vitest'
import { readPipelineSpec } from '../../../src/pipeline/index.js'
import type { RenderOptions } from '../../../src/pipeline/render/argo.js'
import { renderKubernetesJob } from '../../../src/pipeline/render/k8s-jobs.js'
import { createKubernetesValidator } from '../../deploy/helpers/kubernetes-schema.js'
import { isK8sObject } from '../../deploy/helpers/manifest-object.js'
import { repoPath } from '../../deploy/helpers/repo-files.js'
import { declaredDependencies, declaredParams, DIAMOND, parseStepArgs } from './round-trip.js'

const OPTIONS: RenderOptions = {
  image: 'ghcr.io/sportscan/sportscan:0.1.0-abc123',
  pipelineFile: 'pipelines/sports-ball-classification.yaml',
  datasetsClaim: 'sportscan-datasets',
  configMap: 'sportscan-config',
  databaseSecret: { name: 'sportscan-database', key: 'url' },
}

/** The steps in the order the Job runs them (init containers, then the main container), read back. */
function readBack(job: ReturnType<typeof renderKubernetesJob>) {
  const { initContainers, containers } = job.spec.template.spec
  return [...initContainers, ...containers].map((c) => ({ container: c, ...parseStepArgs(c.args) }))
}

describe('renderKubernetesJob', () => {
  it('renders the real pipeline as a Job that validates against the Kubernetes schemas', async () => {
    const spec = await readPipelineSpec(repoPath('pipelines/sports-ball-classification.yaml'))
    const job: unknown = JSON.parse(JSON.stringify(renderKubernetesJob(spec, OPTIONS)))
    if (!isK8sObject(job)) throw new Error('not a Kubernetes object')
    const validator = await createKubernetesValidator()
    expect(validator.validate(job)).toEqual([])
  })

  it('round-trips every step and param: each step once, after all its upstream steps, with every value', async () => {
    const spec = await readPipelineSpec(repoPath('pipelines/sports-ball-classification.yaml'))
    const steps = readBack(renderKubernetesJob(spec, OPTIONS))
    expect(steps.map((s) => s.step).sort()).toEqual(Object.keys(spec.steps).sort())
    const params = declaredParams(spec)
    steps.forEach((s, i) => {
      const before = steps.slice(0, i).map((p) => p.step)
      expect(before, s.step).toEqual(expect.arrayContaining(declaredDependencies(spec, s.step)))
      expect(Object.fromEntries(s.sets), s.step).toEqual(params)
      expect(s.file).toBe(OPTIONS.pipelineFile)
      expect(s.runDir).toBe('/var/lib/sportscan/pipeline-runs/$(RUN_ID)')
      expect(s.container.image).toBe(OPTIONS.image)
    })
  })

  it('orders a diamond topologically and writes --set values literally', () => {
    const steps = readBack(
      renderKubernetesJob(DIAMOND, { ...OPTIONS, overrides: { name: 'x', epochs: '7' } }),
    )
    expect(steps.map((s) => s.step)).toEqual(['source', 'left_branch', 'right', 'sink'])
    // container names are DNS labels, the step name stays exact in the command
    expect(steps[1]?.container.name).toBe('left-branch')
    expect(Object.fromEntries(steps[0]?.sets ?? [])).toEqual({ epochs: '7', name: 'x' })
  })

  it('leaves out a param that has no default and no --set, so the step keeps its own default', () => {
    const steps = readBack(renderKubernetesJob(DIAMOND, OPTIONS))
    expect(Object.fromEntries(steps[0]?.sets ?? [])).toEqual({ epochs: '2' })
  })
})

import type { PipelineSpec } from '../pipeline-spec.js'
import {
  orderedSteps,
  pipelineParamValues,
  kubernetesName,
  PipelineRenderError,
  SPORTSCAN_HOME_PATH,
  stepArgs,
  stepPodParts,
  type RenderOptions,
} from './argo.js'

export interface KubernetesJob {
  apiVersion: 'batch/v1'
  kind: 'Job'
  metadata: { name: string; namespace?: string; labels: Record<string, string> }
  spec: Record<string, unknown> & {
    template: {
      metadata: { labels: Record<string, string> }
      spec: Record<string, unknown> & {
        initContainers: Array<Record<string, unknown> & { name: string; args: string[] }>
        containers: Array<Record<string, unknown> & { name: string; args: string[] }>
      }
    }
  }
}

/**
 * A plain Kubernetes Job for clusters without a workflow engine: the steps run one after another as init
 * containers in dependency order (Kubernetes starts each only when the previous one succeeded) and the
 * last step is the main container. Param values are fixed at render time (`render --set epochs=5`).
 * The run folder is keyed by the Job's uid, so a retried pod picks up the steps already done.
 */
export function renderKubernetesJob(spec: PipelineSpec, options: RenderOptions): KubernetesJob {
  const params = pipelineParamValues(spec, options.overrides)
  const steps = orderedSteps(spec)
  const { volumes, container, podSecurityContext } = stepPodParts(options)
  const runDir = `${SPORTSCAN_HOME_PATH}/pipeline-runs/$(RUN_ID)`
  const runId = {
    name: 'RUN_ID',
    valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/controller-uid']" } },
  }
  const containers = steps.map((s) => ({
    ...container,
    name: kubernetesName(s.name),
    env: [runId, ...container.env],
    args: stepArgs(s.name, options.pipelineFile, runDir, params, (p) => p.value),
  }))
  const main = containers.pop()
  if (!main) throw new PipelineRenderError(['the pipeline has no steps'])
  const labels = { 'app.kubernetes.io/part-of': 'sportscan', 'sportscan/pipeline': spec.name }
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: kubernetesName(spec.name),
      ...(options.namespace ? { namespace: options.namespace } : {}),
      labels,
    },
    spec: {
      backoffLimit: 1,
      ttlSecondsAfterFinished: 604800,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          ...(options.serviceAccount ? { serviceAccountName: options.serviceAccount } : {}),
          automountServiceAccountToken: false,
          securityContext: podSecurityContext,
          volumes,
          initContainers: containers,
          containers: [main],
        },
      },
    },
  }
}

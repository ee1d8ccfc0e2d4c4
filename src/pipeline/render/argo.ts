import type { PipelineSpec } from '../pipeline-spec.js'

/**
 * Renders a pipeline for a workflow engine that outgrows one machine: every step runs
 * `sportscan pipeline step <name> <file> --run-dir <dir> --set <param>=<value>...` in the SportScan image,
 * and steps hand results to each other through the run folder on the shared SPORTSCAN_HOME volume
 * (`<home>/pipeline-runs/<run>/steps/<name>.json`, plus the step cache next to it).
 */
export class PipelineRenderError extends Error {
  readonly code = 'SPS_PIPELINE_RENDER_INVALID'
  constructor(readonly problems: string[]) {
    super(`cannot render the pipeline:\n  ${problems.join('\n  ')}`)
  }
}

export interface RenderOptions {
  /** The SportScan image every step runs in, pinned (`registry/sportscan:1.2.0-abc123`). */
  image: string
  /** The pipeline file inside the image, relative to its working directory. */
  pipelineFile: string
  /** `--set` values given to `render`: they replace the declared defaults in the output. */
  overrides?: Readonly<Record<string, string>>
  /** PersistentVolumeClaim holding SPORTSCAN_HOME (ReadWriteMany when steps may land on different nodes). */
  homeClaim?: string
  /** PersistentVolumeClaim with the datasets, mounted read-only at /data; none when omitted. */
  datasetsClaim?: string
  /** ConfigMap loaded as environment (the app's, with SPORTSCAN_HOME and LOG_LEVEL). */
  configMap?: string
  /** Secret key holding DATABASE_URL. */
  databaseSecret?: { name: string; key: string }
  serviceAccount?: string
  namespace?: string
}

export const SPORTSCAN_HOME_PATH = '/var/lib/sportscan'
const DATASETS_PATH = '/data'
/** `node` in the image; its ENTRYPOINT (tini) is bypassed because Argo's executor needs a command. */
export const STEP_COMMAND = ['node', '/app/dist/cli/main.js']
const STEP_REF = /^\$\{steps\.([^.}]+)\.outputs\.([^.}]+)\}$/

export interface PipelineParamValue {
  name: string
  value: string
  description: string | undefined
}

/**
 * The pipeline's params as strings (what `--set` takes), overrides applied; unknown overrides fail. A param
 * without default or override is left out: its step's own default holds (set it at render time to change it).
 */
export function pipelineParamValues(spec: PipelineSpec, overrides: Readonly<Record<string, string>> = {}) {
  const declared = spec.params ?? {}
  const unknown = Object.keys(overrides).filter((name) => !(name in declared))
  if (unknown.length > 0) {
    throw new PipelineRenderError(unknown.map((name) => `--set ${name}: the pipeline declares no such param`))
  }
  return Object.entries(declared).flatMap(([name, decl]): PipelineParamValue[] => {
    const value = overrides[name] ?? (decl.default === undefined ? undefined : String(decl.default))
    return value === undefined ? [] : [{ name, value, description: decl.description }]
  })
}

/** Step names may hold `_`; Kubernetes and Argo names (DNS-1123 labels) may not. */
export function kubernetesName(name: string): string {
  return name.replace(/[._]/g, '-').replace(/-+$/, '').slice(0, 63)
}

/** Steps in dependency order (file order among equals), each with the steps its inputs read from. */
export function orderedSteps(spec: PipelineSpec): Array<{ name: string; dependsOn: string[] }> {
  const problems: string[] = []
  const names = Object.keys(spec.steps)
  const deps = new Map<string, string[]>()
  for (const name of names) {
    const found = new Set<string>()
    for (const [input, ref] of Object.entries(spec.steps[name]?.inputs ?? {})) {
      const upstream = STEP_REF.exec(ref)?.[1]
      if (upstream === undefined || !names.includes(upstream)) {
        problems.push(`steps.${name}.inputs.${input}: "${ref}" is not \${steps.<step>.outputs.<output>}`)
      } else found.add(upstream)
    }
    deps.set(
      name,
      names.filter((n) => found.has(n)),
    )
  }
  const byKubernetesName = new Map<string, string>()
  for (const name of names) {
    const other = byKubernetesName.get(kubernetesName(name))
    if (other) problems.push(`steps ${other} and ${name} both become "${kubernetesName(name)}" in Kubernetes`)
    byKubernetesName.set(kubernetesName(name), name)
  }
  const ordered: Array<{ name: string; dependsOn: string[] }> = []
  const placed = new Set<string>()
  while (ordered.length < names.length && problems.length === 0) {
    const next = names.find((n) => !placed.has(n) && (deps.get(n) ?? []).every((d) => placed.has(d)))
    if (next === undefined) {
      problems.push(`steps ${names.filter((n) => !placed.has(n)).join(', ')} depend on each other in a cycle`)
      break
    }
    placed.add(next)
    ordered.push({ name: next, dependsOn: deps.get(next) ?? [] })
  }
  if (problems.length > 0) throw new PipelineRenderError(problems)
  return ordered
}

/** Arguments of one step's container; `valueOf` says how a param's value is written (literal or a reference). */
export function stepArgs(
  step: string,
  pipelineFile: string,
  runDir: string,
  params: PipelineParamValue[],
  valueOf: (param: PipelineParamValue) => string,
): string[] {
  const args = ['pipeline', 'step', step, pipelineFile, '--run-dir', runDir]
  for (const param of params) args.push('--set', `${param.name}=${valueOf(param)}`)
  return args
}

/** The parts of a pod both targets share: mounts, environment, security, resources. */
export function stepPodParts(options: RenderOptions) {
  const volumes: Array<Record<string, unknown>> = [
    { name: 'home', persistentVolumeClaim: { claimName: options.homeClaim ?? 'sportscan-home' } },
    { name: 'tmp', emptyDir: {} },
  ]
  const volumeMounts: Array<Record<string, unknown>> = [
    { name: 'home', mountPath: SPORTSCAN_HOME_PATH },
    { name: 'tmp', mountPath: '/tmp' },
  ]
  if (options.datasetsClaim) {
    volumes.push({
      name: 'datasets',
      persistentVolumeClaim: { claimName: options.datasetsClaim, readOnly: true },
    })
    volumeMounts.push({ name: 'datasets', mountPath: DATASETS_PATH, readOnly: true })
  }
  const env: Array<Record<string, unknown>> = [{ name: 'SPORTSCAN_HOME', value: SPORTSCAN_HOME_PATH }]
  if (options.databaseSecret) {
    env.push({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { ...options.databaseSecret } } })
  }
  const container = {
    image: options.image,
    command: [...STEP_COMMAND],
    ...(options.configMap ? { envFrom: [{ configMapRef: { name: options.configMap } }] } : {}),
    env,
    volumeMounts,
    // The default conv head keeps 8 views of 14x14x576 feature maps in memory: ~6.3 GB at its peak.
    resources: { requests: { cpu: '2', memory: '8Gi' }, limits: { cpu: '4', memory: '12Gi' } },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    },
  }
  const podSecurityContext = {
    runAsNonRoot: true,
    runAsUser: 1000,
    runAsGroup: 1000,
    fsGroup: 1000,
    seccompProfile: { type: 'RuntimeDefault' },
  }
  return { volumes, container, podSecurityContext }
}

export interface ArgoWorkflow {
  apiVersion: 'argoproj.io/v1alpha1'
  kind: 'Workflow'
  metadata: { generateName: string; namespace?: string; labels: Record<string, string> }
  spec: Record<string, unknown> & {
    entrypoint: string
    arguments: { parameters: Array<{ name: string; value?: string; description?: string }> }
    templates: Array<Record<string, unknown> & { name: string }>
  }
}

const DAG_TEMPLATE = 'pipeline'

/**
 * An Argo Workflow: a DAG with one task per step (dependencies from the steps' inputs), one container
 * template per step, and every pipeline param a workflow parameter (`argo submit -p epochs=5`).
 */
export function renderArgoWorkflow(spec: PipelineSpec, options: RenderOptions): ArgoWorkflow {
  const params = pipelineParamValues(spec, options.overrides)
  const steps = orderedSteps(spec)
  const { volumes, container, podSecurityContext } = stepPodParts(options)
  const runDir = `${SPORTSCAN_HOME_PATH}/pipeline-runs/{{workflow.name}}`
  if (steps.some((s) => s.name === DAG_TEMPLATE)) {
    throw new PipelineRenderError([`a step named "${DAG_TEMPLATE}" collides with the DAG template's name`])
  }
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      generateName: `${kubernetesName(spec.name)}-`,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      labels: { 'app.kubernetes.io/part-of': 'sportscan', 'sportscan/pipeline': spec.name },
    },
    spec: {
      entrypoint: DAG_TEMPLATE,
      ...(options.serviceAccount ? { serviceAccountName: options.serviceAccount } : {}),
      arguments: {
        parameters: params.map((p) => ({
          name: p.name,
          value: p.value,
          ...(p.description ? { description: p.description } : {}),
        })),
      },
      securityContext: podSecurityContext,
      volumes,
      templates: [
        {
          name: DAG_TEMPLATE,
          dag: {
            tasks: steps.map((s) => ({
              name: kubernetesName(s.name),
              template: kubernetesName(s.name),
              ...(s.dependsOn.length > 0 ? { dependencies: s.dependsOn.map(kubernetesName) } : {}),
            })),
          },
        },
        ...steps.map((s) => {
          const description = spec.steps[s.name]?.description
          return {
            name: kubernetesName(s.name),
            ...(description ? { metadata: { annotations: { 'sportscan/description': description } } } : {}),
            container: {
              ...container,
              args: stepArgs(
                s.name,
                options.pipelineFile,
                runDir,
                params,
                (p) => `{{workflow.parameters.${p.name}}}`,
              ),
            },
          }
        }),
      ],
    },
  }
}

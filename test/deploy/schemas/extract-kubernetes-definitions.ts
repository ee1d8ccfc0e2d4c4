/**
 * Writes the vendored schema files: the definitions reachable from the kinds SportScan renders,
 * descriptions dropped to keep them small (see README.md for the inputs).
 *   npx tsx test/deploy/schemas/extract-kubernetes-definitions.ts kubernetes <swagger.json> <version>
 *   npx tsx test/deploy/schemas/extract-kubernetes-definitions.ts argo <schema.json> <version>
 */
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const KUBERNETES_ROOTS = [
  'io.k8s.api.apps.v1.Deployment',
  'io.k8s.api.apps.v1.StatefulSet',
  'io.k8s.api.apps.v1.DaemonSet',
  'io.k8s.api.batch.v1.Job',
  'io.k8s.api.batch.v1.CronJob',
  'io.k8s.api.core.v1.Service',
  'io.k8s.api.core.v1.ConfigMap',
  'io.k8s.api.core.v1.Secret',
  'io.k8s.api.core.v1.ServiceAccount',
  'io.k8s.api.core.v1.PersistentVolumeClaim',
  'io.k8s.api.core.v1.Namespace',
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
  'io.k8s.api.policy.v1.PodDisruptionBudget',
  'io.k8s.api.networking.v1.Ingress',
  'io.k8s.api.networking.v1.NetworkPolicy',
  'io.k8s.api.rbac.v1.Role',
  'io.k8s.api.rbac.v1.RoleBinding',
]

const PROFILES: Record<string, { roots: string[]; file: string; versionKey: string }> = {
  kubernetes: {
    roots: KUBERNETES_ROOTS,
    file: 'kubernetes-definitions.json',
    versionKey: 'kubernetesVersion',
  },
  argo: {
    roots: ['io.argoproj.workflow.v1alpha1.Workflow'],
    file: 'argo-workflows-definitions.json',
    versionKey: 'argoWorkflowsVersion',
  },
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function stripDescriptions(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripDescriptions)
  if (!isObject(value)) return value
  const out: { [key: string]: Json } = {}
  for (const [key, child] of Object.entries(value)) {
    // `description` is prose, except where it names a property called "description"
    if (key === 'description' && typeof child === 'string') continue
    out[key] = stripDescriptions(child)
  }
  return out
}

function collectRefs(value: Json, into: Set<string>): void {
  if (Array.isArray(value)) value.forEach((v) => collectRefs(v, into))
  else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') into.add(child.replace('#/definitions/', ''))
      else collectRefs(child, into)
    }
  }
}

async function main(): Promise<void> {
  const [profileName = '', input, version] = process.argv.slice(2)
  const profile = PROFILES[profileName]
  if (!profile || !input || !version) {
    throw new Error('usage: extract-kubernetes-definitions <kubernetes|argo> <schema.json> <version>')
  }
  const spec: unknown = JSON.parse(await readFile(input, 'utf8'))
  const all = isObject(spec as Json) ? (spec as { [key: string]: Json }).definitions : undefined
  if (!isObject(all)) throw new Error(`${input} has no "definitions" object`)
  const wanted = new Set<string>()
  const queue = [...profile.roots]
  while (queue.length > 0) {
    const name = queue.pop()
    if (name === undefined || wanted.has(name)) continue
    const definition = all[name]
    if (definition === undefined) throw new Error(`definition ${name} is missing from ${input}`)
    wanted.add(name)
    const refs = new Set<string>()
    collectRefs(definition, refs)
    queue.push(...refs)
  }
  const definitions: { [key: string]: Json } = {}
  for (const name of [...wanted].sort()) definitions[name] = stripDescriptions(all[name] ?? null)
  const out = path.join(path.dirname(fileURLToPath(import.meta.url)), profile.file)
  await writeFile(out, JSON.stringify({ [profile.versionKey]: version, definitions }, null, 1) + '\n')
  process.stdout.write(`${wanted.size} definitions -> ${out}\n`)
}

await main()

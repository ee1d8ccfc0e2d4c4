import { readFile } from 'node:fs/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import { renderKustomization } from './helpers/kustomize.js'
import { createKubernetesValidator, type KubernetesValidator } from './helpers/kubernetes-schema.js'
import {
  getPath,
  isJsonObject,
  type Json,
  type JsonObject,
  type K8sObject,
} from './helpers/manifest-object.js'
import { repoPath } from './helpers/repo-files.js'
import { parseDockerfile } from './helpers/dockerfile.js'
import { loadConfig } from '../../src/config/index.js'

const KUSTOMIZATIONS = ['overlays/dev', 'overlays/prod', 'overlays/dev/training', 'overlays/prod/training']
const APP_ROUTES = ['/health', '/ready']

const rendered = new Map<string, K8sObject[]>()
let validator: KubernetesValidator

beforeAll(async () => {
  validator = await createKubernetesValidator()
  for (const k of KUSTOMIZATIONS) rendered.set(k, await renderKustomization(repoPath('deploy/kubernetes', k)))
})

function objectsOf(kustomization: string): K8sObject[] {
  const objects = rendered.get(kustomization)
  if (!objects) throw new Error(`${kustomization} was not rendered`)
  return objects
}

function find(kustomization: string, kind: string, name: string): K8sObject {
  const found = objectsOf(kustomization).find((o) => o.kind === kind && o.metadata.name === name)
  if (!found) throw new Error(`${kustomization} renders no ${kind}/${name}`)
  return found
}

/** The pod spec of a workload, wherever its kind keeps it. */
function podSpecOf(object: K8sObject): JsonObject | undefined {
  const spec =
    object.kind === 'CronJob'
      ? getPath(object, 'spec', 'jobTemplate', 'spec', 'template', 'spec')
      : getPath(object, 'spec', 'template', 'spec')
  return isJsonObject(spec) ? spec : undefined
}

function containersOf(object: K8sObject): JsonObject[] {
  const containers = getPath(podSpecOf(object), 'containers')
  return Array.isArray(containers) ? containers.filter(isJsonObject) : []
}

const workloads = (k: string) => objectsOf(k).filter((o) => podSpecOf(o) !== undefined)

describe.each(KUSTOMIZATIONS)('kustomization %s', (kustomization) => {
  it('renders objects that validate against the Kubernetes OpenAPI schemas', () => {
    const objects = objectsOf(kustomization)
    expect(objects.length).toBeGreaterThan(0)
    const problems = objects.flatMap((o) =>
      validator.validate(o).map((e) => `${o.kind}/${o.metadata.name}: ${e}`),
    )
    expect(problems).toEqual([])
  })

  it('puts every object in one namespace and gives each kind/name once', () => {
    const objects = objectsOf(kustomization)
    expect(new Set(objects.map((o) => o.metadata.namespace)).size).toBe(1)
    const ids = objects.map((o) => `${o.kind}/${o.metadata.name}`)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('runs every pod as non-root with a read-only root filesystem where it is our image', () => {
    for (const workload of workloads(kustomization)) {
      expect(getPath(podSpecOf(workload), 'securityContext', 'runAsNonRoot'), workload.metadata.name).toBe(
        true,
      )
      for (const container of containersOf(workload)) {
        expect(getPath(container, 'securityContext', 'allowPrivilegeEscalation')).toBe(false)
        if (String(container.image).includes('sportscan')) {
          expect(getPath(container, 'securityContext', 'readOnlyRootFilesystem')).toBe(true)
          const mounts = getPath(container, 'volumeMounts')
          expect(Array.isArray(mounts) && mounts.some((m) => getPath(m, 'mountPath') === '/tmp')).toBe(true)
        }
      }
    }
  })

  it('commits no secret values: Secrets are referenced, never defined', () => {
    expect(objectsOf(kustomization).filter((o) => o.kind === 'Secret')).toEqual([])
    const literalSecrets: string[] = []
    const visit = (node: Json, where: string): void => {
      if (Array.isArray(node)) node.forEach((n, i) => visit(n, `${where}[${i}]`))
      else if (isJsonObject(node)) {
        const name = typeof node.name === 'string' ? node.name : ''
        if (/PASSWORD|SECRET|TOKEN|DATABASE_URL/i.test(name) && node.value !== undefined)
          literalSecrets.push(where)
        for (const [key, child] of Object.entries(node)) visit(child, `${where}.${key}`)
      }
    }
    for (const o of objectsOf(kustomization)) visit(o, `${o.kind}/${o.metadata.name}`)
    expect(literalSecrets).toEqual([])
  })

  it('requests and limits CPU and memory for every container', () => {
    for (const workload of workloads(kustomization)) {
      for (const container of containersOf(workload)) {
        for (const field of ['requests', 'limits']) {
          expect(
            getPath(container, 'resources', field, 'cpu'),
            `${workload.metadata.name} ${field}`,
          ).toBeDefined()
          expect(getPath(container, 'resources', field, 'memory')).toBeDefined()
        }
      }
    }
  })
})

describe.each(['overlays/dev', 'overlays/prod'])('the API in %s', (kustomization) => {
  const api = () => find(kustomization, 'Deployment', 'sportscan-api')
  const apiContainer = () => {
    const [container] = containersOf(api())
    if (!container) throw new Error('the API Deployment has no container')
    return container
  }

  it('runs at least 2 replicas, kept by the HPA on CPU and the PodDisruptionBudget', () => {
    expect(Number(getPath(api(), 'spec', 'replicas'))).toBeGreaterThanOrEqual(2)
    const hpa = find(kustomization, 'HorizontalPodAutoscaler', 'sportscan-api')
    expect(getPath(hpa, 'spec', 'scaleTargetRef', 'name')).toBe('sportscan-api')
    expect(Number(getPath(hpa, 'spec', 'minReplicas'))).toBeGreaterThanOrEqual(2)
    expect(getPath(hpa, 'spec', 'metrics', 0, 'resource', 'name')).toBe('cpu')
    const pdb = find(kustomization, 'PodDisruptionBudget', 'sportscan-api')
    expect(getPath(pdb, 'spec', 'selector')).toEqual(getPath(api(), 'spec', 'selector'))
  })

  it('probes the real routes on the port the app listens on (PORT from the ConfigMap)', () => {
    const config = find(kustomization, 'ConfigMap', 'sportscan-config')
    const port = Number(getPath(config, 'data', 'PORT'))
    expect(getPath(config, 'data', 'HOST')).toBe('0.0.0.0')
    const ports = getPath(apiContainer(), 'ports')
    const http = Array.isArray(ports) ? ports.find((p) => getPath(p, 'name') === 'http') : undefined
    expect(getPath(http, 'containerPort')).toBe(port)
    const probes = {
      startupProbe: '/health',
      livenessProbe: '/health',
      readinessProbe: '/ready',
    }
    for (const [probe, route] of Object.entries(probes)) {
      expect(getPath(apiContainer(), probe, 'httpGet', 'path'), probe).toBe(route)
      expect(APP_ROUTES).toContain(route)
      expect(getPath(apiContainer(), probe, 'httpGet', 'port'), probe).toBe('http')
    }
  })

  it("holds a ConfigMap the app's own config loader accepts, trusting the ingress as one proxy hop", () => {
    const data = getPath(find(kustomization, 'ConfigMap', 'sportscan-config'), 'data')
    const env = Object.fromEntries(
      Object.entries(data as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
    )
    const config = loadConfig(env)
    expect(config.server.host).toBe('0.0.0.0')
    expect(config.server.trustProxy).toBe(1)
  })

  it('wires the config, the DATABASE_URL Secret and the SPORTSCAN_HOME volume', () => {
    const config = find(kustomization, 'ConfigMap', 'sportscan-config')
    expect(getPath(apiContainer(), 'envFrom', 0, 'configMapRef', 'name')).toBe('sportscan-config')
    const env = getPath(apiContainer(), 'env')
    const databaseUrl = Array.isArray(env)
      ? env.find((e) => getPath(e, 'name') === 'DATABASE_URL')
      : undefined
    expect(getPath(databaseUrl, 'valueFrom', 'secretKeyRef', 'name')).toEqual(expect.any(String))
    const home = getPath(config, 'data', 'SPORTSCAN_HOME')
    const mounts = getPath(apiContainer(), 'volumeMounts')
    const homeMount = Array.isArray(mounts) ? mounts.find((m) => getPath(m, 'mountPath') === home) : undefined
    const volumes = getPath(podSpecOf(api()), 'volumes')
    const volume = Array.isArray(volumes)
      ? volumes.find((v) => getPath(v, 'name') === getPath(homeMount, 'name'))
      : undefined
    const claim = getPath(volume, 'persistentVolumeClaim', 'claimName')
    expect(
      objectsOf(kustomization).some((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === claim),
    ).toBe(true)
  })

  it('drains on termination: a preStop pause shorter than the grace period', () => {
    const command = getPath(apiContainer(), 'lifecycle', 'preStop', 'exec', 'command')
    expect(Array.isArray(command) && command[0] === 'sleep').toBe(true)
    const pause = Array.isArray(command) ? Number(command[1]) : NaN
    expect(Number(getPath(podSpecOf(api()), 'terminationGracePeriodSeconds'))).toBeGreaterThan(pause)
  })

  it('starts the same command as the image and routes the Service and Ingress to it', async () => {
    const image = parseDockerfile(await readFile(repoPath('Dockerfile'), 'utf8')).runtime
    expect(getPath(apiContainer(), 'args')).toEqual(image.cmd)
    const service = find(kustomization, 'Service', 'sportscan-api')
    expect(getPath(service, 'spec', 'selector')).toEqual(getPath(api(), 'spec', 'selector', 'matchLabels'))
    expect(getPath(service, 'spec', 'ports', 0, 'targetPort')).toBe('http')
    const ingress = find(kustomization, 'Ingress', 'sportscan')
    expect(getPath(ingress, 'spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service', 'name')).toBe(
      'sportscan-api',
    )
  })

  it('retrains on a schedule with the gate script shipped in the image', () => {
    const cron = find(kustomization, 'CronJob', 'sportscan-retrain')
    expect(getPath(cron, 'spec', 'concurrencyPolicy')).toBe('Forbid')
    expect(getPath(containersOf(cron)[0], 'args')).toEqual(['deploy/scripts/retrain.sh'])
  })
})

describe('environment differences', () => {
  const imageOf = (k: string, kind: string, name: string) =>
    getPath(containersOf(find(k, kind, name))[0], 'image')

  it('pins the prod image to a version tag, never latest, the same for the app and the training Job', () => {
    const image = String(imageOf('overlays/prod', 'Deployment', 'sportscan-api'))
    expect(image).toMatch(/:[0-9A-Za-z][\w.-]*$/)
    expect(image).not.toMatch(/:latest$/)
    expect(imageOf('overlays/prod', 'CronJob', 'sportscan-retrain')).toBe(image)
    expect(imageOf('overlays/prod/training', 'Job', 'sportscan-train')).toBe(image)
  })

  it('gives dev its own PostgreSQL StatefulSet and prod none (external database)', () => {
    expect(objectsOf('overlays/dev').some((o) => o.kind === 'StatefulSet')).toBe(true)
    expect(objectsOf('overlays/prod').some((o) => o.kind === 'StatefulSet')).toBe(false)
    const env = getPath(containersOf(find('overlays/dev', 'Deployment', 'sportscan-api'))[0], 'env', 0)
    const postgresService = find('overlays/dev', 'Service', 'sportscan-postgres')
    expect(postgresService.metadata.namespace).toBe('sportscan-dev')
    expect(getPath(env, 'valueFrom', 'secretKeyRef', 'name')).toBe('sportscan-database')
  })

  it('points the prod workloads at the database Secret that CloudNativePG generates', () => {
    for (const [k, kind, name] of [
      ['overlays/prod', 'Deployment', 'sportscan-api'],
      ['overlays/prod', 'CronJob', 'sportscan-retrain'],
      ['overlays/prod/training', 'Job', 'sportscan-train'],
    ] as const) {
      const env = getPath(containersOf(find(k, kind, name))[0], 'env', 0)
      expect(getPath(env, 'name')).toBe('DATABASE_URL')
      expect(getPath(env, 'valueFrom', 'secretKeyRef')).toEqual({ name: 'sportscan-db-app', key: 'uri' })
    }
  })
})

import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { applyJsonPatch, parseJsonPatch } from './json-patch.js'
import {
  cloneJson,
  getPath,
  isJsonObject,
  isK8sObject,
  parseYamlDocuments,
  type Json,
  type JsonObject,
  type K8sObject,
} from './manifest-object.js'
import { strategicMerge } from './strategic-merge.js'

/**
 * Renders a kustomization without the kustomize binary, for the subset of kustomize our manifests use:
 * `resources` (files and folders), `patches` (strategic merge or JSON 6902, by `path` or inline, with an
 * optional `target`), `namespace`, `labels` (without selectors) and `images`, applied in kustomize's
 * order (patches, namespace, labels, images). Any other field throws, so a manifest change that needs
 * more of kustomize fails the tests instead of rendering wrongly.
 */
const SUPPORTED_FIELDS = new Set([
  'apiVersion',
  'kind',
  'resources',
  'patches',
  'namespace',
  'labels',
  'images',
])

/** Kinds the namespace transformer leaves alone. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'CustomResourceDefinition',
  'PriorityClass',
])

export async function renderKustomization(dir: string): Promise<K8sObject[]> {
  const file = path.join(dir, 'kustomization.yaml')
  const [doc] = parseYamlDocuments(await readFile(file, 'utf8'), file)
  if (!isJsonObject(doc)) throw new Error(`${file}: not a mapping`)
  const unsupported = Object.keys(doc).filter((key) => !SUPPORTED_FIELDS.has(key))
  if (unsupported.length > 0) throw new Error(`${file}: unsupported fields ${unsupported.join(', ')}`)
  if (doc.kind !== 'Kustomization') throw new Error(`${file}: kind must be Kustomization`)

  let objects: K8sObject[] = []
  for (const resource of stringList(doc.resources, `${file} resources`)) {
    objects.push(...(await loadResource(path.resolve(dir, resource))))
  }
  for (const [i, entry] of list(doc.patches, `${file} patches`).entries()) {
    objects = await applyPatchEntry(objects, entry, dir, `${file} patches[${i}]`)
  }
  if (doc.namespace !== undefined) {
    if (typeof doc.namespace !== 'string') throw new Error(`${file}: namespace must be a string`)
    const namespace = doc.namespace
    objects = objects.map((o) => (CLUSTER_SCOPED.has(o.kind) ? o : withMetadata(o, { namespace })))
  }
  for (const [i, entry] of list(doc.labels, `${file} labels`).entries()) {
    objects = objects.map((o) => applyLabels(o, entry, `${file} labels[${i}]`))
  }
  for (const [i, entry] of list(doc.images, `${file} images`).entries()) {
    objects = objects.map((o) => applyImage(o, entry, `${file} images[${i}]`))
  }
  return objects
}

async function loadResource(target: string): Promise<K8sObject[]> {
  if ((await stat(target)).isDirectory()) return renderKustomization(target)
  return parseYamlDocuments(await readFile(target, 'utf8'), target).map((doc, i) => {
    if (!isK8sObject(doc)) throw new Error(`${target} document ${i}: not a Kubernetes object with a name`)
    return doc
  })
}

function list(value: Json | undefined, what: string): Json[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) throw new Error(`${what} must be a list`)
  return value
}

function stringList(value: Json | undefined, what: string): string[] {
  return list(value, what).map((item) => {
    if (typeof item !== 'string') throw new Error(`${what}: every item must be a string`)
    return item
  })
}

function withMetadata(object: K8sObject, fields: JsonObject): K8sObject {
  return { ...cloneJson(object), metadata: { ...cloneJson(object.metadata), ...fields } }
}

interface PatchTarget {
  kind?: string
  name?: string
  group?: string
  version?: string
}

function parseTarget(value: Json | undefined, where: string): PatchTarget | undefined {
  if (value === undefined) return undefined
  if (!isJsonObject(value)) throw new Error(`${where}: target must be a mapping`)
  const target: PatchTarget = {}
  for (const [key, field] of Object.entries(value)) {
    if (key !== 'kind' && key !== 'name' && key !== 'group' && key !== 'version') {
      throw new Error(`${where}: target field "${key}" is not supported by this renderer`)
    }
    if (typeof field !== 'string') throw new Error(`${where}: target.${key} must be a string`)
    target[key] = field
  }
  return target
}

function matchesTarget(object: K8sObject, target: PatchTarget): boolean {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : ['', object.apiVersion]
  return (
    (target.kind === undefined || target.kind === object.kind) &&
    (target.name === undefined || target.name === object.metadata.name) &&
    (target.group === undefined || target.group === group) &&
    (target.version === undefined || target.version === version)
  )
}

async function applyPatchEntry(
  objects: K8sObject[],
  entry: Json,
  dir: string,
  where: string,
): Promise<K8sObject[]> {
  if (!isJsonObject(entry)) throw new Error(`${where}: must be a mapping`)
  const extra = Object.keys(entry).filter((k) => !['path', 'patch', 'target'].includes(k))
  if (extra.length > 0) throw new Error(`${where}: unsupported fields ${extra.join(', ')}`)
  let body: Json[]
  if (typeof entry.path === 'string') {
    const file = path.resolve(dir, entry.path)
    body = parseYamlDocuments(await readFile(file, 'utf8'), file)
  } else if (typeof entry.patch === 'string') {
    body = parseYamlDocuments(entry.patch, where)
  } else throw new Error(`${where}: needs "path" or "patch"`)
  if (body.length !== 1) throw new Error(`${where}: a patch holds exactly one document`)
  const [patch] = body
  let target = parseTarget(entry.target, where)

  let transform: (object: K8sObject) => Json
  if (Array.isArray(patch)) {
    if (!target) throw new Error(`${where}: a JSON 6902 patch needs a target`)
    const operations = parseJsonPatch(patch, where)
    transform = (object) => applyJsonPatch(object, operations)
  } else if (isK8sObject(patch)) {
    target ??= { kind: patch.kind, name: patch.metadata.name }
    transform = (object) => strategicMerge(object, patch)
  } else throw new Error(`${where}: a patch is a JSON 6902 list or a Kubernetes object`)

  let matched = 0
  const out = objects.map((object) => {
    if (!target || !matchesTarget(object, target)) return object
    matched += 1
    const patched = transform(object)
    if (!isK8sObject(patched))
      throw new Error(`${where}: the patch broke ${object.kind}/${object.metadata.name}`)
    return patched
  })
  // kustomize fails on a patch whose target is missing; a silent no-op would hide a renamed resource
  if (matched === 0) throw new Error(`${where}: no resource matches ${JSON.stringify(target)}`)
  return out
}

/** Where kustomize's label transformer writes with `includeTemplates: true` (selectors left alone). */
const TEMPLATE_LABEL_PATHS: Record<string, string[][]> = {
  Deployment: [['spec', 'template', 'metadata']],
  StatefulSet: [['spec', 'template', 'metadata']],
  DaemonSet: [['spec', 'template', 'metadata']],
  ReplicaSet: [['spec', 'template', 'metadata']],
  Job: [['spec', 'template', 'metadata']],
  CronJob: [
    ['spec', 'jobTemplate', 'metadata'],
    ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
  ],
}

function applyLabels(object: K8sObject, entry: Json, where: string): K8sObject {
  if (!isJsonObject(entry) || !isJsonObject(entry.pairs)) throw new Error(`${where}: needs "pairs"`)
  if (entry.includeSelectors === true) throw new Error(`${where}: includeSelectors is not supported`)
  const pairs: Record<string, string> = {}
  for (const [key, value] of Object.entries(entry.pairs)) {
    if (typeof value !== 'string') throw new Error(`${where}: label ${key} must be a string`)
    pairs[key] = value
  }
  const out = cloneJson(object)
  const addTo = (metadata: JsonObject): void => {
    metadata.labels = { ...(isJsonObject(metadata.labels) ? metadata.labels : {}), ...pairs }
  }
  addTo(out.metadata)
  if (entry.includeTemplates === true) {
    for (const keys of TEMPLATE_LABEL_PATHS[object.kind] ?? []) {
      const parent = getPath(out, ...keys.slice(0, -1))
      if (!isJsonObject(parent)) continue
      const metadata = isJsonObject(parent.metadata) ? parent.metadata : {}
      parent.metadata = metadata
      addTo(metadata)
    }
  }
  return out
}

/** `name[:tag][@digest]` → name, as the images transformer matches it. */
function imageName(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image
  const lastSlash = withoutDigest.lastIndexOf('/')
  const colon = withoutDigest.lastIndexOf(':')
  return colon > lastSlash ? withoutDigest.slice(0, colon) : withoutDigest
}

function applyImage(object: K8sObject, entry: Json, where: string): K8sObject {
  if (!isJsonObject(entry) || typeof entry.name !== 'string') throw new Error(`${where}: needs "name"`)
  const { name, newName, newTag, digest } = entry
  for (const [key, value] of Object.entries({ newName, newTag, digest })) {
    if (value !== undefined && typeof value !== 'string') throw new Error(`${where}: ${key} must be a string`)
  }
  const out = cloneJson(object)
  const visit = (node: Json): void => {
    if (Array.isArray(node)) node.forEach(visit)
    else if (isJsonObject(node)) {
      for (const [key, child] of Object.entries(node)) {
        if ((key === 'containers' || key === 'initContainers') && Array.isArray(child)) {
          for (const container of child) {
            if (!isJsonObject(container) || typeof container.image !== 'string') continue
            if (imageName(container.image) !== name) continue
            const base = typeof newName === 'string' ? newName : name
            if (typeof digest === 'string') container.image = `${base}@${digest}`
            else if (typeof newTag === 'string') container.image = `${base}:${newTag}`
            else container.image = container.image.replace(name, base)
          }
        }
        visit(child)
      }
    }
  }
  visit(out)
  return out
}

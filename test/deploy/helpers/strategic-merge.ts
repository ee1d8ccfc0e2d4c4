import { cloneJson, isJsonObject, type Json, type JsonObject } from './manifest-object.js'

/**
 * The subset of Kubernetes strategic-merge-patch semantics our overlays use: objects merge key by key,
 * `null` deletes a key, and lists of objects merge by their patch merge key (the `name` of containers,
 * env, volumes; `containerPort` of ports; `mountPath` of volumeMounts). Other lists are replaced, as
 * the API does for lists without a merge key. `$patch` directives are refused rather than ignored.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  imagePullSecrets: 'name',
}

export function strategicMerge(base: Json, patch: Json, field = ''): Json {
  if (isJsonObject(patch) && Object.keys(patch).some((k) => k.startsWith('$'))) {
    throw new Error(`strategic merge directive in "${field}" is not supported by this renderer`)
  }
  if (isJsonObject(base) && isJsonObject(patch)) {
    const out: JsonObject = cloneJson(base)
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key]
      else out[key] = key in out ? strategicMerge(out[key] ?? null, value, key) : cloneJson(value)
    }
    return out
  }
  const mergeKey = MERGE_KEYS[field]
  if (Array.isArray(base) && Array.isArray(patch) && mergeKey) return mergeList(base, patch, mergeKey, field)
  return cloneJson(patch)
}

function mergeList(base: Json[], patch: Json[], mergeKey: string, field: string): Json[] {
  const out = cloneJson(base)
  for (const item of patch) {
    const key = isJsonObject(item) ? item[mergeKey] : undefined
    if (key === undefined) throw new Error(`an item of "${field}" in a patch has no "${mergeKey}"`)
    const index = out.findIndex((existing) => isJsonObject(existing) && existing[mergeKey] === key)
    if (index === -1) out.push(cloneJson(item))
    else out[index] = strategicMerge(out[index] ?? null, item, field)
  }
  return out
}

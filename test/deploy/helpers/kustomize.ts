import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { isK8sObject, parseYamlDocuments, type K8sObject } from './manifest-object.js'

const run = promisify(execFile)

/**
 * Renders a kustomization with the real `kubectl kustomize` (kubectl ships kustomize), as `kubectl apply -k`
 * and the mlops workflow do. A machine without kubectl fails here, loudly: these tests must never pass by
 * rendering nothing.
 */
export async function renderKustomization(dir: string): Promise<K8sObject[]> {
  let stdout: string
  try {
    ;({ stdout } = await run('kubectl', ['kustomize', dir], { maxBuffer: 16 * 1024 * 1024 }))
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') {
      throw new Error(
        'kubectl is not installed: the deploy tests render deploy/kubernetes with `kubectl kustomize` ' +
          '(https://kubernetes.io/docs/tasks/tools/)',
        { cause: err },
      )
    }
    throw err
  }
  const objects = parseYamlDocuments(stdout, `kubectl kustomize ${dir}`)
  const notObjects = objects.filter((o) => !isK8sObject(o))
  if (notObjects.length > 0) throw new Error(`kubectl kustomize ${dir} printed a non-object document`)
  return objects.filter(isK8sObject)
}

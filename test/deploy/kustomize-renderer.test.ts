import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, test } from '../fixtures.js'
import { applyJsonPatch, parseJsonPatch } from './helpers/json-patch.js'
import { renderKustomization } from './helpers/kustomize.js'
import { createKubernetesValidator } from './helpers/kubernetes-schema.js'
import { getPath } from './helpers/manifest-object.js'
import { strategicMerge } from './helpers/strategic-merge.js'

/** Writes `files` (relative path → text) under `root`. */
async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [relative, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, relative)), { recursive: true })
    await writeFile(path.join(root, relative), text)
  }
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: repo/web:1.0
          env: [{ name: A, value: '1' }, { name: B, value: '2' }]
        - name: sidecar
          image: busybox
`

describe('the test kustomize renderer', () => {
  test('applies resources, strategic and JSON patches, namespace, labels and images like kustomize', async ({
    tmpDir,
  }) => {
    await writeTree(tmpDir, {
      'base/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [web.yaml]\n',
      'base/web.yaml': DEPLOYMENT,
      'overlay/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
labels:
  - pairs: { tier: front }
    includeTemplates: true
resources: [../base]
images:
  - { name: repo/web, newName: registry.example/web, newTag: '2.0' }
patches:
  - path: more-env.yaml
  - target: { kind: Deployment, name: web }
    patch: |-
      - op: replace
        path: /spec/template/spec/containers/1/image
        value: busybox:1.36
`,
      'overlay/more-env.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: web
          env: [{ name: B, value: 'two' }, { name: C, value: '3' }]
`,
    })
    const [web, ...rest] = await renderKustomization(path.join(tmpDir, 'overlay'))
    expect(rest).toEqual([])
    expect(web?.metadata).toEqual({ name: 'web', namespace: 'shop', labels: { tier: 'front' } })
    expect(getPath(web, 'spec', 'replicas')).toBe(3)
    // selectors untouched (includeSelectors false), pod template labelled
    expect(getPath(web, 'spec', 'selector')).toEqual({ matchLabels: { app: 'web' } })
    expect(getPath(web, 'spec', 'template', 'metadata', 'labels')).toEqual({ app: 'web', tier: 'front' })
    // containers and env merge by name; other fields of the container survive
    expect(getPath(web, 'spec', 'template', 'spec', 'containers', 0)).toEqual({
      name: 'web',
      image: 'registry.example/web:2.0',
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: 'two' },
        { name: 'C', value: '3' },
      ],
    })
    expect(getPath(web, 'spec', 'template', 'spec', 'containers', 1, 'image')).toBe('busybox:1.36')
  })

  test('refuses fields it does not implement instead of rendering them wrongly', async ({ tmpDir }) => {
    await writeTree(tmpDir, {
      'kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamePrefix: x-\nresources: []\n',
    })
    await expect(renderKustomization(tmpDir)).rejects.toThrow(/unsupported fields namePrefix/)
  })

  test('fails on a patch whose target matches nothing', async ({ tmpDir }) => {
    await writeTree(tmpDir, {
      'kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [web.yaml]
patches:
  - target: { kind: Deployment, name: api }
    patch: '[{"op": "remove", "path": "/spec/replicas"}]'
`,
      'web.yaml': DEPLOYMENT,
    })
    await expect(renderKustomization(tmpDir)).rejects.toThrow(/no resource matches/)
  })
})

describe('JSON patch and strategic merge', () => {
  test('JSON patch adds, replaces, removes, tests, and fails on a missing path', () => {
    const doc = { a: { list: [1, 2] }, b: 'x' }
    const ops = parseJsonPatch(
      [
        { op: 'add', path: '/a/list/-', value: 3 },
        { op: 'add', path: '/a/list/0', value: 0 },
        { op: 'replace', path: '/b', value: 'y' },
        { op: 'remove', path: '/a/list/1' },
        { op: 'add', path: '/c~1d', value: true },
        { op: 'test', path: '/b', value: 'y' },
      ],
      'ops',
    )
    expect(applyJsonPatch(doc, ops)).toEqual({ a: { list: [0, 2, 3] }, b: 'y', 'c/d': true })
    expect(doc).toEqual({ a: { list: [1, 2] }, b: 'x' })
    expect(() =>
      applyJsonPatch(doc, parseJsonPatch([{ op: 'replace', path: '/zz', value: 1 }], 'ops')),
    ).toThrow()
    expect(() => parseJsonPatch([{ op: 'move', path: '/a', from: '/b' }], 'ops')).toThrow(/not supported/)
  })

  test('strategic merge deletes with null, replaces lists without a merge key, refuses directives', () => {
    expect(strategicMerge({ a: 1, b: { c: 2, d: 3 }, args: ['x'] }, { b: { d: null }, args: ['y'] })).toEqual(
      {
        a: 1,
        b: { c: 2 },
        args: ['y'],
      },
    )
    expect(() => strategicMerge({ a: {} }, { a: { $patch: 'replace' } })).toThrow(/directive/)
  })
})

describe('the Kubernetes schema validator', () => {
  test('rejects unknown fields, wrong types, missing required fields and unknown kinds', async () => {
    const validator = await createKubernetesValidator()
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'web' }] },
        },
      },
    }
    expect(validator.validate(deployment)).toEqual([])
    expect(validator.validate({ ...deployment, spec: { ...deployment.spec, replica: 2 } })).not.toEqual([])
    expect(validator.validate({ ...deployment, spec: { ...deployment.spec, replicas: 'two' } })).not.toEqual(
      [],
    )
    // DeploymentSpec requires a template; Container requires a name
    expect(validator.validate({ ...deployment, spec: { selector: deployment.spec.selector } })).not.toEqual(
      [],
    )
    const unnamed = structuredClone(deployment)
    unnamed.spec.template.spec.containers = [{ name: '', image: 'web' }]
    expect(validator.validate(unnamed)).toEqual([])
    expect(
      validator.validate({
        ...deployment,
        spec: { ...deployment.spec, template: { spec: { containers: [{ image: 'web' }] } } },
      }),
    ).not.toEqual([])
    expect(validator.validate({ ...deployment, apiVersion: 'extensions/v1beta1' })).toEqual([
      'no schema for extensions/v1beta1 Deployment in Kubernetes definitions',
    ])
    // IntOrString and Quantity accept both forms, as the API server does
    const port = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { ports: [{ port: 80 }] },
    }
    expect(validator.validate({ ...port, spec: { ports: [{ port: 80, targetPort: 8000 }] } })).toEqual([])
    expect(validator.validate({ ...port, spec: { ports: [{ port: 80, targetPort: 'http' }] } })).toEqual([])
    expect(validator.validate({ ...port, spec: { ports: [{ port: 80, targetPort: true }] } })).not.toEqual([])
  })
})

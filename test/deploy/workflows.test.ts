import { readdir } from 'node:fs/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import { compileSchema } from './helpers/json-schema.js'
import { getPath, isJsonObject, type Json, type JsonObject } from './helpers/manifest-object.js'
import { readJsonSchema, readYamlMapping, repoPath } from './helpers/repo-files.js'

let validateWorkflow: (value: Json) => string[]
const workflows = new Map<string, JsonObject>()

beforeAll(async () => {
  validateWorkflow = compileSchema(await readJsonSchema('github-workflow.json'))
  for (const file of await readdir(repoPath('.github/workflows'))) {
    workflows.set(file, await readYamlMapping(`.github/workflows/${file}`))
  }
})

function workflow(file: string): JsonObject {
  const found = workflows.get(file)
  if (!found) throw new Error(`no .github/workflows/${file}`)
  return found
}

function jobs(file: string): Record<string, JsonObject> {
  const all = getPath(workflow(file), 'jobs')
  if (!isJsonObject(all)) throw new Error(`${file} has no jobs`)
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, JsonObject] => isJsonObject(e[1])))
}

function runScripts(file: string): string {
  return Object.values(jobs(file))
    .flatMap((job) => (Array.isArray(job.steps) ? job.steps : []))
    .map((step) => String(getPath(step, 'run') ?? ''))
    .join('\n')
}

describe('GitHub Actions workflows', () => {
  it('has ci.yml and mlops.yml, both valid against the SchemaStore workflow schema', () => {
    expect([...workflows.keys()].sort()).toEqual(['ci.yml', 'mlops.yml'])
    for (const [file, doc] of workflows) expect(validateWorkflow(doc), file).toEqual([])
  })

  it('the schema rejects a broken workflow (so passing means something)', () => {
    const broken = structuredClone(workflow('ci.yml'))
    broken.jobs = { test: { 'runs-on': 'ubuntu-24.04', steps: [{ uses: 'actions/checkout@v4', run: 'x' }] } }
    expect(validateWorkflow(broken)).not.toEqual([])
    expect(validateWorkflow({ ...workflow('ci.yml'), on: { pushh: {} } })).not.toEqual([])
  })

  it('uses secrets only through secrets.*: no literal credential in any env', () => {
    const literal: string[] = []
    const visit = (node: Json, where: string): void => {
      if (Array.isArray(node)) node.forEach((n, i) => visit(n, `${where}[${i}]`))
      else if (isJsonObject(node)) {
        for (const [key, value] of Object.entries(node)) {
          const credentialLike = /PASSWORD|TOKEN|SECRET|WEBHOOK|KUBECONFIG|API_KEY/i.test(key)
          if (credentialLike && typeof value === 'string' && !value.includes('${{ secrets.')) {
            literal.push(`${where}.${key}`)
          }
          visit(value, `${where}.${key}`)
        }
      }
    }
    for (const [file, doc] of workflows) visit(doc, file)
    expect(literal).toEqual([])
    // and no connection string carries a password
    for (const [file, doc] of workflows)
      expect(JSON.stringify(doc), file).not.toMatch(/postgres(ql)?:\/\/[^@/\s]+:[^@/\s]+@/)
  })
})

describe('ci.yml', () => {
  it('runs on push and pull request: install, lint, typecheck, tests against a postgres service, image build', () => {
    const on = getPath(workflow('ci.yml'), 'on')
    expect(isJsonObject(on) ? Object.keys(on) : on).toEqual(['push', 'pull_request'])
    const test = jobs('ci.yml').test
    expect(getPath(test, 'services', 'postgres', 'image')).toBe('postgres:16')
    expect(String(getPath(test, 'env', 'TEST_DATABASE_URL'))).toMatch(
      /^postgres:\/\/postgres@localhost:5432\//,
    )
    const scripts = runScripts('ci.yml')
    for (const command of ['npm ci', 'npm run lint', 'npm run typecheck', 'npm test'])
      expect(scripts).toContain(command)
    expect(scripts).toContain('/ready')
    expect(JSON.stringify(jobs('ci.yml').image)).toContain('docker/build-push-action')
  })
})

describe('mlops.yml', () => {
  it('runs on data/pipeline/model changes and on manual dispatch with epochs', () => {
    const on = getPath(workflow('mlops.yml'), 'on')
    const paths = getPath(on, 'push', 'paths')
    expect(paths).toEqual(
      expect.arrayContaining(['src/pipeline/**', 'src/model/**', 'src/data/**', 'pipelines/**']),
    )
    expect(getPath(on, 'workflow_dispatch', 'inputs', 'epochs')).toBeDefined()
    // promotion is the gate's decision alone (sportscan retrain), never a dispatch option
    expect(getPath(on, 'workflow_dispatch', 'inputs', 'promote')).toBeUndefined()
  })

  it('orders build -> train (gate) -> deploy -> smoke, and notifies on failure', () => {
    const all = jobs('mlops.yml')
    expect(getPath(all.train, 'needs')).toBe('build')
    expect(getPath(all.deploy, 'needs')).toEqual(expect.arrayContaining(['build', 'train']))
    expect(getPath(all.smoke, 'needs')).toBe('deploy')
    expect(getPath(all.notify, 'if')).toBe('failure()')
    const scripts = runScripts('mlops.yml')
    // only a candidate the gate promoted lets the new image ship
    expect(scripts).toContain('[ "$decision" = promoted ] || {')
    expect(scripts).toContain('kubectl apply -k deploy/kubernetes/overlays/prod')
    expect(scripts).toMatch(/\/ready/)
    expect(scripts).toMatch(/-F img=@\S+ "\$BASE_URL\/predict"/)
    // the image is tagged with the package version and the git SHA
    expect(scripts).toContain('tag=${version}-${GITHUB_SHA::12}')
  })
})

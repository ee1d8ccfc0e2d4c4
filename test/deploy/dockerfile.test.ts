import { access, readFile } from 'node:fs/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseDockerfile, type ParsedDockerfile } from './helpers/dockerfile.js'
import { readYamlMapping, repoPath } from './helpers/repo-files.js'
import { getPath } from './helpers/manifest-object.js'

let dockerfile: ParsedDockerfile
let ignored: string[]

beforeAll(async () => {
  dockerfile = parseDockerfile(await readFile(repoPath('Dockerfile'), 'utf8'))
  ignored = (await readFile(repoPath('.dockerignore'), 'utf8'))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
})

describe('Dockerfile', () => {
  it('builds in stages on node:20-slim and installs only production dependencies in the runtime', () => {
    expect(dockerfile.stages.map((s) => s.name)).toEqual(['build', 'prod-deps', 'runtime'])
    for (const stage of dockerfile.stages) expect(stage.from).toBe('node:20-slim')
    const prodInstall = dockerfile.stages[1]?.runs.join('\n') ?? ''
    // `prepare` would run the TypeScript build, which needs dev dependencies
    expect(prodInstall).toContain('npm ci --omit=dev --ignore-scripts')
    expect(dockerfile.stages[0]?.runs.join('\n')).toContain('npm run build')
  })

  it('makes the native TensorFlow backend an opt-in build argument', async () => {
    const text = await readFile(repoPath('Dockerfile'), 'utf8')
    expect(text).toMatch(/^ARG TFJS_NODE=0$/m)
    expect(dockerfile.stages[1]?.runs.join('\n')).toMatch(
      /if \[ "\$TFJS_NODE" = "1" \].*@tensorflow\/tfjs-node/,
    )
  })

  it('runs as a non-root numeric user under tini, listening on all interfaces', () => {
    const { runtime } = dockerfile
    expect(runtime.user).toMatch(/^[1-9][0-9]*(:[0-9]+)?$/)
    expect(runtime.entrypoint).toEqual(['/usr/bin/tini', '--'])
    expect(runtime.runs.join('\n')).toMatch(/apt-get install .*\btini\b.*fonts-dejavu-core/)
    expect(runtime.env.HOST).toBe('0.0.0.0')
    expect(runtime.cmd).toEqual(['node', 'dist/cli/main.js', 'serve'])
  })

  it('checks health on /health with node (no curl in slim) on the port it exposes', () => {
    const { runtime } = dockerfile
    expect(runtime.healthcheck?.[0]).toBe('node')
    expect(runtime.healthcheck?.join(' ')).toContain('/health')
    expect(runtime.expose).toEqual([runtime.env.PORT])
  })

  it('keeps SPORTSCAN_HOME on a volume and the bundled model inside the image', async () => {
    const { runtime } = dockerfile
    const text = await readFile(repoPath('Dockerfile'), 'utf8')
    expect(text).toContain(`VOLUME ["${runtime.env.SPORTSCAN_HOME}"]`)
    expect(runtime.contextCopies).toContain('models')
    expect(runtime.env.SPORTSCAN_BUNDLED_MODEL).toBe(`${runtime.workdir}/models/sports-ball-cnn`)
    // migrations are read from ../../drizzle relative to dist/db/client.js
    expect(runtime.contextCopies).toContain('drizzle')
  })

  it('copies only files that exist and that .dockerignore lets into the context', async () => {
    const copies = dockerfile.stages.flatMap((s) => s.contextCopies).filter((c) => c !== '.')
    for (const source of copies) {
      await access(repoPath(source))
      const top = source.split('/')[0] ?? source
      expect(ignored, `${source} is excluded by .dockerignore`).not.toContain(top)
      expect(ignored).not.toContain(source)
    }
    for (const stateOrSecret of ['node_modules', 'dist', '.sportscan', '.git', '**/.env']) {
      expect(ignored).toContain(stateOrSecret)
    }
  })

  it('agrees with compose and Kubernetes on port, home and start command', async () => {
    const { runtime } = dockerfile
    const compose = await readYamlMapping('compose.yaml')
    expect(getPath(compose, 'services', 'api', 'environment', 'PORT')).toBe(runtime.env.PORT)
    expect(getPath(compose, 'services', 'api', 'environment', 'SPORTSCAN_HOME')).toBe(
      runtime.env.SPORTSCAN_HOME,
    )
    const config = await readYamlMapping('deploy/kubernetes/base/configmap.yaml')
    expect(getPath(config, 'data', 'PORT')).toBe(runtime.env.PORT)
    expect(getPath(config, 'data', 'SPORTSCAN_HOME')).toBe(runtime.env.SPORTSCAN_HOME)
  })
})

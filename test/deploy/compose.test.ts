import { access } from 'node:fs/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import { compileSchema } from './helpers/json-schema.js'
import { getPath, type Json, type JsonObject } from './helpers/manifest-object.js'
import { readJsonSchema, readYamlMapping, repoPath } from './helpers/repo-files.js'

let compose: JsonObject
let validateCompose: (value: Json) => string[]

beforeAll(async () => {
  compose = await readYamlMapping('compose.yaml')
  validateCompose = compileSchema(await readJsonSchema('compose-spec.json'))
})

const service = (name: string) => getPath(compose, 'services', name)

describe('compose.yaml', () => {
  it('validates against the compose-spec schema', () => {
    expect(validateCompose(compose)).toEqual([])
  })

  it('the schema rejects an unknown service field (so passing means something)', () => {
    const broken = structuredClone(compose)
    const api = getPath(broken, 'services', 'api')
    if (api && typeof api === 'object' && !Array.isArray(api)) api.restartt = 'always'
    expect(validateCompose(broken)).not.toEqual([])
  })

  it('runs PostgreSQL 16 with a health check on a named volume', () => {
    expect(getPath(service('postgres'), 'image')).toBe('postgres:16')
    expect(String(getPath(service('postgres'), 'healthcheck', 'test', 1))).toContain('pg_isready')
    expect(getPath(service('postgres'), 'volumes', 0)).toBe('pgdata:/var/lib/postgresql/data')
    expect(getPath(compose, 'volumes')).toHaveProperty('pgdata')
  })

  it('starts the API after PostgreSQL is healthy, with DATABASE_URL pointing at it, listening on all interfaces', () => {
    expect(getPath(service('api'), 'depends_on', 'postgres', 'condition')).toBe('service_healthy')
    expect(String(getPath(service('api'), 'environment', 'DATABASE_URL'))).toMatch(
      /@postgres:5432\/sportscan$/,
    )
    expect(getPath(service('api'), 'environment', 'HOST')).toBe('0.0.0.0')
    expect(getPath(service('api'), 'environment', 'PORT')).toBe('8000')
    expect(getPath(service('api'), 'ports', 0)).toMatch(/:8000$/)
    expect(String(getPath(service('api'), 'healthcheck', 'test'))).toContain('/ready')
    expect(getPath(service('api'), 'volumes', 0)).toBe('sportscan-home:/var/lib/sportscan')
  })

  it('has a trainer under a profile that shares the registry volume and runs the gate script', async () => {
    expect(getPath(service('trainer'), 'profiles')).toEqual(['training'])
    expect(getPath(service('trainer'), 'volumes', 0)).toBe('sportscan-home:/var/lib/sportscan')
    expect(String(getPath(service('trainer'), 'volumes', 1))).toMatch(/:\/data:ro$/)
    expect(getPath(service('trainer'), 'environment', 'DATASET_DIR')).toBe('/data/sports-balls')
    expect(getPath(service('trainer'), 'environment', 'SPLIT_FILE')).toBe(
      '/data/${SPORTSCAN_SPLIT_NAME:-sports-balls-split.json}',
    )
    expect(getPath(service('trainer'), 'command')).toEqual(['deploy/scripts/retrain.sh'])
    await access(repoPath('deploy/scripts/retrain.sh'))
  })

  it('keeps the database password out of the file (only a local default behind a variable)', () => {
    expect(getPath(service('postgres'), 'environment', 'POSTGRES_PASSWORD')).toBe(
      '${POSTGRES_PASSWORD:-sportscan}',
    )
  })
})

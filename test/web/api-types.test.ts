import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { API_TYPES_FILE, readOpenApiDocument, renderApiTypes } from '../../scripts/api-types.js'

describe("the dashboard's generated API types", () => {
  it('match what the server documents now (else run `npm run generate:api`)', async () => {
    const generated = await renderApiTypes(await readOpenApiDocument())
    const committed = await readFile(API_TYPES_FILE, 'utf8')
    // A plain equality would print 3,000 lines; say what to do instead.
    expect(
      committed === generated,
      'src/web/src/lib/api-schema.generated.ts is stale: run `npm run generate:api`',
    ).toBe(true)
  })
})

import { writeFile } from 'node:fs/promises'
import { API_TYPES_FILE, readOpenApiDocument, renderApiTypes } from './api-types.js'

await writeFile(API_TYPES_FILE, await renderApiTypes(await readOpenApiDocument()))
console.log(`wrote ${API_TYPES_FILE}`)

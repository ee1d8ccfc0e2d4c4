import { fileURLToPath } from 'node:url'

// src/pipeline/ and dist/pipeline/ both sit two levels below the package root.
/** The pipeline `sportscan pipeline run` runs when given no file. */
export const DEFAULT_PIPELINE_FILE = fileURLToPath(
  new URL('../../pipelines/sports-ball-classification.yaml', import.meta.url),
)

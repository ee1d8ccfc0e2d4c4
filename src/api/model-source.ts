import type { DatabaseHandle } from '../db/index.js'
import { AliasNotFoundError, ModelNotFoundError, resolveModelRef } from '../registry/index.js'
import type { ModelSource } from './model-holder.js'

/** The registry name of the served model; its `production` alias picks the version. */
export const SERVED_MODEL_NAME = 'sports-ball-cnn'

/**
 * Where the model to serve is: the registry's `<name>@production`, or, on a fresh clone with an empty
 * registry, the model bundled in the repository. Other registry errors (database down) propagate, so a
 * polling refresh keeps the current model rather than falling back to the bundled one.
 */
export async function locateServedModel(
  db: DatabaseHandle,
  options: { name?: string; bundledModelDir: string },
): Promise<ModelSource> {
  const name = options.name ?? SERVED_MODEL_NAME
  try {
    const resolved = await resolveModelRef(db.db, `${name}@production`)
    return {
      key: `registry:${resolved.row.id}`,
      dir: resolved.artifactPath,
      ref: resolved.ref,
      origin: 'registry',
    }
  } catch (err) {
    if (!(err instanceof AliasNotFoundError) && !(err instanceof ModelNotFoundError)) throw err
  }
  return { key: `bundled:${options.bundledModelDir}`, dir: options.bundledModelDir, origin: 'bundled' }
}

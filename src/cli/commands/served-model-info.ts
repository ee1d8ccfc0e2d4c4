import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Config } from '../../config/index.js'
import type { Queryable } from '../../db/index.js'
import { ARTIFACT_FILES, readArtifactSidecar } from '../../model/index.js'
import { NoServedModelError, resolveServedModel, type ServedModel } from '../../registry/index.js'

/** The model `serve` would answer with when it is not a registry version (the bundled one on a fresh clone). */
export interface UnregisteredServedModel {
  ref: string
  origin: ServedModel['origin']
  dir: string
  metrics: Record<string, unknown>
  hasModelCard: boolean
}

/**
 * Asks the registry's resolver (the one place that decides what serves) and describes the answer when it
 * comes from outside the registry; undefined when a registry version serves or nothing can.
 */
export async function findUnregisteredServedModel(
  db: Queryable,
  serving: Config['serving'],
): Promise<UnregisteredServedModel | undefined> {
  let served: ServedModel
  try {
    served = await resolveServedModel(db, serving)
  } catch (err) {
    if (err instanceof NoServedModelError) return undefined
    throw err
  }
  if (served.origin === 'registry') return undefined
  const [sidecar, metricsText, card] = await Promise.all([
    readArtifactSidecar(served.dir),
    readFile(path.join(served.dir, ARTIFACT_FILES.metrics), 'utf8').catch(() => null),
    readFile(path.join(served.dir, 'README.md'), 'utf8').then(
      () => true,
      () => false,
    ),
  ])
  const parsed: unknown = metricsText === null ? {} : JSON.parse(metricsText)
  const metrics =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? Object.fromEntries(Object.entries(parsed))
      : {}
  const ref = sidecar.metadata
    ? `${sidecar.metadata.name}@${sidecar.metadata.version}`
    : `${path.basename(served.dir)}@local`
  return { ref, origin: served.origin, dir: served.dir, metrics, hasModelCard: card }
}

import { readFile } from 'node:fs/promises'
import { listDatasetRows, type DatasetRow, type Queryable } from '../db/index.js'
import { parseManifest, type DatasetEntry, type DatasetManifest } from './dataset-manifest.js'
import { DatasetNotFoundError, DatasetVersionAmbiguousError, ManifestInvalidError } from './errors.js'
import { hasErrorCode } from './errno.js'
import { manifestPath, objectPath } from './object-store.js'

const VERSION_PATTERN = /^[0-9a-f]{64}$/

/** Reads and checks the manifest of a dataset version from `<home>/datasets/<version>.json`. */
export async function loadManifest(home: string, version: string): Promise<DatasetManifest> {
  // The version names a file: anything but 64 hex digits could walk out of the folder.
  if (!VERSION_PATTERN.test(version)) throw new DatasetNotFoundError(version)
  const file = manifestPath(home, version)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if (hasErrorCode(err, 'ENOENT')) throw new DatasetNotFoundError(version)
    throw err
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new ManifestInvalidError(file, [`not JSON (${err instanceof Error ? err.message : String(err)})`])
  }
  const manifest = parseManifest(value, file)
  if (manifest.version !== version) {
    throw new ManifestInvalidError(file, [`holds version ${manifest.version}, not ${version}`])
  }
  return manifest
}

/** A recorded dataset version, as `data list` shows it. */
export type DatasetSummary = DatasetRow

/** Every recorded dataset version, newest first. */
export async function listDatasets(db: Queryable): Promise<DatasetSummary[]> {
  return listDatasetRows(db)
}

/**
 * Expands a version prefix typed by a person (`data show 155bb9f8`) to the one recorded version it starts
 * with. Throws DatasetNotFoundError when none does, DatasetVersionAmbiguousError when several do.
 */
export async function resolveDatasetVersion(db: Queryable, prefix: string): Promise<string> {
  const wanted = prefix.trim().toLowerCase()
  if (!/^[0-9a-f]{1,64}$/.test(wanted)) throw new DatasetNotFoundError(prefix)
  const matches = (await listDatasetRows(db)).map((r) => r.version).filter((v) => v.startsWith(wanted))
  if (matches.length === 0) throw new DatasetNotFoundError(prefix)
  if (matches.length > 1) throw new DatasetVersionAmbiguousError(prefix, matches)
  return matches[0] ?? wanted
}

/** Path of the stored bytes of an entry (content-addressed, so shared by every version holding them). */
export function resolveEntryPath(home: string, entry: Pick<DatasetEntry, 'sha256'>): string {
  return objectPath(home, entry.sha256)
}

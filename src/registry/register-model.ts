import { randomBytes } from 'node:crypto'
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import {
  type Database,
  type ModelRow,
  insertModel,
  selectMaxModelVersion,
  selectModelByVersion,
} from '../db/index.js'
import { copyDirectoryDurably, syncDirectory } from './durable-fs.js'
import { ArtifactMissingError, RegistrationFailedError } from './errors.js'
import { assertModelName, formatModelRef } from './model-ref.js'

export interface RegisterModelInput {
  home: string
  name: string
  /** Folder written by the model code (`saveModelArtifact`); copied, never moved. */
  artifactDir: string
  architecture: string
  datasetVersion?: string | null
  split?: Record<string, unknown> | null
  params?: Record<string, unknown>
  metrics?: Record<string, unknown>
  codeVersion?: string | null
  trainingSeconds?: number | null
}

export interface RegisteredModel {
  ref: string
  row: ModelRow
  artifactPath: string
}

const TMP_PREFIX = '.tmp-'
const MAX_ATTEMPTS = 8

export function registryRoot(home: string): string {
  return path.join(home, 'registry')
}

/**
 * Registers a model atomically. The artifact is first copied and fsynced under `registry/.tmp-*`; then one
 * transaction allocates the next version, inserts the row (the unique index makes a concurrent registrant
 * wait, then fail and retry with the next number), renames the folder into `registry/<name>/<version>` and
 * commits. Only rows are visible: a crash before the commit leaves at most a folder without a row, which no
 * lookup can reach and the next registrant of that version replaces.
 */
export async function registerModel(db: Database, input: RegisterModelInput): Promise<RegisteredModel> {
  assertModelName(input.name)
  const source = path.resolve(input.artifactDir)
  try {
    if (!(await stat(source)).isDirectory()) throw new Error('not a folder')
  } catch (err) {
    throw new ArtifactMissingError(source, err)
  }
  const root = registryRoot(input.home)
  const tmpDir = path.join(root, `${TMP_PREFIX}${Date.now()}-${randomBytes(6).toString('hex')}`)
  await mkdir(root, { recursive: true })
  try {
    await copyDirectoryDurably(source, tmpDir)
    const nameDir = path.join(root, input.name)
    await mkdir(nameDir, { recursive: true })
    for (let attempt = 1; ; attempt++) {
      try {
        return await insertInTransaction(db, input, tmpDir, nameDir)
      } catch (err) {
        if (!isUniqueViolation(err) || attempt >= MAX_ATTEMPTS) throw err
      }
    }
  } catch (err) {
    await rm(tmpDir, { recursive: true, force: true })
    throw err instanceof ArtifactMissingError ? err : new RegistrationFailedError(input.name, err)
  }
}

async function insertInTransaction(
  db: Database,
  input: RegisterModelInput,
  tmpDir: string,
  nameDir: string,
): Promise<RegisteredModel> {
  let moved: string | undefined
  try {
    return await db.transaction(async (tx) => {
      const version = (await selectMaxModelVersion(tx, input.name)) + 1
      const finalDir = path.join(nameDir, String(version))
      const row = await insertModel(tx, {
        name: input.name,
        version,
        artifactPath: finalDir,
        architecture: input.architecture,
        datasetVersion: input.datasetVersion ?? null,
        split: input.split ?? null,
        params: input.params ?? {},
        metrics: input.metrics ?? {},
        codeVersion: input.codeVersion ?? null,
        trainingSeconds: input.trainingSeconds ?? null,
      })
      // Holding the (name, version) key now: a folder already there was left by a registrant that died
      // before its commit, so it belongs to no row and can go.
      await rm(finalDir, { recursive: true, force: true })
      await rename(tmpDir, finalDir)
      moved = finalDir
      await syncDirectory(nameDir)
      return { ref: formatModelRef(input.name, version), row, artifactPath: finalDir }
    })
  } catch (err) {
    if (moved) {
      // A commit can fail on the client side yet have landed (connection lost while it was acknowledged):
      // then the row is visible and the folder must stay where it points.
      const landed = await selectModelByVersion(db, input.name, Number(path.basename(moved))).catch(
        () => undefined,
      )
      if (landed?.artifactPath === moved) {
        return { ref: formatModelRef(landed.name, landed.version), row: landed, artifactPath: moved }
      }
      // The row did not commit: put the copy back so a retry (or the caller's cleanup) finds it.
      await rename(moved, tmpDir).catch(() => undefined)
    }
    throw err
  }
}

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === '23505') return true
  }
  return false
}

/**
 * Removes temporary copies left by registrations that died, if older than `minAgeMs` (so one in flight
 * in another process is left alone). Returns the folders removed.
 */
export async function cleanupRegistryTmp(home: string, minAgeMs = 60 * 60 * 1000): Promise<string[]> {
  const root = registryRoot(home)
  let names: string[]
  try {
    names = await readdir(root)
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return []
    throw err
  }
  const removed: string[] = []
  const now = Date.now()
  for (const name of names.filter((n) => n.startsWith(TMP_PREFIX))) {
    const dir = path.join(root, name)
    const info = await stat(dir).catch(() => undefined)
    if (info && now - info.mtimeMs >= minAgeMs) {
      await rm(dir, { recursive: true, force: true })
      removed.push(dir)
    }
  }
  return removed
}

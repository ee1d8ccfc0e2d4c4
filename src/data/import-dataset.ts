import { access } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { insertDatasetRow, type Queryable } from '../db/index.js'
import type { Logger } from '../log/index.js'
import { writeFileAtomic } from './atomic-write.js'
import { hashFile } from './content-hash.js'
import { buildManifest, countByClass, type DatasetEntry, type DatasetManifest } from './dataset-manifest.js'
import { hasErrorCode } from './errno.js'
import { EmptyDatasetError, OperationAbortedError } from './errors.js'
import { decodeImageInfo } from './image-info.js'
import { loadManifest } from './load-dataset.js'
import { mapConcurrent } from './map-concurrent.js'
import { hasObject, manifestPath, storeObject } from './object-store.js'
import { verifyImageDecodes } from './preprocess.js'
import { scanSource, type SourceFile } from './scan-source.js'

export interface ImportProgress {
  done: number
  total: number
  /** `checking`: hashing and decoding each file; `storing`: adding new bytes to the object store. */
  phase: 'checking' | 'storing'
}

export interface ImportOptions {
  /** SPORTSCAN_HOME: objects go to `<home>/data/objects`, manifests to `<home>/datasets`. */
  home: string
  db: Queryable
  log: Logger
  onProgress?: (progress: ImportProgress) => void
  signal?: AbortSignal
  /** Merge onto this version: its entries plus the new ones; a path present in both takes the new bytes. */
  baseVersion?: string
  /** Files hashed and decoded at once; sharp decodes on libuv's pool, so a few per core keeps it busy. */
  concurrency?: number
  /** Decoded pixel limit per image; larger ones are skipped. */
  maxPixels?: number
}

export interface SkippedFile {
  /** Relative to the source folder, posix separators. */
  path: string
  reason: string
}

export interface ImportResult {
  version: string
  manifest: DatasetManifest
  /** Files left out, each with why (empty, undecodable, unsupported format, too large, outside a class folder). */
  skipped: SkippedFile[]
  /** False when this exact version was already recorded (nothing was written). */
  isNew: boolean
  /** Images whose bytes were not yet in the object store. */
  storedObjects: number
}

/**
 * Imports a class-per-folder image directory as a content-addressed dataset version. Every file is hashed
 * and fully decoded (through the preprocessing pipeline's decoder) before it is accepted; the version is the
 * hash of the sorted (label, path, sha256) lines, so the same content always yields the same version.
 * Order of writes (objects, then manifest, then the database row) means a crash leaves at worst unreferenced
 * objects, never a recorded version with missing bytes.
 */
export async function importDataset(sourceDir: string, options: ImportOptions): Promise<ImportResult> {
  const { home, db, log, onProgress, signal } = options
  const concurrency = options.concurrency ?? Math.max(2, os.availableParallelism() * 2)
  const root = path.resolve(sourceDir)
  const base = options.baseVersion ? await loadManifest(home, options.baseVersion) : undefined
  const scan = await scanSource(root)
  const skipped: SkippedFile[] = scan.ignored.slice()
  throwIfAborted(signal)

  const total = scan.files.length
  let done = 0
  onProgress?.({ done, total, phase: 'checking' })
  const checked = await mapConcurrent(
    scan.files,
    concurrency,
    async (file) => {
      const outcome = await checkFile(file, home, options.maxPixels, signal)
      onProgress?.({ done: ++done, total, phase: 'checking' })
      return outcome
    },
    signal,
  )
  const fresh: { entry: DatasetEntry; file: SourceFile }[] = []
  for (const outcome of checked) {
    if ('reason' in outcome) skipped.push(outcome)
    else fresh.push(outcome)
  }
  for (const s of skipped) log.debug({ path: s.path, reason: s.reason }, 'file left out of dataset')

  const freshPaths = new Set(fresh.map((f) => f.entry.path))
  const kept = base ? base.entries.filter((e) => !freshPaths.has(e.path)) : []
  const manifest = buildManifest([...kept, ...fresh.map((f) => f.entry)])
  if (manifest.entries.length === 0) throw new EmptyDatasetError(root)

  // One store per distinct hash: duplicate files inside the import would otherwise race on the same object.
  const unique = [...new Map(fresh.map((f) => [f.entry.sha256, f.file.absolutePath])).entries()]
  let storedDone = 0
  let storedObjects = 0
  onProgress?.({ done: 0, total: unique.length, phase: 'storing' })
  await mapConcurrent(
    unique,
    concurrency,
    async ([sha256, absolutePath]) => {
      if (await storeObject(home, absolutePath, sha256)) storedObjects++
      onProgress?.({ done: ++storedDone, total: unique.length, phase: 'storing' })
    },
    signal,
  )

  const file = manifestPath(home, manifest.version)
  if (!(await fileExists(file))) await writeFileAtomic(file, `${JSON.stringify(manifest, null, 1)}\n`)
  const isNew = await insertDatasetRow(db, {
    version: manifest.version,
    source: root,
    imageCount: manifest.entries.length,
    classCounts: countByClass(manifest.entries),
    parentVersion: base?.version ?? null,
  })
  log.info(
    {
      version: manifest.version,
      images: manifest.entries.length,
      classes: manifest.classes.length,
      skipped: skipped.length,
      storedObjects,
      isNew,
    },
    isNew ? 'dataset version recorded' : 'dataset version already recorded',
  )
  return { version: manifest.version, manifest, skipped, isNew, storedObjects }
}

async function checkFile(
  file: SourceFile,
  home: string,
  maxPixels: number | undefined,
  signal: AbortSignal | undefined,
): Promise<{ entry: DatasetEntry; file: SourceFile } | SkippedFile> {
  try {
    const { sha256, bytes } = await hashFile(file.absolutePath, signal)
    if (bytes === 0) return { path: file.relativePath, reason: 'empty file' }
    const info = await decodeImageInfo(file.absolutePath, { maxPixels })
    // Stored bytes passed this full decode when first imported; skipping it makes re-imports mostly hashing.
    if (!(await hasObject(home, sha256))) await verifyImageDecodes(file.absolutePath, { maxPixels })
    const entry: DatasetEntry = {
      label: file.label,
      path: file.relativePath,
      sha256,
      bytes,
      width: info.width,
      height: info.height,
      format: info.format,
    }
    return { entry, file }
  } catch (err) {
    if (signal?.aborted) throw new OperationAbortedError(signal.reason)
    return { path: file.relativePath, reason: err instanceof Error ? err.message : String(err) }
  }
}

async function fileExists(file: string): Promise<boolean> {
  try {
    await access(file)
    return true
  } catch (err) {
    if (hasErrorCode(err, 'ENOENT')) return false
    throw err
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new OperationAbortedError(signal.reason)
}

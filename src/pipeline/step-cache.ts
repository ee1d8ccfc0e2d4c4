import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Value } from 'typebox/value'
import { syncDirectory, syncDirectoryTree } from '../registry/index.js'
import { StoredStepResultSchema, type JsonValue, type StoredStepResult } from './step-type.js'

const RESULT_FILE = 'result.json'
const OUT_DIR = 'out'

export function stepCacheRoot(home: string): string {
  return path.join(home, 'pipeline-cache')
}

/** JSON with object keys sorted at every level, so equal values always hash alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )
}

export interface StepKeyParts {
  type: string
  version: string
  params: Record<string, unknown>
  /** Per input: the upstream output's value, or for files the upstream key and output name. */
  inputs: Record<string, JsonValue>
  fingerprint: JsonValue
}

/** SHA-256 (hex) of everything that determines a step's result. */
export function computeStepKey(parts: StepKeyParts): string {
  return createHash('sha256').update(canonicalJson(parts)).digest('hex')
}

export interface CacheEntry extends StoredStepResult {
  /** `<cache>/<key>`; path outputs are relative to its `out/` folder. */
  dir: string
  outDir: string
}

/** The finished result for `key`, or undefined. A folder exists under its key only once complete. */
export async function readStepResult(cacheRoot: string, key: string): Promise<CacheEntry | undefined> {
  const dir = path.join(cacheRoot, key)
  let text: string
  try {
    text = await readFile(path.join(dir, RESULT_FILE), 'utf8')
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return undefined
    throw err
  }
  const stored = Value.Parse(StoredStepResultSchema, JSON.parse(text))
  return { ...stored, dir, outDir: path.join(dir, OUT_DIR) }
}

export interface PendingEntry {
  /** Where the step writes its files. */
  outDir: string
  /** Makes the entry visible under its key (fsync, then rename); returns it. */
  commit(result: Omit<StoredStepResult, 'key'>): Promise<CacheEntry>
  /** Removes the partial entry. */
  discard(): Promise<void>
}

/**
 * Starts a cache entry in `<cache>/.tmp-<key>-<random>/`. Only `commit` renames it to `<cache>/<key>`, so
 * a process killed mid-step leaves a temp folder that no lookup reads (and `cleanupStepCacheTmp` removes).
 */
export async function beginStepResult(cacheRoot: string, key: string): Promise<PendingEntry> {
  const tmpDir = path.join(cacheRoot, `.tmp-${key.slice(0, 16)}-${randomBytes(6).toString('hex')}`)
  const outDir = path.join(tmpDir, OUT_DIR)
  await mkdir(outDir, { recursive: true })
  return {
    outDir,
    async commit(result) {
      const stored: StoredStepResult = { key, ...result }
      await writeFile(path.join(tmpDir, RESULT_FILE), `${JSON.stringify(stored, null, 2)}\n`)
      await syncDirectoryTree(tmpDir)
      const dir = path.join(cacheRoot, key)
      try {
        await rename(tmpDir, dir)
      } catch (err) {
        const code = (err as { code?: unknown }).code
        // Another run of the same step finished first: its result is equally valid, keep it.
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err
        await rm(tmpDir, { recursive: true, force: true })
      }
      await syncDirectory(cacheRoot)
      const entry = await readStepResult(cacheRoot, key)
      if (!entry) throw new Error(`cache entry ${key} vanished after commit`)
      return entry
    },
    async discard() {
      await rm(tmpDir, { recursive: true, force: true })
    },
  }
}

/** Deletes a cached result, e.g. one whose `isResultValid` check failed. */
export async function removeStepResult(cacheRoot: string, key: string): Promise<void> {
  // Renamed away first so the key disappears in one step, then deleted at leisure.
  const dir = path.join(cacheRoot, key)
  const trash = path.join(cacheRoot, `.tmp-trash-${randomBytes(6).toString('hex')}`)
  try {
    await rename(dir, trash)
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return
    throw err
  }
  await rm(trash, { recursive: true, force: true })
}

/**
 * Removes temp folders of steps that died (kill -9, power loss) once older than `minAgeMs`, so a step still
 * running in another process keeps its folder. Returns the folders removed.
 */
export async function cleanupStepCacheTmp(
  cacheRoot: string,
  minAgeMs = 24 * 60 * 60 * 1000,
): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(cacheRoot)
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return []
    throw err
  }
  const removed: string[] = []
  for (const name of names.filter((n) => n.startsWith('.tmp-'))) {
    const dir = path.join(cacheRoot, name)
    const info = await stat(dir).catch(() => undefined)
    if (info && Date.now() - info.mtimeMs >= minAgeMs) {
      await rm(dir, { recursive: true, force: true })
      removed.push(dir)
    }
  }
  return removed
}

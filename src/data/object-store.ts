import { copyFile, link, mkdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { tempPathFor } from './atomic-write.js'
import { hasErrorCode } from './errno.js'

/** Where the bytes with this SHA-256 live: `<home>/data/objects/<first two hex>/<sha256>`. */
export function objectPath(home: string, sha256: string): string {
  return path.join(home, 'data', 'objects', sha256.slice(0, 2), sha256)
}

/** Where the manifest of a dataset version lives. */
export function manifestPath(home: string, version: string): string {
  return path.join(home, 'datasets', `${version}.json`)
}

/**
 * Puts a file into the content-addressed store unless its hash is already there; true when it added it.
 * Hard-links when the filesystem allows (no extra space), else copies; either way through a temp name and a
 * rename, so a crash never leaves a partial blob under a real hash. The caller vouches that `sha256` is the
 * file's hash. A hard link shares the inode: editing a source file in place afterwards would change the blob
 * too (replacing it, as editors and `cp` do, does not).
 */
export async function storeObject(home: string, sourceFile: string, sha256: string): Promise<boolean> {
  const target = objectPath(home, sha256)
  if (await exists(target)) return false
  await mkdir(path.dirname(target), { recursive: true })
  const temp = tempPathFor(target)
  try {
    try {
      await link(sourceFile, temp)
    } catch {
      // EXDEV (other filesystem), EPERM (protected hard links), unsupported FS: a copy always works.
      await copyFile(sourceFile, temp)
    }
    await rename(temp, target)
  } catch (err) {
    await rm(temp, { force: true })
    throw err
  }
  return true
}

/** True when the object store already holds these bytes (and so they passed an import's decode check). */
export async function hasObject(home: string, sha256: string): Promise<boolean> {
  return exists(objectPath(home, sha256))
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file)
    return true
  } catch (err) {
    if (hasErrorCode(err, 'ENOENT')) return false
    throw err
  }
}

import { randomBytes } from 'node:crypto'
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** Folder of kept scan images, named by content hash, for review and retraining (issue 9). */
export function imagesDir(home: string): string {
  return path.join(home, 'images')
}

/**
 * Keeps an uploaded image at `<home>/images/<sha256>`. Written to a temp name and renamed, so a reader (the
 * review queue) never sees half a file; an image already kept is not written again.
 */
export async function keepImage(home: string, sha256: string, bytes: Buffer): Promise<void> {
  const target = path.join(imagesDir(home), sha256)
  if (await exists(target)) return
  await mkdir(path.dirname(target), { recursive: true })
  const temp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(temp, bytes)
    await rename(temp, target)
  } catch (err) {
    await rm(temp, { force: true })
    throw err
  }
}

/** Path of a kept image (it may not exist); undefined for anything but a SHA-256, so it cannot walk out. */
export function keptImagePath(home: string, sha256: string): string | undefined {
  return /^[0-9a-f]{64}$/.test(sha256) ? path.join(imagesDir(home), sha256) : undefined
}

/** The kept image of a scan, or undefined when it was not kept. */
export async function readKeptImage(home: string, sha256: string): Promise<Buffer | undefined> {
  const file = keptImagePath(home, sha256)
  if (file === undefined) return undefined
  try {
    return await readFile(file)
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return undefined
    throw err
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file)
    return true
  } catch {
    return false
  }
}

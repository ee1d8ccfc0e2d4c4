import { randomBytes } from 'node:crypto'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** A temp name beside the target, so the final rename stays on one filesystem and is atomic. */
export function tempPathFor(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  )
}

/** Writes via temp file + rename: readers see the old file or the whole new one, never half of it. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true })
  const temp = tempPathFor(target)
  try {
    await writeFile(temp, data)
    await rename(temp, target)
  } catch (err) {
    await rm(temp, { force: true })
    throw err
  }
}

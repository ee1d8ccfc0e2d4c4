import { open, readFile, unlink } from 'node:fs/promises'
import { PgliteInUseError } from './errors.js'

export interface PgliteLock {
  release(): Promise<void>
}

/**
 * PGlite is one Postgres backend inside one process: two processes opening the same data folder would both
 * write to it and corrupt it. A lock file next to the folder, holding the owner's pid, makes the second one
 * fail fast with a clear message instead. A lock left by a dead process is taken over.
 */
export async function acquirePgliteLock(dir: string): Promise<PgliteLock> {
  const file = `${dir}.lock`
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx')
      await handle.writeFile(JSON.stringify({ pid: process.pid, since: new Date().toISOString() }))
      await handle.close()
      let isReleased = false
      return {
        async release() {
          if (isReleased) return
          isReleased = true
          await unlink(file).catch(() => undefined)
        },
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const owner = await readOwnerPid(file)
    if (owner !== undefined && owner !== process.pid && isAlive(owner)) throw new PgliteInUseError(dir, owner)
    if (owner === process.pid) throw new PgliteInUseError(dir, owner)
    // Stale lock (owner gone, or the file was half-written by a crash): remove it and try again.
    await unlink(file).catch(() => undefined)
  }
  throw new PgliteInUseError(dir, undefined)
}

async function readOwnerPid(file: string): Promise<number | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'))
    const pid = (parsed as { pid?: unknown } | null)?.pid
    return typeof pid === 'number' && Number.isInteger(pid) ? pid : undefined
  } catch {
    return undefined
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

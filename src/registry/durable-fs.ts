import { copyFile, mkdir, open, readdir } from 'node:fs/promises'
import path from 'node:path'

/** Flushes a file or directory entry to disk, so a rename that follows cannot expose unwritten data. */
async function syncPath(target: string): Promise<void> {
  const handle = await open(target, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** fsyncs every file and folder below `dir` (and `dir` itself), deepest first. */
export async function syncDirectoryTree(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name)
    if (entry.isDirectory()) await syncDirectoryTree(child)
    else if (entry.isFile()) await syncPath(child)
  }
  await syncPath(dir)
}

/** Copies a folder tree (regular files and folders only) and fsyncs the copy. */
export async function copyDirectoryDurably(from: string, to: string): Promise<void> {
  await copyTree(from, to)
  await syncDirectoryTree(to)
}

async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true })
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name)
    const target = path.join(to, entry.name)
    if (entry.isDirectory()) await copyTree(source, target)
    else if (entry.isFile()) await copyFile(source, target)
  }
}

/** fsyncs a folder so that a rename of one of its entries is durable. */
export async function syncDirectory(dir: string): Promise<void> {
  await syncPath(dir)
}

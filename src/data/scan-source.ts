import type { Dirent } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { DatasetSourceError, UnknownClassFolderError } from './errors.js'
import { isBallLabel, type BallLabel } from './labels.js'

export interface SourceFile {
  label: BallLabel
  /** Relative to the dataset root, posix separators. */
  relativePath: string
  absolutePath: string
}

export interface SourceScan {
  files: SourceFile[]
  /** Files found where no class applies (e.g. a README at the root), with the reason. */
  ignored: { path: string; reason: string }[]
}

/**
 * Lists a class-per-folder dataset: each top-level folder must be a BALL_LABELS name (all unknown names are
 * reported together); files under it, at any depth, belong to that class. Hidden entries (`.DS_Store`,
 * `.git`) are not data and are passed over silently. Symbolic links are followed.
 */
export async function scanSource(sourceDir: string): Promise<SourceScan> {
  const root = path.resolve(sourceDir)
  let top: Dirent[]
  try {
    top = await readdir(root, { withFileTypes: true })
  } catch (err) {
    throw new DatasetSourceError(`${root} is not a readable folder`, err)
  }
  const files: SourceFile[] = []
  const ignored: SourceScan['ignored'] = []
  const unknown: string[] = []
  const classDirs: BallLabel[] = []
  for (const dirent of sortByName(top)) {
    if (dirent.name.startsWith('.')) continue
    const kind = await kindOf(path.join(root, dirent.name), dirent)
    if (kind === 'dir') {
      if (isBallLabel(dirent.name)) classDirs.push(dirent.name)
      else unknown.push(dirent.name)
    } else if (kind === 'file') {
      ignored.push({ path: dirent.name, reason: 'not inside a class folder' })
    } else if (kind === 'broken-link') {
      ignored.push({ path: dirent.name, reason: 'broken symbolic link' })
    }
  }
  if (unknown.length > 0) throw new UnknownClassFolderError(unknown)
  for (const label of classDirs) await walk(root, label, label, files, ignored)
  return { files, ignored }
}

async function walk(
  root: string,
  label: BallLabel,
  relDir: string,
  out: SourceFile[],
  ignored: SourceScan['ignored'],
): Promise<void> {
  const dir = path.join(root, ...relDir.split('/'))
  const entries = await readdir(dir, { withFileTypes: true })
  for (const dirent of sortByName(entries)) {
    if (dirent.name.startsWith('.')) continue
    const relativePath = `${relDir}/${dirent.name}`
    const absolutePath = path.join(dir, dirent.name)
    const kind = await kindOf(absolutePath, dirent)
    if (kind === 'dir') await walk(root, label, relativePath, out, ignored)
    else if (kind === 'file') out.push({ label, relativePath, absolutePath })
    else if (kind === 'broken-link') ignored.push({ path: relativePath, reason: 'broken symbolic link' })
  }
}

type EntryKind = 'dir' | 'file' | 'broken-link' | 'other'

async function kindOf(absolutePath: string, dirent: Dirent): Promise<EntryKind> {
  if (dirent.isDirectory()) return 'dir'
  if (dirent.isFile()) return 'file'
  if (!dirent.isSymbolicLink()) return 'other'
  try {
    const target = await stat(absolutePath)
    return target.isDirectory() ? 'dir' : target.isFile() ? 'file' : 'other'
  } catch {
    // A link whose target is gone (or unreadable) is reported, not fatal: the rest of the folder still imports.
    return 'broken-link'
  }
}

function sortByName(entries: Dirent[]): Dirent[] {
  return entries.slice().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

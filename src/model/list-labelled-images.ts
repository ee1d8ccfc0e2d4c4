import type { Dirent } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { Value } from 'typebox/value'
import { SplitFileError, SplitFileSchema } from '../data/index.js'
import { EvaluationSourceError } from './errors.js'

export interface LabelledFile {
  /** Class folder name. */
  label: string
  /** Relative to the data folder, posix separators. */
  relativePath: string
  absolutePath: string
}

/**
 * Lists a class-per-folder directory for evaluation: every top-level folder is a class, files below it at
 * any depth are its images. Hidden entries and loose top-level files (a README) are not images.
 */
export async function listClassFolderImages(dataDir: string): Promise<LabelledFile[]> {
  const root = path.resolve(dataDir)
  const top = await readDir(root)
  const files: LabelledFile[] = []
  for (const entry of top) {
    if (entry.name.startsWith('.') || !entry.isDirectory()) continue
    await walk(root, entry.name, entry.name, files)
  }
  return files
}

/**
 * The `subset` list of a split file (`{"train": [...], "test": [...], "val"?: [...]}`), as files of
 * `dataDir`; each path's first folder is its class.
 */
export async function listSplitSubsetImages(
  dataDir: string,
  splitFile: string,
  subset: string,
): Promise<LabelledFile[]> {
  let parsed: unknown
  try {
    parsed = JSON.parse(await readFile(splitFile, 'utf8'))
  } catch (err) {
    throw new SplitFileError(splitFile, 'is not a readable JSON file', err)
  }
  if (!Value.Check(SplitFileSchema, parsed)) {
    throw new SplitFileError(splitFile, 'expected {"train": [...], "test": [...]} of relative paths')
  }
  const list =
    subset === 'train'
      ? parsed.train
      : subset === 'test'
        ? parsed.test
        : subset === 'val'
          ? parsed.val
          : undefined
  if (list === undefined) throw new SplitFileError(splitFile, `has no "${subset}" list`)
  const root = path.resolve(dataDir)
  return list.map((raw) => {
    const relativePath = raw.replaceAll('\\', '/').replace(/^(\.\/)+/, '')
    const [label, ...rest] = relativePath.split('/')
    if (label === undefined || rest.length === 0 || relativePath.split('/').includes('..')) {
      throw new SplitFileError(splitFile, `"${raw}" is not a <class>/<file> path inside the data folder`)
    }
    return { label, relativePath, absolutePath: path.join(root, relativePath) }
  })
}

async function walk(root: string, label: string, relDir: string, out: LabelledFile[]): Promise<void> {
  for (const entry of await readDir(path.join(root, relDir))) {
    if (entry.name.startsWith('.')) continue
    const rel = `${relDir}/${entry.name}`
    if (entry.isDirectory()) await walk(root, label, rel, out)
    else if (entry.isFile() || entry.isSymbolicLink()) {
      out.push({ label, relativePath: rel, absolutePath: path.join(root, rel) })
    }
  }
}

async function readDir(dir: string): Promise<Dirent[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true })
    // Code-unit order, so every machine evaluates (and reports) in the same order.
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  } catch (err) {
    throw new EvaluationSourceError(`${dir} is not a readable folder`, err)
  }
}

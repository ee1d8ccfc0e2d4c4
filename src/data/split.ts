import { readFile } from 'node:fs/promises'
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import { compareEntries, type DatasetEntry, type DatasetManifest } from './dataset-manifest.js'
import { InvalidSplitFractionsError, SplitEntriesMissingError, SplitFileError } from './errors.js'
import { BALL_LABELS, type BallLabel } from './labels.js'
import { createSeededRandom, deriveSeed, shuffled } from './seeded-random.js'

export interface DatasetSplit {
  train: DatasetEntry[]
  val: DatasetEntry[]
  test: DatasetEntry[]
}

export interface SplitFractions {
  /** Fractions of each class; non-negative, summing to 1. */
  train: number
  val: number
  test: number
  seed: number
}

export const SplitFileSchema = Type.Object({
  train: Type.Array(Type.String()),
  test: Type.Array(Type.String()),
  /** Optional: when given it is used as is instead of carving validation out of `train`. */
  val: Type.Optional(Type.Array(Type.String())),
})
/** `{"train": [...], "test": [...]}` of paths relative to the dataset root. */
export type SplitFile = Static<typeof SplitFileSchema>

export interface SplitFromFileOptions {
  /** Fraction of each class of the file's train list held out for validation. */
  valFraction: number
  seed: number
}

/**
 * Deterministic stratified split: within each class, entries (in manifest order) are shuffled with a
 * per-class seed, then cut into test, validation and train by rounded fractions. Adding a class, or images
 * to another class, never moves the images of this one. Each list comes back in manifest order.
 */
export function splitStratified(manifest: DatasetManifest, fractions: SplitFractions): DatasetSplit {
  checkFractions(fractions)
  const split: DatasetSplit = { train: [], val: [], test: [] }
  for (const [label, entries] of byClass(manifest.entries.slice().sort(compareEntries))) {
    const order = shuffled(entries, createSeededRandom(deriveSeed(fractions.seed, label)))
    const nTest = Math.round(order.length * fractions.test)
    const nVal = Math.min(order.length - nTest, Math.round(order.length * fractions.val))
    split.test.push(...order.slice(0, nTest))
    split.val.push(...order.slice(nTest, nTest + nVal))
    split.train.push(...order.slice(nTest + nVal))
  }
  return sortSplit(split)
}

/**
 * Uses a given split (the file's train and test lists); validation is carved out of train, stratified and
 * seeded like `splitStratified`. Paths in the file that the manifest lacks are an error listing them;
 * manifest entries the file does not list are left out of every subset.
 */
export async function splitFromFile(
  manifest: DatasetManifest,
  splitFile: string | SplitFile,
  options: SplitFromFileOptions,
): Promise<DatasetSplit> {
  const name = typeof splitFile === 'string' ? splitFile : '(inline split)'
  const file = typeof splitFile === 'string' ? await readSplitFile(splitFile) : splitFile
  if (!Value.Check(SplitFileSchema, file))
    throw new SplitFileError(name, 'expected {"train": [...], "test": [...]}')
  if (!(options.valFraction >= 0 && options.valFraction < 1)) {
    throw new InvalidSplitFractionsError(`valFraction must be in [0, 1), got ${options.valFraction}`)
  }
  const byPath = new Map(manifest.entries.map((e) => [e.path, e]))
  const missing: string[] = []
  const seen = new Map<string, string>()
  const resolve = (paths: string[], subset: string): DatasetEntry[] => {
    const out: DatasetEntry[] = []
    for (const raw of paths) {
      const p = normalizeSplitPath(raw)
      const previous = seen.get(p)
      if (previous !== undefined) {
        throw new SplitFileError(name, `"${p}" is listed in both ${previous} and ${subset}`)
      }
      seen.set(p, subset)
      const entry = byPath.get(p)
      if (entry) out.push(entry)
      else missing.push(p)
    }
    return out
  }
  const train = resolve(file.train, 'train')
  const test = resolve(file.test, 'test')
  const givenVal = file.val ? resolve(file.val, 'val') : undefined
  if (missing.length > 0) throw new SplitEntriesMissingError(name, missing)
  if (givenVal) return sortSplit({ train, val: givenVal, test })

  const split: DatasetSplit = { train: [], val: [], test }
  for (const [label, entries] of byClass(train.slice().sort(compareEntries))) {
    const order = shuffled(entries, createSeededRandom(deriveSeed(options.seed, label)))
    const nVal = Math.round(order.length * options.valFraction)
    split.val.push(...order.slice(0, nVal))
    split.train.push(...order.slice(nVal))
  }
  return sortSplit(split)
}

async function readSplitFile(file: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new SplitFileError(file, 'cannot be read', err)
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new SplitFileError(file, 'is not JSON', err)
  }
}

/** Split files written on Windows or by hand may use `\` or a leading `./`. */
function normalizeSplitPath(p: string): string {
  return p.replaceAll('\\', '/').replace(/^(\.\/)+/, '')
}

function checkFractions(f: SplitFractions): void {
  const parts = [f.train, f.val, f.test]
  if (parts.some((x) => !Number.isFinite(x) || x < 0)) {
    throw new InvalidSplitFractionsError(`each fraction must be a number >= 0 (got ${parts.join(', ')})`)
  }
  const sum = f.train + f.val + f.test
  if (Math.abs(sum - 1) > 1e-6) throw new InvalidSplitFractionsError(`fractions must sum to 1, got ${sum}`)
  if (!Number.isFinite(f.seed)) throw new InvalidSplitFractionsError(`seed must be a number, got ${f.seed}`)
}

function byClass(entries: readonly DatasetEntry[]): Map<BallLabel, DatasetEntry[]> {
  const groups = new Map<BallLabel, DatasetEntry[]>()
  for (const label of BALL_LABELS) groups.set(label, [])
  for (const e of entries) groups.get(e.label)?.push(e)
  for (const [label, list] of groups) if (list.length === 0) groups.delete(label)
  return groups
}

function sortSplit(split: DatasetSplit): DatasetSplit {
  return {
    train: split.train.sort(compareEntries),
    val: split.val.sort(compareEntries),
    test: split.test.sort(compareEntries),
  }
}

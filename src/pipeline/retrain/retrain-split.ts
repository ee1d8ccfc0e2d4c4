import { readFile } from 'node:fs/promises'
import { SplitFileError, type DatasetManifest } from '../../data/index.js'
import type { JsonValue } from '../step-type.js'

interface SplitLists {
  train: string[]
  test: string[]
  val?: string[]
}

/**
 * The fixed split extended to a merged dataset: test (and val, if listed) stay as given, so both models are
 * scored on the same photos; every photo the split does not list (the corrected scans of this and earlier
 * rounds) joins train. One whose bytes are a test photo's stays out, or the candidate would be scored on what it
 * learnt; so does every photo whose bytes are among `heldOut` (the gate's held-out corrected scans), wherever it
 * is listed, since an earlier round may have merged the same photo into the base dataset.
 */
export async function extendSplitWithFeedback(
  splitFile: string,
  manifest: DatasetManifest,
  heldOut: ReadonlySet<string> = new Set(),
): Promise<{
  split: SplitLists & { [key: string]: JsonValue }
  added: number
  leaked: number
  withheld: number
}> {
  const fixed = parseSplit(splitFile, await readFile(splitFile, 'utf8'))
  const bytesByPath = new Map(manifest.entries.map((e) => [e.path, e.sha256]))
  const scored = new Set([...fixed.test, ...(fixed.val ?? [])].map((p) => bytesByPath.get(p)))
  const listed = new Set([...fixed.train, ...fixed.test, ...(fixed.val ?? [])])
  const isHeldOut = (p: string) => heldOut.has(bytesByPath.get(p) ?? '')
  const fresh = manifest.entries.filter((e) => !listed.has(e.path))
  const added = fresh.filter((e) => !scored.has(e.sha256) && !heldOut.has(e.sha256)).map((e) => e.path)
  const train = [...fixed.train.filter((p) => !isHeldOut(p)), ...added]
  const val = fixed.val?.filter((p) => !isHeldOut(p))
  const withheld =
    fixed.train.filter(isHeldOut).length +
    (fixed.val?.filter(isHeldOut).length ?? 0) +
    fresh.filter((e) => heldOut.has(e.sha256) && !scored.has(e.sha256)).length
  return {
    split: { ...fixed, train, ...(val ? { val } : {}) },
    added: added.length,
    leaked: fresh.filter((e) => scored.has(e.sha256)).length,
    withheld,
  }
}

function parseSplit(file: string, text: string): SplitLists {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new SplitFileError(file, 'is not JSON', err)
  }
  const isList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')
  if (typeof value !== 'object' || value === null) throw new SplitFileError(file, 'is not an object')
  const { train, test, val } = value as Record<string, unknown>
  if (!isList(train) || !isList(test) || (val !== undefined && !isList(val))) {
    throw new SplitFileError(file, 'expected {"train": [...], "test": [...]}')
  }
  return val === undefined ? { train, test } : { train, test, val }
}

import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import { hashBuffer } from './content-hash.js'
import { ManifestInvalidError } from './errors.js'
import { BALL_LABELS, type BallLabel } from './labels.js'

const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$' })
const Label = Type.Enum(BALL_LABELS)

export const DatasetEntrySchema = Type.Object(
  {
    label: Label,
    /** Relative to the dataset root, posix separators, e.g. `basketball/basketball_11.jpg`. */
    path: Type.String({ minLength: 1 }),
    sha256: Sha256,
    bytes: Type.Integer({ minimum: 1 }),
    /** Pixels, after EXIF orientation (what a person sees). */
    width: Type.Integer({ minimum: 1 }),
    height: Type.Integer({ minimum: 1 }),
    /** `jpeg`, `png`, `webp`, `gif`, `tiff`, `avif` or `heif`. */
    format: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
)
/** One image of a dataset version; its bytes live in the object store under `sha256`. */
export type DatasetEntry = Static<typeof DatasetEntrySchema>

export const DatasetManifestSchema = Type.Object(
  {
    version: Sha256,
    /** Classes that have at least one entry, in BALL_LABELS order (the order model outputs use). */
    classes: Type.Array(Label),
    /** Sorted by label, then path (code-unit order), as in the canonical text. */
    entries: Type.Array(DatasetEntrySchema),
  },
  { additionalProperties: false },
)
export type DatasetManifest = Static<typeof DatasetManifestSchema>

/** Code-unit comparison: locale-independent, so every machine sorts (and hashes) alike. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function compareEntries(a: DatasetEntry, b: DatasetEntry): number {
  return compareText(a.label, b.label) || compareText(a.path, b.path)
}

/**
 * The text a version is the hash of: one `label\tpath\tsha256` line per entry, sorted by label then path,
 * each line ending in `\n`. Image sizes and formats are derived from the bytes, so they need not be hashed.
 */
export function canonicalManifestText(entries: readonly DatasetEntry[]): string {
  return entries
    .slice()
    .sort(compareEntries)
    .map((e) => `${e.label}\t${e.path}\t${e.sha256}\n`)
    .join('')
}

/** SHA-256 (hex) of the canonical manifest text. */
export function computeDatasetVersion(entries: readonly DatasetEntry[]): string {
  return hashBuffer(canonicalManifestText(entries))
}

/** Builds a manifest from entries in any order: sorts them, lists the classes, computes the version. */
export function buildManifest(entries: readonly DatasetEntry[]): DatasetManifest {
  const sorted = entries.slice().sort(compareEntries)
  const present = new Set<BallLabel>(sorted.map((e) => e.label))
  return {
    version: computeDatasetVersion(sorted),
    classes: BALL_LABELS.filter((l) => present.has(l)),
    entries: sorted,
  }
}

/** Per-class entry counts, in BALL_LABELS order, classes without entries left out. */
export function countByClass(entries: readonly DatasetEntry[]): Partial<Record<BallLabel, number>> {
  const counts = new Map<BallLabel, number>()
  for (const e of entries) counts.set(e.label, (counts.get(e.label) ?? 0) + 1)
  const out: Partial<Record<BallLabel, number>> = {}
  for (const label of BALL_LABELS) {
    const n = counts.get(label)
    if (n !== undefined) out[label] = n
  }
  return out
}

/**
 * Checks a manifest read from disk: shape, sort order, unique paths, and that `version` really is the hash
 * of its entries (a hand-edited or truncated manifest must not pass as the version it claims).
 */
export function parseManifest(value: unknown, file: string): DatasetManifest {
  if (!Value.Check(DatasetManifestSchema, value)) {
    const problems = [...Value.Errors(DatasetManifestSchema, value)]
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message}`)
    throw new ManifestInvalidError(file, problems)
  }
  const manifest = value
  const seen = new Set<string>()
  for (let i = 0; i < manifest.entries.length; i++) {
    const entry = manifest.entries[i] as DatasetEntry
    if (seen.has(entry.path)) throw new ManifestInvalidError(file, [`duplicate path "${entry.path}"`])
    seen.add(entry.path)
    const prev = manifest.entries[i - 1]
    if (prev && compareEntries(prev, entry) > 0) {
      throw new ManifestInvalidError(file, [`entries not sorted at "${entry.path}"`])
    }
  }
  const expected = computeDatasetVersion(manifest.entries)
  if (expected !== manifest.version) {
    throw new ManifestInvalidError(file, [
      `version ${manifest.version} does not match its entries (${expected})`,
    ])
  }
  return manifest
}

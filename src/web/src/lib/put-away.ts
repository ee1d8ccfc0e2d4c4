import { describeBallType } from './ball-types.js'
import {
  expectArray,
  expectObject,
  type JsonObject,
  readNumber,
  readOneOf,
  readOptionalNumber,
  readOptionalString,
  readString,
  toNumberRecord,
} from './json-reader.js'

/** Why an answer names no bin (the API's `bin_reason`). */
export type BinReason = 'needs_review' | 'not_a_ball' | 'no_assignment'

export interface PutAway {
  bin: string
  expectedBin: string | null
  outcome: 'shelved' | 'shelved_elsewhere'
  confirmedBy: string | null
  createdAt: string
}

/** What a scan answer says about put-away; servers from before put-away send none of it (all null). */
export interface BinFields {
  site: string | null
  bin: string | null
  binReason: BinReason | null
  putAway: PutAway | null
}

export interface BinAssignment {
  site: string
  label: string
  bin: string
  capacity: number | null
}

export interface Sites {
  defaultSite: string
  sites: readonly string[]
}

export interface BinStock {
  site: string | null
  bin: string | null
  capacity: number | null
  count: number
  shelved: number
  isOverCapacity: boolean
  perLabel: Readonly<Record<string, number>>
}

const REASONS: readonly BinReason[] = ['needs_review', 'not_a_ball', 'no_assignment']

export function decodePutAway(value: unknown): PutAway {
  const what = 'put-away'
  const obj = expectObject(value, what)
  const outcome = readOneOf(obj, 'outcome', ['shelved', 'shelved_elsewhere'], what)
  return {
    bin: readString(obj, 'bin', what),
    expectedBin: readOptionalString(obj, 'expected_bin', what),
    outcome,
    confirmedBy: readOptionalString(obj, 'confirmed_by', what),
    createdAt: readString(obj, 'created_at', what),
  }
}

export function decodeBinFields(obj: JsonObject, what: string): BinFields {
  const reason = obj['bin_reason'] == null ? null : readOneOf(obj, 'bin_reason', REASONS, what)
  const putAway = obj['put_away']
  return {
    site: readOptionalString(obj, 'site', what),
    bin: readOptionalString(obj, 'bin', what),
    binReason: reason as BinReason | null,
    putAway: putAway === undefined || putAway === null ? null : decodePutAway(putAway),
  }
}

export function decodeSites(value: unknown): Sites {
  const what = 'sites'
  const obj = expectObject(value, what)
  return {
    defaultSite: readString(obj, 'default_site', what),
    sites: expectArray(obj['items'], what).map((item) => readString(expectObject(item, what), 'site', what)),
  }
}

export function decodeAssignments(value: unknown): BinAssignment[] {
  const what = 'bin assignments'
  const obj = expectObject(value, what)
  return expectArray(obj['items'], what).map((item) => {
    const row = expectObject(item, what)
    return {
      site: readString(row, 'site', what),
      label: readString(row, 'label', what),
      bin: readString(row, 'bin', what),
      capacity: readOptionalNumber(row, 'capacity', what),
    }
  })
}

export function decodeBinStock(value: unknown): BinStock[] {
  const what = 'stock per bin'
  const obj = expectObject(value, what)
  return expectArray(obj['bins'], what).map((item) => {
    const row = expectObject(item, what)
    return {
      site: readOptionalString(row, 'site', what),
      bin: readOptionalString(row, 'bin', what),
      capacity: readOptionalNumber(row, 'capacity', what),
      count: readNumber(row, 'count', what),
      shelved: readNumber(row, 'shelved', what),
      isOverCapacity: row['is_over_capacity'] === true,
      perLabel: toNumberRecord(row['per_label'] ?? {}, what),
    }
  })
}

/** The sentence a worker reads when the answer names no bin. */
export function describeNoBin(reason: BinReason | null, label: string, site: string | null): string {
  const ball = describeBallType(label).name
  switch (reason) {
    case 'needs_review':
      return 'Do not shelve it yet: the model is unsure, so a person should check the ball type first.'
    case 'not_a_ball':
      return 'A reviewer marked this photo as not a ball: nothing to shelve.'
    case 'no_assignment':
    case null:
      return site === null
        ? `No bin is assigned to ${ball}.`
        : `No bin is assigned to ${ball} at site ${site}. An admin can assign one on the Bins page.`
  }
}

/** The distinct bins of a site's assignments, in shelf order (A2 before A10). */
export function binsOf(assignments: readonly BinAssignment[]): string[] {
  return [...new Set(assignments.map((a) => a.bin))].sort((a, b) =>
    a.localeCompare(b, undefined, { numeric: true }),
  )
}

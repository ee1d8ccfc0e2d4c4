import {
  deleteBinAssignment,
  importBinAssignments,
  listBinAssignments,
  setBinAssignment,
  type BinAssignment,
  type Database,
} from '../db/index.js'
import { formatBinsCsv, parseBinsCsv } from './bins-csv.js'
import { AssignmentNotFoundError } from './errors.js'
import { parseBallType, parseBinLabel, parseSite } from './names.js'

/** One site's plan as the CLI and the API change it: names are checked here, once, for both. */
export interface AssignBinInput {
  site: string
  ballLabel: string
  binLabel: string
  /** Sets the bin's capacity (null: no limit); undefined keeps what the bin has. */
  capacity?: number | null
  updatedBy: string | null
}

export async function assignBin(db: Database, input: AssignBinInput): Promise<BinAssignment> {
  return setBinAssignment(db, {
    site: parseSite(input.site),
    ballLabel: parseBallType(input.ballLabel),
    binLabel: parseBinLabel(input.binLabel),
    ...(input.capacity === undefined ? {} : { capacity: input.capacity }),
    updatedBy: input.updatedBy,
  })
}

export async function unassignBin(db: Database, key: { site: string; ballLabel: string }): Promise<void> {
  const site = parseSite(key.site)
  const ballLabel = parseBallType(key.ballLabel)
  if (!(await deleteBinAssignment(db, { site, ballLabel })))
    throw new AssignmentNotFoundError(site, ballLabel)
}

export interface ImportSummary {
  /** Assignments written. */
  imported: number
  sites: string[]
}

/**
 * Loads a CSV plan in one transaction: a file with any bad line changes nothing. With `replace`, each site
 * named in the file keeps exactly the file's assignments; otherwise the file adds to and moves assignments.
 */
export async function importBinsCsv(
  db: Database,
  csv: string,
  options: { replace?: boolean; updatedBy: string | null },
): Promise<ImportSummary> {
  const rows = parseBinsCsv(csv)
  const sites = [...new Set(rows.map((r) => r.site))].sort()
  await importBinAssignments(
    db,
    rows.map((r) => ({ ...r, updatedBy: options.updatedBy })),
    options.replace ? { replaceSites: sites } : {},
  )
  return { imported: rows.length, sites }
}

export async function exportBinsCsv(db: Database, filter: { site?: string } = {}): Promise<string> {
  const sites = filter.site === undefined ? undefined : [parseSite(filter.site)]
  return formatBinsCsv(await listBinAssignments(db, sites === undefined ? {} : { sites }))
}

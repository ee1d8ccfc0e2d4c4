import type { BinAssignment } from '../db/index.js'
import { BinsCsvInvalidError } from './errors.js'
import { parseBallType, parseBinLabel, parseCapacity, parseSite } from './names.js'

/** The columns of a bins CSV, in the order export writes them; `capacity` may be left out on import. */
export const BINS_CSV_COLUMNS = ['site', 'label', 'bin', 'capacity'] as const

export interface BinsCsvRow {
  site: string
  ballLabel: string
  binLabel: string
  capacity: number | null
}

/**
 * Reads a site plan: a header naming the columns (any order), then one ball type per line. Blank lines and
 * lines starting with `#` are skipped; fields may be double-quoted as spreadsheets write them. Every problem
 * is collected with its line number and reported at once, so one fix-and-retry round is enough.
 */
export function parseBinsCsv(text: string): BinsCsvRow[] {
  const problems: string[] = []
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  let header: string[] | undefined
  const rows: Array<BinsCsvRow & { line: number }> = []
  for (const [i, raw] of lines.entries()) {
    const line = i + 1
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue
    const cells = splitCsvLine(raw)
    if (cells === undefined) {
      problems.push(`line ${line}: unbalanced quotes`)
      continue
    }
    if (header === undefined) {
      header = cells.map((c) => c.trim().toLowerCase())
      const missing = BINS_CSV_COLUMNS.filter((c) => c !== 'capacity' && !header?.includes(c))
      const unknown = header.filter((c) => !(BINS_CSV_COLUMNS as readonly string[]).includes(c))
      if (missing.length > 0 || unknown.length > 0) {
        throw new BinsCsvInvalidError([
          `line ${line}: the header must name the columns ${BINS_CSV_COLUMNS.join(',')} (capacity optional)` +
            (missing.length > 0 ? `; missing ${missing.join(', ')}` : '') +
            (unknown.length > 0 ? `; unknown ${unknown.join(', ')}` : ''),
        ])
      }
      continue
    }
    if (cells.length !== header.length) {
      problems.push(`line ${line}: ${cells.length} fields, the header has ${header.length}`)
      continue
    }
    const cell = (name: string) => cells[header?.indexOf(name) ?? -1] ?? ''
    try {
      rows.push({
        line,
        site: parseSite(cell('site')),
        ballLabel: parseBallType(cell('label')),
        binLabel: parseBinLabel(cell('bin')),
        capacity: parseCapacity(cell('capacity')),
      })
    } catch (err) {
      problems.push(`line ${line}: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  if (header === undefined) throw new BinsCsvInvalidError(['the file is empty: expected a header line'])
  problems.push(...conflicts(rows))
  if (problems.length > 0) throw new BinsCsvInvalidError(problems)
  return rows.map(({ line: _line, ...row }) => row)
}

/** A ball type twice at one site, or one bin given two capacities, cannot both be meant. */
function conflicts(rows: ReadonlyArray<BinsCsvRow & { line: number }>): string[] {
  const problems: string[] = []
  const seen = new Map<string, number>()
  const capacities = new Map<string, { capacity: number; line: number }>()
  for (const row of rows) {
    const key = `${row.site}\u0000${row.ballLabel}`
    const first = seen.get(key)
    if (first !== undefined) {
      problems.push(
        `line ${row.line}: ${row.ballLabel} at site "${row.site}" is already assigned on line ${first}`,
      )
    } else seen.set(key, row.line)
    if (row.capacity === null) continue
    const binKey = `${row.site}\u0000${row.binLabel}`
    const other = capacities.get(binKey)
    if (other !== undefined && other.capacity !== row.capacity) {
      problems.push(
        `line ${row.line}: bin "${row.binLabel}" at site "${row.site}" has capacity ${other.capacity} on line ${other.line}`,
      )
    } else capacities.set(binKey, { capacity: row.capacity, line: row.line })
  }
  return problems
}

/** Splits one CSV line; undefined when a quoted field never closes. */
function splitCsvLine(line: string): string[] | undefined {
  const cells: string[] = []
  let cell = ''
  let isQuoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (isQuoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') isQuoted = false
      else cell += ch
    } else if (ch === '"' && cell.trim() === '') {
      isQuoted = true
      cell = ''
    } else if (ch === ',') {
      cells.push(cell)
      cell = ''
    } else cell += ch
  }
  if (isQuoted) return undefined
  cells.push(cell)
  return cells
}

/** The assignments as a CSV that parseBinsCsv reads back to the same plan. */
export function formatBinsCsv(assignments: readonly BinAssignment[]): string {
  const lines = [
    BINS_CSV_COLUMNS.join(','),
    ...assignments.map((a) => [a.site, a.ballLabel, a.binLabel, a.capacity ?? ''].join(',')),
  ]
  return `${lines.join('\n')}\n`
}

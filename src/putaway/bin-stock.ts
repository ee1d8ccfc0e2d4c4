import type { BinRow, BinStockLine } from '../db/index.js'

/** One bin's stock: what should be in it, how much of that a worker confirmed, and whether it overflows. */
export interface BinStock {
  site: string | null
  /** Null gathers counted scans with no bin: no assignment for their type, or scanned without a site. */
  bin: string | null
  capacity: number | null
  count: number
  shelved: number
  isOverCapacity: boolean
  perLabel: Record<string, number>
}

/** Rolls stock lines up per bin; every bin of `bins` is listed, empty ones with a count of 0. */
export function summariseBinStock(lines: readonly BinStockLine[], bins: readonly BinRow[]): BinStock[] {
  const key = (site: string | null, bin: string | null) => `${site ?? ''}\u0000${bin ?? ''}`
  const capacities = new Map(bins.map((b) => [key(b.site, b.label), b.capacity]))
  const out = new Map<string, BinStock>()
  const entry = (site: string | null, bin: string | null) => {
    const k = key(site, bin)
    let found = out.get(k)
    if (!found) {
      found = {
        site,
        bin,
        capacity: bin === null ? null : (capacities.get(k) ?? null),
        count: 0,
        shelved: 0,
        isOverCapacity: false,
        perLabel: {},
      }
      out.set(k, found)
    }
    return found
  }
  for (const b of bins) entry(b.site, b.label)
  for (const line of lines) {
    const e = entry(line.site, line.binLabel)
    e.count += line.count
    e.shelved += line.shelved
    e.perLabel[line.label] = (e.perLabel[line.label] ?? 0) + line.count
  }
  for (const e of out.values()) e.isOverCapacity = e.capacity !== null && e.count > e.capacity
  return [...out.values()].sort(
    (a, b) =>
      (a.site ?? '\uffff').localeCompare(b.site ?? '\uffff') ||
      (a.bin === null ? 1 : 0) - (b.bin === null ? 1 : 0) ||
      (a.bin ?? '').localeCompare(b.bin ?? '', undefined, { numeric: true }),
  )
}

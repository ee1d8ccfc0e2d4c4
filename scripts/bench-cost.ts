/** Where a request's CPU goes, for bench:serve: PostgreSQL's share from /proc, decode and inference measured alone. */
import { readdir, readFile } from 'node:fs/promises'

/** Linux clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on every mainstream build). */
const TICKS_PER_SECOND = 100

/**
 * CPU milliseconds used so far by each PostgreSQL server process on this machine (backends, WAL writer...),
 * from /proc; undefined where /proc is not readable (then the table shows "-"). Per process, because backends
 * come and go: see postgresCpuMsBetween.
 */
export async function postgresCpuMs(): Promise<Map<string, number> | undefined> {
  const byPid = new Map<string, number>()
  try {
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
      const close = stat.lastIndexOf(')')
      if (close < 0 || !stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue
      // Fields after "(comm)": state is field 3, utime 14 and stime 15 (1-based, man 5 proc).
      const fields = stat.slice(close + 2).split(' ')
      byPid.set(pid, (Number(fields[11]) + Number(fields[12])) * (1000 / TICKS_PER_SECOND))
    }
  } catch {
    return undefined
  }
  return byPid
}

/**
 * PostgreSQL CPU ms spent between two snapshots: what each process alive at the end used since the start (all
 * of it for a process started meanwhile). A backend that exited in between is missed, so this can undercount,
 * never go negative.
 */
export function postgresCpuMsBetween(
  start: Map<string, number> | undefined,
  end: Map<string, number> | undefined,
): number | undefined {
  if (!start || !end) return undefined
  let total = 0
  for (const [pid, ms] of end) total += Math.max(0, ms - (start.get(pid) ?? 0))
  return total
}

/** CPU ms per item of `step` run `count` times in a row (this process, all its threads: sharp, ORT workers). */
export async function cpuMsPerItem(
  count: number,
  itemsPerStep: number,
  step: () => Promise<unknown>,
): Promise<number> {
  for (let i = 0; i < Math.min(5, count); i++) await step()
  const start = process.cpuUsage()
  for (let i = 0; i < count; i++) await step()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000 / (count * itemsPerStep)
}

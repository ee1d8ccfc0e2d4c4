import type { Command } from 'commander'
import { exportFeedback } from '../../data/index.js'
import type { CliContext } from '../context.js'
import { parseDate } from '../parse-date.js'

/** `sportscan data export-feedback`: the corrected scans as a class-per-folder set for `data import --base`. */
export function register(program: Command, getContext: () => CliContext): void {
  // The `data` group belongs to data.ts (registered before this module); attach to it, or create it.
  const data =
    program.commands.find((c) => c.name() === 'data') ??
    program.command('data').description('Import, list and inspect versioned image datasets.')
  data
    .command('export-feedback')
    .description(
      'Write the photos of corrected scans into <out>/<label>/<sha256>.<ext> (not_a_ball scans are left out).',
    )
    .requiredOption('--out <dir>', 'folder to write (existing files with the same name are replaced)')
    .option('--since <date>', 'only scans corrected at or after this date (UTC)', parseDate)
    .option('--json', 'print one JSON object')
    .action(async (options: { out: string; since?: Date; json?: boolean }) => {
      const ctx = getContext()
      const { db } = await ctx.db()
      const result = await exportFeedback(options.out, {
        home: ctx.config.home,
        db,
        log: ctx.log,
        ...(options.since ? { since: options.since } : {}),
      })
      if (options.json) {
        console.log(JSON.stringify(result, null, 2))
        return
      }
      console.log(`exported ${result.exported.length} corrected scan(s) to ${result.outDir}`)
      const perLabel = new Map<string, number>()
      for (const e of result.exported) perLabel.set(e.label, (perLabel.get(e.label) ?? 0) + 1)
      for (const [label, n] of [...perLabel].sort()) console.log(`  ${label}: ${n}`)
      if (result.skipped.length > 0) console.log(`left out ${result.skipped.length}:`)
      for (const s of result.skipped) console.log(`  ${s.predictionId}: ${s.reason}`)
      if (result.exported.length > 0) {
        console.log(`next: sportscan data import ${result.outDir} --base <dataset version>`)
      }
    })
}
